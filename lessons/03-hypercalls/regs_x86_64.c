/* SPDX-License-Identifier: MIT */
/*
 * regs_x86_64.c - lesson 03, sections 3 and 6: arguments in, result out.
 *
 * This is your file. The ABI (common/abi/hypercall_abi.h): number in RAX,
 * arguments in RBX, RCX, RDX, RSI, RDI, result in RAX.
 */
#include <sys/ioctl.h>

#include "hypercalls.h"

#define LESSON "03-hypercalls"

int hc_read_call(struct vcpu *cpu, struct hc_host *host, struct hc_call *call)
{
	/*
	 * TODO: the registers are in cpu->run->s.regs.regs when
	 * host->sync_regs is set (KVM filled them at this exit); otherwise
	 * KVM_GET_REGS. Then call->nr = rax, call->args[] = rbx, rcx, rdx,
	 * rsi, rdi. Do not look at RIP.
	 */
	(void)cpu;
	(void)host;
	(void)call;
	return kit_todo(LESSON, "3. Reading the arguments", "hc_read_call()");
}

int hc_set_result(struct vcpu *cpu, struct hc_host *host, int64_t result)
{
	/*
	 * TODO: with host->sync_regs: RAX in cpu->run->s.regs.regs, and
	 * KVM_SYNC_X86_REGS in cpu->run->kvm_dirty_regs; otherwise
	 * KVM_GET_REGS, change RAX, KVM_SET_REGS.
	 */
	(void)cpu;
	(void)host;
	(void)result;
	return kit_todo(LESSON, "6. Returning the result", "hc_set_result()");
}
