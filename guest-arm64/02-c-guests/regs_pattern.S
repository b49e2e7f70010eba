/* SPDX-License-Identifier: MIT */
/*
 * regs_pattern.S - a guest that gives each of X0-X30 its own value, high
 * half and low half (0x0011...a000 for X0, 0x0111...a001 for X1, ...,
 * 0x1e11...a01e for X30), then stores where there is no memory: an MMIO
 * exit with every register still holding its pattern. A crash report that
 * takes a register from the wrong place, or only half of one, shows it.
 */
#include "layout.h"

	.macro	pattern n
	movz	x\n, #(0x100 * \n + 0x11), lsl #48
	movk	x\n, #(0xa000 + \n)
	.endm

	.section .text.start, "ax"
	.globl _start
_start:
	.irp	n, 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	pattern	\n
	.endr
	/* X2 holds the address: 0x0000000020000000, its own value too. */
	movz	x2, #(LM_UNBACKED_ADDR >> 16), lsl #16
	str	x1, [x2]
1:	b	1b
