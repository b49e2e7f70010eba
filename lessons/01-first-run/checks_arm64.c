/* SPDX-License-Identifier: MIT */
/* checks_arm64.c - lesson 01's checks for arm64 (given). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "checks_arch.h"
#include "layout.h"
#include "arch/arm64.h"

GUEST_IMAGE_DECLARE(hello);
GUEST_IMAGE_DECLARE(system_reset);
GUEST_IMAGE_DECLARE(post_index);

uint32_t arch_halt_exit_reason(void)
{
	return KVM_EXIT_SYSTEM_EVENT;
}

struct guest_image arch_fault_guest(void)
{
	return GUEST_IMAGE(system_reset);
}

const char *arch_fault_exit_name(void)
{
	return "KVM_EXIT_SYSTEM_EVENT";
}

const char *arch_other_output_exit_name(void)
{
	return "KVM_EXIT_MMIO";
}

/* ---- 7. Set the registers -------------------------------------------- */

static void test_entry_state(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	uint64_t pc = 0, pstate = 0;

	build_vm(&vm, &cpu, &image);
	/* Reading a register of a vCPU that was never initialised fails
	 * (ENOEXEC): KVM_ARM_VCPU_INIT must have happened. */
	ASSERT(arm64_get_reg(&cpu, ARM64_REG_PC, &pc) == 0,
	       "reading PC failed (was KVM_ARM_VCPU_INIT called?): %s", kit_last_error());
	EXPECT_EQ_U64("PC", pc, GUEST_LOAD_GPA);
	ASSERT(arm64_get_reg(&cpu, ARM64_REG_PSTATE, &pstate) == 0, "%s", kit_last_error());
	EXPECT_EQ_U64("PSTATE (EL1h, D A I F masked: as KVM_ARM_VCPU_INIT leaves it)", pstate,
		      ARM64_PSTATE_EL1H | ARM64_PSTATE_DAIF);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* ---- 8.1 Output: a load from the UART is not output --------------------- */

static void fake_uart_read(struct kvm_run *run)
{
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = GUEST_UART_GPA;
	run->mmio.len = 1;
	run->mmio.is_write = 0;
	memset(run->mmio.data, 'R', sizeof(run->mmio.data));
}

static void test_read_is_not_output(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	struct run_outcome out = run_guest_with(&image, RUN_TIMEOUT_MS, fake_uart_read);

	expect_unexpected_exit("hello guest after a load from the UART", &out, "KVM_EXIT_MMIO");
	EXPECT_BYTES("serial output (a load is not output)", out.output, out.output_len, "", 0);
	free(out.output);
}

/* ---- 8.3 Errors: a KVM_RUN that really fails ---------------------------- */

static void test_kvm_run_enosys_reported(void)
{
	struct guest_image image = GUEST_IMAGE(post_index);
	struct run_outcome out = run_image(&image, RUN_TIMEOUT_MS);

	EXPECT_EQ_INT("first_run() with a post-indexed store to unbacked memory (KVM_RUN "
		      "fails with ENOSYS)", out.ret, -ENOSYS);
	if (out.ret < 0)
		EXPECT_CONTAINS("the message", kit_last_error(), "KVM_RUN");
	EXPECT_BYTES("what the guest printed before the store", out.output, out.output_len,
		     "storing\n", 8);
	free(out.output);
}

const struct grade_test arch_tests[] = {
	{ "entry_state", "the vCPU is initialised and starts at the guest's entry point",
	  2, GRADE_NEEDS_KVM, test_entry_state,
	  "Section 7: KVM_ARM_PREFERRED_TARGET, the PSCI 0.2 feature, KVM_ARM_VCPU_INIT, "
	  "then PC with KVM_SET_ONE_REG." },
	{ "kvm_run_enosys_reported", "KVM_RUN failing with ENOSYS (an undecodable store) is "
	  "reported", 2, GRADE_NEEDS_KVM, test_kvm_run_enosys_reported,
	  "Section 8.3: when KVM_RUN returns -1, report its errno (ENOSYS here) with "
	  "kit_syscall_error(\"KVM_RUN\", ...); run->exit_reason is 0 and means nothing." },
	{ "read_is_not_output", "a load from the UART is not output",
	  1, GRADE_NEEDS_KVM, test_read_is_not_output,
	  "Section 8.1: check run->mmio.is_write: a load is the guest reading." },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
