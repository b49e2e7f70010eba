/* SPDX-License-Identifier: MIT */
/*
 * doorbell.c - 100 doorbell writes of DOORBELL_MAGIC and 10 of 7, mixed.
 */
#include "l4guest.h"

int main(void)
{
	unsigned i;

	for (i = 0; i < 110; i++)
		mmio_write64(COUNTER(COUNTER_DOORBELL), i % 11 == 10 ? 7 : DOORBELL_MAGIC);
	uart_puts("doorbell rang 110 times\n");
	return 0;
}
