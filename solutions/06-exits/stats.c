/* SPDX-License-Identifier: MIT */
/*
 * stats.c - lesson 06, section 3: a distribution in a few numbers.
 */
#include <errno.h>
#include <stdlib.h>

#include "stats.h"

/* qsort()'s order for doubles. Not `return a - b`: converted to int, a
 * difference under 1 would be 0, "equal". */
static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *samples, size_t n)
{
	qsort(samples, n, sizeof(*samples), by_value);
}

double stats_percentile(const double *sorted, size_t n, unsigned p)
{
	/* The rank: ceil(p * n / 100), counted from 1; at least 1. */
	size_t rank = ((size_t)p * n + 99) / 100;

	if (rank == 0)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

double stats_median(const double *sorted, size_t n)
{
	if (n % 2)
		return sorted[n / 2];
	return sorted[n / 2 - 1] / 2 + sorted[n / 2] / 2;
}

int stats_summarize(double *samples, size_t n, struct stats *out)
{
	double sum = 0;
	size_t i;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		sum += samples[i];
	stats_sort(samples, n);
	out->count = n;
	out->mean = sum / (double)n;
	out->min = samples[0];
	out->max = samples[n - 1];
	out->p10 = stats_percentile(samples, n, 10);
	out->median = stats_median(samples, n);
	out->p90 = stats_percentile(samples, n, 90);
	out->p99 = stats_percentile(samples, n, 99);
	return 0;
}
