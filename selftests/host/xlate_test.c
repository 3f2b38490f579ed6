// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of the mediated path's descriptor translation (slicebus/dsa/xlate.c)
 * against a table written from the DSA specification: for every opcode,
 * which fields name memory, for how many bytes and in which direction.
 * Then random descriptors: whatever the translator accepts names memory
 * only through the operands it returned, within the queue's limits, with
 * no flag that could make the hardware reach other memory.  Prints TAP.
 *
 * usage: xlate_test [ROUNDS] [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../slicebus/dsa/xlate.h"

#define MAX_XFER	(2U << 20)
#define MAX_BATCH	32

static int n_test, n_fail;

static void tap(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n_test, what);
	if (!ok)
		n_fail++;
}

/* The spec's view: operand fields by byte offset in the descriptor. */
enum { OFF_SRC = 16, OFF_DST = 24, OFF_OP = 40 };
enum { LEN_XFER, LEN_DELTA_MAX, LEN_DELTA_REC };

struct spec_op {
	int off;
	bool write;
	int len;
};

struct spec {
	int nr;
	struct spec_op op[3];
};

static bool spec_of(unsigned int opcode, struct spec *s)
{
	memset(s, 0, sizeof(*s));
	switch (opcode) {
	case DSA_OPCODE_NOOP:
		return true;
	case DSA_OPCODE_MEMMOVE:	/* source, destination */
	case DSA_OPCODE_COPY_CRC:
		*s = (struct spec){ 2, { { OFF_SRC, false, LEN_XFER },
					 { OFF_DST, true, LEN_XFER } } };
		return true;
	case DSA_OPCODE_MEMFILL:	/* pattern in the source field */
		*s = (struct spec){ 1, { { OFF_DST, true, LEN_XFER } } };
		return true;
	case DSA_OPCODE_COMPARE:	/* source 1, source 2 */
		*s = (struct spec){ 2, { { OFF_SRC, false, LEN_XFER },
					 { OFF_DST, false, LEN_XFER } } };
		return true;
	case DSA_OPCODE_COMPVAL:	/* pattern in the second field */
	case DSA_OPCODE_CRCGEN:
		*s = (struct spec){ 1, { { OFF_SRC, false, LEN_XFER } } };
		return true;
	case DSA_OPCODE_CR_DELTA:	/* two sources, delta record out */
		*s = (struct spec){ 3, { { OFF_SRC, false, LEN_XFER },
					 { OFF_DST, false, LEN_XFER },
					 { OFF_OP, true, LEN_DELTA_MAX } } };
		return true;
	case DSA_OPCODE_AP_DELTA:	/* delta record in, destination */
		*s = (struct spec){ 2, { { OFF_SRC, false, LEN_DELTA_REC },
					 { OFF_DST, true, LEN_XFER } } };
		return true;
	case DSA_OPCODE_DUALCAST:	/* source, two destinations */
		*s = (struct spec){ 3, { { OFF_SRC, false, LEN_XFER },
					 { OFF_DST, true, LEN_XFER },
					 { OFF_OP, true, LEN_XFER } } };
		return true;
	}
	return false;
}

static uint64_t rd64(const struct dsa_hw_desc *d, int off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)d + off, 8);
	return v;
}

static uint32_t rd32(const struct dsa_hw_desc *d, int off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)d + off, 4);
	return v;
}

static uint32_t spec_len(const struct dsa_hw_desc *d, int len)
{
	switch (len) {
	case LEN_DELTA_MAX:
		return rd32(d, 48);	/* max delta record size */
	case LEN_DELTA_REC:
		return rd32(d, 40);	/* delta record size */
	}
	return rd32(d, 32);		/* transfer size */
}

static uint64_t rnd64(void)
{
	return (uint64_t)random() << 33 ^ (uint64_t)random() << 11 ^ random();
}

static void rnd_desc(struct dsa_hw_desc *d)
{
	uint64_t w[8];
	int i;

	for (i = 0; i < 8; i++)
		w[i] = rnd64();
	memcpy(d, w, sizeof(*d));
	/* mostly plausible: known opcodes, small sizes, allowed flags */
	if (random() % 4) {
		static const uint8_t ops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10,
					       0x11, 0x12, 0x20 };
		d->opcode = ops[random() % sizeof(ops)];
	}
	if (random() % 3)
		d->flags &= SB_XLATE_FLAGS;
	if (random() % 3) {
		d->xfer_size %= MAX_XFER + 2;
		d->max_delta_size %= MAX_XFER + 2;
	}
	if (d->opcode == DSA_OPCODE_AP_DELTA && random() % 2)
		d->delta_rec_size %= MAX_XFER + 2;
	/* addresses at the top of the space, where an operand may wrap */
	if (random() % 4 == 0) {
		d->src_addr = 0 - (uint64_t)(random() % (2 * MAX_XFER));
		d->dst_addr = 0 - (uint64_t)(random() % (2 * MAX_XFER));
		d->dest2 = 0 - (uint64_t)(random() % (2 * MAX_XFER));
		d->desc_list_addr = 0 - (uint64_t)(random() % (MAX_BATCH * 64 + 64));
	}
	if (d->opcode == DSA_OPCODE_BATCH && random() % 2) {
		d->desc_count %= MAX_BATCH + 2;
		if (random() % 2)
			d->desc_list_addr &= ~63ULL;
	}
}

static void wr64(struct dsa_hw_desc *d, int off, uint64_t v)
{
	memcpy((uint8_t *)d + off, &v, 8);
}

static void wr32(struct dsa_hw_desc *d, int off, uint32_t v)
{
	memcpy((uint8_t *)d + off, &v, 4);
}

/* The length fields by offset, as spec_len() reads them. */
static int len_off(int len)
{
	return len == LEN_DELTA_MAX ? 48 : len == LEN_DELTA_REC ? 40 : 32;
}

static const uint8_t data_ops[] = {
	DSA_OPCODE_MEMMOVE, DSA_OPCODE_MEMFILL, DSA_OPCODE_COMPARE,
	DSA_OPCODE_COMPVAL, DSA_OPCODE_CR_DELTA, DSA_OPCODE_AP_DELTA,
	DSA_OPCODE_DUALCAST, DSA_OPCODE_CRCGEN, DSA_OPCODE_COPY_CRC,
};

/*
 * A descriptor of @opcode whose every operand is @len bytes at 0x1000,
 * except operand @j at @addr.  The operands' lengths are set one by one
 * (a delta record's size is a field of its own).
 */
static void at_top(struct dsa_hw_desc *d, uint8_t opcode, const struct spec *s,
		   int j, uint64_t addr, uint32_t len)
{
	int k;

	memset(d, 0, sizeof(*d));
	d->opcode = opcode;
	for (k = 0; k < s->nr; k++) {
		wr64(d, s->op[k].off, k == j ? addr : 0x1000);
		wr32(d, len_off(s->op[k].len), len);
	}
}

/*
 * The DSA rule: an operand is the bytes addr .. addr + len - 1, so one
 * that ends exactly at the top of the address space is valid, one byte
 * more wraps around and is a page fault at its start, nothing done.
 * Checked for every operand of every opcode, at a page, at the largest
 * transfer and at zero bytes.
 */
static void wrap_rules(void)
{
	static const uint32_t lens[] = { 2, 4096, MAX_XFER };
	int ok_top = 0, ok_wrap = 0, ok_zero = 0, n = 0;
	struct dsa_hw_desc d;
	struct sb_xlate x;
	struct spec s;
	unsigned int i, l;
	int j;

	for (i = 0; i < sizeof(data_ops); i++) {
		spec_of(data_ops[i], &s);
		for (j = 0; j < s.nr; j++) {
			for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
				uint64_t top = 0 - (uint64_t)lens[l];

				n++;
				at_top(&d, data_ops[i], &s, j, top, lens[l]);
				sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
				if (!x.status && (int)x.nr_ops == s.nr &&
				    x.ops[j].addr == top && x.ops[j].len == lens[l])
					ok_top++;
				at_top(&d, data_ops[i], &s, j, top + 1, lens[l]);
				sb_xlate_parse(&d, true, MAX_XFER, MAX_BATCH, &x);
				if (x.status == DSA_COMP_PAGE_FAULT_NOBOF &&
				    x.fault_addr == top + 1 && !x.nr_ops)
					ok_wrap++;
			}
			/* no bytes: no address, whatever it says */
			at_top(&d, data_ops[i], &s, j, ~0ULL, 0);
			sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
			if (!x.status)
				ok_zero++;
		}
	}
	printf("# %d operands x 3 lengths: %d end at 2^64, %d wrap, %d of 0 bytes\n",
	       n / 3, ok_top, ok_wrap, ok_zero);
	tap(ok_top == n, "every operand of every opcode may end exactly at 2^64 (its last byte 2^64 - 1)");
	tap(ok_wrap == n, "one byte further it wraps: page fault at the operand's start, no operand returned");
	tap(ok_zero == n / 3, "an operand of 0 bytes names no memory, at any address");

	/* the largest transfer, and one byte more, at the top */
	memset(&d, 0, sizeof(d));
	d.opcode = DSA_OPCODE_DUALCAST;
	d.xfer_size = MAX_XFER;
	d.src_addr = 0 - (uint64_t)MAX_XFER;
	d.dst_addr = 0x1000;
	d.dest2 = 0 - (uint64_t)MAX_XFER;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(!x.status && x.nr_ops == 3, "a DUALCAST of the largest transfer ending at 2^64 is accepted");
	d.xfer_size = MAX_XFER + 1;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_XFER_ERANGE, "one byte more: transfer size out of range (checked before addresses)");
	d.xfer_size = 0xffffffff;
	d.dst_addr = 0xffffffff00000001ULL;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_XFER_ERANGE && !x.nr_ops, "a 4 GiB transfer that would wrap: out of range, no operand");

	/* a batch's list */
	memset(&d, 0, sizeof(d));
	d.opcode = DSA_OPCODE_BATCH;
	d.desc_count = MAX_BATCH;
	d.desc_list_addr = 0 - (uint64_t)MAX_BATCH * 64;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(!x.status && x.nr_ops == 1 && x.ops[0].len == MAX_BATCH * 64,
	    "a batch list of the queue's maximum ending at 2^64 is accepted");
	d.desc_list_addr += 64;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_BATCH_PAGE_FAULT && !x.nr_ops &&
	    x.fault_addr == d.desc_list_addr,
	    "one descriptor further it wraps: batch page fault at the list");
	d.desc_list_addr = ~63ULL;
	d.desc_count = 2;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_BATCH_PAGE_FAULT && x.fault_addr == ~63ULL,
	    "a list of two in the last 64 bytes wraps");
}

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	unsigned long accepted = 0, i, bad_status = 0, bad_ops = 0;
	unsigned long bad_flags = 0, bad_set = 0, bad_len = 0, bad_wrap = 0;
	struct dsa_hw_desc d;
	struct sb_xlate x;
	struct spec s;
	char msg[160];
	int j;

	srandom(seed);
	printf("# xlate_test %lu rounds, seed %lu\n", rounds, seed);

	/* every opcode: supported exactly where the table says */
	{
		int wrong = 0;

		for (j = 0; j < 256; j++) {
			bool want = spec_of(j, &s) || j == DSA_OPCODE_BATCH ||
				    j == DSA_OPCODE_DRAIN;

			memset(&d, 0, sizeof(d));
			d.opcode = j;
			d.desc_count = 2;
			sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
			if (want != (x.status != DSA_COMP_BAD_OPCODE))
				wrong++;
		}
		tap(!wrong, "the opcodes mediated are the table's: NOOP, BATCH, DRAIN, data ops; others bad-opcode");
	}

	/* flags that name memory or select address spaces are refused */
	{
		static const uint32_t bad[] = { IDXD_OP_FLAG_CRSTS,
			IDXD_OP_FLAG_ADDR1_TCS, IDXD_OP_FLAG_ADDR2_TCS,
			IDXD_OP_FLAG_ADDR3_TCS, IDXD_OP_FLAG_CR_TCS,
			IDXD_OP_FLAG_STORD, IDXD_OP_FLAG_DRDBK, IDXD_OP_FLAG_DSTS,
			IDXD_OP_FLAG_RD_SRC2_AECS, IDXD_OP_FLAG_CRC_RFC3720,
			0x800000 };
		int wrong = 0;

		for (j = 0; j < (int)(sizeof(bad) / sizeof(bad[0])); j++) {
			memset(&d, 0, sizeof(d));
			d.opcode = DSA_OPCODE_CRCGEN;
			d.flags = IDXD_OP_FLAG_CRAV | bad[j];
			sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
			if (x.status != DSA_COMP_INVALID_FLAGS ||
			    x.invalid_flags != bad[j])
				wrong++;
		}
		tap(!wrong, "readback, traffic-class and op-specific flags: invalid flags, named in the record");
	}

	/* batch rules */
	memset(&d, 0, sizeof(d));
	d.opcode = DSA_OPCODE_BATCH;
	d.desc_list_addr = 0x1000;
	d.desc_count = 1;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_DESC_CNT_ERANGE, "a batch of one: descriptor count out of range");
	d.desc_count = MAX_BATCH + 1;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_DESC_CNT_ERANGE, "a batch over the queue's maximum: out of range");
	d.desc_count = 3;
	d.desc_list_addr = 0x1020;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_DESCLIST_ALIGN, "a list not 64-byte aligned: alignment error");
	d.desc_list_addr = 0x1040;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(!x.status && x.nr_ops == 1 && !x.ops[0].write &&
	    x.ops[0].addr == 0x1040 && x.ops[0].len == 3 * 64,
	    "a batch's one operand is its list, read, 64 bytes a descriptor");
	sb_xlate_parse(&d, true, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_BAD_OPCODE, "a batch in a batch: bad opcode");
	d.opcode = DSA_OPCODE_DRAIN;
	sb_xlate_parse(&d, true, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_BAD_OPCODE, "a drain in a batch: bad opcode");

	/* sizes */
	memset(&d, 0, sizeof(d));
	d.opcode = DSA_OPCODE_MEMMOVE;
	d.xfer_size = MAX_XFER + 1;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_XFER_ERANGE, "a transfer over the queue's maximum: out of range");
	d.opcode = DSA_OPCODE_CR_DELTA;
	d.xfer_size = 4096;
	d.max_delta_size = MAX_XFER + 1;
	sb_xlate_parse(&d, false, MAX_XFER, MAX_BATCH, &x);
	tap(x.status == DSA_COMP_DR_ERANGE, "a delta record over the maximum: out of range");

	wrap_rules();

	/* what was written */
	{
		struct dsa_completion_record cr = { 0 };
		struct sb_xlate_op op = { .write = true, .len = 4096 };

		memset(&d, 0, sizeof(d));
		d.opcode = DSA_OPCODE_MEMMOVE;
		cr.status = DSA_COMP_SUCCESS;
		cr.bytes_completed = 0;
		tap(sb_xlate_written(&d, &op, &cr) == 4096, "on success the whole destination is the result");
		cr.status = DSA_COMP_PAGE_FAULT_NOBOF;
		cr.bytes_completed = 1000;
		tap(sb_xlate_written(&d, &op, &cr) == 1000, "on a fault, the bytes completed");
		d.opcode = DSA_OPCODE_CR_DELTA;
		cr.status = DSA_COMP_SUCCESS;
		cr.delta_rec_size = 80;
		tap(sb_xlate_written(&d, &op, &cr) == 80, "a create-delta wrote its delta record's size");
		op.write = false;
		tap(sb_xlate_written(&d, &op, &cr) == 0, "a read operand is never copied back");
	}

	/* random descriptors against the table */
	for (i = 0; i < rounds; i++) {
		bool in_batch = random() % 4 == 0;
		struct dsa_hw_desc t;

		rnd_desc(&d);
		sb_xlate_parse(&d, in_batch, MAX_XFER, MAX_BATCH, &x);
		if (x.status)
			continue;
		accepted++;
		if (d.flags & ~SB_XLATE_FLAGS)
			bad_flags++;
		for (j = 0; j < (int)x.nr_ops; j++)
			if (x.ops[j].len &&
			    x.ops[j].addr + x.ops[j].len - 1 < x.ops[j].addr)
				bad_wrap++;
		if (d.opcode == DSA_OPCODE_BATCH) {
			if (in_batch || d.desc_count < 2 || d.desc_count > MAX_BATCH ||
			    (d.desc_list_addr & 63) || x.nr_ops != 1)
				bad_status++;
			continue;
		}
		if (d.opcode == DSA_OPCODE_DRAIN) {
			if (in_batch || x.nr_ops)
				bad_status++;
			continue;
		}
		if (!spec_of(d.opcode, &s)) {
			bad_status++;
			continue;
		}
		if ((int)x.nr_ops != s.nr) {
			bad_ops++;
			continue;
		}
		/* each operand where the spec has it, its length within limits */
		t = d;
		for (j = 0; j < s.nr; j++) {
			const struct sb_xlate_op *op = &x.ops[j];
			uint64_t mark = 0xfeed000000000000ULL + j;

			if (op->write != s.op[j].write ||
			    op->addr != rd64(&d, s.op[j].off) ||
			    op->len != spec_len(&d, s.op[j].len))
				bad_ops++;
			if (op->len > MAX_XFER)
				bad_len++;
			sb_xlate_set(&t, op->field, mark);
			if (rd64(&t, s.op[j].off) != mark)
				bad_set++;
		}
		/* nothing else changed */
		for (j = 0; j < 64; j += 8) {
			int k, ours = 0;

			for (k = 0; k < s.nr; k++)
				ours |= s.op[k].off == j;
			if (!ours && rd64(&t, j) != rd64(&d, j))
				bad_set++;
		}
	}
	snprintf(msg, sizeof(msg), "%lu random descriptors (%lu accepted): statuses as the rules say", rounds, accepted);
	tap(!bad_status && accepted > rounds / 10, msg);
	tap(!bad_flags, "every accepted descriptor's flags are in the mediated set");
	tap(!bad_ops, "every accepted descriptor's operands are the table's: field, direction, length");
	tap(!bad_len, "no operand is longer than the queue's maximum transfer");
	tap(!bad_wrap, "no accepted operand wraps past 2^64");
	tap(!bad_set, "rewriting the operands touches their fields and nothing else");
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
