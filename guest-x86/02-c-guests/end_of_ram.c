/* SPDX-License-Identifier: MIT */
/*
 * end_of_ram.c - puts a 2-byte load, `mov (%rdx), %eax`, in the last two
 * bytes of RAM and jumps to it with RDX pointing where there is no memory:
 * an MMIO read exit, at an instruction of which only 2 bytes are in RAM.
 * (A read exits before it completes, so RIP is still on the instruction,
 * on every x86 KVM.)
 */
#include "guest.h"

int main(void)
{
	volatile uint8_t *last = (volatile uint8_t *)(LM_RAM_GPA + LM_RAM_SIZE - 2);

	printf("jumping to a load at %p\n", (void *)last);
	last[0] = 0x8b; /* mov (%rdx), %eax */
	last[1] = 0x02;
	__asm__ volatile("jmp *%0" : : "r"(last), "d"((uint64_t)LM_UNBACKED_ADDR) : "memory");
	return 0;
}
