/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden_x86_64.c - what lesson 02's hidden check reads of an x86
 * vCPU (entry.h; instructors only, see hidden/README.md).
 */
#include <sys/ioctl.h>

#include "checks_arch.h"
#include "arch/x86_64.h"
#include "entry.h"

const char entry_pc_name[] = "RIP", entry_sp_name[] = "RSP";

static struct kvm_regs regs_of(struct vcpu *cpu)
{
	struct kvm_regs r;

	ASSERT(ioctl(cpu->fd, KVM_GET_REGS, &r) == 0, "KVM_GET_REGS failed");
	return r;
}

void entry_regs(struct vcpu *cpu, uint64_t *pc, uint64_t *sp)
{
	struct kvm_regs r = regs_of(cpu);

	*pc = r.rip;
	*sp = r.rsp;
}

void entry_expect_rest(struct vcpu *cpu)
{
	EXPECT_EQ_U64("RFLAGS", regs_of(cpu).rflags, X86_RFLAGS_RESERVED1);
}
