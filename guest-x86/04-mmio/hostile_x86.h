/* SPDX-License-Identifier: MIT */
/*
 * hostile_x86.h - the hostile guests' accesses of any size, on x86 (the
 * arm64 guests' are in guest-arm64/04-mmio/hostile_arm64.h, with what
 * they do when an access faults). For top.c and edges.c.
 */
#ifndef HOSTILE_X86_H
#define HOSTILE_X86_H

#include <stdint.h>

#include "mmio.h"

static inline uint64_t hostile_read(uint64_t a, unsigned size)
{
	switch (size) {
	case 1: return mmio_read8(a);
	case 2: return mmio_read16(a);
	case 4: return mmio_read32(a);
	default: return mmio_read64(a);
	}
}

static inline void hostile_write(uint64_t a, unsigned size, uint64_t v)
{
	switch (size) {
	case 1: mmio_write8(a, (uint8_t)v); break;
	case 2: mmio_write16(a, (uint16_t)v); break;
	case 4: mmio_write32(a, (uint32_t)v); break;
	default: mmio_write64(a, v); break;
	}
}

#endif
