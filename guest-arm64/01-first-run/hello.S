/* SPDX-License-Identifier: MIT */
/*
 * hello.S - lesson 01's arm64 guest: print a line through the UART-like
 * register, then power off with PSCI SYSTEM_OFF (there is no HLT exit on
 * arm64). Runs at EL1 with the MMU off, loaded at GUEST_LOAD_GPA.
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	uart_setup
	print	message
	psci	GUEST_PSCI_SYSTEM_OFF
1:	b	1b	/* SYSTEM_OFF does not return */

	.section .rodata
message:
	.asciz GUEST_HELLO_TEXT
