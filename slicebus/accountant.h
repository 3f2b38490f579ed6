/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slicebus resource accountant: pure arithmetic, no locking, no
 * allocation, no kernel services, so that the host can test it against a
 * brute-force model.  The caller (slicebus core) serialises every call on one
 * accountant with the owning parent's lock.
 */
#ifndef _SLICEBUS_ACCOUNTANT_H
#define _SLICEBUS_ACCOUNTANT_H

#include <linux/types.h>

#define SB_ACCT_MAX_RES		8
/* backends are slots of the core's table of names (backend.c) */
#define SB_ACCT_MAX_BACKENDS	16
#define SB_ACCT_NO_LIMIT	((u64)~0ULL)

/**
 * struct sb_acct - per-parent accounting state
 * @nr_res: number of resource pools in use
 * @total: capacity of each pool
 * @used: what each backend holds, per pool (indexed by backend slot)
 * @reserve: capacity guaranteed to each backend, per pool (0 = none)
 * @limit: cap of each backend, per pool (%SB_ACCT_NO_LIMIT = none)
 */
struct sb_acct {
	unsigned int nr_res;
	u64 total[SB_ACCT_MAX_RES];
	u64 used[SB_ACCT_MAX_BACKENDS][SB_ACCT_MAX_RES];
	u64 reserve[SB_ACCT_MAX_BACKENDS][SB_ACCT_MAX_RES];
	u64 limit[SB_ACCT_MAX_BACKENDS][SB_ACCT_MAX_RES];
};

/**
 * enum sb_acct_verdict - why the accountant said no
 * @SB_ACCT_OK: it said yes
 * @SB_ACCT_SHORT: the pool has less free than the cost
 * @SB_ACCT_RESERVED: free capacity is held by other backends' reservations
 * @SB_ACCT_LIMIT: the backend would go over its limit
 * @SB_ACCT_RESERVE_OVER_TOTAL: reservations would add up to more than the pool
 * @SB_ACCT_RESERVE_UNAVAILABLE: the reservation cannot be honoured now
 * @SB_ACCT_RESERVE_OVER_LIMIT: a reservation above the same backend's limit
 * @SB_ACCT_LIMIT_UNDER_USE: a limit below what the backend already holds
 */
enum sb_acct_verdict {
	SB_ACCT_OK,
	SB_ACCT_SHORT,
	SB_ACCT_RESERVED,
	SB_ACCT_LIMIT,
	SB_ACCT_RESERVE_OVER_TOTAL,
	SB_ACCT_RESERVE_UNAVAILABLE,
	SB_ACCT_RESERVE_OVER_LIMIT,
	SB_ACCT_LIMIT_UNDER_USE,
};

/**
 * struct sb_acct_why - the first reason for a refusal
 * @verdict: what went wrong
 * @res: the resource pool it went wrong on
 * @need: the amount asked for (cost, reservation or limit)
 * @have: what was there to give (free, unreserved, headroom or in use)
 */
struct sb_acct_why {
	enum sb_acct_verdict verdict;
	unsigned int res;
	u64 need;
	u64 have;
};

void sb_acct_init(struct sb_acct *a, unsigned int nr_res, const u64 *total);
u64 sb_acct_used(const struct sb_acct *a, unsigned int res);
u64 sb_acct_held(const struct sb_acct *a, unsigned int backend,
		 unsigned int res);
int sb_acct_charge(struct sb_acct *a, unsigned int backend, const u64 *cost,
		   struct sb_acct_why *why);
void sb_acct_uncharge(struct sb_acct *a, unsigned int backend,
		      const u64 *cost);
u64 sb_acct_available(const struct sb_acct *a, unsigned int backend,
		      const u64 *cost);
int sb_acct_set_policy(struct sb_acct *a, unsigned int backend,
		       const u64 *reserve, const u64 *limit,
		       struct sb_acct_why *why);
int sb_acct_resize(struct sb_acct *a, unsigned int res, u64 total,
		   unsigned long *clipped);
bool sb_acct_idle(const struct sb_acct *a);
bool sb_acct_backend_idle(const struct sb_acct *a, unsigned int backend);
void sb_acct_forget(struct sb_acct *a, unsigned int backend);

#endif /* _SLICEBUS_ACCOUNTANT_H */
