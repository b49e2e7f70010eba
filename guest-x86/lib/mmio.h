/* SPDX-License-Identifier: MIT */
/*
 * mmio.h - device register accesses for the x86 guests: one `mov` of the
 * given size each, which KVM turns into one KVM_EXIT_MMIO of that size
 * (the asm keeps the compiler from merging, splitting or dropping them).
 */
#ifndef GUEST_X86_MMIO_H
#define GUEST_X86_MMIO_H

#include <stdint.h>

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	__asm__ volatile("movb %1, (%0)" : : "r"(addr), "q"(v) : "memory");
}
static inline void mmio_write16(uint64_t addr, uint16_t v)
{
	__asm__ volatile("movw %1, (%0)" : : "r"(addr), "r"(v) : "memory");
}
static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("movl %1, (%0)" : : "r"(addr), "r"(v) : "memory");
}
static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("movq %1, (%0)" : : "r"(addr), "r"(v) : "memory");
}
static inline uint8_t mmio_read8(uint64_t addr)
{
	uint8_t v;

	__asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(addr) : "memory");
	return v;
}
static inline uint16_t mmio_read16(uint64_t addr)
{
	uint16_t v;

	__asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}
static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}
static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

#endif
