/* SPDX-License-Identifier: MIT */
/*
 * grade_internal.h - what the parts of the grading harness share; lessons
 * include grade.h, never this.
 *
 *   run.c      runs one test in a process of its own and classifies its end
 *              (the child's side too: the records it sends the harness)
 *   expect.c   what a test calls to fail: FAIL, EXPECT_*, ASSERT_*
 *   report.c   the human report
 *   results.c  Gradescope's results.json and the one-line TSV summary
 *   grade.c    grade_main(): options, the KVM probe, and the verdicts
 *   hidden.c   the empty hidden-check tables, when hidden/LESSON/ is absent
 */
#ifndef KIT_GRADE_INTERNAL_H
#define KIT_GRADE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "grade.h"

/* What one test's process may print and send, at most (more is dropped). */
#define GRADE_MAX_OUTPUT (48 * 1024)
#define GRADE_MAX_MESSAGES (16 * 1024)
/* The longest lesson, section or "what" of a TODO that is kept whole. */
#define GRADE_TODO_FIELD_MAX 256
/* A failed test shows the last lines of what it printed, no more. */
#define GRADE_SHOWN_OUTPUT_LINES 25

/* How a test ended. */
enum grade_status { ST_PASS, ST_FAIL, ST_CRASH, ST_TIMEOUT, ST_SKIP };

/* A TODO of the starter code that the test reached (kit_todo()). */
struct grade_todo {
	char lesson[GRADE_TODO_FIELD_MAX];
	char section[GRADE_TODO_FIELD_MAX];
	char what[GRADE_TODO_FIELD_MAX];
};

struct grade_result {
	enum grade_status status;
	char messages[GRADE_MAX_MESSAGES]; /* failures, one per line */
	char output[GRADE_MAX_OUTPUT];     /* what the test printed */
	size_t output_len;
	bool output_truncated;
	unsigned ntodos;                   /* distinct TODOs reached */
	struct grade_todo todo;            /* the first of them */
};

struct grade_options {
	const char *json_path;
	const char *summary_path;
	const char *only;
	const char *label;
	const char *not_built;  /* the build log, when the code did not compile */
	unsigned timeout_s;     /* KIT_TEST_TIMEOUT, overriding every test's; 0: none */
	bool expect_zero;
	bool hidden;            /* --hidden: the hidden checks run too */
	bool verbose;
	bool list;
	bool color;
	bool fail_on_skip;
	const char *program;    /* argv[0]: to rerun one test under gdb */
};

/* How one test counts, as grade.c decided. */
enum grade_count { COUNT_PASSED, COUNT_FAILED, COUNT_SKIPPED };

struct grade_verdict {
	enum grade_count counts_as;
	unsigned score;          /* the points earned */
	bool reason_shown_before; /* a skip whose reason an earlier skip gave */
	bool hidden;             /* a hidden check (--hidden): tagged, "after_published" */
};

/* The counts of a whole run. */
struct grade_tally {
	unsigned passed, failed, skipped;
	unsigned score, max_score;
	unsigned ran;
};

/* ---- run.c --------------------------------------------------------- */

/* Run test `t` in a process of its own, killed after `timeout_s`. */
void run_isolated(const char *lesson, const struct grade_test *t, unsigned timeout_s,
		  struct grade_result *r);
/* SIGINT, SIGTERM and SIGHUP take the running test down with the harness. */
void run_catch_interrupts(void);
/* "PASS", "FAIL", "CRASH", "TIMEOUT" or "SKIP". */
const char *grade_status_name(enum grade_status s);
/* Append a formatted line (or part of one) to r->messages, if it fits. */
void grade_result_note(struct grade_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- report.c ------------------------------------------------------ */

/* Tests from `nvisible` on are hidden checks. */
void report_list(const struct grade_test *tests, size_t ntests, size_t nvisible);
/* `nhidden`: the hidden checks linked in (said when --hidden finds none). */
void report_header(const struct grade_options *o, const char *lesson, size_t nhidden);
void report_test(const struct grade_options *o, const struct grade_test *t,
		 const struct grade_result *r, const struct grade_verdict *v);
void report_totals(const struct grade_options *o, const char *lesson,
		   const struct grade_tally *tally);

/* ---- results.c ----------------------------------------------------- */

struct grade_results; /* results.json, built as the tests end */

/* Create the file at once (so that a path that cannot be written fails
 * before any test runs). NULL with errno set if it cannot. */
struct grade_results *results_open(const char *path);
/* Add test `t`, which earned `score`; a hidden one is "after_published".
 * 0 or a negative errno. */
int results_add(struct grade_results *res, const struct grade_test *t,
		const struct grade_result *r, unsigned score, bool hidden);
/* Write the whole file and close it. 0 or a negative errno. */
int results_close(struct grade_results *res, const struct grade_tally *tally);
/* Nothing to write after all: the file goes. */
void results_discard(struct grade_results *res);

/* Append "LESSON[: LABEL]\tpassed\tfailed\tskipped\tscore\tmax_score" to
 * the file at `path`. 0 or a negative errno. */
int summary_append(const char *path, const char *lesson, const char *label,
		   const struct grade_tally *tally);

#endif /* KIT_GRADE_INTERNAL_H */
