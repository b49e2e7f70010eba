/* SPDX-License-Identifier: MIT */
/*
 * checks_arm64.c - lesson 02's graded checks for arm64 (given; read, do
 * not change). The guests run at EL1 with the MMU off; a crash reaches the
 * host as an MMIO exit (a store where there is no memory) or through the
 * guests' exception vectors (guest-arm64/lib/vectors.S).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "c_guests.h"
#include "checks_arch.h"
#include "layout.h"
#include "arch/arm64.h"

GUEST_IMAGE_DECLARE(hello);
GUEST_IMAGE_DECLARE(boot_info);
GUEST_IMAGE_DECLARE(wild_pointer);
GUEST_IMAGE_DECLARE(jump_unmapped);
GUEST_IMAGE_DECLARE(zero_stack);
GUEST_IMAGE_DECLARE(end_of_ram);
GUEST_IMAGE_DECLARE(regs_pattern);
GUEST_IMAGE_DECLARE(load_abort);

#define ARM64_REG_MIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 0)


static uint64_t reg(struct vcpu *cpu, uint64_t id)
{
	uint64_t value = 0;

	ASSERT(arm64_get_reg(cpu, id, &value) == 0, "%s", kit_last_error());
	return value;
}

static void set_reg(struct vcpu *cpu, uint64_t id, uint64_t value)
{
	ASSERT(arm64_set_reg(cpu, id, value) == 0, "%s", kit_last_error());
}

/* ---- 6. The entry state ---------------------------------------------- */

static void test_entry_state(void)
{
	static const uint64_t ids[] = { ARM64_REG_PC, ARM64_REG_SP_EL1, ARM64_REG_X(0),
					ARM64_REG_PSTATE };
	struct vm vm;
	struct vcpu cpu;
	unsigned i;
	int ret;

	new_vm(&vm);
	ASSERT(vcpu_create(&vm, &cpu, 0) == 0, "vcpu_create: %s", kit_last_error());
	/* Scrambled first: each register set, none right by luck (KVM's
	 * reset state is already EL1h with D A I F masked). EL1t, nothing
	 * masked, is a PSTATE KVM accepts. */
	set_reg(&cpu, ARM64_REG_PC, 0x5555aaa0);
	set_reg(&cpu, ARM64_REG_SP_EL1, 0x5555aaa0);
	set_reg(&cpu, ARM64_REG_X(0), 0x5555aaa0);
	set_reg(&cpu, ARM64_REG_PSTATE, 0x4);
	grade_scramble_stack();
	ret = lm_set_entry(&cpu, LM_IMAGE_GPA + 0x1234, LM_STACK_TOP);
	ASSERT(ret == 0, "lm_set_entry() returned %d: %s", ret, kit_last_error());
	EXPECT_EQ_U64("PC", reg(&cpu, ARM64_REG_PC), LM_IMAGE_GPA + 0x1234);
	EXPECT_EQ_U64("SP_EL1 (the stack at EL1h; SP_EL0 is another register)",
		      reg(&cpu, ARM64_REG_SP_EL1), LM_STACK_TOP);
	EXPECT_EQ_U64("X0 (the size of RAM, for the guest)", reg(&cpu, ARM64_REG_X(0)),
		      LM_RAM_SIZE);
	EXPECT_EQ_U64("PSTATE (EL1h, D A I F masked)", reg(&cpu, ARM64_REG_PSTATE),
		      ARM64_PSTATE_EL1H | ARM64_PSTATE_DAIF);

	/* Each of its four KVM_SET_ONE_REG calls failing in turn. */
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		kit_clear_error();
		inject_ioctl_error_after(KVM_SET_ONE_REG, i, EFAULT);
		ret = lm_set_entry(&cpu, LM_IMAGE_GPA, LM_STACK_TOP);
		inject_reset();
		if (!EXPECT(ret == -EFAULT, "lm_set_entry() when its KVM_SET_ONE_REG number %u "
			    "fails should return -EFAULT, not %d", i + 1, ret))
			continue;
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_SET_ONE_REG");
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* ---- 7. A C guest runs ----------------------------------------------- */

static void test_c_guest_runs(void)
{
	static const char expected[] = "Hello from 64-bit C!\n"
				       "fib(90) = 2880067194370816120\n"
				       "primes below 10000: 1229\n";
	struct guest_image image = GUEST_IMAGE(hello);
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT_EQ_INT("the run of the hello guest", o.ret, 0);
	EXPECT_BYTES("what the guest printed", o.output, o.len, expected, sizeof(expected) - 1);
	free(o.output);
}

static void test_boot_info_seen(void)
{
	struct guest_image image = GUEST_IMAGE(boot_info);
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);
	char expected[160];

	EXPECT_EQ_INT("the run of the boot_info guest", o.ret, 0);
	snprintf(expected, sizeof(expected), "el=1\nmmu=off\nx0=0x%x\nmidr=0x%llx\n",
		 LM_RAM_SIZE, (unsigned long long)reg(&cpu, ARM64_REG_MIDR_EL1));
	EXPECT_BYTES("what the guest saw: EL1, MMU off, X0, and MIDR_EL1 as KVM reports it",
		     o.output, o.len, expected, strlen(expected));
	free(o.output);
}

/* ---- 8. Crash reports ------------------------------------------------ */

static void report_after(struct vcpu *cpu, struct crash_report *r)
{
	uint8_t before[CRASH_CODE_BYTES];
	const uint8_t *at = guest_ptr(cpu->vm, reg(cpu, ARM64_REG_PC), sizeof(before));
	int ret;

	/* A report reads the guest; it must not change it. */
	if (at)
		memcpy(before, at, sizeof(before));
	memset(r, 0xa5, sizeof(*r)); /* garbage: every field must be filled */
	ret = lm_crash_report(cpu, r);
	ASSERT(ret == 0, "lm_crash_report() returned %d: %s", ret, kit_last_error());
	if (at)
		EXPECT_BYTES("guest memory at the PC after lm_crash_report() (unchanged: a report "
			     "copies from the guest, never into it)", at, sizeof(before), before,
			     sizeof(before));
	lm_crash_print(r, stdout);
}

/* The report must agree with what the vCPU really holds. */
static void expect_report_matches(struct vcpu *cpu, const struct crash_report *r)
{
	uint64_t pc = reg(cpu, ARM64_REG_PC);
	const uint8_t *code;
	size_t avail = 0;

	EXPECT_EQ_U64("report.exit_reason", r->exit_reason, cpu->run->exit_reason);
	EXPECT(r->exit_name && (uintptr_t)r->exit_name != (uintptr_t)0xa5a5a5a5a5a5a5a5ULL &&
	       strcmp(r->exit_name, kvm_exit_name(cpu->run->exit_reason)) == 0,
	       "report.exit_name should be \"%s\"", kvm_exit_name(cpu->run->exit_reason));
	EXPECT_EQ_U64("report.pc", r->pc, pc);
	EXPECT_EQ_U64("report.sp (SP_EL1)", r->sp, reg(cpu, ARM64_REG_SP_EL1));
	EXPECT_EQ_U64("report.nregs", r->nregs, 31);
	for (unsigned i = 0; i < 31; i++) {
		char what[32];

		snprintf(what, sizeof(what), "report.regs[%u] (x%u)", i, i);
		EXPECT_EQ_U64(what, r->regs[i], reg(cpu, ARM64_REG_X(i)));
	}
	while (avail < CRASH_CODE_BYTES && guest_ptr(cpu->vm, pc, avail + 1))
		avail++;
	EXPECT_EQ_U64("report.code_len (bytes of RAM at the PC, up to 16)", r->code_len, avail);
	code = avail ? guest_ptr(cpu->vm, pc, avail) : NULL;
	if (code && r->code_len == avail)
		EXPECT_BYTES("report.code (the bytes at the PC)", r->code, r->code_len, code, avail);
}

/* For a crash the guest's vectors reported: the exception's registers. */
static void expect_exception(struct vcpu *cpu, const struct crash_report *r, unsigned ec)
{
	EXPECT(r->has_exception == true, "report.has_exception should be true: the guest "
	       "stored to the fault register (0x%x), so it took an exception", LM_FAULT_GPA);
	EXPECT_EQ_U64("report.esr (ESR_EL1)", r->esr, reg(cpu, ARM64_REG_ESR_EL1));
	EXPECT_EQ_U64("the exception class in ESR_EL1", ARM64_ESR_EC(r->esr), ec);
	EXPECT_EQ_U64("report.elr (ELR_EL1)", r->elr, reg(cpu, ARM64_REG_ELR_EL1));
}

static void test_wild_pointer_diagnosed(void)
{
	struct guest_image image = GUEST_IMAGE(wild_pointer);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT(o.ret < 0, "the wild_pointer guest's run should fail");
	EXPECT_EQ_U64("the exit (a store where there is no memory)", cpu.run->exit_reason,
		      KVM_EXIT_MMIO);
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	EXPECT(r.has_exception == false, "a plain MMIO exit is not an exception");
	EXPECT(r.has_fault_address == true, "report.has_fault_address should be true");
	EXPECT_EQ_U64("report.fault_address (run->mmio.phys_addr)", r.fault_address,
		      LM_UNBACKED_ADDR);
	EXPECT(r.fault_is_write == true, "report.fault_is_write should be true");
	free(o.output);
}

static void test_jump_unmapped_diagnosed(void)
{
	struct guest_image image = GUEST_IMAGE(jump_unmapped);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT(o.ret < 0, "the jump_unmapped guest's run should fail");
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	expect_exception(&cpu, &r, ARM64_EC_IABT_CUR);
	EXPECT(r.has_fault_address == true, "an instruction abort has a fault address");
	EXPECT_EQ_U64("report.fault_address (FAR_EL1: the address jumped to)", r.fault_address,
		      LM_UNBACKED_ADDR + 0x1000);
	free(o.output);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);

	/* An undefined instruction in the last 4 bytes of RAM. */
	image = GUEST_IMAGE(end_of_ram);
	o = boot_and_run(&image, &vm, &cpu);
	EXPECT(o.ret < 0, "the end_of_ram guest's run should fail");
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	expect_exception(&cpu, &r, ARM64_EC_UNKNOWN);
	EXPECT_EQ_U64("report.elr (where the udf was)", r.elr, LM_RAM_GPA + LM_RAM_SIZE - 4);
	EXPECT(r.has_fault_address == false, "an undefined instruction has no fault address "
	       "(FAR_EL1 means nothing for it)");

	/* The code bytes: as many as RAM holds at the PC, none outside it.
	 * (The PC moved by hand; the report reads it where it is.) */
	set_reg(&cpu, ARM64_REG_PC, LM_RAM_GPA + LM_RAM_SIZE - 1);
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	set_reg(&cpu, ARM64_REG_PC, LM_UNBACKED_ADDR);
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	free(o.output);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);

	/* A load that faults: a data abort that is a read. */
	image = GUEST_IMAGE(load_abort);
	o = boot_and_run(&image, &vm, &cpu);
	EXPECT(o.ret < 0, "the load_abort guest's run should fail");
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	expect_exception(&cpu, &r, ARM64_EC_DABT_CUR);
	EXPECT_EQ_U64("report.fault_address (FAR_EL1: the address loaded from)",
		      r.fault_address, 0xfffffffffffffff0ULL);
	EXPECT(r.fault_is_write == false, "a load is a read: ESR_EL1.WnR (bit 6) is 0");
	free(o.output);
}

static void test_crash_registers_exact(void)
{
	struct guest_image image = GUEST_IMAGE(regs_pattern);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);
	char what[64];
	unsigned i;

	EXPECT(o.ret < 0, "the regs_pattern guest's run should fail");
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	for (i = 0; i < 31; i++) {
		uint64_t expected = i == 2 ? LM_UNBACKED_ADDR :
			((0x100ULL * i + 0x11) << 48) | (0xa000 + i);

		snprintf(what, sizeof(what), "report.regs[%u] (x%u)", i, i);
		EXPECT_EQ_U64(what, r.regs[i], expected);
	}
	EXPECT(r.has_fault_address && r.fault_address == LM_UNBACKED_ADDR && r.fault_is_write,
	       "the report should name the write to guest physical 0x%x", LM_UNBACKED_ADDR);
	free(o.output);
}

static void test_zero_stack_diagnosed(void)
{
	struct guest_image image = GUEST_IMAGE(zero_stack);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT(o.ret < 0, "the zero_stack guest's run should fail");
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	expect_exception(&cpu, &r, ARM64_EC_DABT_CUR);
	EXPECT_EQ_U64("report.sp", r.sp, 0);
	EXPECT_EQ_U64("report.fault_address (FAR_EL1: 16 bytes below 0)", r.fault_address,
		      0xfffffffffffffff0ULL);
	EXPECT(r.fault_is_write == true, "the push (stp) is a write: ESR_EL1.WnR");
	free(o.output);
}

const struct grade_test arch_tests[] = {
	{ "entry_state", "PC, SP_EL1, X0 and PSTATE are set for the entry, and failures reported",
	  1, GRADE_NEEDS_KVM, test_entry_state,
	  "Section 6: KVM_SET_ONE_REG for PC, SP_EL1 (not SP_EL0), X0 = LM_RAM_SIZE, PSTATE; "
	  "return the first error." },
	{ "c_guest_runs", "a C guest prints and computes a known value",
	  3, GRADE_NEEDS_KVM, test_c_guest_runs,
	  "Sections 2 and 6: if this fails alone, compare the guest's output with the expected." },
	{ "boot_info_seen", "the guest sees EL1, the MMU off, and X0 from the host",
	  2, GRADE_NEEDS_KVM, test_boot_info_seen,
	  "Section 6: X0 carries the size of RAM to the guest." },
	{ "wild_pointer_diagnosed", "a store to unbacked memory is diagnosed with its address",
	  2, GRADE_NEEDS_KVM, test_wild_pointer_diagnosed,
	  "Section 8: for KVM_EXIT_MMIO, the fault address is run->mmio.phys_addr." },
	{ "jump_unmapped_diagnosed", "exceptions are diagnosed from ESR_EL1, FAR_EL1, ELR_EL1",
	  2, GRADE_NEEDS_KVM, test_jump_unmapped_diagnosed,
	  "Section 8: an MMIO exit at LM_FAULT_GPA is the guest's exception: read ESR_EL1, "
	  "FAR_EL1 (aborts only) and ELR_EL1 with KVM_GET_ONE_REG." },
	{ "crash_registers_exact", "a crash report holds every register in its place",
	  1, GRADE_NEEDS_KVM, test_crash_registers_exact,
	  "Section 8: X0-X30 with KVM_GET_ONE_REG, ARM64_REG_X(i) into regs[i]." },
	{ "zero_stack_diagnosed", "a guest with a zero stack pointer is diagnosed",
	  2, GRADE_NEEDS_KVM, test_zero_stack_diagnosed,
	  "Section 8: sp is SP_EL1; a data abort's FAR_EL1 is the address, ESR_EL1.WnR "
	  "(bit 6) says it was a write." },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
