/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden_arm64.c - lesson 02's hidden checks on arm64
 * (instructors only; see hidden/README.md).
 */
#include "c_guests.h"
#include "checks_arch.h"
#include "layout.h"
#include "arch/arm64.h"

static uint64_t reg(struct vcpu *cpu, uint64_t id)
{
	uint64_t value = 0;

	ASSERT(arm64_get_reg(cpu, id, &value) == 0, "%s", kit_last_error());
	return value;
}

/*
 * Section 6: lm_set_entry(cpu, entry, stack_top) sets PC and SP_EL1 from
 * its arguments. The lesson's checks and lm_boot() always pass
 * LM_STACK_TOP, so code that writes the constant passes them; a host with
 * a stack of its own for each vCPU would not. Two calls with two other
 * pairs: each must land, the second over the first. X0 stays the size of
 * RAM whatever the stack.
 */
static void test_entry_follows_arguments(void)
{
	static const struct { uint64_t entry, stack_top; } calls[] = {
		{ LM_IMAGE_GPA + 0x4c0, LM_STACK_TOP - 0x20000 },
		{ LM_IMAGE_GPA + 0x10, LM_RAM_GPA + 0x80000 },
	};
	struct vm vm;
	struct vcpu cpu;
	uint64_t pc, sp;
	unsigned i;
	int ret;

	new_vm(&vm);
	ASSERT(vcpu_create(&vm, &cpu, 0) == 0, "vcpu_create: %s", kit_last_error());
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		ret = lm_set_entry(&cpu, calls[i].entry, calls[i].stack_top);
		ASSERT(ret == 0, "lm_set_entry(cpu, 0x%llx, 0x%llx) returned %d: %s",
		       (unsigned long long)calls[i].entry, (unsigned long long)calls[i].stack_top,
		       ret, kit_last_error());
		pc = reg(&cpu, ARM64_REG_PC);
		sp = reg(&cpu, ARM64_REG_SP_EL1);
		EXPECT(pc == calls[i].entry,
		       "after lm_set_entry(cpu, 0x%llx, 0x%llx), PC is 0x%llx: it must be the "
		       "`entry` argument", (unsigned long long)calls[i].entry,
		       (unsigned long long)calls[i].stack_top, (unsigned long long)pc);
		EXPECT(sp == calls[i].stack_top,
		       "after lm_set_entry(cpu, 0x%llx, 0x%llx), SP_EL1 is 0x%llx: it must be the "
		       "`stack_top` argument, not LM_STACK_TOP", (unsigned long long)calls[i].entry,
		       (unsigned long long)calls[i].stack_top, (unsigned long long)sp);
		EXPECT_EQ_U64("X0 (the size of RAM, whatever the stack)", reg(&cpu, ARM64_REG_X(0)),
			      LM_RAM_SIZE);
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

const struct grade_test hidden_arch_tests[] = {
	{ "entry_follows_arguments", "PC and SP_EL1 come from lm_set_entry()'s arguments, any of them",
	  1, GRADE_NEEDS_KVM, test_entry_follows_arguments,
	  "Section 6: PC = entry and SP_EL1 = stack_top, the arguments, not LM_IMAGE_GPA or "
	  "LM_STACK_TOP (another caller passes another stack)." },
};

const size_t hidden_arch_ntests = sizeof(hidden_arch_tests) / sizeof(hidden_arch_tests[0]);
