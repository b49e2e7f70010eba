/* SPDX-License-Identifier: MIT */
/*
 * stats.c - lesson 06, section 3: a distribution in a few numbers.
 */
#include <errno.h>
#include <stdlib.h>

#include "kit.h"
#include "stats.h"

#define LESSON "06-exits"

void stats_sort(double *samples, size_t n)
{
	/*
	 * TODO: qsort() with a comparison of two doubles that returns -1, 0
	 * or 1 (not their difference cast to int: 0.25 - 0.5 is 0 as an int).
	 */
	(void)samples;
	(void)n;
	kit_todo(LESSON, "3. A few numbers for many", "stats_sort()");
}

double stats_percentile(const double *sorted, size_t n, unsigned p)
{
	/*
	 * TODO: the nearest rank: rank = ceil(p * n / 100), at least 1 and
	 * at most n; the sample at that rank, counted from 1 (sorted[rank - 1]).
	 */
	(void)sorted;
	(void)n;
	(void)p;
	kit_todo(LESSON, "3. A few numbers for many", "stats_percentile()");
	return -1;
}

double stats_median(const double *sorted, size_t n)
{
	/* TODO: the middle sample; for an even n, the mean of the two middle ones. */
	(void)sorted;
	(void)n;
	kit_todo(LESSON, "3. A few numbers for many", "stats_median()");
	return -1;
}

int stats_summarize(double *samples, size_t n, struct stats *out)
{
	/*
	 * TODO: -EINVAL for no samples; sort them; count, min, max, p10,
	 * median, p90, p99, and the mean.
	 */
	(void)samples;
	(void)n;
	(void)out;
	return kit_todo(LESSON, "3. A few numbers for many", "stats_summarize()");
}
