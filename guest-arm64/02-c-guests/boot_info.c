/* SPDX-License-Identifier: MIT */
/*
 * boot_info.c - the guest looks at the CPU the host gave it and says what
 * it sees: its exception level, whether its MMU is on, X0 at entry, and
 * the CPU's ID register.
 */
#include "guest.h"

#define SCTLR_EL1_M 1 /* the MMU enable bit */

static uint64_t read_currentel(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
	return v;
}

static uint64_t read_sctlr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(v));
	return v;
}

static uint64_t read_midr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, midr_el1" : "=r"(v));
	return v;
}

int main(uint64_t x0)
{
	printf("el=%lu\n", (read_currentel() >> 2) & 3);
	printf("mmu=%s\n", read_sctlr() & SCTLR_EL1_M ? "on" : "off");
	printf("x0=0x%lx\n", x0);
	printf("midr=0x%lx\n", read_midr());
	return 0;
}
