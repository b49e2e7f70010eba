/* SPDX-License-Identifier: MIT */
/*
 * wild_pointer.c - writes through a pointer to an address the page tables
 * map but where there is no memory: the host sees KVM_EXIT_MMIO.
 */
#include "guest.h"

int main(void)
{
	volatile uint64_t *wild = (volatile uint64_t *)LM_UNBACKED_ADDR;

	printf("writing to %p\n", (void *)wild);
	*wild = 0x1122334455667788ULL;
	printf("the write returned\n");
	return 0;
}
