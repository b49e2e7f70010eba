/* SPDX-License-Identifier: MIT */
/*
 * zero_stack.S - a guest whose stack pointer is 0. Its first push goes to
 * 0xfffffffffffffff0: with the MMU off, an address beyond what the CPU
 * can address, so the store faults (an address size fault).
 */
	.section .text.start, "ax"
	.globl _start
_start:
	bl	install_vectors	/* from the runtime: a fault ends the run */
	mov	x9, #0
	mov	sp, x9
	stp	x29, x30, [sp, #-16]!
1:	b	1b
