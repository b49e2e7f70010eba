/* SPDX-License-Identifier: MIT */
/*
 * load_abort.S - a guest that loads from 0xfffffffffffffff0, beyond what
 * the CPU can address with the MMU off: a data abort (an address size
 * fault) on a read, so ESR_EL1.WnR is 0. The vectors report it.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	bl	install_vectors	/* from the runtime: a fault ends the run */
	mov	x9, #0
	sub	x9, x9, #16
	ldr	x1, [x9]
1:	b	1b
