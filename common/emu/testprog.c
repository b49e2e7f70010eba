/* SPDX-License-Identifier: MIT */
/*
 * testprog.c - a program that misbehaves on request, for selftest.sh: each
 * way a program can end inside the emulated machine, so that the test can
 * check that run.sh reports it.
 *
 *   testprog exit N          exit with status N
 *   testprog args ARG...     print each argument as <ARG>, one a line
 *   testprog env NAME...     print NAME=VALUE for each variable, then the
 *                            working directory
 *   testprog nonl            print a line with no newline at the end
 *   testprog copy FROM TO    copy a file (a file given with --file, to a
 *                            file that comes back to the host)
 *   testprog segv            die of SIGSEGV
 *   testprog sleep           sleep until killed (a time limit stops it)
 *   testprog panic           make the kernel panic (sysrq "c": crash)
 *   testprog freeze [once]   stop the machine answering: freeze /init (a
 *                            cgroup's freezer), so that nothing more comes
 *                            (with "once": only on the machine's first
 *                            boot, kit.boot=1 on the kernel's command line)
 *
 * Build: aarch64-linux-gnu-gcc -static -O2 -o testprog testprog.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy(const char *from, const char *to)
{
	char buf[4096];
	size_t n;
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");

	if (!in || !out) {
		perror(in ? to : from);
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return fclose(out) == 0 ? 0 : 1;
}

/* Is this the machine's first boot? run.sh says which it is on the kernel's
 * command line: kit.boot=N. */
static int first_boot(void)
{
	char cmdline[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(cmdline, sizeof(cmdline), f)) {
		perror("/proc/cmdline");
		return 1;
	}
	fclose(f);
	return strstr(cmdline, "kit.boot=1") != NULL;
}

/* write_file PATH TEXT: 0, or -1 with the reason printed. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ok;

	ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	if (!ok)
		perror(path);
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* /init (process 1) moved into a cgroup of its own, and the cgroup frozen
 * (cgroup v2's freezer): the program's time limit, its end and the files
 * never come, and the console falls silent, as when the machine hangs. */
static int freeze(void)
{
	mkdir("/sys/fs/cgroup", 0755);
	if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0 && errno != EBUSY) {
		perror("mount cgroup2 on /sys/fs/cgroup");
		return 1;
	}
	if ((mkdir("/sys/fs/cgroup/frozen", 0755) < 0 && errno != EEXIST) ||
	    write_file("/sys/fs/cgroup/frozen/cgroup.procs", "1") < 0 ||
	    write_file("/sys/fs/cgroup/frozen/cgroup.freeze", "1") < 0) {
		perror("/sys/fs/cgroup/frozen");
		return 1;
	}
	puts("froze /init");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	int i;

	if (!strcmp(what, "exit") && argc == 3)
		return atoi(argv[2]);
	if (!strcmp(what, "args")) {
		for (i = 2; i < argc; i++)
			printf("<%s>\n", argv[i]);
		return 0;
	}
	if (!strcmp(what, "env")) {
		char cwd[256];

		for (i = 2; i < argc; i++)
			printf("%s=%s\n", argv[i], getenv(argv[i]) ? getenv(argv[i]) : "(unset)");
		printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
		return 0;
	}
	if (!strcmp(what, "nonl")) {
		printf("no newline at the end");
		return 0;
	}
	if (!strcmp(what, "copy") && argc == 4)
		return copy(argv[2], argv[3]);
	if (!strcmp(what, "segv")) {
		puts("about to dereference NULL");
		fflush(stdout);
		*(volatile int *)NULL = 1;
	}
	if (!strcmp(what, "sleep")) {
		puts("sleeping");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (!strcmp(what, "panic")) {
		int fd = open("/proc/sysrq-trigger", O_WRONLY);

		if (fd < 0 || write(fd, "c", 1) != 1)
			perror("/proc/sysrq-trigger");
		return 1;
	}
	if (!strcmp(what, "freeze")) {
		if (argc == 3 && !strcmp(argv[2], "once") && !first_boot()) {
			puts("not freezing: this is not the first boot");
			return 0;
		}
		return freeze();
	}
	fprintf(stderr, "usage: testprog exit N | args ... | env NAME... | nonl | "
			"copy FROM TO | segv | sleep | panic | freeze [once]\n");
	return 2;
}
