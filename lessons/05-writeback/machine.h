/* SPDX-License-Identifier: MIT */
/*
 * machine.h - lesson 05's machine (given, machine_arm64.c): lesson 04's,
 * with your emulator behind KVM_EXIT_ARM_NISV, a memory-like device for
 * the guests' loads and stores, and the guests' exception reports caught.
 */
#ifndef WRITEBACK_MACHINE_H
#define WRITEBACK_MACHINE_H

#include "writeback.h"
#include "04-mmio/machine.h"

/* A device that holds bytes like memory (L5_MEM_GPA, 256 bytes), and logs
 * each access it takes. */
#define WB_MEM_SIZE 256
#define WB_LOG_MAX 512
struct wb_mem {
	struct mmio_device dev;
	uint8_t bytes[WB_MEM_SIZE];
	unsigned nlog;
	struct counter_access log[WB_LOG_MAX];
};

struct wb_machine {
	struct l4_machine m;       /* the guest, the bus, the UART (m.output) */
	struct wb_host host;
	struct wb_mem mem;
	struct wb_mem seed;        /* 16 bytes at 0x5000, for the seed's guest */
	struct mmio_device fault;  /* the guest's exception reports */
	bool took_exception;
	uint64_t esr;              /* ESR_EL1 as the guest reported it */
};

/* Boot `image`, with the emulator enabled if `nisv`. 0 or a negative
 * errno (the message says). */
int wb_start(struct wb_machine *w, const struct guest_image *image, bool nisv, FILE *trace);
/* Run it: 0 when the guest powered off; -ECANCELED when it reported an
 * exception (w->esr); another negative errno for the rest (w->m.error). */
int wb_run(struct wb_machine *w);
void wb_stop(struct wb_machine *w);

#endif
