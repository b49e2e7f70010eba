/* SPDX-License-Identifier: MIT */
/*
 * crash_x86_64.c - lesson 02, section 8: when a guest crashes, collect the
 * facts: the exit, the registers, the address it faulted on, and the
 * bytes of the instruction at RIP.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "c_guests.h"

int lm_crash_report(struct vcpu *cpu, struct crash_report *r)
{
	const struct kvm_run *run = cpu->run;
	struct kvm_regs regs;
	const uint8_t *code;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->exit_reason = run->exit_reason;
	r->exit_name = kvm_exit_name(run->exit_reason);

	/* Registers come from the vCPU fd: never trust a struct you did not
	 * fill (the classic "all registers zero" comes from that too). */
	if (ioctl(cpu->fd, KVM_GET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_GET_REGS", NULL);
	r->pc = regs.rip;
	r->sp = regs.rsp;
	r->nregs = 16;
	r->regs[0] = regs.rax;  r->regs[1] = regs.rbx;  r->regs[2] = regs.rcx;
	r->regs[3] = regs.rdx;  r->regs[4] = regs.rsi;  r->regs[5] = regs.rdi;
	r->regs[6] = regs.rsp;  r->regs[7] = regs.rbp;  r->regs[8] = regs.r8;
	r->regs[9] = regs.r9;   r->regs[10] = regs.r10; r->regs[11] = regs.r11;
	r->regs[12] = regs.r12; r->regs[13] = regs.r13; r->regs[14] = regs.r14;
	r->regs[15] = regs.r15;

	/* An MMIO exit names the guest physical address that has no memory. */
	if (run->exit_reason == KVM_EXIT_MMIO) {
		r->has_fault_address = true;
		r->fault_address = run->mmio.phys_addr;
		r->fault_is_write = run->mmio.is_write;
	}

	/* The bytes at RIP: our guests are identity-mapped (or unpaged), so
	 * RIP is a guest physical address. Near the end of RAM, take what
	 * there is; outside RAM there is nothing to read. */
	for (n = CRASH_CODE_BYTES; n > 0; n--) {
		code = guest_ptr(cpu->vm, r->pc, n);
		if (code) {
			memcpy(r->code, code, n);
			r->code_len = n;
			break;
		}
	}
	return 0;
}
