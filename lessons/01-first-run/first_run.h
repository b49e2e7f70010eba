/* SPDX-License-Identifier: MIT */
/*
 * first_run.h - the steps of lesson 01, in the order they happen.
 *
 * You write them in first_run.c and arch_<arch>.c. They fill the same
 * struct vm / struct vcpu that the kit's core uses (common/kit.h), so the
 * core's helpers (guest_ptr, kvm_exit_name, vcpu_diagnose, the watchdog)
 * work on what you build. From lesson 02 on, the core's vm_create() and
 * friends do these steps for you.
 *
 * Every function returns 0 (or a non-negative value) on success and a
 * negative errno on failure, after recording a message with kit_error()
 * or kit_syscall_error().
 */
#ifndef FIRST_RUN_H
#define FIRST_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "kit.h"

/* README section 2: open /dev/kvm into vm->kvm_fd; check the API version. */
int first_open_kvm(struct vm *vm);

/* README section 3: KVM_CREATE_VM into vm->fd; note the host page size and
 * the size of the vCPU's shared area (KVM_GET_VCPU_MMAP_SIZE). */
int first_create_vm(struct vm *vm);

/* README section 4: `size` bytes of guest RAM at guest physical `gpa`,
 * in vm->slots[vm->nslots]. Returns the new slot's number. */
int first_add_memory(struct vm *vm, uint64_t gpa, uint64_t size);

/* README section 5: copy the guest image to guest physical `gpa`. */
int first_load_guest(struct vm *vm, uint64_t gpa, const void *image, size_t size);

/* README section 6: KVM_CREATE_VCPU, and map its struct kvm_run. */
int first_create_vcpu(struct vm *vm, struct vcpu *cpu);

/* README section 7 (arch_<arch>.c): the CPU state at the guest's entry. */
int first_set_registers(struct vcpu *cpu, uint64_t entry);

/* What an exit means, which depends on the architecture. */
enum first_exit {
	FIRST_EXIT_OTHER = 0,   /* not the guest's output, nor its end */
	FIRST_EXIT_OUTPUT,      /* output, now written to `serial`: run again */
	FIRST_EXIT_DONE,        /* the guest's normal end */
};

/* README sections 8.1 and 8.2 (arch_<arch>.c): is the exit in
 * cpu->run the guest's console output (then write it to `serial`) or
 * its normal end? Anything else is for first_run() to report. */
enum first_exit first_classify_exit(struct vcpu *cpu, FILE *serial);

/*
 * README section 8: run the guest until it is done, writing what it
 * prints to `serial`. Returns 0 when the guest halted; -ETIMEDOUT if it
 * had not finished after `timeout_ms`; another negative errno, with a
 * message naming the exit or the failed ioctl, for anything else.
 */
int first_run(struct vcpu *cpu, FILE *serial, unsigned timeout_ms);

/*
 * Start from `struct vm vm = VM_EMPTY;` and `struct vcpu cpu = VCPU_EMPTY;`,
 * and undo everything with the core's vcpu_destroy() and vm_destroy(),
 * which work on a half-built VM too.
 */

#endif /* FIRST_RUN_H */
