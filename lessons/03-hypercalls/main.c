/* SPDX-License-Identifier: MIT */
/*
 * main.c - lesson 03's program (given): a guest that makes every kind of
 * hypercall, each shown with its arguments; then demo_<arch>.c's
 * experiment (x86: `vmcall`; arm64: the other transport).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "02-c-guests/c_guests.h"
#include "hypercalls.h"
#include "guest_image.h"

GUEST_IMAGE_DECLARE(hypercalls);

int main(void)
{
	struct guest_image hypercalls = GUEST_IMAGE(hypercalls);

	printf("lesson 03: multi-argument hypercalls (%s)\n", arch_name);
	if (hc_demo_run(&hypercalls, KIT_RUN_TIMEOUT_MS, true) < 0)
		return 1;
	hc_demo();
	return 0;
}
