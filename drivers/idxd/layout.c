// SPDX-License-Identifier: GPL-2.0
/*
 * idxd work queues to slicebus resources and types; see layout.h.  Built
 * into slicebus_idxd.ko and, unchanged, into a host test.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdio.h>
#include <string.h>
#define strscpy(d, s, n) snprintf(d, n, "%s", s)
#endif

#include "layout.h"

/**
 * sbi_layout() - lay out the WQs of one device
 * @sizes: the size of each WQ (entries), none zero
 * @nr: how many
 * @l: the result
 *
 * Return: 0, or -EINVAL for no WQ or a WQ of size 0.
 */
int sbi_layout(const u32 *sizes, unsigned int nr, struct sbi_layout *l)
{
	unsigned int i, t;
	u64 count[SBI_MAX_TYPES] = {};

	memset(l, 0, sizeof(*l));
	if (!nr)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		if (!sizes[i])
			return -EINVAL;
		for (t = 0; t < l->nr_types; t++)
			if (l->size[t] == sizes[i])
				break;
		if (t == l->nr_types) {
			if (t == SBI_MAX_TYPES) {
				l->dropped++;
				continue;
			}
			l->size[t] = sizes[i];
			snprintf(l->type_name[t], SBI_NAME_LEN, "dwq-%u", sizes[i]);
			l->nr_types++;
		}
		count[t]++;
		l->total[0]++;
		l->total[1] += sizes[i];
	}
	strscpy(l->res_name[0], "wq", SBI_NAME_LEN);
	strscpy(l->res_name[1], "wq-entries", SBI_NAME_LEN);
	l->nr_res = l->nr_types > 1 ? 2 + l->nr_types : 2;
	for (t = 0; t < l->nr_types; t++) {
		l->cost[t][0] = 1;
		l->cost[t][1] = l->size[t];
		if (l->nr_res == 2)
			continue;
		snprintf(l->res_name[2 + t], SBI_NAME_LEN, "wq-%u", l->size[t]);
		l->total[2 + t] = count[t];
		l->cost[t][2 + t] = 1;
	}
	return 0;
}

/**
 * sbi_layout_bound() - the capacity of a layout for the WQs bound now
 * @l: a layout from sbi_layout() of the WQs configured for slicebus
 * @sizes: the sizes of the WQs bound now (a subset of the configured)
 * @nr: how many
 *
 * Replaces @l's totals with those of the bound WQs: the types stay those of
 * every configured WQ (so that binding or unbinding one changes capacity,
 * not the types), a type whose WQs are all unbound has none available.
 *
 * Return: the bound WQs left out (a size that is not one of @l's types).
 */
unsigned int sbi_layout_bound(struct sbi_layout *l, const u32 *sizes,
			      unsigned int nr)
{
	unsigned int i, t, out = 0;

	memset(l->total, 0, sizeof(l->total));
	for (i = 0; i < nr; i++) {
		for (t = 0; t < l->nr_types; t++)
			if (l->size[t] == sizes[i])
				break;
		if (t == l->nr_types) {
			out++;
			continue;
		}
		l->total[0]++;
		l->total[1] += sizes[i];
		if (l->nr_res > 2)
			l->total[2 + t]++;
	}
	return out;
}

/**
 * sbi_layout_same() - whether two layouts have the same resources and types
 * @a: one
 * @b: the other
 *
 * Return: true when only their totals differ, so that a registered parent
 * of layout @a can become @b by changing its capacity.
 */
bool sbi_layout_same(const struct sbi_layout *a, const struct sbi_layout *b)
{
	return a->nr_res == b->nr_res && a->nr_types == b->nr_types &&
	       !memcmp(a->size, b->size, sizeof(a->size[0]) * a->nr_types);
}
