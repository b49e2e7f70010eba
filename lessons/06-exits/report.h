/* SPDX-License-Identifier: MIT */
/*
 * report.h - lesson 06's report (given, report.c): where the figures come
 * from, the table, results.json, the chart, and the kit's ratios.
 */
#ifndef EXITS_REPORT_H
#define EXITS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "bench.h"

/* What the figures were measured on. */
struct l6_env {
	char arch[80];
	char kernel[80];     /* uname -r */
	char cpu[160];       /* the CPU's model, as /proc/cpuinfo names it */
	char backend[160];   /* VT-x, AMD-V, a software back end, or emulated */
	bool emulated;       /* in an emulated machine: not comparable with hardware */
	int pinned_cpu;      /* bench_pin()'s answer: a CPU, or a negative errno */
};
void l6_env_read(struct l6_env *env);

/* Every row of a run: measured (ok) or not, and why not. */
struct l6_outcome {
	const struct l6_row *row;
	bool ok;
	struct bench_result result;
	char why[256];       /* !ok: what stopped it (unsupported here, or an error) */
	bool unsupported;    /* !ok because this host cannot have the row */
};

/* The table, on `out`. */
void l6_print_table(FILE *out, const struct l6_env *env, const struct l6_outcome *o,
		    unsigned n);
/* build/bench/results.json: the environment and every row. 0 or -errno. */
int l6_write_json(const char *path, const struct l6_env *env, const struct l6_outcome *o,
		  unsigned n);
/* build/bench/exits.svg: a bar per measured row, the median on a log
 * scale, whiskers from p10 to p90, labelled. 0 or -errno. */
int l6_write_svg(const char *path, const struct l6_env *env, const struct l6_outcome *o,
		 unsigned n);

/* The median ns per exit of a measured row, or 0. */
double l6_median(const struct l6_outcome *o, unsigned n, const char *name);

#endif
