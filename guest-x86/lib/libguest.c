/* SPDX-License-Identifier: MIT */
/*
 * libguest.c - the x86 half of the C guests' library: serial output with
 * `out` (printf.c has the rest), and the default end.
 */
#include "guest.h"

void putchar_serial(char c)
{
	outb(LM_SERIAL_PORT, (uint8_t)c);
}

/* Lesson 02's guests end by halting; lesson 03's link hcexit.c, whose
 * guest_exit() makes the exit hypercall instead (so this one is weak). */
__attribute__((weak)) void guest_exit(int code)
{
	(void)code;
	for (;;)
		halt();
}
