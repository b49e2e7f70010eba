/* SPDX-License-Identifier: MIT */
/*
 * edges.c - every access size at every start address across the edges of
 * a device the host places in [EDGE_FIRST, EDGE_FIRST + EDGE_SPAN): from
 * before its first byte, straddling it, inside, straddling its last byte
 * and past it. All the reads first (their values go to the results area),
 * then all the writes. The host knows where its device is and what each
 * access must do; the guest only does them, in an order both know.
 */
#include "guest.h"
#include "mmio.h"
#include "hostile_abi.h"

#if defined(__aarch64__)
#include "hostile_arm64.h"
#else
#include "hostile_x86.h"

/* x86 takes a misaligned access as it is: nothing to set up. */
static void hostile_setup(unsigned mode)
{
	(void)mode;
}
#endif

int main(void)
{
	volatile uint64_t *res = (volatile uint64_t *)HOSTILE_RES_GPA;
	uint64_t a;
	unsigned i, k;

	hostile_setup(0);
	for (i = 0, a = EDGE_FIRST; a < EDGE_FIRST + EDGE_SPAN; a++)
		for (k = 0; k < 4; k++, i++)
			res[RES_VAL + i] = hostile_read(a, 1u << k);
	for (i = 0, a = EDGE_FIRST; a < EDGE_FIRST + EDGE_SPAN; a++)
		for (k = 0; k < 4; k++, i++)
			hostile_write(a, 1u << k, edge_value(i, 1u << k));
	res[RES_DONE] = HOSTILE_DONE;
	return 0;
}
