/* SPDX-License-Identifier: MIT */
/*
 * top.c - accesses at the top of the VM's IPA space: KVM_CREATE_VM type 0
 * gives 40 bits, and with the MMU off a virtual address is the physical
 * address, so the last bytes are at 2^40 - 1. Every size is written and
 * read back at the very last bytes (the host has a device there), then
 * below the device (nobody's). Past the top, at 2^40 and at the top of
 * the 64-bit space, there is no IPA at all: each access is an abort taken
 * by the guest (counted, and skipped), never an exit to the host.
 */
#include "guest.h"
#include "hostile_arm64.h"

#define IPA_TOP (1ULL << 40)

int main(void)
{
	volatile uint64_t *res = hostile_res();
	unsigned k;

	hostile_setup(0);
	res[RES_AUX] = 40;
	for (k = 0; k < 4; k++) {
		hostile_write(IPA_TOP - (1u << k), 1u << k, top_value(1u << k));
		res[RES_VAL + k] = hostile_read(IPA_TOP - (1u << k), 1u << k);
	}
	res[RES_VAL + 4] = hostile_read(IPA_TOP - 24, 8);   /* below the device */
	res[RES_VAL + 5] = hostile_read(IPA_TOP, 8);        /* past the top */
	hostile_write(IPA_TOP, 8, top_value(8));
	res[RES_VAL + 6] = hostile_read(~0ULL - 7, 8);      /* the last 8 bytes of 2^64 */
	res[RES_DONE] = HOSTILE_DONE;
	return 0;
}
