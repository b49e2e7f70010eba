/* SPDX-License-Identifier: MIT */
/*
 * writeback.c - (arm64 only) the same store twice to the SCRATCH
 * register: first a plain `str`, then `str xzr, [x0], #8`, a post-indexed
 * store, which a compiler may pick by itself for a loop of stores. The
 * second gives KVM no instruction syndrome to go by: KVM_RUN fails with
 * ENOSYS, and the guest never gets past it. Lesson 05 makes it work.
 */
#include "../../guest-x86/04-mmio/l4guest.h"

int main(void)
{
	uint64_t p = COUNTER(COUNTER_SCRATCH);

	uart_puts("a plain str to SCRATCH: ");
	mmio_write64(p, 1);
	uart_puts("done\n");
	uart_puts("str xzr, [x0], #8 to SCRATCH: ");
	__asm__ volatile("str xzr, [%0], #8" : "+r"(p) : : "memory");
	uart_puts("done (a host that emulates it: lesson 05)\n");
	return 0;
}
