/* SPDX-License-Identifier: MIT */
/*
 * checks_arch.h - what lesson 02's generic checks (checks.c) and each
 * architecture's (checks_x86_64.c, checks_arm64.c) share.
 */
#ifndef C_GUESTS_CHECKS_ARCH_H
#define C_GUESTS_CHECKS_ARCH_H

#include <stddef.h>

#include "kit.h"
#include "grade/grade.h"
#include "guest_image.h"

#define RUN_TIMEOUT_MS KIT_RUN_TIMEOUT_MS

/* A VM with the lesson's RAM, made by the core (not graded). */
void new_vm(struct vm *vm);

/* Boot `image` with your steps (lm_boot) and run it with the core's run
 * loop, capturing what it prints. */
struct outcome {
	int ret;
	char *output;
	size_t len;
};
struct outcome boot_and_run(const struct guest_image *image, struct vm *vm, struct vcpu *cpu);

/* In checks_<arch>.c: this architecture's own tests. */
extern const struct grade_test arch_tests[];
extern const size_t arch_ntests;

#endif
