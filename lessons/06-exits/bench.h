/* SPDX-License-Identifier: MIT */
/*
 * bench.h - lesson 06: the benchmark harness. You write bench.c (and
 * stats.c, stats.h); what each function must do is in README.md, in the
 * section named beside it.
 */
#ifndef EXITS_BENCH_H
#define EXITS_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "stats.h"

/* One batch, as bench_batch() saw it. */
struct bench_batch {
	uint64_t n;                 /* exits (or words) the guest was asked for */
	unsigned long user_exits;   /* intended exits that came back to userspace */
	unsigned long ring_entries; /* taken from the coalesced ring */
	uint64_t eventfd_count;     /* what the ioeventfd counted */
	uint64_t ns;                /* host: CLOCK_MONOTONIC, first KVM_RUN to the mark */
	uint64_t ticks;             /* guest: its own counter, first exit to last */
};

/* Section 4 (bench.c): one batch of n exits of m->row's kind: the
 * parameter page set, KVM_RUN until the guest's mark, each exit classified
 * (l6_classify()) and served (l6_serve()), the clock read exactly twice,
 * before the first KVM_RUN and after the mark. 0; -EPROTO (the message
 * names the exit) for an exit of another kind or counts that are not
 * what the row's path says; or the negative errno of a failed call. */
int bench_batch(struct l6_machine *m, uint64_t n, struct bench_batch *out);

/* A row, measured. */
struct bench_result {
	const struct l6_row *row;
	uint64_t n;                 /* per batch */
	unsigned batches;           /* measured, the warm-up not counted */
	struct stats ns;            /* host nanoseconds per exit, one sample a batch */
	struct stats ticks;         /* guest counter ticks per exit */
	unsigned long user_exits;   /* in the measured batches, in all */
};

/* Section 5 (bench.c): one warm-up batch, thrown away, then `batches`
 * batches of n; each gives one sample of ns / n and of ticks / n. 0, or a
 * negative errno (-EINVAL for n 0, or batches not from 1 to
 * BENCH_MAX_BATCHES). */
#define BENCH_MAX_BATCHES 1000
int bench_measure(struct l6_machine *m, uint64_t n, unsigned batches, struct bench_result *out);

/* Section 6 (bench.c): pin the calling thread to the CPU it runs on now.
 * That CPU, or a negative errno (the run goes on unpinned). */
int bench_pin(void);

/* Section 7 (bench.c): an ioeventfd: KVM counts the guest's `len`-byte
 * writes to `addr` (a port if `pio`; with `datamatch`, only those of
 * `value`) on a new eventfd, with no exit. The eventfd (non-blocking), or
 * a negative errno. */
int bench_ioeventfd(struct vm *vm, uint64_t addr, uint32_t len, bool pio, bool datamatch,
		    uint64_t value);

#endif
