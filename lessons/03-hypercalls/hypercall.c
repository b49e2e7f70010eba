/* SPDX-License-Identifier: MIT */
/*
 * hypercall.c - lesson 03, sections 4 and 5: the calls.
 *
 * This is your file. Every argument comes from the guest and is
 * untrusted: a pointer is a guest address, usable only through
 * guest_ptr(); a length is bounded before it is used.
 */
#include <string.h>

#include "hypercalls.h"

#define LESSON "03-hypercalls"

/*
 * TODO (section 5): one handler per call, each
 *     static int64_t hc_NAME(struct hc_host *host, const struct hc_call *call)
 *  - KIT_HC_WRITE(buf, len): len > KIT_HC_MAX_WRITE -> KIT_HC_EINVAL;
 *    len 0 -> 0; guest_ptr(host->vm, buf, len) or KIT_HC_EFAULT; write
 *    the bytes to host->console; return len.
 *  - KIT_HC_MIX5(a, b, c, d, e): return kit_hc_mix5(a, b, c, d, e).
 *  - KIT_HC_FILL(args): copy struct kit_hc_fill out of guest memory
 *    (checked), bound its len (KIT_HC_MAX_FILL), check its buf, fill it.
 *  - KIT_HC_EXIT(code): host->exited = true, host->exit_code = code.
 */

int64_t hc_dispatch(struct hc_host *host, const struct hc_call *call)
{
	/*
	 * TODO (section 4): a table from call number to handler; a number
	 * that is not in it gets KIT_HC_ENOSYS.
	 */
	(void)host;
	(void)call;
	return kit_todo(LESSON, "4. Dispatching", "hc_dispatch()");
}
