// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus queues: the data path of a slice, provided by its parent's
 * driver (slicesim's engine, or real work queues) and used by whichever
 * backend holds the slice.  One holder at a time: the backend enables the
 * queue with its address space and interrupt callback, and disables it
 * before it lets go of the slice.
 *
 * On a DMA-only parent a holder with memory ops of its own is served
 * through the mediated path (mediate.c): slice->med is set by
 * slicebus_queue_enable() before the holder can submit and cleared by
 * slicebus_queue_disable() after it stopped; the holder serialises those
 * calls with its submissions, as it must anyway.
 */
#include <linux/slicebus.h>
#include <linux/sysfs.h>

#include "sb.h"

static const struct slicebus_parent_ops *sb_qops(struct slicebus_slice *slice)
{
	const struct slicebus_parent_ops *ops = slice->parent->info.ops;

	return ops && ops->queue_submit ? ops : NULL;
}

/**
 * slicebus_queue_caps() - describe a slice's queue
 * @slice: the slice
 * @caps: filled in
 *
 * Return: 0, or -EOPNOTSUPP when the provider has no data path.
 */
int slicebus_queue_caps(struct slicebus_slice *slice,
			struct slicebus_queue_caps *caps)
{
	const struct slicebus_parent_ops *ops = sb_qops(slice);

	if (!ops)
		return -EOPNOTSUPP;
	memset(caps, 0, sizeof(*caps));
	ops->queue_caps(slice, caps);
	if (slice->parent->info.dma_only)
		caps->max_xfer = min(caps->max_xfer, SLICEBUS_MEDIATED_MAX_XFER);
	return 0;
}
EXPORT_SYMBOL_GPL(slicebus_queue_caps);

/**
 * slicebus_queue_enable() - start a slice's queue for its holder
 * @slice: the slice, held by the caller's backend
 * @cfg: address space and callbacks; must stay valid until
 *	slicebus_queue_disable() returns
 *
 * With @cfg->mem on a DMA-only parent, the queue is served through the
 * mediated path and the holder's submissions must come from process
 * context.
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP without a data path, -EBUSY if already enabled,
 * -ENOMEM.
 */
int slicebus_queue_enable(struct slicebus_slice *slice,
			  const struct slicebus_queue_cfg *cfg)
{
	const struct slicebus_parent_ops *ops = sb_qops(slice);
	struct sb_med *med;
	int ret;

	if (!ops)
		return -EOPNOTSUPP;
	if (!cfg->mem || !slice->parent->info.dma_only)
		return ops->queue_enable(slice, cfg);
	if (slice->med)
		return -EBUSY;
	med = sb_med_create(slice, cfg);
	if (IS_ERR(med))
		return PTR_ERR(med);
	ret = ops->queue_enable(slice, sb_med_cfg(med));
	if (ret) {
		sb_med_destroy(med);
		return ret;
	}
	slice->med = med;
	return 0;
}
EXPORT_SYMBOL_GPL(slicebus_queue_enable);

/**
 * slicebus_queue_disable() - stop a slice's queue
 * @slice: the slice
 *
 * Queued descriptors are discarded without a completion; executing ones
 * finish.  When this returns the queue touches no memory and calls no
 * callback.  Context: process context; may sleep.
 */
void slicebus_queue_disable(struct slicebus_slice *slice)
{
	const struct slicebus_parent_ops *ops = sb_qops(slice);

	if (!ops)
		return;
	ops->queue_disable(slice);
	if (slice->med) {
		sb_med_destroy(slice->med);
		slice->med = NULL;
	}
}
EXPORT_SYMBOL_GPL(slicebus_queue_disable);

/**
 * slicebus_queue_submit() - queue one descriptor
 * @slice: the slice, its queue enabled
 * @desc: the DSA descriptor; copied before this returns
 *
 * Context: any context; process context for a mediated holder (see
 * slicebus_queue_enable()).
 * Return: 0; -ENOSPC when the queue is full (like a dedicated WQ's portal
 * it never blocks and never drops silently); -ENODEV when not enabled.
 */
int slicebus_queue_submit(struct slicebus_slice *slice,
			  const struct dsa_hw_desc *desc)
{
	const struct slicebus_parent_ops *ops = sb_qops(slice);

	if (!ops)
		return -EOPNOTSUPP;
	if (slice->med)
		return sb_med_submit(slice->med, desc);
	return ops->queue_submit(slice, desc);
}
EXPORT_SYMBOL_GPL(slicebus_queue_submit);

/**
 * slicebus_queue_stats() - read a slice's queue counters
 * @slice: the slice
 * @stats: filled in (zeros without a data path)
 */
void slicebus_queue_stats(struct slicebus_slice *slice,
			  struct slicebus_queue_stats *stats)
{
	const struct slicebus_parent_ops *ops = sb_qops(slice);

	memset(stats, 0, sizeof(*stats));
	if (ops && ops->queue_stats)
		ops->queue_stats(slice, stats);
	sb_med_stats(slice, stats);
}
EXPORT_SYMBOL_GPL(slicebus_queue_stats);

static ssize_t stats_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct slicebus_queue_stats st;

	slicebus_queue_stats(to_slicebus_slice(dev), &st);
	return sysfs_emit(buf,
			  "submitted %llu refused %llu completed %llu failed %llu bytes %llu mediated %llu pinned %llu\n",
			  st.submitted, st.refused, st.completed, st.failed,
			  st.bytes, st.mediated, st.pinned);
}
static DEVICE_ATTR_RO(stats);

static struct attribute *sb_queue_attrs[] = {
	&dev_attr_stats.attr,
	NULL,
};

static umode_t sb_queue_visible(struct kobject *kobj, struct attribute *attr,
				int n)
{
	struct slicebus_slice *slice = to_slicebus_slice(kobj_to_dev(kobj));

	return sb_qops(slice) ? attr->mode : 0;
}

const struct attribute_group sb_queue_group = {
	.name = "queue",
	.attrs = sb_queue_attrs,
	.is_visible = sb_queue_visible,
};
