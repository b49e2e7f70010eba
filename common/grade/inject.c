/* SPDX-License-Identifier: MIT */
/*
 * inject.c - fault injection for graded checks.
 *
 * Grading programs are linked with -Wl,--wrap=ioctl (and sysconf,
 * getpagesize): every ioctl() call in the code under test reaches
 * __wrap_ioctl() below, which passes it to the real one unless a check has
 * asked for a fault. This is how a check can show that code handles an
 * error the kernel on this machine would never return (an API version
 * other than 12, KVM_RUN failing) or a host it is not running on (16 KiB
 * pages, like a Raspberry Pi 5). Nothing is changed unless a check asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "grade.h"

#include <signal.h>

#include "../kit.h"

int __real_ioctl(int fd, unsigned long request, ...);
int __real_open(const char *path, int flags, ...);
int __real_watchdog_arm(struct kvm_run *run, unsigned timeout_ms);
long __real_sysconf(int name);
int __real_getpagesize(void);
int __real_clock_gettime(clockid_t clock, struct timespec *ts);

#define MAX_FAULTS 8
#define MAX_COUNTED 16

struct fault {
	unsigned long request;
	unsigned count;
	unsigned skip; /* calls that pass through before the first fails */
	int err;       /* errno to fail with, or 0 */
	int value;     /* value to return when err == 0 */
};

static struct {
	struct fault faults[MAX_FAULTS];
	struct { unsigned long request; unsigned calls; unsigned long last_arg; } counted[MAX_COUNTED];
	int open_err;
	unsigned open_count;
	int watchdog_err;
	long page_size;
	struct kvm_run *fake_run;
	void (*fake_fill)(struct kvm_run *run);
	int signal_before_run;
	unsigned watchdog_arms;
	struct kvm_run *watchdog_run;
	unsigned watchdog_ms;
	bool have_region;
	struct kvm_userspace_memory_region region;
	bool have_ioeventfd;
	struct kvm_ioeventfd ioeventfd;
	const uint64_t *clock_ns;  /* a script of CLOCK_MONOTONIC readings */
	unsigned clock_count, clock_reads;
} inj;

void inject_reset(void)
{
	memset(&inj, 0, sizeof(inj));
}

static void add_fault(unsigned long request, unsigned skip, int err, int value, unsigned count)
{
	unsigned i;

	for (i = 0; i < MAX_FAULTS; i++) {
		if (inj.faults[i].count == 0) {
			inj.faults[i] = (struct fault){ request, count, skip, err, value };
			return;
		}
	}
}

void inject_ioctl_error(unsigned long request, int err, unsigned count)
{
	add_fault(request, 0, err, 0, count);
}

void inject_ioctl_error_after(unsigned long request, unsigned pass, int err)
{
	add_fault(request, pass, err, 0, 1);
}

void inject_ioctl_value(unsigned long request, int value, unsigned count)
{
	add_fault(request, 0, 0, value, count);
}

void inject_ioctl_value_after(unsigned long request, unsigned pass, int value)
{
	add_fault(request, pass, 0, value, 1);
}

void inject_open_error(int err, unsigned count)
{
	inj.open_err = err;
	inj.open_count = count;
}

void inject_watchdog_arm_error(int err)
{
	inj.watchdog_err = err;
}

void inject_page_size(long size)
{
	inj.page_size = size;
}

void inject_fake_exit(struct kvm_run *run, void (*fill)(struct kvm_run *run))
{
	inj.fake_run = run;
	inj.fake_fill = fill;
}

void inject_signal_before_run(int sig)
{
	inj.signal_before_run = sig;
}

unsigned inject_watchdog_arms(struct kvm_run **run, unsigned *timeout_ms)
{
	if (run)
		*run = inj.watchdog_run;
	if (timeout_ms)
		*timeout_ms = inj.watchdog_ms;
	return inj.watchdog_arms;
}

int __wrap_watchdog_arm(struct kvm_run *run, unsigned timeout_ms)
{
	if (inj.watchdog_err) {
		int err = inj.watchdog_err;

		inj.watchdog_err = 0;
		return kit_errno_error(err, "timer_settime", "(a failure made up by the check)");
	}
	inj.watchdog_arms++;
	inj.watchdog_run = run;
	inj.watchdog_ms = timeout_ms;
	return __real_watchdog_arm(run, timeout_ms);
}

unsigned inject_ioctl_calls(unsigned long request)
{
	unsigned i;

	for (i = 0; i < MAX_COUNTED; i++)
		if (inj.counted[i].request == request)
			return inj.counted[i].calls;
	return 0;
}

unsigned long inject_last_ioctl_arg(unsigned long request)
{
	unsigned i;

	for (i = 0; i < MAX_COUNTED; i++)
		if (inj.counted[i].request == request)
			return inj.counted[i].last_arg;
	return 0;
}

bool inject_last_memory_region(struct kvm_userspace_memory_region *out)
{
	if (inj.have_region)
		*out = inj.region;
	return inj.have_region;
}

static void count_call(unsigned long request, unsigned long arg)
{
	unsigned i;

	for (i = 0; i < MAX_COUNTED; i++) {
		if (inj.counted[i].request == request || inj.counted[i].request == 0) {
			inj.counted[i].request = request;
			inj.counted[i].calls++;
			inj.counted[i].last_arg = arg;
			return;
		}
	}
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	unsigned i;
	void *arg;
	va_list ap;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	count_call(request, (unsigned long)arg);
	if (request == KVM_IOEVENTFD && arg) {
		memcpy(&inj.ioeventfd, arg, sizeof(inj.ioeventfd));
		inj.have_ioeventfd = true;
	}
	for (i = 0; i < MAX_FAULTS; i++) {
		struct fault *f = &inj.faults[i];

		if (f->count == 0 || f->request != request)
			continue;
		if (f->skip) {
			f->skip--;
			break;
		}
		f->count--;
		if (f->err) {
			errno = f->err;
			return -1;
		}
		return f->value;
	}

	if (request == KVM_RUN && inj.fake_fill) {
		void (*fill)(struct kvm_run *) = inj.fake_fill;

		inj.fake_fill = NULL;
		fill(inj.fake_run);
		return 0;
	}
	if (request == KVM_RUN && inj.signal_before_run) {
		int sig = inj.signal_before_run;

		inj.signal_before_run = 0;
		raise(sig); /* its handler runs now, before KVM_RUN below */
	}

	ret = __real_ioctl(fd, request, arg);
	if (ret == 0 && request == KVM_SET_USER_MEMORY_REGION && arg) {
		memcpy(&inj.region, arg, sizeof(inj.region));
		inj.have_region = true;
	}
	return ret;
}

/* open() as the code under test calls it (not the C library's own). */
int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (inj.open_count) {
		inj.open_count--;
		errno = inj.open_err;
		return -1;
	}
	va_start(ap, flags);
	if (flags & O_CREAT)
		mode = (mode_t)va_arg(ap, int);
	va_end(ap);
	return __real_open(path, flags, mode);
}

long __wrap_sysconf(int name)
{
	if (name == _SC_PAGESIZE && inj.page_size < 0) {
		errno = EINVAL;
		return -1;
	}
	if (name == _SC_PAGESIZE && inj.page_size)
		return inj.page_size;
	return __real_sysconf(name);
}

int __wrap_getpagesize(void)
{
	if (inj.page_size)
		return (int)inj.page_size;
	return __real_getpagesize();
}

bool inject_last_ioeventfd(struct kvm_ioeventfd *out)
{
	if (inj.have_ioeventfd)
		*out = inj.ioeventfd;
	return inj.have_ioeventfd;
}

void inject_clock(const uint64_t *ns, unsigned count)
{
	inj.clock_ns = ns;
	inj.clock_count = count;
	inj.clock_reads = 0;
}

unsigned inject_clock_reads(void)
{
	return inj.clock_reads;
}

int __wrap_clock_gettime(clockid_t clock, struct timespec *ts)
{
	uint64_t ns;

	if (!inj.clock_ns || clock != CLOCK_MONOTONIC)
		return __real_clock_gettime(clock, ts);
	/* Past the end of the script, the last reading again. */
	ns = inj.clock_ns[inj.clock_reads < inj.clock_count ? inj.clock_reads : inj.clock_count - 1];
	inj.clock_reads++;
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}
