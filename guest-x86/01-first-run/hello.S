/* SPDX-License-Identifier: MIT */
/*
 * hello.S - lesson 01's guest: print a line on the serial port, then halt.
 * Runs in 16-bit real mode, loaded at 0x1000.
 */
#include "realmode.h"

	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	realmode_setup
	print message
halt:
	hlt
	jmp	halt	/* if the host runs us again, halt again */

	.section .rodata
message:
	.asciz GUEST_HELLO_TEXT
