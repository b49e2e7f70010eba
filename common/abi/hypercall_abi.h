/* SPDX-License-Identifier: MIT */
/*
 * hypercall_abi.h - the kit's hypercall ABI, shared by guests and hosts
 * (the model is Solo5's hvt_abi.h): call numbers, error codes, argument
 * structs, and how arguments travel.
 *
 * Transport (x86_64): the guest puts the call number in RAX and up to five
 * arguments in RBX, RCX, RDX, RSI, RDI (the order KVM's own hypercalls
 * use, Documentation/virt/kvm/x86/hypercalls.rst), then executes
 * `out %al, $KIT_HC_PORT`. The host sees KVM_EXIT_IO on that port, reads
 * the registers, does the call, and puts the result in RAX before it
 * resumes the guest. A port exit reaches userspace on every x86 KVM;
 * `vmcall` does not (lesson 03 shows why).
 *
 * Transports (arm64): the call number in X0, up to five arguments in X1-X5,
 * the result back in X0, through either of
 *   - `hvc #0` with X0 = KIT_HC_SMCCC_BASE + number: a vendor-specific
 *     hypervisor service call (Arm DEN 0028, SMCCC). KVM hands it to the
 *     host as KVM_EXIT_HYPERCALL only if the host installed an SMCCC
 *     filter (Linux 6.4+); otherwise KVM answers it itself with -1
 *     (SMCCC's NOT_SUPPORTED);
 *   - a store to KIT_HC_DOORBELL_GPA, where there is no memory: an MMIO
 *     exit, on every arm64 KVM.
 * A guest finds out which one reaches the host by calling number 0 with
 * `hvc`: -1 means KVM kept the call, anything else came from the host.
 * Only numbers below KIT_HC_SMCCC_COUNT have a function ID; a guest sends
 * the others (unknown ones, say) through the doorbell.
 *
 * Results: >= 0 is success (a count, or a value); a small negative number
 * is one of the KIT_HC_E* errors below (the Linux errno values, negated).
 * KIT_HC_MIX5 is the exception: its result is all 64 bits of a hash.
 *
 * Pointers: a guest passes guest physical addresses (the kit's guests are
 * identity-mapped). In this header, compiled for the host, a guest pointer
 * is a plain uint64_t, so host code cannot dereference one by mistake; it
 * must go through the checked translation, guest_ptr().
 */
#ifndef KIT_ABI_HYPERCALL_H
#define KIT_ABI_HYPERCALL_H

#include <stdint.h>

#ifdef KIT_GUEST
#define KIT_GUEST_PTR(type) type
#else
#define KIT_GUEST_PTR(type) uint64_t
#endif

/* x86: the port of `out %al, $KIT_HC_PORT`. Below 0x100, so the `out` can
 * take it as an immediate and leave DX free for the third argument. */
#define KIT_HC_PORT 0xe0

/* arm64: the SMCCC function IDs of the calls: fast calls, SMC64, owned by
 * the "vendor specific hypervisor service" range (owner 6). */
#define KIT_HC_SMCCC_BASE   0xC6000000u
#define KIT_HC_SMCCC_COUNT  16          /* how many IDs the host forwards */
#define KIT_HC_SMCCC_NOT_SUPPORTED (-1) /* what KVM answers for one it keeps */
/* arm64: the MMIO doorbell. */
#define KIT_HC_DOORBELL_GPA 0x09002000

/* Call numbers. */
#define KIT_HC_WRITE 1  /* (const char *buf, uint64_t len) -> len written */
#define KIT_HC_MIX5  2  /* (a, b, c, d, e) -> kit_hc_mix5(a, b, c, d, e) */
#define KIT_HC_FILL  3  /* (struct kit_hc_fill *args) -> bytes filled */
#define KIT_HC_EXIT  4  /* (int64_t code) -> does not return */

/* Errors, as results. */
#define KIT_HC_EFAULT (-14) /* a pointer or length reaches outside guest memory */
#define KIT_HC_EINVAL (-22) /* an argument is out of range */
#define KIT_HC_ENOSYS (-38) /* there is no call with this number */

/* The most KIT_HC_WRITE takes at once. */
#define KIT_HC_MAX_WRITE 4096
/* The most KIT_HC_FILL fills at once. */
#define KIT_HC_MAX_FILL 65536

/* KIT_HC_FILL's argument: fill buf[0..len) with (uint8_t)(seed + i). */
struct kit_hc_fill {
	KIT_GUEST_PTR(uint8_t *) buf;
	uint64_t len;
	uint64_t seed;
};

/*
 * KIT_HC_MIX5's result: a hash in which every bit of every argument
 * matters, so a truncated or swapped argument gives another value. The
 * guest computes it too and compares.
 */
static inline uint64_t kit_hc_mix5(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
				   uint64_t e)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL; /* 2^64 / golden ratio, odd */
	uint64_t h = a;

	h = (h ^ (h >> 29)) * k + b;
	h = (h ^ (h >> 29)) * k + c;
	h = (h ^ (h >> 29)) * k + d;
	h = (h ^ (h >> 29)) * k + e;
	return h ^ (h >> 32);
}

#endif /* KIT_ABI_HYPERCALL_H */
