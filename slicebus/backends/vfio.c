// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus_vfio: slices as mdev devices that a VM or a userspace driver
 * uses through VFIO.
 *
 * Every slicebus parent gets an mdev parent on its host device (its PCI
 * function, where libvirt looks, or its management device), one
 * mdev type per slice type ("slicebus-dwq-16", ...).  available_instances
 * is the accountant's count for backend vfio; creating an mdev allocates a
 * slice (named by the mdev's UUID) and removing it frees the slice.
 *
 * The device is a virtual Intel DSA (PCI 8086:0b25) on the emulated IOMMU
 * path, so that a guest's own idxd driver drives it (vfio_dsa.h,
 * Documentation/slicebus/vfio.rst): BAR0 the DSA register file of a
 * device with one dedicated WQ, one group and one engine, its
 * configuration read-only (preset from the slice: the WQ holds the slice
 * type's entries); BAR2 the WQ's portals; MSI-X vector 0 for commands and
 * software errors, vector 1 for the WQ.  Commands run when CMD is written
 * and are done when the write returns; one that asks for an interrupt
 * always gets it, whatever its status, since the guest's driver waits for
 * it without a timeout.
 *
 * Guest memory is reached only through vfio_dma_rw() and, for providers
 * served by slicebus's mediated path, vfio_pin_pages(): the slice's queue is
 * enabled with memory ops that go through them, so descriptors name IOVAs of
 * the user's container and nothing else.  The queue runs only while the
 * device and its WQ are enabled (ENABLE_DEVICE, ENABLE_WQ) and bus
 * mastering is on (PCI_COMMAND): a descriptor submitted with bus mastering
 * off is dropped at the portal, and clearing it stops the queue as
 * DISABLE_DEVICE does.
 *
 * The unmap fence.  vfio_dma_rw() is serialised with the unmap by type1's
 * lock: it reaches a mapping that still exists, or fails.  Pins are not:
 * type1 calls our dma_unmap for a mapping with pinned pages, then, once we
 * return, takes its lock again and removes the mapping if no page is
 * pinned any more, or calls us again (a BUG after ten calls).  So when the
 * user unmaps IOVA, the range is fenced: new pins there are refused (the
 * mediated path then copies through vfio_dma_rw() instead), and dma_unmap
 * waits until the descriptors holding pins there have completed and
 * unpinned them.  The fence stays up after dma_unmap returns, until the
 * mapping is seen to be gone (vfio_dma_rw() at its start finds no
 * mapping: type1 has removed it, and a mapping made there later is a new
 * one), because a pin taken between our return and type1's removal would
 * reach a page of the mapping being unmapped.  At most SBV_FENCES ranges
 * are fenced; past that they are merged into one that lasts until the
 * device is next opened.
 *
 * Locking: sbv_dev.lock (mutex) serialises region accesses, ioctls and
 * open/close; sbv_dev.irq_lock (spinlock) guards the eventfds and the error
 * registers, which the engine updates from its threads; sbv_dev.unmap_lock
 * (mutex) serialises dma_unmap calls, and sbv_dev.pin_lock (spinlock) the
 * pin list and the fences (checking a fence's mapping sleeps, so it is
 * done without pin_lock and the fence dropped only if it is still the one
 * checked).  The queue is enabled only while the user has it enabled and
 * bus mastering on, and the device is open; close, reset, removal and bus
 * master off disable it, which waits for executing descriptors, before
 * anything they use goes away.
 *
 * Lifetime: mdev probe creates the slice, then the vfio_device; remove
 * unregisters the vfio_device (waiting for the user to close it, after a
 * request notification), then destroys the slice.  Parent removal removes
 * every mdev through mdev_unregister_parent().
 */
#include <linux/delay.h>
#include <linux/eventfd.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/pci_ids.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/slicebus_dsa.h>
#include <linux/uuid.h>
#include <linux/vfio.h>

#include "slicebus/compat.h"
#include "vfio_dsa.h"

#define SBV_SHIFT		40
#define SBV_INDEX(off)		((off) >> SBV_SHIFT)
#define SBV_OFF(off)		((off) & ((1ULL << SBV_SHIFT) - 1))
#define SBV_REGION(i)		((u64)(i) << SBV_SHIFT)
#define SBV_CFG_SIZE		256
#define SBV_FENCES		8
#define SBV_DRAIN_MS		2000

struct sbv_parent;

struct sbv_type {
	struct mdev_type mtype;
	struct sbv_parent *p;
	unsigned int index;
};

struct sbv_parent {
	struct mdev_parent mdev_parent;
	struct slicebus_parent *parent;
	struct sbv_type types[SLICEBUS_MAX_TYPES];
	struct mdev_type *type_ptrs[SLICEBUS_MAX_TYPES];
};

struct sbv_dev {
	struct vfio_device vdev;
	struct slicebus_slice *slice;
	struct slicebus_dsa_queue_caps caps;
	struct slicebus_dsa_queue_cfg qcfg;
	struct mutex lock;		/* config, registers, portal, queue state */
	u8 config[SBV_CFG_SIZE];
	u8 wmask[SBV_CFG_SIZE];
	bool dev_enabled;		/* GENSTS: ENABLE_DEVICE done */
	bool wq_enabled;		/* ENABLE_WQ done */
	bool queue_on;			/* the slice's queue runs */
	s64 lost;			/* submitted - completed when it stopped */
	u32 gencfg;
	u32 cmd;			/* the last command */
	u32 cmdsts;
	u64 evlcfg[2];
	u64 msix_perm[SBV_NVEC];
	u64 msix[2 * SBV_NVEC];		/* MSI-X table (QEMU keeps its own) */
	u32 portal_status;
	u8 portal[SBV_PORTAL_PAGES * SBV_PORTAL_PAGE_SIZE];
	spinlock_t irq_lock;		/* the fields below */
	struct eventfd_ctx *trigger[SBV_NVEC];	/* MSI-X vectors */
	struct eventfd_ctx *req;
	u32 genctrl;
	u32 intcause;
	u64 swerr[4];
	struct mutex unmap_lock;	/* one dma_unmap at a time */
	spinlock_t pin_lock;		/* @pins, @fences, @nr_fences, @fence_seq */
	struct list_head pins;
	struct sbv_fence {		/* an unmapped range: no pins there */
		u64 start, end;
		u64 seq;		/* which fence, for a lock-free check */
		bool merged;		/* several ranges: lasts until open */
	} fences[SBV_FENCES];
	unsigned int nr_fences;
	u64 fence_seq;
	wait_queue_head_t pin_wq;
};

/* one range of IOVA pinned for the mediated path */
struct sbv_pin {
	struct list_head node;
	u64 start, end;
};

static struct mdev_driver sbv_mdev_driver;
static struct slicebus_driver sbv_driver;

/* ---- guest memory and interrupts (engine context) --------------------- */

static int sbv_mem_rw(void *priv, u64 addr, void *buf, size_t len, bool write)
{
	struct sbv_dev *s = priv;

	/* type1 advances the IOVA with wrap-around: past 2^64 is not IOVA 0 */
	if (len && addr + len - 1 < addr)
		return -EFAULT;
	return vfio_dma_rw(&s->vdev, addr, buf, len, write) ? -EFAULT : 0;
}

static struct sbv_pin *sbv_pin_find(struct sbv_dev *s, u64 start, u64 end,
				    bool exact)
{
	struct sbv_pin *p;

	lockdep_assert_held(&s->pin_lock);
	list_for_each_entry(p, &s->pins, node)
		if (exact ? p->start == start && p->end == end :
			    p->start < end && start < p->end)
			return p;
	return NULL;
}

static void sbv_pin_forget(struct sbv_dev *s, u64 start, u64 end)
{
	struct sbv_pin *p;

	spin_lock(&s->pin_lock);
	p = sbv_pin_find(s, start, end, true);
	if (p)
		list_del(&p->node);
	spin_unlock(&s->pin_lock);
	kfree(p);
	wake_up(&s->pin_wq);
}

static struct sbv_fence *sbv_fence_find(struct sbv_dev *s, u64 start, u64 end)
{
	unsigned int i;

	lockdep_assert_held(&s->pin_lock);
	for (i = 0; i < s->nr_fences; i++)
		if (s->fences[i].start < end && start < s->fences[i].end)
			return &s->fences[i];
	return NULL;
}

static void sbv_fence_drop(struct sbv_dev *s, u64 seq)
{
	unsigned int i;

	lockdep_assert_held(&s->pin_lock);
	for (i = 0; i < s->nr_fences; i++)
		if (s->fences[i].seq == seq && !s->fences[i].merged) {
			s->fences[i] = s->fences[--s->nr_fences];
			return;
		}
}

/*
 * Is the mapping a fence was raised for gone?  type1's vfio_dma_rw()
 * answers -EINVAL only when no mapping holds the address; any other answer
 * (the mapping still there, not readable, another mm) keeps the fence.
 */
static bool sbv_mapping_gone(struct sbv_dev *s, u64 iova)
{
	u8 byte;

	return vfio_dma_rw(&s->vdev, iova, &byte, 1, false) == -EINVAL;
}

/*
 * May [@start, @end) be pinned?  Not while a fence covers it whose mapping
 * still exists; fences whose mapping is gone are dropped on the way.
 * Called with pin_lock held; drops it while it asks VFIO and takes it again.
 */
static bool sbv_pin_allowed(struct sbv_dev *s, u64 start, u64 end)
	__must_hold(&s->pin_lock)
{
	struct sbv_fence *f;
	u64 at, seq;
	bool gone;

	for (;;) {
		f = sbv_fence_find(s, start, end);
		if (!f)
			return true;
		if (f->merged)
			return false;
		at = f->start;
		seq = f->seq;
		spin_unlock(&s->pin_lock);
		gone = sbv_mapping_gone(s, at);
		spin_lock(&s->pin_lock);
		if (!gone)
			return false;
		sbv_fence_drop(s, seq);
	}
}

static int sbv_mem_pin(void *priv, u64 iova, unsigned int npages, bool write,
		       struct page **pages)
{
	struct sbv_dev *s = priv;
	u64 end = iova + (u64)npages * PAGE_SIZE;
	struct sbv_pin *p;
	int ret;

	if (npages > VFIO_PIN_PAGES_MAX_ENTRIES || end < iova)
		return -E2BIG;
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->start = iova;
	p->end = end;
	/* recorded before pinning, so that an unmap waits for it */
	spin_lock(&s->pin_lock);
	if (!sbv_pin_allowed(s, iova, end)) {
		spin_unlock(&s->pin_lock);
		kfree(p);
		return -EBUSY;
	}
	list_add(&p->node, &s->pins);
	spin_unlock(&s->pin_lock);

	ret = vfio_pin_pages(&s->vdev, iova, npages,
			     IOMMU_READ | (write ? IOMMU_WRITE : 0), pages);
	if (ret == npages)
		return 0;
	if (ret > 0)
		vfio_unpin_pages(&s->vdev, iova, ret);
	sbv_pin_forget(s, iova, end);
	return ret < 0 ? ret : -EFAULT;
}

static void sbv_mem_unpin(void *priv, u64 iova, unsigned int npages)
{
	struct sbv_dev *s = priv;

	vfio_unpin_pages(&s->vdev, iova, npages);
	sbv_pin_forget(s, iova, iova + (u64)npages * PAGE_SIZE);
}

static const struct slicebus_dsa_mem_ops sbv_mem_ops = {
	.rw = sbv_mem_rw,
	.pin = sbv_mem_pin,
	.unpin = sbv_mem_unpin,
};

static bool sbv_pinned_in(struct sbv_dev *s, u64 start, u64 end)
{
	bool ret;

	spin_lock(&s->pin_lock);
	ret = sbv_pin_find(s, start, end, false);
	spin_unlock(&s->pin_lock);
	return ret;
}

/* Drop the fences whose mapping is gone, to make room for another. */
static void sbv_fences_collect(struct sbv_dev *s)
{
	u64 at[SBV_FENCES], seq[SBV_FENCES];
	unsigned int i, n = 0;

	lockdep_assert_held(&s->unmap_lock);
	spin_lock(&s->pin_lock);
	for (i = 0; i < s->nr_fences; i++) {
		if (s->fences[i].merged)
			continue;
		at[n] = s->fences[i].start;
		seq[n++] = s->fences[i].seq;
	}
	spin_unlock(&s->pin_lock);
	for (i = 0; i < n; i++) {
		if (!sbv_mapping_gone(s, at[i]))
			continue;
		spin_lock(&s->pin_lock);
		sbv_fence_drop(s, seq[i]);
		spin_unlock(&s->pin_lock);
	}
}

/* Fence [@start, @end); with the table full, merge it into the last one. */
static void sbv_fence_add(struct sbv_dev *s, u64 start, u64 end)
{
	struct sbv_fence *f;

	spin_lock(&s->pin_lock);
	if (s->nr_fences < SBV_FENCES) {
		f = &s->fences[s->nr_fences++];
		f->start = start;
		f->end = end;
		f->merged = false;
	} else {
		f = &s->fences[SBV_FENCES - 1];
		f->start = min(f->start, start);
		f->end = max(f->end, end);
		f->merged = true;
	}
	f->seq = ++s->fence_seq;
	spin_unlock(&s->pin_lock);
}

/*
 * The user unmaps [iova, iova + length), a mapping with pages we pinned:
 * fence it (no new pins there, until the mapping is gone: see the top of
 * the file), and wait for the descriptors holding pins there to complete
 * (bounded by the queue's completion time).
 */
static void sbv_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct sbv_dev *s = container_of(vdev, struct sbv_dev, vdev);
	u64 end = iova + length < iova ? U64_MAX : iova + length;

	mutex_lock(&s->unmap_lock);
	sbv_fences_collect(s);
	sbv_fence_add(s, iova, end);
	wait_event(s->pin_wq, !sbv_pinned_in(s, iova, end));
	mutex_unlock(&s->unmap_lock);
}

static void sbv_signal(struct sbv_dev *s, unsigned int vector)
{
	lockdep_assert_held(&s->irq_lock);
	if (vector < SBV_NVEC && s->trigger[vector])
		eventfd_signal(s->trigger[vector]);
}

/* A WQ completion with IDXD_OP_FLAG_RCI: the vector its int_handle names */
static void sbv_irq(void *priv, u16 int_handle)
{
	struct sbv_dev *s = priv;
	unsigned long flags;

	spin_lock_irqsave(&s->irq_lock, flags);
	sbv_signal(s, int_handle);
	spin_unlock_irqrestore(&s->irq_lock, flags);
}

/*
 * A software error: recorded in SWERR (the first one; later ones set the
 * overflow bit), INTCAUSE.ERR and vector 0 when GENCTRL enables it.
 */
static void sbv_swerr_locked(struct sbv_dev *s, u8 error, u8 op, u64 addr)
{
	lockdep_assert_held(&s->irq_lock);
	if (s->swerr[0] & SBV_SWERR_VALID) {
		s->swerr[0] |= SBV_SWERR_OVERFLOW;
	} else {
		s->swerr[0] = SBV_SWERR_VALID | SBV_SWERR_WQ_IDX_VALID |
			      (op ? SBV_SWERR_DESC_VALID : 0) |
			      ((u64)error << 8) | ((u64)op << 32);
		s->swerr[1] = 0;
		s->swerr[2] = addr;
		s->swerr[3] = 0;
	}
	if (s->genctrl & SBV_GENCTRL_SOFTERR_INT_EN) {
		s->intcause |= SBV_INTC_ERR;
		sbv_signal(s, 0);
	}
}

/* The engine could not write a completion record at @completion_addr. */
static void sbv_error(void *priv, u64 completion_addr)
{
	struct sbv_dev *s = priv;
	unsigned long flags;

	spin_lock_irqsave(&s->irq_lock, flags);
	sbv_swerr_locked(s, DSA_COMP_CRA_XLAT, 0, completion_addr);
	spin_unlock_irqrestore(&s->irq_lock, flags);
}

/*
 * The slice's hardware went away (slicebus_slice_revoke()): the WQ is off
 * for good.  WQCFG reads it disabled, the portal drops descriptors,
 * SBV_REG_SB_STATUS says revoked, a software error is raised; ask the user
 * to release the device, as removal does; the mdev stays until it is
 * removed.
 */
static void sbv_revoked(void *priv)
{
	struct sbv_dev *s = priv;
	unsigned long flags;

	spin_lock_irqsave(&s->irq_lock, flags);
	sbv_swerr_locked(s, DSA_COMP_HW_ERR1, 0, 0);
	if (s->req)
		eventfd_signal(s->req);
	spin_unlock_irqrestore(&s->irq_lock, flags);
	dev_notice(&s->vdev.device,
		   "its work queue went away: out of service, asking the user to release it\n");
}

/* ---- state ------------------------------------------------------------ */

static bool sbv_master(const struct sbv_dev *s)
{
	return s->config[PCI_COMMAND] & PCI_COMMAND_MASTER;
}

/* submitted - completed: batch members make it smaller than in flight */
static s64 sbv_queue_gap(struct sbv_dev *s)
{
	struct slicebus_dsa_queue_stats st;

	slicebus_dsa_queue_stats(s->slice, &st);
	return (s64)(st.submitted - st.completed);
}

static void sbv_queue_off(struct sbv_dev *s)
{
	lockdep_assert_held(&s->lock);
	if (s->queue_on) {
		slicebus_dsa_queue_disable(s->slice);
		/* what it dropped never completes */
		s->lost = sbv_queue_gap(s);
	}
	s->queue_on = false;
}

static int sbv_queue_on(struct sbv_dev *s)
{
	int ret = 0;

	lockdep_assert_held(&s->lock);
	if (!s->queue_on)
		ret = slicebus_dsa_queue_enable(s->slice, &s->qcfg);
	s->queue_on = !ret;
	return ret;
}

/*
 * The queue runs while the device and its WQ are enabled and bus
 * mastering is on: a device that may not master the bus does not touch
 * guest memory.  Stopping it waits for the descriptors executing and drops
 * the others.  A queue that cannot start leaves the WQ disabled.
 */
static int sbv_queue_sync(struct sbv_dev *s)
{
	int ret;

	if (s->dev_enabled && s->wq_enabled && sbv_master(s)) {
		ret = sbv_queue_on(s);
		if (ret)
			s->wq_enabled = false;
		return ret;
	}
	sbv_queue_off(s);
	return 0;
}

/*
 * DRAIN: wait until every descriptor submitted before has completed, its
 * record written and its interrupt raised, with the queue running.  The
 * counters tell: submitted - completed back to what it was when the queue
 * last stopped (a BATCH's members count as completed too, so a drain with
 * batches in flight may end early).  A queue that does not drain in
 * SBV_DRAIN_MS is stopped, its queued descriptors aborted, so that the
 * command ends.
 */
static void sbv_queue_drain(struct sbv_dev *s)
{
	unsigned long end = jiffies + msecs_to_jiffies(SBV_DRAIN_MS);

	lockdep_assert_held(&s->lock);
	if (!s->queue_on)
		return;
	while (sbv_queue_gap(s) > s->lost) {
		if (time_after(jiffies, end)) {
			dev_warn_ratelimited(&s->vdev.device,
					     "drain: not done in %u ms, aborting what is queued\n",
					     SBV_DRAIN_MS);
			sbv_queue_off(s);
			sbv_queue_sync(s);
			return;
		}
		usleep_range(100, 200);
	}
}

static void sbv_portal_clear(struct sbv_dev *s)
{
	memset(s->portal, 0, sizeof(s->portal));
	s->portal_status = SBV_PORTAL_OK;
}

/*
 * RESET_DEVICE, VFIO_DEVICE_RESET, open and close: the device and its WQ
 * disabled, nothing in flight, no error, no pending interrupt cause, the
 * configuration registers at their reset values.  The read-only WQ and
 * group configuration stays; config space and the MSI-X table are not
 * touched (open sets them up).
 */
static void sbv_reset(struct sbv_dev *s)
{
	unsigned long flags;

	lockdep_assert_held(&s->lock);
	s->dev_enabled = false;
	s->wq_enabled = false;
	sbv_queue_off(s);
	sbv_portal_clear(s);
	s->gencfg = 0;
	s->cmd = 0;
	s->cmdsts = 0;
	memset(s->evlcfg, 0, sizeof(s->evlcfg));
	memset(s->msix_perm, 0, sizeof(s->msix_perm));
	spin_lock_irqsave(&s->irq_lock, flags);
	s->genctrl = 0;
	s->intcause = 0;
	memset(s->swerr, 0, sizeof(s->swerr));
	spin_unlock_irqrestore(&s->irq_lock, flags);
}

static void sbv_put16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void sbv_put32(u8 *p, u32 v)
{
	sbv_put16(p, v);
	sbv_put16(p + 2, v >> 16);
}

static void sbv_init_config(struct sbv_dev *s)
{
	u8 *c = s->config, *m = s->wmask, *msix = c + SBV_PCI_MSIX_CAP;

	/* nothing of the previous user's (BARs, MSI-X state) */
	memset(s->config, 0, sizeof(s->config));
	memset(s->wmask, 0, sizeof(s->wmask));
	memset(s->msix, 0, sizeof(s->msix));
	sbv_put16(c + PCI_VENDOR_ID, PCI_VENDOR_ID_INTEL);
	sbv_put16(c + PCI_DEVICE_ID, SBV_PCI_DEVICE_ID_DSA);
	sbv_put16(c + PCI_STATUS, PCI_STATUS_CAP_LIST);
	c[PCI_REVISION_ID] = SBV_PCI_REVISION;
	sbv_put16(c + PCI_CLASS_DEVICE, SBV_PCI_CLASS >> 8);
	c[PCI_CLASS_PROG] = SBV_PCI_CLASS & 0xff;
	c[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	sbv_put32(c + PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_MEM_TYPE_64);
	sbv_put32(c + PCI_BASE_ADDRESS_2, PCI_BASE_ADDRESS_MEM_TYPE_64);
	sbv_put16(c + PCI_SUBSYSTEM_VENDOR_ID, PCI_VENDOR_ID_INTEL);
	sbv_put16(c + PCI_SUBSYSTEM_ID, 0);
	c[PCI_CAPABILITY_LIST] = SBV_PCI_MSIX_CAP;
	c[PCI_INTERRUPT_PIN] = 0;		/* no INTx */

	msix[PCI_CAP_LIST_ID] = PCI_CAP_ID_MSIX;
	msix[PCI_CAP_LIST_NEXT] = 0;
	sbv_put16(msix + PCI_MSIX_FLAGS, SBV_NVEC - 1);
	sbv_put32(msix + PCI_MSIX_TABLE, SBV_MSIX_TABLE);	/* BIR 0 */
	sbv_put32(msix + PCI_MSIX_PBA, SBV_MSIX_PBA);		/* BIR 0 */

	/* what a driver may change; BARs are handled apart */
	sbv_put16(m + PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		  PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		  PCI_COMMAND_INTX_DISABLE);
	m[PCI_CACHE_LINE_SIZE] = 0xff;
	m[PCI_LATENCY_TIMER] = 0xff;
	m[PCI_INTERRUPT_LINE] = 0xff;
	sbv_put16(m + SBV_PCI_MSIX_CAP + PCI_MSIX_FLAGS,
		  PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
}

/* ---- config space ----------------------------------------------------- */

static void sbv_cfg_write(struct sbv_dev *s, unsigned int off, u32 val,
			  unsigned int size)
{
	unsigned int i, bar;

	if (off >= PCI_BASE_ADDRESS_0 && off < PCI_BASE_ADDRESS_5 + 4) {
		/*
		 * BAR0 (registers) and BAR2 (portals): 64-bit memory BARs,
		 * BAR1 and BAR3 their upper halves; BAR4 and BAR5 absent
		 */
		bar = (off - PCI_BASE_ADDRESS_0) / 4;
		if (size != 4 || (off & 3))
			return;
		if (bar == 0)
			val = (val & ~(u32)(SBV_BAR0_SIZE - 1)) |
			      PCI_BASE_ADDRESS_MEM_TYPE_64;
		else if (bar == 2)
			val = (val & ~(u32)(SBV_BAR2_SIZE - 1)) |
			      PCI_BASE_ADDRESS_MEM_TYPE_64;
		else if (bar != 1 && bar != 3)
			val = 0;
		sbv_put32(s->config + off, val);
		return;
	}
	for (i = 0; i < size && off + i < SBV_CFG_SIZE; i++) {
		u8 m = s->wmask[off + i];

		s->config[off + i] = (s->config[off + i] & ~m) |
				     ((val >> (8 * i)) & m);
	}
	/* bus master on or off: start or stop the queue */
	if (off <= PCI_COMMAND && off + size > PCI_COMMAND)
		sbv_queue_sync(s);
}

/* ---- BAR0: the DSA register file --------------------------------------- */

static u64 sbv_gencap(const struct sbv_dev *s)
{
	return SBV_GENCAP_EVL_SUPPORT |
	       ((u64)ilog2(max(s->caps.max_xfer, 1U)) << 16) |
	       ((u64)ilog2(max(s->caps.max_batch, 1U)) << 21);
}

/* WQCFG dword @dw of WQ 0 */
static u32 sbv_wqcfg(const struct sbv_dev *s, unsigned int dw)
{
	switch (dw) {
	case 0:
		return s->caps.size;			/* wq_size */
	case 2:
		return SBV_WQCFG_MODE_DEDICATED | (SBV_WQ_PRIORITY << 4);
	case 3:
		return ilog2(max(s->caps.max_xfer, 1U)) |
		       (ilog2(max(s->caps.max_batch, 1U)) << 5);
	case 6:
		return (s->queue_on && !slicebus_slice_revoked(s->slice) ?
			SBV_WQ_STATE_ENABLED : 0) << 30;
	}
	return 0;
}

/* The 64-bit word at @off (8-aligned) of BAR0. */
static u64 sbv_reg_read(struct sbv_dev *s, unsigned int off)
{
	struct slicebus_dsa_queue_stats st;
	unsigned long flags;
	u64 v;

	switch (off) {
	case SBV_REG_VERSION:
		return SBV_VERSION;
	case SBV_REG_GENCAP:
		return sbv_gencap(s);
	case SBV_REG_WQCAP:
		return s->caps.size | (1ULL << 16) | SBV_WQCAP_DEDICATED;
	case SBV_REG_GRPCAP:
	case SBV_REG_ENGCAP:
		return 1;			/* one group, one engine */
	case SBV_REG_OPCAP ... SBV_REG_OPCAP + 24:
		return bitmap_read(s->caps.opcodes, (off - SBV_REG_OPCAP) * 8, 64);
	case SBV_REG_OFFSETS:
		return (SBV_GRPCFG / 0x100) | ((SBV_WQCFG / 0x100) << 16) |
		       ((u64)(SBV_MSIX_PERM / 0x100) << 32);
	case SBV_REG_GENCFG:
		return s->gencfg;
	case SBV_REG_GENCTRL:
		return s->genctrl;
	case SBV_REG_GENSTS:
		return s->dev_enabled ? SBV_GENSTS_ENABLED : 0;
	case SBV_REG_INTCAUSE:
		spin_lock_irqsave(&s->irq_lock, flags);
		v = s->intcause;
		spin_unlock_irqrestore(&s->irq_lock, flags);
		return v;
	case SBV_REG_CMD:
		return s->cmd;
	case SBV_REG_CMDSTS:
		return s->cmdsts;
	case SBV_REG_SWERR ... SBV_REG_SWERR + 24:
		spin_lock_irqsave(&s->irq_lock, flags);
		v = s->swerr[(off - SBV_REG_SWERR) / 8];
		spin_unlock_irqrestore(&s->irq_lock, flags);
		return v;
	case SBV_REG_EVLCFG:
	case SBV_REG_EVLCFG + 8:
		return s->evlcfg[(off - SBV_REG_EVLCFG) / 8];
	case SBV_MSIX_PERM ... SBV_MSIX_PERM + 8 * (SBV_NVEC - 1):
		return s->msix_perm[(off - SBV_MSIX_PERM) / 8];
	case SBV_GRPCFG:			/* WQs of group 0: WQ 0 */
	case SBV_GRPCFG + 32:			/* engines of group 0: engine 0 */
		return 1;
	case SBV_WQCFG ... SBV_WQCFG + SBV_WQCFG_SIZE - 8:
		return sbv_wqcfg(s, (off - SBV_WQCFG) / 4) |
		       (u64)sbv_wqcfg(s, (off - SBV_WQCFG) / 4 + 1) << 32;
	case SBV_REG_SB_STATUS:
		return s->portal_status |
		       (u64)(slicebus_slice_revoked(s->slice) ?
			     SBV_SB_REVOKED : 0) << 32;
	case SBV_REG_SB_SUBMITTED:
	case SBV_REG_SB_REFUSED:
	case SBV_REG_SB_COMPLETED:
		slicebus_dsa_queue_stats(s->slice, &st);
		return off == SBV_REG_SB_SUBMITTED ? st.submitted :
		       off == SBV_REG_SB_REFUSED ? st.refused : st.completed;
	case SBV_MSIX_TABLE ... SBV_MSIX_TABLE + 16 * SBV_NVEC - 8:
		return s->msix[(off - SBV_MSIX_TABLE) / 8];
	}
	return 0;
}

/*
 * A command written to CMD: run at once; CMDSTS holds its status before
 * the write returns (never ACTIVE).  With the interrupt request bit,
 * INTCAUSE.CMD and vector 0 follow, for every command, failed or not: the
 * guest's driver sleeps until that interrupt and would wait forever.
 */
static void sbv_command(struct sbv_dev *s, u32 val)
{
	unsigned int op = (val >> SBV_CMD_SHIFT) & 0x1f;
	u32 operand = val & SBV_CMD_OPERAND;
	unsigned long flags;
	u32 st = SBV_CMDSTS_SUCCESS;

	s->cmd = val;
	switch (op) {
	case SBV_CMD_RESET_DEVICE:
		sbv_reset(s);
		s->cmd = val;
		break;
	case SBV_CMD_ENABLE_DEVICE:
		if (s->dev_enabled)
			st = SBV_CMDSTS_ERR_DEV_ENABLED;
		else if (!sbv_master(s))
			st = SBV_CMDSTS_ERR_BUSMASTER_EN;
		else
			s->dev_enabled = true;
		break;
	case SBV_CMD_DISABLE_DEVICE:
		if (!s->dev_enabled) {
			st = SBV_CMDSTS_ERR_DIS_DEV_EN;
			break;
		}
		s->dev_enabled = false;
		s->wq_enabled = false;
		sbv_queue_sync(s);
		sbv_portal_clear(s);
		break;
	case SBV_CMD_ENABLE_WQ:
		if (!s->dev_enabled) {
			st = SBV_CMDSTS_ERR_DEV_NOTEN;
		} else if (operand != 0) {
			st = SBV_CMDSTS_INVAL_WQIDX;
		} else if (s->wq_enabled) {
			st = SBV_CMDSTS_ERR_WQ_ENABLED;
		} else if (slicebus_slice_revoked(s->slice)) {
			st = SBV_CMDSTS_HW_ERR;
		} else {
			s->wq_enabled = true;
			if (sbv_queue_sync(s))
				st = SBV_CMDSTS_HW_ERR;
		}
		break;
	case SBV_CMD_DISABLE_WQ:
	case SBV_CMD_RESET_WQ:
	case SBV_CMD_DRAIN_WQ:
	case SBV_CMD_ABORT_WQ:
		/* a bit mask of WQs: WQ 0 is the only one */
		if (operand & ~1U) {
			st = SBV_CMDSTS_INVAL_WQIDX;
			break;
		}
		if (!(operand & 1))
			break;
		fallthrough;
	case SBV_CMD_DRAIN_ALL:
	case SBV_CMD_ABORT_ALL:
	case SBV_CMD_DRAIN_PASID:
	case SBV_CMD_ABORT_PASID:
		if (op == SBV_CMD_DRAIN_WQ || op == SBV_CMD_DRAIN_ALL ||
		    op == SBV_CMD_DRAIN_PASID) {
			sbv_queue_drain(s);
			break;
		}
		/*
		 * Stopping the queue waits for the descriptors executing and
		 * drops the queued ones (no record written: they are aborted);
		 * an abort then lets the WQ go on.
		 */
		if (op == SBV_CMD_DISABLE_WQ || op == SBV_CMD_RESET_WQ)
			s->wq_enabled = false;
		sbv_queue_off(s);
		sbv_portal_clear(s);
		sbv_queue_sync(s);
		break;
	default:
		/* interrupt handles (CMDCAP says none) and the unknown */
		st = SBV_CMDSTS_INVAL_CMD;
		break;
	}
	s->cmdsts = st;
	if (!(val & SBV_CMD_INT_REQ))
		return;
	spin_lock_irqsave(&s->irq_lock, flags);
	s->intcause |= SBV_INTC_CMD;
	sbv_signal(s, 0);
	spin_unlock_irqrestore(&s->irq_lock, flags);
}

/* A write of @val under @mask to the 64-bit word at @off (8-aligned). */
static void sbv_reg_write(struct sbv_dev *s, unsigned int off, u64 val,
			  u64 mask)
{
	unsigned long flags;
	u64 *p;

	switch (off) {
	case SBV_REG_GENCFG:
		if (mask & 0xffffffff)
			s->gencfg = val & SBV_GENCFG_WMASK;
		return;
	case SBV_REG_GENCTRL:
		if (!(mask & 0xffffffff))
			return;
		spin_lock_irqsave(&s->irq_lock, flags);
		s->genctrl = val & SBV_GENCTRL_WMASK;
		spin_unlock_irqrestore(&s->irq_lock, flags);
		return;
	case SBV_REG_INTCAUSE:			/* write 1 to clear */
		spin_lock_irqsave(&s->irq_lock, flags);
		s->intcause &= ~(u32)(val & mask);
		spin_unlock_irqrestore(&s->irq_lock, flags);
		return;
	case SBV_REG_CMD:
		if (mask & 0xffffffff)
			sbv_command(s, val);
		return;
	case SBV_REG_SWERR:			/* valid, overflow: W1C */
		spin_lock_irqsave(&s->irq_lock, flags);
		s->swerr[0] &= ~(val & mask & (SBV_SWERR_VALID | SBV_SWERR_OVERFLOW));
		if (!(s->swerr[0] & SBV_SWERR_VALID))
			memset(s->swerr, 0, sizeof(s->swerr));
		spin_unlock_irqrestore(&s->irq_lock, flags);
		return;
	case SBV_REG_EVLCFG:
	case SBV_REG_EVLCFG + 8:
		p = &s->evlcfg[(off - SBV_REG_EVLCFG) / 8];
		break;
	case SBV_MSIX_PERM ... SBV_MSIX_PERM + 8 * (SBV_NVEC - 1):
		p = &s->msix_perm[(off - SBV_MSIX_PERM) / 8];
		break;
	case SBV_MSIX_TABLE ... SBV_MSIX_TABLE + 16 * SBV_NVEC - 8:
		p = &s->msix[(off - SBV_MSIX_TABLE) / 8];
		break;
	default:
		/* read-only: capabilities, WQ and group configuration */
		return;
	}
	*p = (*p & ~mask) | (val & mask);
}

/* ---- BAR2: the WQ's portals -------------------------------------------- */

/* Submit the descriptor assembled in portal slot @slot. */
static int sbv_portal_submit(struct sbv_dev *s, unsigned int slot)
{
	struct dsa_hw_desc desc;
	int ret;

	memcpy(&desc, s->portal + slot * SBV_PORTAL_SLOT, sizeof(desc));
	memset(s->portal + slot * SBV_PORTAL_SLOT, 0, SBV_PORTAL_SLOT);
	if (s->dev_enabled && s->wq_enabled && !sbv_master(s)) {
		s->portal_status = SBV_PORTAL_NO_MASTER;
		return -EAGAIN;
	}
	if (!s->queue_on) {
		s->portal_status = SBV_PORTAL_DISABLED;
		return -EAGAIN;
	}
	ret = slicebus_dsa_queue_submit(s->slice, &desc);
	s->portal_status = !ret ? SBV_PORTAL_OK :
			   ret == -ENOSPC ? SBV_PORTAL_FULL : SBV_PORTAL_DISABLED;
	return ret ? -EAGAIN : 0;
}

/*
 * One access of @size bytes at @off of region @index, data in @buf (little
 * endian, as the PCI device it models).
 */
static int sbv_access(struct sbv_dev *s, unsigned int index, u64 off,
		      u8 *buf, unsigned int size, bool write)
{
	unsigned int shift = 8 * (off & 4);
	__le64 le = 0;
	u64 val, mask;
	int ret = 0;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		if (off + size > SBV_CFG_SIZE)
			return -EINVAL;
		if (write) {
			memcpy(&le, buf, size);
			sbv_cfg_write(s, off, le64_to_cpu(le), size);
		} else {
			memcpy(buf, s->config + off, size);
		}
		return 0;
	case VFIO_PCI_BAR0_REGION_INDEX:
		if (off + size > SBV_BAR0_SIZE || (size != 4 && size != 8) ||
		    (off & (size - 1)))
			return -EINVAL;
		mask = size == 8 ? ~0ULL : 0xffffffffULL << shift;
		if (write) {
			memcpy(&le, buf, size);
			val = le64_to_cpu(le) << (size == 8 ? 0 : shift);
			sbv_reg_write(s, off & ~7ULL, val, mask);
		} else {
			val = sbv_reg_read(s, off & ~7ULL);
			le = cpu_to_le64(size == 8 ? val : (u32)(val >> shift));
			memcpy(buf, &le, size);
		}
		return 0;
	case VFIO_PCI_BAR2_REGION_INDEX:
		if (off + size > SBV_BAR2_SIZE ||
		    (size != 4 && size != 8 && size != SBV_PORTAL_SLOT) ||
		    (off & (size - 1)))
			return -EINVAL;
		/* WQ 0's unlimited and limited portals; the rest reads 0 */
		if (!write || off >= sizeof(s->portal)) {
			if (!write)
				memset(buf, 0, size);
			return 0;
		}
		memcpy(s->portal + off, buf, size);
		if ((off + size) % SBV_PORTAL_SLOT == 0)
			ret = sbv_portal_submit(s, off / SBV_PORTAL_SLOT);
		return ret;
	}
	return -EINVAL;
}

static ssize_t sbv_rw(struct sbv_dev *s, char __user *ubuf, size_t count,
		      loff_t *ppos, bool write)
{
	unsigned int index = SBV_INDEX(*ppos);
	u64 off = SBV_OFF(*ppos);
	size_t done = 0;
	u8 buf[SBV_PORTAL_SLOT];
	int ret = 0;

	mutex_lock(&s->lock);
	while (done < count) {
		unsigned int size;

		/* the largest naturally aligned access that fits */
		if (index == VFIO_PCI_BAR2_REGION_INDEX &&
		    count - done >= SBV_PORTAL_SLOT &&
		    !(off % SBV_PORTAL_SLOT))
			size = SBV_PORTAL_SLOT;
		else if (count - done >= 8 && !(off & 7) &&
			 index != VFIO_PCI_CONFIG_REGION_INDEX)
			size = 8;
		else if (count - done >= 4 && !(off & 3))
			size = 4;
		else if (count - done >= 2 && !(off & 1))
			size = 2;
		else
			size = 1;
		if (write && copy_from_user(buf, ubuf + done, size)) {
			ret = -EFAULT;
			break;
		}
		ret = sbv_access(s, index, off, buf, size, write);
		if (ret)
			break;
		if (!write && copy_to_user(ubuf + done, buf, size)) {
			ret = -EFAULT;
			break;
		}
		done += size;
		off += size;
	}
	mutex_unlock(&s->lock);
	if (!done && ret)
		return ret;
	*ppos += done;
	return done;
}

static ssize_t sbv_read(struct vfio_device *vdev, char __user *buf,
			size_t count, loff_t *ppos)
{
	return sbv_rw(container_of(vdev, struct sbv_dev, vdev), buf, count,
		      ppos, false);
}

static ssize_t sbv_write(struct vfio_device *vdev, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	return sbv_rw(container_of(vdev, struct sbv_dev, vdev),
		      (char __user *)buf, count, ppos, true);
}

/* ---- ioctls ----------------------------------------------------------- */

static u64 sbv_region_size(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return SBV_CFG_SIZE;
	case VFIO_PCI_BAR0_REGION_INDEX:
		return SBV_BAR0_SIZE;
	case VFIO_PCI_BAR2_REGION_INDEX:
		return SBV_BAR2_SIZE;
	}
	return 0;
}

static unsigned int sbv_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return SBV_NVEC;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;		/* no INTx, no MSI */
}

/* Replace *@slot with the eventfd @fd (-1: none); irq_lock taken here. */
static int sbv_set_eventfd(struct sbv_dev *s, struct eventfd_ctx **slot,
			   s32 fd)
{
	struct eventfd_ctx *ctx = NULL, *old;
	unsigned long flags;

	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	spin_lock_irqsave(&s->irq_lock, flags);
	old = *slot;
	*slot = ctx;
	spin_unlock_irqrestore(&s->irq_lock, flags);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

static int sbv_set_irqs(struct sbv_dev *s, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	s32 fds[SBV_NVEC] = { -1, -1 };
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	unsigned long flags;
	unsigned int i;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 sbv_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	/* validated: start + count <= the index's count, data fits */
	if ((hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD) && data_size &&
	    copy_from_user(fds, (void __user *)(arg + minsz), data_size))
		return -EFAULT;

	if (hdr.index == VFIO_PCI_REQ_IRQ_INDEX) {
		if (!(hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD))
			return hdr.count ? -EINVAL : sbv_set_eventfd(s, &s->req, -1);
		return sbv_set_eventfd(s, &s->req, fds[0]);
	}
	if (hdr.index != VFIO_PCI_MSIX_IRQ_INDEX)
		return -EINVAL;

	if (hdr.flags & VFIO_IRQ_SET_DATA_NONE) {
		if (!hdr.count) {	/* MSI-X off */
			for (i = 0; i < SBV_NVEC; i++)
				sbv_set_eventfd(s, &s->trigger[i], -1);
			return 0;
		}
		spin_lock_irqsave(&s->irq_lock, flags);	/* test interrupts */
		for (i = hdr.start; i < hdr.start + hdr.count; i++)
			sbv_signal(s, i);
		spin_unlock_irqrestore(&s->irq_lock, flags);
		return 0;
	}
	if (!(hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD))
		return -EINVAL;		/* no BOOL data for MSI-X */
	for (i = 0; i < hdr.count; i++) {
		ret = sbv_set_eventfd(s, &s->trigger[hdr.start + i], fds[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* VFIO_DEVICE_GET_REGION_INFO: the PCI regions of the device model, no caps */
static int sbv_region_info(struct vfio_device *vdev,
			   struct vfio_region_info *info,
			   struct vfio_info_cap *caps)
{
	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info->offset = SBV_REGION(info->index);
	info->size = sbv_region_size(info->index);
	info->flags = info->size ? VFIO_REGION_INFO_FLAG_READ |
				   VFIO_REGION_INFO_FLAG_WRITE : 0;
	info->cap_offset = 0;
	return 0;
}

static long sbv_ioctl(struct vfio_device *vdev, unsigned int cmd,
		      unsigned long arg)
{
	struct sbv_dev *s = container_of(vdev, struct sbv_dev, vdev);
	void __user *uarg = (void __user *)arg;
	unsigned long minsz;
	long ret;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO: {
		struct vfio_device_info info;

		minsz = offsetofend(struct vfio_device_info, num_irqs);
		if (copy_from_user(&info, uarg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
		info.num_regions = VFIO_PCI_NUM_REGIONS;
		info.num_irqs = VFIO_PCI_NUM_IRQS;
		return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
	}
	case VFIO_DEVICE_GET_REGION_INFO:
		/* the vfio core answers it on kernels that have the op */
		return sb_vfio_region_info_ioctl(vdev, uarg, sbv_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO: {
		struct vfio_irq_info info;

		minsz = offsetofend(struct vfio_irq_info, count);
		if (copy_from_user(&info, uarg, minsz))
			return -EFAULT;
		if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
			return -EINVAL;
		info.count = sbv_irq_count(info.index);
		info.flags = info.count ? VFIO_IRQ_INFO_EVENTFD |
					  VFIO_IRQ_INFO_NORESIZE : 0;
		return copy_to_user(uarg, &info, minsz) ? -EFAULT : 0;
	}
	case VFIO_DEVICE_SET_IRQS:
		mutex_lock(&s->lock);
		ret = sbv_set_irqs(s, arg);
		mutex_unlock(&s->lock);
		return ret;
	case VFIO_DEVICE_RESET:
		mutex_lock(&s->lock);
		sbv_reset(s);
		mutex_unlock(&s->lock);
		return 0;
	}
	return -ENOTTY;
}

/* ---- vfio_device ------------------------------------------------------ */

static int sbv_open(struct vfio_device *vdev)
{
	struct sbv_dev *s = container_of(vdev, struct sbv_dev, vdev);

	/* not on the container's device list until now: no dma_unmap runs */
	mutex_lock(&s->unmap_lock);
	spin_lock(&s->pin_lock);
	s->nr_fences = 0;
	spin_unlock(&s->pin_lock);
	mutex_unlock(&s->unmap_lock);
	mutex_lock(&s->lock);
	sbv_reset(s);
	sbv_init_config(s);
	mutex_unlock(&s->lock);
	return 0;
}

static void sbv_close(struct vfio_device *vdev)
{
	struct sbv_dev *s = container_of(vdev, struct sbv_dev, vdev);
	unsigned int i;

	mutex_lock(&s->lock);
	sbv_reset(s);
	mutex_unlock(&s->lock);
	for (i = 0; i < SBV_NVEC; i++)
		sbv_set_eventfd(s, &s->trigger[i], -1);
	sbv_set_eventfd(s, &s->req, -1);
}

static void sbv_request(struct vfio_device *vdev, unsigned int count)
{
	struct sbv_dev *s = container_of(vdev, struct sbv_dev, vdev);
	unsigned long flags;

	spin_lock_irqsave(&s->irq_lock, flags);
	if (s->req) {
		if (!(count % 10))
			dev_notice_ratelimited(&vdev->device,
					       "asking the user to release the device (%u)\n",
					       count);
		eventfd_signal(s->req);
	} else if (!count) {
		dev_notice(&vdev->device,
			   "no request channel: blocked until the user releases the device\n");
	}
	spin_unlock_irqrestore(&s->irq_lock, flags);
}

static int sbv_init_dev(struct vfio_device *vdev)
{
	struct sbv_dev *s = container_of(vdev, struct sbv_dev, vdev);

	mutex_init(&s->lock);
	spin_lock_init(&s->irq_lock);
	mutex_init(&s->unmap_lock);
	spin_lock_init(&s->pin_lock);
	INIT_LIST_HEAD(&s->pins);
	init_waitqueue_head(&s->pin_wq);
	s->qcfg.mem = &sbv_mem_ops;
	s->qcfg.mem_priv = s;
	s->qcfg.irq = sbv_irq;
	s->qcfg.error = sbv_error;
	s->qcfg.revoked = sbv_revoked;
	s->qcfg.priv = s;
	return 0;
}

static void sbv_release_dev(struct vfio_device *vdev)
{
	struct sbv_dev *s = container_of(vdev, struct sbv_dev, vdev);

	WARN_ON(!list_empty(&s->pins));
	mutex_destroy(&s->unmap_lock);
	mutex_destroy(&s->lock);
}

static const struct vfio_device_ops sbv_dev_ops = {
	.name = "slicebus-vfio",
	.init = sbv_init_dev,
	.release = sbv_release_dev,
	.open_device = sbv_open,
	.close_device = sbv_close,
	.read = sbv_read,
	.write = sbv_write,
	.ioctl = sbv_ioctl,
	SB_VFIO_REGION_INFO_OP(sbv_region_info)
	.request = sbv_request,
	.dma_unmap = sbv_dma_unmap,
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
};

/* ---- mdev ------------------------------------------------------------- */

static int sbv_mdev_probe(struct mdev_device *mdev)
{
	struct sbv_type *t = container_of(mdev->type, struct sbv_type, mtype);
	struct netlink_ext_ack ext = {};
	struct slicebus_slice *slice;
	char uuid[UUID_STRING_LEN + 1];
	struct sbv_dev *s;
	int ret;

	snprintf(uuid, sizeof(uuid), "%pUl", &mdev->uuid);
	slice = slicebus_slice_create(t->p->parent, t->index,
				      &sbv_driver, uuid,
				      SLICEBUS_SLICE_BACKEND_OWNED,
				      &mdev->dev, &ext);
	if (IS_ERR(slice)) {
		dev_info(&mdev->dev, "no slice: %s\n",
			 ext._msg ?: "refused");
		return PTR_ERR(slice);
	}
	s = vfio_alloc_device(sbv_dev, vdev, &mdev->dev, &sbv_dev_ops);
	if (IS_ERR(s)) {
		slicebus_slice_destroy(slice);
		return PTR_ERR(s);
	}
	s->slice = slice;
	slicebus_dsa_queue_caps(slice, &s->caps);
	sbv_init_config(s);
	ret = vfio_register_emulated_iommu_dev(&s->vdev);
	if (ret) {
		vfio_put_device(&s->vdev);
		slicebus_slice_destroy(slice);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, s);
	return 0;
}

static void sbv_mdev_remove(struct mdev_device *mdev)
{
	struct sbv_dev *s = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&s->vdev);	/* waits for the user */
	slicebus_slice_destroy(s->slice);
	vfio_put_device(&s->vdev);
}

static unsigned int sbv_get_available(struct mdev_type *mtype)
{
	struct sbv_type *t = container_of(mtype, struct sbv_type, mtype);

	return min_t(u64, slicebus_available(t->p->parent, t->index,
					     &sbv_driver), UINT_MAX);
}

static ssize_t sbv_show_description(struct mdev_type *mtype, char *buf)
{
	struct sbv_type *t = container_of(mtype, struct sbv_type, mtype);
	const struct slicebus_type_info *info =
		slicebus_parent_type(t->p->parent, t->index);

	return sysfs_emit(buf, "%s; a virtual Intel DSA (8086:0b25) with one dedicated WQ\n",
			  info->description ?: info->name);
}

static struct mdev_driver sbv_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "slicebus_vfio",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = sbv_mdev_probe,
	.remove = sbv_mdev_remove,
	.get_available = sbv_get_available,
	.show_description = sbv_show_description,
};

/* ---- slicebus backend ------------------------------------------------- */

static int sbv_parent_add(struct slicebus_parent *parent)
{
	unsigned int t, n = slicebus_parent_nr_types(parent);
	struct sbv_parent *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->parent = parent;
	for (t = 0; t < n; t++) {
		p->types[t].p = p;
		p->types[t].index = t;
		p->types[t].mtype.sysfs_name = slicebus_parent_type(parent, t)->name;
		p->types[t].mtype.pretty_name = slicebus_parent_type(parent, t)->name;
		p->type_ptrs[t] = &p->types[t].mtype;
	}
	ret = mdev_register_parent(&p->mdev_parent,
				   slicebus_parent_host_device(parent),
				   &sbv_mdev_driver, p->type_ptrs, n);
	if (ret) {
		kfree(p);
		return ret;
	}
	slicebus_parent_set_backend_data(parent, &sbv_driver, p);
	return 0;
}

static void sbv_parent_remove(struct slicebus_parent *parent)
{
	struct sbv_parent *p =
		slicebus_parent_backend_data(parent, &sbv_driver);

	mdev_unregister_parent(&p->mdev_parent);	/* removes every mdev */
	slicebus_parent_set_backend_data(parent, &sbv_driver, NULL);
	kfree(p);
}

static int sbv_slice_probe(struct slicebus_slice *slice)
{
	strscpy(slice->handle, slicebus_slice_name(slice));
	return 0;
}

static struct slicebus_slice *sbv_slice_add(struct slicebus_parent *parent,
					    const char *type, const char *name,
					    const struct slicebus_options *opts,
					    struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "vfio slices are mdevs: create them through mdev (slicectl does)");
	return ERR_PTR(-EOPNOTSUPP);
}

static int sbv_slice_del(struct slicebus_slice *slice,
			 struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "vfio slices are mdevs: remove them through mdev (slicectl does)");
	return -EOPNOTSUPP;
}

static const char *const sbv_classes[] = { SLICEBUS_CLASS_DSA, NULL };

static struct slicebus_driver sbv_driver = {
	.name = "vfio",
	.classes = sbv_classes,
	.probe = sbv_slice_probe,
	.parent_add = sbv_parent_add,
	.parent_remove = sbv_parent_remove,
	.slice_add = sbv_slice_add,
	.slice_del = sbv_slice_del,
	.driver.name = "slicebus_vfio",
};

static int __init sbv_init(void)
{
	int ret = mdev_register_driver(&sbv_mdev_driver);

	if (ret)
		return ret;
	ret = slicebus_driver_register(&sbv_driver);
	if (ret)
		mdev_unregister_driver(&sbv_mdev_driver);
	return ret;
}

static void __exit sbv_exit(void)
{
	slicebus_driver_unregister(&sbv_driver);
	mdev_unregister_driver(&sbv_mdev_driver);
}

module_init(sbv_init);
module_exit(sbv_exit);
MODULE_DESCRIPTION("slicebus VFIO backend: slices as vfio-pci mdevs");
MODULE_LICENSE("GPL");
