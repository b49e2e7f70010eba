/* SPDX-License-Identifier: MIT */
/*
 * rom_reader.c - reads all 64 KiB of the ROM, 4 bytes at a time, and
 * prints a checksum: 16384 loads, and no exit for any of them.
 */
#include "l4guest.h"

int main(void)
{
	volatile const uint32_t *rom = (volatile const uint32_t *)(uintptr_t)L4_ROM_GPA;
	uint32_t sum = 0;
	unsigned i;

	for (i = 0; i < L4_ROM_SIZE / 4; i++)
		sum = sum * 31 + rom[i];
	uart_puts("rom checksum ");
	uart_hex(sum);
	uart_puts("\n");
	return 0;
}
