/* SPDX-License-Identifier: MIT */
/*
 * crt0.S - where an AArch64 C guest starts: at EL1, MMU off, with the
 * host's X0 (the size of RAM) and SP. Install the exception vectors, set
 * the stack ourselves, clear .bss, call main(x0), and pass its return
 * value to guest_exit().
 */
#include "layout.h"

	.section .text.start, "ax"
	.globl _start
_start:
	mov	x19, x0			/* keep the host's X0 for main */
	bl	install_vectors
	movz	x9, #((LM_STACK_TOP >> 16) & 0xffff), lsl #16
	mov	sp, x9
	/* Zero .bss a byte at a time: with the MMU off memory is Device
	 * memory, where wider stores must be aligned. */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	strb	wzr, [x9], #1
	b	1b
2:	mov	x0, x19
	bl	main
	bl	guest_exit
3:	b	3b
