// SPDX-License-Identifier: GPL-2.0
/*
 * The slicebus resource accountant.
 *
 * For backend b and resource r, with used[b][r] what b holds:
 *
 *   free[r]   = total[r] - sum_b used[b][r]
 *   held(b,r) = sum_{b' != b} max(0, reserve[b'][r] - used[b'][r])
 *
 * An allocation of cost c for b succeeds iff, for every r with c[r] > 0,
 * c[r] <= free[r] - held(b,r) and used[b][r] + c[r] <= limit[b][r].
 *
 * Invariant kept by every successful call: for every r,
 * sum_b max(0, reserve[b][r] - used[b][r]) <= free[r], i.e. every
 * reservation can always be honoured.  The caller serialises all calls.
 */
#include "accountant.h"

#define SB_ACCT_NONE	((unsigned int)~0U)

static u64 sat_add(u64 a, u64 b)
{
	return a + b < a ? SB_ACCT_NO_LIMIT : a + b;
}

static u64 unmet(u64 reserve, u64 used)
{
	return reserve > used ? reserve - used : 0;
}

static int refuse(struct sb_acct_why *why, enum sb_acct_verdict verdict,
		  unsigned int res, u64 need, u64 have)
{
	if (why) {
		why->verdict = verdict;
		why->res = res;
		why->need = need;
		why->have = have;
	}
	return verdict == SB_ACCT_OK ? 0 : -1;
}

/**
 * sb_acct_init() - start with empty pools, no reservations and no limits
 * @a: accountant
 * @nr_res: number of pools, at most %SB_ACCT_MAX_RES
 * @total: capacity of each pool
 */
void sb_acct_init(struct sb_acct *a, unsigned int nr_res, const u64 *total)
{
	unsigned int b, r;

	a->nr_res = nr_res;
	for (r = 0; r < SB_ACCT_MAX_RES; r++) {
		a->total[r] = r < nr_res ? total[r] : 0;
		for (b = 0; b < SB_ACCT_MAX_BACKENDS; b++) {
			a->used[b][r] = 0;
			a->reserve[b][r] = 0;
			a->limit[b][r] = SB_ACCT_NO_LIMIT;
		}
	}
}

/**
 * sb_acct_used() - what all backends together hold of a pool
 * @a: accountant
 * @res: pool
 *
 * Return: sum over backends of used[b][res]; never above total[res].
 */
u64 sb_acct_used(const struct sb_acct *a, unsigned int res)
{
	u64 sum = 0;
	unsigned int b;

	for (b = 0; b < SB_ACCT_MAX_BACKENDS; b++)
		sum += a->used[b][res];
	return sum;
}

/**
 * sb_acct_held() - capacity of a pool kept for backends other than @backend
 * @a: accountant
 * @backend: the backend asking
 * @res: pool
 *
 * Return: sum over the other backends of their unmet reservations.
 */
u64 sb_acct_held(const struct sb_acct *a, unsigned int backend,
		 unsigned int res)
{
	u64 sum = 0;
	unsigned int b;

	for (b = 0; b < SB_ACCT_MAX_BACKENDS; b++)
		if (b != backend)
			sum += unmet(a->reserve[b][res], a->used[b][res]);
	return sum;
}

/* What @backend may still take of @res: min(free - held, limit - used). */
static u64 headroom(const struct sb_acct *a, unsigned int backend,
		    unsigned int res, struct sb_acct_why *why, u64 cost)
{
	u64 free = a->total[res] - sb_acct_used(a, res);
	u64 held = sb_acct_held(a, backend, res);
	u64 unres = free > held ? free - held : 0;
	u64 room = a->limit[backend][res] - a->used[backend][res];

	if (why) {
		if (cost > free)
			refuse(why, SB_ACCT_SHORT, res, cost, free);
		else if (cost > unres)
			refuse(why, SB_ACCT_RESERVED, res, cost, unres);
		else if (cost > room)
			refuse(why, SB_ACCT_LIMIT, res, cost, room);
		else
			refuse(why, SB_ACCT_OK, res, cost, 0);
	}
	return unres < room ? unres : room;
}

/**
 * sb_acct_charge() - check and debit one allocation, in one step
 * @a: accountant
 * @backend: the backend that will hold it
 * @cost: amount of each pool it needs
 * @why: filled with the first reason on refusal; may be NULL
 *
 * Return: 0 and the cost debited, or -1 with nothing changed.
 */
int sb_acct_charge(struct sb_acct *a, unsigned int backend, const u64 *cost,
		   struct sb_acct_why *why)
{
	unsigned int r;

	for (r = 0; r < a->nr_res; r++) {
		if (!cost[r])
			continue;
		if (cost[r] > headroom(a, backend, r, why, cost[r]))
			return -1;
	}
	for (r = 0; r < a->nr_res; r++)
		a->used[backend][r] += cost[r];
	return refuse(why, SB_ACCT_OK, 0, 0, 0);
}

/**
 * sb_acct_uncharge() - give back what sb_acct_charge() debited
 * @a: accountant
 * @backend: the backend that held it
 * @cost: the same cost that was charged
 */
void sb_acct_uncharge(struct sb_acct *a, unsigned int backend,
		      const u64 *cost)
{
	unsigned int r;

	for (r = 0; r < a->nr_res; r++)
		a->used[backend][r] -= cost[r];
}

/**
 * sb_acct_available() - how many allocations of @cost @backend could make now
 * @a: accountant
 * @backend: the backend asking
 * @cost: amount of each pool one allocation needs
 *
 * Each allocation lowers free and raises used[backend] by the cost while
 * held() stays put, so the count is a minimum of quotients.
 *
 * Return: the largest k such that k successive sb_acct_charge() calls
 * succeed; %SB_ACCT_NO_LIMIT for a cost of zero everywhere.
 */
u64 sb_acct_available(const struct sb_acct *a, unsigned int backend,
		      const u64 *cost)
{
	u64 k = SB_ACCT_NO_LIMIT, n;
	unsigned int r;

	for (r = 0; r < a->nr_res; r++) {
		if (!cost[r])
			continue;
		n = headroom(a, backend, r, NULL, 0) / cost[r];
		if (n < k)
			k = n;
	}
	return k;
}

/**
 * sb_acct_set_policy() - replace one backend's reservations and limits
 * @a: accountant
 * @backend: the backend
 * @reserve: new reservation of each pool
 * @limit: new limit of each pool, %SB_ACCT_NO_LIMIT for none
 * @why: filled with the first reason on refusal; may be NULL
 *
 * Refused when a reservation exceeds the same backend's limit, a limit is
 * below what the backend holds, the reservations of all backends add up to
 * more than a pool, or the reservation cannot be honoured with what is
 * free now.  Either all of it applies or none.
 *
 * Return: 0, or -1 with nothing changed.
 */
int sb_acct_set_policy(struct sb_acct *a, unsigned int backend,
		       const u64 *reserve, const u64 *limit,
		       struct sb_acct_why *why)
{
	unsigned int b, r;

	for (r = 0; r < a->nr_res; r++) {
		u64 sum = 0, need = 0, free;

		if (reserve[r] > limit[r])
			return refuse(why, SB_ACCT_RESERVE_OVER_LIMIT, r,
				      reserve[r], limit[r]);
		if (a->used[backend][r] > limit[r])
			return refuse(why, SB_ACCT_LIMIT_UNDER_USE, r,
				      limit[r], a->used[backend][r]);
		for (b = 0; b < SB_ACCT_MAX_BACKENDS; b++) {
			u64 res = b == backend ? reserve[r] : a->reserve[b][r];

			sum = sat_add(sum, res);
			need = sat_add(need, unmet(res, a->used[b][r]));
		}
		if (sum > a->total[r])
			return refuse(why, SB_ACCT_RESERVE_OVER_TOTAL, r, sum,
				      a->total[r]);
		free = a->total[r] - sb_acct_used(a, r);
		if (need > free)
			return refuse(why, SB_ACCT_RESERVE_UNAVAILABLE, r, need,
				      free);
	}
	for (r = 0; r < a->nr_res; r++) {
		a->reserve[backend][r] = reserve[r];
		a->limit[backend][r] = limit[r];
	}
	return refuse(why, SB_ACCT_OK, 0, 0, 0);
}

/**
 * sb_acct_resize() - change the capacity of one pool
 * @a: accountant
 * @res: pool
 * @total: its new capacity
 * @clipped: set, per backend slot, when that backend's reservation of
 *	@res was lowered; may be NULL
 *
 * The capacity of hardware that appeared or went away: it cannot be
 * refused for reservations.  Reservations that the smaller pool cannot
 * honour any more are lowered, from the highest backend slot down, each
 * by no more than the excess and never below what the backend holds, so
 * that the invariant above still holds.  What backends hold is never
 * taken away: the caller gives the capacity of slices back first
 * (sb_acct_uncharge()).
 *
 * Return: 0, or -1 with nothing changed when @total is below what the
 * backends hold.
 */
int sb_acct_resize(struct sb_acct *a, unsigned int res, u64 total,
		   unsigned long *clipped)
{
	u64 used = sb_acct_used(a, res), need = 0, over;
	unsigned int b;

	if (res >= a->nr_res || total < used)
		return -1;
	a->total[res] = total;
	/*
	 * The unmet reservations must fit in what is free; the reservations
	 * then add up to no more than @total (each is at most what its
	 * backend holds plus its unmet part).
	 */
	for (b = 0; b < SB_ACCT_MAX_BACKENDS; b++)
		need += unmet(a->reserve[b][res], a->used[b][res]);
	over = need > total - used ? need - (total - used) : 0;
	for (b = SB_ACCT_MAX_BACKENDS; over && b--; ) {
		u64 cut = unmet(a->reserve[b][res], a->used[b][res]);

		if (!cut)
			continue;
		cut = cut < over ? cut : over;
		a->reserve[b][res] -= cut;
		over -= cut;
		if (clipped)
			*clipped |= 1UL << b;
	}
	return 0;
}

/**
 * sb_acct_idle() - whether no backend holds anything
 * @a: accountant
 *
 * Return: true when every pool is entirely free.
 */
bool sb_acct_idle(const struct sb_acct *a)
{
	unsigned int r;

	for (r = 0; r < a->nr_res; r++)
		if (sb_acct_used(a, r))
			return false;
	return true;
}

/**
 * sb_acct_backend_idle() - whether one backend holds nothing
 * @a: accountant
 * @backend: the backend
 *
 * Return: true when @backend holds nothing of any pool.
 */
bool sb_acct_backend_idle(const struct sb_acct *a, unsigned int backend)
{
	unsigned int r;

	for (r = 0; r < a->nr_res; r++)
		if (a->used[backend][r])
			return false;
	return true;
}

/**
 * sb_acct_forget() - drop an idle backend's reservations and limits
 * @a: accountant
 * @backend: the backend, holding nothing (see sb_acct_backend_idle())
 *
 * Lowering a reservation keeps every other one honoured, so this cannot
 * fail.  Afterwards the backend is as new: no reservation, no limit.
 */
void sb_acct_forget(struct sb_acct *a, unsigned int backend)
{
	unsigned int r;

	for (r = 0; r < SB_ACCT_MAX_RES; r++) {
		a->reserve[backend][r] = 0;
		a->limit[backend][r] = SB_ACCT_NO_LIMIT;
	}
}
