/* SPDX-License-Identifier: MIT */
/*
 * mmio.h - device register accesses for the arm64 guests: one plain
 * `ldr`/`str` of the given size each, with no writeback, as Linux's
 * __raw_readl()/__raw_writel() do. Only such an access gives KVM a valid
 * instruction syndrome (ISV) and so a KVM_EXIT_MMIO; a compiler left to
 * itself may pick a post-indexed store for a loop of volatile stores
 * (`str xzr, [x0], #8`), and then KVM_RUN fails with ENOSYS instead
 * (lesson 05). The asm makes the choice ours.
 */
#ifndef GUEST_ARM64_MMIO_H
#define GUEST_ARM64_MMIO_H

#include <stdint.h>

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	__asm__ volatile("strb %w1, [%0]" : : "r"(addr), "r"(v) : "memory");
}
static inline void mmio_write16(uint64_t addr, uint16_t v)
{
	__asm__ volatile("strh %w1, [%0]" : : "r"(addr), "r"(v) : "memory");
}
static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w1, [%0]" : : "r"(addr), "r"(v) : "memory");
}
static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("str %x1, [%0]" : : "r"(addr), "r"(v) : "memory");
}
static inline uint8_t mmio_read8(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (uint8_t)v;
}
static inline uint16_t mmio_read16(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (uint16_t)v;
}
static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}
static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %x0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

#endif
