// SPDX-License-Identifier: GPL-2.0
/*
 * Completion-record ring shared by the dmaengine channels and the in-kernel
 * client API of slicebus_dma (see sbq.h).
 *
 * Lifetime: sbq_init() (sbq_prepare(), then sbq_start() when the ring is
 * wanted) enables the slice's queue; sbq_kill() disables it
 * (nothing completes afterwards, pending callbacks are dropped) and frees
 * the completion records, so that the coherent memory goes back to the DMA
 * device while its driver (the provider) is still bound: it runs from the
 * slice's removal, which the provider's unregistration waits for, even
 * while the holder still has the ring, or from the slice's revocation
 * (its hardware went away: the class stopped the queue and tells us, with
 * the provider still bound).  sbq_fini() frees the rest.
 * Readers of @rec take q->lock and stop at @inflight, which the kill
 * clears with @rec under that lock.  q->lock is a spinlock taken with interrupts
 * off: completions may be reaped from any context.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "sbq.h"

static void sbq_irq(void *priv, u16 int_handle)
{
	sbq_poll(priv);
}

/* A provider hands us the record its hardware wrote elsewhere. */
static void sbq_write_record(void *priv, u64 addr,
			     const struct dsa_completion_record *cr)
{
	struct sbq *q = priv;
	u64 off = addr - q->rec_dma;
	struct dsa_completion_record *r;

	if (addr < q->rec_dma || off >= q->size * sizeof(*r) || off % sizeof(*r))
		return;
	r = &q->rec[off / sizeof(*r)];
	memcpy((u8 *)r + 1, (const u8 *)cr + 1, sizeof(*r) - 1);
	dma_wmb();	/* the record before its status */
	WRITE_ONCE(r->status, cr->status);
}

static void sbq_revoked(void *priv)
{
	/* the queue was stopped under us: forget what was in flight now */
	sbq_kill(priv);
}

/* Before anything else: the ring is stopped and holds nothing. */
void sbq_prepare(struct sbq *q, struct slicebus_slice *slice)
{
	q->slice = slice;
	spin_lock_init(&q->lock);
}

/*
 * Allocate the records and enable the queue; once more after sbq_fini()
 * (or a failure) if wanted.  Process context.
 */
int sbq_start(struct sbq *q)
{
	struct slicebus_slice *slice = q->slice;
	struct slicebus_dsa_queue_caps caps;
	int ret;

	ret = slicebus_dsa_queue_caps(slice, &caps);
	if (ret)
		return ret;
	q->size = caps.size;
	q->slots = kcalloc(q->size, sizeof(*q->slots), GFP_KERNEL);
	if (!q->slots)
		return -ENOMEM;
	q->rec = dma_alloc_coherent(slice->dma_dev, q->size * sizeof(*q->rec),
				    &q->rec_dma, GFP_KERNEL);
	if (!q->rec) {
		kfree(q->slots);
		q->slots = NULL;
		return -ENOMEM;
	}
	q->cfg.irq = sbq_irq;
	q->cfg.write_record = sbq_write_record;
	q->cfg.revoked = sbq_revoked;
	q->cfg.priv = q;
	ret = slicebus_dsa_queue_enable(slice, &q->cfg);
	if (ret) {
		sbq_fini(q);
		return ret;
	}
	q->live = true;
	return 0;
}

int sbq_init(struct sbq *q, struct slicebus_slice *slice)
{
	sbq_prepare(q, slice);
	return sbq_start(q);
}

/* Forget everything in flight and free the records; the queue is disabled. */
static void sbq_forget(struct sbq *q)
{
	struct dsa_completion_record *rec;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->head = 0;
	q->inflight = 0;
	rec = q->rec;
	q->rec = NULL;
	spin_unlock_irqrestore(&q->lock, flags);
	if (rec)
		dma_free_coherent(q->slice->dma_dev, q->size * sizeof(*rec),
				  rec, q->rec_dma);
}

/* Stop the queue for good: no completion and no callback after this. */
void sbq_kill(struct sbq *q)
{
	unsigned long flags;
	bool was_live;

	spin_lock_irqsave(&q->lock, flags);
	was_live = q->live;
	q->live = false;
	spin_unlock_irqrestore(&q->lock, flags);
	if (was_live)
		slicebus_dsa_queue_disable(q->slice);
	sbq_forget(q);
}

void sbq_fini(struct sbq *q)
{
	sbq_kill(q);
	kfree(q->slots);
	q->slots = NULL;
}

/* Give @desc a completion record and queue it; -ENOSPC when full. */
int sbq_submit(struct sbq *q, struct dsa_hw_desc *desc, slicebus_done_t done,
	       void *ctx)
{
	unsigned long flags;
	u32 slot;
	int ret;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->live) {
		ret = -ENODEV;
		goto out;
	}
	if (q->inflight == q->size) {
		ret = -ENOSPC;
		goto out;
	}
	slot = (q->head + q->inflight) % q->size;
	q->rec[slot].status = DSA_COMP_NONE;
	q->slots[slot].done = done;
	q->slots[slot].ctx = ctx;
	desc->completion_addr = q->rec_dma + slot * sizeof(*q->rec);
	desc->flags |= IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI;
	ret = slicebus_dsa_queue_submit(q->slice, desc);
	if (!ret)
		q->inflight++;
out:
	spin_unlock_irqrestore(&q->lock, flags);
	return ret;
}

/*
 * Reap completed records in order; returns how many.  One context reaps at a
 * time, so callbacks run in submission order; a context that finds another
 * reaping leaves the work to it.
 */
unsigned int sbq_poll(struct sbq *q)
{
	struct dsa_completion_record cr;
	struct sbq_slot s;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&q->lock, flags);
	if (q->reaping) {
		q->again = true;
		spin_unlock_irqrestore(&q->lock, flags);
		return 0;
	}
	q->reaping = true;
	for (;;) {
		if (!q->inflight || !READ_ONCE(q->rec[q->head].status)) {
			if (!q->again)
				break;
			q->again = false;
			continue;
		}
		dma_rmb();	/* the status before the rest of the record */
		cr = q->rec[q->head];
		s = q->slots[q->head];
		q->head = (q->head + 1) % q->size;
		q->inflight--;
		spin_unlock_irqrestore(&q->lock, flags);
		if (s.done)
			s.done(s.ctx, &cr);
		n++;
		spin_lock_irqsave(&q->lock, flags);
	}
	q->reaping = false;
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}
