/* SPDX-License-Identifier: MIT */
/*
 * toctou.c - three post-indexed stores to the host's device at
 * HOSTILE_TOC_GPA, `str x1, [x2], #8`: no syndrome, so each is a
 * KVM_EXIT_ARM_NISV. Between that exit and its decode, the host rewrites
 * the word at PC, as a second vCPU could: to a store that aims elsewhere
 * (x3, a RAM word), to one that aims at the same address (x4's value),
 * and to one with another offset (the device, 16 bytes on). The guest
 * only keeps x2 after each, and counts the aborts it is given.
 */
#include "guest.h"
#include "../04-mmio/hostile_arm64.h"

int main(void)
{
	volatile uint64_t *res = hostile_res();
	register uint64_t x1 __asm__("x1") = 0x1111111111111111ULL;
	register uint64_t x2 __asm__("x2") = HOSTILE_TOC_GPA;
	register uint64_t x3 __asm__("x3") = HOSTILE_RES_GPA + 8 * RES_OTHER;
	register uint64_t x4 __asm__("x4") = 0x4444444444444444ULL;
	register uint64_t x5 __asm__("x5");
	register uint64_t x6 __asm__("x6");
	register uint64_t x7 __asm__("x7");

	hostile_setup(0);
	res[RES_OTHER] = HOSTILE_MARK;
	__asm__ volatile(
		"str	x1, [x2], #8\n"
		"mov	x5, x2\n"
		"str	x1, [x2], #8\n"
		"mov	x6, x2\n"
		"str	x1, [x2], #8\n"
		"mov	x7, x2\n"
		: "+r"(x2), "=r"(x5), "=r"(x6), "=r"(x7)
		: "r"(x1), "r"(x3), "r"(x4)
		: "memory");
	res[RES_REG] = x5;
	res[RES_REG + 1] = x6;
	res[RES_REG + 2] = x7;
	res[RES_DONE] = HOSTILE_DONE;
	return 0;
}
