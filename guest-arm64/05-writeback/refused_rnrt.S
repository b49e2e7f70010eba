/* SPDX-License-Identifier: MIT */
/*
 * refused_rnrt.S - `str x1, [x1], #8`: writeback onto the register that
 * is stored, CONSTRAINED UNPREDICTABLE in the architecture (the assembler
 * refuses to write it, hence the .inst). The host refuses it too, with an
 * external data abort.
 */
#include "layout.h"
	.section .text.start, "ax"
	.globl _start
_start:
	bl	install_vectors
	movz	x1, #(L5_MEM_GPA >> 16), lsl #16
	movk	x1, #(L5_MEM_GPA & 0xffff)
	.inst	0xf8008421		/* str x1, [x1], #8 */
1:	b	1b
