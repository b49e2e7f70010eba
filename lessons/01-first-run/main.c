/* SPDX-License-Identifier: MIT */
/*
 * main.c - lesson 01's program (given; you do not need to change it).
 *
 * Runs your steps from first_run.c in order with the lesson's guest and
 * says how far it got: `make lesson-01` runs it, then the graded checks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "first_run.h"
#include "guest_image.h"
#include "layout.h"

GUEST_IMAGE_DECLARE(hello);

#define RUN_TIMEOUT_MS KIT_RUN_TIMEOUT_MS

/* A step's verdict. A TODO reached on the way is the news, whatever the
 * step returned: a TODO in first_classify_exit() makes first_run() fail
 * with "unexpected exit", but what is missing is the TODO. */
static bool step(const char *what, int ret)
{
	const char *todo = kit_first_todo();

	if (todo) {
		printf("  [TODO] %s\n         %s\n", what, todo);
		return false;
	}
	if (ret >= 0) {
		printf("  [ok]   %s\n", what);
		return true;
	}
	printf("  [FAIL] %s\n         %s\n", what, kit_last_error());
	return false;
}

int main(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	bool ok;
	int ret;

	printf("lesson 01: first KVM_RUN (%s)\n", arch_name);
	ok = step("2. open /dev/kvm and check the API version", first_open_kvm(&vm)) &&
	     step("3. create the VM", first_create_vm(&vm)) &&
	     step("4. give the guest memory",
		  first_add_memory(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE)) &&
	     step("5. load the guest",
		  first_load_guest(&vm, GUEST_LOAD_GPA, image.bytes, image.size)) &&
	     step("6. create the vCPU and map kvm_run", first_create_vcpu(&vm, &cpu)) &&
	     step("7. set the registers", first_set_registers(&cpu, GUEST_LOAD_GPA));

	if (ok) {
		printf("  ---- guest serial output ----\n");
		fflush(stdout);
		ret = first_run(&cpu, stdout, RUN_TIMEOUT_MS);
		printf("  -----------------------------\n");
		ok = step("8. run the guest until it halts", ret);
	}
	if (ok)
		printf("lesson 01: the guest ran and halted. Now see what the graded checks say.\n");
	else
		printf("lesson 01: not there yet: the first step marked TODO or FAIL above is "
		       "the one to work on (see lessons/01-first-run/README.md).\n");

	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	return ok ? 0 : 1;
}
