/* SPDX-License-Identifier: MIT */
/*
 * crash_x86_64.c - lesson 02, section 8: when a guest crashes, collect the
 * facts: the exit, the registers, the address it faulted on, and the
 * bytes of the instruction at RIP.
 *
 * This is your file. struct crash_report is in c_guests.h.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "c_guests.h"

#define LESSON "02-c-guests"

int lm_crash_report(struct vcpu *cpu, struct crash_report *report)
{
	/*
	 * TODO: fill every field of *report:
	 *  - exit_reason and exit_name from cpu->run;
	 *  - pc (RIP), sp (RSP), regs[] and nregs (16) from KVM_GET_REGS;
	 *  - for KVM_EXIT_MMIO: the fault address and whether it was a write;
	 *  - code[]: up to CRASH_CODE_BYTES bytes at RIP, as many as guest
	 *    memory has (code_len 0 if RIP is outside it).
	 */
	memset(report, 0, sizeof(*report));
	(void)cpu;
	return kit_todo(LESSON, "8. Crash reports", "lm_crash_report()");
}
