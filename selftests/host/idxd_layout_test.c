// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of slicebus_idxd's layout (drivers/idxd/layout.c) with the
 * real accountant: for random sets of work queues, the accountant grants a
 * dwq-N slice exactly while a WQ of N entries is free, and its available
 * count is the number of such WQs, whatever was taken before.  Prints TAP.
 *
 * usage: idxd_layout_test [ROUNDS] [SEED]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../slicebus/accountant.h"
#include "../../drivers/idxd/layout.h"

static int n_test, n_fail;

static void tap(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n_test, what);
	if (!ok)
		n_fail++;
}

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	static const u32 pool[] = { 4, 8, 16, 32, 64, 128, 256, 512 };
	unsigned long steps = 0, grants = 0, wrong_grant = 0, wrong_avail = 0;
	unsigned long wrong_total = 0;
	struct sbi_layout l;
	char msg[160];
	unsigned long r;

	srandom(seed);
	printf("# idxd_layout_test %lu rounds, seed %lu\n", rounds, seed);

	{
		u32 s[] = { 16, 16, 64 };

		sbi_layout(s, 3, &l);
		tap(l.nr_res == 4 && !strcmp(l.res_name[0], "wq") && l.total[0] == 3 &&
		    !strcmp(l.res_name[1], "wq-entries") && l.total[1] == 96 &&
		    !strcmp(l.res_name[2], "wq-16") && l.total[2] == 2 &&
		    !strcmp(l.res_name[3], "wq-64") && l.total[3] == 1,
		    "WQs of 16, 16, 64: wq 3, wq-entries 96, wq-16 2, wq-64 1");
		tap(l.nr_types == 2 && !strcmp(l.type_name[0], "dwq-16") &&
		    !strcmp(l.type_name[1], "dwq-64") &&
		    l.cost[1][0] == 1 && l.cost[1][1] == 64 && l.cost[1][2] == 0 &&
		    l.cost[1][3] == 1,
		    "types dwq-16 and dwq-64; a dwq-64 costs 1 wq, 64 entries, 1 wq-64");
	}
	{
		u32 s[] = { 32, 32, 32, 32 };

		sbi_layout(s, 4, &l);
		tap(l.nr_res == 2 && l.total[0] == 4 && l.total[1] == 128 &&
		    l.nr_types == 1 && !strcmp(l.type_name[0], "dwq-32"),
		    "WQs of one size: just wq and wq-entries, one type");
	}
	{
		u32 s[] = { 1, 2, 3, 4, 5, 6, 7, 7 };

		sbi_layout(s, 8, &l);
		tap(l.nr_types == SBI_MAX_TYPES && l.dropped == 2 &&
		    l.total[0] == 6 && l.nr_res == 2 + SBI_MAX_TYPES,
		    "sizes past the types limit are left out, and not counted");
	}
	{
		/* configured 16, 16, 64, 32; bound only one 16 and the 32 */
		u32 cfg[] = { 16, 16, 64, 32 }, bound[] = { 16, 32 }, odd[] = { 8 };
		struct sbi_layout l2;

		sbi_layout(cfg, 4, &l);
		l2 = l;
		tap(sbi_layout_bound(&l, bound, 2) == 0 && l.nr_types == 3 &&
		    l.total[0] == 2 && l.total[1] == 48 && l.total[2] == 1 &&
		    l.total[3] == 0 && l.total[4] == 1,
		    "bound 16 and 32 of 16, 16, 64, 32: wq 2, wq-entries 48, wq-16 1, wq-64 0, wq-32 1");
		tap(sbi_layout_same(&l, &l2), "binding changes capacity, not the types");
		tap(sbi_layout_bound(&l, odd, 1) == 1 && l.total[0] == 0,
		    "a bound WQ of a size that is no type is left out");
		sbi_layout(bound, 2, &l2);
		tap(!sbi_layout_same(&l, &l2), "other sizes: another layout");
	}
	{
		u32 s[] = { 16, 0 };

		tap(sbi_layout(s, 2, &l) == -EINVAL && sbi_layout(s, 0, &l) == -EINVAL,
		    "no WQ, or a WQ of size 0: invalid");
	}

	for (r = 0; r < rounds; r++) {
		unsigned int nr = 1 + random() % 16, i, t, nsizes = 1 + random() % 4;
		u32 sizes[16], freec[SBI_MAX_TYPES] = { 0 };
		unsigned int live[64], live_be[64], nlive = 0;
		struct sb_acct a;
		u64 sum = 0;

		for (i = 0; i < nr; i++) {
			sizes[i] = pool[(random() % nsizes) * 2 % 8];
			sum += sizes[i];
		}
		sbi_layout(sizes, nr, &l);
		if (l.total[0] != nr || l.total[1] != sum)
			wrong_total++;
		for (i = 0; i < nr; i++)
			for (t = 0; t < l.nr_types; t++)
				if (l.size[t] == sizes[i])
					freec[t]++;
		sb_acct_init(&a, l.nr_res, l.total);
		for (i = 0; i < 60; i++) {
			struct sb_acct_why why;
			unsigned int be = random() % SB_ACCT_MAX_BACKENDS;

			steps++;
			t = random() % l.nr_types;
			if (nlive && random() % 3 == 0) {
				unsigned int k = random() % nlive;

				sb_acct_uncharge(&a, live_be[k], l.cost[live[k]]);
				freec[live[k]]++;
				live[k] = live[--nlive];
				live_be[k] = live_be[nlive];
				continue;
			}
			for (unsigned int u = 0; u < l.nr_types; u++)
				if (sb_acct_available(&a, be, l.cost[u]) != freec[u])
					wrong_avail++;
			if (sb_acct_charge(&a, be, l.cost[t], &why) == 0) {
				grants++;
				if (!freec[t])
					wrong_grant++;
				else
					freec[t]--;
				live[nlive] = t;
				live_be[nlive++] = be;
			} else if (freec[t]) {
				wrong_grant++;
			}
		}
	}
	snprintf(msg, sizeof(msg), "%lu random WQ sets: wq and wq-entries are the count and the sum", rounds);
	tap(!wrong_total, msg);
	snprintf(msg, sizeof(msg), "%lu steps, %lu grants: a dwq-N is granted exactly while a WQ of N is free", steps, grants);
	tap(!wrong_grant && grants > 0, msg);
	tap(!wrong_avail, "available counts are the free WQs of each size, for every backend");
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
