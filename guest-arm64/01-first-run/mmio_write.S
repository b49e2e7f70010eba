/* SPDX-License-Identifier: MIT */
/*
 * mmio_write.S - prints "mmio\n", then stores a byte to 0x0a000000, where
 * there is neither memory nor the UART: KVM_EXIT_MMIO, which lesson 01's
 * host does not expect.
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	uart_setup
	print	message
	movz	x1, #0x0a00, lsl #16
	mov	w2, #0x42
	strb	w2, [x1]
	psci	GUEST_PSCI_SYSTEM_OFF
1:	b	1b

	.section .rodata
message:
	.asciz "mmio\n"
