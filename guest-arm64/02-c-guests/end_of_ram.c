/* SPDX-License-Identifier: MIT */
/*
 * end_of_ram.c - puts `udf #0` (an undefined instruction) in the last 4
 * bytes of RAM and jumps to it: the guest takes an exception there.
 */
#include "guest.h"

int main(void)
{
	volatile uint32_t *last = (volatile uint32_t *)(LM_RAM_GPA + LM_RAM_SIZE - 4);

	printf("jumping to udf at %p\n", (void *)last);
	*last = 0x00000000; /* udf #0 */
	__asm__ volatile("ic iallu\n\tdsb sy\n\tisb" ::: "memory");
	((void (*)(void))last)();
	return 0;
}
