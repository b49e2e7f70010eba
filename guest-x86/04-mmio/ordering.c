/* SPDX-License-Identifier: MIT */
/*
 * ordering.c - bytes to THR, then a write to the probe device (an
 * ordinary exit), twice. A host that takes the probe's exit before the
 * bytes waiting in a coalesced ring lets the probe see them late.
 */
#include "l4guest.h"

static void send(const char *s)
{
	while (*s)
		mmio_write8(UART(UART_THR), (uint8_t)*s++);
}

int main(void)
{
	send("first\n");
	mmio_write64(L4_PROBE_GPA, 1);
	send("second\n");
	mmio_write64(L4_PROBE_GPA, 2);
	send("third\n");
	return 0;
}
