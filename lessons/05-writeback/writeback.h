/* SPDX-License-Identifier: MIT */
/*
 * writeback.h - lesson 05: the loads and stores KVM hands to userspace
 * undecoded (KVM_EXIT_ARM_NISV), emulated through lesson 04's bus. The
 * decoder is in a64.h; what each function must do is in README.md, in the
 * section named beside it.
 */
#ifndef WRITEBACK_WRITEBACK_H
#define WRITEBACK_WRITEBACK_H

#include <stdio.h>

#include "kit.h"
#include "a64.h"
#include "04-mmio/mmio.h"

/* What the emulator needs, and what it counts. */
struct wb_host {
	struct mmio_host mmio;      /* lesson 04's: the bus (and a ring, if any) */
	bool nisv;                  /* KVM_CAP_ARM_NISV_TO_USER is on */
	bool ext_dabt;              /* KVM can inject an external data abort */
	unsigned long emulated;     /* instructions emulated */
	unsigned long refused;      /* answered with an external data abort */
	unsigned long cache_ops;    /* cache maintenance on MMIO, skipped */
	FILE *trace;                /* if set, each emulated instruction */
	char refusal[256];          /* why the last refusal */
};

/* Section 5 (emulate_arm64.c): ask KVM for KVM_EXIT_ARM_NISV exits, and
 * find out whether it can inject an external data abort. 0, -EOPNOTSUPP
 * without the capability, or another negative errno. */
int wb_enable(struct vm *vm, struct wb_host *host);

/* Section 6 (emulate_arm64.c): one KVM_EXIT_ARM_NISV exit, emulated:
 * RUN_EXIT_HANDLED (done, or the guest given an abort), or a negative
 * errno that stops the run. */
int wb_emulate(struct vcpu *cpu, struct wb_host *host);

/* Section 7 (emulate_arm64.c): refuse the instruction at PC: an external
 * data abort for the guest if KVM can inject one (RUN_EXIT_HANDLED), else
 * -ENOTSUP with `why` in the message. */
int wb_refuse(struct vcpu *cpu, struct wb_host *host, const char *why);

/* Given (machine_arm64.c): the run loop's hook: NISV exits to
 * wb_emulate(), the rest to lesson 04's mmio_on_exit(). */
int wb_on_exit(struct vcpu *cpu, void *host);

#endif
