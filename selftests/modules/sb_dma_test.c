// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a dmaengine client of one slicebus channel ("chan") that
 * checks termination the way dmaengine defines it: device_terminate_all
 * may be called with interrupts off and must not sleep; no callback of a
 * terminated descriptor runs; after dmaengine_synchronize() the channel
 * works again.  Run it with a slow engine (slicesim's delay_us) so that
 * descriptors are on the queue when they are terminated.  Prints TAP
 * lines to the kernel log ("sb_dma_test: ok N - ...") and fails to load
 * if any check failed.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/string.h>

#define NDESC	8
#define LEN	4096

static char *chan_name = "";
module_param_named(chan, chan_name, charp, 0444);
MODULE_PARM_DESC(chan, "dmaengine channel to test, e.g. dma3chan0");

static int tests, failures;
static atomic_t callbacks;

static void tap(bool ok, const char *what)
{
	tests++;
	if (!ok)
		failures++;
	pr_info("sb_dma_test: %s %d - %s\n", ok ? "ok" : "not ok", tests, what);
}

static bool by_name(struct dma_chan *chan, void *param)
{
	return !strcmp(dma_chan_name(chan), param);
}

static void counted(void *param)
{
	atomic_inc(&callbacks);
}

/* Prepare and submit one copy (not issued); its cookie, or a negative errno. */
static dma_cookie_t copy(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
			 dma_async_tx_callback cb)
{
	struct dma_async_tx_descriptor *tx;

	tx = dmaengine_prep_dma_memcpy(chan, dst, src, LEN, DMA_PREP_INTERRUPT);
	if (!tx)
		return -ENOMEM;
	tx->callback = cb;
	return dmaengine_submit(tx);
}

static void sb_dma_test_run(struct dma_chan *chan)
{
	struct device *dev = chan->device->dev;
	int before, after, i, ret;
	dma_cookie_t cookie;
	dma_addr_t src_dma, dst_dma;
	unsigned long flags;
	u8 *src, *dst;
	bool issued = true;

	src = dma_alloc_coherent(dev, LEN, &src_dma, GFP_KERNEL);
	dst = dma_alloc_coherent(dev, NDESC * LEN, &dst_dma, GFP_KERNEL);
	if (!src || !dst) {
		tap(false, "buffers");
		goto out;
	}
	memset(src, 0x5a, LEN);

	for (i = 0; i < NDESC; i++)
		if (dma_submit_error(copy(chan, dst_dma + i * LEN, src_dma,
					  counted)))
			issued = false;
	dma_async_issue_pending(chan);
	tap(issued, "8 copies are submitted and issued");

	/* dmaengine allows this with interrupts off: it must not sleep */
	local_irq_save(flags);
	ret = dmaengine_terminate_async(chan);
	before = atomic_read(&callbacks);
	local_irq_restore(flags);
	tap(!ret, "terminate_async with interrupts off succeeds");
	tap(before < NDESC, "the slow engine had not finished them all");

	dmaengine_synchronize(chan);
	msleep(200);
	after = atomic_read(&callbacks);
	pr_info("sb_dma_test: %d callbacks before terminate, %d after synchronize\n",
		before, after);
	tap(after == before, "no callback of a terminated copy runs");

	memset(dst, 0, LEN);
	cookie = copy(chan, dst_dma, src_dma, NULL);
	if (!dma_submit_error(cookie))
		dma_async_issue_pending(chan);
	tap(!dma_submit_error(cookie) &&
	    dma_sync_wait(chan, cookie) == DMA_COMPLETE &&
	    !memcmp(src, dst, LEN),
	    "after synchronize the channel copies again");
out:
	if (dst)
		dma_free_coherent(dev, NDESC * LEN, dst, dst_dma);
	if (src)
		dma_free_coherent(dev, LEN, src, src_dma);
}

static int __init sb_dma_test_init(void)
{
	struct dma_chan *chan;
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, by_name, chan_name);
	tap(!!chan, "the channel is granted");
	if (chan) {
		sb_dma_test_run(chan);
		dmaengine_terminate_sync(chan);
		dma_release_channel(chan);
	}
	pr_info("sb_dma_test: %d checks, %d failed\n", tests, failures);
	return failures ? -EIO : 0;
}

static void __exit sb_dma_test_exit(void)
{
}

module_init(sb_dma_test_init);
module_exit(sb_dma_test_exit);
MODULE_DESCRIPTION("slicebus selftest: dmaengine termination on a slicebus channel");
MODULE_LICENSE("GPL");
