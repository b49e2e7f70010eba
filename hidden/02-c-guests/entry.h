/* SPDX-License-Identifier: MIT */
/*
 * entry.h - what lesson 02's hidden check entry_follows_arguments
 * (checks_hidden.c) reads of a vCPU on each architecture
 * (checks_hidden_ARCH.c).
 */
#ifndef HIDDEN_02_ENTRY_H
#define HIDDEN_02_ENTRY_H

#include <stdint.h>

#include "kit.h"

/* The names of the two registers lm_set_entry() sets, for messages:
 * "RIP" and "RSP", or "PC" and "SP_EL1". */
extern const char entry_pc_name[], entry_sp_name[];

/* The program counter and stack pointer the vCPU has now. */
void entry_regs(struct vcpu *cpu, uint64_t *pc, uint64_t *sp);

/* What else lm_set_entry() must have left, whatever its arguments (x86:
 * RFLAGS; arm64: X0, the size of RAM), as EXPECTs. */
void entry_expect_rest(struct vcpu *cpu);

#endif
