/* bench_stats.h: the benchmarks' percentiles of a sample of timings or
 * scores, sorted in place. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_BENCH_STATS_H
#define QUIRE_BENCH_STATS_H

#include <stddef.h>
#include <stdlib.h>

static inline int bench_by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorts v[0 .. n) ascending, as bench_pct wants it. */
static inline void bench_sort(double *v, size_t n)
{
	qsort(v, n, sizeof *v, bench_by_double);
}

/* The value at per-mille pm of v (sorted, n values): v[n * pm / 1000], so
 * p50 is 500, p95 950, p99.9 999; the last value past the end, 0 when n
 * is 0. */
static inline double bench_pct(const double *v, size_t n, unsigned pm)
{
	size_t i = n * pm / 1000;
	return n ? v[i < n ? i : n - 1] : 0;
}

#endif
