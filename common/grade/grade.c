/* SPDX-License-Identifier: MIT */
/*
 * grade.c - grade_main(): runs a lesson's graded CUnit tests, one process
 * per test (run.c), decides how each counts, and hands that to the human
 * report (report.c) and to results.json and the TSV summary (results.c).
 * Its options are documented in grade.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "grade_internal.h"
#include "../kit.h"

/* A grading program's exit status when it could not grade at all. */
#define EXIT_USAGE 2

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

enum {
	OPT_JSON = 256, /* past every character, so no short option clashes */
	OPT_SUMMARY,
	OPT_ONLY,
	OPT_LABEL,
	OPT_NOT_BUILT,
	OPT_EXPECT_ZERO,
	OPT_LIST,
	OPT_HIDDEN,
};

static const struct option long_options[] = {
	{ "json", required_argument, NULL, OPT_JSON },
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "not-built", required_argument, NULL, OPT_NOT_BUILT },
	{ "expect-zero", no_argument, NULL, OPT_EXPECT_ZERO },
	{ "verbose", no_argument, NULL, 'v' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "hidden", no_argument, NULL, OPT_HIDDEN },
	{ NULL, 0, NULL, 0 },
};

static void usage(const char *program)
{
	fprintf(stderr, "usage: %s [--json FILE] [--summary FILE] [--only NAME] "
		"[--label TEXT] [--expect-zero] [--hidden] [--verbose] [--list] "
		"[--not-built BUILD-LOG]\n", program);
}

/* An environment variable that is set and not "0". */
static bool env_flag(const char *name)
{
	const char *value = getenv(name);

	return value && *value && strcmp(value, "0") != 0;
}

/* false after a usage error (already printed). */
static bool parse_options(int argc, char **argv, struct grade_options *o)
{
	const char *timeout = getenv("KIT_TEST_TIMEOUT");
	int opt;

	memset(o, 0, sizeof(*o));
	o->program = argv[0];
	o->color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	o->fail_on_skip = env_flag("KIT_FAIL_ON_SKIP");
	if (timeout && atoi(timeout) > 0)
		o->timeout_s = (unsigned)atoi(timeout);

	/* getopt_long says what is wrong with an option; usage() follows. */
	while ((opt = getopt_long(argc, argv, "v", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON: o->json_path = optarg; break;
		case OPT_SUMMARY: o->summary_path = optarg; break;
		case OPT_ONLY: o->only = optarg; break;
		case OPT_LABEL: o->label = optarg; break;
		case OPT_NOT_BUILT: o->not_built = optarg; break;
		case OPT_EXPECT_ZERO: o->expect_zero = true; break;
		case 'v': o->verbose = true; break;
		case OPT_LIST: o->list = true; break;
		case OPT_HIDDEN: o->hidden = true; break;
		default:
			usage(argv[0]);
			return false;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		usage(argv[0]);
		return false;
	}
	return true;
}

/* Is `name` one of the comma-separated names in `list`? */
static bool name_listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Results without running the test                                    */
/* ------------------------------------------------------------------ */

/* Is KVM usable here? Checked once, in the harness, for GRADE_NEEDS_KVM. */
static const char *kvm_unavailable_reason(void)
{
	static bool checked, available;
	static char reason[1024];
	int fd, vm;

	if (checked)
		return available ? NULL : reason;
	checked = true;
	fd = kvm_open();
	if (fd < 0) {
		snprintf(reason, sizeof(reason), "%s", kit_last_error());
		return reason;
	}
	/* /dev/kvm may open while no VM can be made (another hypervisor
	 * holds VT-x: EBUSY). That is a skip too. */
	vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm >= 0) {
		available = true;
		close(vm);
	} else {
		kit_syscall_error("KVM_CREATE_VM",
			"/dev/kvm opens but no VM can be created: EBUSY means another "
			"hypervisor (VirtualBox, VMware) is using the CPU's virtualization; "
			"close it");
		snprintf(reason, sizeof(reason), "%s", kit_last_error());
	}
	close(fd);
	return available ? NULL : reason;
}

/* The code under test did not compile: the check fails, saying why, with
 * the build log as its output, so that a class's results still list it. */
static void not_built(const char *log_path, struct grade_result *r)
{
	FILE *log = fopen(log_path, "r");

	memset(r, 0, sizeof(*r));
	r->status = ST_FAIL;
	grade_result_note(r, "the code did not build, so this check could not run\n");
	if (log) {
		r->output_len = fread(r->output, 1, sizeof(r->output) - 1, log);
		r->output[r->output_len] = '\0';
		fclose(log);
	}
}

static void skipped(const char *reason, struct grade_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = ST_SKIP;
	grade_result_note(r, "needs /dev/kvm: %s\n", reason);
}

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */
/* ------------------------------------------------------------------ */

/*
 * How test `t`, which ended as `r` says, counts. A skip counts as a
 * failure with KIT_FAIL_ON_SKIP (and says so in r). With --expect-zero a
 * graded check passes when the starter fails at one of its TODOs; it
 * never earns points.
 */
static struct grade_verdict judge(const struct grade_options *o, const struct grade_test *t,
				  struct grade_result *r)
{
	struct grade_verdict v = { .counts_as = COUNT_FAILED };

	if (r->status == ST_SKIP) {
		if (o->fail_on_skip)
			grade_result_note(r, "KIT_FAIL_ON_SKIP is set, so this skip counts "
					  "as a failure\n");
		else
			v.counts_as = COUNT_SKIPPED;
	} else if (o->expect_zero) {
		if (r->status == ST_FAIL && r->ntodos > 0)
			v.counts_as = COUNT_PASSED;
	} else if (r->status == ST_PASS) {
		v.counts_as = COUNT_PASSED;
		v.score = t->points;
	}
	return v;
}

static void count(struct grade_tally *tally, const struct grade_test *t,
		  const struct grade_verdict *v)
{
	tally->ran++;
	tally->max_score += t->points;
	tally->score += v->score;
	switch (v->counts_as) {
	case COUNT_PASSED: tally->passed++; break;
	case COUNT_FAILED: tally->failed++; break;
	case COUNT_SKIPPED: tally->skipped++; break;
	}
}

/* ------------------------------------------------------------------ */
/* grade_main                                                          */
/* ------------------------------------------------------------------ */

/*
 * The tests this run may see: the lesson's, then with --hidden the
 * hidden checks (generic, then this architecture's). *nvisible says where
 * the lesson's end. NULL, said, if out of memory or if a hidden check
 * takes the name of another (--only and results.json would mix them).
 */
static struct grade_test *gather_tests(const struct grade_options *o,
				       const struct grade_test *tests, size_t ntests,
				       size_t *nall, size_t *nvisible)
{
	size_t nhidden = o->hidden ? hidden_ntests + hidden_arch_ntests : 0;
	struct grade_test *all = calloc(ntests + nhidden + 1, sizeof(*all));
	size_t i, j;

	if (!all) {
		fprintf(stderr, "grade: out of memory\n");
		return NULL;
	}
	memcpy(all, tests, ntests * sizeof(*all));
	if (nhidden) {
		memcpy(all + ntests, hidden_tests, hidden_ntests * sizeof(*all));
		memcpy(all + ntests + hidden_ntests, hidden_arch_tests,
		       hidden_arch_ntests * sizeof(*all));
	}
	for (i = ntests; i < ntests + nhidden; i++)
		for (j = 0; j < i; j++)
			if (strcmp(all[i].name, all[j].name) == 0) {
				fprintf(stderr, "grade: the hidden check %s has the name of "
					"another check; rename it (hidden/README.md)\n",
					all[i].name);
				free(all);
				return NULL;
			}
	*nall = ntests + nhidden;
	*nvisible = ntests;
	return all;
}

/* Every test `all` holds, as the options say; the exit status. */
static int grade_tests(const struct grade_options *o, const char *lesson,
		       const struct grade_test *all, size_t nall, size_t nvisible)
{
	static struct grade_result r; /* large: not on the stack */
	struct grade_results *json = NULL;
	struct grade_tally tally = { 0 };
	unsigned kvm_skips = 0;
	int ret;
	size_t i;

	if (o->list) {
		report_list(all, nall, nvisible);
		return 0;
	}
	if (o->json_path && !(json = results_open(o->json_path))) {
		fprintf(stderr, "cannot write %s: %s\n", o->json_path, strerror(errno));
		return EXIT_USAGE;
	}

	report_header(o, lesson, nall - nvisible);
	for (i = 0; i < nall; i++) {
		const struct grade_test *t = &all[i];
		const char *why_not = NULL;
		unsigned timeout = o->timeout_s ? o->timeout_s :
				   t->timeout_s ? t->timeout_s : KIT_TEST_TIMEOUT_S;
		struct grade_verdict v;

		if (o->only && !name_listed(o->only, t->name))
			continue;
		if (o->not_built) {
			not_built(o->not_built, &r);
		} else if ((t->needs & GRADE_NEEDS_KVM) && (why_not = kvm_unavailable_reason())) {
			skipped(why_not, &r);
			kvm_skips++;
		} else {
			run_isolated(lesson, t, timeout, &r);
		}
		v = judge(o, t, &r);
		v.reason_shown_before = why_not && kvm_skips > 1;
		v.hidden = i >= nvisible;
		count(&tally, t, &v);
		report_test(o, t, &r, &v);
		if (json && (ret = results_add(json, t, &r, v.score, v.hidden)) < 0) {
			fprintf(stderr, "cannot add %s to %s: %s\n", t->name, o->json_path,
				strerror(-ret));
			results_discard(json);
			return EXIT_USAGE;
		}
	}

	if (o->only && tally.ran == 0) {
		fprintf(stderr, "no test named %s (--list shows them%s)\n", o->only,
			o->hidden ? "" : "; a hidden check needs --hidden");
		if (json)
			results_discard(json); /* no results: no file */
		return EXIT_USAGE;
	}
	report_totals(o, lesson, &tally);
	if (json && (ret = results_close(json, &tally)) < 0) {
		fprintf(stderr, "cannot write %s: %s\n", o->json_path, strerror(-ret));
		return EXIT_USAGE;
	}
	/* The summary only repeats the closing line: without it the run's
	 * verdict stands. */
	if (o->summary_path && (ret = summary_append(o->summary_path, lesson, o->label, &tally)) < 0)
		fprintf(stderr, "cannot add to %s: %s\n", o->summary_path, strerror(-ret));
	return tally.failed ? 1 : 0;
}

int grade_main(int argc, char **argv, const char *lesson,
	       const struct grade_test *tests, size_t ntests)
{
	struct grade_options o;
	struct grade_test *all;
	size_t nall, nvisible;
	int ret;

	if (!parse_options(argc, argv, &o))
		return EXIT_USAGE;
	run_catch_interrupts();
	all = gather_tests(&o, tests, ntests, &nall, &nvisible);
	if (!all)
		return EXIT_USAGE;
	ret = grade_tests(&o, lesson, all, nall, nvisible);
	free(all);
	return ret;
}

int grade_main_parts(int argc, char **argv, const char *lesson,
		     const struct grade_test *common, size_t ncommon,
		     const struct grade_test *arch, size_t narch)
{
	struct grade_test *all = calloc(ncommon + narch, sizeof(*all));
	int ret;

	if (!all) {
		fprintf(stderr, "grade: out of memory\n");
		return EXIT_USAGE;
	}
	memcpy(all, common, ncommon * sizeof(*all));
	memcpy(all + ncommon, arch, narch * sizeof(*all));
	ret = grade_main(argc, argv, lesson, all, ncommon + narch);
	free(all);
	return ret;
}
