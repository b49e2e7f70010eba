/* SPDX-License-Identifier: MIT */
/* host_x86_64.c - lesson 03 (given): the x86 hypercall transport. */
#include "hypercalls.h"

bool hc_is_hypercall_exit(const struct vcpu *cpu)
{
	const struct kvm_run *run = cpu->run;

	/* `out %al, $KIT_HC_PORT`: only the port matters; the byte in AL is
	 * the low byte of the call number, and RAX has all of it. */
	return run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
	       run->io.port == KIT_HC_PORT;
}

bool hc_fast_transport(struct hc_host *host, struct vcpu *cpu, bool want)
{
	return hc_use_sync_regs(host, cpu, want);
}
