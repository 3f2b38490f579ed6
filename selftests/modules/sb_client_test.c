// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: exercises the slicebus in-kernel client API on a slice of
 * "dev" and checks every opcode's result against the CPU's.  Prints TAP
 * lines to the kernel log ("sb_client_test: ok N - ...") and fails to load
 * if any check failed.  With hold=1 the module keeps one slice taken until
 * it is unloaded.
 */
#include <linux/completion.h>
#include <linux/crc32c.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slicebus_dma.h>

static char *dev = "sim0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "slicebus device to take a slice from");

static char *type = "dwq-16";
module_param(type, charp, 0444);
MODULE_PARM_DESC(type, "slice type to take");

static bool hold;
module_param(hold, bool, 0444);
MODULE_PARM_DESC(hold, "keep a slice until unloaded");

static unsigned int churn;
module_param(churn, uint, 0444);
MODULE_PARM_DESC(churn, "instead of the checks: take, use and give back slices for this many seconds");

static bool unplug;
module_param(unplug, bool, 0444);
MODULE_PARM_DESC(unplug, "with churn: the device comes and goes meanwhile; a slice taken away is not a failure");

#define BUF	(64 * 1024)

struct waiter {
	struct completion done;
	struct dsa_completion_record cr;
};

static struct slicebus_client *client, *held;
static struct device *dmadev;
static u8 *a, *b, *c;
static dma_addr_t a_dma, b_dma, c_dma;
static int tests, failures;

static void tap(bool ok, const char *what)
{
	tests++;
	if (!ok)
		failures++;
	pr_info("sb_client_test: %s %d - %s\n", ok ? "ok" : "not ok", tests,
		what);
}

static void on_done(void *ctx, const struct dsa_completion_record *cr)
{
	struct waiter *w = ctx;

	w->cr = *cr;
	complete(&w->done);
}

/*
 * Submit @d with @w as its callback's context and wait: 0, the submission's
 * error, or -ETIMEDOUT (then the callback may still come and @w must stay
 * until slicebus_client_put() returns).
 */
static int submit_wait(struct waiter *w, struct dsa_hw_desc *d,
		       unsigned long timeout)
{
	int ret;

	init_completion(&w->done);
	ret = slicebus_client_submit(client, d, on_done, w);
	if (!ret && !wait_for_completion_timeout(&w->done, timeout))
		ret = -ETIMEDOUT;
	return ret;
}

/*
 * Submit and wait; returns the completion status, 0xfd without memory, 0xfe
 * when the submission failed, 0xff on timeout.  The waiter is not on the
 * stack: after a timeout the callback may still come, so it is left to it
 * (a leak, on a failure the test reports anyway).
 */
static u8 run(struct dsa_hw_desc *d, struct dsa_completion_record *cr)
{
	struct waiter *w = kzalloc(sizeof(*w), GFP_KERNEL);
	u8 status;
	int ret;

	if (!w)
		return 0xfd;
	ret = submit_wait(w, d, 20 * HZ);
	if (ret == -ETIMEDOUT)
		return 0xff;
	if (ret) {
		pr_info("sb_client_test: submit failed: %d\n", ret);
		kfree(w);
		return 0xfe;
	}
	if (cr)
		*cr = w->cr;
	status = w->cr.status & DSA_COMP_STATUS_MASK;
	kfree(w);
	return status;
}

static struct dsa_hw_desc op(u8 opcode, u64 src, u64 dst, u32 size)
{
	struct dsa_hw_desc d = {};

	d.opcode = opcode;
	d.src_addr = src;
	d.dst_addr = dst;
	d.xfer_size = size;
	return d;
}

static void test_memmove(void)
{
	struct dsa_completion_record cr;
	struct dsa_hw_desc d;
	static u8 want[BUF];

	get_random_bytes(a, BUF);
	memset(b, 0, BUF);
	d = op(DSA_OPCODE_MEMMOVE, a_dma, b_dma, 4096 + 37);
	tap(run(&d, &cr) == DSA_COMP_SUCCESS && !memcmp(a, b, 4096 + 37) &&
	    !b[4096 + 37] && cr.bytes_completed == 4096 + 37,
	    "MEMMOVE copies 4133 bytes and no more");

	memcpy(want, a, BUF);
	memmove(want + 100, want, 3000);
	d = op(DSA_OPCODE_MEMMOVE, a_dma, a_dma + 100, 3000);
	tap(run(&d, NULL) == DSA_COMP_SUCCESS && !memcmp(a, want, BUF),
	    "MEMMOVE overlapping forward matches memmove()");

	memmove(want, want + 100, 3000);
	d = op(DSA_OPCODE_MEMMOVE, a_dma + 100, a_dma, 3000);
	tap(run(&d, NULL) == DSA_COMP_SUCCESS && !memcmp(a, want, BUF),
	    "MEMMOVE overlapping backward matches memmove()");

	get_random_bytes(a, BUF);
	d = op(DSA_OPCODE_MEMMOVE, a_dma, b_dma, BUF);
	tap(run(&d, NULL) == DSA_COMP_SUCCESS && !memcmp(a, b, BUF),
	    "MEMMOVE of 64 KiB");
}

static void test_fill_compare(void)
{
	u64 pat = 0x0123456789abcdefULL;
	struct dsa_completion_record cr;
	struct dsa_hw_desc d;
	bool ok = true;
	int i;

	memset(b, 0xee, BUF);
	d = op(DSA_OPCODE_MEMFILL, 0, b_dma, 5003);
	d.pattern = pat;
	ok = run(&d, NULL) == DSA_COMP_SUCCESS;
	for (i = 0; i < 5003; i++)
		ok &= b[i] == (u8)(pat >> (8 * (i % 8)));
	tap(ok && b[5003] == 0xee, "MEMFILL repeats the 8-byte pattern for 5003 bytes");

	get_random_bytes(a, BUF);
	memcpy(b, a, BUF);
	d = op(DSA_OPCODE_COMPARE, a_dma, b_dma, BUF);
	tap(run(&d, &cr) == DSA_COMP_SUCCESS && cr.result == 0,
	    "COMPARE of equal buffers: result 0");
	b[1234] ^= 0x40;
	d = op(DSA_OPCODE_COMPARE, a_dma, b_dma, BUF);
	tap(run(&d, &cr) == DSA_COMP_SUCCESS && cr.result == 1 &&
	    cr.bytes_completed == 1234,
	    "COMPARE of unequal buffers: result 1 at the first difference");
	d = op(DSA_OPCODE_COMPARE, a_dma, b_dma, BUF);
	d.flags = IDXD_OP_FLAG_CR;
	d.expected_res = 0;
	tap(run(&d, &cr) == DSA_COMP_SUCCESS_PRED,
	    "COMPARE with check-result and a different result: false predicate");

	d = op(DSA_OPCODE_MEMFILL, 0, b_dma, 4096);
	d.pattern = pat;
	run(&d, NULL);
	d = op(DSA_OPCODE_COMPVAL, b_dma, 0, 4096);
	d.comp_pattern = pat;
	tap(run(&d, &cr) == DSA_COMP_SUCCESS && cr.result == 0,
	    "COMPVAL of a filled buffer: result 0");
	b[777] ^= 1;
	d = op(DSA_OPCODE_COMPVAL, b_dma, 0, 4096);
	d.comp_pattern = pat;
	tap(run(&d, &cr) == DSA_COMP_SUCCESS && cr.result == 1 &&
	    cr.bytes_completed == 777, "COMPVAL finds the changed byte");
}

static void test_dualcast_crc(void)
{
	struct dsa_completion_record cr;
	struct dsa_hw_desc d;
	u32 seed;

	get_random_bytes(a, BUF);
	memset(b, 0, BUF);
	memset(c, 0, BUF);
	d = op(DSA_OPCODE_DUALCAST, a_dma, b_dma, 6000);
	d.dest2 = c_dma;
	tap(run(&d, NULL) == DSA_COMP_SUCCESS && !memcmp(a, b, 6000) &&
	    !memcmp(a, c, 6000), "DUALCAST writes both destinations");
	d = op(DSA_OPCODE_DUALCAST, a_dma, b_dma, 100);
	d.dest2 = c_dma + 8;
	tap(run(&d, NULL) == DSA_COMP_DCAST_ERR,
	    "DUALCAST with destinations at different page offsets: DCAST_ERR");

	for (seed = 0; seed < 2; seed++) {
		u32 s = seed ? 0x12345678 : 0;

		d = op(DSA_OPCODE_CRCGEN, a_dma, 0, 10000);
		d.crc_seed = s;
		tap(run(&d, &cr) == DSA_COMP_SUCCESS &&
		    (u32)cr.crc_val == ~crc32c(~s, a, 10000),
		    seed ? "CRCGEN with a seed matches ~crc32c(~seed)" :
			   "CRCGEN matches crc32c()");
	}
}

static void test_batch(void)
{
	struct dsa_completion_record cr, *rec;
	struct dsa_hw_desc *list, d;
	dma_addr_t list_dma;
	size_t sz = 4 * sizeof(*list) + 4 * 32;

	list = dma_alloc_coherent(dmadev, sz, &list_dma, GFP_KERNEL);
	if (!list) {
		tap(false, "BATCH: no memory");
		return;
	}
	rec = (void *)(list + 4);
	memset(list, 0, sz);
	get_random_bytes(a, BUF);
	memset(b, 0, BUF);
	list[0] = op(DSA_OPCODE_MEMMOVE, a_dma, b_dma, 2048);
	list[1] = op(DSA_OPCODE_MEMFILL, 0, c_dma, 512);
	list[1].pattern = 0x5a5a5a5a5a5a5a5aULL;
	list[2] = op(DSA_OPCODE_COMPARE, a_dma, b_dma, 2048);
	list[3] = op(DSA_OPCODE_CRCGEN, a_dma, 0, 2048);
	for (int i = 0; i < 4; i++) {
		list[i].flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR |
				(i == 2 ? IDXD_OP_FLAG_FENCE : 0);
		list[i].completion_addr = list_dma + 4 * sizeof(*list) + i * 32;
	}
	d = op(DSA_OPCODE_BATCH, 0, 0, 0);
	d.desc_list_addr = list_dma;
	d.desc_count = 4;
	tap(run(&d, &cr) == DSA_COMP_SUCCESS && cr.bytes_completed == 4 &&
	    rec[0].status == DSA_COMP_SUCCESS && !memcmp(a, b, 2048) &&
	    c[0] == 0x5a && c[511] == 0x5a && rec[2].result == 0 &&
	    (u32)rec[3].crc_val == ~crc32c(~0U, a, 2048),
	    "BATCH of MEMMOVE, MEMFILL, COMPARE (fenced), CRCGEN");

	memset(rec, 0, 4 * 32);
	list[1].opcode = 0x7e;
	tap(run(&d, &cr) == DSA_COMP_BATCH_FAIL && cr.bytes_completed == 4 &&
	    rec[1].status == DSA_COMP_BAD_OPCODE &&
	    rec[2].status == DSA_COMP_BATCH_FAIL &&
	    rec[3].status == DSA_COMP_SUCCESS,
	    "BATCH with a bad member fails it, skips the fenced one, runs the rest");
	d.desc_count = 1;
	tap(run(&d, NULL) == DSA_COMP_DESC_CNT_ERANGE,
	    "BATCH of one descriptor: DESC_CNT_ERANGE");
	dma_free_coherent(dmadev, sz, list, list_dma);
}

static void test_errors(void)
{
	struct dsa_completion_record cr;
	struct dsa_hw_desc d;

	d = op(0x7f, 0, 0, 0);
	tap(run(&d, NULL) == DSA_COMP_BAD_OPCODE, "unknown opcode: BAD_OPCODE");
	d = op(DSA_OPCODE_CR_DELTA, a_dma, b_dma, 64);
	tap(run(&d, NULL) == DSA_COMP_BAD_OPCODE,
	    "unimplemented CR_DELTA: BAD_OPCODE");
	d = op(DSA_OPCODE_NOOP, 0, 0, 0);
	d.flags = 0x40;
	tap(run(&d, &cr) == DSA_COMP_INVALID_FLAGS && cr.invalid_flags == 0x40,
	    "a reserved flag: INVALID_FLAGS naming it");
	d = op(DSA_OPCODE_MEMMOVE, a_dma, b_dma, 64 << 20);
	tap(run(&d, NULL) == DSA_COMP_XFER_ERANGE,
	    "a 64 MiB transfer: XFER_ERANGE");
	d = op(DSA_OPCODE_MEMMOVE, 0xdead000000000000ULL, b_dma, 64);
	tap(run(&d, &cr) == DSA_COMP_PAGE_FAULT_NOBOF &&
	    cr.fault_addr == 0xdead000000000000ULL,
	    "an address that is not memory: page fault at that address");
	d = op(DSA_OPCODE_DRAIN, 0, 0, 0);
	tap(run(&d, NULL) == DSA_COMP_SUCCESS, "DRAIN completes");
	d = op(DSA_OPCODE_NOOP, 0, 0, 0);
	tap(run(&d, NULL) == DSA_COMP_SUCCESS, "NOOP completes");
}

static atomic_t burst_done, burst_bad;

static void on_burst(void *ctx, const struct dsa_completion_record *cr)
{
	if ((cr->status & DSA_COMP_STATUS_MASK) != DSA_COMP_SUCCESS)
		atomic_inc(&burst_bad);
	atomic_inc(&burst_done);
}

static void test_burst(void)
{
	struct slicebus_dsa_queue_stats st0, st1;
	struct slicebus_dsa_queue_caps caps;
	int i, ok = 0, full = 0, other = 0;
	struct dsa_hw_desc d;

	slicebus_dsa_queue_caps(slicebus_client_slice(client), &caps);
	slicebus_dsa_queue_stats(slicebus_client_slice(client), &st0);
	for (i = 0; i < 4 * caps.size; i++) {
		int ret;

		d = op(DSA_OPCODE_MEMMOVE, a_dma, b_dma, BUF);
		ret = slicebus_client_submit(client, &d, on_burst, NULL);
		if (!ret)
			ok++;
		else if (ret == -ENOSPC)
			full++;
		else
			other++;
	}
	for (i = 0; i < 2000 && atomic_read(&burst_done) < ok; i++)
		usleep_range(10000, 20000);
	slicebus_dsa_queue_stats(slicebus_client_slice(client), &st1);
	pr_info("sb_client_test: burst of %u: %d queued, %d refused\n",
		4 * caps.size, ok, full);
	tap(ok >= caps.size && full > 0 && !other,
	    "a burst larger than the WQ: the excess is refused with -ENOSPC");
	tap(atomic_read(&burst_done) == ok && !atomic_read(&burst_bad),
	    "every queued descriptor of the burst completes");
	tap(st1.submitted - st0.submitted == ok &&
	    st1.completed - st0.completed == ok,
	    "the queue's counters show the burst");
}

static void test_poll(void)
{
	struct dsa_hw_desc d = op(DSA_OPCODE_NOOP, 0, 0, 0);
	struct waiter *w = kzalloc(sizeof(*w), GFP_KERNEL);
	bool done;
	int i;

	if (!w) {
		tap(false, "poll: memory");
		return;
	}
	init_completion(&w->done);
	if (slicebus_client_submit(client, &d, on_done, w)) {
		kfree(w);
		tap(false, "poll: submit");
		return;
	}
	for (i = 0; i < 200000 && !completion_done(&w->done); i++) {
		slicebus_client_poll(client);
		cpu_relax();
		if (!(i % 1000))
			cond_resched();
	}
	done = completion_done(&w->done);
	tap(done, "a polling caller sees its completion");
	if (done)	/* else the callback may still come (see run()) */
		kfree(w);
}

/*
 * Stress: get a slice, run a NOOP on it, put it back, until time is up.
 * With unplug, the device's removal may take the slice away meanwhile:
 * the submission then fails with -ENODEV or the NOOP never completes
 * (counted as "taken away"); slicebus_client_put() must still be safe.
 */
static int sb_churn(void)
{
	unsigned long end = jiffies + churn * HZ, ops = 0, refused = 0, bad = 0;
	unsigned long away = 0;
	struct dsa_hw_desc d;
	struct waiter *w;
	int ret;

	while (time_before(jiffies, end)) {
		client = slicebus_client_get(dev, NULL, NULL, NULL);
		if (IS_ERR(client)) {
			refused++;
			usleep_range(1000, 2000);
			continue;
		}
		w = kzalloc(sizeof(*w), GFP_KERNEL);
		if (!w) {
			slicebus_client_put(client);
			bad++;
			continue;
		}
		d = op(DSA_OPCODE_NOOP, 0, 0, 0);
		ret = submit_wait(w, &d, (unplug ? 2 : 20) * HZ);
		if (ret && unplug)
			away++;
		else if (ret || (w->cr.status & DSA_COMP_STATUS_MASK) !=
				DSA_COMP_SUCCESS)
			bad++;
		slicebus_client_put(client);
		kfree(w);	/* no callback runs once put returned */
		ops++;
		cond_resched();
	}
	pr_info("sb_client_test: churn: %lu slices taken and given back, %lu refused, %lu taken away, %lu bad\n",
		ops, refused, away, bad);
	return bad ? -EIO : 0;
}

static int __init sb_client_test_init(void)
{
	struct netlink_ext_ack ext = {};
	struct slicebus_client *again;

	if (churn)
		return sb_churn();

	client = slicebus_client_get(dev, type, "sb_client_test", &ext);
	tap(!IS_ERR(client), "slicebus_client_get() takes a slice");
	if (IS_ERR(client)) {
		pr_info("sb_client_test: %s\n", ext._msg ?: "");
		return PTR_ERR(client);
	}
	again = slicebus_client_get(dev, type, "sb_client_test", &ext);
	tap(IS_ERR(again) && PTR_ERR(again) == -EEXIST && ext._msg,
	    "a second slice of the same name is refused with a message");
	if (!IS_ERR(again))
		slicebus_client_put(again);

	dmadev = slicebus_client_dma_device(client);
	a = dma_alloc_coherent(dmadev, BUF, &a_dma, GFP_KERNEL);
	b = dma_alloc_coherent(dmadev, BUF, &b_dma, GFP_KERNEL);
	c = dma_alloc_coherent(dmadev, BUF, &c_dma, GFP_KERNEL);
	if (a && b && c) {
		test_memmove();
		test_fill_compare();
		test_dualcast_crc();
		test_batch();
		test_errors();
		test_burst();
		test_poll();
	} else {
		tap(false, "buffers");
	}
	if (a)
		dma_free_coherent(dmadev, BUF, a, a_dma);
	if (b)
		dma_free_coherent(dmadev, BUF, b, b_dma);
	if (c)
		dma_free_coherent(dmadev, BUF, c, c_dma);
	slicebus_client_put(client);
	pr_info("sb_client_test: %d tests, %d failed\n", tests, failures);

	if (hold) {
		held = slicebus_client_get(dev, "dwq-64", "sb_client_held", &ext);
		if (IS_ERR(held))
			return PTR_ERR(held);
	}
	return failures ? -EIO : 0;
}

static void __exit sb_client_test_exit(void)
{
	if (held)
		slicebus_client_put(held);
}

module_init(sb_client_test_init);
module_exit(sb_client_test_exit);
MODULE_DESCRIPTION("slicebus selftest: the in-kernel client API");
MODULE_LICENSE("GPL");
