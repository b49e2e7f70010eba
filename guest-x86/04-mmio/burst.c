/* SPDX-License-Identifier: MIT */
/*
 * burst.c - 1500 bytes written to THR with no LSR poll in between: with
 * coalescing, more than a ring holds (170 entries with 4 KiB pages, 682
 * with 16 KiB), so KVM must fall back to ordinary exits; not a byte may
 * be lost.
 */
#include "l4guest.h"

int main(void)
{
	unsigned i;

	for (i = 0; i < 1500; i++)
		mmio_write8(UART(UART_THR), (uint8_t)(i % 60 == 59 ? '\n' : 'A' + i % 26));
	return 0;
}
