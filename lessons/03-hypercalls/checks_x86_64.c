/* SPDX-License-Identifier: MIT */
/* checks_x86_64.c - lesson 03's checks for x86_64 (given). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "02-c-guests/c_guests.h"
#include "hypercalls.h"
#include "checks_arch.h"

GUEST_IMAGE_DECLARE(hypercalls);
GUEST_IMAGE_DECLARE(vmcall);

/* ---- sections 3 and 6: both ways to reach the registers ------------- */

static void test_sync_regs_used(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o;
	struct vm vm;
	int caps;

	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	caps = kvm_check_extension(vm.kvm_fd, KVM_CAP_SYNC_REGS);
	vm_destroy(&vm);
	if (!(caps & (int)arch_sync_regs_gprs))
		grade_skip("this kernel has no KVM_CAP_SYNC_REGS for the general registers");

	o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);
	EXPECT(o.host.sync_regs, "hc_use_sync_regs() should have turned SYNC_REGS on");
	expect_all_calls_worked(&o);
	EXPECT_EQ_U64("KVM_GET_REGS calls while SYNC_REGS is on (run->s.regs has them)",
		      o.get_regs, 0);
	EXPECT_EQ_U64("KVM_SET_REGS calls while SYNC_REGS is on (set kvm_dirty_regs)",
		      o.set_regs, 0);
	free(o.output);
}

static void test_get_set_regs_path(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, SLOW_PATH, RUN_TIMEOUT_MS);

	EXPECT(!o.host.sync_regs, "host->sync_regs should be off for this run");
	expect_all_calls_worked(&o);
	EXPECT(o.get_regs >= o.host.ncalls,
	       "without SYNC_REGS, each hypercall needs KVM_GET_REGS (%u calls, %u hypercalls)",
	       o.get_regs, o.host.ncalls);
	free(o.output);
}

/* ---- the vmcall experiment ------------------------------------------- */

static void test_vmcall_reported(void)
{
	struct guest_image image = GUEST_IMAGE(vmcall);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, KIT_VMCALL_RUN_TIMEOUT_MS);

	ASSERT(o.output != NULL, "no output");
	EXPECT(strstr(o.output, "calling vmcall with 4 arguments\n") != NULL,
	       "the guest's KIT_HC_WRITE before the vmcall should reach the console; it "
	       "printed:\n%s\n(last error: %s)", o.output, o.error);
	/* Either outcome is right, depending on the machine; a hang is not. */
	if (o.ret == -ETIMEDOUT)
		printf("this machine: KVM_RUN never returned from vmcall; the watchdog "
		       "stopped the run\n");
	else
		EXPECT(o.ret == 0 && strstr(o.output, "vmcall returned -1000\n"),
		       "on a VT-x/AMD-V machine the guest should see -1000 (-KVM_ENOSYS) and "
		       "exit; run ended with %d (%s)", o.ret, o.error);
	free(o.output);
}

const struct grade_test arch_tests[] = {
	{ "sync_regs_used", "with KVM_CAP_SYNC_REGS, registers travel in kvm_run",
	  2, GRADE_NEEDS_KVM, test_sync_regs_used,
	  "Sections 3 and 6: when host->sync_regs, read run->s.regs.regs and write RAX "
	  "there with kvm_dirty_regs |= KVM_SYNC_X86_REGS; no GET/SET_REGS." },
	{ "get_set_regs_path", "without SYNC_REGS, KVM_GET_REGS/KVM_SET_REGS work too",
	  2, GRADE_NEEDS_KVM, test_get_set_regs_path,
	  "Sections 3 and 6: the other branch: KVM_GET_REGS, then KVM_SET_REGS with RAX." },
	{ "vmcall_reported", "a guest's vmcall is reported clearly and never hangs the host",
	  2, GRADE_NEEDS_KVM, test_vmcall_reported,
	  "Section 7: the write before the vmcall must work; the run ends by itself or "
	  "by the watchdog.", 8 },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
