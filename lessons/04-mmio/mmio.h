/* SPDX-License-Identifier: MIT */
/*
 * mmio.h - lesson 04: an MMIO bus and its devices. What each function
 * must do is in README.md, in the section named beside it; the files with
 * TODOs are bus.c, uart.c, rom.c and fastpath.c.
 */
#ifndef MMIO_MMIO_H
#define MMIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kit.h"
#include "devices_abi.h"

/* ---- the bus (bus.c, sections 2 to 4) -------------------------------- */

/* The access sizes a device takes, as a mask of their byte counts. */
#define MMIO_SIZE_1 1u
#define MMIO_SIZE_2 2u
#define MMIO_SIZE_4 4u
#define MMIO_SIZE_8 8u

struct mmio_device {
	const char *name;
	uint64_t base;      /* guest physical address of its first byte */
	uint64_t len;       /* bytes it occupies */
	unsigned sizes;     /* MMIO_SIZE_* it takes */
	bool unaligned;     /* may an access start off a multiple of its size? */
	/* An access of `len` bytes at `offset` (inside the device); `data`
	 * holds the bytes in guest order: read fills it, write reads it.
	 * 0, or a negative errno that stops the run. */
	int (*read)(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len);
	int (*write)(struct mmio_device *dev, uint64_t offset, const uint8_t *data, uint32_t len);
	void *priv;         /* the device's own state */
};

#define MMIO_MAX_DEVICES 16

struct mmio_bus {
	struct mmio_device *dev[MMIO_MAX_DEVICES]; /* registered, in any order */
	unsigned ndev;
	bool strict;             /* an unclaimed access stops the run */
	FILE *trace;             /* if set, each unclaimed access is described */
	unsigned long unclaimed; /* accesses no device took */
};

/* A bus with no devices. */
static inline void mmio_bus_init(struct mmio_bus *bus, bool strict, FILE *trace)
{
	*bus = (struct mmio_bus){ .strict = strict, .trace = trace };
}

/* Section 2: the bytes of a little-endian register, and back. */
uint64_t mmio_le_load(const uint8_t *data, uint32_t len);
void mmio_le_store(uint8_t *data, uint32_t len, uint64_t value);

/* Section 2: 0; -EINVAL for no bytes or a range past 2^64; -EEXIST if it
 * overlaps a device already there (the message names both); -ENOSPC. */
int mmio_bus_register(struct mmio_bus *bus, struct mmio_device *dev);

/* Section 3: the device that holds all of [addr, addr + len), or NULL. */
struct mmio_device *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr, uint32_t len);

/* Section 4: one access, from an exit or from anywhere else. 0 when a
 * device took it; 1 when nobody did (a read gets all ones); a negative
 * errno for a length that is not 1, 2, 4 or 8, an unclaimed access in
 * strict mode, or a device's error. `pc` is for the trace. */
int mmio_bus_access(struct mmio_bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write, uint64_t pc);

/* ---- devices ---------------------------------------------------------- */

/* Section 5 (uart.c): a 16550 at `base` whose output goes to `out`. */
struct uart16550 {
	struct mmio_device dev;
	FILE *out;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	unsigned long sent;     /* bytes written to THR */
};
void uart_init(struct uart16550 *uart, uint64_t base, FILE *out);

/* Given (counter.c): the counter, scratch and doorbell registers. It
 * keeps a log of the accesses it took, for the checks. */
#define COUNTER_LOG_MAX 64
struct counter_access {
	uint64_t offset;
	uint32_t len;
	bool is_write;
	uint64_t value;
};
struct counter_device {
	struct mmio_device dev;
	uint64_t scratch;
	unsigned long doorbells;     /* doorbell writes it saw */
	uint64_t last_doorbell;
	unsigned nlog;
	struct counter_access log[COUNTER_LOG_MAX];
};
void counter_init(struct counter_device *c, uint64_t base);

/* Section 6 (rom.c): `len` bytes of `bytes` as a read-only memory slot at
 * `gpa`, and a device on the same range that takes the writes. */
struct rom {
	struct mmio_device dev;
	uint8_t *host;             /* the slot's bytes in this process */
	uint64_t size;
	unsigned long writes;      /* writes trapped */
	uint64_t last_offset, last_value;
	uint32_t last_len;
};
int rom_map(struct vm *vm, struct mmio_bus *bus, struct rom *rom, uint64_t gpa,
	    const void *bytes, uint64_t size);

/* ---- exits and the fast paths (fastpath.c, sections 7 and 8) ---------- */

/* A coalesced MMIO ring, once mmio_coalesce() has set it up. */
struct mmio_ring {
	struct kvm_coalesced_mmio_ring *ring; /* in the vCPU's kvm_run mapping */
	uint32_t max;                         /* entries it has room for */
	unsigned long drained;                /* entries taken from it so far */
};

/* What the run loop's hook needs (ring NULL: no coalescing). */
struct mmio_host {
	struct mmio_bus *bus;
	struct mmio_ring *ring;
	unsigned long mmio_exits;  /* KVM_EXIT_MMIO exits handled */
};

/* Section 7: the run loop's on_exit hook: the ring first, then an MMIO
 * exit through the bus. RUN_EXIT_HANDLED, RUN_EXIT_UNHANDLED for other
 * exits, or a negative errno. */
int mmio_on_exit(struct vcpu *cpu, void *host);

/* Section 8: writes to [addr, addr + size) go to the ring of `cpu`. */
int mmio_coalesce(struct vcpu *cpu, struct mmio_ring *ring, uint64_t addr, uint32_t size);
/* Section 8: every entry waiting in the ring, in order, through the bus.
 * How many, or a negative errno. */
long mmio_drain(struct mmio_ring *ring, struct mmio_bus *bus);

/* Section 9: an eventfd that counts the guest's `len`-byte writes to
 * `addr` (only those of `value`, if `datamatch`), with no exit. The fd,
 * or a negative errno. */
int mmio_ioeventfd(struct vm *vm, uint64_t addr, uint32_t len, bool datamatch, uint64_t value);

#endif
