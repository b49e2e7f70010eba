/* SPDX-License-Identifier: MIT */
/*
 * regs_x86_64.c - lesson 01, section 7: the x86 vCPU's state at entry.
 *
 * This is your file too. A new x86 vCPU starts where a real CPU does after
 * reset: real mode, CS selector 0xf000 with base 0xffff0000, IP 0xfff0.
 * Our guest is at `entry` instead.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "first_run.h"
#include "arch/x86_64.h"

#define LESSON "01-first-run"

int first_set_registers(struct vcpu *cpu, uint64_t entry)
{
	/*
	 * TODO:
	 *  - KVM_GET_SREGS; set CS's base and selector to 0; KVM_SET_SREGS;
	 *  - KVM_SET_REGS with RIP = entry and RFLAGS = X86_RFLAGS_RESERVED1.
	 */
	(void)cpu;
	(void)entry;
	return kit_todo(LESSON, "7. Set the registers", "first_set_registers()");
}
