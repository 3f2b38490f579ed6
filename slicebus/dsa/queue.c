// SPDX-License-Identifier: GPL-2.0
/*
 * The DSA slice class (slicebus_dsa.ko): the queues of slices whose
 * parents registered with class %SLICEBUS_CLASS_DSA, provided by the
 * parent's driver (slicesim's engine, or real work queues) and used by
 * whichever backend holds the slice.  One holder at a time: the backend
 * enables the queue with its address space and interrupt callback, and
 * disables it before it lets go of the slice.
 *
 * On a DMA-only parent a holder with memory ops of its own is served
 * through the mediated path (mediate.c): the slice's @med is set by
 * slicebus_dsa_queue_enable() before the holder can submit and cleared by
 * slicebus_dsa_queue_disable() after it stopped; the holder serialises
 * those calls with its submissions, as it must anyway.
 *
 * Lifetime: a kernel holder (an in-kernel client, a dmaengine client) may
 * keep a slice after its provider went away, and call these entry points
 * then.  Each one enters the slice's queue (@qusers of its
 * &struct sb_dsa_slice: the calls in progress, plus one for the queue
 * being alive) and calls the provider only once entered.  The slice's
 * teardown kills the queue (this class's @slice_kill, which the core calls
 * before the provider's @slice_release): it drops the alive count and
 * waits for the calls in progress to leave, so that afterwards every entry
 * point fails with -ENODEV (or does nothing) and the provider's code and
 * data are never reached again.  slicebus_parent_unregister() tears every
 * slice down before it returns, so no provider code runs after it.
 * Entering is an atomic increment: the entry points keep working from
 * atomic context.  The class state lives as long as the slice, and every
 * parent of the class holds this module.
 */
#include <linux/module.h>
#include <linux/slicebus_dsa.h>
#include <linux/sysfs.h>

#include "dsa.h"

static struct slicebus_class sb_dsa_class;

/* The provider's queue ops, or NULL: no data path, or not a DSA slice. */
static const struct slicebus_dsa_parent_ops *
sb_qops(struct slicebus_slice *slice)
{
	const struct slicebus_dsa_parent_ops *ops;

	if (slicebus_parent_class(slice->parent) != &sb_dsa_class)
		return NULL;
	ops = sb_dsa_ops(slice);
	return ops->queue_submit ? ops : NULL;
}

static void sb_queue_init(struct slicebus_slice *slice)
{
	atomic_set(&sb_dsa(slice)->qusers, 1);
}

/* Enter the queue's entry points: false once it was killed. */
static bool sb_queue_enter(struct slicebus_slice *slice)
{
	return atomic_inc_not_zero(&sb_dsa(slice)->qusers);
}

static void sb_queue_leave(struct slicebus_slice *slice)
{
	atomic_t *qusers = &sb_dsa(slice)->qusers;

	if (atomic_dec_and_test(qusers))
		wake_up_var(qusers);
}

/* Stop the provider's queue and the mediated path; entered or killed. */
static void sb_queue_stop(struct slicebus_slice *slice)
{
	struct sb_dsa_slice *ds = sb_dsa(slice);

	sb_dsa_ops(slice)->queue_disable(slice);
	if (ds->med) {
		sb_med_destroy(ds->med);
		ds->med = NULL;
	}
	ds->cfg = NULL;
}

/*
 * Kill the queue: no entry point reaches the provider after this returns.
 * Called once, by the slice's teardown or its revocation, before
 * @slice_release.  A holder that still has the queue enabled (its
 * provider's hardware went away, or a kernel holder outlived the provider)
 * has it disabled here and is told through its @revoked.  May sleep.
 */
static void sb_queue_kill(struct slicebus_slice *slice)
{
	struct sb_dsa_slice *ds = sb_dsa(slice);
	const struct slicebus_dsa_queue_cfg *cfg;

	if (!atomic_dec_and_test(&ds->qusers))
		wait_var_event(&ds->qusers, !atomic_read(&ds->qusers));
	cfg = ds->cfg;
	if (cfg)
		sb_queue_stop(slice);
	/* pairs with the holder's wait in slicebus_dsa_queue_disable() */
	smp_store_release(&ds->stopped, true);
	wake_up_var(&ds->stopped);
	if (cfg && cfg->revoked)
		cfg->revoked(cfg->priv);
}

/**
 * slicebus_dsa_queue_caps() - describe a slice's queue
 * @slice: the slice
 * @caps: filled in
 *
 * Return: 0, -EOPNOTSUPP when the slice is not a DSA slice or its provider
 * has no data path, -ENODEV when the slice was torn down (its provider went
 * away).
 */
int slicebus_dsa_queue_caps(struct slicebus_slice *slice,
			    struct slicebus_dsa_queue_caps *caps)
{
	const struct slicebus_dsa_parent_ops *ops = sb_qops(slice);

	memset(caps, 0, sizeof(*caps));
	if (!ops)
		return -EOPNOTSUPP;
	if (!sb_queue_enter(slice))
		return -ENODEV;
	ops->queue_caps(slice, caps);
	sb_queue_leave(slice);
	if (ops->dma_only)
		caps->max_xfer = min(caps->max_xfer,
				     SLICEBUS_DSA_MEDIATED_MAX_XFER);
	return 0;
}
EXPORT_SYMBOL_GPL(slicebus_dsa_queue_caps);

/**
 * slicebus_dsa_queue_enable() - start a slice's queue for its holder
 * @slice: the slice, held by the caller's backend
 * @cfg: address space and callbacks; must stay valid until
 *	slicebus_dsa_queue_disable() returns
 *
 * With @cfg->mem on a DMA-only parent, the queue is served through the
 * mediated path and the holder's submissions must come from process
 * context.
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP without a data path, -EBUSY if already enabled,
 * -ENOMEM, -ENODEV when the slice was torn down.
 */
int slicebus_dsa_queue_enable(struct slicebus_slice *slice,
			      const struct slicebus_dsa_queue_cfg *cfg)
{
	const struct slicebus_dsa_parent_ops *ops = sb_qops(slice);
	struct sb_dsa_slice *ds;
	struct sb_med *med;
	int ret;

	if (!ops)
		return -EOPNOTSUPP;
	if (!sb_queue_enter(slice))
		return -ENODEV;
	ds = sb_dsa(slice);
	ret = -EBUSY;
	if (ds->cfg)
		goto out;
	if (!cfg->mem || !ops->dma_only) {
		ret = ops->queue_enable(slice, cfg);
		if (!ret)
			ds->cfg = cfg;
		goto out;
	}
	med = sb_med_create(slice, cfg);
	ret = PTR_ERR_OR_ZERO(med);
	if (ret)
		goto out;
	ret = ops->queue_enable(slice, sb_med_cfg(med));
	if (ret) {
		sb_med_destroy(med);
	} else {
		ds->med = med;
		ds->cfg = cfg;
	}
out:
	sb_queue_leave(slice);
	return ret;
}
EXPORT_SYMBOL_GPL(slicebus_dsa_queue_enable);

/**
 * slicebus_dsa_queue_disable() - stop a slice's queue
 * @slice: the slice
 *
 * Queued descriptors are discarded without a completion; executing ones
 * finish.  When this returns the queue touches no memory and calls no
 * callback.  On a slice torn down or revoked it does nothing but wait
 * until the teardown has stopped the queue.  Context: process context; may sleep.
 */
void slicebus_dsa_queue_disable(struct slicebus_slice *slice)
{
	struct sb_dsa_slice *ds = sb_dsa(slice);

	if (!sb_qops(slice))
		return;
	if (!sb_queue_enter(slice)) {
		/* killed: the kill stops the queue, maybe this moment */
		wait_var_event(&ds->stopped, smp_load_acquire(&ds->stopped));
		return;
	}
	sb_queue_stop(slice);
	sb_queue_leave(slice);
}
EXPORT_SYMBOL_GPL(slicebus_dsa_queue_disable);

/**
 * slicebus_dsa_queue_submit() - queue one descriptor
 * @slice: the slice, its queue enabled
 * @desc: the DSA descriptor; copied before this returns
 *
 * Context: any context; process context for a mediated holder (see
 * slicebus_dsa_queue_enable()).
 * Return: 0; -ENOSPC when the queue is full (like a dedicated WQ's portal
 * it never blocks and never drops silently); -ENODEV when not enabled or
 * when the slice was torn down; -EOPNOTSUPP without a data path.
 */
int slicebus_dsa_queue_submit(struct slicebus_slice *slice,
			      const struct dsa_hw_desc *desc)
{
	const struct slicebus_dsa_parent_ops *ops = sb_qops(slice);
	struct sb_med *med;
	int ret;

	if (!ops)
		return -EOPNOTSUPP;
	if (!sb_queue_enter(slice))
		return -ENODEV;
	med = sb_dsa(slice)->med;
	if (med)
		ret = sb_med_submit(med, desc);
	else
		ret = ops->queue_submit(slice, desc);
	sb_queue_leave(slice);
	return ret;
}
EXPORT_SYMBOL_GPL(slicebus_dsa_queue_submit);

/**
 * slicebus_dsa_queue_stats() - read a slice's queue counters
 * @slice: the slice
 * @stats: filled in (zeros without a data path or once the slice was
 *	torn down)
 */
void slicebus_dsa_queue_stats(struct slicebus_slice *slice,
			      struct slicebus_dsa_queue_stats *stats)
{
	const struct slicebus_dsa_parent_ops *ops = sb_qops(slice);

	memset(stats, 0, sizeof(*stats));
	if (!ops || !sb_queue_enter(slice))
		return;
	if (ops->queue_stats)
		ops->queue_stats(slice, stats);
	sb_med_stats(slice, stats);
	sb_queue_leave(slice);
}
EXPORT_SYMBOL_GPL(slicebus_dsa_queue_stats);

static ssize_t stats_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct slicebus_dsa_queue_stats st;

	slicebus_dsa_queue_stats(to_slicebus_slice(dev), &st);
	return sysfs_emit(buf,
			  "submitted %llu refused %llu completed %llu failed %llu bytes %llu mediated %llu pinned %llu\n",
			  st.submitted, st.refused, st.completed, st.failed,
			  st.bytes, st.mediated, st.pinned);
}
static DEVICE_ATTR_RO(stats);

/* the same counters for slice-get, named as in queue/stats */
static unsigned int sb_dsa_slice_stats(struct slicebus_slice *slice,
				       struct slicebus_stat *stats)
{
	struct slicebus_dsa_queue_stats st;
	unsigned int n = 0;

	if (!sb_qops(slice))
		return 0;
	slicebus_dsa_queue_stats(slice, &st);
	stats[n++] = (struct slicebus_stat){ "submitted", st.submitted };
	stats[n++] = (struct slicebus_stat){ "refused", st.refused };
	stats[n++] = (struct slicebus_stat){ "completed", st.completed };
	stats[n++] = (struct slicebus_stat){ "failed", st.failed };
	stats[n++] = (struct slicebus_stat){ "bytes", st.bytes };
	stats[n++] = (struct slicebus_stat){ "mediated", st.mediated };
	stats[n++] = (struct slicebus_stat){ "pinned", st.pinned };
	BUILD_BUG_ON(7 > SLICEBUS_MAX_STATS);
	return n;
}

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

/* queue/: the counters; the mediated path adds queue/mediated */
static const struct attribute_group sb_queue_group = {
	.name = "queue",
	.attrs = sb_queue_attrs,
	.is_visible = sb_queue_visible,
};

static const struct attribute_group *sb_dsa_groups[] = {
	&sb_queue_group,
	NULL,
};

static struct slicebus_class sb_dsa_class = {
	.name = SLICEBUS_CLASS_DSA,
	.owner = THIS_MODULE,
	.ops_size = sizeof(struct slicebus_dsa_parent_ops),
	.slice_priv_size = sizeof(struct sb_dsa_slice),
	.slice_init = sb_queue_init,
	.slice_kill = sb_queue_kill,
	.slice_groups = sb_dsa_groups,
	.slice_stats = sb_dsa_slice_stats,
};

static int __init sb_dsa_init(void)
{
	return slicebus_class_register(&sb_dsa_class);
}

static void __exit sb_dsa_exit(void)
{
	slicebus_class_unregister(&sb_dsa_class);
}

module_init(sb_dsa_init);
module_exit(sb_dsa_exit);
MODULE_ALIAS("slicebus-class-" SLICEBUS_CLASS_DSA);
MODULE_DESCRIPTION("slicebus: the DSA slice class (work queues, mediated path)");
MODULE_LICENSE("GPL");
