// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark module (make bench): CPU copies, dmaengine memcpy on a slicebus
 * channel, the in-kernel client API, and NOOP latency, measured in one go
 * in the same kernel.  Every figure is measured @runs times, one
 * "sb_bench: KEY VALUE" line per run (the report takes min, median and
 * max).  The module unloads itself by failing init with -EAGAIN once done.
 *
 * Baselines: CPU memcpy() and memmove() of non-overlapping buffers, the
 * two primitives a copy engine may use (under an emulator they can take
 * very different paths).  Waits: the dmaengine and client API figures wait
 * as an interrupt-driven client does (a callback on the last descriptor,
 * or when the queue is full); "dmaengine_syncwait" waits by polling with
 * dma_sync_wait() as a simple client does, to show what that costs.
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/slicebus_dma.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

static char *chan = "";
module_param(chan, charp, 0444);
MODULE_PARM_DESC(chan, "dmaengine channel of a dma slice, e.g. dma0chan0");

static char *dev = "sim0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "slicebus device for the client API");

static unsigned int mbytes = 64;
module_param(mbytes, uint, 0444);
MODULE_PARM_DESC(mbytes, "MiB moved per measurement");

static unsigned int runs = 5;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "how many times each figure is measured, default 5");

static char *only = "";
module_param(only, charp, 0444);
MODULE_PARM_DESC(only, "measure only this: cpu, dmaengine, client or noop (default all)");

#define BUFSZ	SZ_1M
static const unsigned int sizes[] = { SZ_4K, SZ_64K, SZ_1M };

static bool want(const char *what)
{
	return !*only || !strcmp(only, what);
}

static u64 mbps(u64 bytes, u64 ns)
{
	return ns ? div64_u64(bytes * 1000, ns) : 0;	/* bytes/us = MB/s */
}

static void bench_cpu(void)
{
	void *a = kvmalloc(BUFSZ, GFP_KERNEL), *b = kvmalloc(BUFSZ, GFP_KERNEL);
	unsigned int i, r;
	int move;

	if (!a || !b)
		goto out;
	memset(a, 1, BUFSZ);
	memset(b, 2, BUFSZ);
	for (r = 0; r < runs; r++) {
		for (move = 0; move < 2; move++) {
			for (i = 0; i < ARRAY_SIZE(sizes); i++) {
				u64 n = ((u64)mbytes << 20) / sizes[i], k;
				u64 t = ktime_get_ns();

				for (k = 0; k < n; k++) {
					void *to = b + (k * sizes[i]) % BUFSZ;

					if (move)
						memmove(to, a, sizes[i]);
					else
						memcpy(to, a, sizes[i]);
					if (!(k % 64))
						cond_resched();
				}
				pr_info("sb_bench: cpu_%s_%u_MBps %llu\n",
					move ? "memmove" : "memcpy", sizes[i],
					mbps(n * sizes[i], ktime_get_ns() - t));
			}
		}
	}
out:
	kvfree(a);
	kvfree(b);
}

static bool by_name(struct dma_chan *c, void *name)
{
	return !strcmp(dma_chan_name(c), name);
}

/* static: a round that gave up may still see its callback run later */
static DECLARE_COMPLETION(last);

static void dma_last_done(void *arg)
{
	complete(arg);
}

/* @n memcpys of @size; waits for the last by callback, or by polling */
static int dma_round(struct dma_chan *c, dma_addr_t dst, dma_addr_t src,
		     size_t size, u64 n, bool poll)
{
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookie = 0;
	u64 k;

	reinit_completion(&last);
	for (k = 0; k < n; k++) {
		bool is_last = k == n - 1;

		tx = dmaengine_prep_dma_memcpy(c, dst, src, size,
					       DMA_CTRL_ACK |
					       (is_last && !poll ? DMA_PREP_INTERRUPT : 0));
		if (!tx) {
			if (dma_sync_wait(c, cookie) != DMA_COMPLETE)
				return -EIO;
			k--;
			continue;
		}
		if (is_last && !poll) {
			tx->callback = dma_last_done;
			tx->callback_param = &last;
		}
		cookie = dmaengine_submit(tx);
		if (dma_submit_error(cookie))
			return -EIO;
		dma_async_issue_pending(c);
	}
	if (poll)
		return dma_sync_wait(c, cookie) == DMA_COMPLETE ? 0 : -EIO;
	if (!wait_for_completion_timeout(&last, 30 * HZ))
		return -ETIMEDOUT;
	return 0;
}

static void bench_dmaengine(void)
{
	dma_addr_t src, dst;
	dma_cap_mask_t mask;
	struct dma_chan *c;
	struct device *dd;
	unsigned int i, r;
	void *a, *b;
	int poll;

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
	for (r = 0; r < runs; r++) {
		for (poll = 0; poll < 2; poll++) {
			for (i = 0; i < ARRAY_SIZE(sizes); i++) {
				u64 n = ((u64)mbytes << 20) / sizes[i];
				u64 t = ktime_get_ns();

				/* polling: once, at 64 KiB, enough to show it */
				if (poll && sizes[i] != SZ_64K)
					continue;
				if (dma_round(c, dst, src, sizes[i], n, poll)) {
					pr_info("sb_bench: dmaengine round failed\n");
					goto out;
				}
				pr_info("sb_bench: dmaengine_%s_%u_MBps %llu\n",
					poll ? "syncwait" : "memcpy", sizes[i],
					mbps(n * sizes[i], ktime_get_ns() - t));
			}
		}
	}
out:
	if (a)
		dma_free_coherent(dd, BUFSZ, a, src);
	if (b)
		dma_free_coherent(dd, BUFSZ, b, dst);
	dma_release_channel(c);
}

static atomic64_t done;
static u64 wake_at;	/* the waiter wants a wake-up at this many done */
static DECLARE_WAIT_QUEUE_HEAD(done_wq);
static DECLARE_COMPLETION(one);

/*
 * Runs in the queue's completion context.  One wake-up per wait, not per
 * descriptor: the waiter says how many it waits for.  (The increment is
 * fully ordered, as is the waiter's set_current_state after it sets
 * @wake_at: one of the two sees the other's write.)
 */
static void on_done(void *ctx, const struct dsa_completion_record *cr)
{
	u64 n = atomic64_inc_return(&done);

	if (ctx)
		complete(ctx);
	else if (n >= READ_ONCE(wake_at) && wq_has_sleeper(&done_wq))
		wake_up(&done_wq);
}

/* Wait until at least @n submitted descriptors have completed. */
static int wait_done(u64 n)
{
	WRITE_ONCE(wake_at, n);
	return wait_event_timeout(done_wq, atomic64_read(&done) >= n, 30 * HZ) ?
	       0 : -ETIMEDOUT;
}

static int client_round(struct slicebus_client *cl, dma_addr_t dst,
			dma_addr_t src, size_t size, u64 n)
{
	struct dsa_hw_desc d;
	u64 k;
	int ret;

	atomic64_set(&done, 0);
	WRITE_ONCE(wake_at, U64_MAX);
	for (k = 0; k < n; k++) {
		memset(&d, 0, sizeof(d));
		d.opcode = DSA_OPCODE_MEMMOVE;
		d.src_addr = src;
		d.dst_addr = dst;
		d.xfer_size = size;
		/*
		 * Full: sleep until half of what is in flight completed, as a
		 * driver with interrupt moderation would (one wake-up per
		 * half queue, not per descriptor).
		 */
		while ((ret = slicebus_client_submit(cl, &d, on_done, NULL)) == -ENOSPC) {
			u64 c = atomic64_read(&done);

			if (wait_done(c + max_t(u64, 1, (k - c) / 2)))
				return -ETIMEDOUT;
		}
		if (ret)
			return ret;
	}
	return wait_done(n);
}

static void bench_client(void)
{
	struct slicebus_client *cl = slicebus_client_get(dev, NULL, "sb_bench", NULL);
	struct dsa_hw_desc d = {};
	dma_addr_t src, dst;
	struct device *dd;
	unsigned int i, r;
	void *a, *b;
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
	for (r = 0; r < runs && want("client"); r++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			u64 n = ((u64)mbytes << 20) / sizes[i];

			t = ktime_get_ns();
			if (client_round(cl, dst, src, sizes[i], n)) {
				pr_info("sb_bench: client round failed\n");
				goto out;
			}
			pr_info("sb_bench: client_memmove_%u_MBps %llu\n", sizes[i],
				mbps(n * sizes[i], ktime_get_ns() - t));
		}
	}
	/* submit -> callback -> the waiter runs again, one at a time */
	for (r = 0; r < runs && want("noop"); r++) {
		t = ktime_get_ns();
		for (k = 0; k < 1000; k++) {
			memset(&d, 0, sizeof(d));
			d.opcode = DSA_OPCODE_NOOP;
			reinit_completion(&one);
			if (slicebus_client_submit(cl, &d, on_done, &one))
				break;
			if (!wait_for_completion_timeout(&one, 30 * HZ))
				break;
		}
		pr_info("sb_bench: noop_latency_ns %llu\n",
			div64_u64(ktime_get_ns() - t, k ?: 1));
	}
out:
	if (a)
		dma_free_coherent(dd, BUFSZ, a, src);
	if (b)
		dma_free_coherent(dd, BUFSZ, b, dst);
	slicebus_client_put(cl);
}

static void wake_one(struct work_struct *work)
{
	complete(&one);
}

static DECLARE_WORK(wake_work, wake_one);

/*
 * The anchors of NOOP latency: a work item that completes a waiter, which
 * is two wake-ups (the worker's, then the waiter's) and no device; on the
 * waiter's CPU, and on another one (as an engine thread often is).
 */
static void bench_wake(void)
{
	unsigned int r, k, cpu, other;
	int remote;
	u64 t;

	for (r = 0; r < runs; r++) {
		for (remote = 0; remote < 2; remote++) {
			cpu = get_cpu();
			put_cpu();
			other = cpumask_any_but(cpu_online_mask, cpu);
			if (remote && other >= nr_cpu_ids)
				break;
			t = ktime_get_ns();
			for (k = 0; k < 1000; k++) {
				reinit_completion(&one);
				queue_work_on(remote ? other : cpu, system_highpri_wq,
					      &wake_work);
				wait_for_completion(&one);
			}
			pr_info("sb_bench: wake_rtt_%s_ns %llu\n",
				remote ? "remote" : "local",
				div64_u64(ktime_get_ns() - t, k));
		}
	}
	flush_work(&wake_work);
}

static int __init sb_bench_init(void)
{
	if (!runs)
		runs = 1;
	if (want("cpu"))
		bench_cpu();
	if (*chan && want("dmaengine"))
		bench_dmaengine();
	if (want("client") || want("noop"))
		bench_client();
	if (want("noop"))
		bench_wake();
	pr_info("sb_bench: done\n");
	return -EAGAIN;	/* nothing to keep loaded */
}

module_init(sb_bench_init);
MODULE_DESCRIPTION("slicebus benchmarks: data path against CPU memcpy");
MODULE_LICENSE("GPL");
