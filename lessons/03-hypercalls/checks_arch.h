/* SPDX-License-Identifier: MIT */
/*
 * checks_arch.h - what lesson 03's generic checks (checks.c) and each
 * architecture's (checks_x86_64.c, checks_arm64.c) share.
 */
#ifndef HYPERCALLS_CHECKS_ARCH_H
#define HYPERCALLS_CHECKS_ARCH_H

#include <stddef.h>

#include "hypercalls.h"
#include "grade/grade.h"
#include "guest_image.h"

#define RUN_TIMEOUT_MS KIT_RUN_TIMEOUT_MS

struct outcome {
	int ret;
	char *output;
	size_t len;
	struct hc_host host;
	char error[1024];
	unsigned get_regs, set_regs; /* KVM_GET/SET_REGS calls during the run */
};

/* FAST_IF_PRESENT: hc_fast_transport(want = true) (x86: SYNC_REGS;
 * arm64: the SMCCC filter); SLOW_PATH: without it. */
enum transport_path { FAST_IF_PRESENT, SLOW_PATH };

/* Boot `image` (lesson 02's reference code) and run it with your hypercalls. */
struct outcome run_guest(const struct guest_image *image, enum transport_path path,
			 unsigned timeout_ms);
void expect_ran(const struct outcome *o);
/* The hypercalls guest: every call worked, as the guest itself says. */
void expect_all_calls_worked(const struct outcome *o);

extern const struct grade_test arch_tests[];
extern const size_t arch_ntests;

#endif
