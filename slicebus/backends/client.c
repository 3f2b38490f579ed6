// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus in-kernel client API (include/linux/slicebus_dma.h): a kernel
 * user takes a slice of backend "dma" through the accountant, submits DSA
 * descriptors with DMA addresses mapped against
 * slicebus_client_dma_device(), and is called back, in submission order,
 * with each completion record.
 *
 * Lifetime: slicebus_client_get() creates the slice (backend-owned: users
 * cannot delete it with slicectl) and enables its queue;
 * slicebus_client_put() disables the queue and destroys the slice.  If the
 * provider goes away first, the slice's removal kills the queue: pending
 * descriptors never complete, submissions fail with -ENODEV, and the client
 * still calls slicebus_client_put(), which then waits for that removal to
 * finish and frees memory.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "client.h"
#include "sbq.h"

struct slicebus_client {
	struct slicebus_slice *slice;
	struct sbq q;
};

int sb_client_probe(struct slicebus_slice *slice)
{
	strscpy(slice->handle, "kernel");
	return 0;
}

void sb_client_remove(struct slicebus_slice *slice)
{
	struct slicebus_client *client = slice->backend_priv;

	if (client)
		sbq_kill(&client->q);
}

/**
 * slicebus_client_get() - take a slice for in-kernel use
 * @dev: slicebus device name, e.g. "sim0"
 * @type: slice type, or NULL for the device's default type for "dma"
 * @name: slice name, or NULL to generate one
 * @extack: why it failed, in words; may be NULL
 *
 * The slice is allocated through the accountant as backend "dma", so it
 * shows in ``slicectl slice show`` with handle "kernel" and lowers what the
 * other backends can take.  Its queue is ready for descriptors.
 * Context: process context; may sleep.
 *
 * Return: the client handle, or an ERR_PTR() (see slicebus_slice_new()).
 */
struct slicebus_client *slicebus_client_get(const char *dev, const char *type,
					    const char *name,
					    struct netlink_ext_ack *extack)
{
	struct slicebus_client *client;
	struct slicebus_slice *slice;
	int ret;

	client = kzalloc(sizeof(*client), GFP_KERNEL);
	if (!client)
		return ERR_PTR(-ENOMEM);
	slice = slicebus_slice_new(dev, type, "dma", name,
				   SLICEBUS_SLICE_BACKEND_OWNED, extack);
	if (IS_ERR(slice)) {
		kfree(client);
		return ERR_CAST(slice);
	}
	client->slice = slice;	/* with a reference of ours */
	/*
	 * The slice's removal (its parent going away) unbinds it under its
	 * device lock: either it is still bound here and will find the
	 * client, or it is gone and the client is refused.
	 */
	device_lock(&slice->dev);
	if (!slice->dev.driver) {
		NL_SET_ERR_MSG(extack, "the device went away");
		ret = -ENODEV;
	} else {
		ret = sbq_init(&client->q, slice);
		if (ret)
			NL_SET_ERR_MSG(extack, "the slice has no usable queue");
		else
			slice->backend_priv = client;
	}
	device_unlock(&slice->dev);
	if (ret) {
		slicebus_slice_destroy(slice);
		put_device(&slice->dev);
		kfree(client);
		return ERR_PTR(ret);
	}
	return client;
}
EXPORT_SYMBOL_GPL(slicebus_client_get);

/**
 * slicebus_client_put() - give a slice back
 * @client: what slicebus_client_get() returned
 *
 * Descriptors still in flight are dropped without callbacks; when this
 * returns no callback runs and no memory of the client is touched.
 * Context: process context; may sleep.
 */
void slicebus_client_put(struct slicebus_client *client)
{
	struct slicebus_slice *slice = client->slice;

	sbq_kill(&client->q);
	slicebus_slice_destroy(slice);
	sbq_fini(&client->q);
	put_device(&slice->dev);
	kfree(client);
}
EXPORT_SYMBOL_GPL(slicebus_client_put);

/**
 * slicebus_client_dma_device() - the device to map buffers against
 * @client: the client
 *
 * Descriptor addresses (source, destination, batch lists) are DMA
 * addresses from dma_map_*() or dma_alloc_coherent() on this device.
 *
 * Return: the device.
 */
struct device *slicebus_client_dma_device(struct slicebus_client *client)
{
	return client->slice->dma_dev;
}
EXPORT_SYMBOL_GPL(slicebus_client_dma_device);

/**
 * slicebus_client_slice() - the slice behind a client
 * @client: the client
 *
 * Return: the slice, e.g. for slicebus_dsa_queue_caps() or
 * slicebus_dsa_queue_stats().
 */
struct slicebus_slice *slicebus_client_slice(struct slicebus_client *client)
{
	return client->slice;
}
EXPORT_SYMBOL_GPL(slicebus_client_slice);

/**
 * slicebus_client_submit() - submit one DSA descriptor
 * @client: the client
 * @desc: the descriptor; its completion address and the completion flags
 *	are filled in here, the rest is the caller's
 * @done: called with the completion record; may be NULL
 * @ctx: passed to @done
 *
 * Context: any context.
 * Return: 0; -ENOSPC when the slice's queue is full (nothing was queued:
 * retry after a completion); -ENODEV when the slice was removed.
 */
int slicebus_client_submit(struct slicebus_client *client,
			   struct dsa_hw_desc *desc, slicebus_done_t done,
			   void *ctx)
{
	return sbq_submit(&client->q, desc, done, ctx);
}
EXPORT_SYMBOL_GPL(slicebus_client_submit);

/**
 * slicebus_client_poll() - reap completions now
 * @client: the client
 *
 * Completions are also reaped from the queue's interrupt; polling gives
 * them to a caller that waits without sleeping.
 *
 * Return: the number of completions whose callbacks ran.
 */
unsigned int slicebus_client_poll(struct slicebus_client *client)
{
	return sbq_poll(&client->q);
}
EXPORT_SYMBOL_GPL(slicebus_client_poll);
