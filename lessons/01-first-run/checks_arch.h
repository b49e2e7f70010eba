/* SPDX-License-Identifier: MIT */
/*
 * checks_arch.h - what lesson 01's generic checks (checks.c) and each
 * architecture's (checks_x86_64.c, checks_arm64.c) share.
 */
#ifndef FIRST_RUN_CHECKS_ARCH_H
#define FIRST_RUN_CHECKS_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "kit.h"
#include "first_run.h"
#include "grade/grade.h"
#include "guest_image.h"

#define RUN_TIMEOUT_MS KIT_SHORT_RUN_TIMEOUT_MS

/* In checks.c: steps 2-3, steps 2-7 with an image, a whole run. */
void open_and_create(struct vm *vm);
void build_vm(struct vm *vm, struct vcpu *cpu, const struct guest_image *image);

struct run_outcome {
	int ret;
	char *output;
	size_t output_len;
	size_t flushed_len;     /* of the output, what first_run() had flushed */
	uint32_t exit_reason;
	bool diagnosed;         /* first_run() printed a vcpu_diagnose() on stderr */
};
/* Steps 2-7 with `image`, then first_run() with the output captured; with
 * `fake_first_exit`, the first KVM_RUN returns that made-up exit instead
 * (common/grade/inject.c). */
struct run_outcome run_guest_with(const struct guest_image *image, unsigned timeout_ms,
				  void (*fake_first_exit)(struct kvm_run *run));
/* run_guest_with() with no fake exit, and the watchdog disarmed after it. */
struct run_outcome run_image(const struct guest_image *image, unsigned timeout_ms);
/* Fails the test unless the run failed (not by timeout) naming `exit_name`. */
void expect_unexpected_exit(const char *guest, struct run_outcome *out, const char *exit_name);

/* In checks_<arch>.c: this architecture's own tests. */
extern const struct grade_test arch_tests[];
extern const size_t arch_ntests;

/* The exit that ends a guest normally (x86: KVM_EXIT_HLT). */
uint32_t arch_halt_exit_reason(void);

/* A guest that ends in a way lesson 01's host does not expect, and the
 * name of its exit (x86: a triple fault, KVM_EXIT_SHUTDOWN). */
struct guest_image arch_fault_guest(void);
const char *arch_fault_exit_name(void);

/* The exit's name for the other_port guest's stray write. */
const char *arch_other_output_exit_name(void);

#endif
