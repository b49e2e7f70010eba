/* SPDX-License-Identifier: MIT */
/*
 * libguest.c - the arm64 half of the C guests' library: output through the
 * UART-like register (guest-x86/lib/printf.c, shared, has the rest), and the end.
 */
#include "guest.h"

void putchar_serial(char c)
{
	mmio_write8(LM_UART_GPA, (uint8_t)c);
}

/* Lesson 02's guests power off with PSCI; lesson 03's link hcexit.c,
 * whose guest_exit() makes the exit hypercall instead. */
__attribute__((weak)) void guest_exit(int code)
{
	(void)code;
	psci_call(PSCI_SYSTEM_OFF);
	for (;;)
		__asm__ volatile("wfi");
}
