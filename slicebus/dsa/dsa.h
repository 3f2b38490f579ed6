/* SPDX-License-Identifier: GPL-2.0 */
/* slicebus_dsa internals, shared by queue.c and mediate.c. */
#ifndef _SLICEBUS_DSA_DSA_H
#define _SLICEBUS_DSA_DSA_H

#include <linux/atomic.h>
#include <linux/slicebus_dsa.h>

struct sb_med;

/**
 * struct sb_dsa_slice - the DSA class's state of a slice
 *	(&slicebus_slice.class_priv, freed with the slice)
 * @qusers: calls in progress on the slice's queue, plus one while the
 *	queue is alive (see queue.c)
 * @cfg: the holder's configuration while it has the queue enabled, else
 *	NULL; set and cleared by the holder's enable and disable (entered),
 *	read by the kill once every call left
 * @stopped: the kill has stopped the queue (set once, before the holder
 *	is told); a holder's disable that finds the queue killed waits for it
 * @med: the mediated path while a holder with memory ops has the queue
 *	enabled on a DMA-only parent, else NULL
 * @med_count: descriptors the mediated path passed to the provider
 * @med_local: descriptors it completed itself
 * @med_failed: of those, the ones that failed
 * @med_refused: submissions it refused (queue full, budget short)
 * @med_pinned: regions it used in place
 *
 * The counters outlast the mediated path, which comes and goes with the
 * holders.
 */
struct sb_dsa_slice {
	atomic_t qusers;
	const struct slicebus_dsa_queue_cfg *cfg;
	bool stopped;
	struct sb_med *med;
	atomic64_t med_count, med_local, med_failed, med_refused, med_pinned;
};

static inline struct sb_dsa_slice *sb_dsa(struct slicebus_slice *slice)
{
	return slice->class_priv;
}

static inline const struct slicebus_dsa_parent_ops *
sb_dsa_ops(struct slicebus_slice *slice)
{
	return slicebus_parent_class_ops(slice->parent);
}

/* mediate.c: the mediated path for DMA-only parents */
struct sb_med *sb_med_create(struct slicebus_slice *slice,
			     const struct slicebus_dsa_queue_cfg *hcfg);
void sb_med_destroy(struct sb_med *m);
const struct slicebus_dsa_queue_cfg *sb_med_cfg(struct sb_med *m);
int sb_med_submit(struct sb_med *m, const struct dsa_hw_desc *d);
void sb_med_stats(struct slicebus_slice *slice,
		  struct slicebus_dsa_queue_stats *stats);

#endif /* _SLICEBUS_DSA_DSA_H */
