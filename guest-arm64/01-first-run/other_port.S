/* SPDX-License-Identifier: MIT */
/*
 * other_port.S - writes to the UART's address + 8 (another register, not
 * the data register) before it prints: the host must report the
 * unexpected store instead of printing it.
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	uart_setup
	mov	w2, #'X'
	strb	w2, [x9, #8]
	print	message
	psci	GUEST_PSCI_SYSTEM_OFF
1:	b	1b

	.section .rodata
message:
	.asciz "should not be printed\n"
