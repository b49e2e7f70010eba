/* SPDX-License-Identifier: MIT */
/*
 * init.c - the /init of the emulated arm64 machine's initramfs.
 *
 * The kernel starts /init as process 1 with the console (/dev/console, the
 * PL011 UART that QEMU connects to the host) as stdin, stdout and stderr.
 * This /init:
 *   1. mounts /proc, /sys and /dev (devtmpfs, which provides /dev/kvm);
 *   2. loads the kernel modules listed in /lib/modules/order, in that
 *      order (only a kernel that has the virtio drivers as modules needs
 *      any; run.sh puts them there);
 *   3. prints "KIT-INIT-START release=R pagesize=P uptime=U";
 *   4. runs each run of /kit/runs in turn (the format is below): the
 *      program in its directory, stdin /dev/null, stdout and stderr on the
 *      console or in DIR/output.txt, killed after its time limit; around
 *      each it prints
 *          KIT-RUN-START NAME
 *          KIT-RUN-END NAME STATUS
 *      with STATUS one of "exit N", "signal N NAME", "timeout N" (seconds)
 *      and "not-started WHY" (WHY: the errno name, e.g. ENOENT or ENOEXEC,
 *      or NO-INTERPRETER);
 *   5. sends everything under /out to the host as one tar archive (written
 *      by busybox tar) over its own channel, the virtio-serial port named
 *      "kit.files", and prints "KIT-FILES-SENT bytes=N" (or "KIT-FILES-NONE
 *      WHY");
 *   6. prints "KIT-DONE", syncs and powers the machine off.
 * run.sh on the host reads these lines (README.md, "The console protocol").
 * The files never travel over the console, so kernel messages cannot mix
 * with them and no encoding is needed.
 *
 * /kit/runs holds one run per block of lines, each line a keyword, one
 * space and the rest of the line taken as it is:
 *     run NAME          starts a run
 *     dir PATH          its working directory, created (also $KIT_OUT)
 *     timeout S         its time limit in seconds (0: none)
 *     output console|log   where its stdout and stderr go
 *     env KEY=VALUE     one variable of its environment
 *     arg WORD          its argv, in order: the program first
 *     collect PATH      a file to copy into its directory once it ended
 *     end               ends the run's block
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
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define OUT_DIR "/out"
#define RUNS_FILE "/kit/runs"
#define MODULE_ORDER "/lib/modules/order"
#define BUSYBOX "/bin/busybox"
#define FILES_PORT_NAME "kit.files"
#define MAX_ARGS 256
#define MAX_ENVS 64
#define MAX_COLLECT 16

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

/* The modules of MODULE_ORDER, one file name per line, in order. */
static void load_modules(void)
{
	char name[256], path[PATH_MAX];
	FILE *order = fopen(MODULE_ORDER, "r");

	if (!order)
		return;
	while (fgets(name, sizeof(name), order)) {
		int fd;

		name[strcspn(name, "\n")] = '\0';
		if (!*name)
			continue;
		snprintf(path, sizeof(path), "/lib/modules/%s", name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST))
			msg("cannot load the module %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	fclose(order);
}

/* ---- runs ------------------------------------------------------------ */

struct run {
	char *name, *dir;
	unsigned timeout_s;
	bool to_log;
	char *argv[MAX_ARGS + 1];
	int argc;
	char *envp[MAX_ENVS + 3];
	int envc;
	char *collect[MAX_COLLECT];
	int ncollect;
};

static void run_clear(struct run *r)
{
	int i;

	free(r->name);
	free(r->dir);
	for (i = 0; i < r->argc; i++)
		free(r->argv[i]);
	for (i = 0; i < r->envc; i++)
		free(r->envp[i]);
	for (i = 0; i < r->ncollect; i++)
		free(r->collect[i]);
	memset(r, 0, sizeof(*r));
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

/* Copy file `from` into directory `dir` under its base name. */
static void collect_file(const char *from, const char *dir)
{
	char to[PATH_MAX], buf[65536];
	const char *base = strrchr(from, '/');
	ssize_t got;
	int in, out;

	snprintf(to, sizeof(to), "%s/%s", dir, base ? base + 1 : from);
	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		msg("%s was not there to bring back (--collect): %s", from, strerror(errno));
		return;
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	while (out >= 0 && (got = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)got) != got)
			break;
	if (out < 0)
		msg("cannot write %s: %s", to, strerror(errno));
	else
		close(out);
	close(in);
}

/*
 * Run one run and wait for it, at most its time limit. Writes how it
 * ended, for its KIT-RUN-END line, into `status`.
 */
static void run_one(struct run *r, char *status, size_t size)
{
	int report[2], err = 0, wstatus = 0;
	pid_t child, pid;
	bool timed_out = false;
	char log[PATH_MAX];

	if (r->argc == 0) {
		snprintf(status, size, "not-started NO-PROGRAM");
		return;
	}
	r->argv[r->argc] = NULL;
	r->envp[r->envc] = NULL;
	/* The child tells the parent why execve failed through this pipe; it
	 * closes by itself (O_CLOEXEC) when execve succeeds. */
	if (pipe2(report, O_CLOEXEC) < 0) {
		err = errno;
		msg("cannot create a pipe: %s", strerror(err));
		snprintf(status, size, "not-started %s", strerrorname_np(err));
		return;
	}
	snprintf(log, sizeof(log), "%s/output.txt", r->dir);
	fflush(stdout);
	child = fork();
	if (child < 0) {
		err = errno;
		msg("cannot fork: %s", strerror(err));
		snprintf(status, size, "not-started %s", strerrorname_np(err));
		close(report[0]);
		close(report[1]);
		return;
	}
	if (child == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		if (r->to_log) {
			int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			if (fd >= 0) {
				dup2(fd, STDOUT_FILENO);
				dup2(fd, STDERR_FILENO);
			}
		}
		/* The child gets the default signal handling, not on_alarm. */
		signal(SIGALRM, SIG_DFL);
		if (chdir(r->dir) < 0)
			_exit(127);
		execve(r->argv[0], r->argv, r->envp);
		err = errno;
		if (write(report[1], &err, sizeof(err)) != (ssize_t)sizeof(err))
			_exit(127);
		_exit(127);
	}
	close(report[1]);
	if (read(report[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		struct stat st;

		msg("cannot start %s: %s; %s", r->argv[0], strerror(err),
		    exec_hint(r->argv[0], err));
		waitpid(child, NULL, 0);
		/* ENOENT for a file that exists means its interpreter is missing. */
		snprintf(status, size, "not-started %s",
			 err == ENOENT && stat(r->argv[0], &st) == 0 ? "NO-INTERPRETER"
								     : strerrorname_np(err));
		close(report[0]);
		return;
	}
	close(report[0]);

	alarm_fired = 0;
	if (r->timeout_s) {
		struct sigaction sa = { .sa_handler = on_alarm };

		/* No SA_RESTART: waitpid() returns EINTR when the time is up. */
		sigaction(SIGALRM, &sa, NULL);
		alarm(r->timeout_s);
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
	/* Whatever the program left running must not go on into the next run. */
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	if (timed_out)
		snprintf(status, size, "timeout %u", r->timeout_s);
	else if (WIFSIGNALED(wstatus))
		snprintf(status, size, "signal %d SIG%s", WTERMSIG(wstatus),
			 sigabbrev_np(WTERMSIG(wstatus)) ? sigabbrev_np(WTERMSIG(wstatus))
							 : "?");
	else
		snprintf(status, size, "exit %d", WEXITSTATUS(wstatus));
}

/* The value after "keyword " on a line of RUNS_FILE, or NULL. */
static const char *value_of(const char *line, const char *keyword)
{
	size_t n = strlen(keyword);

	return strncmp(line, keyword, n) == 0 && line[n] == ' ' ? line + n + 1 : NULL;
}

static void run_all(void)
{
	static struct run r;
	char *line = NULL, status[128];
	size_t cap = 0;
	ssize_t len;
	const char *v;
	FILE *runs = fopen(RUNS_FILE, "r");

	if (!runs) {
		msg("no %s: nothing to run (run.sh writes it; see common/emu/README.md)",
		    RUNS_FILE);
		return;
	}
	while ((len = getline(&line, &cap, runs)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if ((v = value_of(line, "run"))) {
			run_clear(&r);
			r.name = strdup(v);
			r.dir = strdup(OUT_DIR);
		} else if ((v = value_of(line, "dir"))) {
			free(r.dir);
			r.dir = strdup(v);
		} else if ((v = value_of(line, "timeout"))) {
			r.timeout_s = (unsigned)strtoul(v, NULL, 10);
		} else if ((v = value_of(line, "output"))) {
			r.to_log = strcmp(v, "log") == 0;
		} else if ((v = value_of(line, "env")) && r.envc < MAX_ENVS) {
			r.envp[r.envc++] = strdup(v);
		} else if ((v = value_of(line, "arg")) && r.argc < MAX_ARGS) {
			r.argv[r.argc++] = strdup(v);
		} else if ((v = value_of(line, "collect")) && r.ncollect < MAX_COLLECT) {
			r.collect[r.ncollect++] = strdup(v);
		} else if (strcmp(line, "end") == 0 && r.name) {
			char kit_out[PATH_MAX + 8];
			int i;

			mkdir(r.dir, 0755);
			snprintf(kit_out, sizeof(kit_out), "KIT_OUT=%s", r.dir);
			r.envp[r.envc++] = strdup(kit_out);
			r.envp[r.envc++] = strdup("PATH=/bin");
			printf("KIT-RUN-START %s\n", r.name);
			run_one(&r, status, sizeof(status));
			for (i = 0; i < r.ncollect; i++)
				collect_file(r.collect[i], r.dir);
			printf("KIT-RUN-END %s %s\n", r.name, status);
			fflush(stdout);
			run_clear(&r);
		} else if (*line) {
			msg("%s: a line this init does not know: %s", RUNS_FILE, line);
		}
	}
	free(line);
	fclose(runs);
	run_clear(&r);
}

/* ---- the files, back to the host ------------------------------------- */

/* The device of the virtio-serial port called `name`, e.g. /dev/vport0p1. */
static bool find_port(const char *name, char *dev, size_t size)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		char path[PATH_MAX], have[64] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(have, sizeof(have), f))
			have[strcspn(have, "\n")] = '\0';
		if (strcmp(have, name) == 0) {
			snprintf(dev, size, "/dev/%s", e->d_name);
			found = true;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

/* busybox tar writes the archive into a pipe; init counts the bytes on
 * their way to the port, so the host can tell a whole archive from a
 * truncated one. */
static void send_files(void)
{
	char dev[PATH_MAX], buf[65536];
	long long sent = 0;
	int pipefd[2], port, wstatus = 0;
	ssize_t got;
	pid_t tar;

	if (!find_port(FILES_PORT_NAME, dev, sizeof(dev))) {
		printf("KIT-FILES-NONE no virtio-serial port named %s\n", FILES_PORT_NAME);
		return;
	}
	port = open(dev, O_WRONLY | O_CLOEXEC);
	if (port < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		printf("KIT-FILES-NONE cannot open %s: %s\n", dev, strerror(errno));
		return;
	}
	fflush(stdout);
	tar = fork();
	if (tar == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execl(BUSYBOX, "tar", "-c", "-f", "-", "-C", OUT_DIR, ".", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((got = read(pipefd[0], buf, sizeof(buf))) > 0) {
		/* A port takes at most what its buffers hold at a time. */
		ssize_t done = 0, n;

		while (done < got && (n = write(port, buf + done, (size_t)(got - done))) > 0)
			done += n;
		sent += done;
		if (done < got) {
			msg("writing to %s: %s", dev, strerror(errno));
			break;
		}
	}
	close(pipefd[0]);
	waitpid(tar, &wstatus, 0);
	close(port);
	if (tar < 0 || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
		printf("KIT-FILES-NONE busybox tar failed (status 0x%x)\n", wstatus);
	else
		printf("KIT-FILES-SENT bytes=%lld\n", sent);
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
	 * kernel would panic), and run.sh has seen KIT-DONE anyway. */
	msg("cannot power off: %s", strerror(errno));
	for (;;)
		pause();
}

int main(void)
{
	/* Line-buffered, so that our lines and the programs' come in order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("devtmpfs", "/dev");
	mkdir("/tmp", 01777);
	mkdir(OUT_DIR, 0755);
	console_raw_output();
	load_modules();
	print_start_marker();
	run_all();
	send_files();
	printf("KIT-DONE\n");
	power_off();
	return 0;
}
