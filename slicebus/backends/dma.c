// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus_dma: a slice bound to backend "dma" becomes a dmaengine device
 * with one channel (DMA_MEMCPY, DMA_MEMSET, DMA_INTERRUPT) that any
 * dmaengine client (dmatest, async_tx users) can use unmodified.  Slices
 * taken through the in-kernel client API (client.c) are bound here too but
 * get no dmaengine device.
 *
 * Each channel's descriptors are DSA descriptors on the slice's queue
 * (sbq.c), which runs only while a client holds the channel (from
 * device_alloc_chan_resources to device_free_chan_resources): an idle
 * channel costs no ring and no completion records.  tx_submit assigns a
 * cookie and parks the descriptor on @submitted; issue_pending moves them
 * to @pending and as many as fit onto the queue; each
 * completion completes its cookie in order, runs the client's callback and
 * refills the queue from @pending.
 *
 * The dma_device's dev is the slice's dma_dev, the device the provider says
 * does the DMA (for idxd the PCI function): dmaengine clients map their
 * buffers against dma_device->dev.  dmaengine takes its module reference
 * on that device's driver (the provider, or this module when the slice
 * itself is the DMA device), so each channel in use also holds this
 * module, from device_alloc_chan_resources to device_free_chan_resources.
 *
 * Lifetimes: the dma_device is reference counted by dmaengine
 * (device_release), so a client may hold the channel while the slice goes
 * away (provider removed): the queue is killed first (its completion
 * records freed while the provider's device still has its driver), the
 * channel then refuses new work and the memory lives until the client lets
 * go.  The slice (and through it the DMA device) is held until then.
 * Deleting a slice whose channel a client holds is refused.
 *
 * dmaengine calls device_release under its list mutex, and in 6.12
 * dma_release_channel() still reads and writes the channel after that
 * (chan->slave, chan->dbg_client_name: drivers/dma/dmaengine.c,
 * dma_release_channel() after dma_chan_put()).  So release only queues the
 * free; the work first waits for that mutex (sbdma_list_barrier()), which
 * the releasing thread holds until it is done with the channel, then frees.
 * Module exit passes the same barrier and drains the work.
 *
 * Locking: sbdma_chan.lock (spinlock, irqs off) protects cookies and the
 * descriptor lists; it is never held while calling into the queue's
 * callbacks or the client's.  sbdma_chan.qlock (mutex) orders the queue's
 * start (under dmaengine's list mutex) against its kill by the removal
 * (which takes the list mutex only after dropping qlock).
 */
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>

#include "sbq.h"
#include "client.h"

struct sbdma_desc {
	struct dma_async_tx_descriptor tx;
	struct dsa_hw_desc hw;
	struct list_head node;
	u8 status;
	bool aborted;	/* terminated while on the queue: no callback */
};

struct sbdma_chan {
	struct dma_device dd;
	struct dma_chan chan;
	struct slicebus_slice *slice;
	struct sbq q;
	spinlock_t lock;		/* cookies and the lists below */
	struct list_head submitted;	/* tx_submit()ed, not yet issued */
	struct list_head pending;	/* issued, waiting for queue space */
	struct list_head active;	/* on the queue */
	struct list_head done;		/* completed, not acked by the client */
	wait_queue_head_t idle;		/* synchronize: @active emptied */
	u32 max_xfer;
	bool dead;
	struct mutex qlock;		/* starting and killing @q */
	struct work_struct free_work;
};

/* ours, so that module exit can wait for the last free to return */
static struct workqueue_struct *sbdma_free_wq;
/* a channel is about 800 bytes: its own cache, not kmalloc-1k's */
static struct kmem_cache *sbdma_chan_cache;

static bool sbdma_want_none(struct dma_chan *chan, void *arg)
{
	return false;
}

/*
 * Return once every dmaengine call that holds its list mutex now has left:
 * a channel request that wants no channel only takes and drops the mutex.
 */
static void sbdma_list_barrier(void)
{
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	WARN_ON_ONCE(dma_request_channel(mask, sbdma_want_none, NULL));
}

static struct sbdma_chan *to_sbdma(struct dma_chan *chan)
{
	return container_of(chan, struct sbdma_chan, chan);
}

static void sbdma_free_acked(struct sbdma_chan *c)
{
	struct sbdma_desc *d, *n;

	lockdep_assert_held(&c->lock);
	list_for_each_entry_safe(d, n, &c->done, node) {
		if (async_tx_test_ack(&d->tx)) {
			list_del(&d->node);
			kfree(d);
		}
	}
}

static dma_cookie_t sbdma_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct sbdma_desc *d = container_of(tx, struct sbdma_desc, tx);
	struct sbdma_chan *c = to_sbdma(tx->chan);
	struct dma_chan *chan = tx->chan;
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&c->lock, flags);
	cookie = chan->cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	chan->cookie = cookie;
	tx->cookie = cookie;
	list_add_tail(&d->node, &c->submitted);
	spin_unlock_irqrestore(&c->lock, flags);
	return cookie;
}

/* A descriptor writing @len bytes at @dst; NULL when it cannot be had. */
static struct sbdma_desc *sbdma_alloc(struct sbdma_chan *c, u8 opcode,
				      dma_addr_t dst, size_t len,
				      unsigned long flags)
{
	struct sbdma_desc *d;
	unsigned long irqflags;

	if (READ_ONCE(c->dead) || len > c->max_xfer)
		return NULL;
	spin_lock_irqsave(&c->lock, irqflags);
	sbdma_free_acked(c);
	spin_unlock_irqrestore(&c->lock, irqflags);
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	dma_async_tx_descriptor_init(&d->tx, &c->chan);
	d->tx.tx_submit = sbdma_tx_submit;
	d->tx.flags = flags;
	d->hw.opcode = opcode;
	d->hw.dst_addr = dst;
	d->hw.xfer_size = len;
	INIT_LIST_HEAD(&d->node);
	return d;
}

static struct dma_async_tx_descriptor *
sbdma_prep_memcpy(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		  size_t len, unsigned long flags)
{
	struct sbdma_desc *d = sbdma_alloc(to_sbdma(chan), DSA_OPCODE_MEMMOVE,
					   dst, len, flags);

	if (!d)
		return NULL;
	d->hw.src_addr = src;
	return &d->tx;
}

static struct dma_async_tx_descriptor *
sbdma_prep_memset(struct dma_chan *chan, dma_addr_t dst, int value,
		  size_t len, unsigned long flags)
{
	struct sbdma_desc *d = sbdma_alloc(to_sbdma(chan), DSA_OPCODE_MEMFILL,
					   dst, len, flags);

	if (!d)
		return NULL;
	d->hw.pattern = 0x0101010101010101ULL * (u8)value;
	return &d->tx;
}

static struct dma_async_tx_descriptor *
sbdma_prep_interrupt(struct dma_chan *chan, unsigned long flags)
{
	struct sbdma_desc *d = sbdma_alloc(to_sbdma(chan), DSA_OPCODE_NOOP,
					   0, 0, flags);

	return d ? &d->tx : NULL;
}

static void sbdma_kick(struct sbdma_chan *c);

static void sbdma_done(void *ctx, const struct dsa_completion_record *cr)
{
	struct sbdma_desc *d = ctx;
	struct sbdma_chan *c = to_sbdma(d->tx.chan);
	dma_async_tx_callback_result cb_result = d->tx.callback_result;
	dma_async_tx_callback cb = d->tx.callback;
	void *param = d->tx.callback_param;
	struct dmaengine_result res = {};
	unsigned long flags;
	bool aborted;

	d->status = cr->status & DSA_COMP_STATUS_MASK;
	res.result = d->status == DSA_COMP_SUCCESS ? DMA_TRANS_NOERROR :
		     DMA_TRANS_ABORTED;

	spin_lock_irqsave(&c->lock, flags);
	aborted = d->aborted;
	if (aborted) {
		list_del(&d->node);
	} else {
		c->chan.completed_cookie = d->tx.cookie;
		list_move_tail(&d->node, &c->done);
	}
	if (list_empty(&c->active))
		wake_up(&c->idle);	/* @c outlives its queue's callbacks */
	spin_unlock_irqrestore(&c->lock, flags);

	if (aborted) {
		kfree(d);
	} else if (cb_result) {
		/* after the list move @d may be freed once acked: the copies */
		cb_result(param, &res);
	} else if (cb) {
		cb(param);
	}
	sbdma_kick(c);
}

/* Move issued descriptors onto the queue while it has room. */
static void sbdma_kick(struct sbdma_chan *c)
{
	struct sbdma_desc *d;
	unsigned long flags;
	int ret;

	for (;;) {
		spin_lock_irqsave(&c->lock, flags);
		d = list_first_entry_or_null(&c->pending, struct sbdma_desc,
					     node);
		if (!d || c->dead) {
			spin_unlock_irqrestore(&c->lock, flags);
			return;
		}
		ret = sbq_submit(&c->q, &d->hw, sbdma_done, d);
		if (!ret)
			list_move_tail(&d->node, &c->active);
		spin_unlock_irqrestore(&c->lock, flags);
		if (ret)
			return;
	}
}

static void sbdma_issue_pending(struct dma_chan *chan)
{
	struct sbdma_chan *c = to_sbdma(chan);
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	list_splice_tail_init(&c->submitted, &c->pending);
	spin_unlock_irqrestore(&c->lock, flags);
	sbdma_kick(c);
}

static enum dma_status sbdma_tx_status(struct dma_chan *chan,
				       dma_cookie_t cookie,
				       struct dma_tx_state *state)
{
	struct sbdma_chan *c = to_sbdma(chan);
	dma_cookie_t used, complete;
	enum dma_status st;

	used = READ_ONCE(chan->cookie);
	complete = READ_ONCE(chan->completed_cookie);
	st = dma_async_is_complete(cookie, complete, used);
	/* a poller (dma_sync_wait) takes the queue's lock only while not done */
	if (st != DMA_COMPLETE) {
		sbq_poll(&c->q);
		used = READ_ONCE(chan->cookie);
		complete = READ_ONCE(chan->completed_cookie);
		st = dma_async_is_complete(cookie, complete, used);
	}
	dma_set_tx_state(state, complete, used, 0);
	if (st != DMA_COMPLETE && READ_ONCE(c->dead))
		return DMA_ERROR;
	return st;
}

/*
 * Drop every descriptor not completed yet, without callbacks.  Any context,
 * never sleeps (dmaengine's rule): those already on the queue run to
 * completion there and are freed without a callback; synchronize waits
 * for them.
 */
static int sbdma_terminate_all(struct dma_chan *chan)
{
	struct sbdma_chan *c = to_sbdma(chan);
	struct sbdma_desc *d, *n;
	unsigned long flags;
	LIST_HEAD(drop);

	spin_lock_irqsave(&c->lock, flags);
	list_splice_init(&c->submitted, &drop);
	list_splice_init(&c->pending, &drop);
	list_for_each_entry(d, &c->active, node)
		d->aborted = true;
	c->chan.completed_cookie = c->chan.cookie;
	spin_unlock_irqrestore(&c->lock, flags);
	list_for_each_entry_safe(d, n, &drop, node)
		kfree(d);
	return 0;
}

static bool sbdma_idle(struct sbdma_chan *c)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&c->lock, flags);
	idle = list_empty(&c->active);
	spin_unlock_irqrestore(&c->lock, flags);
	return idle;
}

/* Wait until no terminated descriptor is left on the queue; may sleep. */
static void sbdma_synchronize(struct dma_chan *chan)
{
	struct sbdma_chan *c = to_sbdma(chan);

	wait_event(c->idle, sbdma_idle(c));
}

/* Drop every descriptor; nothing of the channel is on the queue after. */
static void sbdma_drop_all(struct sbdma_chan *c)
{
	struct sbdma_desc *d, *n;
	unsigned long flags;

	sbdma_terminate_all(&c->chan);
	sbdma_synchronize(&c->chan);
	spin_lock_irqsave(&c->lock, flags);
	list_for_each_entry_safe(d, n, &c->done, node) {
		list_del(&d->node);
		kfree(d);
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

/*
 * A client takes the channel: hold this module while it does, and start
 * the slice's queue, which an idle channel does not have (no ring, no
 * completion records).  dmaengine serializes this with the free below.
 */
static int sbdma_alloc_chan_resources(struct dma_chan *chan)
{
	struct sbdma_chan *c = to_sbdma(chan);
	int ret;

	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	mutex_lock(&c->qlock);
	ret = READ_ONCE(c->dead) ? -ENODEV : sbq_start(&c->q);
	mutex_unlock(&c->qlock);
	if (ret)
		module_put(THIS_MODULE);
	return ret;
}

static void sbdma_free_chan_resources(struct dma_chan *chan)
{
	struct sbdma_chan *c = to_sbdma(chan);

	sbdma_drop_all(c);
	/* nothing of the client's is on the queue: stop it, free the ring */
	mutex_lock(&c->qlock);
	sbq_fini(&c->q);
	mutex_unlock(&c->qlock);
	/*
	 * What dmaengine runs after this (device_release included) runs
	 * under its list mutex, which module exit waits for.
	 */
	module_put(THIS_MODULE);
}

static void sbdma_free_work(struct work_struct *work)
{
	struct sbdma_chan *c = container_of(work, struct sbdma_chan, free_work);

	/* dma_release_channel() may still be using the channel: see above */
	sbdma_list_barrier();
	sbdma_drop_all(c);
	sbq_fini(&c->q);
	put_device(&c->slice->dev);
	kmem_cache_free(sbdma_chan_cache, c);
}

/* dmaengine's last reference is gone; called under its list mutex */
static void sbdma_release(struct dma_device *dd)
{
	struct sbdma_chan *c = container_of(dd, struct sbdma_chan, dd);

	INIT_WORK(&c->free_work, sbdma_free_work);
	queue_work(sbdma_free_wq, &c->free_work);
}

static int sbdma_chan_create(struct slicebus_slice *slice)
{
	struct slicebus_dsa_queue_caps caps;
	struct sbdma_chan *c;
	struct dma_device *dd;
	int ret;

	ret = slicebus_dsa_queue_caps(slice, &caps);
	if (ret)
		return ret;
	/* dmaengine takes its module reference from the device's driver */
	if (!slice->dma_dev->driver) {
		dev_err(&slice->dev, "its DMA device %s has no driver: no dmaengine channel\n",
			dev_name(slice->dma_dev));
		return -ENODEV;
	}
	c = kmem_cache_zalloc(sbdma_chan_cache, GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->slice = slice;
	c->max_xfer = caps.max_xfer;
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->submitted);
	INIT_LIST_HEAD(&c->pending);
	INIT_LIST_HEAD(&c->active);
	INIT_LIST_HEAD(&c->done);
	init_waitqueue_head(&c->idle);
	mutex_init(&c->qlock);
	sbq_prepare(&c->q, slice);
	get_device(&slice->dev);

	dd = &c->dd;
	dd->dev = slice->dma_dev;
	dma_cap_set(DMA_MEMCPY, dd->cap_mask);
	dma_cap_set(DMA_MEMSET, dd->cap_mask);
	dma_cap_set(DMA_INTERRUPT, dd->cap_mask);
	dd->device_prep_dma_memcpy = sbdma_prep_memcpy;
	dd->device_prep_dma_memset = sbdma_prep_memset;
	dd->device_prep_dma_interrupt = sbdma_prep_interrupt;
	dd->device_issue_pending = sbdma_issue_pending;
	dd->device_tx_status = sbdma_tx_status;
	dd->device_terminate_all = sbdma_terminate_all;
	dd->device_synchronize = sbdma_synchronize;
	dd->device_alloc_chan_resources = sbdma_alloc_chan_resources;
	dd->device_free_chan_resources = sbdma_free_chan_resources;
	dd->device_release = sbdma_release;
	INIT_LIST_HEAD(&dd->channels);
	c->chan.device = dd;
	list_add_tail(&c->chan.device_node, &dd->channels);

	ret = dma_async_device_register(dd);
	if (ret == -EINVAL)
		/*
		 * Everything checked is set above; -EINVAL only comes from
		 * device_add() of a channel whose name dmaengine could not
		 * allocate (it ignores dev_set_name()'s failure).
		 */
		ret = -ENOMEM;
	if (ret) {
		sbq_fini(&c->q);
		put_device(&slice->dev);
		kmem_cache_free(sbdma_chan_cache, c);
		return ret;
	}
	/*
	 * A channel device has no runtime PM (dmaengine gives it none): drop
	 * the runtime attributes its power/ directory was born with, four
	 * sysfs nodes per slice.
	 */
	pm_runtime_no_callbacks(&c->chan.dev->device);
	strscpy(slice->handle, dma_chan_name(&c->chan));
	slice->backend_priv = c;
	return 0;
}

static int sbdma_probe(struct slicebus_slice *slice)
{
	if (slicebus_slice_backend_owned(slice))
		return sb_client_probe(slice);
	return sbdma_chan_create(slice);
}

static void sbdma_remove(struct slicebus_slice *slice)
{
	struct sbdma_chan *c = slice->backend_priv;
	struct sbdma_desc *d, *n;
	unsigned long flags;
	LIST_HEAD(drop);

	if (slicebus_slice_backend_owned(slice)) {
		sb_client_remove(slice);
		return;
	}
	mutex_lock(&c->qlock);
	spin_lock_irqsave(&c->lock, flags);
	c->dead = true;
	spin_unlock_irqrestore(&c->lock, flags);
	sbq_kill(&c->q);
	mutex_unlock(&c->qlock);
	/* nothing on the dead queue completes: drop it, release synchronize */
	spin_lock_irqsave(&c->lock, flags);
	list_splice_init(&c->active, &drop);
	wake_up(&c->idle);
	spin_unlock_irqrestore(&c->lock, flags);
	list_for_each_entry_safe(d, n, &drop, node)
		kfree(d);
	dma_async_device_unregister(&c->dd);	/* frees through release */
}

static int sbdma_slice_del(struct slicebus_slice *slice,
			   struct netlink_ext_ack *extack)
{
	struct sbdma_chan *c = slice->backend_priv;

	if (slicebus_slice_backend_owned(slice)) {
		NL_SET_ERR_MSG_FMT(extack, "slice %s is held by an in-kernel user",
				   slicebus_slice_name(slice));
		return -EBUSY;
	}
	if (READ_ONCE(c->chan.client_count)) {
		NL_SET_ERR_MSG_FMT(extack, "%s is in use by a dmaengine client; release it first",
				   slice->handle);
		return -EBUSY;
	}
	slicebus_slice_destroy(slice);
	return 0;
}

static const char *const sbdma_classes[] = { SLICEBUS_CLASS_DSA, NULL };

static struct slicebus_driver sbdma_driver = {
	.name = "dma",
	.classes = sbdma_classes,
	.probe = sbdma_probe,
	.remove = sbdma_remove,
	.slice_del = sbdma_slice_del,
	.driver.name = "slicebus_dma",
};

static int __init sbdma_init(void)
{
	int ret;

	sbdma_chan_cache = KMEM_CACHE(sbdma_chan, 0);
	if (!sbdma_chan_cache)
		return -ENOMEM;
	sbdma_free_wq = alloc_workqueue("slicebus_dma_free", WQ_UNBOUND, 0);
	if (!sbdma_free_wq) {
		kmem_cache_destroy(sbdma_chan_cache);
		return -ENOMEM;
	}
	ret = slicebus_driver_register(&sbdma_driver);
	if (ret) {
		destroy_workqueue(sbdma_free_wq);
		kmem_cache_destroy(sbdma_chan_cache);
	}
	return ret;
}

static void __exit sbdma_exit(void)
{
	slicebus_driver_unregister(&sbdma_driver);
	/*
	 * No client holds a channel (each would hold this module), but the
	 * last one's release may still be in dmaengine, under its mutex:
	 * once past it, every free is queued, and destroying the queue
	 * drains them.
	 */
	sbdma_list_barrier();
	destroy_workqueue(sbdma_free_wq);
	kmem_cache_destroy(sbdma_chan_cache);
}

module_init(sbdma_init);
module_exit(sbdma_exit);
MODULE_DESCRIPTION("slicebus dmaengine backend and in-kernel client API");
MODULE_LICENSE("GPL");
