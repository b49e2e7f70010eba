/* SPDX-License-Identifier: MIT */
/*
 * init.c - the /init of the emulated arm64 machine's initramfs.
 *
 * The kernel starts /init as process 1 with the console (/dev/console, the
 * PL011 UART that QEMU connects to the host) as stdin, stdout and stderr,
 * and with every KEY=VAL word of its command line that it did not use
 * itself in the environment. This /init:
 *   1. mounts /proc, /sys and /dev (devtmpfs, which provides /dev/kvm);
 *   2. prints "KIT-INIT-START release=R pagesize=P uptime=U";
 *   3. runs the command in KIT_CMD, in the directory /out, with the
 *      console as stdout and stderr and /dev/null as stdin, killing it
 *      after KIT_TIMEOUT seconds if it is given;
 *   4. sends every regular file in /out, then every file named in
 *      KIT_COLLECT, to the host over the console, base64-encoded:
 *          KIT-FILE-BEGIN size=N name=NAME
 *          <base64 lines>
 *          KIT-FILE-END name=NAME
 *      ("KIT-FILE-MISSING name=PATH" for a KIT_COLLECT file that is not
 *      there);
 *   5. prints the final line, one of
 *          KIT-EXIT-STATUS: exit N
 *          KIT-EXIT-STATUS: signal N NAME
 *          KIT-EXIT-STATUS: timeout N       (seconds)
 *          KIT-EXIT-STATUS: not-started WHY
 *      (WHY: the errno name, e.g. ENOENT or ENOEXEC, or NO-INTERPRETER,
 *      NO-KIT_CMD, BAD-KIT_CMD)
 *   6. syncs and powers the machine off.
 * run.sh on the host reads these lines (README.md, "The console protocol").
 *
 * KIT_CMD and KIT_COLLECT are lists of words separated by commas, each
 * word percent-encoded (%2C is a comma, %25 a percent sign, %20 a space):
 * the kernel splits its command line at spaces and treats quotes
 * specially, while commas and %XX pass through it untouched, so any
 * argument can be given. Example: KIT_CMD=/bin/grade,--label,solution
 *
 * The console is the only channel used for files because it needs nothing
 * but the kernel itself: virtio-console is a module in Debian's 6.1
 * kernels and 9p a module in all of them, and this machine loads none.
 *
 * Build: aarch64-linux-gnu-gcc -static -O2 -o init init.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Where the program runs and where result files are picked up from. */
#define OUT_DIR "/out"
/* Most arguments a KIT_CMD can hold (the kernel command line is at most
 * 2048 bytes on arm64, so fewer than this fit anyway). */
#define MAX_ARGS 256
/* Bytes of a file per base64 line: 57 bytes make 76 characters, the line
 * length of MIME (RFC 2045), which `base64 -d` on the host reads. */
#define BASE64_LINE_BYTES 57

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	va_list ap;

	fputs("init: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Make sure `path` is a mounted `type` file system; a failure is reported
 * and tolerated, since the program may not need it. */
static void mount_fs(const char *type, const char *path)
{
	mkdir(path, 0755);
	if (mount(type, path, type, 0, NULL) < 0 && errno != EBUSY)
		msg("cannot mount %s on %s: %s", type, path, strerror(errno));
}

/* The console normally turns each "\n" the program writes into "\r\n"
 * (output post-processing). Turn that off, so the host receives exactly the
 * bytes the program wrote. */
static void console_raw_output(void)
{
	struct termios t;

	if (tcgetattr(STDOUT_FILENO, &t) == 0) {
		t.c_oflag &= ~OPOST;
		tcsetattr(STDOUT_FILENO, TCSANOW, &t);
	}
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Split the comma-separated, percent-encoded list `list` (modified in
 * place) into at most `max` words. Returns the count, or -1 (with a
 * message) if the list is malformed. */
static int split_list(const char *name, char *list, char **words, int max)
{
	int count = 0;
	char *word = list, *in, *out;

	for (;;) {
		char *comma = strchr(word, ',');

		if (comma)
			*comma = '\0';
		if (count == max) {
			msg("%s has more than %d words", name, max);
			return -1;
		}
		/* Decode %XX in place: the result is never longer. */
		for (in = out = word; *in; in++, out++) {
			if (*in == '%') {
				int hi = hex_value(in[1]), lo = hi < 0 ? -1 : hex_value(in[2]);

				if (lo < 0) {
					msg("%s: '%%' must be followed by two hex digits in \"%s\"",
					    name, word);
					return -1;
				}
				*out = (char)(hi << 4 | lo);
				in += 2;
			} else {
				*out = *in;
			}
		}
		*out = '\0';
		words[count++] = word;
		if (!comma)
			return count;
		word = comma + 1;
	}
}

/* Percent-encode a file name for a marker line (no spaces or controls). */
static void print_name(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p > ' ' && *p < 0x7f && *p != '%')
			putchar(*p);
		else
			printf("%%%02X", *p);
	}
}

static void print_base64_line(const unsigned char *data, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[BASE64_LINE_BYTES / 3 * 4 + 2];
	size_t i, n = 0;

	for (i = 0; i < len; i += 3) {
		unsigned v = data[i] << 16;

		if (i + 1 < len)
			v |= data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		line[n++] = digits[v >> 18 & 63];
		line[n++] = digits[v >> 12 & 63];
		line[n++] = i + 1 < len ? digits[v >> 6 & 63] : '=';
		line[n++] = i + 2 < len ? digits[v & 63] : '=';
	}
	line[n++] = '\n';
	fwrite(line, 1, n, stdout);
}

/* Send one file to the host (file protocol above). `name` is what the host
 * will call it: its base name. */
static void send_file(const char *path, const char *name)
{
	unsigned char buf[BASE64_LINE_BYTES];
	struct stat st;
	size_t got, fill = 0;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st) < 0) {
		/* run.sh reports a missing file; other errors need saying. */
		if (errno != ENOENT)
			msg("cannot read %s: %s", path, strerror(errno));
		fputs("KIT-FILE-MISSING name=", stdout);
		print_name(path);
		putchar('\n');
		if (f)
			fclose(f);
		return;
	}
	printf("KIT-FILE-BEGIN size=%lld name=", (long long)st.st_size);
	print_name(name);
	putchar('\n');
	/* Whole lines of BASE64_LINE_BYTES bytes, then the rest. */
	while ((got = fread(buf + fill, 1, sizeof(buf) - fill, f)) > 0) {
		fill += got;
		if (fill == sizeof(buf)) {
			print_base64_line(buf, fill);
			fill = 0;
		}
	}
	if (fill)
		print_base64_line(buf, fill);
	fclose(f);
	fputs("KIT-FILE-END name=", stdout);
	print_name(name);
	putchar('\n');
	fflush(stdout);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly in OUT_DIR, in name order. */
static void send_out_dir(void)
{
	struct dirent **entries;
	int i, n = scandir(OUT_DIR, &entries, NULL, NULL);

	if (n < 0)
		return;
	qsort(entries, n, sizeof(*entries), compare_names);
	for (i = 0; i < n; i++) {
		char path[sizeof(OUT_DIR) + 256 + 1];
		struct stat st;

		snprintf(path, sizeof(path), OUT_DIR "/%s", entries[i]->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			send_file(path, entries[i]->d_name);
		free(entries[i]);
	}
	free(entries);
}

static void send_collected(const char *list_env)
{
	char *words[MAX_ARGS], *list;
	int i, n;

	if (!list_env || !*list_env)
		return;
	list = strdup(list_env);
	n = list ? split_list("KIT_COLLECT", list, words, MAX_ARGS) : -1;
	for (i = 0; i < n; i++) {
		const char *slash = strrchr(words[i], '/');

		send_file(words[i], slash ? slash + 1 : words[i]);
	}
	free(list);
}

/* Why execve() failed, in words that say what to do. */
static const char *exec_hint(const char *path, int err)
{
	struct stat st;

	switch (err) {
	case ENOENT:
		if (stat(path, &st) == 0)
			return "the file is there, so what it needs to start (a dynamic "
			       "loader, or the interpreter on its #! line) is not: "
			       "build programs for this machine with -static";
		return "no such file in the initramfs: give it to run.sh (as the program "
		       "or with --file)";
	case ENOEXEC:
		return "not an arm64 program: build it with aarch64-linux-gnu-gcc -static";
	case EACCES:
		return "not executable: chmod +x it on the host";
	default:
		return "";
	}
}

static volatile sig_atomic_t alarm_fired;

static void on_alarm(int sig)
{
	(void)sig;
	alarm_fired = 1;
}

/*
 * Run argv with the console as stdout/stderr and /dev/null as stdin, and
 * wait for it, at most timeout_s seconds if that is not 0. Writes how it
 * ended, for the final KIT-EXIT-STATUS line, into `status`.
 */
static void run_program(char **argv, unsigned timeout_s, char *status, size_t size)
{
	int report[2], err = 0, wstatus = 0;
	pid_t child, pid;
	bool timed_out = false;

	/* The child tells the parent why execve failed through this pipe; it
	 * closes by itself (O_CLOEXEC) when execve succeeds. */
	if (pipe2(report, O_CLOEXEC) < 0) {
		err = errno;
		msg("cannot create a pipe: %s", strerror(err));
		snprintf(status, size, "not-started %s", strerrorname_np(err));
		return;
	}
	fflush(stdout);
	child = fork();
	if (child < 0) {
		err = errno;
		msg("cannot fork: %s", strerror(err));
		snprintf(status, size, "not-started %s", strerrorname_np(err));
		return;
	}
	if (child == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		/* The child gets init's default signal handling, not on_alarm. */
		signal(SIGALRM, SIG_DFL);
		execv(argv[0], argv);
		err = errno;
		/* If even this fails, the parent sees an exit status of 127. */
		if (write(report[1], &err, sizeof(err)) != (ssize_t)sizeof(err))
			_exit(127);
		_exit(127);
	}
	close(report[1]);
	if (read(report[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		struct stat st;

		msg("cannot start %s: %s; %s", argv[0], strerror(err),
		    exec_hint(argv[0], err));
		waitpid(child, NULL, 0);
		/* ENOENT for a file that exists means its interpreter is missing. */
		snprintf(status, size, "not-started %s",
			 err == ENOENT && stat(argv[0], &st) == 0 ? "NO-INTERPRETER"
								  : strerrorname_np(err));
		close(report[0]);
		return;
	}
	close(report[0]);

	if (timeout_s) {
		struct sigaction sa = { .sa_handler = on_alarm };

		/* No SA_RESTART: waitpid() returns EINTR when the time is up. */
		sigaction(SIGALRM, &sa, NULL);
		alarm(timeout_s);
	}
	/* As process 1, init also inherits the program's orphaned children:
	 * reap whatever exits until the program itself does. */
	for (;;) {
		pid = waitpid(-1, &wstatus, 0);
		if (pid == child)
			break;
		if (pid < 0 && errno == EINTR && alarm_fired && !timed_out) {
			timed_out = true;
			/* As process 1, kill(-1) reaches every other process:
			 * the program and all it started. */
			kill(-1, SIGKILL);
		} else if (pid < 0 && errno == ECHILD) {
			break;
		}
	}
	alarm(0);
	/* Whatever the program left running must not write on the console
	 * while the files are sent. */
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	if (timed_out)
		snprintf(status, size, "timeout %u", timeout_s);
	else if (WIFSIGNALED(wstatus))
		snprintf(status, size, "signal %d SIG%s", WTERMSIG(wstatus),
			 sigabbrev_np(WTERMSIG(wstatus)) ? sigabbrev_np(WTERMSIG(wstatus))
							 : "?");
	else
		snprintf(status, size, "exit %d", WEXITSTATUS(wstatus));
}

static void print_start_marker(void)
{
	struct utsname u;
	double uptime = 0;
	FILE *f = fopen("/proc/uptime", "r");

	if (f) {
		if (fscanf(f, "%lf", &uptime) != 1)
			uptime = 0;
		fclose(f);
	}
	if (uname(&u) < 0)
		strcpy(u.release, "?");
	printf("KIT-INIT-START release=%s pagesize=%ld uptime=%.2f\n", u.release,
	       sysconf(_SC_PAGESIZE), uptime);
	fflush(stdout);
}

static void power_off(void)
{
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* Only if the machine cannot power off: process 1 must not exit (the
	 * kernel would panic), and run.sh has seen the final line anyway. */
	msg("cannot power off: %s", strerror(errno));
	for (;;)
		pause();
}

int main(void)
{
	char status[128] = "not-started NO-KIT_CMD";
	char *argv[MAX_ARGS + 1], *cmd = getenv("KIT_CMD");
	const char *timeout_env = getenv("KIT_TIMEOUT");
	unsigned timeout_s = timeout_env ? (unsigned)strtoul(timeout_env, NULL, 10) : 0;
	int argc;

	/* Line-buffered, so that our lines and the program's come in order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("devtmpfs", "/dev");
	mkdir("/tmp", 01777);
	mkdir(OUT_DIR, 0755);
	console_raw_output();
	print_start_marker();

	/* What the program sees besides init's environment. */
	setenv("PATH", "/bin", 0);
	setenv("KIT_OUT", OUT_DIR, 1);
	if (chdir(OUT_DIR) < 0)
		msg("cannot enter %s: %s", OUT_DIR, strerror(errno));

	if (!cmd || !*cmd) {
		msg("no KIT_CMD on the kernel command line: nothing to run "
		    "(run.sh sets it; see common/emu-arm64/README.md)");
	} else {
		cmd = strdup(cmd);
		argc = cmd ? split_list("KIT_CMD", cmd, argv, MAX_ARGS) : -1;
		if (argc > 0) {
			char path[PATH_MAX];

			argv[argc] = NULL;
			/* A bare name is looked for in /bin, where run.sh puts
			 * programs. */
			if (!strchr(argv[0], '/')) {
				snprintf(path, sizeof(path), "/bin/%s", argv[0]);
				argv[0] = path;
			}
			run_program(argv, timeout_s, status, sizeof(status));
		} else {
			snprintf(status, sizeof(status), "not-started BAD-KIT_CMD");
		}
	}

	send_out_dir();
	send_collected(getenv("KIT_COLLECT"));
	printf("KIT-EXIT-STATUS: %s\n", status);
	power_off();
	return 0;
}
