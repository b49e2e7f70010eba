/* SPDX-License-Identifier: MIT */
/* checks_x86_64.c - lesson 01's checks for x86_64 (given). */
#include <sys/ioctl.h>

#include "checks_arch.h"
#include "grade/grade.h"
#include "arch/x86_64.h"

void check_entry_state(struct vcpu *cpu, uint64_t entry)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	ASSERT(ioctl(cpu->fd, KVM_GET_SREGS, &sregs) == 0, "KVM_GET_SREGS failed");
	ASSERT(ioctl(cpu->fd, KVM_GET_REGS, &regs) == 0, "KVM_GET_REGS failed");
	EXPECT((sregs.cr0 & X86_CR0_PE) == 0,
	       "CR0.PE should stay 0 (real mode), CR0 is 0x%llx", sregs.cr0);
	EXPECT_EQ_U64("CS.base (real mode: address = CS.base + IP; the reset value "
		      "is 0xffff0000)", sregs.cs.base, 0);
	EXPECT_EQ_U64("CS.selector (must agree with the base: base = selector * 16)",
		      sregs.cs.selector, 0);
	EXPECT_EQ_U64("RIP", regs.rip, entry);
	EXPECT_EQ_U64("RFLAGS (bit 1 is always 1; no other flag set)", regs.rflags,
		      X86_RFLAGS_RESERVED1);
}

uint32_t arch_halt_exit_reason(void)
{
	return KVM_EXIT_HLT;
}

const char *arch_fault_exit_name(void)
{
	return "KVM_EXIT_SHUTDOWN";
}

const char *arch_other_output_exit_name(void)
{
	return "KVM_EXIT_IO";
}
