/* SPDX-License-Identifier: MIT */
/*
 * core-tests.c - unit tests of the host core (ungraded: 0 points each).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kit.h"
#include "grade/grade.h"

/* A VM with one 64 KiB slot at 0x100000, for the translation tests. */
static void make_vm(struct vm *vm)
{
	int ret = vm_create(vm);

	ASSERT(ret == 0, "vm_create: %s", kit_last_error());
	ret = vm_add_memory(vm, 0x100000, 0x10000, 0);
	ASSERT(ret == 0, "vm_add_memory: %s", kit_last_error());
}

static void test_guest_ptr_inside(void)
{
	struct vm vm;
	uint8_t *p;

	make_vm(&vm);
	p = guest_ptr(&vm, 0x100000, 0x10000);
	EXPECT(p == vm.slots[0].host, "the whole slot maps to its host memory");
	p = guest_ptr(&vm, 0x10ffff, 1);
	EXPECT(p == vm.slots[0].host + 0xffff, "the last byte maps");
	vm_destroy(&vm);
}

static void test_guest_ptr_refuses_outside(void)
{
	struct vm vm;

	make_vm(&vm);
	EXPECT(guest_ptr(&vm, 0xfffff, 1) == NULL, "one byte below the slot");
	EXPECT(guest_ptr(&vm, 0x110000, 1) == NULL, "one byte past the slot");
	EXPECT(guest_ptr(&vm, 0x10ffff, 2) == NULL, "a range running past the end");
	EXPECT(guest_ptr(&vm, 0x100000, 0x10001) == NULL, "one byte too long");
	EXPECT(guest_ptr(&vm, 0x100000, 0) == NULL, "zero bytes");
	EXPECT_CONTAINS("message", kit_last_error(), "0-byte");
	vm_destroy(&vm);
}

static void test_guest_ptr_refuses_overflow(void)
{
	struct vm vm;

	make_vm(&vm);
	EXPECT(guest_ptr(&vm, 0x100010, UINT64_MAX) == NULL, "size UINT64_MAX");
	EXPECT(guest_ptr(&vm, 0x100010, UINT64_MAX - 0xf) == NULL, "gpa + size wraps to 0");
	EXPECT(guest_ptr(&vm, UINT64_MAX, 2) == NULL, "gpa at the top of the space");
	EXPECT(guest_ptr(&vm, 0x100000 + 0x8000, (uint64_t)-0x8000) == NULL,
	       "size that wraps exactly to the slot start");
	vm_destroy(&vm);
}

static void test_memory_slots_checked(void)
{
	struct vm vm;
	int ret;

	make_vm(&vm);
	ret = vm_add_memory(&vm, 0x100800, 0x1000, 0);
	EXPECT_EQ_INT("unaligned gpa", ret, -EINVAL);
	EXPECT_CONTAINS("message", kit_last_error(), "page size");
	ret = vm_add_memory(&vm, 0x108000, 0x10000, 0);
	EXPECT_EQ_INT("overlapping slot", ret, -EEXIST);
	EXPECT_CONTAINS("message", kit_last_error(), "overlaps");
	ret = vm_add_memory(&vm, 0x200000, 1, 0);
	EXPECT_EQ_INT("a 1-byte slot becomes a page (slot number)", ret, 1);
	EXPECT_EQ_U64("its size", vm.slots[1].size, (uint64_t)sysconf(_SC_PAGESIZE));
	ret = vm_add_memory(&vm, 0x300000, 0, 0);
	EXPECT_EQ_INT("a 0-byte slot", ret, -EINVAL);
	EXPECT_EQ_U64("slots after refusals", vm.nslots, 2);
	vm_destroy(&vm);
}

static void test_memory_slots_follow_page_size(void)
{
	struct vm vm;
	int ret;

	inject_page_size(16384);
	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	ret = vm_add_memory(&vm, 0x1000, 0x1000, 0);
	EXPECT_EQ_INT("gpa 0x1000 on a 16 KiB-page host", ret, -EINVAL);
	ret = vm_add_memory(&vm, 0x10000, 0x1000, 0);
	EXPECT_EQ_INT("gpa 0x10000 on a 16 KiB-page host", ret, 0);
	EXPECT_EQ_U64("size rounded to 16 KiB", vm.slots[0].size, 0x4000);
	vm_destroy(&vm);
}

static void test_exit_names(void)
{
	EXPECT_BYTES("exit 2", kvm_exit_name(KVM_EXIT_IO), strlen(kvm_exit_name(KVM_EXIT_IO)),
		     "KVM_EXIT_IO", 11);
	EXPECT(strcmp(kvm_exit_name(KVM_EXIT_MMIO), "KVM_EXIT_MMIO") == 0, "exit 6");
	EXPECT(strcmp(kvm_exit_name(KVM_EXIT_ARM_NISV), "KVM_EXIT_ARM_NISV") == 0, "exit 28");
	EXPECT(strcmp(kvm_exit_name(KVM_EXIT_MEMORY_FAULT), "KVM_EXIT_MEMORY_FAULT") == 0,
	       "exit 39 (newer than the system header)");
	EXPECT(strcmp(kvm_exit_name(999), "KVM_EXIT_999") == 0, "an unknown exit by number");
}

static void test_error_messages(void)
{
	int ret;

	errno = EEXIST;
	ret = kit_syscall_error("KVM_SET_USER_MEMORY_REGION", "slot %d", 3);
	EXPECT_EQ_INT("kit_syscall_error returns -errno", ret, -EEXIST);
	EXPECT_CONTAINS("message", kit_last_error(),
			"KVM_SET_USER_MEMORY_REGION failed: EEXIST (File exists). slot 3");
	ret = kit_todo("01-first-run", "2. Open /dev/kvm", "first_open_kvm()");
	EXPECT_EQ_INT("kit_todo", ret, -ENOSYS);
	EXPECT_CONTAINS("todo message", kit_last_error(),
			"see lessons/01-first-run/README.md, section \"2. Open /dev/kvm\"");
}

static void test_missing_device_explained(void)
{
	int ret;

	setenv("KIT_KVM_DEVICE", "/nonexistent/kvm", 1);
	ret = kvm_open();
	EXPECT_EQ_INT("kvm_open with no device", ret, -ENOENT);
	EXPECT_CONTAINS("message", kit_last_error(), "KVM is not available");
	unsetenv("KIT_KVM_DEVICE");
}

static void test_api_version_checked(void)
{
	int ret;

	inject_ioctl_value(KVM_GET_API_VERSION, 11, 1);
	ret = kvm_open();
	EXPECT_EQ_INT("kvm_open when the API version is 11", ret, -EPROTO);
	EXPECT_CONTAINS("message", kit_last_error(), "KVM_GET_API_VERSION returned 11");
}

static void test_watchdog_fires(void)
{
	struct kvm_run run;

	memset(&run, 0, sizeof(run));
	ASSERT(watchdog_arm(&run, 20) == 0, "watchdog_arm: %s", kit_last_error());
	EXPECT(!watchdog_fired(), "not fired right after arming");
	while (!watchdog_fired())
		pause();
	EXPECT_EQ_U64("immediate_exit set by the watchdog", run.immediate_exit, 1);
	ASSERT(watchdog_arm(&run, 10000) == 0, "re-arm");
	EXPECT_EQ_U64("immediate_exit cleared by re-arming", run.immediate_exit, 0);
	EXPECT(!watchdog_fired(), "re-arming clears fired");
	watchdog_disarm();
}

static const struct grade_test tests[] = {
	{ "guest_ptr_inside", "guest_ptr maps ranges inside a slot", 0, GRADE_NEEDS_KVM,
	  test_guest_ptr_inside, NULL },
	{ "guest_ptr_outside", "guest_ptr refuses ranges outside guest memory", 0,
	  GRADE_NEEDS_KVM, test_guest_ptr_refuses_outside, NULL },
	{ "guest_ptr_overflow", "guest_ptr refuses ranges whose end overflows", 0,
	  GRADE_NEEDS_KVM, test_guest_ptr_refuses_overflow, NULL },
	{ "memory_slots_checked", "unaligned, overlapping and empty slots are refused", 0,
	  GRADE_NEEDS_KVM, test_memory_slots_checked, NULL },
	{ "memory_slots_page_size", "slots follow a 16 KiB host page size", 0,
	  GRADE_NEEDS_KVM, test_memory_slots_follow_page_size, NULL },
	{ "exit_names", "exit reasons have names, unknown ones a number", 0, 0,
	  test_exit_names, NULL },
	{ "error_messages", "errors name the call, the errno and the TODO's section", 0, 0,
	  test_error_messages, NULL },
	{ "missing_device", "a missing /dev/kvm is explained", 0, 0,
	  test_missing_device_explained, NULL },
	{ "api_version", "an API version other than 12 is refused", 0, GRADE_NEEDS_KVM,
	  test_api_version_checked, NULL },
	{ "watchdog_fires", "the watchdog sets immediate_exit and reports it fired", 0, 0,
	  test_watchdog_fires, NULL },
};

GRADE_MAIN("core", tests)
