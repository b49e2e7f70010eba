/* SPDX-License-Identifier: MIT */
/*
 * arch_x86_64.c - lesson 01, the x86 part: the vCPU's state at entry
 * (section 7), and what an exit means on x86 (sections 8.1 and 8.2).
 *
 * This is your file too. A new x86 vCPU starts where a real CPU does after
 * reset: real mode, CS selector 0xf000 with base 0xffff0000, IP 0xfff0.
 * Our guest is at `entry` instead.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "first_run.h"
#include "layout.h"
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

enum first_exit first_classify_exit(struct vcpu *cpu, FILE *serial)
{
	/*
	 * TODO:
	 *  - KVM_EXIT_IO, an `out` (direction) to GUEST_SERIAL_PORT: write
	 *    its bytes to `serial`: run->io.count elements of run->io.size
	 *    bytes, at (char *)run + run->io.data_offset; FIRST_EXIT_OUTPUT;
	 *  - KVM_EXIT_HLT: FIRST_EXIT_DONE;
	 *  - anything else: FIRST_EXIT_OTHER.
	 */
	(void)cpu;
	(void)serial;
	kit_todo(LESSON, "8.1 Output", "first_classify_exit()");
	return FIRST_EXIT_OTHER;
}
