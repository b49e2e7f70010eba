/* SPDX-License-Identifier: MIT */
/*
 * exits.c - lesson 06's benchmark guest (x86_64): batches of one kind of
 * exit, as the host asks for them on the parameter page
 * (common/abi/bench_abi.h). Each exit is one instruction the compiler
 * cannot move out of the loop (inline assembly, volatile). The arm64
 * guest is this file too (guest-arm64/06-exits/exits.c): what differs
 * is in the two blocks below.
 */
#include "guest.h"
#include "mmio.h"
#include "hypercall.h"
#include "layout.h"
#include "bench_abi.h"

static volatile struct bench_params *const params = (void *)L6_PARAMS_GPA;

#ifdef __aarch64__
/* The virtual counter, after every earlier instruction (isb). */
static inline uint64_t ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/* PSCI_VERSION: an `hvc` KVM answers itself. */
static inline void in_kernel(void)
{
	psci_call(0x84000000UL);
}

static inline void pio(uint8_t v)
{
	(void)v;   /* arm64 has no ports */
}

static inline void mark(void)
{
	mmio_write8(L6_MARK_GPA, BENCH_MARK);
}

/* A post-indexed store, so no syndrome: lesson 05's emulator. */
static inline void nisv_store(uint32_t v)
{
	uint64_t at = L6_MMIO_GPA;

	__asm__ volatile("str %w1, [%0], #4" : "+r"(at) : "r"(v) : "memory");
}

/* The seed's loop: `str w, [x], #4`, whatever the compiler would pick. */
static inline void store_words(volatile uint32_t *w, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		__asm__ volatile("str %w1, [%0], #4" : "+r"(w) : "r"(BENCH_WORD(i)) : "memory");
}
#else
/* The time-stamp counter, after every earlier instruction has finished
 * (lfence), so the batch is not timed from the middle of its first exit. */
static inline uint64_t ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* cpuid: KVM answers it in the kernel. */
static inline void in_kernel(void)
{
	uint32_t a = 0, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
}

static inline void pio(uint8_t v)
{
	outb(L6_PIO_PORT, v);
}

static inline void mark(void)
{
	outb(L6_MARK_PORT, BENCH_MARK);
}

static inline void nisv_store(uint32_t v)
{
	(void)v;   /* every x86 store has its syndrome: KVM decodes it */
}

static inline void store_words(volatile uint32_t *w, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		*w++ = BENCH_WORD(i);
}
#endif

/* The seed's experiment: the same loops over RAM and over a device. */
static uint32_t words[BENCH_MAX_WORDS];

static uint64_t sum(const volatile uint32_t *w, uint64_t n)
{
	uint64_t s = 0, i;

	for (i = 0; i < n && i < BENCH_MAX_WORDS; i++)
		s = s * 31 + w[i];
	return s;
}


static void batch(unsigned kind, uint64_t n)
{
	uint64_t i;

	switch (kind) {
	case BENCH_PIO:
		for (i = 0; i < n; i++)
			pio((uint8_t)i);
		break;
	case BENCH_MMIO:
		for (i = 0; i < n; i++)
			mmio_write32(L6_MMIO_GPA, (uint32_t)i);
		break;
	case BENCH_IN_KERNEL:
		for (i = 0; i < n; i++)
			in_kernel();
		break;
	case BENCH_NISV:
		for (i = 0; i < n; i++)
			nisv_store((uint32_t)i);
		break;
	case BENCH_PIO_EVENTFD:
#ifndef __aarch64__
		for (i = 0; i < n; i++)
			outb(L6_EVENTFD_PORT, BENCH_EVENTFD_VALUE);
#endif
		break;
	case BENCH_MMIO_EVENTFD:
		for (i = 0; i < n; i++)
			mmio_write32(L6_EVENTFD_GPA, BENCH_EVENTFD_VALUE);
		break;
	case BENCH_MMIO_EVENTFD_MATCH:
		for (i = 0; i < n; i++)
			mmio_write32(L6_EVENTFD_MATCH_GPA, BENCH_EVENTFD_VALUE);
		break;
	case BENCH_COALESCED:
		for (i = 0; i < n; i++)
			mmio_write32(L6_COALESCED_GPA, (uint32_t)i);
		break;
	case BENCH_HYPERCALL5:
		for (i = 0; i < n; i++)
			hypercall5(KIT_HC_MIX5, i, 2, 3, 4, 5);
		break;
	case BENCH_STRAY:
		for (i = 0; i < n; i++)
			mmio_write32(i == n / 2 ? L6_STRAY_GPA : L6_MMIO_GPA, (uint32_t)i);
		break;
	case BENCH_SPIN:
		for (;;)
			__asm__ volatile("" ::: "memory");
	case BENCH_SUM_RAM:
		params->result = sum(words, n);
		break;
	case BENCH_SUM_MMIO:
		params->result = sum((const volatile uint32_t *)L6_DATA_GPA, n);
		break;
	case BENCH_STORE_RAM:
		store_words(words, n < BENCH_MAX_WORDS ? n : BENCH_MAX_WORDS);
		break;
	case BENCH_STORE_MMIO:
		store_words((volatile uint32_t *)L6_DATA_GPA, n < BENCH_MAX_WORDS ? n : BENCH_MAX_WORDS);
		break;
	default:
		break;
	}
}

int main(void)
{
	unsigned i;

	for (i = 0; i < BENCH_MAX_WORDS; i++)
		words[i] = BENCH_WORD(i);
	/* What happens once happens before the first batch: on arm64 the
	 * first hypercall finds out its transport with a call of its own. */
	if (params->kind == BENCH_HYPERCALL5)
		hypercall5(KIT_HC_MIX5, 0, 0, 0, 0, 0);
	mark();   /* ready */
	for (;;) {
		unsigned kind = (unsigned)params->kind;
		uint64_t n = params->n, t0, t1;

		if (kind == BENCH_STOP || kind >= BENCH_KINDS)
			guest_exit(kind == BENCH_STOP ? 0 : 1);
		t0 = ticks();
		batch(kind, n);
		t1 = ticks();
		params->ticks = t1 - t0;
		params->batches++;
		mark();
	}
}
