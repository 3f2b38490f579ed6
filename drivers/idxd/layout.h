/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a set of idxd work queues becomes a slicebus parent's resources and
 * slice types.  Pure arithmetic, no idxd or kernel services, so that the
 * host tests it with the accountant.
 *
 * Resources: "wq" (how many WQs) and "wq-entries" (the sum of their
 * sizes), and, when the WQs come in more than one size, one "wq-<size>"
 * per size: a slice is one whole WQ, so a dwq-16 slice needs a free WQ of
 * 16 entries, not 16 free entries anywhere.  With them the accountant
 * grants a type exactly while such a WQ is free.  Types: one "dwq-<size>"
 * per distinct size, in the order first seen, costing 1 wq, <size>
 * wq-entries and 1 wq-<size>.
 */
#ifndef _SLICEBUS_IDXD_LAYOUT_H
#define _SLICEBUS_IDXD_LAYOUT_H

#include <linux/types.h>

#define SBI_MAX_TYPES		6	/* 2 + 6 resources = the core's maximum */
#define SBI_NAME_LEN		16

/**
 * struct sbi_layout - resources and types of one idxd device
 * @nr_res: resources used (2, or 2 + @nr_types)
 * @res_name: their names
 * @total: their capacities
 * @nr_types: slice types
 * @type_name: their names
 * @size: the WQ size of each type
 * @cost: what one slice of each type takes, per resource
 * @dropped: WQs left out because their size would be a type too many
 */
struct sbi_layout {
	unsigned int nr_res;
	char res_name[2 + SBI_MAX_TYPES][SBI_NAME_LEN];
	u64 total[2 + SBI_MAX_TYPES];
	unsigned int nr_types;
	char type_name[SBI_MAX_TYPES][SBI_NAME_LEN];
	u32 size[SBI_MAX_TYPES];
	u64 cost[SBI_MAX_TYPES][2 + SBI_MAX_TYPES];
	unsigned int dropped;
};

int sbi_layout(const u32 *sizes, unsigned int nr, struct sbi_layout *l);
unsigned int sbi_layout_bound(struct sbi_layout *l, const u32 *sizes,
			      unsigned int nr);
bool sbi_layout_same(const struct sbi_layout *a, const struct sbi_layout *b);

#endif /* _SLICEBUS_IDXD_LAYOUT_H */
