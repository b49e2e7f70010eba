/* SPDX-License-Identifier: MIT */
/*
 * hypercalls.h - lesson 03: the host side of the kit's hypercall ABI
 * (common/abi/hypercall_abi.h).
 *
 * You write hc_read_call() and hc_set_result() in regs_x86_64.c, and
 * hc_dispatch() with the calls themselves in hypercall.c. The rest is
 * given: host.c hooks your code into the core's run loop.
 */
#ifndef HYPERCALLS_H
#define HYPERCALLS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kit.h"
#include "arch/arch.h"
#include "hypercall_abi.h"

/* One call, as the guest made it. */
struct hc_call {
	uint64_t nr;          /* KIT_HC_* */
	uint64_t args[5];     /* all five, whatever the call uses */
};

#define HC_LOG_MAX 64

/* The host's side of one guest's hypercalls. */
struct hc_host {
	struct vm *vm;
	FILE *console;        /* where KIT_HC_WRITE's bytes go */
	FILE *trace;          /* if set, each call and its result are described */
	bool sync_regs;       /* x86: registers travel in run->s.regs (KVM_CAP_SYNC_REGS) */
	bool smccc_filter;    /* arm64: `hvc` calls come as KVM_EXIT_HYPERCALL */
	bool exited;          /* the guest called KIT_HC_EXIT ... */
	int64_t exit_code;    /* ... with this code */
	unsigned ncalls;      /* every call, for the trace and the checks */
	struct {
		struct hc_call call;
		int64_t result;
		uint32_t exit_reason; /* the exit that brought it (KVM_EXIT_IO, ...) */
	} log[HC_LOG_MAX];
};

/* README section 3 (regs_<arch>.c): the call number and five arguments. */
int hc_read_call(struct vcpu *cpu, struct hc_host *host, struct hc_call *call);

/* README sections 4 and 5 (hypercall.c): do the call; its result, or a
 * KIT_HC_E* error for the guest. */
int64_t hc_dispatch(struct hc_host *host, const struct hc_call *call);

/* README section 6 (regs_<arch>.c): the result into the guest's RAX (x86)
 * or X0 (arm64). */
int hc_set_result(struct vcpu *cpu, struct hc_host *host, int64_t result);

/* Given (host.c). */
void hc_host_init(struct hc_host *host, struct vm *vm, FILE *console);
/* Use KVM_CAP_SYNC_REGS for this vCPU if the kernel has it (or if `want`
 * is false, do not); sets host->sync_regs accordingly. */
bool hc_use_sync_regs(struct hc_host *host, struct vcpu *cpu, bool want);
/* The run_loop hook: hypercall exits in, results out. */
int hc_on_exit(struct vcpu *cpu, void *host);
const char *hc_name(uint64_t nr);

/* Given (host_<arch>.c): is this exit a hypercall? */
bool hc_is_hypercall_exit(const struct vcpu *cpu);

/* Given (host_<arch>.c): the faster way, where the kernel has it and
 * `want` is true: x86, registers through KVM_CAP_SYNC_REGS; arm64, `hvc`
 * forwarded by an SMCCC filter (Linux 6.4+) instead of the MMIO doorbell.
 * Call it before the first KVM_RUN. Returns whether it is in use. */
bool hc_fast_transport(struct hc_host *host, struct vcpu *cpu, bool want);

/* Given: lesson 03's program (main.c) runs one guest, and demo_<arch>.c's
 * experiment: x86, a `vmcall`; arm64, the doorbell without the filter. */
struct guest_image;
int hc_demo_run(const struct guest_image *image, unsigned timeout_ms, bool fast);
void hc_demo(void);

#endif /* HYPERCALLS_H */
