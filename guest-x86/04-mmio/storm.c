/* SPDX-License-Identifier: MIT */
/*
 * storm.c - 1000 reads of an address where nothing is, then one line.
 */
#include "l4guest.h"

int main(void)
{
	uint64_t all = ~0ULL;
	unsigned i;

	for (i = 0; i < 1000; i++)
		all &= mmio_read64(L4_UNCLAIMED_GPA + 8 * (i % 64));
	check_value("1000 unclaimed reads", all, ~0ULL);
	return 0;
}
