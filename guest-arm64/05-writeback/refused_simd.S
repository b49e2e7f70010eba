/* SPDX-License-Identifier: MIT */
/*
 * refused_simd.S - a store of a SIMD register (q0) to a device: no
 * syndrome, and outside this lesson's decoder. The host answers with an
 * external data abort; the vectors report it.
 */
#include "layout.h"
	.section .text.start, "ax"
	.globl _start
_start:
	bl	install_vectors
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN: SIMD and FP on */
	msr	cpacr_el1, x0
	isb
	movz	x1, #(L5_MEM_GPA >> 16), lsl #16
	movk	x1, #(L5_MEM_GPA & 0xffff)
	str	q0, [x1]
1:	b	1b
