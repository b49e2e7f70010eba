/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden.c - lesson 06's hidden checks (instructors only; see
 * hidden/README.md). The statistics alone: no KVM.
 */
#include <stdio.h>
#include <string.h>

#include "stats.h"
#include "grade/grade.h"

/* The nearest rank of section 3, in whole numbers only: ceil(p * n /
 * 100), at least 1, at most n. */
static size_t want_rank(unsigned p, size_t n)
{
	size_t rank = ((size_t)p * n + 99) / 100;

	return rank == 0 ? 1 : rank > n ? n : rank;
}

/*
 * Section 3: the nearest rank is ceil(p * n / 100). The lesson's checks
 * look at a few p of 3, 8 and 100 samples; every p of these sizes shows a
 * rank computed in floating point, ceil(p / 100.0 * n): 0.07 * 100 is
 * 7.000000000000001 in binary, whose ceiling is 8, and such slips come
 * back at other p and n. Then a summary of 1000 samples with a long tail,
 * shuffled: what a noisy machine gives.
 */
static void test_every_rank(void)
{
	static const size_t sizes[] = { 1, 7, 100, 1000, 2500 };
	static double sorted[2500], samples[1000], copy[1000];
	unsigned p, bad = 0;
	struct stats s;
	size_t i, k, n;

	for (i = 0; i < 2500; i++)
		sorted[i] = (double)(i + 1);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		n = sizes[k];
		for (p = 0; p <= 101; p++) {
			double got = stats_percentile(sorted, n, p);
			double want = sorted[want_rank(p, n) - 1];

			if (got != want && bad++ < 8)
				grade_fail_at(__FILE__, __LINE__, false,
					      "stats_percentile() of %zu samples 1, 2, ..., %zu at p%u: "
					      "the nearest rank is ceil(%u * %zu / 100) = %zu, sample "
					      "%g; got %g", n, n, p, p, n, want_rank(p, n), want, got);
		}
	}
	if (bad > 8)
		grade_fail_at(__FILE__, __LINE__, false, "... and %u more percentiles wrong",
			      bad - 8);

	/* 1000 samples: 980 between 100 and 101 ns, 20 slow ones up to 1 ms,
	 * in an order that is neither sorted nor reversed. */
	for (i = 0; i < 1000; i++) {
		size_t j = (i * 389) % 1000;    /* 389 is prime to 1000: a shuffle */

		samples[j] = i < 980 ? 100 + (double)i / 1000 : 1000.0 * (double)(i - 979) * 50;
	}
	memcpy(copy, samples, sizeof(copy));
	ASSERT(stats_summarize(copy, 1000, &s) == 0, "stats_summarize() of 1000 samples failed");
	EXPECT_EQ_U64("count", s.count, 1000);
	EXPECT(s.min == 100 && s.max == 1000000,
	       "min and max of 1000 samples from 100 ns to 1 ms: got %g and %g", s.min, s.max);
	EXPECT(s.p10 == 100 + 99.0 / 1000 && s.p90 == 100 + 899.0 / 1000,
	       "p10 and p90 of that tail: the 100th and 900th samples, %.3f and %.3f; got %.3f "
	       "and %.3f", 100 + 99.0 / 1000, 100 + 899.0 / 1000, s.p10, s.p90);
	EXPECT(s.median == (100 + 499.0 / 1000) / 2 + (100 + 500.0 / 1000) / 2,
	       "median of 1000 samples: the mean of the 500th and 501st, %.4f; got %.4f",
	       (100 + 499.0 / 1000) / 2 + (100 + 500.0 / 1000) / 2, s.median);
	EXPECT(s.p99 == 1000.0 * 10 * 50,
	       "p99 of 1000 samples whose slowest 20 are 50 us apart: the 990th, %g; got %g",
	       1000.0 * 10 * 50, s.p99);
	for (i = 1; i < 1000; i++)
		if (copy[i - 1] > copy[i]) {
			grade_fail_at(__FILE__, __LINE__, false, "after stats_summarize() the samples "
				      "are not sorted: %g before %g at %zu", copy[i - 1], copy[i], i);
			break;
		}
}

const struct grade_test hidden_tests[] = {
	{ "every_rank", "every percentile of 1 to 2500 samples; a long-tailed summary",
	  2, GRADE_NEEDS_NOTHING, test_every_rank,
	  "Section 3: the rank is ceil(p * n / 100) in whole numbers, (p * n + 99) / 100, at "
	  "least 1 and at most n; not ceil(p / 100.0 * n), which floating point rounds up "
	  "past a whole rank." },
};

const size_t hidden_ntests = sizeof(hidden_tests) / sizeof(hidden_tests[0]);
