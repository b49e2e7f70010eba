/* SPDX-License-Identifier: MIT */
/*
 * hypercall.h - the guest side of the kit's hypercall ABI on arm64
 * (common/abi/hypercall_abi.h): number in X0, arguments in X1-X5, the
 * result back in X0; through `hvc` where the host forwards it, through the
 * MMIO doorbell otherwise (hypercall.c decides, once). The same calls as
 * on x86, so a guest program can use either.
 */
#ifndef GUEST_ARM64_HYPERCALL_H
#define GUEST_ARM64_HYPERCALL_H

#include <stdint.h>

#include "hypercall_abi.h"

int64_t hypercall5(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		   uint64_t a5);
/* "hvc (SMCCC filter)" or "MMIO doorbell": the transport in use. */
const char *hc_transport(void);

static inline int64_t hypercall0(uint64_t nr)
{
	return hypercall5(nr, 0, 0, 0, 0, 0);
}

static inline int64_t hypercall1(uint64_t nr, uint64_t a1)
{
	return hypercall5(nr, a1, 0, 0, 0, 0);
}

static inline int64_t hypercall2(uint64_t nr, uint64_t a1, uint64_t a2)
{
	return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline int64_t hc_write(const void *buf, uint64_t len)
{
	return hypercall2(KIT_HC_WRITE, (uint64_t)(uintptr_t)buf, len);
}

static inline int64_t hc_fill(struct kit_hc_fill *args)
{
	return hypercall1(KIT_HC_FILL, (uint64_t)(uintptr_t)args);
}

#endif
