/* SPDX-License-Identifier: MIT */
/*
 * other_port.S - writes to port 0x80 (not the serial port) before it
 * prints: the host must report the unexpected `out` instead of printing it.
 */
#include "realmode.h"

	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	realmode_setup
	movb	$'X', %al
	outb	%al, $0x80
	print message
halt:
	hlt
	jmp	halt

	.section .rodata
message:
	.asciz "should not be printed\n"
