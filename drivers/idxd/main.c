// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus_idxd: Intel DSA work queues as slicebus slices.
 *
 * A driver on the idxd ("dsa") bus, as drivers/crypto/intel/iaa is: it
 * binds the kernel work queues an administrator configured for it
 * (accel-config: mode dedicated, type kernel, driver_name "slicebus"), and
 * registers each idxd device as a slicebus parent whose resources are
 * those WQs: "wq" = how many, "wq-entries" = the sum of their sizes (and a
 * "wq-<size>" per size when there are several), one slice type
 * "dwq-<size>" per distinct WQ size (layout.c).  A slice is one WQ.
 *
 * Data path: descriptors go to the WQ portal through idxd's own submission
 * (movdir64b; only dedicated WQs are bound, see sbi_probe()) in
 * descriptors from idxd's pool, so the pool's size is the queue's size and
 * an empty pool refuses a submission.  The hardware writes the completion
 * into idxd's record; on its interrupt idxd calls our desc_complete, which
 * hands the record to the slice's holder (@write_record) and raises the
 * holder's interrupt.  Holders reach memory by DMA addresses of the idxd
 * PCI device (slice->dma_dev).  The parent is DMA-only: a holder with its
 * own address space (the VFIO and vDPA backends' guest IOVAs) is served by
 * slicebus's mediated path, which translates and bounces every operand and
 * reaches this queue as a kernel holder; PASID/SVA passthrough is not used.
 *
 * Disable: a WQ's queue is off only when the hardware owns none of its
 * descriptors.  What does not complete within SBI_DRAIN_TIMEOUT is taken
 * back by disabling the WQ (drain, then reset: idxd completes what is
 * left as aborted through sbi_desc_complete()) and enabling it again; a
 * WQ that does not come back is out of service and never given out again.
 *
 * Registration: a device's parent is registered when its first WQ is
 * bound, with one type per size of the WQs configured for this driver
 * (driver_name "slicebus"), bound or not, and the capacity of the bound
 * ones.  A WQ bound or unbound later changes the capacity only
 * (slicebus_parent_resize()): a WQ that goes away takes only the slice on
 * it, which is revoked (slicebus_slice_revoke(): its holder is told, a VM
 * keeps its mdev until it lets go) before the capacity is lowered; every
 * other slice keeps working.  Only a WQ of a size no configured WQ had
 * when the parent was registered (its types would change) re-registers
 * the parent, which tears down its slices, and says so.  The parent is
 * unregistered with the device's last WQ.
 *
 * Locking: sbi_lock (mutex) serialises the probe and remove of every WQ
 * and guards the device list; it is held across the slicebus calls that
 * register, resize or unregister a parent (which may wait for slices to
 * be torn down), so a device is never seen half-reconfigured.  Each
 * device's lock (mutex) guards its WQ set and which slice has which WQ; it
 * is what @slice_init and @slice_release take, and it is never held across
 * a slicebus call.  Order: sbi_lock -> slicebus -> sbi_dev.lock -> a WQ's
 * spinlock (its in-flight count, holder and state).
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/slicebus_dsa.h>

#include "idxd.h"
#include "layout.h"
#include "slicebus/compat.h"

#define SBI_MAX_WQS	64
#define SBI_DRAIN_TIMEOUT	(2 * HZ)

struct sbi_dev;

struct sbi_wq {
	struct idxd_wq *wq;
	struct sbi_dev *dev;
	struct slicebus_slice *slice;	/* the slice on it, or NULL */
	spinlock_t lock;		/* @cfg, @on, @broken, @inflight, @orig */
	struct slicebus_dsa_queue_cfg cfg;
	bool on;
	bool broken;			/* out of service, see the top */
	unsigned int inflight;
	wait_queue_head_t idle;
	struct slicebus_dsa_queue_stats stats;
	struct { u64 addr; u32 flags; u16 handle; } *orig;	/* per desc id */
};

struct sbi_dev {
	struct list_head node;
	struct idxd_device *idxd;
	struct slicebus_parent *parent;
	char name[16];
	struct mutex lock;		/* @wqs, @nr_wqs, each WQ's @slice */
	struct sbi_wq *wqs[SBI_MAX_WQS];
	unsigned int nr_wqs;
	struct sbi_layout layout;	/* of @parent, under sbi_lock */
	struct slicebus_resource_info res[2 + SBI_MAX_TYPES];
	struct slicebus_type_info types[SBI_MAX_TYPES];
};

static DEFINE_MUTEX(sbi_lock);
static LIST_HEAD(sbi_devs);

/* ---- queue ops ---------------------------------------------------------- */

static void sbi_queue_caps(struct slicebus_slice *slice,
			   struct slicebus_dsa_queue_caps *caps)
{
	struct sbi_wq *w = slice->provider_priv;
	struct idxd_device *idxd = w->wq->idxd;
	unsigned int i;

	caps->size = w->wq->num_descs;
	caps->max_xfer = w->wq->max_xfer_bytes;
	caps->max_batch = w->wq->max_batch_size;
	for (i = 0; i < 256; i++)
		if (idxd->opcap_bmap && test_bit(i, idxd->opcap_bmap))
			__set_bit(i, caps->opcodes);
}

static int sbi_queue_enable(struct slicebus_slice *slice,
			    const struct slicebus_dsa_queue_cfg *cfg)
{
	struct sbi_wq *w = slice->provider_priv;
	int ret = 0;

	if (cfg->mem || !cfg->write_record)
		return -EOPNOTSUPP;	/* no mediated path yet */
	spin_lock_irq(&w->lock);
	if (w->broken) {
		ret = -EIO;
	} else if (w->on) {
		ret = -EBUSY;
	} else {
		w->cfg = *cfg;
		w->on = true;
	}
	spin_unlock_irq(&w->lock);
	return ret;
}

/* Take back from the hardware what it did not complete; see the top. */
static void sbi_queue_reclaim(struct sbi_wq *w)
{
	struct idxd_wq *wq = w->wq;
	struct device *dev = &wq->idxd->pdev->dev;
	unsigned int left;
	int ret;

	dev_warn(dev, "%s: WQ %d did not complete %u descriptors; draining and resetting it\n",
		 w->dev->name, wq->id, READ_ONCE(w->inflight));
	idxd_wq_quiesce(wq);
	mutex_lock(&wq->wq_lock);
	idxd_drv_disable_wq(wq);
	ret = idxd_drv_enable_wq(wq);
	mutex_unlock(&wq->wq_lock);

	spin_lock_irq(&w->lock);
	left = w->inflight;
	if (ret || left)
		w->broken = true;
	spin_unlock_irq(&w->lock);
	if (ret || left)
		dev_err(dev, "%s: WQ %d is out of service (enable: %d, %u descriptors not returned)\n",
			w->dev->name, wq->id, ret, left);
}

static void sbi_queue_disable(struct slicebus_slice *slice)
{
	struct sbi_wq *w = slice->provider_priv;
	bool idle;

	spin_lock_irq(&w->lock);
	w->on = false;
	/*
	 * What the hardware holds completes; wait for its interrupts.  The
	 * completion side wakes us under w->lock, so once inflight is seen
	 * to fall here it no longer touches the holder's state.
	 */
	idle = wait_event_lock_irq_timeout(w->idle, !w->inflight, w->lock,
					   SBI_DRAIN_TIMEOUT);
	spin_unlock_irq(&w->lock);
	if (!idle)
		sbi_queue_reclaim(w);
	/* the holder frees its buffers next: never while the WQ has them */
	spin_lock_irq(&w->lock);
	wait_event_lock_irq(w->idle, !w->inflight, w->lock);
	spin_unlock_irq(&w->lock);
}

static int sbi_queue_submit(struct slicebus_slice *slice,
			    const struct dsa_hw_desc *hw)
{
	struct sbi_wq *w = slice->provider_priv;
	struct idxd_desc *desc;
	unsigned long flags;
	u32 pasid;
	int ret;

	spin_lock_irqsave(&w->lock, flags);
	if (!w->on) {
		spin_unlock_irqrestore(&w->lock, flags);
		return -ENODEV;
	}
	w->inflight++;
	spin_unlock_irqrestore(&w->lock, flags);

	desc = idxd_alloc_desc(w->wq, IDXD_OP_NONBLOCK);
	if (IS_ERR(desc)) {
		ret = -ENOSPC;
		goto undo;
	}
	/* idxd set the device's PASID, if any; the rest is the holder's */
	pasid = desc->hw->pasid;
	*desc->hw = *hw;
	desc->hw->pasid = pasid;
	desc->hw->priv = 0;
	w->orig[desc->id].addr = hw->completion_addr;
	w->orig[desc->id].flags = hw->flags;
	w->orig[desc->id].handle = hw->int_handle;
	desc->hw->completion_addr = desc->compl_dma;
	desc->hw->flags |= IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI;
	memset(desc->completion, 0, sizeof(*desc->completion));
	ret = idxd_submit_desc(w->wq, desc);
	if (ret) {
		idxd_free_desc(w->wq, desc);
		ret = ret == -EAGAIN || ret == -EBUSY ? -ENOSPC : ret;
		goto undo;
	}
	spin_lock_irqsave(&w->lock, flags);
	w->stats.submitted++;
	spin_unlock_irqrestore(&w->lock, flags);
	return 0;
undo:
	spin_lock_irqsave(&w->lock, flags);
	w->inflight--;
	if (ret == -ENOSPC)
		w->stats.refused++;
	wake_up(&w->idle);
	spin_unlock_irqrestore(&w->lock, flags);
	return ret;
}

static void sbi_queue_stats(struct slicebus_slice *slice,
			    struct slicebus_dsa_queue_stats *stats)
{
	struct sbi_wq *w = slice->provider_priv;

	spin_lock_irq(&w->lock);
	*stats = w->stats;
	spin_unlock_irq(&w->lock);
}

/* idxd's interrupt thread: a descriptor of ours completed (or aborted). */
static void sbi_desc_complete(struct idxd_desc *desc,
			      enum idxd_complete_type comp_type,
			      bool free_desc, void *ctx, u32 *status)
{
	struct sbi_wq *w = idxd_wq_get_private(desc->wq);
	struct dsa_completion_record cr = *desc->completion;
	struct slicebus_dsa_queue_cfg cfg;
	unsigned long flags;
	bool on;
	u64 addr = w->orig[desc->id].addr;
	u32 f = w->orig[desc->id].flags;

	if (comp_type != IDXD_COMPLETE_NORMAL)
		cr.status = DSA_COMP_HW_ERR1;
	spin_lock_irqsave(&w->lock, flags);
	cfg = w->cfg;
	on = w->on;
	w->stats.completed++;
	if ((cr.status & DSA_COMP_STATUS_MASK) != DSA_COMP_SUCCESS)
		w->stats.failed++;
	else
		w->stats.bytes += cr.bytes_completed;
	spin_unlock_irqrestore(&w->lock, flags);

	if (on && (f & IDXD_OP_FLAG_CRAV) &&
	    ((f & IDXD_OP_FLAG_RCR) ||
	     (cr.status & DSA_COMP_STATUS_MASK) != DSA_COMP_SUCCESS))
		cfg.write_record(cfg.priv, addr, &cr);
	if (on && (f & IDXD_OP_FLAG_RCI) && cfg.irq)
		cfg.irq(cfg.priv, w->orig[desc->id].handle);
	if (free_desc)
		idxd_free_desc(desc->wq, desc);

	spin_lock_irqsave(&w->lock, flags);
	w->inflight--;
	wake_up(&w->idle);
	spin_unlock_irqrestore(&w->lock, flags);
}

/* ---- slices and parents ------------------------------------------------ */

/* A slice of type "dwq-N" is a free bound WQ of N entries. */
static int sbi_slice_init(struct slicebus_slice *slice)
{
	struct sbi_dev *d = slicebus_parent_priv(slice->parent);
	unsigned int i;
	int ret = -EBUSY;
	u32 size;

	mutex_lock(&d->lock);
	size = d->layout.size[slice->type];
	for (i = 0; i < d->nr_wqs; i++) {
		struct sbi_wq *w = d->wqs[i];

		if (!w->slice && !READ_ONCE(w->broken) && w->wq->size == size) {
			w->slice = slice;
			slice->provider_priv = w;
			slice->dma_dev = &d->idxd->pdev->dev;
			ret = 0;
			break;
		}
	}
	mutex_unlock(&d->lock);
	return ret;
}

static void sbi_slice_release(struct slicebus_slice *slice)
{
	struct sbi_dev *d = slicebus_parent_priv(slice->parent);
	struct sbi_wq *w = slice->provider_priv;

	mutex_lock(&d->lock);
	w->slice = NULL;
	mutex_unlock(&d->lock);
}

static const struct slicebus_parent_ops sbi_ops = {
	.slice_init = sbi_slice_init,
	.slice_release = sbi_slice_release,
};

/* real hardware: holders with an address space of their own are mediated */
static const struct slicebus_dsa_parent_ops sbi_dsa_ops = {
	.dma_only = true,
	.queue_caps = sbi_queue_caps,
	.queue_enable = sbi_queue_enable,
	.queue_disable = sbi_queue_disable,
	.queue_submit = sbi_queue_submit,
	.queue_stats = sbi_queue_stats,
};

/*
 * The layout of @d now: types of every WQ of the device configured for
 * this driver (dedicated, with a size), capacity of the bound ones.
 * sbi_lock held.
 */
static int sbi_layout_now(struct sbi_dev *d, struct sbi_layout *l)
{
	struct idxd_device *idxd = d->idxd;
	u32 sizes[SBI_MAX_WQS];
	unsigned int i, n = 0;
	int ret;

	lockdep_assert_held(&sbi_lock);
	/* configuration changes only while a WQ is disabled: a snapshot */
	for (i = 0; i < idxd->max_wqs && n < SBI_MAX_WQS; i++) {
		struct idxd_wq *wq = idxd->wqs[i];
		u32 size = READ_ONCE(wq->size);

		if (size && wq_dedicated(wq) &&
		    !strncmp(wq->driver_name, "slicebus", strlen("slicebus")))
			sizes[n++] = size;
	}
	ret = sbi_layout(sizes, n, l);
	if (!ret) {
		/* bound WQs are configured ones: they have a type unless dropped */
		mutex_lock(&d->lock);
		for (i = 0; i < d->nr_wqs; i++)
			sizes[i] = d->wqs[i]->wq->size;
		sbi_layout_bound(l, sizes, d->nr_wqs);
		mutex_unlock(&d->lock);
	}
	if (!ret && l->dropped)
		dev_warn(&idxd->pdev->dev, "%s: WQ sizes beyond the first %u left out\n",
			 d->name, SBI_MAX_TYPES);
	return ret;
}

/* Register @d as a parent of layout @l; sbi_lock held. */
static void sbi_register(struct sbi_dev *d, const struct sbi_layout *l)
{
	struct slicebus_parent_info info = {};
	unsigned int i;

	BUILD_BUG_ON(2 + SBI_MAX_TYPES > SLICEBUS_MAX_RESOURCES);
	lockdep_assert_held(&sbi_lock);
	mutex_lock(&d->lock);
	d->layout = *l;			/* slice_init reads the sizes */
	mutex_unlock(&d->lock);
	for (i = 0; i < l->nr_res; i++)
		d->res[i] = (struct slicebus_resource_info){
			d->layout.res_name[i], l->total[i]
		};
	for (i = 0; i < l->nr_types; i++) {
		d->types[i] = (struct slicebus_type_info){
			.name = d->layout.type_name[i],
			.description = "dedicated DSA work queue",
		};
		memcpy(d->types[i].cost, l->cost[i], sizeof(l->cost[i]));
	}
	info.name = d->name;
	info.dev = &d->idxd->pdev->dev;
	info.resources = d->res;
	info.nr_resources = l->nr_res;
	info.types = d->types;
	info.nr_types = l->nr_types;
	info.ops = &sbi_ops;
	info.slice_class = SLICEBUS_CLASS_DSA;
	info.class_ops = &sbi_dsa_ops;
	info.priv = d;
	d->parent = slicebus_parent_register(&info);
	if (IS_ERR(d->parent)) {
		dev_warn(&d->idxd->pdev->dev, "cannot register %s with slicebus: %ld\n",
			 d->name, PTR_ERR(d->parent));
		d->parent = NULL;
	}
}

/*
 * Lower or raise @d's capacity to @l's.  A slice being created may still
 * hold capacity of a WQ that just went away, until its @slice_init finds
 * no WQ for it: wait for that, briefly.
 */
static int sbi_resize(struct sbi_dev *d, const struct sbi_layout *l)
{
	unsigned int tries = 50;
	int ret;

	while ((ret = slicebus_parent_resize(d->parent, l->total,
					     l->nr_res)) == -EBUSY && --tries)
		msleep(20);
	return ret;
}

/* Describe @d to slicebus as its WQs are now; sbi_lock held. */
static void sbi_update(struct sbi_dev *d)
{
	struct sbi_layout *l;

	lockdep_assert_held(&sbi_lock);
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l || !d->nr_wqs || sbi_layout_now(d, l)) {
		if (d->parent)
			slicebus_parent_unregister(d->parent);
		d->parent = NULL;
		if (d->nr_wqs)
			dev_err(&d->idxd->pdev->dev, "%s: cannot describe its WQs: unregistered\n",
				d->name);
		kfree(l);
		return;
	}
	if (d->parent && sbi_layout_same(&d->layout, l) && !sbi_resize(d, l))
		goto out;
	if (d->parent) {
		dev_warn(&d->idxd->pdev->dev,
			 "%s: WQ sizes changed: registering it again, its slices are torn down\n",
			 d->name);
		slicebus_parent_unregister(d->parent);
		d->parent = NULL;
	}
	sbi_register(d, l);
out:
	kfree(l);
}

static struct sbi_dev *sbi_dev_get(struct idxd_device *idxd)
{
	struct sbi_dev *d;

	list_for_each_entry(d, &sbi_devs, node)
		if (d->idxd == idxd)
			return d;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	d->idxd = idxd;
	mutex_init(&d->lock);
	snprintf(d->name, sizeof(d->name), "dsa%d", idxd->id);
	list_add_tail(&d->node, &sbi_devs);
	return d;
}

static void sbi_dev_put(struct sbi_dev *d)
{
	if (d->nr_wqs || d->parent)
		return;
	list_del(&d->node);
	mutex_destroy(&d->lock);
	kfree(d);
}

static int sbi_probe(struct idxd_dev *idxd_dev)
{
	struct idxd_wq *wq = idxd_dev_to_wq(idxd_dev);
	struct device *dev = &idxd_dev->conf_dev;
	struct sbi_wq *w;
	struct sbi_dev *d;
	int ret;

	if (wq->idxd->state != IDXD_DEV_ENABLED || wq->idxd->data->type != IDXD_TYPE_DSA)
		return -ENXIO;
	if (!idxd_wq_driver_name_match(wq, dev)) {
		wq->idxd->cmd_status = IDXD_SCMD_WQ_NO_DRV_NAME;
		return -ENODEV;
	}
	/*
	 * A shared WQ takes descriptors from other submitters too (ENQCMDS,
	 * PASIDs): its completions and abort are not ours to account.
	 */
	if (!wq_dedicated(wq)) {
		dev_warn(dev, "slicebus binds only dedicated WQs: configure WQ %d with mode dedicated\n",
			 wq->id);
		wq->idxd->cmd_status = IDXD_SCMD_WQ_NO_SWQ_SUPPORT;
		return -EOPNOTSUPP;
	}
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	spin_lock_init(&w->lock);
	init_waitqueue_head(&w->idle);
	w->wq = wq;

	mutex_lock(&wq->wq_lock);
	wq->type = IDXD_WQT_KERNEL;
	ret = idxd_drv_enable_wq(wq);
	if (ret < 0) {
		wq->type = IDXD_WQT_NONE;
		mutex_unlock(&wq->wq_lock);
		kfree(w);
		return -ENXIO;
	}
	w->orig = kcalloc(wq->num_descs, sizeof(*w->orig), GFP_KERNEL);
	idxd_wq_set_private(wq, w);
	mutex_unlock(&wq->wq_lock);
	if (!w->orig) {
		ret = -ENOMEM;
		goto err_disable;
	}

	mutex_lock(&sbi_lock);
	d = sbi_dev_get(wq->idxd);
	if (!d || d->nr_wqs == SBI_MAX_WQS) {
		mutex_unlock(&sbi_lock);
		ret = -ENOSPC;
		goto err_disable;
	}
	w->dev = d;
	mutex_lock(&d->lock);
	d->wqs[d->nr_wqs++] = w;
	mutex_unlock(&d->lock);
	sbi_update(d);			/* more capacity */
	mutex_unlock(&sbi_lock);
	return 0;

err_disable:
	mutex_lock(&wq->wq_lock);
	idxd_drv_disable_wq(wq);
	wq->type = IDXD_WQT_NONE;
	mutex_unlock(&wq->wq_lock);
	kfree(w->orig);
	kfree(w);
	return ret;
}

static void sbi_remove(struct idxd_dev *idxd_dev)
{
	struct idxd_wq *wq = idxd_dev_to_wq(idxd_dev);
	struct sbi_wq *w = idxd_wq_get_private(wq);
	struct sbi_dev *d = w->dev;
	struct slicebus_slice *slice;
	unsigned int i;

	mutex_lock(&sbi_lock);
	/* no slice gets this WQ from now on; the one on it loses it */
	mutex_lock(&d->lock);
	for (i = 0; i < d->nr_wqs; i++)
		if (d->wqs[i] == w)
			d->wqs[i] = d->wqs[--d->nr_wqs];
	slice = w->slice;
	if (slice)
		get_device(&slice->dev);
	mutex_unlock(&d->lock);
	if (slice) {
		/* drains the WQ, then our @slice_release lets go of it */
		slicebus_slice_revoke(slice);
		put_device(&slice->dev);
	}
	sbi_update(d);			/* less capacity, or none left */
	sbi_dev_put(d);
	mutex_unlock(&sbi_lock);

	idxd_wq_quiesce(wq);
	mutex_lock(&wq->wq_lock);
	idxd_drv_disable_wq(wq);
	wq->type = IDXD_WQT_NONE;
	idxd_wq_set_private(wq, NULL);
	mutex_unlock(&wq->wq_lock);
	kfree(w->orig);
	kfree(w);
}

static enum idxd_dev_type sbi_dev_types[] = {
	IDXD_DEV_WQ,
	IDXD_DEV_NONE,
};

static struct idxd_device_driver sbi_driver = {
	.name = "slicebus",
	.probe = sbi_probe,
	.remove = sbi_remove,
	.desc_complete = sbi_desc_complete,
	.type = sbi_dev_types,
};

module_idxd_driver(sbi_driver);
MODULE_IMPORT_NS("IDXD");
MODULE_DESCRIPTION("slicebus provider: Intel DSA work queues");
/* the class of its slices, which no symbol of ours pulls in */
MODULE_SOFTDEP("pre: slicebus_dsa");
MODULE_LICENSE("GPL");
