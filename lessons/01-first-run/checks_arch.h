/* SPDX-License-Identifier: MIT */
/*
 * checks_arch.h - the parts of lesson 01's checks that differ between
 * architectures (checks_x86_64.c, checks_arm64.c).
 */
#ifndef FIRST_RUN_CHECKS_ARCH_H
#define FIRST_RUN_CHECKS_ARCH_H

#include <stdint.h>

#include "kit.h"

/* Fails the running test unless `cpu` is ready to start at `entry`. */
void check_entry_state(struct vcpu *cpu, uint64_t entry);

/* The exit that ends a guest normally (x86: KVM_EXIT_HLT). */
uint32_t arch_halt_exit_reason(void);

/* The exit's name for a guest that faults with no handler (x86: a shutdown). */
const char *arch_fault_exit_name(void);

/* The exit's name for the other_port guest's stray write. */
const char *arch_other_output_exit_name(void);

#endif
