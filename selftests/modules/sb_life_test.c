// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a kernel holder that outlives its provider.  Loading takes an
 * in-kernel client slice of "dev" and, with "chan" set, that dmaengine
 * channel, and maps a buffer against each one's DMA device.  The test then
 * removes the provider (rmmod or unbind) and writes 1 to the "probe"
 * parameter: every queue and client entry point is called and must return
 * an error (or, for the void ones, nothing); none may reach the provider.
 * TAP lines go to the kernel log ("sb_life_test: ok N - ..."); the
 * "failures" parameter counts the failed checks.  Unloading gives
 * everything back, which must not touch the gone provider either.
 */
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/slicebus_dma.h>

static char *dev = "sim0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "slicebus device to take a client slice from");

static char *chan_name = "";
module_param_named(chan, chan_name, charp, 0444);
MODULE_PARM_DESC(chan, "dmaengine channel to hold too (empty: none)");

static int tests, failures;
module_param(failures, int, 0444);
MODULE_PARM_DESC(failures, "checks failed so far");

static struct slicebus_client *client;
static struct dma_chan *chan;
static struct device *client_dev, *chan_dev;
static void *cbuf, *dbuf;
static dma_addr_t cbuf_dma, dbuf_dma;
static dma_cookie_t last_cookie;

#define LEN	4096

static void tap(bool ok, const char *what)
{
	tests++;
	if (!ok)
		failures++;
	pr_info("sb_life_test: %s %d - %s\n", ok ? "ok" : "not ok", tests,
		what);
}

static bool by_name(struct dma_chan *c, void *name)
{
	return !strcmp(dma_chan_name(c), name);
}

static void nop_done(void *ctx, const struct dsa_completion_record *cr)
{
}

static int noop_irq_cfg;

static void cfg_irq(void *priv, u16 h)
{
	noop_irq_cfg++;
}

static const struct slicebus_dsa_queue_cfg life_cfg = {
	.irq = cfg_irq,
};

static void probe_client(void)
{
	struct slicebus_slice *slice = slicebus_client_slice(client);
	struct slicebus_dsa_queue_caps caps;
	struct slicebus_dsa_queue_stats st;
	struct dsa_hw_desc d = {};

	d.opcode = DSA_OPCODE_MEMFILL;
	d.dst_addr = cbuf_dma;
	d.xfer_size = 64;
	tap(slicebus_client_submit(client, &d, nop_done, NULL) == -ENODEV,
	    "client: submit after the provider left is -ENODEV");
	tap(slicebus_client_poll(client) == 0,
	    "client: poll after the provider left reaps nothing");
	tap(slicebus_client_dma_device(client) == client_dev,
	    "client: the DMA device is still the one mapped against");
	tap(slicebus_dsa_queue_caps(slice, &caps) == -ENODEV,
	    "queue: caps after the provider left is -ENODEV");
	tap(slicebus_dsa_queue_enable(slice, &life_cfg) == -ENODEV,
	    "queue: enable after the provider left is -ENODEV");
	d.opcode = DSA_OPCODE_NOOP;
	tap(slicebus_dsa_queue_submit(slice, &d) == -ENODEV,
	    "queue: submit after the provider left is -ENODEV");
	slicebus_dsa_queue_disable(slice);
	tap(true, "queue: disable after the provider left returns");
	memset(&st, 0xff, sizeof(st));
	slicebus_dsa_queue_stats(slice, &st);
	tap(!st.submitted && !st.completed,
	    "queue: stats after the provider left are zeros");
	tap(!strcmp(slicebus_slice_type_name(slice), "dwq-16"),
	    "the slice's type name is the core's copy");
	tap(!strcmp(slicebus_parent_name(slice->parent), dev),
	    "the parent's name is the core's copy");
	tap(!noop_irq_cfg, "no callback of a gone queue ran");
}

static void probe_chan(void)
{
	struct dma_async_tx_descriptor *tx;
	enum dma_status st;

	tx = dmaengine_prep_dma_memcpy(chan, dbuf_dma, dbuf_dma + LEN / 2,
				       LEN / 2, DMA_PREP_INTERRUPT);
	tap(!tx, "dmaengine: prep memcpy after the provider left is refused");
	tx = dmaengine_prep_dma_memset(chan, dbuf_dma, 0, LEN, 0);
	tap(!tx, "dmaengine: prep memset after the provider left is refused");
	tx = chan->device->device_prep_dma_interrupt(chan, 0);
	tap(!tx, "dmaengine: prep interrupt after the provider left is refused");
	dma_async_issue_pending(chan);
	st = dmaengine_tx_status(chan, last_cookie, NULL);
	tap(st == DMA_COMPLETE,
	    "dmaengine: tx_status after the provider left answers");
	tap(dmaengine_terminate_sync(chan) == 0,
	    "dmaengine: terminate_sync after the provider left returns 0");
}

static int probe_set(const char *val, const struct kernel_param *kp)
{
	if (client)
		probe_client();
	if (chan)
		probe_chan();
	pr_info("sb_life_test: %d checks, %d failed\n", tests, failures);
	return 0;
}

static const struct kernel_param_ops probe_ops = {
	.set = probe_set,
};

module_param_cb(probe, &probe_ops, NULL, 0200);
MODULE_PARM_DESC(probe, "write 1: call every entry point (after removing the provider)");

static int take_chan(void)
{
	struct dma_async_tx_descriptor *tx;
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, by_name, chan_name);
	tap(!!chan, "the channel is granted");
	if (!chan)
		return -ENODEV;
	chan_dev = chan->device->dev;
	get_device(chan_dev);
	dbuf = kzalloc(LEN, GFP_KERNEL);
	if (!dbuf)
		return -ENOMEM;
	dbuf_dma = dma_map_single(chan_dev, dbuf, LEN, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(chan_dev, dbuf_dma)) {
		kfree(dbuf);
		dbuf = NULL;
		return -ENOMEM;
	}
	tx = dmaengine_prep_dma_memset(chan, dbuf_dma, 0x5a, LEN, 0);
	last_cookie = tx ? dmaengine_submit(tx) : -EINVAL;
	if (!dma_submit_error(last_cookie))
		dma_async_issue_pending(chan);
	tap(!dma_submit_error(last_cookie) &&
	    dma_sync_wait(chan, last_cookie) == DMA_COMPLETE,
	    "the channel works before the provider leaves");
	return 0;
}

static void give_back(void)
{
	if (chan) {
		if (dbuf) {
			dma_unmap_single(chan_dev, dbuf_dma, LEN,
					 DMA_BIDIRECTIONAL);
			kfree(dbuf);
		}
		dma_release_channel(chan);
		put_device(chan_dev);
		chan = NULL;
	}
	if (client) {
		if (cbuf) {
			dma_unmap_single(client_dev, cbuf_dma, LEN,
					 DMA_BIDIRECTIONAL);
			kfree(cbuf);
		}
		put_device(client_dev);
		slicebus_client_put(client);
		client = NULL;
	}
}

static int __init sb_life_test_init(void)
{
	int ret;

	client = slicebus_client_get(dev, "dwq-16", "sb_life_held", NULL);
	tap(!IS_ERR(client), "an in-kernel client slice is granted");
	if (IS_ERR(client)) {
		ret = PTR_ERR(client);
		client = NULL;
		return ret;
	}
	client_dev = slicebus_client_dma_device(client);
	get_device(client_dev);
	cbuf = kzalloc(LEN, GFP_KERNEL);
	if (!cbuf) {
		give_back();
		return -ENOMEM;
	}
	cbuf_dma = dma_map_single(client_dev, cbuf, LEN, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(client_dev, cbuf_dma)) {
		kfree(cbuf);
		cbuf = NULL;
		give_back();
		return -ENOMEM;
	}
	if (*chan_name) {
		ret = take_chan();
		if (ret) {
			give_back();
			return ret;
		}
	}
	pr_info("sb_life_test: holding\n");
	return failures ? -EIO : 0;
}

static void __exit sb_life_test_exit(void)
{
	give_back();
	pr_info("sb_life_test: released\n");
}

module_init(sb_life_test_init);
module_exit(sb_life_test_exit);
MODULE_DESCRIPTION("slicebus selftest: holders that outlive their provider");
MODULE_LICENSE("GPL");
