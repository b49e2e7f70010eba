/* SPDX-License-Identifier: MIT */
/*
 * system_reset.S - asks for a reboot (PSCI SYSTEM_RESET): a system event
 * of another type than the power-off that ends lesson 01's guests, which
 * the host must not take for the normal end.
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	psci	GUEST_PSCI_SYSTEM_RESET
1:	b	1b
