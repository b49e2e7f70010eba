/* SPDX-License-Identifier: MIT */
/*
 * triple_fault.S - raises an exception it has no way to handle: the vCPU
 * shuts down (KVM_EXIT_SHUTDOWN), as a real PC would reset.
 *
 * In real mode an exception goes through the interrupt vector table at 0,
 * which always "works" (here it would jump into zeroed memory). So first
 * enter protected mode with an empty IDT (limit 0): then ud2's #UD cannot
 * be delivered (#GP), nor can that (#DF), and the third fault is a
 * shutdown. CS still holds its real-mode values, so the code keeps running
 * as 16-bit code until the fault.
 */
#include "realmode.h"

	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	realmode_setup
	cli
	lidt	empty_idt
	movl	%cr0, %eax
	orl	$1, %eax	/* CR0.PE */
	movl	%eax, %cr0
	ud2

	.section .rodata
empty_idt:
	.word 0		/* limit */
	.long 0		/* base */
