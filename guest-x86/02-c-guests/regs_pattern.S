/* SPDX-License-Identifier: MIT */
/*
 * regs_pattern.S - a 64-bit guest that puts a different value in every
 * general register, then stores to guest physical 0x20000000, where there
 * is no memory: an MMIO exit with every register telling. A crash report
 * that swaps two registers, or leaves one out, shows here (in a guest
 * whose registers are mostly zero, it would not).
 */
	.section .text.start, "ax"
	.globl _start
	.code64
_start:
	movabsq	$0x1010101010101010, %rax
	movabsq	$0x2020202020202020, %rbx
	movq	$0x20000000, %rcx	/* the address of the store */
	movabsq	$0x4040404040404040, %rdx
	movabsq	$0x5050505050505050, %rsi
	movabsq	$0x6060606060606060, %rdi
	movabsq	$0x7070707070707070, %rsp
	movabsq	$0x8080808080808080, %rbp
	movabsq	$0x0808080808080808, %r8
	movabsq	$0x0909090909090909, %r9
	movabsq	$0x0a0a0a0a0a0a0a0a, %r10
	movabsq	$0x0b0b0b0b0b0b0b0b, %r11
	movabsq	$0x0c0c0c0c0c0c0c0c, %r12
	movabsq	$0x0d0d0d0d0d0d0d0d, %r13
	movabsq	$0x0e0e0e0e0e0e0e0e, %r14
	movabsq	$0x0f0f0f0f0f0f0f0f, %r15
	movq	%rax, (%rcx)
	hlt

	.section .note.GNU-stack, "", @progbits
