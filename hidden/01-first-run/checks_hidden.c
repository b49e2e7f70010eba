/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden.c - lesson 01's hidden checks (instructors only; see
 * hidden/README.md). They use only what lesson 01's header gives the
 * student's code, and build their own guest (checks_hidden_<arch>.c).
 */
#include <stdlib.h>
#include <string.h>

#include "first_run.h"
#include "grade/grade.h"
#include "layout.h"
#include "hidden.h"

#define ELSEWHERE_TEXT "entered where it was loaded\n"

/*
 * Sections 5 and 7 take an address each: first_load_guest(vm, gpa, ...)
 * and first_set_registers(cpu, entry). The lesson's checks always pass
 * GUEST_LOAD_GPA, so code that ignores them and uses the constant passes
 * those. Here the guest goes elsewhere, and the rest of RAM is filled with
 * what stops a vCPU that starts anywhere else.
 */
static void test_guest_elsewhere(void)
{
	const uint64_t gpa = hidden_other_load_gpa;
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	uint8_t code[512];
	size_t len = hidden_printing_guest(ELSEWHERE_TEXT, code, sizeof(code));
	char *output = NULL;
	size_t output_len = 0;
	uint8_t *ram, *at;
	FILE *serial;
	int ret;

	ASSERT(len > 0, "the hidden check's guest does not fit its buffer");
	ret = first_open_kvm(&vm);
	ASSERT(ret == 0, "first_open_kvm() returned %d: %s", ret, kit_last_error());
	ret = first_create_vm(&vm);
	ASSERT(ret == 0, "first_create_vm() returned %d: %s", ret, kit_last_error());
	ret = first_add_memory(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE);
	ASSERT(ret >= 0, "first_add_memory() returned %d: %s", ret, kit_last_error());
	ram = guest_ptr(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE);
	ASSERT(ram != NULL, "guest RAM is not where first_add_memory() was asked to put it: %s",
	       kit_last_error());
	memset(ram, hidden_stop_byte, GUEST_RAM_SIZE);

	ret = first_load_guest(&vm, gpa, code, len);
	ASSERT(ret == 0, "first_load_guest(gpa 0x%llx, %zu bytes) returned %d: %s",
	       (unsigned long long)gpa, len, ret, kit_last_error());
	at = guest_ptr(&vm, gpa, len);
	ASSERT(at != NULL, "guest_ptr(0x%llx): %s", (unsigned long long)gpa, kit_last_error());
	EXPECT(memcmp(at, code, len) == 0,
	       "first_load_guest(vm, 0x%llx, image, size) did not put the image at guest "
	       "physical 0x%llx: copy it to the gpa it is given, not to GUEST_LOAD_GPA",
	       (unsigned long long)gpa, (unsigned long long)gpa);

	ret = first_create_vcpu(&vm, &cpu);
	ASSERT(ret == 0, "first_create_vcpu() returned %d: %s", ret, kit_last_error());
	ret = first_set_registers(&cpu, gpa);
	ASSERT(ret == 0, "first_set_registers(cpu, 0x%llx) returned %d: %s",
	       (unsigned long long)gpa, ret, kit_last_error());

	serial = open_memstream(&output, &output_len);
	ASSERT(serial != NULL, "open_memstream failed");
	ret = first_run(&cpu, serial, KIT_SHORT_RUN_TIMEOUT_MS);
	fclose(serial);
	printf("first_run() of a guest loaded and entered at 0x%llx returned %d%s%s\n",
	       (unsigned long long)gpa, ret, ret < 0 ? ": " : "", ret < 0 ? kit_last_error() : "");
	EXPECT_EQ_INT("first_run() of a guest loaded and entered at another address", ret, 0);
	if (output_len == 0)
		grade_fail_at(__FILE__, __LINE__, false, "the guest at 0x%llx printed nothing: the vCPU did not start there. "
		       "first_set_registers(cpu, entry) must start it at `entry`, whatever it "
		       "is, not at GUEST_LOAD_GPA", (unsigned long long)gpa);
	else
		EXPECT_BYTES("what the guest at the other address printed", output, output_len,
			     ELSEWHERE_TEXT, sizeof(ELSEWHERE_TEXT) - 1);
	free(output);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

const struct grade_test hidden_tests[] = {
	{ "guest_elsewhere", "a guest loaded and entered at another address runs there",
	  2, GRADE_NEEDS_KVM, test_guest_elsewhere,
	  "Sections 5 and 7: first_load_guest() copies to the `gpa` it is given and "
	  "first_set_registers() starts the vCPU at the `entry` it is given; neither may "
	  "assume GUEST_LOAD_GPA." },
};

const size_t hidden_ntests = sizeof(hidden_tests) / sizeof(hidden_tests[0]);
