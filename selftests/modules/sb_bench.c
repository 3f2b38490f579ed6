// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark module (make bench): CPU copies, dmaengine memcpy on a slicebus
 * channel, the in-kernel client API, and NOOP latency, measured in one go
 * in the same kernel.  Every figure is measured @runs times, one
 * "sb_bench: KEY VALUE" line per run (the report takes min, median and
 * max); within a run each figure follows its baseline, so that the ratio
 * of a run compares neighbours in time.  The module unloads itself by
 * failing init with -EAGAIN once done.
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

static bool memmove_too;
module_param(memmove_too, bool, 0444);
MODULE_PARM_DESC(memmove_too, "measure CPU memmove beside memcpy too, default 0");

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

/* @n copies of @size between two 1 MiB buffers, by memcpy or memmove */
static u64 cpu_round(void *a, void *b, size_t size, u64 n, bool move)
{
	u64 k, t = ktime_get_ns();

	for (k = 0; k < n; k++) {
		void *to = b + (k * size) % BUFSZ;

		if (move)
			memmove(to, a, size);
		else
			memcpy(to, a, size);
		if (!(k % 64))
			cond_resched();
	}
	return ktime_get_ns() - t;
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
/* One round trip through a work item on @cpu. */
static u64 wake_round(unsigned int cpu)
{
	u64 t = ktime_get_ns();
	unsigned int k;

	for (k = 0; k < 1000; k++) {
		reinit_completion(&one);
		queue_work_on(cpu, system_highpri_wq, &wake_work);
		wait_for_completion(&one);
	}
	flush_work(&wake_work);
	return div64_u64(ktime_get_ns() - t, k);
}

/* Submit one NOOP at a time and wait for its callback; ns per round trip. */
static u64 noop_round(struct slicebus_client *cl)
{
	struct dsa_hw_desc d;
	u64 t = ktime_get_ns();
	unsigned int k;

	for (k = 0; k < 1000; k++) {
		memset(&d, 0, sizeof(d));
		d.opcode = DSA_OPCODE_NOOP;
		reinit_completion(&one);
		if (slicebus_client_submit(cl, &d, on_done, &one))
			break;
		if (!wait_for_completion_timeout(&one, 30 * HZ))
			break;
	}
	return div64_u64(ktime_get_ns() - t, k ?: 1);
}

/* a buffer pair mapped for one DMA device */
struct bufs {
	struct device *dev;
	void *a, *b;
	dma_addr_t src, dst;
};

static int bufs_get(struct bufs *p, struct device *dev)
{
	p->dev = dev;
	p->a = dma_alloc_coherent(dev, BUFSZ, &p->src, GFP_KERNEL);
	p->b = dma_alloc_coherent(dev, BUFSZ, &p->dst, GFP_KERNEL);
	return p->a && p->b ? 0 : -ENOMEM;
}

static void bufs_put(struct bufs *p)
{
	if (p->a)
		dma_free_coherent(p->dev, BUFSZ, p->a, p->src);
	if (p->b)
		dma_free_coherent(p->dev, BUFSZ, p->b, p->dst);
}

/* one figure of one run, as "sb_bench: KEY VALUE" */
#define REPORT(fmt, ...) pr_info("sb_bench: " fmt "\n", ##__VA_ARGS__)

/*
 * Each run measures every figure once, size by size, so that a figure and
 * its baseline are neighbours in time: the ratio of one run compares what
 * the machine could do at that moment.
 */
static void bench(void)
{
	struct slicebus_client *cl = NULL;
	struct bufs cpu = {}, dma = {}, cli = {};
	struct dma_chan *c = NULL;
	dma_cap_mask_t mask;
	unsigned int r, i, cpu_id, other;
	int poll;

	cpu.a = kvmalloc(BUFSZ, GFP_KERNEL);
	cpu.b = kvmalloc(BUFSZ, GFP_KERNEL);
	if (!cpu.a || !cpu.b)
		goto out;
	memset(cpu.a, 1, BUFSZ);
	memset(cpu.b, 2, BUFSZ);
	if (*chan && want("dmaengine")) {
		dma_cap_zero(mask);
		dma_cap_set(DMA_MEMCPY, mask);
		c = dma_request_channel(mask, by_name, chan);
		if (!c)
			pr_info("sb_bench: no dmaengine channel %s\n", chan);
		else if (bufs_get(&dma, dmaengine_get_dma_device(c)))
			goto out;
	}
	if (want("client") || want("noop")) {
		cl = slicebus_client_get(dev, NULL, "sb_bench", NULL);
		if (IS_ERR(cl)) {
			pr_info("sb_bench: no client slice: %ld\n", PTR_ERR(cl));
			cl = NULL;
		} else if (bufs_get(&cli, slicebus_client_dma_device(cl))) {
			goto out;
		}
	}
	for (r = 0; r < runs; r++) {
		/* with only=noop, no copies */
		for (i = 0; i < ARRAY_SIZE(sizes) && strcmp(only, "noop"); i++) {
			u64 n = ((u64)mbytes << 20) / sizes[i], bytes = n * sizes[i];

			REPORT("cpu_memcpy_%u_MBps %llu", sizes[i],
			       mbps(bytes, cpu_round(cpu.a, cpu.b, sizes[i], n, false)));
			if (memmove_too)
				REPORT("cpu_memmove_%u_MBps %llu", sizes[i],
				       mbps(bytes, cpu_round(cpu.a, cpu.b, sizes[i], n, true)));
			for (poll = 0; c && poll < 2; poll++) {
				u64 t = ktime_get_ns();

				/* polling: at 64 KiB, enough to show what it costs */
				if (poll && sizes[i] != SZ_64K)
					continue;
				if (dma_round(c, dma.dst, dma.src, sizes[i], n, poll))
					goto failed;
				REPORT("dmaengine_%s_%u_MBps %llu", poll ? "syncwait" : "memcpy",
				       sizes[i], mbps(bytes, ktime_get_ns() - t));
			}
			if (cl && want("client")) {
				u64 t = ktime_get_ns();

				if (client_round(cl, cli.dst, cli.src, sizes[i], n))
					goto failed;
				REPORT("client_memmove_%u_MBps %llu", sizes[i],
				       mbps(bytes, ktime_get_ns() - t));
			}
		}
		if (cl && want("noop")) {
			cpu_id = get_cpu();
			put_cpu();
			other = cpumask_any_but(cpu_online_mask, cpu_id);
			REPORT("noop_latency_ns %llu", noop_round(cl));
			REPORT("wake_rtt_local_ns %llu", wake_round(cpu_id));
			if (other < nr_cpu_ids)
				REPORT("wake_rtt_remote_ns %llu", wake_round(other));
		}
	}
	goto out;
failed:
	pr_info("sb_bench: a round failed\n");
out:
	bufs_put(&cli);
	bufs_put(&dma);
	if (cl)
		slicebus_client_put(cl);
	if (c)
		dma_release_channel(c);
	kvfree(cpu.a);
	kvfree(cpu.b);
}

static int __init sb_bench_init(void)
{
	if (!runs)
		runs = 1;
	bench();
	pr_info("sb_bench: done\n");
	return -EAGAIN;	/* nothing to keep loaded */
}

module_init(sb_bench_init);
MODULE_DESCRIPTION("slicebus benchmarks: data path against CPU memcpy");
MODULE_LICENSE("GPL");
