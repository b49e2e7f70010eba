/* SPDX-License-Identifier: MIT */
/*
 * halt_twice.S - prints "before\n", halts, and prints "after\n" if the host
 * runs it again. A host that stops at the first HLT shows only "before\n".
 */
#include "realmode.h"

	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	realmode_setup
	print before
	hlt
	print after
halt:
	hlt
	jmp	halt

	.section .rodata
before:
	.asciz "before\n"
after:
	.asciz "after\n"
