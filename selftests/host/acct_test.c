// SPDX-License-Identifier: GPL-2.0
/*
 * Model-based test of the slicebus accountant.
 *
 * Random pools, types, allocations, frees, reservations and limits; after
 * every step the accountant's decision and its available() for every type
 * and backend are compared with a brute-force model written straight from
 * the definition in DESIGN (signed arithmetic, repeated trial allocations),
 * and the invariants are checked: nothing over-committed, every backend
 * within its limit, every reservation honourable.  Prints TAP.
 *
 * usage: acct_test [OPS] [SEED]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../slicebus/accountant.h"

#define NB 4	/* vfio, vdpa, dma and one registered name; the other slots idle */
#define MAX_TYPES 4
#define MAX_LIVE 256

static int failures;
static unsigned long checks;

#define expect(cond, ...) do {						\
	checks++;							\
	if (!(cond)) {							\
		if (failures++ < 20) {					\
			printf("# FAIL %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	}								\
} while (0)

struct model {
	unsigned int nr_res, nr_types;
	int64_t total[SB_ACCT_MAX_RES];
	int64_t used[NB][SB_ACCT_MAX_RES];
	int64_t reserve[NB][SB_ACCT_MAX_RES];
	int64_t limit[NB][SB_ACCT_MAX_RES];	/* -1: none */
	u64 cost[MAX_TYPES][SB_ACCT_MAX_RES];
};

static int64_t m_free(const struct model *m, unsigned int r)
{
	int64_t f = m->total[r];

	for (unsigned int b = 0; b < NB; b++)
		f -= m->used[b][r];
	return f;
}

static int64_t m_held(const struct model *m, unsigned int b, unsigned int r)
{
	int64_t h = 0;

	for (unsigned int o = 0; o < NB; o++)
		if (o != b && m->reserve[o][r] > m->used[o][r])
			h += m->reserve[o][r] - m->used[o][r];
	return h;
}

static bool m_can(const struct model *m, unsigned int b, const u64 *cost)
{
	for (unsigned int r = 0; r < m->nr_res; r++) {
		int64_t c = (int64_t)cost[r];

		if (!c)
			continue;
		if (c > m_free(m, r) - m_held(m, b, r))
			return false;
		if (m->limit[b][r] >= 0 && m->used[b][r] + c > m->limit[b][r])
			return false;
	}
	return true;
}

static void m_take(struct model *m, unsigned int b, const u64 *cost, int sign)
{
	for (unsigned int r = 0; r < m->nr_res; r++)
		m->used[b][r] += sign * (int64_t)cost[r];
}

/* Brute force: allocate on a copy until refused. */
static u64 m_available(const struct model *m, unsigned int b, const u64 *cost)
{
	struct model c = *m;
	u64 k = 0;

	while (m_can(&c, b, cost) && k < 100000) {
		m_take(&c, b, cost, 1);
		k++;
	}
	return k;
}

static bool m_policy_ok(const struct model *m, unsigned int b,
			const int64_t *res, const int64_t *lim)
{
	for (unsigned int r = 0; r < m->nr_res; r++) {
		int64_t sum = 0, need = 0;

		if (lim[r] >= 0 && res[r] > lim[r])
			return false;
		if (lim[r] >= 0 && m->used[b][r] > lim[r])
			return false;
		for (unsigned int o = 0; o < NB; o++) {
			int64_t rv = o == b ? res[r] : m->reserve[o][r];

			sum += rv;
			if (rv > m->used[o][r])
				need += rv - m->used[o][r];
		}
		if (sum > m->total[r] || need > m_free(m, r))
			return false;
	}
	return true;
}

static void check_state(const struct sb_acct *a, const struct model *m)
{
	for (unsigned int r = 0; r < m->nr_res; r++) {
		int64_t unmet = 0;

		expect((int64_t)sb_acct_used(a, r) == m->total[r] - m_free(m, r),
		       "used of res %u differs", r);
		expect(m_free(m, r) >= 0, "res %u over-committed", r);
		for (unsigned int b = 0; b < NB; b++) {
			expect((int64_t)a->used[b][r] == m->used[b][r],
			       "used[%u][%u] %" PRIu64 " vs %" PRId64, b, r,
			       a->used[b][r], m->used[b][r]);
			expect(m->limit[b][r] < 0 ||
			       m->used[b][r] <= m->limit[b][r],
			       "backend %u over its limit on res %u", b, r);
			if (m->reserve[b][r] > m->used[b][r])
				unmet += m->reserve[b][r] - m->used[b][r];
		}
		expect(unmet <= m_free(m, r),
		       "reservations on res %u cannot be honoured", r);
	}
	for (unsigned int t = 0; t < m->nr_types; t++)
		for (unsigned int b = 0; b < NB; b++) {
			u64 want = m_available(m, b, m->cost[t]);
			u64 got = sb_acct_available(a, b, m->cost[t]);

			expect(got == want,
			       "available(type %u, backend %u) = %" PRIu64
			       ", model %" PRIu64, t, b, got, want);
		}
}

struct live { unsigned int type, backend; };

/*
 * Hardware came or went: refused only below what is held; otherwise the
 * unmet reservations are cut by exactly what no longer fits, each backend's
 * by at most its unmet part, from the highest slot down.
 */
static void m_resize(struct model *m, struct sb_acct *a, unsigned int r,
		     int64_t total)
{
	int64_t used = m->total[r] - m_free(m, r), need = 0, over;
	unsigned long clipped = 0;
	bool want = total >= used, got;

	got = !sb_acct_resize(a, r, total, &clipped);
	expect(got == want, "resize res %u to %" PRId64 " (used %" PRId64
	       "): %d vs model %d", r, total, used, got, want);
	if (!got) {
		expect(!clipped, "a refused resize clipped reservations");
		return;
	}
	m->total[r] = total;
	for (unsigned int b = 0; b < NB; b++)
		if (m->reserve[b][r] > m->used[b][r])
			need += m->reserve[b][r] - m->used[b][r];
	over = need > total - used ? need - (total - used) : 0;
	for (unsigned int b = NB; b--; ) {
		int64_t unmet = m->reserve[b][r] - m->used[b][r];
		int64_t cut = unmet > 0 ? (unmet < over ? unmet : over) : 0;

		m->reserve[b][r] -= cut;
		over -= cut;
		expect(!!cut == !!(clipped & (1UL << b)),
		       "backend %u clipped %d, model cut %" PRId64, b,
		       !!(clipped & (1UL << b)), cut);
		expect((int64_t)a->reserve[b][r] == m->reserve[b][r],
		       "reserve[%u][%u] %" PRIu64 " vs model %" PRId64, b, r,
		       a->reserve[b][r], m->reserve[b][r]);
	}
}

/*
 * Hardware that goes away under reservations: the slices on it are given
 * back first, the smaller pool lowers only the reservations that no longer
 * fit, and a pool cannot shrink below what is held.
 */
static int test_resize(void)
{
	const u64 total[2] = { 8, 128 }, d16[2] = { 1, 16 };
	const u64 res[2] = { 3, 0 }, lim[2] = { SB_ACCT_NO_LIMIT, SB_ACCT_NO_LIMIT };
	unsigned long clipped = 0;
	struct sb_acct a;
	int bad = 0;

	sb_acct_init(&a, 2, total);
	bad |= sb_acct_set_policy(&a, 1, res, lim, NULL) != 0;
	bad |= sb_acct_set_policy(&a, 2, res, lim, NULL) != 0;
	bad |= sb_acct_charge(&a, 0, d16, NULL) != 0;
	bad |= sb_acct_charge(&a, 0, d16, NULL) != 0;	/* 2 used, 6 free */
	bad |= sb_acct_resize(&a, 0, 1, &clipped) != -1;	/* below use */
	bad |= a.total[0] != 8 || clipped;
	bad |= sb_acct_resize(&a, 0, 6, &clipped) != 0;	/* 4 free for 6 */
	bad |= a.reserve[2][0] != 1 || a.reserve[1][0] != 3;
	bad |= clipped != 1UL << 2;
	bad |= sb_acct_available(&a, 0, d16) != 0;
	bad |= sb_acct_resize(&a, 0, 16, NULL) != 0;	/* grows: no change */
	bad |= a.reserve[2][0] != 1 || sb_acct_available(&a, 0, d16) != 6;
	return bad;
}

static void run_config(unsigned int ops, unsigned long *done)
{
	struct model m = { 0 };
	struct sb_acct a;
	struct live live[MAX_LIVE];
	unsigned int nlive = 0;
	u64 total[SB_ACCT_MAX_RES];

	m.nr_res = 1 + rand() % 3;
	m.nr_types = 1 + rand() % MAX_TYPES;
	for (unsigned int r = 0; r < m.nr_res; r++) {
		m.total[r] = rand() % 40;
		total[r] = m.total[r];
		for (unsigned int b = 0; b < NB; b++)
			m.limit[b][r] = -1;
	}
	for (unsigned int t = 0; t < m.nr_types; t++) {
		u64 sum = 0;

		do {
			for (unsigned int r = 0; r < m.nr_res; r++) {
				m.cost[t][r] = rand() % 3 ? rand() % 9 : 0;
				sum += m.cost[t][r];
			}
		} while (!sum);
	}
	sb_acct_init(&a, m.nr_res, total);

	for (unsigned int i = 0; i < ops; i++) {
		int op = rand() % 10;
		unsigned int b = rand() % NB;

		if (op < 5 && nlive < MAX_LIVE) {
			unsigned int t = rand() % m.nr_types;
			bool want = m_can(&m, b, m.cost[t]);
			struct sb_acct_why why;
			bool got = !sb_acct_charge(&a, b, m.cost[t], &why);

			expect(got == want, "charge type %u backend %u: %d vs model %d",
			       t, b, got, want);
			expect(got == (why.verdict == SB_ACCT_OK),
			       "verdict %d for outcome %d", why.verdict, got);
			if (got) {
				m_take(&m, b, m.cost[t], 1);
				live[nlive++] = (struct live){ t, b };
			}
		} else if (op < 8 && nlive) {
			unsigned int k = rand() % nlive;

			sb_acct_uncharge(&a, live[k].backend,
					 m.cost[live[k].type]);
			m_take(&m, live[k].backend, m.cost[live[k].type], -1);
			live[k] = live[--nlive];
		} else if (op == 9 && rand() % 2) {
			m_resize(&m, &a, rand() % m.nr_res, rand() % 40);
		} else {
			int64_t res[SB_ACCT_MAX_RES], lim[SB_ACCT_MAX_RES];
			u64 ures[SB_ACCT_MAX_RES], ulim[SB_ACCT_MAX_RES];
			bool want, got;

			for (unsigned int r = 0; r < m.nr_res; r++) {
				res[r] = rand() % 3 ? 0 : rand() % 20;
				lim[r] = rand() % 2 ? -1 : rand() % 30;
				ures[r] = res[r];
				ulim[r] = lim[r] < 0 ? SB_ACCT_NO_LIMIT : (u64)lim[r];
			}
			want = m_policy_ok(&m, b, res, lim);
			got = !sb_acct_set_policy(&a, b, ures, ulim, NULL);
			expect(got == want, "policy for backend %u: %d vs model %d",
			       b, got, want);
			if (got) {
				memcpy(m.reserve[b], res, sizeof(res));
				memcpy(m.limit[b], lim, sizeof(lim));
			}
		}
		check_state(&a, &m);
		(*done)++;
	}
	while (nlive) {
		nlive--;
		sb_acct_uncharge(&a, live[nlive].backend,
				 m.cost[live[nlive].type]);
		m_take(&m, live[nlive].backend, m.cost[live[nlive].type], -1);
	}
	expect(sb_acct_idle(&a), "not idle after freeing everything");
	check_state(&a, &m);
}

/* The slicesim defaults of DESIGN: wq = 8, wq-entries = 128. */
static int test_sim_defaults(void)
{
	const u64 total[2] = { 8, 128 }, d16[2] = { 1, 16 }, d64[2] = { 1, 64 };
	struct sb_acct a;
	int bad = 0;

	sb_acct_init(&a, 2, total);
	bad |= sb_acct_available(&a, 0, d16) != 8;
	bad |= sb_acct_available(&a, 0, d64) != 2;
	bad |= sb_acct_charge(&a, 0, d64, NULL) != 0;
	bad |= sb_acct_available(&a, 1, d16) != 4;
	bad |= sb_acct_available(&a, 2, d64) != 1;
	sb_acct_uncharge(&a, 0, d64);
	bad |= !sb_acct_idle(&a);
	return bad;
}

/*
 * A registered backend's slot that is forgotten (its module unloaded) keeps
 * nothing: its reservation no longer holds capacity from the others, its
 * limit is gone, and only an idle backend counts as idle.
 */
static int test_forget(void)
{
	const u64 total[2] = { 8, 128 }, d16[2] = { 1, 16 };
	const u64 res[2] = { 6, 0 }, lim[2] = { 7, SB_ACCT_NO_LIMIT };
	struct sb_acct a;
	int bad = 0;

	sb_acct_init(&a, 2, total);
	bad |= sb_acct_set_policy(&a, 3, res, lim, NULL) != 0;
	bad |= sb_acct_available(&a, 0, d16) != 2;
	bad |= sb_acct_charge(&a, 3, d16, NULL) != 0;
	bad |= sb_acct_backend_idle(&a, 3);
	bad |= !sb_acct_backend_idle(&a, 0);
	sb_acct_uncharge(&a, 3, d16);
	bad |= !sb_acct_backend_idle(&a, 3);
	sb_acct_forget(&a, 3);
	bad |= sb_acct_available(&a, 0, d16) != 8;
	bad |= sb_acct_available(&a, 3, d16) != 8;
	bad |= a.reserve[3][0] != 0 || a.limit[3][0] != SB_ACCT_NO_LIMIT;
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 0) : 120000;
	unsigned int seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 20261126;
	unsigned long done = 0;

	srand(seed);
	printf("TAP version 13\n1..4\n");
	printf("%s 1 accountant: slicesim defaults (8/2, then 4/1)\n",
	       test_sim_defaults() ? "not ok" : "ok");
	printf("%s 2 accountant: a forgotten backend keeps no reservation or limit\n",
	       test_forget() ? "not ok" : "ok");
	printf("%s 3 accountant: capacity that comes and goes lowers only the reservations that no longer fit\n",
	       test_resize() ? "not ok" : "ok");
	while (done < ops)
		run_config(200 + rand() % 1800, &done);
	printf("# %lu operations, %lu checks, %d failures, seed %u\n",
	       done, checks, failures, seed);
	printf("%s 4 accountant: %lu random operations match the model\n",
	       failures ? "not ok" : "ok", done);
	return failures ? 1 : 0;
}
