/* SPDX-License-Identifier: MIT */
/*
 * post_index.S - the question that started lesson 05: a post-indexed
 * store, `str xzr, [x2], #8`, to an address with no memory. The data
 * abort carries no valid syndrome (writeback forms never do), so KVM
 * cannot turn it into KVM_EXIT_MMIO: KVM_RUN fails with ENOSYS, and
 * run->exit_reason is left at 0 (KVM_EXIT_UNKNOWN), meaning nothing.
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	uart_setup
	print	message
	movz	x2, #0x0a00, lsl #16
	str	xzr, [x2], #8
	psci	GUEST_PSCI_SYSTEM_OFF
1:	b	1b

	.section .rodata
message:
	.asciz "storing\n"
