/* SPDX-License-Identifier: MIT */
/*
 * end_of_ram.c - puts a 2-byte `ud2` in the last two bytes of RAM and
 * jumps to it: the instruction faults with no handler (a shutdown), and
 * only 2 bytes at RIP are in guest memory.
 */
#include "guest.h"

int main(void)
{
	volatile uint8_t *last = (volatile uint8_t *)(LM_RAM_SIZE - 2);

	printf("jumping to ud2 at %p\n", (void *)last);
	last[0] = 0x0f; /* ud2 */
	last[1] = 0x0b;
	((void (*)(void))last)();
	return 0;
}
