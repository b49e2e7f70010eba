/* SPDX-License-Identifier: MIT */
/* realmode.h - shared set-up for lesson 01's 16-bit guests (assembler). */
#include "layout.h"
#define SERIAL_PORT GUEST_SERIAL_PORT

/* Flat real mode: data and stack segments at 0, a stack below the code. */
.macro realmode_setup
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x1000, %sp
.endm

/* Print the NUL-terminated string at \str on the serial port, one `out`
 * (one KVM_EXIT_IO) per byte. */
.macro print str
	movw	$\str, %si
	movw	$SERIAL_PORT, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:
.endm
