// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor translation for the mediated path; see xlate.h.  Built into
 * slicebus_dsa.ko and, unchanged, into a host test.
 */
#include "xlate.h"

static void sb_xlate_add(struct sb_xlate *x, enum sb_xlate_field field,
			 bool write, u64 addr, u32 len)
{
	x->ops[x->nr_ops++] = (struct sb_xlate_op){
		.field = field, .write = write, .addr = addr, .len = len,
	};
}

/*
 * The DSA rule for an operand of @len bytes at @addr: it is the bytes
 * @addr .. @addr + @len - 1, so it may end at the last byte of the address
 * space but not wrap past it.  Zero bytes name no memory.
 */
static bool sb_xlate_wraps(const struct sb_xlate_op *op)
{
	return op->len && op->addr + (op->len - 1) < op->addr;
}

/*
 * Refuse @x when an operand wraps.  No IOMMU page table translates an
 * address past the top, so the hardware reports what it reports for any
 * address it cannot translate: a page fault.  Nothing was done, so the
 * fault is at the operand's start with no bytes completed.  A batch whose
 * list wraps reports it as a fault on the list.
 */
static void sb_xlate_check_wrap(const struct dsa_hw_desc *d, struct sb_xlate *x)
{
	unsigned int i;

	for (i = 0; i < x->nr_ops; i++) {
		if (!sb_xlate_wraps(&x->ops[i]))
			continue;
		x->status = d->opcode == DSA_OPCODE_BATCH ?
			    DSA_COMP_BATCH_PAGE_FAULT : DSA_COMP_PAGE_FAULT_NOBOF;
		x->fault_addr = x->ops[i].addr;
		x->nr_ops = 0;
		return;
	}
}

/**
 * sb_xlate_parse() - the memory operands of a descriptor
 * @d: the descriptor, as the submitter wrote it
 * @in_batch: @d is a member of a batch
 * @max_xfer: the queue's largest transfer
 * @max_batch: the queue's largest batch
 * @x: the result; @x->status is 0 when @d can be mediated
 *
 * The checks are the ones whose failure the hardware would report without
 * touching memory; the mediated path completes such descriptors itself.
 * An operand that runs past the top of the address space (addr + len >
 * 2^64) is refused here with a page fault (see sb_xlate_check_wrap()), so
 * every operand returned is the interval [addr, addr + len - 1].
 */
void sb_xlate_parse(const struct dsa_hw_desc *d, bool in_batch,
		    u32 max_xfer, unsigned int max_batch, struct sb_xlate *x)
{
	u32 n = d->xfer_size;

	x->status = 0;
	x->invalid_flags = 0;
	x->fault_addr = 0;
	x->nr_ops = 0;
	if (d->flags & ~SB_XLATE_FLAGS) {
		x->status = DSA_COMP_INVALID_FLAGS;
		x->invalid_flags = d->flags & ~SB_XLATE_FLAGS;
		return;
	}
	switch (d->opcode) {
	case DSA_OPCODE_NOOP:
		return;
	case DSA_OPCODE_DRAIN:
		if (in_batch)
			x->status = DSA_COMP_BAD_OPCODE;
		return;
	case DSA_OPCODE_BATCH:
		if (in_batch)
			x->status = DSA_COMP_BAD_OPCODE;
		else if (d->desc_count < 2 || d->desc_count > max_batch)
			x->status = DSA_COMP_DESC_CNT_ERANGE;
		else if (d->desc_list_addr & 63)
			x->status = DSA_COMP_DESCLIST_ALIGN;
		else
			sb_xlate_add(x, SB_XF_SRC, false, d->desc_list_addr,
				     d->desc_count * sizeof(*d));
		sb_xlate_check_wrap(d, x);
		return;
	case DSA_OPCODE_MEMMOVE:
	case DSA_OPCODE_MEMFILL:
	case DSA_OPCODE_COMPARE:
	case DSA_OPCODE_COMPVAL:
	case DSA_OPCODE_CR_DELTA:
	case DSA_OPCODE_AP_DELTA:
	case DSA_OPCODE_DUALCAST:
	case DSA_OPCODE_CRCGEN:
	case DSA_OPCODE_COPY_CRC:
		break;
	default:
		x->status = DSA_COMP_BAD_OPCODE;
		return;
	}
	if (n > max_xfer) {
		x->status = DSA_COMP_XFER_ERANGE;
		return;
	}
	switch (d->opcode) {
	case DSA_OPCODE_MEMMOVE:
	case DSA_OPCODE_COPY_CRC:
		sb_xlate_add(x, SB_XF_SRC, false, d->src_addr, n);
		sb_xlate_add(x, SB_XF_DST, true, d->dst_addr, n);
		break;
	case DSA_OPCODE_MEMFILL:
		sb_xlate_add(x, SB_XF_DST, true, d->dst_addr, n);
		break;
	case DSA_OPCODE_COMPARE:
		sb_xlate_add(x, SB_XF_SRC, false, d->src_addr, n);
		sb_xlate_add(x, SB_XF_DST, false, d->src2_addr, n);
		break;
	case DSA_OPCODE_COMPVAL:
	case DSA_OPCODE_CRCGEN:
		sb_xlate_add(x, SB_XF_SRC, false, d->src_addr, n);
		break;
	case DSA_OPCODE_CR_DELTA:
		if (d->max_delta_size > max_xfer) {
			x->status = DSA_COMP_DR_ERANGE;
			return;
		}
		sb_xlate_add(x, SB_XF_SRC, false, d->src_addr, n);
		sb_xlate_add(x, SB_XF_DST, false, d->src2_addr, n);
		sb_xlate_add(x, SB_XF_OP, true, d->delta_addr, d->max_delta_size);
		break;
	case DSA_OPCODE_AP_DELTA:
		if (d->delta_rec_size > max_xfer) {
			x->status = DSA_COMP_DR_ERANGE;
			return;
		}
		sb_xlate_add(x, SB_XF_SRC, false, d->src_addr, d->delta_rec_size);
		sb_xlate_add(x, SB_XF_DST, true, d->dst_addr, n);
		break;
	case DSA_OPCODE_DUALCAST:
		sb_xlate_add(x, SB_XF_SRC, false, d->src_addr, n);
		sb_xlate_add(x, SB_XF_DST, true, d->dst_addr, n);
		sb_xlate_add(x, SB_XF_OP, true, d->dest2, n);
		break;
	}
	sb_xlate_check_wrap(d, x);
}

/**
 * sb_xlate_set() - point one address field of a descriptor elsewhere
 * @d: the descriptor
 * @field: which field
 * @addr: the new address
 */
void sb_xlate_set(struct dsa_hw_desc *d, enum sb_xlate_field field, u64 addr)
{
	switch (field) {
	case SB_XF_SRC:
		d->src_addr = addr;
		break;
	case SB_XF_DST:
		d->dst_addr = addr;
		break;
	case SB_XF_OP:
		d->dest2 = addr;
		break;
	}
}

/**
 * sb_xlate_written() - how much of a written operand the hardware wrote
 * @d: the descriptor as parsed
 * @op: one of its written operands
 * @cr: its completion record
 *
 * Return: the length from the operand's start that holds the result: all
 * of it on success, the bytes completed before a failure of a streaming
 * operation, the delta record's size for a create-delta.
 */
u32 sb_xlate_written(const struct dsa_hw_desc *d, const struct sb_xlate_op *op,
		     const struct dsa_completion_record *cr)
{
	u8 status = DSA_COMP_STATUS(cr->status);
	bool ok = status == DSA_COMP_SUCCESS || status == DSA_COMP_SUCCESS_PRED;

	if (!op->write)
		return 0;
	if (d->opcode == DSA_OPCODE_CR_DELTA)
		return ok && cr->delta_rec_size < op->len ? cr->delta_rec_size :
		       ok ? op->len : 0;
	if (ok)
		return op->len;
	return cr->bytes_completed < op->len ? cr->bytes_completed : op->len;
}
