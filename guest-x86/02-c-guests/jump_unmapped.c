/* SPDX-License-Identifier: MIT */
/*
 * jump_unmapped.c - calls a function at an address with no memory behind
 * it: the CPU has no instruction to fetch there.
 */
#include "guest.h"

int main(void)
{
	void (*nowhere)(void) = (void (*)(void))(LM_UNBACKED_ADDR + 0x1000);

	printf("calling %p\n", (void *)nowhere);
	nowhere();
	printf("the call returned\n");
	return 0;
}
