/* SPDX-License-Identifier: MIT */
/*
 * flood.c - 1000 bytes through the UART, as a driver sends them: 25 lines
 * of 40 bytes, polling LSR once per 16 bytes.
 */
#include "l4guest.h"

int main(void)
{
	unsigned line, i;

	for (line = 0; line < 25; line++) {
		uart_putc((char)('0' + line / 10));
		uart_putc((char)('0' + line % 10));
		uart_putc(' ');
		for (i = 0; i < 36; i++)
			uart_putc((char)('a' + (line + i) % 26));
		uart_putc('\n');
	}
	return 0;
}
