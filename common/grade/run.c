/* SPDX-License-Identifier: MIT */
/*
 * run.c - runs one graded test in a process of its own, with a time limit.
 *
 * The harness forks; the child registers the one CUnit test, runs it with
 * CU_run_test(), and sends what happened as records over a SOCK_SEQPACKET
 * socket (which keeps each record whole); its stdout and stderr go
 * through a pipe. The harness waits with a deadline, then classifies the
 * end: PASS, FAIL, CRASH (a signal), TIMEOUT (killed at the deadline) or
 * SKIP (a requirement is missing).
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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <CUnit/TestRun.h>

#include "grade_internal.h"
#include "../kit.h"

/* How a test's process says it skipped (after a RECORD_SKIP). */
#define SKIP_EXIT_CODE 77
/* Room kept in r->messages for the harness's own closing lines. */
#define HARNESS_NOTE_ROOM 512
/* How many distinct TODOs a test's process tells the harness of. */
#define MAX_TODOS_TOLD 8
#define READ_CHUNK 4096

/*
 * The records a test's process sends the harness, one per message: the
 * type byte, then the fields, each ending with its NUL.
 */
enum record_type {
	RECORD_FAILURE = 'F', /* one failure's message */
	RECORD_SKIP = 'S',    /* why the test skipped; the process then exits */
	RECORD_TODO = 'T',    /* kit_todo() ran: lesson, section, what */
	RECORD_DONE = 'D',    /* the test ran to its end */
};

static const char *const status_names[] = {
	[ST_PASS] = "PASS", [ST_FAIL] = "FAIL", [ST_CRASH] = "CRASH",
	[ST_TIMEOUT] = "TIMEOUT", [ST_SKIP] = "SKIP",
};

const char *grade_status_name(enum grade_status s)
{
	return status_names[s];
}

void grade_result_note(struct grade_result *r, const char *fmt, ...)
{
	size_t used = strlen(r->messages);
	va_list ap;

	if (used + 1 >= sizeof(r->messages))
		return;
	va_start(ap, fmt);
	vsnprintf(r->messages + used, sizeof(r->messages) - used, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* In the test's process: tell the harness what happened               */
/* ------------------------------------------------------------------ */

static pid_t parent_pid;                   /* the harness */
static volatile sig_atomic_t running_test; /* its current test's pid, or 0 */

static int record_fd = -1; /* the child's end of the record socket */

/* Send one record; a field that does not fit is cut short. */
static void send_record(enum record_type type, size_t nfields, const char *const fields[])
{
	char buf[GRADE_MAX_MESSAGES];
	size_t used = 1, i;

	if (record_fd < 0)
		return;
	buf[0] = (char)type;
	for (i = 0; i < nfields && used < sizeof(buf); i++) {
		size_t len = strnlen(fields[i], sizeof(buf) - used - 1);

		memcpy(buf + used, fields[i], len);
		buf[used + len] = '\0';
		used += len + 1;
	}
	while (send(record_fd, buf, used, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

/* Copy `src` into dst[cap], cut short if it does not fit. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t len = strnlen(src, cap - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void send_text(enum record_type type, const char *text)
{
	send_record(type, 1, &text);
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
	send_text(RECORD_SKIP, reason);
	_exit(SKIP_EXIT_CODE);
}

/*
 * kit_todo_observer in the test's process. A run loop may reach the same
 * TODO on every exit: each distinct one is told once. (The code under
 * test is single-threaded, as every lesson's is.)
 */
static void tell_todo(const char *lesson, const char *section, const char *what)
{
	static struct { char section[GRADE_TODO_FIELD_MAX], what[GRADE_TODO_FIELD_MAX]; }
		told[MAX_TODOS_TOLD];
	static unsigned ntold;
	const char *fields[] = { lesson, section, what };
	unsigned i;

	for (i = 0; i < ntold; i++)
		if (!strncmp(told[i].section, section, sizeof(told[i].section) - 1) &&
		    !strncmp(told[i].what, what, sizeof(told[i].what) - 1))
			return;
	if (ntold == MAX_TODOS_TOLD)
		return; /* the harness has heard of enough of them */
	copy_cut(told[ntold].section, sizeof(told[ntold].section), section);
	copy_cut(told[ntold].what, sizeof(told[ntold].what), what);
	ntold++;
	send_record(RECORD_TODO, sizeof(fields) / sizeof(fields[0]), fields);
}

static void child_run(const char *lesson, const struct grade_test *t, int out_fd, int rec_fd)
{
	CU_pFailureRecord failure;
	CU_pSuite suite;
	CU_pTest test;
	unsigned nfail = 0;
	char line[GRADE_MAX_MESSAGES];
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
	record_fd = rec_fd;
	kit_todo_observer = tell_todo;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		send_text(RECORD_FAILURE, "CUnit could not initialize its registry");
		_exit(1);
	}
	suite = CU_add_suite(lesson, NULL, NULL);
	test = suite ? CU_add_test(suite, t->name, t->run) : NULL;
	if (!test) {
		send_text(RECORD_FAILURE, "CUnit could not register the test");
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
		send_text(RECORD_FAILURE, line);
		nfail++;
	}
	send_text(RECORD_DONE, "done");
	CU_cleanup_registry();
	_exit(nfail ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* In the harness: run one test, isolated                              */
/* ------------------------------------------------------------------ */

/* A test's process, as the harness sees it. */
struct test_process {
	pid_t pid;
	int out_fd;    /* its stdout and stderr */
	int record_fd; /* its records */
};

/* What the harness saw of its end. */
struct test_end {
	bool timed_out; /* still running at the deadline: killed */
	bool done;      /* RECORD_DONE came: the test ran to its end */
	bool skipped;   /* RECORD_SKIP came */
	unsigned dropped; /* failures that did not fit in r->messages */
	int wait_status;
};

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

static void on_interrupt(int sig)
{
	pid_t pid = running_test;

	/* Take the running test (and anything it started) down with us. */
	if (pid > 0)
		kill(-pid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

void run_catch_interrupts(void)
{
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	signal(SIGHUP, on_interrupt);
}

/* Fork the test's process. 0, or a negative errno with the call that failed in *what. */
static int start_test(const char *lesson, const struct grade_test *t, struct test_process *p,
		      const char **what)
{
	int out_pipe[2], rec_pair[2];
	int err;

	if (pipe2(out_pipe, O_CLOEXEC) < 0) {
		*what = "pipe";
		return -errno;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rec_pair) < 0) {
		err = errno;
		*what = "socketpair";
		close(out_pipe[0]);
		close(out_pipe[1]);
		return -err;
	}
	/* Every stdio buffer, not just stdout's: a test that calls exit()
	 * would flush its copy of them a second time. */
	fflush(NULL);
	parent_pid = getpid();
	p->pid = fork();
	if (p->pid < 0) {
		err = errno;
		*what = "fork";
		close(out_pipe[0]);
		close(out_pipe[1]);
		close(rec_pair[0]);
		close(rec_pair[1]);
		return -err;
	}
	if (p->pid == 0) {
		close(out_pipe[0]);
		close(rec_pair[0]);
		child_run(lesson, t, out_pipe[1], rec_pair[1]);
	}
	setpgid(p->pid, p->pid); /* also done in the child; whichever runs first */
	running_test = p->pid;
	close(out_pipe[1]);
	close(rec_pair[1]);
	p->out_fd = out_pipe[0];
	p->record_fd = rec_pair[0];
	return 0;
}

/* Keep what the test printed, as much as fits. */
static void take_output(const char *buf, size_t n, struct grade_result *r)
{
	size_t room = sizeof(r->output) - 1 - r->output_len;
	size_t take = n < room ? n : room;

	memcpy(r->output + r->output_len, buf, take);
	r->output_len += take;
	if (take < n)
		r->output_truncated = true;
}

/* The `index`th NUL-terminated field of a record's body, or NULL. */
static const char *record_field(const char *body, size_t len, unsigned index)
{
	const char *p = body, *end = body + len;

	for (; p < end; index--) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		if (!nul)
			return NULL;
		if (index == 0)
			return p;
		p = nul + 1;
	}
	return NULL;
}

static void take_todo(const char *body, size_t len, struct grade_result *r)
{
	const char *lesson = record_field(body, len, 0);
	const char *section = record_field(body, len, 1);
	const char *what = record_field(body, len, 2);

	if (!lesson || !section || !what)
		return; /* not a whole record: nothing to go by */
	if (r->ntodos++ == 0) {
		copy_cut(r->todo.lesson, sizeof(r->todo.lesson), lesson);
		copy_cut(r->todo.section, sizeof(r->todo.section), section);
		copy_cut(r->todo.what, sizeof(r->todo.what), what);
	}
}

/* One record from the test's process, `len` bytes. */
static void take_record(const char *rec, size_t len, struct grade_result *r, struct test_end *e)
{
	const char *body = rec + 1;
	size_t body_len;

	if (len == 0)
		return;
	body_len = len - 1;
	switch (rec[0]) {
	case RECORD_DONE:
		e->done = true;
		return;
	case RECORD_TODO:
		take_todo(body, body_len, r);
		return;
	case RECORD_SKIP:
		e->skipped = true;
		break;
	default: /* RECORD_FAILURE */
		break;
	}
	/* A failure or a skip: its text is one of the test's messages. */
	if (strlen(r->messages) + len + 2 > sizeof(r->messages) - HARNESS_NOTE_ROOM) {
		e->dropped++;
		return;
	}
	grade_result_note(r, "%.*s\n", (int)body_len, body);
}

/* Read the test's output and records until both end or the deadline passes. */
static void collect(const struct test_process *p, unsigned timeout_s, struct grade_result *r,
		    struct test_end *e)
{
	static char rec[GRADE_MAX_MESSAGES];
	bool out_open = true, rec_open = true;
	double deadline = now_s() + timeout_s;

	while (out_open || rec_open) {
		struct pollfd fds[2] = {
			{ .fd = out_open ? p->out_fd : -1, .events = POLLIN },
			{ .fd = rec_open ? p->record_fd : -1, .events = POLLIN },
		};
		double left = deadline - now_s();
		char buf[READ_CHUNK];
		ssize_t n;

		if (left <= 0) {
			e->timed_out = true;
			break;
		}
		if (poll(fds, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(p->out_fd, buf, sizeof(buf));
			if (n <= 0)
				out_open = false;
			else
				take_output(buf, (size_t)n, r);
		}
		if (rec_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = recv(p->record_fd, rec, sizeof(rec) - 1, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				rec_open = false;
			} else {
				rec[n] = '\0';
				take_record(rec, (size_t)n, r, e);
			}
		}
	}
}

/* Whatever is left of the test's process group goes now. */
static void finish(const struct test_process *p, struct test_end *e)
{
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
	while (waitpid(p->pid, &e->wait_status, 0) < 0 && errno == EINTR)
		;
	running_test = 0;
	close(p->out_fd);
	close(p->record_fd);
}

static void classify(const struct test_end *e, unsigned timeout_s, struct grade_result *r)
{
	int st = e->wait_status;

	if (e->dropped)
		grade_result_note(r, "(%u more failures not shown)\n", e->dropped);
	if (e->timed_out) {
		r->status = ST_TIMEOUT;
		grade_result_note(r, "no result after %u s: the test was stopped (an endless loop, "
				  "or a KVM_RUN retried forever?)\n", timeout_s);
	} else if (e->skipped) {
		r->status = ST_SKIP;
	} else if (WIFSIGNALED(st) && !e->done) {
		r->status = ST_CRASH;
		grade_result_note(r, "the test process was killed by signal %d (%s: %s)\n",
				  WTERMSIG(st), signal_name(WTERMSIG(st)), strsignal(WTERMSIG(st)));
	} else if (!e->done) {
		r->status = ST_FAIL;
		grade_result_note(r, "the test process ended early with exit status %d before the "
				  "test finished (did the code under test call exit()?)\n",
				  WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		r->status = ST_PASS;
	} else {
		r->status = ST_FAIL;
	}
}

void run_isolated(const char *lesson, const struct grade_test *t, unsigned timeout_s,
		  struct grade_result *r)
{
	struct test_process p;
	struct test_end e = { 0 };
	const char *what = "";
	int ret;

	memset(r, 0, sizeof(*r));
	ret = start_test(lesson, t, &p, &what);
	if (ret < 0) {
		r->status = ST_FAIL;
		grade_result_note(r, "harness: %s failed: %s\n", what, strerror(-ret));
		return;
	}
	collect(&p, timeout_s, r, &e);
	finish(&p, &e);
	r->output[r->output_len] = '\0';
	classify(&e, timeout_s, r);
}
