/* SPDX-License-Identifier: MIT */
/*
 * entry_arm64.c - lesson 02, section 6 on arm64: where the guest starts.
 *
 * This is your file on arm64. The core's vcpu_create() has initialised
 * the vCPU already (KVM_ARM_VCPU_INIT). Register ids and
 * arm64_set_reg(): common/arch/arm64.h.
 */
#include "c_guests.h"
#include "layout.h"
#include "arch/arm64.h"

#define LESSON "02-c-guests"

int lm_set_entry(struct vcpu *cpu, uint64_t entry, uint64_t stack_top)
{
	/*
	 * TODO: with KVM_SET_ONE_REG (arm64_set_reg()):
	 *  - PC = entry;
	 *  - SP_EL1 = stack_top (at EL1h that is the stack in use, not SP_EL0);
	 *  - X0 = LM_RAM_SIZE (how the guest learns its RAM size);
	 *  - PSTATE = EL1h with D, A, I, F masked.
	 */
	(void)cpu;
	(void)entry;
	(void)stack_top;
	return kit_todo(LESSON, "6. The entry state", "lm_set_entry()");
}
