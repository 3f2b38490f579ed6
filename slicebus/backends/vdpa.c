// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus_vdpa: slices as vDPA virtio-net devices whose payload copies are
 * done by the slice's engine.
 *
 * Every slicebus parent is a vdpa management device (class net), so the
 * vdpa tool's "vdpa dev add name N mgmtdev sim0" allocates a slice of the
 * parent's default vdpa type through the accountant and creates a
 * virtio-net device; "slicectl slice add ... backend vdpa" does the same
 * for any type.  The device is a loopback: what the driver transmits comes
 * back on its receive queue.  The CPU walks the split rings and writes the
 * 12-byte virtio-net headers; every payload byte is moved by MEMMOVE
 * descriptors on the slice's work queue.
 *
 * Addresses.  The device reaches only memory its driver mapped, in one of
 * two maps:
 *
 *  - the user map: what vhost_vdpa maps for its (untrusted) user through
 *    dma_map, IOVAs below SBVD_KBASE.  It is empty when the device is
 *    created and after every reset that cleans the map; an address outside
 *    it completes the request as an error.  dma_map takes a reference on
 *    every page it maps and dma_unmap drops them, because vhost_vdpa unpins
 *    a range before it unmaps it from the device; each copy holds its own
 *    reference on the page it copies.
 *  - the kernel map: the device's own DMA API (sbvd_dma_ops on the vdpa
 *    device, which is its dma_dev), which a kernel driver such as
 *    virtio_vdpa uses for its rings and buffers.  Every dma_map_page() or
 *    dma_alloc_coherent() adds exactly the range mapped, at SBVD_KBASE plus
 *    its physical address, and unmapping removes it again; there is no
 *    identity map of memory.  While the kernel map holds anything, dma_map
 *    is refused, so no vhost user shares the device with a kernel driver.
 *    A kernel without CONFIG_ARCH_HAS_DMA_OPS cannot give a device DMA ops
 *    of its own (set_dma_ops() does nothing there); the kernel map then
 *    stays empty, and a kernel driver is refused when it sets FEATURES_OK
 *    (its probe fails with "device refuses features") instead of having
 *    every request fail.  Only vhost_vdpa can use the device then.  The
 *    kernel_dma parameter turns kernel drivers away on any kernel.
 *
 * The slice's queue is enabled with memory ops that translate through
 * these maps; descriptors the backend builds put their completion records
 * in its own memory, named by SBVD_KTAG addresses that no map can hold
 * (the advertised IOVA range stops below SBVD_KBASE).
 *
 * Only VIRTIO_F_VERSION_1 is offered, so rings and config are little
 * endian.
 *
 * Locking: sbvd_dev.mutex serialises status, features, virtqueue setup
 * (addresses, sizes, callbacks) and the datapath work; iommu_lock (an
 * irq-safe spinlock: dma_map_page() is called from any context) guards
 * both maps, which the engine reads from its threads.  Completions are
 * counted in @pending: the engine writes data and record, then drops the
 * count with release order; the work reads records and publishes used
 * entries only after reading the count with acquire order.  sbvd_parent.lock orders deletion by the
 * vdpa tool against deletion through slicebus.
 *
 * Lifetime: the slice exists first; the vdpa device is its child.  Removal
 * unregisters the vdpa device (its driver lets go, DRIVER_OK is cleared and
 * the queue disabled), then destroys the slice.
 */
#include <linux/dma-map-ops.h>
#include <linux/etherdevice.h>
#include <linux/hex.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/slicebus_dsa.h>
#include <linux/vdpa.h>
#include <linux/vhost_iotlb.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <uapi/linux/vdpa.h>
#include <uapi/linux/virtio_ring.h>

#include "slicebus/compat.h"

#define SBVD_QUEUE_MAX		256
#define SBVD_NVQS		2		/* rx, tx */
#define SBVD_CHUNKS		64		/* copies in flight per packet */
#define SBVD_KTAG		BIT_ULL(63)	/* backend-owned memory */
#define SBVD_KBASE		BIT_ULL(62)	/* the kernel map's IOVAs */
#define SBVD_KMAP_MAX		16384		/* mappings of a kernel driver */
#define SBVD_FRAME_MAX		(65536 + sizeof(struct virtio_net_hdr_v1))
#define SBVD_MTU_MAX		(65536 - ETH_HLEN)
#define SBVD_BUDGET		64		/* packets per work run */
#define SBVD_SEGS		64		/* descriptors per chain */
#define SBVD_IOTLB_MAX		2048		/* mappings of a vhost user */

#define SBVD_FEATURES	(BIT_ULL(VIRTIO_F_ANY_LAYOUT) | \
			 BIT_ULL(VIRTIO_F_VERSION_1) | \
			 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) | \
			 BIT_ULL(VIRTIO_NET_F_MAC) | \
			 BIT_ULL(VIRTIO_NET_F_MTU) | \
			 BIT_ULL(VIRTIO_NET_F_STATUS))

struct sbvd_parent {
	struct vdpa_mgmt_dev mgmt;
	struct slicebus_parent *parent;
	struct mutex lock;		/* device deletion, slices' backend_priv */
	struct virtio_device_id id_table[2];
};

/* One buffer of a descriptor chain, and where a walk through them is. */
struct sbvd_seg {
	u64 addr;
	u32 len;
};

struct sbvd_chain {
	u16 head;
	unsigned int n, i;
	u32 off;			/* within seg[i] */
	struct sbvd_seg seg[SBVD_SEGS];
};

struct sbvd_vq {
	bool ready;
	u32 num;
	u16 last_avail, used_idx;
	u64 desc_addr, driver_addr, device_addr;
	struct vdpa_callback cb;
};

struct sbvd_dev {
	struct vdpa_device vdpa;
	struct slicebus_slice *slice;
	struct sbvd_parent *p;
	struct mutex mutex;		/* see the top of the file */
	spinlock_t iommu_lock;		/* @umap, @kmap */
	struct vhost_iotlb umap;	/* vhost_vdpa's, page references held */
	struct vhost_iotlb kmap;	/* the device's DMA API */
	struct sbvd_vq vqs[SBVD_NVQS];
	struct virtio_net_config config;
	struct vdpa_callback config_cb;
	struct work_struct work;
	struct sbvd_chain tx, rx;
	u64 features;
	u32 generation;
	u8 status;
	bool queue_on, gone;
	bool revoked;			/* the queue was stopped for good */
	bool kernel_dma;		/* own DMA ops: kernel drivers served */
	struct slicebus_dsa_queue_cfg qcfg;
	struct dsa_completion_record *rec;
	atomic_t pending;
	wait_queue_head_t wait;
	u64 tx_pkts, rx_pkts, errors;
};

static struct slicebus_driver sbvd_driver;

static struct sbvd_dev *to_sbvd(struct vdpa_device *vdpa)
{
	return container_of(vdpa, struct sbvd_dev, vdpa);
}

/* ---- memory as the engine sees it ------------------------------------- */

static void sbvd_put_pages(u64 pa, u64 size)
{
	unsigned long pfn;

	for (pfn = PHYS_PFN(pa); pfn <= PHYS_PFN(pa + size - 1); pfn++)
		put_page(pfn_to_page(pfn));
}

/*
 * Remove the user map entries that overlap [@start, @last], then drop their
 * page references (outside the lock: a mapping may span gigabytes).
 */
static void sbvd_umap_del(struct sbvd_dev *v, u64 start, u64 last)
{
	struct vhost_iotlb_map *map;
	unsigned long flags;
	u64 pa, size;

	for (;;) {
		spin_lock_irqsave(&v->iommu_lock, flags);
		map = vhost_iotlb_itree_first(&v->umap, start, last);
		if (map) {
			pa = map->addr;
			size = map->size;
			vhost_iotlb_map_free(&v->umap, map);
		}
		spin_unlock_irqrestore(&v->iommu_lock, flags);
		if (!map)
			return;
		sbvd_put_pages(pa, size);
	}
}

/* A mapping of @tlb that holds @addr with permission @perm; iommu_lock held. */
static struct vhost_iotlb_map *sbvd_lookup(struct vhost_iotlb *tlb, u64 addr,
					   u32 perm)
{
	struct vhost_iotlb_map *map;

	for (map = vhost_iotlb_itree_first(tlb, addr, addr); map;
	     map = vhost_iotlb_itree_next(map, addr, addr))
		if ((map->perm & perm) == perm)
			return map;
	return NULL;
}

/*
 * Copy between @buf and the device address @addr, a page at a time, each
 * page looked up in its map and referenced (user map) while it is copied.
 * Rings and buffers: the driver's addresses, never our records.
 */
static int sbvd_rw(struct sbvd_dev *v, u64 addr, void *buf, size_t len,
		   bool write)
{
	u32 perm = write ? VHOST_MAP_WO : VHOST_MAP_RO;
	bool kernel = addr & SBVD_KBASE;
	struct vhost_iotlb *tlb = kernel ? &v->kmap : &v->umap;
	struct vhost_iotlb_map *map;
	unsigned long flags;
	struct page *page;
	phys_addr_t pa;
	size_t n;
	void *p;

	if (!len)
		return 0;
	if (addr + len - 1 < addr || (addr & SBVD_KTAG))
		return -EFAULT;
	while (len) {
		spin_lock_irqsave(&v->iommu_lock, flags);
		map = sbvd_lookup(tlb, addr, perm);
		if (!map) {
			spin_unlock_irqrestore(&v->iommu_lock, flags);
			return -EFAULT;
		}
		pa = map->addr + (addr - map->start);
		n = min3((u64)len, map->last - addr + 1,
			 (u64)(PAGE_SIZE - offset_in_page(pa)));
		page = pfn_to_page(PHYS_PFN(pa));
		if (!kernel)
			get_page(page);
		spin_unlock_irqrestore(&v->iommu_lock, flags);
		p = kmap_local_page(page) + offset_in_page(pa);
		if (write)
			memcpy(p, buf, n);
		else
			memcpy(buf, p, n);
		kunmap_local(p);
		if (!kernel)
			put_page(page);
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * The engine's view: the driver's memory, and the completion records of
 * the descriptors we build, at SBVD_KTAG addresses only we hand out.
 */
static int sbvd_engine_rw(void *priv, u64 addr, void *buf, size_t len,
			  bool write)
{
	struct sbvd_dev *v = priv;

	if (!(addr & SBVD_KTAG))
		return sbvd_rw(v, addr, buf, len, write);
	addr &= ~SBVD_KTAG;
	if (addr >= SBVD_CHUNKS * sizeof(*v->rec) ||
	    len > SBVD_CHUNKS * sizeof(*v->rec) - addr)
		return -EFAULT;
	if (write)
		memcpy((u8 *)v->rec + addr, buf, len);
	else
		memcpy(buf, (u8 *)v->rec + addr, len);
	return 0;
}

static const struct slicebus_dsa_mem_ops sbvd_mem_ops = {
	.rw = sbvd_engine_rw,
};

static void sbvd_irq(void *priv, u16 int_handle)
{
	struct sbvd_dev *v = priv;

	/* the engine wrote data and record before: publish them with the count */
	atomic_dec_return_release(&v->pending);
	wake_up(&v->wait);
}

/* ---- split rings ------------------------------------------------------ */

static int sbvd_get16(struct sbvd_dev *v, u64 addr, u16 *val)
{
	__le16 le;
	int ret = sbvd_rw(v, addr, &le, sizeof(le), false);

	*val = le16_to_cpu(le);
	return ret;
}

/*
 * Take the next available chain of @vq; its buffers must all be readable
 * (@write false) or all writable.  1: got one, 0: none, <0: broken ring.
 */
static int sbvd_pop(struct sbvd_dev *v, struct sbvd_vq *vq,
		    struct sbvd_chain *c, bool write)
{
	struct vring_desc d;
	u16 avail, idx, flags;
	unsigned int hops;

	if (sbvd_get16(v, vq->driver_addr + 2, &avail))
		return -EFAULT;
	if (avail == vq->last_avail)
		return 0;
	/* a driver never makes more than the ring's size available */
	if ((u16)(avail - vq->last_avail) > vq->num)
		return -EINVAL;
	virt_rmb();	/* the index before the ring entry */
	if (sbvd_get16(v, vq->driver_addr + 4 + 2 * (vq->last_avail % vq->num),
		       &c->head))
		return -EFAULT;
	c->n = 0;
	c->i = 0;
	c->off = 0;
	idx = c->head;
	for (hops = 0; hops < vq->num; hops++) {
		if (idx >= vq->num ||
		    sbvd_rw(v, vq->desc_addr + idx * sizeof(d), &d, sizeof(d),
			    false))
			return -EFAULT;
		flags = __virtio16_to_cpu(true, d.flags);
		if (c->n == SBVD_SEGS || !!(flags & VRING_DESC_F_WRITE) != write ||
		    (flags & VRING_DESC_F_INDIRECT))
			return -EINVAL;
		c->seg[c->n].addr = __virtio64_to_cpu(true, d.addr);
		c->seg[c->n].len = __virtio32_to_cpu(true, d.len);
		c->n++;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		idx = __virtio16_to_cpu(true, d.next);
	}
	vq->last_avail++;
	return 1;
}

/* Return a chain to the used ring and interrupt the driver if it wants. */
static void sbvd_push(struct sbvd_dev *v, struct sbvd_vq *vq, u16 head,
		      u32 len)
{
	struct vring_used_elem e = {
		.id = __cpu_to_virtio32(true, head),
		.len = __cpu_to_virtio32(true, len),
	};
	__le16 idx;
	u16 flags;

	sbvd_rw(v, vq->device_addr + 4 + sizeof(e) * (vq->used_idx % vq->num),
		&e, sizeof(e), true);
	virt_wmb();	/* the entry (and the data) before the index */
	idx = cpu_to_le16(++vq->used_idx);
	sbvd_rw(v, vq->device_addr + 2, &idx, sizeof(idx), true);
	virt_mb();	/* the index before reading the driver's flags */
	if (!sbvd_get16(v, vq->driver_addr, &flags) &&
	    !(flags & VRING_AVAIL_F_NO_INTERRUPT) && vq->cb.callback)
		vq->cb.callback(vq->cb.private);
}

static size_t sbvd_chain_left(const struct sbvd_chain *c)
{
	size_t len = 0;
	unsigned int i;

	for (i = c->i; i < c->n; i++)
		len += c->seg[i].len;
	return len - c->off;
}

static void sbvd_advance(struct sbvd_chain *c, size_t len)
{
	while (len && c->i < c->n) {
		size_t n = min_t(size_t, len, c->seg[c->i].len - c->off);

		c->off += n;
		len -= n;
		if (c->off == c->seg[c->i].len) {
			c->i++;
			c->off = 0;
		}
	}
}

/* ---- the datapath ----------------------------------------------------- */

/* Copy @len bytes with MEMMOVE descriptors on the slice; 0 when all did. */
static int sbvd_copy(struct sbvd_dev *v, struct sbvd_chain *from,
		     struct sbvd_chain *to, size_t len)
{
	unsigned long deadline = jiffies + 10 * HZ;
	unsigned int n = 0, i;
	int ret = 0;

	atomic_set(&v->pending, 1);	/* ours, dropped below */
	while (len && !ret) {
		struct dsa_hw_desc desc = {};
		u64 src, dst;
		size_t chunk;

		if (from->i >= from->n || to->i >= to->n || n == SBVD_CHUNKS) {
			ret = -EINVAL;
			break;
		}
		src = from->seg[from->i].addr + from->off;
		dst = to->seg[to->i].addr + to->off;
		chunk = min3(len, (size_t)from->seg[from->i].len - from->off,
			     (size_t)to->seg[to->i].len - to->off);
		if ((src | dst) & SBVD_KTAG) {
			ret = -EFAULT;
			break;
		}
		desc.opcode = DSA_OPCODE_MEMMOVE;
		desc.flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI;
		desc.src_addr = src;
		desc.dst_addr = dst;
		desc.xfer_size = chunk;
		desc.completion_addr = SBVD_KTAG | (n * sizeof(*v->rec));
		v->rec[n].status = 0;
		atomic_inc(&v->pending);
		/* a queue that stays full (stalled engines) gives up with the wait */
		while ((ret = slicebus_dsa_queue_submit(v->slice, &desc)) == -ENOSPC &&
		       time_before(jiffies, deadline))
			wait_event_timeout(v->wait, atomic_read(&v->pending) <= 1,
					   HZ / 10);
		if (ret) {
			atomic_dec(&v->pending);
			break;
		}
		n++;
		sbvd_advance(from, chunk);
		sbvd_advance(to, chunk);
		len -= chunk;
	}
	if (atomic_dec_and_test(&v->pending))
		wake_up(&v->wait);
	if (!wait_event_timeout(v->wait, !atomic_read_acquire(&v->pending) ||
				READ_ONCE(v->revoked), 10 * HZ) ||
	    READ_ONCE(v->revoked)) {
		/*
		 * The engine may still write the records: stop the queue,
		 * which waits for what it executes (or, on a revoked slice,
		 * for the revocation to have stopped it), before they are
		 * reused.
		 */
		slicebus_dsa_queue_disable(v->slice);
		v->queue_on = false;
		atomic_set(&v->pending, 0);
		v->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
		return -ETIMEDOUT;
	}
	for (i = 0; i < n; i++)
		if ((READ_ONCE(v->rec[i].status) & DSA_COMP_STATUS_MASK) !=
		    DSA_COMP_SUCCESS)
			ret = -EIO;
	return ret;
}

/* Move one frame from tx to rx; false when there is nothing (more) to do. */
static bool sbvd_loop_one(struct sbvd_dev *v)
{
	struct sbvd_vq *rxq = &v->vqs[0], *txq = &v->vqs[1];
	struct virtio_net_hdr_v1 hdr = {
		.num_buffers = __cpu_to_virtio16(true, 1),
	};
	struct sbvd_chain *tx = &v->tx, *rx = &v->rx;
	size_t hlen = sizeof(hdr), len;
	int err;

	err = sbvd_pop(v, txq, tx, false);
	if (err <= 0) {
		if (err)
			v->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
		return false;
	}
	err = sbvd_pop(v, rxq, rx, true);
	if (err <= 0) {
		/* no receive buffer: keep the frame until the driver adds one */
		txq->last_avail--;
		if (err)
			v->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
		return false;
	}
	len = sbvd_chain_left(tx);
	if (len < hlen + ETH_HLEN || len > SBVD_FRAME_MAX ||
	    sbvd_chain_left(rx) < len ||
	    rx->seg[0].len < hlen) {
		v->errors++;
		sbvd_push(v, txq, tx->head, 0);
		sbvd_push(v, rxq, rx->head, 0);
		return true;
	}
	sbvd_advance(tx, hlen);
	if (sbvd_rw(v, rx->seg[0].addr, &hdr, hlen, true) ||
	    (sbvd_advance(rx, hlen), sbvd_copy(v, tx, rx, len - hlen))) {
		v->errors++;
		sbvd_push(v, txq, tx->head, 0);
		sbvd_push(v, rxq, rx->head, 0);
		return true;
	}
	v->tx_pkts++;
	v->rx_pkts++;
	sbvd_push(v, txq, tx->head, 0);
	sbvd_push(v, rxq, rx->head, len);
	return true;
}

static void sbvd_work(struct work_struct *work)
{
	struct sbvd_dev *v = container_of(work, struct sbvd_dev, work);
	int budget = SBVD_BUDGET;

	mutex_lock(&v->mutex);
	if (!(v->status & VIRTIO_CONFIG_S_DRIVER_OK) ||
	    (v->status & VIRTIO_CONFIG_S_NEEDS_RESET) || !v->queue_on ||
	    !v->vqs[0].ready || !v->vqs[1].ready)
		goto out;
	while (sbvd_loop_one(v))
		if (!--budget) {
			schedule_work(&v->work);
			break;
		}
out:
	mutex_unlock(&v->mutex);
}

/*
 * The slice's hardware went away (slicebus_slice_revoke()): its queue was
 * stopped.  Wake the datapath work, which gives up waiting for completions
 * that will not come; the device needs a reset from now on.
 */
static void sbvd_revoked(void *priv)
{
	struct sbvd_dev *v = priv;

	WRITE_ONCE(v->revoked, true);
	wake_up(&v->wait);
	dev_notice(&v->vdpa.dev, "its work queue went away: the device needs a reset\n");
}

/* ---- vdpa config ops -------------------------------------------------- */

static int sbvd_set_vq_address(struct vdpa_device *vdpa, u16 idx, u64 desc,
			       u64 driver, u64 device)
{
	struct sbvd_dev *v = to_sbvd(vdpa);
	struct sbvd_vq *vq = &v->vqs[idx];

	mutex_lock(&v->mutex);
	vq->desc_addr = desc;
	vq->driver_addr = driver;
	vq->device_addr = device;
	mutex_unlock(&v->mutex);
	return 0;
}

static void sbvd_set_vq_num(struct vdpa_device *vdpa, u16 idx, u32 num)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	mutex_lock(&v->mutex);
	v->vqs[idx].num = num;
	mutex_unlock(&v->mutex);
}

static void sbvd_kick_vq(struct vdpa_device *vdpa, u16 idx)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	if (v->vqs[idx].ready)
		schedule_work(&v->work);
}

/* Under the mutex: the work calls the callback with its private data. */
static void sbvd_set_vq_cb(struct vdpa_device *vdpa, u16 idx,
			   struct vdpa_callback *cb)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	mutex_lock(&v->mutex);
	v->vqs[idx].cb = *cb;
	mutex_unlock(&v->mutex);
}

static void sbvd_set_vq_ready(struct vdpa_device *vdpa, u16 idx, bool ready)
{
	struct sbvd_dev *v = to_sbvd(vdpa);
	struct sbvd_vq *vq = &v->vqs[idx];

	mutex_lock(&v->mutex);
	/* as vhost-user: the used index restarts where avail stands */
	if (ready && !vq->ready)
		vq->used_idx = vq->last_avail;
	vq->ready = ready && vq->num && vq->num <= SBVD_QUEUE_MAX &&
		    is_power_of_2(vq->num);
	mutex_unlock(&v->mutex);
}

static bool sbvd_get_vq_ready(struct vdpa_device *vdpa, u16 idx)
{
	return to_sbvd(vdpa)->vqs[idx].ready;
}

static int sbvd_set_vq_state(struct vdpa_device *vdpa, u16 idx,
			     const struct vdpa_vq_state *state)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	mutex_lock(&v->mutex);
	v->vqs[idx].last_avail = state->split.avail_index;
	mutex_unlock(&v->mutex);
	return 0;
}

static int sbvd_get_vq_state(struct vdpa_device *vdpa, u16 idx,
			     struct vdpa_vq_state *state)
{
	state->split.avail_index = to_sbvd(vdpa)->vqs[idx].last_avail;
	return 0;
}

static u32 sbvd_get_vq_align(struct vdpa_device *vdpa)
{
	return PAGE_SIZE;
}

static u32 sbvd_get_vq_group(struct vdpa_device *vdpa, u16 idx)
{
	return 0;
}

static u64 sbvd_get_device_features(struct vdpa_device *vdpa)
{
	return SBVD_FEATURES;
}

static int sbvd_set_driver_features(struct vdpa_device *vdpa, u64 features)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	if (!(features & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)))
		return -EINVAL;
	v->features = features & SBVD_FEATURES;
	return 0;
}

static u64 sbvd_get_driver_features(struct vdpa_device *vdpa)
{
	return to_sbvd(vdpa)->features;
}

static void sbvd_set_config_cb(struct vdpa_device *vdpa,
			       struct vdpa_callback *cb)
{
	to_sbvd(vdpa)->config_cb = *cb;
}

static u16 sbvd_get_vq_num_max(struct vdpa_device *vdpa)
{
	return SBVD_QUEUE_MAX;
}

static u32 sbvd_get_device_id(struct vdpa_device *vdpa)
{
	return VIRTIO_ID_NET;
}

static u32 sbvd_get_vendor_id(struct vdpa_device *vdpa)
{
	return 0;
}

static u8 sbvd_get_status(struct vdpa_device *vdpa)
{
	struct sbvd_dev *v = to_sbvd(vdpa);
	u8 status;

	mutex_lock(&v->mutex);
	status = v->status;
	mutex_unlock(&v->mutex);
	if (slicebus_slice_revoked(v->slice))
		status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	return status;
}

/* Back to reset state; v->mutex held. */
static void sbvd_do_reset(struct sbvd_dev *v, u32 flags)
{
	int i;

	if (v->queue_on)
		slicebus_dsa_queue_disable(v->slice);
	v->queue_on = false;
	for (i = 0; i < SBVD_NVQS; i++)
		memset(&v->vqs[i], 0, sizeof(v->vqs[i]));
	/* the kernel map belongs to the DMA API's users, not to the device */
	if (flags & VDPA_RESET_F_CLEAN_MAP)
		sbvd_umap_del(v, 0, ULLONG_MAX);
	v->features = 0;
	v->status = 0;
	v->generation++;
}

/*
 * Whether the driver bound to the device is a kernel driver (one using the
 * device's DMA API for its rings and buffers) rather than vhost_vdpa, which
 * maps its user's memory through dma_map.  Anything unknown is a kernel
 * driver.  The bound driver does not change while it calls the device.
 */
static bool sbvd_kernel_driver(struct sbvd_dev *v)
{
	const struct device_driver *drv = READ_ONCE(v->vdpa.dev.driver);

	return drv && strcmp(drv->name, "vhost_vdpa");
}

static void sbvd_set_status(struct vdpa_device *vdpa, u8 status)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	mutex_lock(&v->mutex);
	if ((status & (VIRTIO_CONFIG_S_FEATURES_OK |
		       VIRTIO_CONFIG_S_DRIVER_OK)) &&
	    !v->kernel_dma && sbvd_kernel_driver(v)) {
		if (!(v->status & VIRTIO_CONFIG_S_FEATURES_OK))
			dev_warn(&vdpa->dev,
				 "kernel driver %s refused: this kernel cannot give the device DMA ops of its own (CONFIG_ARCH_HAS_DMA_OPS, or slicebus_vdpa kernel_dma=0); use vhost_vdpa\n",
				 vdpa->dev.driver->name);
		status &= ~(VIRTIO_CONFIG_S_FEATURES_OK |
			    VIRTIO_CONFIG_S_DRIVER_OK);
	}
	if ((status & VIRTIO_CONFIG_S_DRIVER_OK) && !v->queue_on) {
		if (slicebus_dsa_queue_enable(v->slice, &v->qcfg)) {
			status |= VIRTIO_CONFIG_S_FAILED;
			status &= ~VIRTIO_CONFIG_S_DRIVER_OK;
		} else {
			v->queue_on = true;
		}
	}
	v->status = status;
	mutex_unlock(&v->mutex);
	if (status & VIRTIO_CONFIG_S_DRIVER_OK)
		schedule_work(&v->work);
}

static int sbvd_compat_reset(struct vdpa_device *vdpa, u32 flags)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	mutex_lock(&v->mutex);
	sbvd_do_reset(v, flags);
	mutex_unlock(&v->mutex);
	return 0;
}

static int sbvd_reset(struct vdpa_device *vdpa)
{
	return sbvd_compat_reset(vdpa, 0);
}

static size_t sbvd_get_config_size(struct vdpa_device *vdpa)
{
	return sizeof(struct virtio_net_config);
}

static void sbvd_get_config(struct vdpa_device *vdpa, unsigned int offset,
			    void *buf, unsigned int len)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	if (offset <= sizeof(v->config) && len <= sizeof(v->config) - offset)
		memcpy(buf, (u8 *)&v->config + offset, len);
}

static void sbvd_set_config(struct vdpa_device *vdpa, unsigned int offset,
			    const void *buf, unsigned int len)
{
	/* virtio-net's config space is read-only for the driver */
}

static u32 sbvd_get_generation(struct vdpa_device *vdpa)
{
	return to_sbvd(vdpa)->generation;
}

static struct vdpa_iova_range sbvd_get_iova_range(struct vdpa_device *vdpa)
{
	return (struct vdpa_iova_range){ .first = 0, .last = SBVD_KBASE - 1 };
}

/*
 * vhost_vdpa maps its user's pinned pages: reference every page for as long
 * as the device may reach it (vhost_vdpa unpins before it unmaps).
 */
static int sbvd_dma_map(struct vdpa_device *vdpa, unsigned int asid, u64 iova,
			u64 size, u64 pa, u32 perm, void *opaque)
{
	struct sbvd_dev *v = to_sbvd(vdpa);
	unsigned long pfn, first = PHYS_PFN(pa), last;
	unsigned long flags;
	int ret;

	if (asid || !size || iova + size - 1 >= SBVD_KBASE ||
	    iova + size - 1 < iova || pa + size - 1 < pa)
		return -EINVAL;
	last = PHYS_PFN(pa + size - 1);
	for (pfn = first; pfn <= last; pfn++)
		if (!pfn_valid(pfn))
			return -EINVAL;
	for (pfn = first; pfn <= last; pfn++)
		get_page(pfn_to_page(pfn));
	spin_lock_irqsave(&v->iommu_lock, flags);
	ret = v->kmap.nmaps ? -EBUSY :
	      vhost_iotlb_add_range_ctx(&v->umap, iova, iova + size - 1, pa,
					perm, opaque);
	spin_unlock_irqrestore(&v->iommu_lock, flags);
	if (ret)
		sbvd_put_pages(pa, size);
	return ret;
}

static int sbvd_dma_unmap(struct vdpa_device *vdpa, unsigned int asid,
			  u64 iova, u64 size)
{
	if (asid || !size || iova + size - 1 < iova)
		return -EINVAL;
	sbvd_umap_del(to_sbvd(vdpa), iova, iova + size - 1);
	return 0;
}

static int sbvd_reset_map(struct vdpa_device *vdpa, unsigned int asid)
{
	if (asid)
		return -EINVAL;
	sbvd_umap_del(to_sbvd(vdpa), 0, ULLONG_MAX);
	return 0;
}

static void sbvd_free(struct vdpa_device *vdpa)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	sbvd_umap_del(v, 0, ULLONG_MAX);
	vhost_iotlb_reset(&v->kmap);
	kfree(v->rec);
	mutex_destroy(&v->mutex);
}

static const struct vdpa_config_ops sbvd_ops = {
	.set_vq_address = sbvd_set_vq_address,
	.set_vq_num = sbvd_set_vq_num,
	.kick_vq = sbvd_kick_vq,
	.set_vq_cb = sbvd_set_vq_cb,
	.set_vq_ready = sbvd_set_vq_ready,
	.get_vq_ready = sbvd_get_vq_ready,
	.set_vq_state = sbvd_set_vq_state,
	.get_vq_state = sbvd_get_vq_state,
	.get_vq_align = sbvd_get_vq_align,
	.get_vq_group = sbvd_get_vq_group,
	.get_device_features = sbvd_get_device_features,
	.set_driver_features = sbvd_set_driver_features,
	.get_driver_features = sbvd_get_driver_features,
	.set_config_cb = sbvd_set_config_cb,
	.get_vq_num_max = sbvd_get_vq_num_max,
	.get_device_id = sbvd_get_device_id,
	.get_vendor_id = sbvd_get_vendor_id,
	.get_status = sbvd_get_status,
	.set_status = sbvd_set_status,
	.reset = sbvd_reset,
	.compat_reset = sbvd_compat_reset,
	.get_config_size = sbvd_get_config_size,
	.get_config = sbvd_get_config,
	.set_config = sbvd_set_config,
	.get_generation = sbvd_get_generation,
	.get_iova_range = sbvd_get_iova_range,
	.dma_map = sbvd_dma_map,
	.dma_unmap = sbvd_dma_unmap,
	.reset_map = sbvd_reset_map,
	.free = sbvd_free,
};

/* ---- the device's DMA API: the kernel map ----------------------------- */

static struct sbvd_dev *dev_to_sbvd(struct device *dev)
{
	return to_sbvd(dev_to_vdpa(dev));
}

static dma_addr_t sbvd_kmap_add(struct sbvd_dev *v, phys_addr_t pa,
				size_t size, u32 perm)
{
	dma_addr_t iova = SBVD_KBASE | pa;
	unsigned long flags;
	int ret;

	if (!size || pa + size - 1 < pa || (pa + size - 1) & SBVD_KBASE)
		return DMA_MAPPING_ERROR;
	spin_lock_irqsave(&v->iommu_lock, flags);
	ret = vhost_iotlb_add_range(&v->kmap, iova, iova + size - 1, pa, perm);
	spin_unlock_irqrestore(&v->iommu_lock, flags);
	return ret ? DMA_MAPPING_ERROR : iova;
}

/* Remove exactly the mapping [@iova, @iova + @size - 1]: others may overlap. */
static void sbvd_kmap_del(struct sbvd_dev *v, dma_addr_t iova, size_t size)
{
	u64 last = iova + size - 1;
	struct vhost_iotlb_map *map;
	unsigned long flags;

	spin_lock_irqsave(&v->iommu_lock, flags);
	for (map = vhost_iotlb_itree_first(&v->kmap, iova, last); map;
	     map = vhost_iotlb_itree_next(map, iova, last))
		if (map->start == iova && map->last == last)
			break;
	if (map)
		vhost_iotlb_map_free(&v->kmap, map);
	spin_unlock_irqrestore(&v->iommu_lock, flags);
	if (!map)
		dev_err_ratelimited(&v->vdpa.dev, "unmap of %pad+%zu, never mapped\n",
				    &iova, size);
}

static dma_addr_t sbvd_dma_map_phys(struct device *dev, phys_addr_t phys,
				    size_t size, enum dma_data_direction dir,
				    unsigned long attrs)
{
	u32 perm = dir == DMA_TO_DEVICE ? VHOST_MAP_RO :
		   dir == DMA_FROM_DEVICE ? VHOST_MAP_WO : VHOST_MAP_RW;

	return sbvd_kmap_add(dev_to_sbvd(dev), phys, size, perm);
}

SB_DEFINE_DMA_MAP_PAGE(sbvd_dma_map_phys)

static void sbvd_dma_unmap_phys(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir,
				unsigned long attrs)
{
	sbvd_kmap_del(dev_to_sbvd(dev), addr, size);
}

static void *sbvd_dma_alloc(struct device *dev, size_t size,
			    dma_addr_t *handle, gfp_t gfp, unsigned long attrs)
{
	void *p = alloc_pages_exact(size, gfp | __GFP_ZERO);

	if (!p)
		return NULL;
	*handle = sbvd_kmap_add(dev_to_sbvd(dev), virt_to_phys(p), size,
				VHOST_MAP_RW);
	if (*handle == DMA_MAPPING_ERROR) {
		free_pages_exact(p, size);
		return NULL;
	}
	return p;
}

static void sbvd_dma_free(struct device *dev, size_t size, void *vaddr,
			  dma_addr_t handle, unsigned long attrs)
{
	sbvd_kmap_del(dev_to_sbvd(dev), handle, size);
	free_pages_exact(vaddr, size);
}

static const struct dma_map_ops sbvd_dma_ops = {
	SB_DMA_MAP_PHYS_OPS(sbvd_dma_map_phys, sbvd_dma_unmap_phys),
	.alloc = sbvd_dma_alloc,
	.free = sbvd_dma_free,
};

static bool kernel_dma = IS_ENABLED(CONFIG_ARCH_HAS_DMA_OPS);

static int kernel_dma_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (on && !IS_ENABLED(CONFIG_ARCH_HAS_DMA_OPS)) {
		pr_err("slicebus_vdpa: kernel_dma needs CONFIG_ARCH_HAS_DMA_OPS\n");
		return -EINVAL;
	}
	*(bool *)kp->arg = on;
	return 0;
}

static const struct kernel_param_ops kernel_dma_ops = {
	.set = kernel_dma_set,
	.get = param_get_bool,
};
module_param_cb(kernel_dma, &kernel_dma_ops, &kernel_dma, 0444);
MODULE_PARM_DESC(kernel_dma,
		 "serve kernel virtio drivers (virtio_vdpa) through the device's own DMA ops; default: whether the kernel has CONFIG_ARCH_HAS_DMA_OPS");

/* ---- devices ---------------------------------------------------------- */

/* What the vdpa tool or slicebus options ask of a device, checked. */
static int sbvd_check_config(const struct vdpa_dev_set_config *cfg,
			     struct netlink_ext_ack *extack)
{
	if (!cfg)
		return 0;
	if ((cfg->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU)) &&
	    (cfg->net.mtu < ETH_MIN_MTU || cfg->net.mtu > SBVD_MTU_MAX)) {
		NL_SET_ERR_MSG_FMT(extack, "mtu %u: a slice's frames take %u to %u",
				   cfg->net.mtu, ETH_MIN_MTU, SBVD_MTU_MAX);
		return -EINVAL;
	}
	if ((cfg->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP)) &&
	    cfg->net.max_vq_pairs != 1) {
		NL_SET_ERR_MSG_FMT(extack, "max_vqp %u: a slice has one queue pair",
				   cfg->net.max_vq_pairs);
		return -EINVAL;
	}
	if ((cfg->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR)) &&
	    !is_valid_ether_addr(cfg->net.mac)) {
		NL_SET_ERR_MSG_FMT(extack, "mac %pM is not a unicast address",
				   cfg->net.mac);
		return -EINVAL;
	}
	return 0;
}

/*
 * Create slice and device; @reg registers with vdpa's lock held (from the
 * vdpa tool's dev_add) or takes it (from slicebus).  Returns the slice with
 * a reference for the caller, taken before the device is public (a vdpa
 * dev del may delete it at once).
 */
static struct slicebus_slice *
sbvd_create(struct sbvd_parent *p, unsigned int type, const char *name,
	    const struct vdpa_dev_set_config *cfg, bool locked,
	    struct netlink_ext_ack *extack)
{
	struct slicebus_slice *slice;
	struct sbvd_dev *v;
	int ret;

	ret = sbvd_check_config(cfg, extack);
	if (ret)
		return ERR_PTR(ret);
	slice = slicebus_slice_create(p->parent, type, &sbvd_driver,
				      name, SLICEBUS_SLICE_BACKEND_OWNED, NULL,
				      extack);
	if (IS_ERR(slice))
		return slice;
	v = sb_vdpa_alloc_device(struct sbvd_dev, vdpa, &slice->dev, &sbvd_ops,
				 NULL, 1, 1, slicebus_slice_name(slice), false);
	if (IS_ERR(v)) {
		slicebus_slice_destroy(slice);
		return ERR_CAST(v);
	}
	v->slice = slice;
	v->p = p;
	mutex_init(&v->mutex);
	spin_lock_init(&v->iommu_lock);
	init_waitqueue_head(&v->wait);
	INIT_WORK(&v->work, sbvd_work);
	vhost_iotlb_init(&v->umap, SBVD_IOTLB_MAX, 0);
	vhost_iotlb_init(&v->kmap, SBVD_KMAP_MAX, 0);
	v->qcfg.mem = &sbvd_mem_ops;
	v->qcfg.mem_priv = v;
	v->qcfg.irq = sbvd_irq;
	v->qcfg.revoked = sbvd_revoked;
	v->qcfg.priv = v;
	v->rec = kcalloc(SBVD_CHUNKS, sizeof(*v->rec), GFP_KERNEL);
	ret = v->rec ? dma_coerce_mask_and_coherent(&v->vdpa.dev, DMA_BIT_MASK(64)) :
		       -ENOMEM;
	if (ret)
		goto err_put;
	mutex_lock(&v->mutex);
	sbvd_do_reset(v, VDPA_RESET_F_CLEAN_MAP);
	mutex_unlock(&v->mutex);

	if (cfg && (cfg->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR)))
		memcpy(v->config.mac, cfg->net.mac, ETH_ALEN);
	else
		eth_random_addr(v->config.mac);
	v->config.mtu = __cpu_to_virtio16(true, cfg && (cfg->mask &
					BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU)) ?
					  cfg->net.mtu : ETH_DATA_LEN);
	v->config.status = __cpu_to_virtio16(true, VIRTIO_NET_S_LINK_UP);
	v->config.max_virtqueue_pairs = __cpu_to_virtio16(true, 1);
	/* what "slicectl save" records to make the same device again */
	ret = slicebus_slice_set_options(slice, "mac %pM mtu %u max_vqp 1",
					 v->config.mac,
					 __virtio16_to_cpu(true, v->config.mtu));
	if (ret)
		goto err_put;
	v->kernel_dma = READ_ONCE(kernel_dma);
	if (v->kernel_dma)
		set_dma_ops(&v->vdpa.dev, &sbvd_dma_ops);
	sb_vdpa_dma_dev(&v->vdpa) = &v->vdpa.dev;
	v->vdpa.mdev = &p->mgmt;

	/* set before the device is public: a delete may follow at once */
	mutex_lock(&p->lock);
	slice->backend_priv = v;
	mutex_unlock(&p->lock);
	get_device(&slice->dev);
	ret = locked ? _vdpa_register_device(&v->vdpa, SBVD_NVQS) :
		       vdpa_register_device(&v->vdpa, SBVD_NVQS);
	if (ret) {
		put_device(&slice->dev);
		goto err_put;
	}
	return slice;

err_put:
	mutex_lock(&p->lock);
	slice->backend_priv = NULL;
	mutex_unlock(&p->lock);
	put_device(&v->vdpa.dev);
	slicebus_slice_destroy(slice);
	return ERR_PTR(ret);
}

/* Tear a device down; @locked as for sbvd_create(). */
static void sbvd_destroy(struct sbvd_dev *v, bool locked)
{
	struct slicebus_slice *slice = v->slice;

	/* unregistering may drop the last reference: keep @v until the end */
	get_device(&v->vdpa.dev);
	if (locked)
		_vdpa_unregister_device(&v->vdpa);
	else
		vdpa_unregister_device(&v->vdpa);
	/* the driver has let go: stop the data path for good */
	mutex_lock(&v->mutex);
	v->status = 0;
	if (v->queue_on)
		slicebus_dsa_queue_disable(slice);
	v->queue_on = false;
	mutex_unlock(&v->mutex);
	cancel_work_sync(&v->work);
	slicebus_slice_destroy(slice);
	put_device(&v->vdpa.dev);
}

/*
 * Claim @v for deletion; false if someone else already did.  The slice
 * forgets @v here, so that a delete through slicebus that comes later
 * never reaches it.
 */
static bool sbvd_claim_locked(struct sbvd_dev *v)
{
	bool mine = !v->gone;

	lockdep_assert_held(&v->p->lock);
	v->gone = true;
	v->slice->backend_priv = NULL;
	return mine;
}

static bool sbvd_claim(struct sbvd_dev *v)
{
	bool mine;

	mutex_lock(&v->p->lock);
	mine = sbvd_claim_locked(v);
	mutex_unlock(&v->p->lock);
	return mine;
}

static int sbvd_dev_add(struct vdpa_mgmt_dev *mgmt, const char *name,
			const struct vdpa_dev_set_config *cfg)
{
	struct sbvd_parent *p = container_of(mgmt, struct sbvd_parent, mgmt);
	int type = slicebus_parent_default_type(p->parent, &sbvd_driver);
	struct netlink_ext_ack ext = {};
	struct slicebus_slice *slice;

	slice = sbvd_create(p, type, name, cfg, true, &ext);
	if (IS_ERR(slice)) {
		dev_info(mgmt->device, "vdpa dev add %s: %s\n", name,
			 ext._msg ?: "failed");
		return PTR_ERR(slice);
	}
	put_device(&slice->dev);
	return 0;
}

static void sbvd_dev_del(struct vdpa_mgmt_dev *mgmt, struct vdpa_device *vdpa)
{
	struct sbvd_dev *v = to_sbvd(vdpa);

	if (sbvd_claim(v))
		sbvd_destroy(v, true);
}

static const struct vdpa_mgmtdev_ops sbvd_mgmt_ops = {
	.dev_add = sbvd_dev_add,
	.dev_del = sbvd_dev_del,
};

/* ---- slicebus backend ------------------------------------------------- */

static int sbvd_parent_add(struct slicebus_parent *parent)
{
	struct sbvd_parent *p = kzalloc(sizeof(*p), GFP_KERNEL);
	int ret;

	if (!p)
		return -ENOMEM;
	p->parent = parent;
	mutex_init(&p->lock);
	p->id_table[0].device = VIRTIO_ID_NET;
	p->id_table[0].vendor = VIRTIO_DEV_ANY_ID;
	p->mgmt.device = slicebus_parent_device(parent);
	p->mgmt.ops = &sbvd_mgmt_ops;
	p->mgmt.id_table = p->id_table;
	p->mgmt.config_attr_mask = BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR) |
				   BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU) |
				   BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP);
	p->mgmt.supported_features = SBVD_FEATURES;
	p->mgmt.max_supported_vqs = SBVD_NVQS;
	ret = vdpa_mgmtdev_register(&p->mgmt);
	if (ret) {
		kfree(p);
		return ret;
	}
	slicebus_parent_set_backend_data(parent, &sbvd_driver, p);
	return 0;
}

static void sbvd_parent_remove(struct slicebus_parent *parent)
{
	struct sbvd_parent *p =
		slicebus_parent_backend_data(parent, &sbvd_driver);

	vdpa_mgmtdev_unregister(&p->mgmt);	/* deletes every device */
	slicebus_parent_set_backend_data(parent, &sbvd_driver, NULL);
	mutex_destroy(&p->lock);
	kfree(p);
}

static int sbvd_slice_probe(struct slicebus_slice *slice)
{
	strscpy(slice->handle, slicebus_slice_name(slice));
	return 0;
}

/*
 * slicebus options as the vdpa tool's: mac, mtu, max_vqp.  Only the
 * syntax is checked here; sbvd_check_config() checks the values for both.
 */
static int sbvd_parse_options(const struct slicebus_options *opts,
			      struct vdpa_dev_set_config *cfg,
			      struct netlink_ext_ack *extack)
{
	unsigned int i;
	u16 v;

	for (i = 0; i < opts->nr; i++) {
		const char *name = opts->opt[i].name, *val = opts->opt[i].value;

		if (!strcmp(name, "mac")) {
			if (!mac_pton(val, cfg->net.mac))
				goto bad;
			cfg->mask |= BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR);
		} else if (!strcmp(name, "mtu") || !strcmp(name, "max_vqp")) {
			if (kstrtou16(val, 10, &v))
				goto bad;
			if (name[1] == 't') {
				cfg->net.mtu = v;
				cfg->mask |= BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU);
			} else {
				cfg->net.max_vq_pairs = v;
				cfg->mask |= BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP);
			}
		} else {
			NL_SET_ERR_MSG_FMT(extack,
					   "backend vdpa has no option %s (it takes mac, mtu, max_vqp)",
					   name);
			return -EINVAL;
		}
		continue;
bad:
		NL_SET_ERR_MSG_FMT(extack, "option %s: \"%s\" is not %s", name, val,
				   name[1] == 'a' ? "a MAC address" : "a number");
		return -EINVAL;
	}
	return 0;
}

static struct slicebus_slice *sbvd_slice_add(struct slicebus_parent *parent,
					     const char *type, const char *name,
					     const struct slicebus_options *opts,
					     struct netlink_ext_ack *extack)
{
	struct sbvd_parent *p =
		slicebus_parent_backend_data(parent, &sbvd_driver);
	struct vdpa_dev_set_config cfg = {};
	int ret;

	if (!p) {
		NL_SET_ERR_MSG(extack, "no vdpa management device here");
		return ERR_PTR(-ENODEV);
	}
	ret = sbvd_parse_options(opts, &cfg, extack);
	if (ret)
		return ERR_PTR(ret);
	return sbvd_create(p, slicebus_parent_find_type(parent, type), name,
			   &cfg, false, extack);
}

static int sbvd_slice_del(struct slicebus_slice *slice,
			  struct netlink_ext_ack *extack)
{
	struct sbvd_parent *p =
		slicebus_parent_backend_data(slice->parent, &sbvd_driver);
	struct sbvd_dev *v = NULL;

	/*
	 * Look @v up and claim it in one step: a vdpa dev del may free it.
	 * A claimed device is no longer the slice's, so @v is unclaimed here.
	 */
	if (p) {
		mutex_lock(&p->lock);
		v = slice->backend_priv;
		if (v)
			sbvd_claim_locked(v);
		mutex_unlock(&p->lock);
	}
	if (!v) {
		NL_SET_ERR_MSG_FMT(extack, "slice %s is being deleted",
				   slicebus_slice_name(slice));
		return -ENOENT;
	}
	sbvd_destroy(v, false);
	return 0;
}

static const char *const sbvd_classes[] = { SLICEBUS_CLASS_DSA, NULL };

static struct slicebus_driver sbvd_driver = {
	.name = "vdpa",
	.classes = sbvd_classes,
	.probe = sbvd_slice_probe,
	.parent_add = sbvd_parent_add,
	.parent_remove = sbvd_parent_remove,
	.slice_add = sbvd_slice_add,
	.slice_del = sbvd_slice_del,
	.driver.name = "slicebus_vdpa",
};

static int __init sbvd_init(void)
{
	return slicebus_driver_register(&sbvd_driver);
}

static void __exit sbvd_exit(void)
{
	slicebus_driver_unregister(&sbvd_driver);
}

module_init(sbvd_init);
module_exit(sbvd_exit);
MODULE_DESCRIPTION("slicebus vDPA backend: virtio-net loopback on a slice's engine");
MODULE_LICENSE("GPL");
