/* SPDX-License-Identifier: MIT */
/*
 * regs_x86_64.c - lesson 01, section 7: the x86 vCPU's state at entry.
 *
 * A new x86 vCPU starts as a real CPU does after reset: 16-bit real mode,
 * CS selector 0xf000 with base 0xffff0000, IP 0xfff0 (the reset vector,
 * just under 4 GiB). Our guest is at GUEST_LOAD_GPA instead, so point
 * CS:IP there: in real mode an address is CS.base + IP.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "first_run.h"
#include "arch/x86_64.h"

int first_set_registers(struct vcpu *cpu, uint64_t entry)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	/* Read, change what we need, write back: keep the rest as KVM set it. */
	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_GET_SREGS", NULL);
	/* KVM uses the base, not the selector: set both, to agree. */
	sregs.cs.selector = 0;
	sregs.cs.base = 0;
	if (ioctl(cpu->fd, KVM_SET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_SET_SREGS", NULL);

	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rflags = X86_RFLAGS_RESERVED1; /* bit 1 always reads as 1 */
	if (ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_SET_REGS", NULL);
	return 0;
}
