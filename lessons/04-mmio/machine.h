/* SPDX-License-Identifier: MIT */
/*
 * machine.h - lesson 04's machine (given, machine.c): a lesson 02 guest
 * with your bus, your UART, the counter and your ROM, and the fast paths
 * when asked for. The lesson's program and its checks both use it.
 */
#ifndef MMIO_MACHINE_H
#define MMIO_MACHINE_H

#include "mmio.h"
#include "guest_image.h"

enum l4_doorbell { DOORBELL_EXITS, DOORBELL_EVENTFD, DOORBELL_EVENTFD_MATCH };

struct l4_options {
	bool strict;               /* an unclaimed access stops the run */
	bool coalesce;             /* the UART's THR through a coalesced ring */
	enum l4_doorbell doorbell; /* how doorbell writes reach us */
	FILE *out;                 /* the UART's output (NULL: kept in memory) */
	FILE *trace;               /* the bus's trace of unclaimed accesses */
	unsigned timeout_ms;       /* 0: KIT_RUN_TIMEOUT_MS */
};

struct l4_machine {
	struct vm vm;
	struct vcpu cpu;
	struct mmio_bus bus;
	struct uart16550 uart;
	struct counter_device counter;
	struct rom rom;
	struct mmio_ring ring;
	struct mmio_host host;
	int doorbell_fd;           /* the ioeventfd, or -1 */
	uint64_t doorbell_events;  /* what it counted */
	unsigned long exits;       /* every exit of the run */
	char *output;              /* the UART's output, when options.out is NULL */
	size_t output_len;
	FILE *memout;
	char error[512];           /* the run's error message, if it failed */
};

/* The bytes the ROM holds: ROM_TEXT, then ROM_BYTE(offset). */
void l4_rom_bytes(uint8_t *rom, size_t size);

/* Boot `image` (lesson 02's reference code), add the devices, set up
 * the fast paths asked for. 0 or a negative errno (the message says). */
int l4_start(struct l4_machine *m, const struct guest_image *image, const struct l4_options *o);
/* Run it to its end: 0, or the run's negative errno (m->error says). */
int l4_run(struct l4_machine *m, unsigned timeout_ms);
void l4_stop(struct l4_machine *m);

#endif
