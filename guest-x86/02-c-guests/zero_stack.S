/* SPDX-License-Identifier: MIT */
/*
 * zero_stack.S - a 64-bit guest whose stack pointer is 0. Its first push
 * goes to 0xfffffffffffffff8, which the page tables do not map: a page
 * fault with no handler, and the vCPU shuts down.
 */
	.section .text.start, "ax"
	.globl _start
	.code64
_start:
	xorl	%esp, %esp	/* also clears the upper half of RSP */
	call	1f
1:	hlt

	.section .note.GNU-stack, "", @progbits
