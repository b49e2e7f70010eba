/* SPDX-License-Identifier: MIT */
/* boot_arm64.c - lesson 02 (given): your steps, in order, for one ELF guest. */
#include "c_guests.h"
#include "layout.h"

int lm_boot(struct vm *vm, struct vcpu *cpu, const void *image, size_t size)
{
	uint64_t entry = 0;
	int ret;

	*cpu = (struct vcpu)VCPU_EMPTY;
	ret = vm_create(vm);
	if (ret < 0)
		return ret;
	/* vcpu_create() also initialises the arm64 vCPU (KVM_ARM_VCPU_INIT). */
	if ((ret = vm_add_memory(vm, LM_RAM_GPA, LM_RAM_SIZE, 0)) < 0 ||
	    (ret = lm_load_elf(vm, image, size, &entry)) < 0 ||
	    (ret = vcpu_create(vm, cpu, 0)) < 0 ||
	    (ret = lm_set_entry(cpu, entry, LM_STACK_TOP)) < 0) {
		vcpu_destroy(cpu);
		vm_destroy(vm);
		return ret;
	}
	return 0;
}
