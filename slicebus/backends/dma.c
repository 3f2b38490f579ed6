// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus_dma: a slice bound to backend "dma" becomes a dmaengine channel
 * (DMA_MEMCPY, DMA_MEMSET, DMA_INTERRUPT) that any dmaengine client
 * (dmatest, async_tx users) can use unmodified.  Slices taken through the
 * in-kernel client API (client.c) are bound here too but get no channel.
 *
 * One dmaengine device per DMA device: the channels of every slice whose
 * &slicebus_slice.dma_dev is the same device (for idxd the PCI function,
 * for slicesim its platform device) hang off one &struct dma_device, as a
 * DMA controller's channels do; a provider whose slice is its own DMA
 * device gets one dma_device per slice.  A channel comes and goes with
 * dma_async_device_channel_register()/unregister(), which costs no RCU
 * grace period; the dma_device is registered with its first channel and
 * unregistered with its last (dmaengine's release of a dma_device waits
 * for a grace period: once per DMA device, not once per slice).
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
 * The dma_device's dev is the slices' dma_dev, the device the provider
 * says does the DMA: dmaengine clients map their buffers against
 * dma_device->dev.  dmaengine's module reference for a channel in use is
 * on this module (dma_device->owner, see sbdma_dev_get()), not on the
 * provider, which may be removed while a client holds a channel.
 *
 * Lifetimes: a channel in use outlives its slice's removal (provider
 * removed): the queue is killed first (its completion records freed while
 * the provider's device still has its driver), the channel is unregistered
 * and refuses new work, and its memory lives until the client lets go.
 * The slice (and through it the DMA device) is held until then.  The
 * dma_device is reference counted by dmaengine (every client holds it)
 * and freed through device_release.  Deleting a slice whose channel a
 * client holds is refused.
 *
 * dmaengine calls device_release and device_free_chan_resources under its
 * list mutex, and in 6.12 dma_release_channel() still reads and writes the
 * channel and its device after them (chan->device->privatecnt,
 * chan->slave, chan->dbg_client_name: drivers/dma/dmaengine.c).  So the
 * frees are only queued; the work first waits for that mutex
 * (sbdma_list_barrier()), which the releasing thread holds until it is
 * done, then frees.  Module exit passes the same barrier and drains the
 * work.
 *
 * A dma_device's channel list is read by dmaengine under its list mutex
 * (a channel request walks it), which is not ours to take.  A channel is
 * put on the list only once registered (its name exists) and taken off
 * before it is unregistered, with the RCU list primitives so that a walk
 * in progress stays on the list; the unregistration takes the list mutex,
 * so no walk that could have seen the channel is left when it returns.
 * Such a walk may still try to take the dying channel: alloc_chan_resources
 * refuses it with -EBUSY, never -ENODEV (which makes dmaengine drop the
 * whole dma_device from its list).
 *
 * Locking: sbdma_lock (mutex) protects sbdma_devs, each device's channel
 * list (writers) and &sbdma_dev.nr_chans; it is taken before dmaengine's
 * list mutex, never under it.  sbdma_chan.lock (spinlock, irqs off)
 * protects cookies and the descriptor lists; it is never held while
 * calling into the queue's callbacks or the client's.  sbdma_chan.qlock
 * (mutex) orders the queue's start (under dmaengine's list mutex) against
 * its kill by the removal (which takes the list mutex only after dropping
 * qlock), and hands the channel's memory over between the removal and
 * the last client (@in_use, @unregistered).
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

/* One per DMA device: the dmaengine device of its slices' channels. */
struct sbdma_dev {
	struct dma_device dd;
	struct device *dev;		/* the DMA device, held */
	struct list_head node;		/* on sbdma_devs while registered */
	unsigned int nr_chans;		/* registered channels */
	struct work_struct free_work;
};

struct sbdma_chan {
	struct dma_chan chan;		/* .device: its sbdma_dev's dd */
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
	struct mutex qlock;		/* @q's start and kill, the two below */
	bool in_use;			/* a client holds the channel */
	bool unregistered;		/* dmaengine has no more use for it */
	struct work_struct free_work;
};

static DEFINE_MUTEX(sbdma_lock);
static LIST_HEAD(sbdma_devs);

/* ours, so that module exit can wait for the last free to return */
static struct workqueue_struct *sbdma_free_wq;
/* a channel is about 250 bytes: its own cache, not kmalloc-256's */
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

static void sbdma_chan_free_work(struct work_struct *work)
{
	struct sbdma_chan *c = container_of(work, struct sbdma_chan, free_work);

	/* dma_release_channel() may still be using the channel: see above */
	sbdma_list_barrier();
	sbdma_drop_all(c);
	sbq_fini(&c->q);
	put_device(&c->slice->dev);
	kmem_cache_free(sbdma_chan_cache, c);
}

/*
 * Under @c->qlock: whether neither dmaengine nor a client has @c any more.
 * Each of the two conditions is set once, under the lock, so exactly one
 * caller sees both and frees @c (sbdma_chan_free()), after dropping the
 * lock: the free may run at once.
 */
static bool sbdma_chan_unused(struct sbdma_chan *c)
{
	lockdep_assert_held(&c->qlock);
	return c->unregistered && !c->in_use;
}

static void sbdma_chan_free(struct sbdma_chan *c)
{
	INIT_WORK(&c->free_work, sbdma_chan_free_work);
	queue_work(sbdma_free_wq, &c->free_work);
}

/*
 * A client takes the channel: hold this module while it does, and start
 * the slice's queue, which an idle channel does not have (no ring, no
 * completion records).  dmaengine serializes this with the free below.
 * -EBUSY, never -ENODEV, for a channel going away: see the top.
 */
static int sbdma_alloc_chan_resources(struct dma_chan *chan)
{
	struct sbdma_chan *c = to_sbdma(chan);
	int ret;

	if (!try_module_get(THIS_MODULE))
		return -EBUSY;
	mutex_lock(&c->qlock);
	ret = READ_ONCE(c->dead) ? -EBUSY : sbq_start(&c->q);
	if (!ret)
		c->in_use = true;
	mutex_unlock(&c->qlock);
	if (ret)
		module_put(THIS_MODULE);
	return ret == -ENODEV ? -EBUSY : ret;
}

static void sbdma_free_chan_resources(struct dma_chan *chan)
{
	struct sbdma_chan *c = to_sbdma(chan);
	bool unused;

	sbdma_drop_all(c);
	/* nothing of the client's is on the queue: stop it, free the ring */
	mutex_lock(&c->qlock);
	sbq_fini(&c->q);
	c->in_use = false;
	unused = sbdma_chan_unused(c);
	mutex_unlock(&c->qlock);
	if (unused)
		sbdma_chan_free(c);	/* the slice is gone: the last user */
	/*
	 * What dmaengine runs after this (device_release included) runs
	 * under its list mutex, which module exit waits for.
	 */
	module_put(THIS_MODULE);
}

static void sbdma_dev_free_work(struct work_struct *work)
{
	struct sbdma_dev *sd = container_of(work, struct sbdma_dev, free_work);

	sbdma_list_barrier();	/* as for a channel */
	put_device(sd->dev);
	kfree(sd);
}

/* dmaengine's last reference is gone; called under its list mutex */
static void sbdma_dev_release(struct dma_device *dd)
{
	struct sbdma_dev *sd = container_of(dd, struct sbdma_dev, dd);

	INIT_WORK(&sd->free_work, sbdma_dev_free_work);
	queue_work(sbdma_free_wq, &sd->free_work);
}

/* The registered dmaengine device of @dev, registering it if need be. */
static struct sbdma_dev *sbdma_dev_get(struct device *dev)
{
	struct sbdma_dev *sd;
	struct dma_device *dd;
	int ret;

	lockdep_assert_held(&sbdma_lock);
	list_for_each_entry(sd, &sbdma_devs, node)
		if (sd->dev == dev)
			return sd;
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return ERR_PTR(-ENOMEM);
	sd->dev = get_device(dev);
	dd = &sd->dd;
	dd->dev = dev;
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
	dd->device_release = sbdma_dev_release;
	INIT_LIST_HEAD(&dd->channels);
	/* no channel yet: each slice adds its own */
	ret = dma_async_device_register(dd);
	if (ret) {
		put_device(dev);
		kfree(sd);
		return ERR_PTR(ret);
	}
	/*
	 * dmaengine pins dd->owner while a client holds a channel; it took
	 * the DMA device's driver (the provider), but the code that runs a
	 * channel, and outlives the provider's removal, is this module's.
	 * No channel exists yet, so no reference was taken on the other.
	 */
	dd->owner = THIS_MODULE;
	list_add_tail(&sd->node, &sbdma_devs);
	return sd;
}

/* Under sbdma_lock: @sd lost a channel; unregister it with its last. */
static void sbdma_dev_put(struct sbdma_dev *sd)
{
	lockdep_assert_held(&sbdma_lock);
	if (--sd->nr_chans)
		return;
	list_del(&sd->node);
	dma_async_device_unregister(&sd->dd);	/* frees through release */
}

static int sbdma_chan_create(struct slicebus_slice *slice)
{
	struct slicebus_dsa_queue_caps caps;
	struct sbdma_chan *c;
	struct sbdma_dev *sd;
	int ret;

	ret = slicebus_dsa_queue_caps(slice, &caps);
	if (ret)
		return ret;
	/* dmaengine reads the owner from the device's driver at registration */
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

	mutex_lock(&sbdma_lock);
	sd = sbdma_dev_get(slice->dma_dev);
	if (IS_ERR(sd)) {
		ret = PTR_ERR(sd);
		goto err_unlock;
	}
	sd->nr_chans++;
	c->chan.device = &sd->dd;
	ret = dma_async_device_channel_register(&sd->dd, &c->chan, NULL);
	if (ret) {
		sbdma_dev_put(sd);
		goto err_unlock;
	}
	/* named and registered: now a channel request may see it */
	list_add_tail_rcu(&c->chan.device_node, &sd->dd.channels);
	mutex_unlock(&sbdma_lock);
	/*
	 * A channel device has no runtime PM (dmaengine gives it none): drop
	 * the runtime attributes its power/ directory was born with, four
	 * sysfs nodes per slice.
	 */
	pm_runtime_no_callbacks(&c->chan.dev->device);
	get_device(&slice->dev);	/* until the channel is freed */
	strscpy(slice->handle, dma_chan_name(&c->chan));
	slice->backend_priv = c;
	return 0;

err_unlock:
	mutex_unlock(&sbdma_lock);
	sbq_fini(&c->q);
	kmem_cache_free(sbdma_chan_cache, c);
	/*
	 * Everything dmaengine checks is set; -EINVAL only comes from
	 * device_add() of a channel whose name it could not allocate (it
	 * ignores dev_set_name()'s failure).
	 */
	return ret == -EINVAL ? -ENOMEM : ret;
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
	bool unused;

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

	mutex_lock(&sbdma_lock);
	/* off the list first, then gone from dmaengine: see the top */
	list_del_rcu(&c->chan.device_node);
	dma_async_device_channel_unregister(c->chan.device, &c->chan);
	sbdma_dev_put(container_of(c->chan.device, struct sbdma_dev, dd));
	mutex_unlock(&sbdma_lock);

	mutex_lock(&c->qlock);
	c->unregistered = true;
	unused = sbdma_chan_unused(c);
	mutex_unlock(&c->qlock);
	if (unused)
		sbdma_chan_free(c);	/* else the client's release frees it */
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
	WARN_ON(!list_empty(&sbdma_devs));
	sbdma_list_barrier();
	destroy_workqueue(sbdma_free_wq);
	kmem_cache_destroy(sbdma_chan_cache);
}

module_init(sbdma_init);
module_exit(sbdma_exit);
MODULE_DESCRIPTION("slicebus dmaengine backend and in-kernel client API");
MODULE_LICENSE("GPL");
