/* SPDX-License-Identifier: MIT */
/*
 * refused_ldxr.S - an exclusive load from a device: no syndrome, and not
 * something to emulate (an exclusive monitor on a device means nothing).
 * The host answers with an external data abort; the vectors report it.
 */
#include "layout.h"
	.section .text.start, "ax"
	.globl _start
_start:
	bl	install_vectors
	movz	x1, #(L5_MEM_GPA >> 16), lsl #16
	movk	x1, #(L5_MEM_GPA & 0xffff)
	ldxr	x0, [x1]
1:	b	1b
