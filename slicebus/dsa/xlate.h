/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptor translation for the mediated path: which fields of a DSA
 * descriptor name memory, how much and in which direction, and which
 * descriptors cannot be mediated at all.  Pure functions over the
 * descriptor, no kernel services, so that the host tests them against a
 * table written from the DSA specification.
 *
 * The rule the mediated path relies on: a descriptor that sb_xlate_parse()
 * accepts names memory only in the operands it returned (plus its
 * completion record), so rewriting those leaves no address of the
 * submitter's space for the hardware to use.
 */
#ifndef _SLICEBUS_XLATE_H
#define _SLICEBUS_XLATE_H

#include <linux/types.h>
#include <uapi/linux/idxd.h>

#define SB_XLATE_MAX_OPS	3

/* Flags a mediated descriptor may carry; the others either name memory
 * (readback, CRC seed address), select address spaces (traffic classes) or
 * are op-specific, and are refused with an invalid-flags status.
 */
#define SB_XLATE_FLAGS	(IDXD_OP_FLAG_FENCE | IDXD_OP_FLAG_BOF |	\
			 IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR |		\
			 IDXD_OP_FLAG_RCI | IDXD_OP_FLAG_CR |		\
			 IDXD_OP_FLAG_CC)

/** enum sb_xlate_field - the descriptor fields that can hold an address */
enum sb_xlate_field {
	SB_XF_SRC,	/* src_addr (also desc_list_addr) */
	SB_XF_DST,	/* dst_addr (also src2_addr) */
	SB_XF_OP,	/* the op-specific address: dest2, delta_addr */
};

/**
 * struct sb_xlate_op - one memory operand of a descriptor
 * @field: where its address is
 * @write: the hardware writes it (else reads)
 * @addr: its address in the submitter's space
 * @len: its length in bytes (the most the hardware touches)
 */
struct sb_xlate_op {
	enum sb_xlate_field field;
	bool write;
	u64 addr;
	u32 len;
};

/**
 * struct sb_xlate - the result of parsing one descriptor
 * @status: 0 when it can be mediated, else the DSA completion status to
 *	complete it with (bad opcode, invalid flags, transfer size ...)
 * @invalid_flags: with %DSA_COMP_INVALID_FLAGS, the offending flags
 * @fault_addr: with a page-fault status, the start of the operand that
 *	runs past the top of the address space
 * @nr_ops: number of @ops
 * @ops: its memory operands
 */
struct sb_xlate {
	u8 status;
	u32 invalid_flags;
	u64 fault_addr;
	unsigned int nr_ops;
	struct sb_xlate_op ops[SB_XLATE_MAX_OPS];
};

void sb_xlate_parse(const struct dsa_hw_desc *d, bool in_batch,
		    u32 max_xfer, unsigned int max_batch, struct sb_xlate *x);
void sb_xlate_set(struct dsa_hw_desc *d, enum sb_xlate_field field, u64 addr);
u32 sb_xlate_written(const struct dsa_hw_desc *d, const struct sb_xlate_op *op,
		     const struct dsa_completion_record *cr);

#endif /* _SLICEBUS_XLATE_H */
