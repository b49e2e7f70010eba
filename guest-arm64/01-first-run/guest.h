/* SPDX-License-Identifier: MIT */
/* guest.h - shared by lesson 01's arm64 guests (assembler). */
#include "layout.h"

/* x9 = the UART's address, for `print`. */
.macro uart_setup
	movz	x9, #(GUEST_UART_GPA >> 16), lsl #16
	movk	x9, #(GUEST_UART_GPA & 0xffff)
.endm

/* Print the NUL-terminated string at \str: one store (one exit) per byte. */
.macro print str
	adr	x10, \str
1:	ldrb	w11, [x10]
	cbz	w11, 2f
	strb	w11, [x9]
	add	x10, x10, #1
	b	1b
2:
.endm

/* A PSCI call: function ID \fn in x0, then `hvc #0`. */
.macro psci fn
	movz	x0, #((\fn) >> 16), lsl #16
	movk	x0, #((\fn) & 0xffff)
	hvc	#0
.endm
