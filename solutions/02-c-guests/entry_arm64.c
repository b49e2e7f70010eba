/* SPDX-License-Identifier: MIT */
/*
 * entry_arm64.c - lesson 02, section 6 on arm64: where the guest starts.
 *
 * The core's vcpu_create() has already initialised the vCPU
 * (KVM_ARM_VCPU_INIT): EL1h, interrupts masked, MMU off. What is left is
 * the entry state of the kit's boot protocol: PC at the ELF entry, the
 * stack pointer, and X0 telling the guest how much RAM it has (Linux's
 * arm64 boot protocol passes a device-tree address in X0 the same way).
 */
#include "c_guests.h"
#include "layout.h"
#include "arch/arm64.h"

int lm_set_entry(struct vcpu *cpu, uint64_t entry, uint64_t stack_top)
{
	int ret;

	/* At EL1h the stack pointer in use is SP_EL1, not SP (SP_EL0). */
	if ((ret = arm64_set_reg(cpu, ARM64_REG_PC, entry)) < 0 ||
	    (ret = arm64_set_reg(cpu, ARM64_REG_SP_EL1, stack_top)) < 0 ||
	    (ret = arm64_set_reg(cpu, ARM64_REG_X(0), LM_RAM_SIZE)) < 0 ||
	    (ret = arm64_set_reg(cpu, ARM64_REG_PSTATE,
				 ARM64_PSTATE_EL1H | ARM64_PSTATE_DAIF)) < 0)
		return ret;
	return 0;
}
