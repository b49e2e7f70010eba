/* SPDX-License-Identifier: MIT */
/*
 * watchdog.c - a guest that never exits must not hang the host.
 *
 * KVM_RUN returns to userspace only when the guest does something KVM
 * cannot finish by itself, or when a signal is pending for the thread.
 * A guest stuck in `jmp .` (or, on some machines, in a `vmcall` that the
 * kernel keeps retrying) therefore blocks KVM_RUN forever. The watchdog
 * is a per-thread POSIX timer that sends SIGALRM to the vCPU thread; its
 * handler sets kvm_run->immediate_exit so that the KVM_RUN in progress
 * returns -1/EINTR, and any later KVM_RUN returns at once instead of
 * re-entering the guest (api.rst, "immediate_exit"). Setting the flag from
 * the handler closes the race where the signal lands just before KVM_RUN.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "kit.h"

#ifndef sigev_notify_thread_id /* glibc < 2.35 has no name for it */
#define sigev_notify_thread_id _sigev_un._tid
#endif

struct watchdog {
	bool created;
	bool armed;
	timer_t timer;
	struct kvm_run *volatile run;
	volatile sig_atomic_t fired;
};

/* Per thread: the signal is aimed at the thread that armed the timer. */
static _Thread_local struct watchdog wd;

static void watchdog_signal(int sig)
{
	struct kvm_run *run = wd.run;

	(void)sig;
	wd.fired = 1;
	if (run)
		run->immediate_exit = 1;
}

/*
 * A timer belongs to the process that made it: a fork()ed child inherits
 * this thread's bookkeeping but not the timer. Forget it in the child, so
 * its first watchdog_arm() makes a timer of its own. (Checked here, once
 * per fork, rather than on every vcpu_run().)
 */
static void forget_after_fork(void)
{
	memset(&wd, 0, sizeof(wd));
}

static int install_handler(void)
{
	static volatile sig_atomic_t installed;
	struct sigaction sa;

	if (installed)
		return 0;
	pthread_atfork(NULL, NULL, forget_after_fork);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watchdog_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the point is to make KVM_RUN return EINTR. */
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return kit_syscall_error("sigaction(SIGALRM)", NULL);
	installed = 1;
	return 0;
}

int watchdog_arm(struct kvm_run *run, unsigned timeout_ms)
{
	struct itimerspec its;
	struct sigevent sev;
	sigset_t alrm;
	int ret;

	ret = install_handler();
	if (ret < 0)
		return ret;

	/* A caller may have blocked SIGALRM; the watchdog needs it delivered. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);

	if (!wd.created) {
		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = SIGEV_THREAD_ID;
		sev.sigev_signo = SIGALRM;
		sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
		if (timer_create(CLOCK_MONOTONIC, &sev, &wd.timer) < 0)
			return kit_syscall_error("timer_create", "the watchdog needs a POSIX timer");
		wd.created = true;
	}

	/* Stop the old deadline before clearing its traces, so it cannot
	 * fire in between and end the new run at once. */
	watchdog_disarm();
	wd.fired = 0;
	wd.run = run;
	if (run)
		run->immediate_exit = 0;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = timeout_ms / 1000;
	its.it_value.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
	if (timeout_ms == 0)
		its.it_value.tv_nsec = 1; /* zero would disarm; fire at once */
	if (timer_settime(wd.timer, 0, &its, NULL) < 0)
		return kit_syscall_error("timer_settime", NULL);
	wd.armed = true;
	return 0;
}

void watchdog_disarm(void)
{
	struct itimerspec off;
	struct kvm_run *run = wd.run;

	if (!wd.created)
		return;
	memset(&off, 0, sizeof(off));
	timer_settime(wd.timer, 0, &off, NULL);
	wd.armed = false;
	wd.run = NULL;
	/* The timer is stopped now; a late fire must not stop the next run. */
	if (run)
		run->immediate_exit = 0;
}

bool watchdog_fired(void)
{
	return wd.fired != 0;
}

bool watchdog_armed(void)
{
	return wd.armed;
}
