/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A slice's queue as its kernel holder sees it: a ring of completion
 * records, one per descriptor in flight, handed out in order and reaped in
 * order, so completions reach their callbacks in submission order.
 */
#ifndef _SLICEBUS_SBQ_H
#define _SLICEBUS_SBQ_H

#include <linux/slicebus_dma.h>
#include <linux/spinlock.h>

struct sbq_slot {
	slicebus_done_t done;
	void *ctx;
};

/**
 * struct sbq - completion-record ring of one slice
 * @slice: the slice
 * @lock: protects everything below
 * @size: slots, the queue's size
 * @rec: completion records, coherent DMA memory of the slice's dma_dev
 * @rec_dma: their DMA address
 * @slots: callback of each record
 * @head: oldest in flight
 * @inflight: records handed out and not reaped
 * @live: the queue is enabled
 * @reaping: a context is running callbacks
 * @again: completions arrived while another context was reaping
 * @cfg: what the queue was enabled with
 */
struct sbq {
	struct slicebus_slice *slice;
	spinlock_t lock;	/* see @lock above */
	u32 size;
	struct dsa_completion_record *rec;
	dma_addr_t rec_dma;
	struct sbq_slot *slots;
	u32 head, inflight;
	bool live, reaping, again;
	struct slicebus_dsa_queue_cfg cfg;
};

void sbq_prepare(struct sbq *q, struct slicebus_slice *slice);
int sbq_start(struct sbq *q);
int sbq_init(struct sbq *q, struct slicebus_slice *slice);
void sbq_kill(struct sbq *q);
void sbq_fini(struct sbq *q);
int sbq_submit(struct sbq *q, struct dsa_hw_desc *desc, slicebus_done_t done,
	       void *ctx);
unsigned int sbq_poll(struct sbq *q);

#endif /* _SLICEBUS_SBQ_H */
