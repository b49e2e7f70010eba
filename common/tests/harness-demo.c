/* SPDX-License-Identifier: MIT */
/*
 * harness-demo.c - a suite that misbehaves on purpose, to show (and let
 * `make check` prove) that the harness isolates each test: a segfault is
 * a CRASH, an endless loop a TIMEOUT, an exit() an early end, and the
 * tests after them are still run and reported.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "grade/grade.h"

static void test_passes(void)
{
	EXPECT_EQ_U64("1 + 2", 1 + 2, 3);
}

static void test_fails_with_expected_and_actual(void)
{
	EXPECT_EQ_U64("the answer", 41, 42);
}

static void test_segfaults(void)
{
	volatile int *nowhere = NULL;

	printf("about to dereference NULL\n");
	*nowhere = 1;
}

static void test_loops_forever(void)
{
	for (;;)
		;
}

static void test_calls_exit(void)
{
	exit(0);
}

static void test_skips(void)
{
	grade_skip("this demo test always skips (its requirement is never met)");
}

static void test_passes_after_the_others(void)
{
	EXPECT_BYTES("a string", "ok", 2, "ok", 2);
}

static const struct grade_test tests[] = {
	{ "passes", "a test that passes", 1, 0, test_passes, NULL },
	{ "fails", "a test that fails", 1, 0, test_fails_with_expected_and_actual,
	  "this hint is shown under a failure" },
	{ "segfaults", "a test that dereferences NULL", 1, 0, test_segfaults, NULL },
	{ "loops", "a test that never ends", 1, 0, test_loops_forever, NULL, 2 },
	{ "exits", "a test whose code calls exit(0)", 1, 0, test_calls_exit, NULL },
	{ "skips", "a test that skips", 1, 0, test_skips, NULL },
	{ "passes_last", "a test after all of those", 1, 0, test_passes_after_the_others, NULL },
};

GRADE_MAIN("harness-demo", tests)
