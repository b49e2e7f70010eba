/* SPDX-License-Identifier: MIT */
/*
 * mmio_write.S - prints "mmio\n", then stores a byte to guest physical
 * 0xd0000, where the host has no memory: KVM_EXIT_MMIO, which lesson 01's
 * host does not expect.
 */
#include "realmode.h"

	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	realmode_setup
	print message
	movw	$0xd000, %ax
	movw	%ax, %es
	movb	$0x42, %es:0	/* 0xd000 * 16 + 0 = 0xd0000 */
halt:
	hlt
	jmp	halt

	.section .rodata
message:
	.asciz "mmio\n"
