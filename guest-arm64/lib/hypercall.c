/* SPDX-License-Identifier: MIT */
/*
 * hypercall.c - the two arm64 transports of the kit's hypercalls, and the
 * choice between them, made at the first call.
 */
#include "guest.h"
#include "hypercall.h"

enum transport { UNKNOWN, HVC, DOORBELL };
static enum transport transport;

/* `hvc #0`, SMCCC style: the function ID in X0, arguments in X1-X5. */
static int64_t via_hvc(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		       uint64_t a5)
{
	register uint64_t x0 __asm__("x0") = KIT_HC_SMCCC_BASE + nr;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;

	/* SMCCC lets the callee change X0-X17: tell the compiler. */
	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 :
			 : "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

/* A store to the doorbell: an MMIO exit; the host reads X0-X5 and puts
 * the result in X0 before the guest goes on. */
static int64_t via_doorbell(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3,
			    uint64_t a4, uint64_t a5)
{
	register uint64_t x0 __asm__("x0") = nr;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;
	uint64_t doorbell = KIT_HC_DOORBELL_GPA;

	/* A plain `str` (no writeback): KVM can decode it (a valid ISV). */
	__asm__ volatile("str xzr, [%[db]]"
			 : "+r"(x0)
			 : [db] "r"(doorbell), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return (int64_t)x0;
}

int64_t hypercall5(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		   uint64_t a5)
{
	if (transport == UNKNOWN) {
		/* Call 0 by hvc: KVM answers -1 for a call it keeps. */
		transport = via_hvc(0, 0, 0, 0, 0, 0) == KIT_HC_SMCCC_NOT_SUPPORTED ? DOORBELL :
										     HVC;
	}
	/* The host forwards KIT_HC_SMCCC_COUNT function IDs; a number beyond
	 * them would be answered by KVM, so it takes the doorbell. */
	if (transport == HVC && nr < KIT_HC_SMCCC_COUNT)
		return via_hvc(nr, a1, a2, a3, a4, a5);
	return via_doorbell(nr, a1, a2, a3, a4, a5);
}

const char *hc_transport(void)
{
	if (transport == UNKNOWN)
		hypercall5(0, 0, 0, 0, 0, 0);
	return transport == HVC ? "hvc (SMCCC filter)" : "MMIO doorbell";
}
