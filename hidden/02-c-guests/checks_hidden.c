/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden.c - lesson 02's hidden checks (instructors only; see
 * hidden/README.md). What they read of a vCPU is in
 * checks_hidden_ARCH.c (entry.h).
 */
#include "c_guests.h"
#include "checks_arch.h"
#include "layout.h"
#include "entry.h"

/*
 * Section 6: lm_set_entry(cpu, entry, stack_top) sets the program counter
 * and the stack pointer from its arguments. The lesson's checks and
 * lm_boot() always pass LM_STACK_TOP, so code that writes the constant
 * passes them; a host with a stack of its own for each vCPU would not.
 * Two calls with two other pairs: each must land, the second over the
 * first, and leave the rest as the lesson says.
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
		entry_regs(&cpu, &pc, &sp);
		EXPECT(pc == calls[i].entry,
		       "after lm_set_entry(cpu, 0x%llx, 0x%llx), %s is 0x%llx: it must be the "
		       "`entry` argument", (unsigned long long)calls[i].entry,
		       (unsigned long long)calls[i].stack_top, entry_pc_name, (unsigned long long)pc);
		EXPECT(sp == calls[i].stack_top,
		       "after lm_set_entry(cpu, 0x%llx, 0x%llx), %s is 0x%llx: it must be the "
		       "`stack_top` argument, not LM_STACK_TOP", (unsigned long long)calls[i].entry,
		       (unsigned long long)calls[i].stack_top, entry_sp_name, (unsigned long long)sp);
		entry_expect_rest(&cpu);
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

const struct grade_test hidden_tests[] = {
	{ "entry_follows_arguments", "the entry and the stack come from lm_set_entry()'s arguments",
	  1, GRADE_NEEDS_KVM, test_entry_follows_arguments,
	  "Section 6: the program counter = entry and the stack pointer = stack_top, the "
	  "arguments, not LM_IMAGE_GPA or LM_STACK_TOP (another caller passes another stack)." },
};

const size_t hidden_ntests = sizeof(hidden_tests) / sizeof(hidden_tests[0]);
