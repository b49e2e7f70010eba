/* SPDX-License-Identifier: MIT */
/*
 * machine.h - lesson 06's machine (given, machine.c and machine_ARCH.c):
 * the benchmark guest booted with lesson 02's reference code, one kind of
 * exit set up the way a VMM would serve it (lesson 03's hypercalls,
 * lesson 04's bus and fast paths, on arm64 lesson 05's emulator), and
 * what the harness needs to tell one exit from another.
 */
#ifndef EXITS_MACHINE_H
#define EXITS_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "kit.h"
#include "guest_image.h"
#include "bench_abi.h"
#include "03-hypercalls/hypercalls.h"
#include "04-mmio/mmio.h"
#ifdef __aarch64__
#include "05-writeback/writeback.h"
#endif

/* How the exits of a kind reach the host, if they do. */
enum l6_path {
	L6_USER,      /* each is a KVM_RUN returning to us */
	L6_NONE,      /* none reaches us: KVM answers them, or there are none */
	L6_EVENTFD,   /* an ioeventfd counts them: none reaches us */
	L6_RING,      /* the coalesced ring holds them; a full ring is an exit */
};

/* One row of the table: a kind of exit the guest makes, and how the host
 * serves it. */
struct l6_row {
	const char *name;        /* short, for the JSON and the chart */
	const char *what;        /* one line for the table */
	enum bench_kind kind;    /* what the guest does */
	enum l6_path path;
	bool fast;               /* x86 hypercalls: SYNC_REGS; arm64: the SMCCC filter */
	bool datamatch;          /* ioeventfd rows: only the guest's value counts */
	bool words;              /* the seed's experiment: n counts words, not exits */
};

/* The rows of this architecture (machine_ARCH.c), in table order. */
extern const struct l6_row l6_rows[];
extern const unsigned l6_nrows;
const struct l6_row *l6_row(const char *name);

#define L6_LOG_MAX 1024

/* The device behind the MMIO kinds: it takes every store (and the data
 * device's loads) and keeps the first L6_LOG_MAX values it was given. */
struct l6_sink {
	struct mmio_device dev;
	unsigned long writes, reads;
	unsigned nlog;
	uint32_t log[L6_LOG_MAX];
};

struct l6_machine {
	struct vm vm;
	struct vcpu cpu;
	const struct l6_row *row;
	struct bench_params *params;  /* the guest's parameter page, here */
	struct mmio_bus bus;          /* lesson 04's */
	struct l6_sink sink;          /* at L6_MMIO_GPA (and the coalesced zone) */
	struct l6_sink data;          /* at L6_DATA_GPA: the seed's words */
	struct mmio_ring ring;        /* L6_RING rows */
	bool ring_on;
	int eventfd;                  /* L6_EVENTFD rows: the ioeventfd, else -1 */
	struct hc_host hc;            /* lesson 03's, for BENCH_HYPERCALL5 */
#ifdef __aarch64__
	struct wb_host wb;            /* lesson 05's, for BENCH_NISV */
#endif
	char error[512];
};

/* Boot the guest and set up `row`'s way of serving its exits (the
 * ioeventfd through bench_ioeventfd(), yours). 0, -EOPNOTSUPP (with a
 * message saying why) if this host cannot have that row, or another
 * negative errno. */
int l6_start(struct l6_machine *m, const struct guest_image *image, const struct l6_row *row);
void l6_stop(struct l6_machine *m);

/* Given (machine_ARCH.c): the rest of l6_start() on this architecture,
 * and the name of its fast hypercalls. */
int l6_start_arch(struct l6_machine *m);
extern const char l6_fast_hypercalls[];

/* Given (machine_ARCH.c): what the exit in m->cpu.run is, in a batch of
 * `kind`. */
enum l6_exit {
	L6_INTENDED,  /* an exit of the kind measured */
	L6_MARK,      /* the guest's mark: the batch is over */
	L6_OTHER,     /* anything else: the batch is not what it claims */
};
enum l6_exit l6_classify(const struct l6_machine *m, enum bench_kind kind);

/* Given (machine_ARCH.c): serve an intended exit as a VMM would: the
 * store to the device, the hypercall and its result, the emulation of an
 * undecoded store. 0, or a negative errno. */
int l6_serve(struct l6_machine *m);

/* Given: is `run` a 4-byte MMIO write (or read) in [base, base + len)? */
bool l6_mmio_at(const struct kvm_run *run, uint64_t base, uint64_t len, bool write);

/* Given: the exit in m->cpu.run in words ("KVM_EXIT_IO out of 1 byte at
 * port 0x701", ...), for messages. */
const char *l6_describe(const struct l6_machine *m, char *buf, size_t len);

#endif
