/* SPDX-License-Identifier: MIT */
/*
 * refused_loop.c - an exclusive load from a device, forever: the host
 * refuses it (an external data abort), and the guest's handler returns
 * to the same instruction (RES_MODE 1), which faults again. Only the
 * host's watchdog ends this; each abort is counted in the results area.
 */
#include "guest.h"
#include "../04-mmio/hostile_arm64.h"

int main(void)
{
	uint64_t v;

	hostile_setup(1);
	__asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"((uint64_t)HOSTILE_TOC_GPA) : "memory");
	return (int)v;   /* not reached */
}
