/* SPDX-License-Identifier: MIT */
/* demo_x86_64.c - lesson 03 (given): why not `vmcall`? */
#include <errno.h>
#include <stdio.h>

#include "hypercalls.h"
#include "guest_image.h"

GUEST_IMAGE_DECLARE(vmcall);

void hc_demo(void)
{
	struct guest_image vmcall = GUEST_IMAGE(vmcall);
	int ret;

	printf("\nNow a guest that uses `vmcall` with 4 arguments instead of a port.\n"
	       "KVM keeps vmcall to itself: an Intel/AMD machine answers -1000\n"
	       "(-KVM_ENOSYS) in RAX without ever exiting to us; some KVM back ends\n"
	       "never return from KVM_RUN at all, and the watchdog has to stop it.\n");
	ret = hc_demo_run(&vmcall, KIT_VMCALL_RUN_TIMEOUT_MS, true);
	if (ret == -ETIMEDOUT)
		printf("=> here, KVM_RUN did not come back from the vmcall: stopped by the "
		       "watchdog after 2 s.\n");
	else if (ret == 0)
		printf("=> here, KVM answered the vmcall itself (see the value above); "
		       "userspace never saw it.\n");
}
