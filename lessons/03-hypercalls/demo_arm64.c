/* SPDX-License-Identifier: MIT */
/* demo_arm64.c - lesson 03 (given): the same guest without the SMCCC filter. */
#include <stdio.h>

#include "hypercalls.h"
#include "guest_image.h"

GUEST_IMAGE_DECLARE(hypercalls);

void hc_demo(void)
{
	struct guest_image hypercalls = GUEST_IMAGE(hypercalls);

	printf("\nNow the same guest on a VM without the SMCCC filter, as on Linux\n"
	       "before 6.4: KVM answers the guest's `hvc` itself (-1, NOT_SUPPORTED),\n"
	       "and the guest falls back to the MMIO doorbell.\n");
	hc_demo_run(&hypercalls, KIT_RUN_TIMEOUT_MS, false);
}
