/* SPDX-License-Identifier: MIT */
/*
 * stats.h - lesson 06: a distribution of timings in a few numbers. What
 * each function must do is in README.md, in the section named beside it.
 */
#ifndef EXITS_STATS_H
#define EXITS_STATS_H

#include <stddef.h>

/* What a set of samples (here, nanoseconds per exit, one per batch) is
 * summed up as. Never the mean alone: one slow batch (an interrupt, a
 * page fault, the host scheduling something else) moves the mean; the
 * median and the percentiles show it for what it is. */
struct stats {
	size_t count;
	double min, p10, median, p90, p99, max;
	double mean;    /* kept beside the rest, never shown alone */
};

/* Section 3 (stats.c): the samples sorted, smallest first. */
void stats_sort(double *samples, size_t n);

/* Section 3 (stats.c): the nearest-rank percentile `p` (0 to 100) of n
 * sorted samples: the smallest sample that at least p% of the samples
 * are no greater than (p = 0: the smallest; above 100: the largest). n
 * must be at least 1. */
double stats_percentile(const double *sorted, size_t n, unsigned p);

/* Section 3 (stats.c): the median of n sorted samples: the middle one,
 * or for an even n the mean of the two middle ones. n >= 1. */
double stats_median(const double *sorted, size_t n);

/* Section 3 (stats.c): sort the samples and sum them up (the mean too).
 * 0, or -EINVAL for no samples. */
int stats_summarize(double *samples, size_t n, struct stats *out);

#endif
