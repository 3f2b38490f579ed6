// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the mediated path's descriptor parser
 * (slicebus/dsa/xlate.c).  The input is a descriptor and a byte that shapes
 * it the way a hostile VFIO user would: addresses at and just past the
 * top of the address space, lengths at the queue's maximum, batches of
 * the queue's largest size.  Whatever the parser accepts must name only
 * operands that lie in [0, 2^64), no longer than the queue allows, with
 * only the flags the mediated path passes on; a page-fault refusal must
 * name the operand that wraps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../slicebus/dsa/xlate.h"

#define MAX_XFER	(2U << 20)
#define MAX_BATCH	32

static uint64_t near_top(uint64_t v, uint32_t len)
{
	/* from len + 64 bytes below the top to 64 bytes past the wrap point */
	return 0 - (uint64_t)len + (int64_t)(v % 129) - 64;
}

static void shape(struct dsa_hw_desc *d, uint8_t how)
{
	uint32_t len = how & 0x10 ? MAX_XFER : d->xfer_size % (MAX_XFER + 2);

	if (how & 0x01)
		d->flags &= SB_XLATE_FLAGS;
	if (how & 0x02)
		d->xfer_size = len;
	if (how & 0x04) {
		d->src_addr = near_top(d->src_addr, d->xfer_size);
		d->dst_addr = near_top(d->dst_addr, d->xfer_size);
	}
	if (how & 0x08)
		d->dest2 = near_top(d->dest2, d->xfer_size);
	if (how & 0x20) {
		d->opcode = DSA_OPCODE_BATCH;
		d->desc_count = how & 0x40 ? MAX_BATCH : d->desc_count % (MAX_BATCH + 2);
		d->desc_list_addr = near_top(d->desc_list_addr, d->desc_count * 64) & ~63ULL;
	}
	if (how & 0x80) {
		d->max_delta_size %= MAX_XFER + 2;
		d->delta_rec_size %= MAX_XFER + 2;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dsa_hw_desc d;
	struct sb_xlate x;
	unsigned int i;

	if (size < 1 + sizeof(d))
		return 0;
	memcpy(&d, data + 1, sizeof(d));
	shape(&d, data[0]);
	sb_xlate_parse(&d, size > 1 + sizeof(d) && data[1 + sizeof(d)] & 1,
		       MAX_XFER, MAX_BATCH, &x);
	if (x.status) {
		if (x.nr_ops)
			abort();	/* a refusal names no operand */
		if (x.status == DSA_COMP_PAGE_FAULT_NOBOF &&
		    x.fault_addr != d.src_addr && x.fault_addr != d.dst_addr &&
		    x.fault_addr != d.dest2)
			abort();	/* the fault is at an operand's start */
		return 0;
	}
	if (d.flags & ~SB_XLATE_FLAGS || x.nr_ops > SB_XLATE_MAX_OPS)
		abort();
	for (i = 0; i < x.nr_ops; i++) {
		const struct sb_xlate_op *op = &x.ops[i];

		if (op->len && op->addr + (op->len - 1) < op->addr)
			abort();	/* wraps past 2^64 */
		if (d.opcode == DSA_OPCODE_BATCH ? op->len > MAX_BATCH * 64 :
		    op->len > MAX_XFER)
			abort();
	}
	return 0;
}
