// SPDX-License-Identifier: GPL-2.0
/*
 * slicesim engine: executes DSA descriptors queued on the simulated WQs.
 *
 * Each device runs "engines" threads.  A WQ with queued descriptors sits on
 * the device's ready list; an engine takes the next descriptor of the first
 * ready WQ (which then goes to the back of the list), executes it without
 * locks, writes its completion record and raises its interrupt.  Several
 * engines may execute descriptors of one WQ at once, as on the hardware; a
 * DRAIN waits until every earlier descriptor of its WQ has completed and
 * holds back later ones meanwhile.
 *
 * Descriptor addresses are reached through the holder's memory ops (VFIO
 * IOVAs, a vhost IOTLB), or, without them, are DMA addresses of the
 * slice's DMA device, which slicesim (behind no IOMMU) turns into physical
 * addresses through that device's offset map, if any.  A bad address
 * completes the descriptor with a page-fault status and touches nothing.
 *
 * Locking: sim_dev.lock (a spinlock: submissions may come from atomic
 * context) protects the ready list and every WQ's ring, counters and state.
 * Callbacks run without it.  Lifetime: a WQ is enabled between
 * sim_queue_enable() and sim_queue_disable(); disable waits for executing
 * descriptors, so a holder's callbacks and memory are never used after it.
 * An engine's last touch of a WQ (the wake-up of WQ.idle) is made under
 * sim_dev.lock, and disable reads WQ.executing under that lock, so the WQ
 * may be freed as soon as disable returns.
 */
#include <linux/crc32c.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "sim.h"

#define SIM_BOUNCE	(64 * 1024)
/* pages a SIM_BOUNCE chunk spans at most */
#define SIM_PIN_PAGES	(SIM_BOUNCE / PAGE_SIZE + 1)

/* Valid flags: bits 0-15 except reserved bit 6; bits 16-23 are op-specific
 * and none of the opcodes slicesim implements defines them.
 */
#define SIM_FLAGS_VALID	(0xffff & ~0x40)

/* Per-engine scratch space for copies that cannot be done in place. */
struct sim_ctx {
	struct sim_wq *wq;
	u8 *a, *b;
	u64 fault;		/* address that faulted */
	struct page *sp[SIM_PIN_PAGES], *dp[SIM_PIN_PAGES];
};

/* ---- reaching memory -------------------------------------------------- */

/* A kernel pointer for [addr, addr + len) when it is plain RAM reached by
 * DMA address, else NULL.
 */
static void *sim_kptr(struct sim_ctx *c, u64 addr, size_t len)
{
	struct device *dev = c->wq->slice->dma_dev;
	phys_addr_t phys, p;

	if (c->wq->cfg.mem || addr + len < addr)
		return NULL;
	phys = dma_to_phys(dev, addr);
	/* no translation (an address mapped for another device) or a wrap */
	if (phys == (phys_addr_t)-1 || phys + len < phys)
		return NULL;
	for (p = phys & PAGE_MASK; p < phys + len; p += PAGE_SIZE)
		if (!pfn_valid(PHYS_PFN(p)))
			return NULL;
	return phys_to_virt(phys);
}

static int sim_rw(struct sim_ctx *c, u64 addr, void *buf, size_t len,
		  bool write)
{
	void *p;

	if (!len)
		return 0;
	/* a range past 2^64 is no address; type1 would wrap it to IOVA 0 */
	if (addr + len - 1 < addr)
		goto fault;
	if (c->wq->cfg.mem) {
		if (!c->wq->cfg.mem->rw(c->wq->cfg.mem_priv, addr, buf, len, write))
			return 0;
	} else {
		p = sim_kptr(c, addr, len);
		if (p) {
			if (write)
				memcpy(p, buf, len);
			else
				memcpy(buf, p, len);
			return 0;
		}
	}
fault:
	c->fault = addr;
	return -EFAULT;
}

/*
 * Copy @len (at most SIM_BOUNCE) bytes from @src to @dst of a holder's
 * address space through its pinned pages, without the bounce buffer: the
 * holder's memory ops pin only what it owns, with the access asked for
 * (the destination writable), and refuse ranges an unmap is taking away.
 * The ranges must not overlap as addresses (two addresses of one page may
 * still alias: the copy is then as undefined as the hardware's, within
 * the holder's own memory).  0, or -errno when the holder cannot pin them:
 * the caller then copies through @rw, which faults precisely.
 */
static int sim_copy_pinned(struct sim_ctx *c, u64 dst, u64 src, size_t len)
{
	const struct slicebus_dsa_mem_ops *mem = c->wq->cfg.mem;
	void *priv = c->wq->cfg.mem_priv;
	size_t soff = offset_in_page(src), doff = offset_in_page(dst), n;
	unsigned int sn, dn, si = 0, di = 0;
	void *ps, *pd;
	int ret;

	if (!mem->pin || !len || len > SIM_BOUNCE ||
	    src + len - 1 < src || dst + len - 1 < dst)
		return -EINVAL;
	sn = ((src + len - 1) >> PAGE_SHIFT) - (src >> PAGE_SHIFT) + 1;
	dn = ((dst + len - 1) >> PAGE_SHIFT) - (dst >> PAGE_SHIFT) + 1;
	ret = mem->pin(priv, src & PAGE_MASK, sn, false, c->sp);
	if (ret)
		return ret;
	ret = mem->pin(priv, dst & PAGE_MASK, dn, true, c->dp);
	if (ret) {
		mem->unpin(priv, src & PAGE_MASK, sn);
		return ret;
	}
	while (len) {
		n = min3(len, PAGE_SIZE - soff, PAGE_SIZE - doff);
		ps = kmap_local_page(c->sp[si]);
		pd = kmap_local_page(c->dp[di]);
		memcpy(pd + doff, ps + soff, n);
		kunmap_local(pd);
		kunmap_local(ps);
		len -= n;
		soff += n;
		doff += n;
		if (soff == PAGE_SIZE) {
			soff = 0;
			si++;
		}
		if (doff == PAGE_SIZE) {
			doff = 0;
			di++;
		}
	}
	mem->unpin(priv, dst & PAGE_MASK, dn);
	mem->unpin(priv, src & PAGE_MASK, sn);
	return 0;
}

/* ---- operations ------------------------------------------------------- */

static u8 sim_memmove(struct sim_ctx *c, const struct dsa_hw_desc *d,
		      struct dsa_completion_record *cr)
{
	u64 src = d->src_addr, dst = d->dst_addr, n = d->xfer_size, off, len;
	bool backwards = dst > src && dst < src + n;
	bool overlap = backwards || (src >= dst && src < dst + n);
	void *ps = sim_kptr(c, src, n), *pd = sim_kptr(c, dst, n);

	if (ps && pd) {
		/* as hardware does: overlap decides the direction, not the op */
		if (pd + n <= ps || ps + n <= pd)
			memcpy(pd, ps, n);
		else
			memmove(pd, ps, n);
		cr->bytes_completed = n;
		return DSA_COMP_SUCCESS;
	}
	for (off = 0; off < n; off += len) {
		u64 at;

		len = min_t(u64, n - off, SIM_BOUNCE);
		at = backwards ? n - off - len : off;
		/* operands apart: straight between the holder's pages */
		if (!overlap && c->wq->cfg.mem &&
		    !sim_copy_pinned(c, dst + at, src + at, len)) {
			cr->bytes_completed = off + len;
			continue;
		}
		if (sim_rw(c, src + at, c->a, len, false) ||
		    sim_rw(c, dst + at, c->a, len, true))
			return DSA_COMP_PAGE_FAULT_NOBOF;
		cr->bytes_completed = off + len;
	}
	return DSA_COMP_SUCCESS;
}

static void sim_pattern(u8 *buf, u64 pattern, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern >> (8 * (i & 7));
}

static u8 sim_memfill(struct sim_ctx *c, const struct dsa_hw_desc *d,
		      struct dsa_completion_record *cr)
{
	u64 n = d->xfer_size, off, len;
	u8 *p = sim_kptr(c, d->dst_addr, n);

	if (p) {
		sim_pattern(c->a, d->pattern, min_t(u64, n, SIM_BOUNCE));
		for (off = 0; off < n; off += len) {
			len = min_t(u64, n - off, SIM_BOUNCE);
			memcpy(p + off, c->a, len);
		}
		cr->bytes_completed = n;
		return DSA_COMP_SUCCESS;
	}
	sim_pattern(c->a, d->pattern, min_t(u64, n, SIM_BOUNCE));
	for (off = 0; off < n; off += len) {
		len = min_t(u64, n - off, SIM_BOUNCE);
		if (sim_rw(c, d->dst_addr + off, c->a, len, true))
			return DSA_COMP_PAGE_FAULT_NOBOF;
		cr->bytes_completed = off + len;
	}
	return DSA_COMP_SUCCESS;
}

/* COMPARE (two buffers) and COMPVAL (a buffer and an 8-byte pattern). */
static u8 sim_compare(struct sim_ctx *c, const struct dsa_hw_desc *d,
		      struct dsa_completion_record *cr, bool with_pattern)
{
	u64 n = d->xfer_size, off, len, i;

	if (with_pattern)
		sim_pattern(c->b, d->comp_pattern, min_t(u64, n, SIM_BOUNCE));
	for (off = 0; off < n; off += len) {
		len = min_t(u64, n - off, SIM_BOUNCE);
		if (sim_rw(c, d->src_addr + off, c->a, len, false) ||
		    (!with_pattern &&
		     sim_rw(c, d->src2_addr + off, c->b, len, false)))
			return DSA_COMP_PAGE_FAULT_NOBOF;
		if (memcmp(c->a, c->b, len)) {
			for (i = 0; c->a[i] == c->b[i]; i++)
				;
			cr->result = 1;
			cr->bytes_completed = off + i;
			return DSA_COMP_SUCCESS;
		}
	}
	cr->result = 0;
	cr->bytes_completed = n;
	return DSA_COMP_SUCCESS;
}

static u8 sim_dualcast(struct sim_ctx *c, const struct dsa_hw_desc *d,
		       struct dsa_completion_record *cr)
{
	u64 n = d->xfer_size, off, len;

	/* the two destinations must share bits 11:0 */
	if ((d->dst_addr ^ d->dest2) & 0xfff)
		return DSA_COMP_DCAST_ERR;
	for (off = 0; off < n; off += len) {
		len = min_t(u64, n - off, SIM_BOUNCE);
		if (sim_rw(c, d->src_addr + off, c->a, len, false) ||
		    sim_rw(c, d->dst_addr + off, c->a, len, true) ||
		    sim_rw(c, d->dest2 + off, c->a, len, true))
			return DSA_COMP_PAGE_FAULT_NOBOF;
		cr->bytes_completed = off + len;
	}
	return DSA_COMP_SUCCESS;
}

/* CRC-32C as DSA computes it: the seed and the result are inverted. */
static u8 sim_crcgen(struct sim_ctx *c, const struct dsa_hw_desc *d,
		     struct dsa_completion_record *cr)
{
	u64 n = d->xfer_size, off, len;
	u32 crc = ~d->crc_seed;
	void *p = sim_kptr(c, d->src_addr, n);

	if (p) {
		crc = crc32c(crc, p, n);
	} else {
		for (off = 0; off < n; off += len) {
			len = min_t(u64, n - off, SIM_BOUNCE);
			if (sim_rw(c, d->src_addr + off, c->a, len, false))
				return DSA_COMP_PAGE_FAULT_NOBOF;
			crc = crc32c(crc, c->a, len);
		}
	}
	cr->crc_val = ~crc;
	cr->bytes_completed = n;
	return DSA_COMP_SUCCESS;
}

static u8 sim_execute(struct sim_ctx *c, const struct dsa_hw_desc *d,
		      struct dsa_completion_record *cr, bool in_batch);

static void sim_complete(struct sim_ctx *c, const struct dsa_hw_desc *d,
			 struct dsa_completion_record *cr);

static u8 sim_batch(struct sim_ctx *c, const struct dsa_hw_desc *d,
		    struct dsa_completion_record *cr)
{
	struct dsa_completion_record sub_cr;
	struct dsa_hw_desc sub;
	bool failed = false;
	u32 i;

	if (d->desc_count < 2 || d->desc_count > SIM_MAX_BATCH)
		return DSA_COMP_DESC_CNT_ERANGE;
	if (d->desc_list_addr & 63)
		return DSA_COMP_DESCLIST_ALIGN;
	for (i = 0; i < d->desc_count; i++) {
		if (sim_rw(c, d->desc_list_addr + i * sizeof(sub), &sub,
			   sizeof(sub), false)) {
			cr->bytes_completed = i;
			return DSA_COMP_BATCH_PAGE_FAULT;
		}
		memset(&sub_cr, 0, sizeof(sub_cr));
		if ((sub.flags & IDXD_OP_FLAG_FENCE) && failed)
			sub_cr.status = DSA_COMP_BATCH_FAIL;
		else
			sub_cr.status = sim_execute(c, &sub, &sub_cr, true);
		if (sub_cr.status != DSA_COMP_SUCCESS &&
		    sub_cr.status != DSA_COMP_SUCCESS_PRED)
			failed = true;
		sim_complete(c, &sub, &sub_cr);
	}
	/* descriptors processed, failed or not */
	cr->bytes_completed = i;
	return failed ? DSA_COMP_BATCH_FAIL : DSA_COMP_SUCCESS;
}

/* Wait for every earlier descriptor of the WQ (this one is executing). */
static void sim_drain(struct sim_wq *wq)
{
	wait_event(wq->idle, READ_ONCE(wq->executing) == 1);
}

static u8 sim_execute(struct sim_ctx *c, const struct dsa_hw_desc *d,
		      struct dsa_completion_record *cr, bool in_batch)
{
	u8 status;

	c->fault = 0;
	if (d->flags & ~SIM_FLAGS_VALID) {
		cr->invalid_flags = d->flags & ~SIM_FLAGS_VALID;
		return DSA_COMP_INVALID_FLAGS;
	}
	if (d->opcode != DSA_OPCODE_BATCH && d->opcode != DSA_OPCODE_NOOP &&
	    d->opcode != DSA_OPCODE_DRAIN && d->xfer_size > SIM_MAX_XFER)
		return DSA_COMP_XFER_ERANGE;

	switch (d->opcode) {
	case DSA_OPCODE_NOOP:
		return DSA_COMP_SUCCESS;
	case DSA_OPCODE_DRAIN:
		if (in_batch)
			return DSA_COMP_BAD_OPCODE;
		sim_drain(c->wq);
		return DSA_COMP_SUCCESS;
	case DSA_OPCODE_BATCH:
		if (in_batch)
			return DSA_COMP_BAD_OPCODE;
		return sim_batch(c, d, cr);
	case DSA_OPCODE_MEMMOVE:
		status = sim_memmove(c, d, cr);
		break;
	case DSA_OPCODE_MEMFILL:
		status = sim_memfill(c, d, cr);
		break;
	case DSA_OPCODE_COMPARE:
		status = sim_compare(c, d, cr, false);
		break;
	case DSA_OPCODE_COMPVAL:
		status = sim_compare(c, d, cr, true);
		break;
	case DSA_OPCODE_DUALCAST:
		status = sim_dualcast(c, d, cr);
		break;
	case DSA_OPCODE_CRCGEN:
		status = sim_crcgen(c, d, cr);
		break;
	default:
		return DSA_COMP_BAD_OPCODE;
	}
	if (status == DSA_COMP_PAGE_FAULT_NOBOF)
		cr->fault_addr = c->fault;
	if (status == DSA_COMP_SUCCESS && (d->flags & IDXD_OP_FLAG_CR) &&
	    cr->result != d->expected_res)
		status = DSA_COMP_SUCCESS_PRED;
	return status;
}

/* Write the completion record, status byte last, and raise the interrupt. */
static void sim_complete(struct sim_ctx *c, const struct dsa_hw_desc *d,
			 struct dsa_completion_record *cr)
{
	struct sim_wq *wq = c->wq;
	u64 addr = d->completion_addr;
	bool write = (d->flags & IDXD_OP_FLAG_CRAV) &&
		     ((d->flags & IDXD_OP_FLAG_RCR) ||
		      cr->status != DSA_COMP_SUCCESS);
	struct dsa_completion_record *p;
	u8 status = cr->status;

	/* counted before the record is seen: a reader of both agrees */
	atomic64_inc(&wq->completed);
	if (status != DSA_COMP_SUCCESS && status != DSA_COMP_SUCCESS_PRED)
		atomic64_inc(&wq->failed);
	else if (d->opcode != DSA_OPCODE_BATCH)
		atomic64_add(cr->bytes_completed, &wq->bytes);

	if (write && (addr & 31)) {
		write = false;
		if (wq->cfg.error)
			wq->cfg.error(wq->cfg.priv, addr);
	}
	if (write) {
		p = sim_kptr(c, addr, sizeof(*cr));
		if (p) {
			memcpy((u8 *)p + 1, (u8 *)cr + 1, sizeof(*cr) - 1);
			smp_wmb();	/* the record before its status */
			WRITE_ONCE(p->status, status);
		} else if (sim_rw(c, addr + 1, (u8 *)cr + 1, sizeof(*cr) - 1, true) ||
			   sim_rw(c, addr, &status, 1, true)) {
			if (wq->cfg.error)
				wq->cfg.error(wq->cfg.priv, addr);
		}
	}
	if ((d->flags & IDXD_OP_FLAG_RCI) && wq->cfg.irq)
		wq->cfg.irq(wq->cfg.priv, d->int_handle);
}

/* ---- engines ---------------------------------------------------------- */

/* Take the next descriptor of the first ready WQ; sim->lock held. */
static struct sim_wq *sim_take(struct sim_dev *sim, struct dsa_hw_desc *d)
{
	struct sim_wq *wq = list_first_entry_or_null(&sim->ready, struct sim_wq,
						     ready_node);

	if (!wq)
		return NULL;
	*d = wq->ring[wq->head];
	wq->head = (wq->head + 1) % wq->size;
	wq->queued--;
	wq->executing++;
	list_del_init(&wq->ready_node);
	if (d->opcode == DSA_OPCODE_DRAIN)
		wq->draining = true;
	else if (wq->queued)
		list_add_tail(&wq->ready_node, &sim->ready);
	return wq;
}

static void sim_done(struct sim_dev *sim, struct sim_wq *wq, bool drain)
{
	spin_lock_irq(&sim->lock);
	wq->executing--;
	if (drain) {
		wq->draining = false;
		if (wq->queued && list_empty(&wq->ready_node))
			list_add_tail(&wq->ready_node, &sim->ready);
	}
	/* under the lock: disable may free @wq once it sees executing fall */
	wake_up(&wq->idle);
	spin_unlock_irq(&sim->lock);
	if (drain)
		wake_up(&sim->work);
}

/*
 * Before sleeping, one engine of the device looks for new work for up to
 * poll_us: a submitter that queues its next descriptor as the last one
 * completes (a NOOP round trip, a client refilling its queue) then finds
 * an engine awake and pays no wake-up.  Only while nothing else wants the
 * CPU, and never more than one engine per device.
 */
static bool sim_poll(struct sim_dev *sim)
{
	u32 us = min_t(u32, READ_ONCE(sim->poll_us), USEC_PER_SEC);
	u64 end;
	bool found = false;

	if (!us || atomic_cmpxchg(&sim->polling, 0, 1))
		return false;
	end = ktime_get_ns() + (u64)us * NSEC_PER_USEC;
	while (!need_resched() && !kthread_should_stop()) {
		if (!list_empty_careful(&sim->ready)) {
			found = true;
			break;
		}
		if (ktime_get_ns() > end)
			break;
		cpu_relax();
	}
	atomic_set(&sim->polling, 0);
	return found;
}

static int sim_engine(void *data)
{
	struct sim_dev *sim = data;
	struct dsa_completion_record cr;
	struct sim_ctx c = {};
	struct dsa_hw_desc d;
	struct sim_wq *wq;

	c.a = kvmalloc(SIM_BOUNCE, GFP_KERNEL);
	c.b = kvmalloc(SIM_BOUNCE, GFP_KERNEL);
	while (!kthread_should_stop()) {
		if (list_empty_careful(&sim->ready) && !sim_poll(sim))
			wait_event_interruptible_exclusive(sim->work,
							   !list_empty_careful(&sim->ready) ||
							   kthread_should_stop());
		spin_lock_irq(&sim->lock);
		wq = sim_take(sim, &d);
		spin_unlock_irq(&sim->lock);
		if (!wq)
			continue;
		c.wq = wq;
		memset(&cr, 0, sizeof(cr));
		if (READ_ONCE(sim->delay_us))
			usleep_range(READ_ONCE(sim->delay_us),
				     READ_ONCE(sim->delay_us) + 10);
		if (!c.a || !c.b || atomic_dec_if_positive(&sim->fail_desc) >= 0)
			cr.status = DSA_COMP_HW_ERR1;
		else
			cr.status = sim_execute(&c, &d, &cr, false);
		sim_complete(&c, &d, &cr);
		sim_done(sim, wq, d.opcode == DSA_OPCODE_DRAIN);
		cond_resched();
	}
	kvfree(c.a);
	kvfree(c.b);
	return 0;
}

int sim_engine_start(struct sim_dev *sim, unsigned int engines)
{
	unsigned int i;

	spin_lock_init(&sim->lock);
	INIT_LIST_HEAD(&sim->ready);
	init_waitqueue_head(&sim->work);
	for (i = 0; i < engines; i++) {
		sim->engines[i] = kthread_run(sim_engine, sim, "%s/engine%u",
					      sim->name, i);
		if (IS_ERR(sim->engines[i])) {
			int ret = PTR_ERR(sim->engines[i]);

			sim->nr_engines = i;
			sim_engine_stop(sim);
			return ret;
		}
	}
	sim->nr_engines = engines;
	return 0;
}

void sim_engine_stop(struct sim_dev *sim)
{
	unsigned int i;

	for (i = 0; i < sim->nr_engines; i++)
		kthread_stop(sim->engines[i]);
	sim->nr_engines = 0;
}

/* ---- queues ----------------------------------------------------------- */

struct sim_wq *sim_wq_create(struct sim_dev *sim, struct slicebus_slice *slice,
			     unsigned int id, unsigned int size)
{
	struct sim_wq *wq = kzalloc(sizeof(*wq), GFP_KERNEL);

	if (!wq)
		return NULL;
	wq->sim = sim;
	wq->slice = slice;
	wq->id = id;
	wq->size = size;
	INIT_LIST_HEAD(&wq->ready_node);
	init_waitqueue_head(&wq->idle);
	return wq;
}

void sim_wq_destroy(struct sim_wq *wq)
{
	sim_queue_disable(wq->slice);
	kfree(wq);
}

void sim_queue_caps(struct slicebus_slice *slice,
		    struct slicebus_dsa_queue_caps *caps)
{
	static const u8 ops[] = {
		DSA_OPCODE_NOOP, DSA_OPCODE_BATCH, DSA_OPCODE_DRAIN,
		DSA_OPCODE_MEMMOVE, DSA_OPCODE_MEMFILL, DSA_OPCODE_COMPARE,
		DSA_OPCODE_COMPVAL, DSA_OPCODE_DUALCAST, DSA_OPCODE_CRCGEN,
	};
	struct sim_wq *wq = slice->provider_priv;
	unsigned int i;

	caps->size = wq->size;
	caps->max_xfer = SIM_MAX_XFER;
	caps->max_batch = SIM_MAX_BATCH;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		__set_bit(ops[i], caps->opcodes);
}

int sim_queue_enable(struct slicebus_slice *slice,
		     const struct slicebus_dsa_queue_cfg *cfg)
{
	struct sim_wq *wq = slice->provider_priv;
	struct dsa_hw_desc *ring;
	int ret = 0;

	/* the ring exists while the queue is enabled: an idle slice has none */
	ring = kvcalloc(wq->size, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	spin_lock_irq(&wq->sim->lock);
	if (wq->enabled) {
		ret = -EBUSY;
	} else {
		wq->cfg = *cfg;
		wq->ring = ring;
		wq->head = 0;
		wq->tail = 0;
		wq->enabled = true;
		ring = NULL;
	}
	spin_unlock_irq(&wq->sim->lock);
	kvfree(ring);
	return ret;
}

void sim_queue_disable(struct slicebus_slice *slice)
{
	struct sim_wq *wq = slice->provider_priv;
	struct dsa_hw_desc *ring;

	spin_lock_irq(&wq->sim->lock);
	wq->enabled = false;
	wq->queued = 0;
	wq->head = wq->tail;
	list_del_init(&wq->ready_node);
	wait_event_lock_irq(wq->idle, !wq->executing, wq->sim->lock);
	/* executing descriptors were copied out of it when taken */
	ring = wq->ring;
	wq->ring = NULL;
	spin_unlock_irq(&wq->sim->lock);
	kvfree(ring);
}

int sim_queue_submit(struct slicebus_slice *slice,
		     const struct dsa_hw_desc *desc)
{
	struct sim_wq *wq = slice->provider_priv;
	struct sim_dev *sim = wq->sim;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (!wq->enabled) {
		ret = -ENODEV;
	} else if (wq->queued + wq->executing >= wq->size) {
		wq->refused++;
		ret = -ENOSPC;
	} else {
		wq->ring[wq->tail] = *desc;
		wq->tail = (wq->tail + 1) % wq->size;
		wq->queued++;
		wq->submitted++;
		if (!wq->draining && list_empty(&wq->ready_node))
			list_add_tail(&wq->ready_node, &sim->ready);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	/*
	 * An engine about to sleep checks @ready after queueing itself on
	 * @work (wait_event's barrier); wq_has_sleeper() orders our list
	 * update before the look at @work: one of the two sees the other.
	 */
	if (!ret && wq_has_sleeper(&sim->work))
		wake_up(&sim->work);
	return ret;
}

void sim_queue_stats(struct slicebus_slice *slice,
		     struct slicebus_dsa_queue_stats *stats)
{
	struct sim_wq *wq = slice->provider_priv;

	/* the caller zeroed @stats */
	spin_lock_irq(&wq->sim->lock);
	stats->submitted = wq->submitted;
	stats->refused = wq->refused;
	spin_unlock_irq(&wq->sim->lock);
	stats->completed = atomic64_read(&wq->completed);
	stats->failed = atomic64_read(&wq->failed);
	stats->bytes = atomic64_read(&wq->bytes);
}

/* debugfs "wqs": each live WQ, its slice and queue state (tests, operators) */
static int sim_wqs_show(struct seq_file *m, void *unused)
{
	struct sim_dev *sim = m->private;
	unsigned long id;
	struct sim_wq *wq;

	mutex_lock(&sim->hp_lock);
	xa_for_each(&sim->wqs, id, wq) {
		bool enabled, ring;
		unsigned int queued, executing;

		spin_lock_irq(&sim->lock);
		enabled = wq->enabled;
		ring = wq->ring;
		queued = wq->queued;
		executing = wq->executing;
		spin_unlock_irq(&sim->lock);
		seq_printf(m, "wq %u slice %s size %u enabled %d ring %d queued %u executing %u\n",
			   wq->id, slicebus_slice_name(wq->slice), wq->size,
			   enabled, ring, queued, executing);
	}
	mutex_unlock(&sim->hp_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_wqs);

void sim_engine_debugfs(struct sim_dev *sim)
{
	debugfs_create_file("wqs", 0400, sim->debugfs, sim, &sim_wqs_fops);
}
