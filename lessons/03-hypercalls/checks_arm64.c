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

const struct grade_test arch_tests[] = {
	{ "hvc_where_filtered", "calls by hvc arrive as KVM_EXIT_HYPERCALL where the kernel "
	  "forwards them", 2, GRADE_NEEDS_KVM, test_hvc_where_filtered,
	  "Section 3: for KVM_EXIT_HYPERCALL the number is run->hypercall.nr - "
	  "KIT_HC_SMCCC_BASE; the arguments are in X1-X5 (hypercall.args[] are zero)." },
	{ "doorbell_fallback", "every call works through the MMIO doorbell",
	  2, GRADE_NEEDS_KVM, test_doorbell_fallback,
	  "Section 3: for the doorbell the number is in X0; the result goes to X0 "
	  "(KVM_SET_ONE_REG)." },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
