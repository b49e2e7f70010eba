/* SPDX-License-Identifier: MIT */
/* spin.S - never exits to the host: only a watchdog can stop it. */
	.section .text.start, "ax"
	.globl _start
_start:
	b	_start
