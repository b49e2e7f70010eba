/* SPDX-License-Identifier: MIT */
/*
 * report.c - the human report of a grading run: a header, one line per
 * test with what went wrong under it, the score line and the closing
 * "N passed, N failed, N skipped" line (which `make check` and CI read).
 */
#include <stdio.h>
#include <string.h>

#include "grade_internal.h"

/* Under a test's line: its messages, its hint, what it printed. */
#define INDENT "            "
#define OUTPUT_INDENT INDENT "| "
/* --expect-zero shows the last lines of a starter's messages, no more. */
#define STARTER_MESSAGE_LINES 8

#define COLOR_GREEN "\033[32m"
#define COLOR_YELLOW "\033[33m"
#define COLOR_RED "\033[31m"
#define COLOR_RESET "\033[0m"

static const char *color(const struct grade_options *o, enum grade_status s)
{
	if (!o->color)
		return "";
	switch (s) {
	case ST_PASS: return COLOR_GREEN;
	case ST_SKIP: return COLOR_YELLOW;
	default: return COLOR_RED;
	}
}

static const char *reset(const struct grade_options *o)
{
	return o->color ? COLOR_RESET : "";
}

/* Print `text` indented, each line prefixed; only the last `max_lines`
 * (0: all of them). */
static void print_indented(const char *text, const char *prefix, unsigned max_lines)
{
	const char *start = text, *p;
	unsigned lines = 0;

	for (p = text; *p; p++)
		if (*p == '\n' && p[1])
			lines++;
	if (max_lines && lines >= max_lines) {
		unsigned skip = lines + 1 - max_lines;

		printf("%s... (%u earlier lines not shown)\n", prefix, skip);
		for (p = text; *p && skip; p++)
			if (*p == '\n')
				skip--;
		start = p;
	}
	while (*start) {
		const char *end = strchr(start, '\n');
		int len = end ? (int)(end - start) : (int)strlen(start);

		printf("%s%.*s\n", prefix, len, start);
		if (!end)
			break;
		start = end + 1;
	}
}

/* After a hidden check's name, in every line that names it. */
static const char *hidden_tag(bool hidden)
{
	return hidden ? " (hidden)" : "";
}

void report_list(const struct grade_test *tests, size_t ntests, size_t nvisible)
{
	size_t i;

	for (i = 0; i < ntests; i++)
		printf("%-28s %2u pts  %s%s\n", tests[i].name, tests[i].points, tests[i].behaviour,
		       hidden_tag(i >= nvisible));
}

void report_header(const struct grade_options *o, const char *lesson, size_t nhidden)
{
	printf("== %s%s%s ==\n", lesson, o->label ? ": " : "", o->label ? o->label : "");
	if (o->expect_zero)
		printf("   (the untouched starter code: every graded check must fail here, "
		       "with the TODO's message)\n");
	/* A release has no hidden/: grading it with --hidden is no error. */
	if (o->hidden && nhidden == 0)
		printf("   (--hidden: this build has no hidden checks for %s; the lesson's "
		       "own checks run)\n", lesson);
}

static void report_skip(const struct grade_options *o, const struct grade_test *t,
			const struct grade_result *r, const struct grade_verdict *v)
{
	printf("  %s%-7s%s %2u/%-2u %s%s: %s\n", color(o, ST_SKIP), grade_status_name(ST_SKIP),
	       reset(o), 0, t->points, t->name, hidden_tag(v->hidden), t->behaviour);
	/* The whole reason once; after that, a pointer to it. */
	print_indented(v->reason_shown_before ? "needs /dev/kvm: (the reason above)" : r->messages,
		       INDENT, 0);
}

/* --expect-zero: the starter must fail, at one of its TODOs. */
static void report_starter(const struct grade_options *o, const struct grade_test *t,
			   const struct grade_result *r, const struct grade_verdict *v)
{
	bool ok = v->counts_as == COUNT_PASSED;
	const char *how;

	if (ok)
		how = "fails on the starter, naming the TODO";
	else if (r->status == ST_PASS)
		how = "DEFECT: this check PASSES on the untouched starter code, so it cannot fail";
	else if (r->status != ST_FAIL)
		how = "the starter must fail cleanly, not crash or hang";
	else
		how = "fails on the starter, but no message names the README section of a TODO";
	printf("  %s%-7s%s %s%s: %s\n", color(o, ok ? ST_PASS : ST_FAIL),
	       grade_status_name(ok ? ST_PASS : ST_FAIL), reset(o), t->name,
	       hidden_tag(v->hidden), how);
	if (!ok || o->verbose) {
		printf(INDENT "status on the starter: %s\n", grade_status_name(r->status));
		print_indented(r->messages, INDENT, STARTER_MESSAGE_LINES);
	}
}

/* The TODOs a failing test reached, and the first test that showed each:
 * a later test stopped by the same TODO is blocked by that missing step
 * and says so in one line (as gradelib's parent= does), rather than
 * repeating its whole message. */
#define MAX_SHOWN_TODOS 32
static struct {
	struct grade_todo todo;
	const char *test;
} shown_todos[MAX_SHOWN_TODOS];
static unsigned nshown_todos;

static const char *todo_shown_by(const struct grade_todo *todo)
{
	unsigned i;

	for (i = 0; i < nshown_todos; i++)
		if (strcmp(shown_todos[i].todo.section, todo->section) == 0 &&
		    strcmp(shown_todos[i].todo.what, todo->what) == 0)
			return shown_todos[i].test;
	return NULL;
}

static void report_graded(const struct grade_options *o, const struct grade_test *t,
			  const struct grade_result *r, const struct grade_verdict *v)
{
	bool ok = r->status == ST_PASS;
	const char *first;

	printf("  %s%-7s%s %2u/%-2u %s%s: %s\n", color(o, r->status),
	       grade_status_name(r->status), reset(o), v->score, t->points, t->name,
	       hidden_tag(v->hidden), t->behaviour);
	if (!ok && r->ntodos && !o->verbose && (first = todo_shown_by(&r->todo))) {
		printf(INDENT "blocked: needs %s first (TODO: %s, README section \"%s\")\n",
		       first, r->todo.what, r->todo.section);
		return;
	}
	if (!ok && r->ntodos && nshown_todos < MAX_SHOWN_TODOS) {
		shown_todos[nshown_todos].todo = r->todo;
		shown_todos[nshown_todos++].test = t->name;
	}
	if (!ok) {
		print_indented(r->messages, INDENT, 0);
		/* What failed may be only a symptom of the TODO the test reached
		 * (an exit nobody classified, say): name the cause. */
		if (r->ntodos && !strstr(r->messages, "TODO: "))
			printf(INDENT "it reached a TODO: %s is not written yet (README section "
			       "\"%s\"); what failed above follows from that\n", r->todo.what,
			       r->todo.section);
		if (t->hint)
			printf(INDENT "hint: %s\n", t->hint);
	}
	if ((!ok || o->verbose) && r->output_len) {
		printf(INDENT "what the test printed:\n");
		print_indented(r->output, OUTPUT_INDENT, GRADE_SHOWN_OUTPUT_LINES);
	}
	/* Where it crashed: gdb, following the test's own process (each test
	 * runs in a child), stops at the faulting line and shows the calls. */
	if (r->status == ST_CRASH)
		printf(INDENT "to see where: gdb -q -ex 'set follow-fork-mode child' -ex run -ex bt "
		       "--args %s%s --only %s\n", o->program, v->hidden ? " --hidden" : "",
		       t->name);
}

void report_test(const struct grade_options *o, const struct grade_test *t,
		 const struct grade_result *r, const struct grade_verdict *v)
{
	if (r->status == ST_SKIP)
		report_skip(o, t, r, v);
	else if (o->expect_zero)
		report_starter(o, t, r, v);
	else
		report_graded(o, t, r, v);
}

void report_totals(const struct grade_options *o, const char *lesson,
		   const struct grade_tally *tally)
{
	if (o->expect_zero)
		printf("score %s (starter): %u/%u graded checks fail on the starter as they must\n",
		       lesson, tally->passed, tally->passed + tally->failed);
	else
		printf("score %s: %u/%u\n", lesson, tally->score, tally->max_score);
	printf("%u passed, %u failed, %u skipped\n", tally->passed, tally->failed, tally->skipped);
}
