/* SPDX-License-Identifier: MIT */
/*
 * hypercall.h - the guest side of the kit's hypercall ABI on x86_64
 * (common/abi/hypercall_abi.h): call number in RAX, arguments in RBX, RCX,
 * RDX, RSI, RDI, then `out %al, $KIT_HC_PORT`; the result comes back in RAX.
 */
#ifndef GUEST_X86_HYPERCALL_H
#define GUEST_X86_HYPERCALL_H

#include <stdint.h>

#include "hypercall_abi.h"

/*
 * The "memory" clobber: the host may read memory the guest wrote before
 * the call (a string) and write memory the guest reads after it (a
 * filled buffer), so the compiler must not keep either in registers.
 */
static inline int64_t hypercall5(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3,
				 uint64_t a4, uint64_t a5)
{
	int64_t ret;

	__asm__ volatile("outb %%al, %[port]"
			 : "=a"(ret)
			 : "a"(nr), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5),
			   [port] "i"(KIT_HC_PORT)
			 : "memory");
	return ret;
}

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

static inline int64_t hypercall3(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline int64_t hypercall4(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3,
				 uint64_t a4)
{
	return hypercall5(nr, a1, a2, a3, a4, 0);
}

/* The transport in use, for the guests' reports (arm64 has two). */
static inline const char *hc_transport(void)
{
	return "port I/O";
}

/* The calls, typed. */
static inline int64_t hc_write(const void *buf, uint64_t len)
{
	return hypercall2(KIT_HC_WRITE, (uint64_t)(uintptr_t)buf, len);
}

static inline int64_t hc_fill(struct kit_hc_fill *args)
{
	return hypercall1(KIT_HC_FILL, (uint64_t)(uintptr_t)args);
}

#endif
