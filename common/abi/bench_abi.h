/* SPDX-License-Identifier: MIT */
/*
 * bench_abi.h - lesson 06's benchmark guest as the guest and the host
 * both see it: the kinds of exit it makes, and the page through which the
 * host tells it what to do next. Addresses are each architecture's
 * business (L6_*_GPA in the guests' layout.h).
 *
 * The guest runs batches for ever: it reads `kind` and `n` from the
 * parameter page, makes n exits of that kind (reading its own counter
 * before the first and after the last), stores the ticks it counted, then
 * writes BENCH_MARK to the mark register: that exit ends the batch, and
 * the host changes the page before it runs the guest again. A kind of
 * BENCH_STOP ends the guest. Before the first batch, the guest marks once
 * when it is ready (after one hypercall, if the page's kind asks for
 * hypercalls: what the first call does only once stays out of batches).
 */
#ifndef KIT_BENCH_ABI_H
#define KIT_BENCH_ABI_H

enum bench_kind {
	BENCH_STOP,
	BENCH_PIO,              /* x86: out to a port nobody in the kernel has: userspace */
	BENCH_MMIO,             /* a 4-byte store where there is no memory: userspace */
	BENCH_IN_KERNEL,        /* x86 cpuid, arm64 hvc PSCI_VERSION: KVM answers it */
	BENCH_PIO_EVENTFD,      /* x86: out to a port with an ioeventfd: no exit */
	BENCH_MMIO_EVENTFD,     /* a store to an address with an ioeventfd */
	BENCH_MMIO_EVENTFD_MATCH, /* the same, the ioeventfd matching one value */
	BENCH_COALESCED,        /* a store into a coalesced MMIO zone: a ring entry */
	BENCH_HYPERCALL5,       /* lesson 03's five-argument hypercall */
	BENCH_NISV,             /* arm64: str post-index to MMIO: lesson 05's emulator */
	BENCH_STRAY,            /* the checks': MMIO stores, one of them somewhere else */
	BENCH_SPIN,             /* the checks': a loop that never ends, and no exit */
	/* The seed's experiment: n 4-byte words, in RAM or behind MMIO. */
	BENCH_SUM_RAM,          /* a checksum of n words of RAM */
	BENCH_SUM_MMIO,         /* the same n words, read from the data device */
	BENCH_STORE_RAM,        /* n post-indexed stores into RAM */
	BENCH_STORE_MMIO,       /* the same stores, into the data device */
	BENCH_KINDS
};

/* The parameter page. */
struct bench_params {
	unsigned long long kind;        /* host to guest: enum bench_kind */
	unsigned long long n;           /* host to guest: exits in the batch */
	unsigned long long ticks;       /* guest to host: its counter's ticks for them */
	unsigned long long batches;     /* guest to host: batches finished */
	unsigned long long result;      /* guest to host: a checksum's value */
};

/* The data device's words, and the RAM copy the guest makes of them: word
 * i of the seed's experiment. */
#define BENCH_WORD(i)         ((unsigned)(i) * 2654435761u)
#define BENCH_MAX_WORDS       4096

#define BENCH_MARK            0x6d   /* the byte written to the mark register */
#define BENCH_EVENTFD_VALUE   0x42   /* what eventfd kinds write */

#endif
