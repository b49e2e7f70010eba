/* SPDX-License-Identifier: MIT */
/*
 * first_run.c - lesson 01: from an empty process to a guest's first words.
 *
 * This is your file, with arch_<arch>.c. Each function is one step of
 * lessons/01-first-run/README.md, in order; replace each TODO with the
 * step's code. `make lesson-01` shows how far you are.
 *
 * Useful from the core (common/kit.h): kit_syscall_error("KVM_...", ...)
 * right after a failed call, kit_error(-E..., "..."), guest_ptr(),
 * kvm_exit_name(), kvm_exit_describe(), watchdog_arm()/watchdog_fired()/
 * watchdog_disarm(), vcpu_diagnose().
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "first_run.h"
#include "layout.h"

#define LESSON "01-first-run"

/* Section 2: open /dev/kvm and check the API version. */
int first_open_kvm(struct vm *vm)
{
	/*
	 * TODO:
	 *  - open("/dev/kvm", O_RDWR | O_CLOEXEC) into vm->kvm_fd;
	 *  - KVM_GET_API_VERSION must return KVM_API_VERSION (12), or fail.
	 */
	(void)vm;
	return kit_todo(LESSON, "2. Open /dev/kvm", "first_open_kvm()");
}

/* Section 3: create the VM, and learn two sizes we need later. */
int first_create_vm(struct vm *vm)
{
	/*
	 * TODO:
	 *  - vm->page_size from sysconf(_SC_PAGESIZE);
	 *  - vm->vcpu_mmap_size from KVM_GET_VCPU_MMAP_SIZE (on vm->kvm_fd);
	 *  - vm->fd from KVM_CREATE_VM (on vm->kvm_fd).
	 */
	(void)vm;
	return kit_todo(LESSON, "3. Create the VM", "first_create_vm()");
}

/* Section 4: guest RAM is ordinary memory of ours, lent to the guest. */
int first_add_memory(struct vm *vm, uint64_t gpa, uint64_t size)
{
	/*
	 * TODO:
	 *  - round size up to a whole number of host pages;
	 *  - mmap that much anonymous memory and write every byte (memset);
	 *  - KVM_SET_USER_MEMORY_REGION with slot number vm->nslots;
	 *  - on success, record it in vm->slots[vm->nslots++] and return
	 *    the slot number; on failure, unmap and return the error.
	 */
	(void)vm;
	(void)gpa;
	(void)size;
	return kit_todo(LESSON, "4. Give the guest memory", "first_add_memory()");
}

/* Section 5: copy the image in, through the checked translation. */
int first_load_guest(struct vm *vm, uint64_t gpa, const void *image, size_t size)
{
	/* TODO: guest_ptr(vm, gpa, size); if it is NULL, fail; else memcpy. */
	(void)vm;
	(void)gpa;
	(void)image;
	(void)size;
	return kit_todo(LESSON, "5. Load the guest", "first_load_guest()");
}

/* Section 6: a vCPU, and the struct kvm_run it shares with us. */
int first_create_vcpu(struct vm *vm, struct vcpu *cpu)
{
	/*
	 * TODO:
	 *  - cpu->vm = vm; cpu->fd from KVM_CREATE_VCPU (on vm->fd), id 0;
	 *  - cpu->run: mmap cpu->run_size = vm->vcpu_mmap_size bytes of
	 *    cpu->fd, shared, readable and writable.
	 */
	(void)vm;
	(void)cpu;
	return kit_todo(LESSON, "6. Create the vCPU", "first_create_vcpu()");
}

/* Section 8: the run loop. */
int first_run(struct vcpu *cpu, FILE *serial, unsigned timeout_ms)
{
	/*
	 * TODO:
	 *  - watchdog_arm(cpu->run, timeout_ms);
	 *  - loop: KVM_RUN on cpu->fd, then ask first_classify_exit()
	 *    (arch_<arch>.c) what the exit means:
	 *      FIRST_EXIT_OUTPUT -> run again;
	 *      FIRST_EXIT_DONE   -> return 0;
	 *      FIRST_EXIT_OTHER  -> a negative errno, the exit named;
	 *    KVM_RUN failing with EINTR after watchdog_fired() -> -ETIMEDOUT;
	 *    KVM_RUN failing otherwise -> kit_syscall_error("KVM_RUN", ...);
	 *  - watchdog_disarm() before returning.
	 */
	(void)cpu;
	(void)serial;
	(void)timeout_ms;
	return kit_todo(LESSON, "8. The run loop", "first_run()");
}
