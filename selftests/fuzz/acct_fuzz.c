// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the slicebus accountant: the input is a program of
 * charges, uncharges and policy changes on a small device; after every step
 * the invariants must hold and available() must equal the number of charges
 * that then succeed.  Any violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../slicebus/accountant.h"

#define NB 4	/* vfio, vdpa, dma and one registered name; the other slots idle */

static void invariants(const struct sb_acct *a)
{
	for (unsigned int r = 0; r < a->nr_res; r++) {
		u64 used = sb_acct_used(a, r), unmet = 0;

		if (used > a->total[r])
			abort();
		for (unsigned int b = 0; b < NB; b++) {
			if (a->used[b][r] > a->limit[b][r])
				abort();
			if (a->reserve[b][r] > a->used[b][r])
				unmet += a->reserve[b][r] - a->used[b][r];
		}
		if (unmet > a->total[r] - used)
			abort();
	}
}

static void check_available(const struct sb_acct *a, unsigned int b,
			    const u64 *cost)
{
	struct sb_acct copy = *a;
	u64 want = sb_acct_available(a, b, cost), n = 0;

	while (n <= want && !sb_acct_charge(&copy, b, cost, NULL))
		n++;
	if (n != want)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u64 total[3], cost[4][SB_ACCT_MAX_RES] = { { 0 } };
	struct { uint8_t t, b; } live[64];
	unsigned int nlive = 0, nres, ntypes;
	struct sb_acct a;
	size_t i = 0;

	if (size < 8)
		return 0;
	nres = 1 + data[i++] % 3;
	ntypes = 1 + data[i++] % 4;
	for (unsigned int r = 0; r < nres; r++)
		total[r] = data[i++] % 64;
	for (unsigned int t = 0; t < ntypes && i + nres <= size; t++) {
		u64 sum = 0;

		for (unsigned int r = 0; r < nres; r++)
			sum += cost[t][r] = data[i++] % 9;
		if (!sum)
			cost[t][0] = 1;
	}
	sb_acct_init(&a, nres, total);
	while (i + 3 <= size) {
		uint8_t op = data[i++], x = data[i++], y = data[i++];
		unsigned int b = x % NB, t = y % ntypes;

		switch (op % 3) {
		case 0:
			if (nlive < 64 && !sb_acct_charge(&a, b, cost[t], NULL))
				live[nlive++] = (typeof(live[0])){ t, b };
			break;
		case 1:
			if (nlive) {
				unsigned int k = y % nlive;

				sb_acct_uncharge(&a, live[k].b, cost[live[k].t]);
				live[k] = live[--nlive];
			}
			break;
		default: {
			u64 res[SB_ACCT_MAX_RES] = { 0 }, lim[SB_ACCT_MAX_RES];

			for (unsigned int r = 0; r < SB_ACCT_MAX_RES; r++)
				lim[r] = SB_ACCT_NO_LIMIT;
			res[y % nres] = x % 32;
			lim[(y >> 2) % nres] = (y & 0x80) ? SB_ACCT_NO_LIMIT : x % 48;
			sb_acct_set_policy(&a, b, res, lim, NULL);
			break;
		}
		}
		invariants(&a);
		for (unsigned int tt = 0; tt < ntypes; tt++)
			for (unsigned int bb = 0; bb < NB; bb++)
				check_available(&a, bb, cost[tt]);
	}
	while (nlive) {
		nlive--;
		sb_acct_uncharge(&a, live[nlive].b, cost[live[nlive].t]);
	}
	if (!sb_acct_idle(&a))
		abort();
	return 0;
}
