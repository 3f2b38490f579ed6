// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark module (make bench): CPU memcpy, dmaengine memcpy on a slicebus
 * channel, the in-kernel client API, and NOOP latency, measured in one go
 * in the same kernel.  Prints "sb_bench: KEY VALUE" lines and unloads
 * itself by failing init with -EAGAIN once done.
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/slicebus_dma.h>

static char *chan = "";
module_param(chan, charp, 0444);
MODULE_PARM_DESC(chan, "dmaengine channel of a dma slice, e.g. dma0chan0");

static char *dev = "sim0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "slicebus device for the client API");

static unsigned int mbytes = 64;
module_param(mbytes, uint, 0444);
MODULE_PARM_DESC(mbytes, "MiB moved per measurement");

#define BUFSZ	SZ_1M
static const unsigned int sizes[] = { SZ_4K, SZ_64K, SZ_1M };

static u64 mbps(u64 bytes, u64 ns)
{
	return ns ? div64_u64(bytes * 1000, ns) : 0;	/* bytes/us = MB/s */
}

static void bench_cpu(void)
{
	void *a = kvmalloc(BUFSZ, GFP_KERNEL), *b = kvmalloc(BUFSZ, GFP_KERNEL);
	unsigned int i;

	if (!a || !b)
		goto out;
	memset(a, 1, BUFSZ);
	memset(b, 2, BUFSZ);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 n = ((u64)mbytes << 20) / sizes[i], k, t = ktime_get_ns();

		for (k = 0; k < n; k++) {
			memcpy(b + (k * sizes[i]) % BUFSZ, a, sizes[i]);
			if (!(k % 64))
				cond_resched();
		}
		pr_info("sb_bench: cpu_memcpy_%u_MBps %llu\n", sizes[i],
			mbps(n * sizes[i], ktime_get_ns() - t));
	}
out:
	kvfree(a);
	kvfree(b);
}

static bool by_name(struct dma_chan *c, void *name)
{
	return !strcmp(dma_chan_name(c), name);
}

static void bench_dmaengine(void)
{
	dma_addr_t src, dst;
	dma_cap_mask_t mask;
	struct dma_chan *c;
	struct device *dd;
	void *a, *b;
	unsigned int i;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	c = dma_request_channel(mask, by_name, chan);
	if (!c) {
		pr_info("sb_bench: no dmaengine channel\n");
		return;
	}
	dd = dmaengine_get_dma_device(c);
	a = dma_alloc_coherent(dd, BUFSZ, &src, GFP_KERNEL);
	b = dma_alloc_coherent(dd, BUFSZ, &dst, GFP_KERNEL);
	if (!a || !b)
		goto out;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 n = ((u64)mbytes << 20) / sizes[i], k, t = ktime_get_ns();
		struct dma_async_tx_descriptor *tx;
		dma_cookie_t cookie = 0;

		for (k = 0; k < n; k++) {
			tx = dmaengine_prep_dma_memcpy(c, dst, src, sizes[i],
						       DMA_CTRL_ACK);
			if (!tx) {
				dma_sync_wait(c, cookie);
				k--;
				continue;
			}
			cookie = dmaengine_submit(tx);
			dma_async_issue_pending(c);
		}
		dma_sync_wait(c, cookie);
		pr_info("sb_bench: dmaengine_memcpy_%u_MBps %llu\n", sizes[i],
			mbps(n * sizes[i], ktime_get_ns() - t));
	}
out:
	if (a)
		dma_free_coherent(dd, BUFSZ, a, src);
	if (b)
		dma_free_coherent(dd, BUFSZ, b, dst);
	dma_release_channel(c);
}

static atomic_t done;
static DECLARE_COMPLETION(one);

static void on_done(void *ctx, const struct dsa_completion_record *cr)
{
	atomic_inc(&done);
	if (ctx)
		complete(ctx);
}

static void bench_client(void)
{
	struct slicebus_client *cl = slicebus_client_get(dev, NULL, "sb_bench", NULL);
	struct dsa_hw_desc d = {};
	dma_addr_t src, dst;
	struct device *dd;
	void *a, *b;
	unsigned int i;
	u64 t, k;

	if (IS_ERR(cl)) {
		pr_info("sb_bench: no client slice: %ld\n", PTR_ERR(cl));
		return;
	}
	dd = slicebus_client_dma_device(cl);
	a = dma_alloc_coherent(dd, BUFSZ, &src, GFP_KERNEL);
	b = dma_alloc_coherent(dd, BUFSZ, &dst, GFP_KERNEL);
	if (!a || !b)
		goto out;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 n = ((u64)mbytes << 20) / sizes[i];

		atomic_set(&done, 0);
		t = ktime_get_ns();
		for (k = 0; k < n; k++) {
			memset(&d, 0, sizeof(d));
			d.opcode = DSA_OPCODE_MEMMOVE;
			d.src_addr = src;
			d.dst_addr = dst;
			d.xfer_size = sizes[i];
			while (slicebus_client_submit(cl, &d, on_done, NULL) == -ENOSPC)
				slicebus_client_poll(cl);
		}
		while (atomic_read(&done) < n)
			slicebus_client_poll(cl);
		pr_info("sb_bench: client_memmove_%u_MBps %llu\n", sizes[i],
			mbps(n * sizes[i], ktime_get_ns() - t));
	}
	t = ktime_get_ns();
	for (k = 0; k < 1000; k++) {
		memset(&d, 0, sizeof(d));
		d.opcode = DSA_OPCODE_NOOP;
		reinit_completion(&one);
		if (slicebus_client_submit(cl, &d, on_done, &one))
			break;
		wait_for_completion(&one);
	}
	pr_info("sb_bench: noop_latency_ns %llu\n",
		div64_u64(ktime_get_ns() - t, k ?: 1));
out:
	if (a)
		dma_free_coherent(dd, BUFSZ, a, src);
	if (b)
		dma_free_coherent(dd, BUFSZ, b, dst);
	slicebus_client_put(cl);
}

static int __init sb_bench_init(void)
{
	bench_cpu();
	if (*chan)
		bench_dmaengine();
	bench_client();
	pr_info("sb_bench: done\n");
	return -EAGAIN;	/* nothing to keep loaded */
}

module_init(sb_bench_init);
MODULE_DESCRIPTION("slicebus benchmarks: data path against CPU memcpy");
MODULE_LICENSE("GPL");
