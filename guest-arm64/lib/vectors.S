/* SPDX-License-Identifier: MIT */
/*
 * vectors.S - the guests' exception vectors. A guest has no OS to handle
 * an exception, so every vector does the same: store the syndrome
 * (ESR_EL1) to the fault register, LM_FAULT_GPA, where there is no memory.
 * That is an MMIO exit: the host stops the run, and reads ESR_EL1,
 * FAR_EL1 and ELR_EL1 to say what happened. Without this, an exception
 * at EL1 would jump to address 0 (VBAR_EL1's reset value), find no memory
 * there, fault again, and loop inside KVM until a watchdog fired.
 */
#include "layout.h"

	.section .text, "ax"
	.globl install_vectors
install_vectors:
	adrp	x9, vectors
	add	x9, x9, :lo12:vectors
	msr	vbar_el1, x9
	isb
	ret

report:
	mrs	x0, esr_el1
	movz	x9, #((LM_FAULT_GPA >> 16) & 0xffff), lsl #16
	movk	x9, #(LM_FAULT_GPA & 0xffff)
	str	x0, [x9]		/* the host takes it from here */
1:	b	1b

	/* 16 entries of 0x80 bytes; the table is 2 KiB aligned. */
	.balign 0x800
vectors:
	.rept 16
	.balign 0x80
	b	report
	.endr
