/* SPDX-License-Identifier: MIT */
/*
 * control_regs.c - the guest looks at the CPU the host gave it and says
 * what it sees: CR0, CR4, EFER, and what CPUID tells it.
 */
#include "guest.h"

#define MSR_EFER 0xc0000080

static uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static uint64_t read_msr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

int main(void)
{
	uint32_t a, b, c, d;
	char vendor[13];

	printf("cr0=0x%lx\n", read_cr0());
	printf("cr4=0x%lx\n", read_cr4());
	printf("efer=0x%lx\n", read_msr(MSR_EFER));

	cpuid(0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	printf("cpuid.0.vendor=%s\n", vendor);
	cpuid(0x80000001, &a, &b, &c, &d);
	printf("cpuid.80000001.edx=0x%x\n", d);
	return 0;
}
