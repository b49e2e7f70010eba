/* SPDX-License-Identifier: MIT */
/*
 * hypercall.c - lesson 03, sections 4 and 5: the calls.
 *
 * Every argument comes from the guest and is untrusted. A pointer is a
 * guest physical address, usable only through guest_ptr(), which refuses
 * anything not wholly inside guest memory; a length is bounded before it
 * is used. A bad call gets an error code; the host goes on.
 */
#include <string.h>

#include "hypercalls.h"

/* KIT_HC_WRITE(buf, len): the guest's bytes to the console. */
static int64_t hc_write(struct hc_host *host, const struct hc_call *call)
{
	uint64_t buf = call->args[0], len = call->args[1];
	const void *bytes;

	if (len > KIT_HC_MAX_WRITE)
		return KIT_HC_EINVAL;
	if (len == 0)
		return 0; /* nothing to read, whatever the pointer */
	bytes = guest_ptr(host->vm, buf, len);
	if (!bytes)
		return KIT_HC_EFAULT;
	if (host->console)
		fwrite(bytes, 1, len, host->console);
	return (int64_t)len;
}

/* KIT_HC_MIX5(a, b, c, d, e): proof that all five arrived, whole. */
static int64_t hc_mix5(struct hc_host *host, const struct hc_call *call)
{
	(void)host;
	return (int64_t)kit_hc_mix5(call->args[0], call->args[1], call->args[2],
				    call->args[3], call->args[4]);
}

/* KIT_HC_FILL(args): a struct in guest memory, with a pointer in it. */
static int64_t hc_fill(struct hc_host *host, const struct hc_call *call)
{
	const struct kit_hc_fill *shared;
	struct kit_hc_fill args;
	uint8_t *buf;
	uint64_t i;

	shared = guest_ptr(host->vm, call->args[0], sizeof(args));
	if (!shared)
		return KIT_HC_EFAULT;
	/* Copy it first: the guest could change it while we look (another
	 * vCPU could), and we must check the values we then use. */
	memcpy(&args, shared, sizeof(args));
	if (args.len > KIT_HC_MAX_FILL)
		return KIT_HC_EINVAL;
	if (args.len == 0)
		return 0;
	buf = guest_ptr(host->vm, args.buf, args.len);
	if (!buf)
		return KIT_HC_EFAULT;
	for (i = 0; i < args.len; i++)
		buf[i] = (uint8_t)(args.seed + i);
	return (int64_t)args.len;
}

/* KIT_HC_EXIT(code): the guest is done. */
static int64_t hc_exit(struct hc_host *host, const struct hc_call *call)
{
	host->exited = true;
	host->exit_code = (int64_t)call->args[0];
	return 0;
}

/* The table: call number -> handler. */
static int64_t (*const handlers[])(struct hc_host *, const struct hc_call *) = {
	[KIT_HC_WRITE] = hc_write,
	[KIT_HC_MIX5] = hc_mix5,
	[KIT_HC_FILL] = hc_fill,
	[KIT_HC_EXIT] = hc_exit,
};

int64_t hc_dispatch(struct hc_host *host, const struct hc_call *call)
{
	/* nr is the guest's: check it against the table before indexing. */
	if (call->nr >= sizeof(handlers) / sizeof(handlers[0]) || !handlers[call->nr])
		return KIT_HC_ENOSYS;
	return handlers[call->nr](host, call);
}
