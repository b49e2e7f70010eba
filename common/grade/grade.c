/* SPDX-License-Identifier: MIT */
/*
 * grade.c - runs a lesson's graded CUnit tests, one process per test.
 *
 * Parent (this program) -> for each test: fork; the child registers the one
 * CUnit test, runs it with CU_run_test(), and sends its failures as
 * records over a SOCK_SEQPACKET socket (which keeps each record whole);
 * its stdout/stderr go through a pipe. The parent waits with a
 * deadline, then classifies: PASS, FAIL, CRASH (a signal), TIMEOUT (killed
 * at the deadline) or SKIP (a requirement is missing).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <CUnit/TestRun.h>

#include "grade.h"
#include "../kit.h"

#define MAX_OUTPUT (48 * 1024)
#define MAX_MESSAGES (16 * 1024)
#define SHOWN_OUTPUT_LINES 25
#define SKIP_EXIT_CODE 77

enum status { ST_PASS, ST_FAIL, ST_CRASH, ST_TIMEOUT, ST_SKIP };

static const char *const status_names[] = { "PASS", "FAIL", "CRASH", "TIMEOUT", "SKIP" };

struct result {
	enum status status;
	char messages[MAX_MESSAGES]; /* failures, one per line */
	char output[MAX_OUTPUT];     /* what the test printed */
	size_t output_len;
	bool output_truncated;
};

struct options {
	const char *json_path;
	const char *summary_path;
	const char *only;
	const char *label;
	const char *not_built;  /* the build log, when the code did not compile */
	bool expect_zero;
	bool verbose;
	bool list;
	bool color;
	bool fail_on_skip;
};

/* ------------------------------------------------------------------ */
/* In the child: report failures and skips to the parent               */
/* ------------------------------------------------------------------ */

static pid_t parent_pid;                  /* the harness */
static volatile sig_atomic_t running_test; /* its current test's pid, or 0 */

static int result_fd = -1; /* the child's end of the result socket */

/* One record per message: a type letter, then text. */
static void send_record(char type, const char *text)
{
	size_t len = strlen(text);
	char buf[MAX_MESSAGES];

	if (result_fd < 0)
		return;
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[0] = type;
	memcpy(buf + 1, text, len);
	buf[len + 1] = '\0';
	while (send(result_fd, buf, len + 2, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

void grade_skip(const char *fmt, ...)
{
	char reason[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	send_record('S', reason);
	_exit(SKIP_EXIT_CODE);
}

static void vfail(const char *file, unsigned line, bool fatal, const char *fmt, va_list ap)
{
	char msg[8192];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* CUnit copies the condition text into its failure record. */
	CU_assertImplementation(CU_FALSE, line, msg, file, "", fatal ? CU_TRUE : CU_FALSE);
}

void grade_fail_at(const char *file, unsigned line, bool fatal, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(file, line, fatal, fmt, ap);
	va_end(ap);
}

bool grade_expect_u64(const char *file, unsigned line, bool fatal, const char *what,
		      uint64_t actual, uint64_t expected)
{
	if (actual == expected)
		return true;
	grade_fail_at(file, line, fatal, "%s: expected 0x%llx (%llu), got 0x%llx (%llu)", what,
		 (unsigned long long)expected, (unsigned long long)expected,
		 (unsigned long long)actual, (unsigned long long)actual);
	return false;
}

bool grade_expect_i64(const char *file, unsigned line, bool fatal, const char *what,
		      int64_t actual, int64_t expected)
{
	if (actual == expected)
		return true;
	grade_fail_at(file, line, fatal, "%s: expected %lld, got %lld%s%s", what,
		 (long long)expected, (long long)actual,
		 actual < 0 && actual > -4096 ? " = -" : "",
		 actual < 0 && actual > -4096 ? kit_errno_name((int)-actual) : "");
	return false;
}

/* Printable form of bytes: "Hi\n" -> "Hi\\n", others as \xNN. */
static void quote_bytes(char *buf, size_t buflen, const uint8_t *bytes, size_t len)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < len && used + 8 < buflen; i++) {
		uint8_t c = bytes[i];

		if (c == '\n')
			used += (size_t)snprintf(buf + used, buflen - used, "\\n");
		else if (c == '"' || c == '\\')
			used += (size_t)snprintf(buf + used, buflen - used, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			buf[used++] = (char)c, buf[used] = '\0';
		else
			used += (size_t)snprintf(buf + used, buflen - used, "\\x%02x", c);
	}
	if (i < len)
		snprintf(buf + used, buflen - used, "...");
}

bool grade_expect_bytes(const char *file, unsigned line, bool fatal, const char *what,
			const void *actual, size_t alen, const void *expected, size_t elen)
{
	char a[1024], e[1024];
	size_t first = 0;

	if (alen == elen && (alen == 0 || memcmp(actual, expected, alen) == 0))
		return true;
	while (first < alen && first < elen &&
	       ((const uint8_t *)actual)[first] == ((const uint8_t *)expected)[first])
		first++;
	quote_bytes(a, sizeof(a), actual, alen);
	quote_bytes(e, sizeof(e), expected, elen);
	grade_fail_at(file, line, fatal,
		 "%s:\n  expected \"%s\" (%zu bytes)\n  got      \"%s\" (%zu bytes)\n"
		 "  first difference at byte %zu", what, e, elen, a, alen, first);
	return false;
}

bool grade_expect_contains(const char *file, unsigned line, bool fatal, const char *what,
			   const char *text, const char *needle)
{
	if (text && strstr(text, needle))
		return true;
	grade_fail_at(file, line, fatal, "%s: expected a message containing \"%s\", got \"%s\"",
		 what, needle, text ? text : "(null)");
	return false;
}

static void child_run(const char *lesson, const struct grade_test *t, int out_fd, int res_fd)
{
	CU_pFailureRecord failure;
	CU_pSuite suite;
	CU_pTest test;
	unsigned nfail = 0;
	char line[MAX_MESSAGES];
	int devnull;

	setpgid(0, 0);
	/* Die with the harness: a test must never run on unobserved. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent_pid)
		_exit(1);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		close(devnull);
	}
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	close(out_fd);
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	result_fd = res_fd;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		send_record('F', "CUnit could not initialize its registry");
		_exit(1);
	}
	suite = CU_add_suite(lesson, NULL, NULL);
	test = suite ? CU_add_test(suite, t->name, t->run) : NULL;
	if (!test) {
		send_record('F', "CUnit could not register the test");
		_exit(1);
	}
	inject_reset();
	kit_clear_error();
	CU_run_test(suite, test);

	for (failure = CU_get_failure_list(); failure; failure = failure->pNext) {
		snprintf(line, sizeof(line), "%s (%s:%u)",
			 failure->strCondition ? failure->strCondition : "(failure)",
			 failure->strFileName ? failure->strFileName : "?",
			 failure->uiLineNumber);
		send_record('F', line);
		nfail++;
	}
	send_record('D', "done");
	CU_cleanup_registry();
	_exit(nfail ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* In the parent: run one test, isolated                               */
/* ------------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *signal_name(int sig)
{
	const char *abbrev = sigabbrev_np(sig);
	static char buf[32];

	if (!abbrev)
		return "unknown signal";
	snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	return buf;
}

static void append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, cap - used, fmt, ap);
	va_end(ap);
}

/* One record from the child: a failure (F), a skip (S) or done (D). */
static void take_record(const char *rec, size_t len, struct result *r, bool *done,
			bool *skipped, unsigned *dropped)
{
	size_t used = strlen(r->messages);

	if (len == 0)
		return;
	if (rec[0] == 'D') {
		*done = true;
		return;
	}
	if (rec[0] == 'S')
		*skipped = true;
	/* Keep room for the harness's own closing lines. */
	if (used + len + 2 > sizeof(r->messages) - 512) {
		(*dropped)++;
		return;
	}
	append(r->messages, sizeof(r->messages), "%.*s\n", (int)(len - 1), rec + 1);
}

static void on_interrupt(int sig)
{
	pid_t pid = running_test;

	/* Take the running test (and anything it started) down with us. */
	if (pid > 0)
		kill(-pid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run_isolated(const char *lesson, const struct grade_test *t,
			 unsigned timeout_s, struct result *r)
{
	static char rec[MAX_MESSAGES];
	int out_pipe[2], res_pipe[2];
	bool out_open = true, res_open = true, timed_out = false, done = false, skipped = false;
	unsigned dropped = 0;
	double deadline;
	int status = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(out_pipe, O_CLOEXEC) < 0) {
		r->status = ST_FAIL;
		snprintf(r->messages, sizeof(r->messages), "harness: pipe failed: %s\n",
			 strerror(errno));
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, res_pipe) < 0) {
		r->status = ST_FAIL;
		snprintf(r->messages, sizeof(r->messages), "harness: socketpair failed: %s\n",
			 strerror(errno));
		close(out_pipe[0]);
		close(out_pipe[1]);
		return;
	}
	/* Every stdio buffer, not just stdout's: a test that calls exit()
	 * would flush its copy of our results file a second time. */
	fflush(NULL);
	parent_pid = getpid();
	pid = fork();
	if (pid < 0) {
		r->status = ST_FAIL;
		snprintf(r->messages, sizeof(r->messages), "harness: fork failed: %s\n",
			 strerror(errno));
		close(out_pipe[0]);
		close(out_pipe[1]);
		close(res_pipe[0]);
		close(res_pipe[1]);
		return;
	}
	if (pid == 0) {
		close(out_pipe[0]);
		close(res_pipe[0]);
		child_run(lesson, t, out_pipe[1], res_pipe[1]);
	}
	setpgid(pid, pid); /* also done in the child; whichever runs first */
	running_test = pid;
	close(out_pipe[1]);
	close(res_pipe[1]);

	deadline = now_s() + timeout_s;
	while (out_open || res_open) {
		struct pollfd fds[2] = {
			{ .fd = out_open ? out_pipe[0] : -1, .events = POLLIN },
			{ .fd = res_open ? res_pipe[0] : -1, .events = POLLIN },
		};
		double left = deadline - now_s();
		char buf[4096];
		ssize_t n;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (poll(fds, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(out_pipe[0], buf, sizeof(buf));
			if (n <= 0) {
				out_open = false;
			} else {
				size_t room = sizeof(r->output) - 1 - r->output_len;
				size_t take = (size_t)n < room ? (size_t)n : room;

				memcpy(r->output + r->output_len, buf, take);
				r->output_len += take;
				if (take < (size_t)n)
					r->output_truncated = true;
			}
		}
		if (res_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = recv(res_pipe[0], rec, sizeof(rec) - 1, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				res_open = false;
			else
				take_record(rec, (size_t)n, r, &done, &skipped, &dropped);
		}
	}
	/* Whatever is left of the test's process group goes now. */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	running_test = 0;
	close(out_pipe[0]);
	close(res_pipe[0]);
	r->output[r->output_len] = '\0';

	if (dropped)
		append(r->messages, sizeof(r->messages), "(%u more failures not shown)\n", dropped);
	if (timed_out) {
		r->status = ST_TIMEOUT;
		append(r->messages, sizeof(r->messages),
		       "no result after %u s: the test was stopped (an endless loop, or a "
		       "KVM_RUN retried forever?)\n", timeout_s);
	} else if (skipped) {
		r->status = ST_SKIP;
	} else if (WIFSIGNALED(status) && !done) {
		r->status = ST_CRASH;
		append(r->messages, sizeof(r->messages),
		       "the test process was killed by signal %d (%s: %s)\n",
		       WTERMSIG(status), signal_name(WTERMSIG(status)),
		       strsignal(WTERMSIG(status)));
	} else if (!done) {
		r->status = ST_FAIL;
		append(r->messages, sizeof(r->messages),
		       "the test process ended early with exit status %d before the "
		       "test finished (did the code under test call exit()?)\n",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		r->status = ST_PASS;
	} else {
		r->status = ST_FAIL;
	}
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

static const char *color(const struct options *o, enum status s)
{
	if (!o->color)
		return "";
	switch (s) {
	case ST_PASS: return "\033[32m";
	case ST_SKIP: return "\033[33m";
	default: return "\033[31m";
	}
}

static const char *reset(const struct options *o)
{
	return o->color ? "\033[0m" : "";
}

/* Print `text` indented, each line prefixed; only the last `max_lines`. */
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

/* Length of the valid UTF-8 sequence at s (2-4), or 0 if it is not one. */
static int utf8_sequence(const unsigned char *s)
{
	int n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A JSON string: UTF-8 text passes through; other bytes are escaped as
 * U+0080-U+00FF so that the file is always valid JSON. */
static void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		unsigned char c = *s;
		int n;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else if (c >= 0x80 && (n = utf8_sequence(s)) > 0) {
			fwrite(s, 1, (size_t)n, f);
			s += n;
			continue;
		} else if (c >= 0x80)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
		s++;
	}
	fputc('"', f);
}

/* The last `max_lines` lines of `text`. */
static const char *tail_lines(const char *text, unsigned max_lines)
{
	const char *p = text + strlen(text);
	unsigned lines = 0;

	while (p > text) {
		if (p[-1] == '\n' && p[0] && ++lines == max_lines)
			break;
		p--;
	}
	return p;
}

static bool parse_options(int argc, char **argv, struct options *o)
{
	const char *env;
	int i;

	memset(o, 0, sizeof(*o));
	o->color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	env = getenv("KIT_FAIL_ON_SKIP");
	o->fail_on_skip = env && *env && strcmp(env, "0") != 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json") && i + 1 < argc)
			o->json_path = argv[++i];
		else if (!strcmp(a, "--summary") && i + 1 < argc)
			o->summary_path = argv[++i];
		else if (!strcmp(a, "--only") && i + 1 < argc)
			o->only = argv[++i];
		else if (!strcmp(a, "--label") && i + 1 < argc)
			o->label = argv[++i];
		else if (!strcmp(a, "--not-built") && i + 1 < argc)
			o->not_built = argv[++i];
		else if (!strcmp(a, "--expect-zero"))
			o->expect_zero = true;
		else if (!strcmp(a, "--verbose") || !strcmp(a, "-v"))
			o->verbose = true;
		else if (!strcmp(a, "--list"))
			o->list = true;
		else {
			fprintf(stderr, "usage: %s [--json FILE] [--summary FILE] [--only NAME] "
				"[--label TEXT] [--expect-zero] [--verbose] [--list] "
				"[--not-built BUILD-LOG]\n", argv[0]);
			return false;
		}
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

/* Is KVM usable here? Checked once, in the parent, for GRADE_NEEDS_KVM. */
static const char *kvm_unavailable_reason(void)
{
	static int checked, available;
	static char reason[1024];
	int fd;

	if (!checked) {
		checked = 1;
		fd = kvm_open();
		if (fd >= 0) {
			/* /dev/kvm may open while no VM can be made (another
			 * hypervisor holds VT-x: EBUSY). That is a skip too. */
			int vm = ioctl(fd, KVM_CREATE_VM, 0);

			if (vm >= 0) {
				available = 1;
				close(vm);
			} else {
				kit_syscall_error("KVM_CREATE_VM",
					"/dev/kvm opens but no VM can be created: EBUSY "
					"means another hypervisor (VirtualBox, VMware) "
					"is using the CPU's virtualization; close it");
				snprintf(reason, sizeof(reason), "%s", kit_last_error());
			}
			close(fd);
		} else {
			snprintf(reason, sizeof(reason), "%s", kit_last_error());
		}
	}
	return available ? NULL : reason;
}

int grade_main(int argc, char **argv, const char *lesson,
	       const struct grade_test *tests, size_t ntests)
{
	unsigned passed = 0, failed = 0, skipped = 0, score = 0, max_score = 0, ran = 0;
	unsigned kvm_skips = 0;
	static struct result r;
	struct options o;
	FILE *json = NULL;
	const char *env;
	size_t i;

	if (!parse_options(argc, argv, &o))
		return 2;
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	signal(SIGHUP, on_interrupt);
	if (o.list) {
		for (i = 0; i < ntests; i++)
			printf("%-28s %2u pts  %s\n", tests[i].name, tests[i].points,
			       tests[i].behaviour);
		return 0;
	}
	if (o.json_path) {
		json = fopen(o.json_path, "w");
		if (!json) {
			fprintf(stderr, "cannot write %s: %s\n", o.json_path, strerror(errno));
			return 2;
		}
		fprintf(json, "{\n  \"tests\": [");
	}

	printf("== %s%s%s ==\n", lesson, o.label ? ": " : "", o.label ? o.label : "");
	if (o.expect_zero)
		printf("   (the untouched starter code: every graded check must fail here, "
		       "with the TODO's message)\n");

	for (i = 0; i < ntests; i++) {
		const struct grade_test *t = &tests[i];
		const char *why_not = NULL;
		unsigned timeout = t->timeout_s ? t->timeout_s : KIT_TEST_TIMEOUT_S;
		unsigned got = 0;
		bool ok;

		if (o.only && !name_listed(o.only, t->name))
			continue;
		env = getenv("KIT_TEST_TIMEOUT");
		if (env && atoi(env) > 0)
			timeout = (unsigned)atoi(env);

		if (o.not_built) {
			/* The code under test did not compile: every check fails,
			 * saying why, so a class's results still list them all. */
			FILE *log = fopen(o.not_built, "r");

			memset(&r, 0, sizeof(r));
			r.status = ST_FAIL;
			snprintf(r.messages, sizeof(r.messages),
				 "the code did not build, so this check could not run\n");
			if (log) {
				r.output_len = fread(r.output, 1, sizeof(r.output) - 1, log);
				r.output[r.output_len] = '\0';
				fclose(log);
			}
		} else if ((t->needs & GRADE_NEEDS_KVM) && (why_not = kvm_unavailable_reason())) {
			memset(&r, 0, sizeof(r));
			r.status = ST_SKIP;
			snprintf(r.messages, sizeof(r.messages), "needs /dev/kvm: %s\n", why_not);
			kvm_skips++;
		} else {
			run_isolated(lesson, t, timeout, &r);
		}
		ran++;
		max_score += t->points;

		if (r.status == ST_SKIP) {
			if (o.fail_on_skip) {
				failed++;
				append(r.messages, sizeof(r.messages),
				       "KIT_FAIL_ON_SKIP is set, so this skip counts as a failure\n");
			} else {
				skipped++;
			}
			printf("  %s%-7s%s %2u/%-2u %s: %s\n", color(&o, ST_SKIP), "SKIP", reset(&o),
			       0, t->points, t->name, t->behaviour);
			/* The whole reason once; after that, a pointer to it. */
			print_indented(why_not && kvm_skips > 1 ?
				       "needs /dev/kvm: (the reason above)" : r.messages,
				       "            ", 0);
		} else if (o.expect_zero) {
			/* The starter must fail, and say which TODO is missing. */
			bool names_todo = strstr(r.messages, "README.md, section") ||
					  strstr(r.output, "README.md, section");

			ok = r.status == ST_FAIL && names_todo;
			if (ok)
				passed++;
			else
				failed++;
			printf("  %s%-7s%s %s: %s\n", color(&o, ok ? ST_PASS : ST_FAIL),
			       ok ? "PASS" : "FAIL", reset(&o), t->name,
			       ok ? "fails on the starter, naming the TODO" :
			       r.status == ST_PASS ? "DEFECT: this check PASSES on the untouched "
						     "starter code, so it cannot fail" :
			       r.status != ST_FAIL ? "the starter must fail cleanly, not crash or hang" :
						     "fails on the starter, but no message names the "
						     "README section of a TODO");
			if (!ok || o.verbose) {
				printf("            status on the starter: %s\n", status_names[r.status]);
				print_indented(r.messages, "            ", 8);
			}
		} else {
			ok = r.status == ST_PASS;
			got = ok ? t->points : 0;
			score += got;
			if (ok)
				passed++;
			else
				failed++;
			printf("  %s%-7s%s %2u/%-2u %s: %s\n", color(&o, r.status),
			       status_names[r.status], reset(&o), got, t->points, t->name,
			       t->behaviour);
			if (!ok) {
				print_indented(r.messages, "            ", 0);
				if (t->hint)
					printf("            hint: %s\n", t->hint);
			}
			if ((!ok || o.verbose) && r.output_len) {
				printf("            what the test printed:\n");
				print_indented(r.output, "            | ", SHOWN_OUTPUT_LINES);
			}
		}

		if (json) {
			static char out[MAX_MESSAGES + MAX_OUTPUT / 2];
			bool show = r.status != ST_PASS && r.status != ST_SKIP;

			snprintf(out, sizeof(out), "%s%s%s%s%s%s%s", status_names[r.status],
				 r.messages[0] ? "\n" : "", r.messages,
				 (show && t->hint) ? "hint: " : "",
				 (show && t->hint) ? t->hint : "",
				 (show && r.output_len) ? "\n\nwhat the test printed:\n" : "",
				 (show && r.output_len) ? tail_lines(r.output, SHOWN_OUTPUT_LINES) : "");
			char name[512];

			snprintf(name, sizeof(name), "%s: %s", t->name, t->behaviour);
			fprintf(json, "%s\n    {\"name\": ", ran > 1 ? "," : "");
			json_string(json, name);
			fprintf(json, ", \"score\": %u, \"max_score\": %u, \"status\": \"%s\", "
				"\"output\": ", got, t->points,
				r.status == ST_PASS ? "passed" : "failed");
			json_string(json, out);
			fprintf(json, "}");
		}
	}

	if (o.only && ran == 0) {
		fprintf(stderr, "no test named %s (--list shows them)\n", o.only);
		if (json)
			fclose(json);
		return 2;
	}
	if (o.expect_zero)
		printf("score %s (starter): %u/%u graded checks fail on the starter as they must\n",
		       lesson, passed, passed + failed);
	else
		printf("score %s: %u/%u\n", lesson, score, max_score);
	printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);

	if (json) {
		fprintf(json, "\n  ],\n  \"score\": %u,\n  \"max_score\": %u\n}\n",
			o.expect_zero ? 0 : score, max_score);
		fclose(json);
	}
	if (o.summary_path) {
		FILE *s = fopen(o.summary_path, "a");

		if (s) {
			fprintf(s, "%s%s%s\t%u\t%u\t%u\t%u\t%u\n", lesson, o.label ? ": " : "",
				o.label ? o.label : "", passed, failed, skipped, score, max_score);
			fclose(s);
		}
	}
	return failed ? 1 : 0;
}

int grade_main_parts(int argc, char **argv, const char *lesson,
		     const struct grade_test *common, size_t ncommon,
		     const struct grade_test *arch, size_t narch)
{
	struct grade_test *all = calloc(ncommon + narch, sizeof(*all));
	int ret;

	if (!all) {
		fprintf(stderr, "grade: out of memory\n");
		return 2;
	}
	memcpy(all, common, ncommon * sizeof(*all));
	memcpy(all + ncommon, arch, narch * sizeof(*all));
	ret = grade_main(argc, argv, lesson, all, ncommon + narch);
	free(all);
	return ret;
}
