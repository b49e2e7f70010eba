/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden_x86_64.c - lesson 02's hidden checks on x86_64
 * (instructors only; see hidden/README.md).
 */
#include <sys/ioctl.h>

#include "c_guests.h"
#include "checks_arch.h"
#include "layout.h"
#include "arch/x86_64.h"

/*
 * Section 6: lm_set_entry(cpu, entry, stack_top) sets RIP and RSP from its
 * arguments. The lesson's checks and lm_boot() always pass LM_STACK_TOP,
 * so code that writes the constant passes them; a host with a stack of
 * its own for each vCPU would not. Two calls with two other pairs: each
 * must land, the second over the first.
 */
static void test_entry_follows_arguments(void)
{
	static const struct { uint64_t entry, stack_top; } calls[] = {
		{ LM_IMAGE_GPA + 0x4c0, LM_STACK_TOP - 0x20000 },
		{ LM_IMAGE_GPA + 0x10, 0x80000 },
	};
	struct kvm_regs r;
	struct vm vm;
	struct vcpu cpu;
	unsigned i;
	int ret;

	new_vm(&vm);
	ASSERT(vcpu_create(&vm, &cpu, 0) == 0, "vcpu_create: %s", kit_last_error());
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		ret = lm_set_entry(&cpu, calls[i].entry, calls[i].stack_top);
		ASSERT(ret == 0, "lm_set_entry(cpu, 0x%llx, 0x%llx) returned %d: %s",
		       (unsigned long long)calls[i].entry, (unsigned long long)calls[i].stack_top,
		       ret, kit_last_error());
		ASSERT(ioctl(cpu.fd, KVM_GET_REGS, &r) == 0, "KVM_GET_REGS failed");
		EXPECT(r.rip == calls[i].entry,
		       "after lm_set_entry(cpu, 0x%llx, 0x%llx), RIP is 0x%llx: it must be the "
		       "`entry` argument", (unsigned long long)calls[i].entry,
		       (unsigned long long)calls[i].stack_top, (unsigned long long)r.rip);
		EXPECT(r.rsp == calls[i].stack_top,
		       "after lm_set_entry(cpu, 0x%llx, 0x%llx), RSP is 0x%llx: it must be the "
		       "`stack_top` argument, not LM_STACK_TOP", (unsigned long long)calls[i].entry,
		       (unsigned long long)calls[i].stack_top, (unsigned long long)r.rsp);
		EXPECT_EQ_U64("RFLAGS", r.rflags, X86_RFLAGS_RESERVED1);
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

const struct grade_test hidden_arch_tests[] = {
	{ "entry_follows_arguments", "RIP and RSP come from lm_set_entry()'s arguments, any of them",
	  1, GRADE_NEEDS_KVM, test_entry_follows_arguments,
	  "Section 6: RIP = entry and RSP = stack_top, the arguments, not LM_IMAGE_GPA or "
	  "LM_STACK_TOP (another caller passes another stack)." },
};

const size_t hidden_arch_ntests = sizeof(hidden_arch_tests) / sizeof(hidden_arch_tests[0]);
