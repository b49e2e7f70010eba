/* SPDX-License-Identifier: MIT */
/*
 * l4guest.h - what lesson 04's guests share: a 16550 driver that writes
 * the way a real one does (wait for LSR.THRE, then up to a FIFO's worth
 * of bytes), and a way to say "ok" or "WRONG" for each thing checked.
 * Every device access goes through mmio.h: one access of the size asked.
 */
#ifndef L4GUEST_H
#define L4GUEST_H

#include "guest.h"
#include "layout.h"
#include "mmio.h"
#include "devices_abi.h"

#define UART(reg) (L4_UART_GPA + (reg))
#define COUNTER(reg) (L4_COUNTER_GPA + (reg))

static unsigned uart_room; /* bytes the FIFO takes before we look again */

static __attribute__((unused)) void uart_putc(char c)
{
	while (uart_room == 0)
		if (mmio_read8(UART(UART_LSR)) & UART_LSR_THRE)
			uart_room = UART_FIFO_SIZE;
	mmio_write8(UART(UART_THR), (uint8_t)c);
	uart_room--;
}

static __attribute__((unused)) void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static __attribute__((unused)) void uart_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift;

	uart_puts("0x");
	for (shift = 60; shift > 0 && !(v >> shift); shift -= 4)
		;
	for (; shift >= 0; shift -= 4)
		uart_putc(digits[(v >> shift) & 0xf]);
}

static unsigned wrong;

static __attribute__((unused)) void check(const char *what, int ok)
{
	uart_puts(what);
	uart_puts(ok ? ": ok\n" : ": WRONG\n");
	wrong += !ok;
}

static __attribute__((unused)) void check_value(const char *what, uint64_t got, uint64_t want)
{
	uart_puts(what);
	uart_puts(": ");
	uart_hex(got);
	if (got == want) {
		uart_puts(" ok\n");
		return;
	}
	uart_puts(" WRONG, expected ");
	uart_hex(want);
	uart_puts("\n");
	wrong++;
}

#endif
