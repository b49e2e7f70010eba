/* SPDX-License-Identifier: MIT */
/*
 * checks_arm64.c - lesson 03's checks for arm64 (given): both transports.
 * Where the kernel has the SMCCC filter (Linux 6.4+) the guest's `hvc`
 * calls must reach your code as KVM_EXIT_HYPERCALL; without it, and on
 * Linux 6.1, the guest falls back to the MMIO doorbell, and every call
 * must work that way too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "02-c-guests/c_guests.h"
#include "hypercalls.h"
#include "checks_arch.h"
#include "arch/arm64.h"

GUEST_IMAGE_DECLARE(hypercalls);

/* Does this kernel have the SMCCC filter? (Asked on a VM of our own.) */
static bool kernel_has_smccc_filter(void)
{
	struct kvm_device_attr attr = { .group = 0 /* KVM_ARM_VM_SMCCC_CTRL */,
					.attr = 0 /* KVM_ARM_VM_SMCCC_FILTER */ };
	struct vm vm;
	bool has;

	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	has = ioctl(vm.fd, KVM_HAS_DEVICE_ATTR, &attr) == 0;
	vm_destroy(&vm);
	return has;
}

static void test_hvc_where_filtered(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	bool filter = kernel_has_smccc_filter();
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);
	const char *expected = filter ? "transport: hvc (SMCCC filter)\n" :
					"transport: MMIO doorbell\n";

	printf("this kernel %s the SMCCC filter\n", filter ? "has" : "does not have");
	EXPECT(o.host.smccc_filter == filter, "host->smccc_filter should be %s here",
	       filter ? "true" : "false");
	expect_all_calls_worked(&o);
	ASSERT(o.output != NULL, "no output");
	EXPECT(strstr(o.output, expected) != NULL, "the guest should say \"%.*s\"; it "
	       "printed:\n%s", (int)strlen(expected) - 1, expected, o.output);
	free(o.output);
}

static void test_doorbell_fallback(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, SLOW_PATH, RUN_TIMEOUT_MS);

	/* No filter: KVM answers the guest's probe `hvc` with -1 itself, and
	 * the guest uses the doorbell. */
	EXPECT(!o.host.smccc_filter, "no SMCCC filter was asked for");
	expect_all_calls_worked(&o);
	ASSERT(o.output != NULL, "no output");
	EXPECT(strstr(o.output, "transport: MMIO doorbell\n") != NULL,
	       "the guest should fall back to the doorbell; it printed:\n%s", o.output);
	free(o.output);
}

/* A value of its own for Xn: high half, low half and the sign bit. */
static uint64_t pattern(unsigned n)
{
	return 0x8000000000000000ULL | ((uint64_t)(0x11 * n + 1) << 32) | (0xc0de0000u + n);
}

/* hc_read_call() and hc_set_result() alone, on a vCPU whose registers the
 * check set: the number and X1-X5 from each transport, nothing written
 * past the struct hc_call, every failing ioctl's error returned. */
static void test_registers_exact(void)
{
	struct { struct hc_call call; uint64_t guard; } got;
	struct hc_host host;
	struct vm vm;
	struct vcpu cpu;
	uint64_t value;
	unsigned i, n;
	int ret;

	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	ASSERT(vcpu_create(&vm, &cpu, 0) == 0, "vcpu_create: %s", kit_last_error());
	hc_host_init(&host, &vm, stdout);
	for (i = 0; i <= 6; i++)
		ASSERT(arm64_set_reg(&cpu, ARM64_REG_X(i), pattern(i)) == 0, "%s", kit_last_error());

	for (n = 0; n < 2; n++) {
		bool hvc = n == 1;

		memset(cpu.run, 0, sizeof(*cpu.run));
		cpu.run->exit_reason = hvc ? KVM_EXIT_HYPERCALL : KVM_EXIT_MMIO;
		if (hvc)
			cpu.run->hypercall.nr = KIT_HC_SMCCC_BASE + KIT_HC_FILL;
		memset(&got, 0xa5, sizeof(got));
		ret = hc_read_call(&cpu, &host, &got.call);
		if (!EXPECT(ret == 0, "hc_read_call() at a %s exit returned %d: %s",
			    kvm_exit_name(cpu.run->exit_reason), ret, kit_last_error()))
			continue;
		printf("%s: nr 0x%llx\n", kvm_exit_name(cpu.run->exit_reason),
		       (unsigned long long)got.call.nr);
		if (hvc)
			EXPECT_EQ_U64("call.nr at a KVM_EXIT_HYPERCALL (run->hypercall.nr - "
				      "KIT_HC_SMCCC_BASE)", got.call.nr, KIT_HC_FILL);
		else
			EXPECT_EQ_U64("call.nr at the doorbell's KVM_EXIT_MMIO (X0)", got.call.nr,
				      pattern(0));
		for (i = 0; i < 5; i++) {
			char what[64];

			snprintf(what, sizeof(what), "call.args[%u] (X%u)", i, i + 1);
			EXPECT_EQ_U64(what, got.call.args[i], pattern(i + 1));
		}
		EXPECT_EQ_U64("the 8 bytes after the struct hc_call (untouched: there are five "
			      "arguments, X1-X5)", got.guard, 0xa5a5a5a5a5a5a5a5ULL);
	}

	/* Each KVM_GET_ONE_REG of the doorbell's six failing in turn. */
	cpu.run->exit_reason = KVM_EXIT_MMIO;
	for (n = 0; n < 6; n++) {
		kit_clear_error();
		inject_ioctl_error_after(KVM_GET_ONE_REG, n, EFAULT);
		ret = hc_read_call(&cpu, &host, &got.call);
		inject_reset();
		if (EXPECT(ret == -EFAULT, "hc_read_call() when its KVM_GET_ONE_REG number %u "
			   "fails should return -EFAULT, not %d", n + 1, ret))
			EXPECT_CONTAINS("its message", kit_last_error(), "KVM_GET_ONE_REG");
	}

	/* The result: X0, all 64 bits, and nothing else. */
	ret = hc_set_result(&cpu, &host, -38);
	EXPECT_EQ_INT("hc_set_result()", ret, 0);
	ASSERT(arm64_get_reg(&cpu, ARM64_REG_X(0), &value) == 0, "%s", kit_last_error());
	EXPECT_EQ_U64("X0 after hc_set_result(-38)", value, (uint64_t)-38);
	ASSERT(arm64_get_reg(&cpu, ARM64_REG_X(1), &value) == 0, "%s", kit_last_error());
	EXPECT_EQ_U64("X1 after hc_set_result() (untouched)", value, pattern(1));
	inject_ioctl_error(KVM_SET_ONE_REG, EFAULT, 1);
	ret = hc_set_result(&cpu, &host, 1);
	inject_reset();
	EXPECT_EQ_INT("hc_set_result() when KVM_SET_ONE_REG fails", ret, -EFAULT);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

const struct grade_test arch_tests[] = {
	{ "hvc_where_filtered", "calls by hvc arrive as KVM_EXIT_HYPERCALL where the kernel "
	  "forwards them", 2, GRADE_NEEDS_KVM, test_hvc_where_filtered,
	  "Section 3: for KVM_EXIT_HYPERCALL the number is run->hypercall.nr - "
	  "KIT_HC_SMCCC_BASE; the arguments are in X1-X5 (hypercall.args[] are zero)." },
	{ "doorbell_fallback", "every call works through the MMIO doorbell",
	  2, GRADE_NEEDS_KVM, test_doorbell_fallback,
	  "Section 3: for the doorbell the number is in X0; the result goes to X0 "
	  "(KVM_SET_ONE_REG)." },
	{ "registers_exact", "the number and X1-X5 are read exactly, X0 written, errors returned",
	  2, GRADE_NEEDS_KVM, test_registers_exact,
	  "Sections 3 and 6: X0 (doorbell) or run->hypercall.nr - KIT_HC_SMCCC_BASE (hvc); "
	  "X1-X5 into args[0..4]; the result to X0; return arm64_get_reg()'s error." },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
