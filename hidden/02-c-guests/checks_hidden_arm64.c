/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden_arm64.c - what lesson 02's hidden check reads of an arm64
 * vCPU (entry.h; instructors only, see hidden/README.md).
 */
#include "checks_arch.h"
#include "layout.h"
#include "arch/arm64.h"
#include "entry.h"

const char entry_pc_name[] = "PC", entry_sp_name[] = "SP_EL1";

static uint64_t reg(struct vcpu *cpu, uint64_t id)
{
	uint64_t value = 0;

	ASSERT(arm64_get_reg(cpu, id, &value) == 0, "%s", kit_last_error());
	return value;
}

void entry_regs(struct vcpu *cpu, uint64_t *pc, uint64_t *sp)
{
	*pc = reg(cpu, ARM64_REG_PC);
	*sp = reg(cpu, ARM64_REG_SP_EL1);
}

void entry_expect_rest(struct vcpu *cpu)
{
	EXPECT_EQ_U64("X0 (the size of RAM, whatever the stack)", reg(cpu, ARM64_REG_X(0)),
		      LM_RAM_SIZE);
}
