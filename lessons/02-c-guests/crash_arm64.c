/* SPDX-License-Identifier: MIT */
/*
 * crash_arm64.c - lesson 02, section 8 on arm64: the facts of a crash.
 *
 * This is your file on arm64. struct crash_report is in c_guests.h;
 * register ids (ESR_EL1, FAR_EL1, ELR_EL1...) in common/arch/arm64.h.
 */
#include <string.h>

#include "c_guests.h"
#include "layout.h"
#include "arch/arm64.h"

#define LESSON "02-c-guests"

int lm_crash_report(struct vcpu *cpu, struct crash_report *report)
{
	/*
	 * TODO: fill every field of *report:
	 *  - exit_reason, exit_name;
	 *  - regs[0..30] = x0-x30 (nregs = 31), pc, sp = SP_EL1
	 *    (arm64_get_reg(), one register at a time);
	 *  - an MMIO exit at LM_FAULT_GPA is the guest reporting an
	 *    exception: has_exception, esr, far, elr from ESR_EL1, FAR_EL1,
	 *    ELR_EL1, and for an abort (ARM64_ESR_EC()) the fault address;
	 *  - any other MMIO exit: the fault address and is_write;
	 *  - code[]: up to CRASH_CODE_BYTES bytes at the PC that are in RAM.
	 */
	memset(report, 0, sizeof(*report));
	(void)cpu;
	return kit_todo(LESSON, "8. Crash reports", "lm_crash_report()");
}
