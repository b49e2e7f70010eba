/* SPDX-License-Identifier: MIT */
/*
 * grade.h - the kit's grading harness, on CUnit.
 *
 * A lesson's checks file lists its graded tests in a table:
 *
 *     static const struct grade_test tests[] = {
 *         { "output_arrives", "the guest's output arrives exactly",
 *           3, GRADE_NEEDS_KVM, test_output_arrives,
 *           "Handle KVM_EXIT_IO: ... (README.md, section \"8. The run loop\")" },
 *     };
 *     GRADE_MAIN("01-first-run", tests)
 *
 * Each test runs in a process of its own with a time limit: a crash or a
 * hang in the code under test costs that test only (CRASH / TIMEOUT) and
 * the others are still reported. A test fails through the EXPECT_* and
 * ASSERT_* macros below, which print what was expected and what happened.
 *
 * Environment:
 *   KIT_FAIL_ON_SKIP=1   a skipped test counts as a failure (CI sets it)
 *   KIT_TEST_TIMEOUT=N   override every test's time limit (seconds)
 *
 * Command line of a grading program (see grade_main()):
 *   --json FILE          also write Gradescope's results.json
 *   --summary FILE       append a one-line summary (used by `make check`)
 *   --expect-zero        grade the untouched starter code: every graded
 *                        test must FAIL there, having reached a TODO
 *                        (kit_todo()); a check that passes on the starter
 *                        cannot fail, and is reported as a defect
 *   --only NAME[,NAME]   run only these tests;  --list  list the tests
 *   --verbose            show every test's output, not only failures'
 *   --label TEXT         what is being graded (shown in the header)
 *   --not-built LOG      the code did not compile: every test fails, with LOG
 *   --hidden             also run the hidden checks linked in (see below)
 *
 * Hidden checks are an instructor's: files of hidden/LESSON/ (not in the
 * student release) that the Makefile links into the lesson's grading
 * program when that directory exists. Each defines a table as the
 * lesson's checks do, under a fixed name:
 *
 *     const struct grade_test hidden_tests[] = { ... };
 *     const size_t hidden_ntests = sizeof(hidden_tests) / sizeof(hidden_tests[0]);
 *
 * (hidden_arch_tests / hidden_arch_ntests in checks_hidden_<arch>.c for
 * one architecture's). They run only with --hidden, after the lesson's
 * own, tagged "(hidden)" in the report and "after_published" in
 * results.json; without hidden/ the empty defaults (hidden.c) are linked.
 */
#ifndef KIT_GRADE_H
#define KIT_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>
#include <linux/kvm.h>

enum grade_needs {
	GRADE_NEEDS_NOTHING = 0,
	GRADE_NEEDS_KVM = 1 << 0, /* /dev/kvm must open (skip with the reason if not) */
};

struct grade_test {
	const char *name;        /* short identifier: --only NAME */
	const char *behaviour;   /* what it checks, in words */
	unsigned points;         /* 0: an ungraded unit test */
	unsigned needs;          /* enum grade_needs */
	void (*run)(void);       /* a CUnit test function */
	const char *hint;        /* what to look at when it fails */
	unsigned timeout_s;      /* 0: KIT_TEST_TIMEOUT_S (limits.h) */
};

int grade_main(int argc, char **argv, const char *lesson,
	       const struct grade_test *tests, size_t ntests);

/* grade_main() on two tables, one after the other: a lesson's checks for
 * every architecture, then the running architecture's own. */
int grade_main_parts(int argc, char **argv, const char *lesson,
		     const struct grade_test *common, size_t ncommon,
		     const struct grade_test *arch, size_t narch);

/* The hidden checks (hidden/LESSON/checks_hidden*.c), or none: weak empty
 * defaults in common/grade/hidden.c stand in for a table not linked. */
extern const struct grade_test hidden_tests[];
extern const size_t hidden_ntests;
extern const struct grade_test hidden_arch_tests[];
extern const size_t hidden_arch_ntests;

#define GRADE_MAIN(lesson, table)                                          \
	int main(int argc, char **argv)                                    \
	{                                                                  \
		return grade_main(argc, argv, (lesson), (table),           \
				  sizeof(table) / sizeof((table)[0]));     \
	}

/* Stop the running test and report it SKIPPED, with the reason. */
void grade_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ---- failure reporting: expected vs actual -------------------------- */

/* Record a failure with a formatted message; fatal ones end the test. */
void grade_fail_at(const char *file, unsigned line, bool fatal, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

bool grade_expect_u64(const char *file, unsigned line, bool fatal, const char *what,
		      uint64_t actual, uint64_t expected);
bool grade_expect_i64(const char *file, unsigned line, bool fatal, const char *what,
		      int64_t actual, int64_t expected);
bool grade_expect_bytes(const char *file, unsigned line, bool fatal, const char *what,
			const void *actual, size_t alen, const void *expected, size_t elen);
bool grade_expect_contains(const char *file, unsigned line, bool fatal, const char *what,
			   const char *text, const char *needle);

#define FAIL(...)  grade_fail_at(__FILE__, __LINE__, true, __VA_ARGS__)
#define EXPECT(cond, ...) \
	((cond) ? true : (grade_fail_at(__FILE__, __LINE__, false, __VA_ARGS__), false))
#define ASSERT(cond, ...) \
	((cond) ? (void)0 : grade_fail_at(__FILE__, __LINE__, true, __VA_ARGS__))

#define EXPECT_EQ_U64(what, actual, expected) \
	grade_expect_u64(__FILE__, __LINE__, false, (what), (uint64_t)(actual), (uint64_t)(expected))
#define ASSERT_EQ_U64(what, actual, expected) \
	grade_expect_u64(__FILE__, __LINE__, true, (what), (uint64_t)(actual), (uint64_t)(expected))
#define EXPECT_EQ_INT(what, actual, expected) \
	grade_expect_i64(__FILE__, __LINE__, false, (what), (int64_t)(actual), (int64_t)(expected))
#define ASSERT_EQ_INT(what, actual, expected) \
	grade_expect_i64(__FILE__, __LINE__, true, (what), (int64_t)(actual), (int64_t)(expected))
#define EXPECT_BYTES(what, actual, alen, expected, elen) \
	grade_expect_bytes(__FILE__, __LINE__, false, (what), (actual), (alen), (expected), (elen))
#define EXPECT_CONTAINS(what, text, needle) \
	grade_expect_contains(__FILE__, __LINE__, false, (what), (text), (needle))
#define ASSERT_CONTAINS(what, text, needle) \
	grade_expect_contains(__FILE__, __LINE__, true, (what), (text), (needle))

/* Fill the stack below the caller with a pattern (0x5a bytes): call it
 * just before the code under test, so that a local struct it forgets to
 * initialise holds garbage, not zeros by luck. */
void grade_scramble_stack(void);

/* ---- fault injection (grading programs are linked with --wrap=ioctl,
 *      --wrap=sysconf, --wrap=getpagesize) ---------------------------- */

/* The next `count` calls of ioctl `request` fail with -1 / errno `err`. */
void inject_ioctl_error(unsigned long request, int err, unsigned count);
/* The next `pass` calls of ioctl `request` go through; the one after fails
 * with -1 / errno `err` (to fail each of a function's calls in turn). */
void inject_ioctl_error_after(unsigned long request, unsigned pass, int err);
/* The next `count` calls of ioctl `request` return `value` without
 * reaching the kernel (e.g. a KVM_GET_API_VERSION other than 12). */
void inject_ioctl_value(unsigned long request, int value, unsigned count);
/* The next `pass` calls of ioctl `request` go through; the one after
 * returns `value` (to answer one of a function's calls in turn). */
void inject_ioctl_value_after(unsigned long request, unsigned pass, int value);
/* From now on, sysconf(_SC_PAGESIZE) and getpagesize() return `size`
 * (0: the real value again; negative: sysconf fails with EINVAL), to grade
 * code for 16 KiB-page hosts here. */
void inject_page_size(long size);
/* The struct of the last KVM_IOEVENTFD, as it was when it was made. */
bool inject_last_ioeventfd(struct kvm_ioeventfd *out);
/* From now on, clock_gettime(CLOCK_MONOTONIC) reads `ns[0]`, then
 * `ns[1]`, ... (past the end: the last again); NULL: the real clock. To
 * grade timing code with exact values. */
void inject_clock(const uint64_t *ns, unsigned count);
/* How many readings of the script were taken. */
unsigned inject_clock_reads(void);
/* The next `count` open() calls of the code under test fail with `err`. */
void inject_open_error(int err, unsigned count);
/* The next watchdog_arm() fails with -err. */
void inject_watchdog_arm_error(int err);
/* The argument of the last call of ioctl `request` (e.g. a vCPU id). */
unsigned long inject_last_ioctl_arg(unsigned long request);
/*
 * The next KVM_RUN does not reach the kernel: it returns 0 after `fill`
 * has written a made-up exit into `run` (e.g. an `out` with count 3, which
 * this machine's KVM never produces but a VT-x laptop's does).
 */
void inject_fake_exit(struct kvm_run *run, void (*fill)(struct kvm_run *run));
/* Just before the next real KVM_RUN, raise `sig` (e.g. the watchdog's
 * SIGALRM, to land in the race the watchdog must handle). */
void inject_signal_before_run(int sig);
/* The arguments of the last watchdog_arm() call (grading programs are
 * linked with --wrap=watchdog_arm too), and how many calls there were. */
unsigned inject_watchdog_arms(struct kvm_run **run, unsigned *timeout_ms);

/* How many times ioctl `request` was called since the test started. */
unsigned inject_ioctl_calls(unsigned long request);
/* The argument of the last successful KVM_SET_USER_MEMORY_REGION. */
bool inject_last_memory_region(struct kvm_userspace_memory_region *out);
void inject_reset(void);

#endif /* KIT_GRADE_H */
