/* SPDX-License-Identifier: MIT */
/*
 * crt0.S - where a 64-bit C guest starts. The host has already put the CPU
 * in long mode, with RSP at LM_STACK_TOP; this code clears .bss, calls
 * main(), and hands main's return value to guest_exit() (guest.h).
 */
#include "layout.h"

	.section .text.start, "ax"
	.globl _start
	.code64
_start:
	/* Trust nothing: set the stack ourselves, 16-byte aligned (SysV ABI). */
	movabsq	$LM_STACK_TOP, %rsp
	xorl	%ebp, %ebp
	/* Zero .bss: the ELF loader zeroes it too, but a guest loaded some
	 * other way (a flat binary) would not get that. */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
	call	main
	movl	%eax, %edi
	call	guest_exit
1:	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
