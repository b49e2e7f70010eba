/* SPDX-License-Identifier: MIT */
/* spin.S - never exits to the host: only a watchdog can stop it. */
	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	jmp	_start
