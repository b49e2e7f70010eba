/* SPDX-License-Identifier: MIT */
/*
 * regs_x86_64.c - lesson 03, sections 3 and 6: arguments in, result out.
 *
 * The ABI (common/abi/hypercall_abi.h): number in RAX, arguments in RBX,
 * RCX, RDX, RSI, RDI, result in RAX. Nothing here looks at RIP: at an I/O
 * exit some KVMs have already moved it past the `out` and others have
 * not, and KVM finishes the instruction itself on the next KVM_RUN.
 */
#include <sys/ioctl.h>

#include "hypercalls.h"

int hc_read_call(struct vcpu *cpu, struct hc_host *host, struct hc_call *call)
{
	struct kvm_regs fetched;
	const struct kvm_regs *regs = &fetched;

	if (host->sync_regs)
		regs = &cpu->run->s.regs.regs; /* KVM filled it at this exit */
	else if (ioctl(cpu->fd, KVM_GET_REGS, &fetched) < 0)
		return kit_syscall_error("KVM_GET_REGS", "reading a hypercall's arguments");

	call->nr = regs->rax;
	call->args[0] = regs->rbx;
	call->args[1] = regs->rcx;
	call->args[2] = regs->rdx;
	call->args[3] = regs->rsi;
	call->args[4] = regs->rdi;
	return 0;
}

int hc_set_result(struct vcpu *cpu, struct hc_host *host, int64_t result)
{
	struct kvm_regs regs;

	if (host->sync_regs) {
		/* Change the synced copy and mark it dirty: KVM loads it
		 * into the vCPU before the next entry. */
		cpu->run->s.regs.regs.rax = (uint64_t)result;
		cpu->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
		return 0;
	}
	/* Without SYNC_REGS: read all, change RAX, write all back. */
	if (ioctl(cpu->fd, KVM_GET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_GET_REGS", NULL);
	regs.rax = (uint64_t)result;
	if (ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_SET_REGS", "returning a hypercall's result");
	return 0;
}
