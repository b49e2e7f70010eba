/* SPDX-License-Identifier: MIT */
/*
 * zero_stack32.S - the classic: a 32-bit protected-mode guest (flat
 * segments, no paging) with ESP = 0 and every register zero. Its push
 * writes to 0xfffffffc, where there is no memory: KVM_EXIT_MMIO, with
 * the registers still all zero. Loaded as a flat binary.
 */
	.section .text.start, "ax"
	.globl _start
	.code32
_start:
	pushl	$0x2a
	hlt

	.section .note.GNU-stack, "", @progbits
