/* SPDX-License-Identifier: MIT */
/*
 * hostile_abi.h - what the hostile guests (top, edges, toctou,
 * refused_loop) and their host, solutions/hostile/hostile.c, agree on:
 * where the devices under test are, and a results area in RAM where the
 * guest leaves what it saw, so the host can check the values reads
 * returned as well as the accesses its devices took.
 */
#ifndef HOSTILE_ABI_H
#define HOSTILE_ABI_H

#include "layout.h"

#if defined(__aarch64__)
#define HOSTILE_RES_GPA   0x403f0000   /* the last 64 KiB of RAM: free */
#define HOSTILE_EDGE_GPA  0x0a005800   /* no RAM: every access exits */
#define HOSTILE_TOC_GPA   0x0a006000
#else
#define HOSTILE_RES_GPA   0x3ff000     /* the last page of RAM: free */
#define HOSTILE_EDGE_GPA  0x10004800   /* mapped, no RAM: every access exits */
#endif

/* The results area, in 64-bit words. */
#define RES_DONE   0    /* HOSTILE_DONE once the guest got to its end */
#define RES_EXC    1    /* exceptions the guest took */
#define RES_ESR    2    /* the last one's syndrome (x86: #PF error code) */
#define RES_FAR    3    /* and its address (x86: CR2) */
#define RES_AUX    4    /* top: the physical address bits the guest found */
#define RES_MODE   5    /* arm64: 0 skip the faulting instruction, 1 retry it */
#define RES_REG    8    /* toctou: registers after each store (3 words) */
#define RES_OTHER  16   /* toctou: a RAM word the rewritten store aims at */
#define RES_VAL    32   /* values read, in the order the guest read them */

#define HOSTILE_DONE 0x444f4e45ULL              /* "DONE" */
/* A read that faulted in the guest leaves this in its destination. */
#define HOSTILE_MARK 0x5a5a5a5a5a5a5a5aULL

/* edges: every start address of [EDGE_FIRST, EDGE_FIRST + EDGE_SPAN),
 * each with sizes 1, 2, 4, 8 in turn; all reads, then all writes. The
 * host puts its device somewhere inside, on a byte that is not aligned.
 * The window is in the middle of a page: x86 KVM splits an access that
 * crosses a page into two exits (7 + 1 bytes, say), which is another
 * question than a device's edges. */
#define EDGE_FIRST (HOSTILE_EDGE_GPA - 8)
#define EDGE_SPAN  32
#define EDGE_N     (EDGE_SPAN * 4)

/* What the guest's i-th write of `size` bytes stores. */
static inline unsigned long long edge_value(unsigned i, unsigned size)
{
	unsigned long long v = 0x8070605040302010ULL ^ (i * 0x0101010101010101ULL);

	return size == 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

/* top: what a write of `size` bytes at the top of the address space
 * stores (read back at once). */
static inline unsigned long long top_value(unsigned size)
{
	unsigned long long v = 0xf1e2d3c4b5a69788ULL;

	return size == 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

#endif
