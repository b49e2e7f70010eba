/* SPDX-License-Identifier: MIT */
/*
 * halt_twice.S - prints "before\n", powers off, and prints "after\n" if
 * the host runs it again. A host that stops at the first SYSTEM_OFF shows
 * only "before\n".
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	uart_setup
	print	before
	psci	GUEST_PSCI_SYSTEM_OFF
	print	after
	psci	GUEST_PSCI_SYSTEM_OFF
1:	b	1b

	.section .rodata
before:
	.asciz "before\n"
after:
	.asciz "after\n"
