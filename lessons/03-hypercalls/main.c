/* SPDX-License-Identifier: MIT */
/*
 * main.c - lesson 03's program (given): a guest that makes every kind of
 * hypercall, each shown with its arguments; then the `vmcall` experiment.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "c_guests.h"
#include "hypercalls.h"
#include "guest_image.h"

GUEST_IMAGE_DECLARE(hypercalls);
GUEST_IMAGE_DECLARE(vmcall);

static int run(const struct guest_image *image, unsigned timeout_ms)
{
	struct vm vm;
	struct vcpu cpu;
	struct hc_host host;
	struct run_loop loop = { .console = stdout, .timeout_ms = timeout_ms,
				 .on_exit = hc_on_exit, .ctx = &host };
	int ret;

	printf("--- guest %s ---\n", image->name);
	ret = lm_boot(&vm, &cpu, image->bytes, image->size);
	if (ret < 0) {
		printf("booting it failed: %s\n", kit_last_error());
		return ret;
	}
	hc_host_init(&host, &vm, stdout);
	host.trace = stdout;
	printf("(registers through %s)\n", hc_use_sync_regs(&host, &cpu, true) ?
	       "KVM_CAP_SYNC_REGS" : "KVM_GET_REGS / KVM_SET_REGS");
	fflush(stdout);
	ret = vcpu_run_loop(&cpu, &loop);
	if (ret == 0 && host.exited)
		printf("[ok] the guest exited with code %lld after %u hypercalls\n",
		       (long long)host.exit_code, host.ncalls);
	else if (ret == 0)
		printf("[ok] the guest halted after %u hypercalls\n", host.ncalls);
	else
		printf("[%s] %s\n", strncmp(kit_last_error(), "TODO:", 5) == 0 ? "TODO" :
		       ret == -ETIMEDOUT ? "TIMEOUT" : "FAIL", kit_last_error());
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	return ret;
}

int main(void)
{
	struct guest_image hypercalls = GUEST_IMAGE(hypercalls);
	struct guest_image vmcall = GUEST_IMAGE(vmcall);
	int ret;

	printf("lesson 03: multi-argument hypercalls (%s)\n", arch_name);
	ret = run(&hypercalls, 5000);
	if (ret < 0)
		return 1;

	printf("\nNow a guest that uses `vmcall` with 4 arguments instead of a port.\n"
	       "KVM keeps vmcall to itself: an Intel/AMD machine answers -1000\n"
	       "(-KVM_ENOSYS) in RAX without ever exiting to us; some KVM back ends\n"
	       "never return from KVM_RUN at all, and the watchdog has to stop it.\n");
	ret = run(&vmcall, 2000);
	if (ret == -ETIMEDOUT)
		printf("=> here, KVM_RUN did not come back from the vmcall: stopped by the "
		       "watchdog after 2 s.\n");
	else if (ret == 0)
		printf("=> here, KVM answered the vmcall itself (see the value above); "
		       "userspace never saw it.\n");
	return 0;
}
