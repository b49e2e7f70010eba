/* SPDX-License-Identifier: MIT */
/*
 * hypercall.c - a libFuzzer target for lesson 03's hypercall dispatcher,
 * hc_dispatch() (the reference solutions/03-hypercalls/hypercall.c):
 * every call number and every argument comes from the guest, so any of
 * them, and any contents of guest memory, must give what the ABI
 * (common/abi/hypercall_abi.h) promises and touch nothing else.
 *
 * There is no KVM here: the VM is a struct vm made by hand, whose slots
 * are malloc'd buffers (all that guest_ptr() reads):
 *
 *   [0x10000, +16 KiB)        room for a whole KIT_HC_MAX_WRITE, not for
 *                             a KIT_HC_MAX_FILL,
 *   [0x14000, +4 KiB)         right after it: a range may not span the two,
 *   [2^64 - 12 KiB, +8 KiB)   as high as vm_add_memory() allows a slot,
 *                             so that address + length overflows past it.
 *
 * Each input is a few calls (a number, five 64-bit arguments chosen near
 * the slots' edges, the limits and 2^64, and for KIT_HC_FILL a struct put
 * where its pointer says, whose buf may point into the struct itself),
 * then the bytes guest memory starts with. For each call this file works
 * out the result from the ABI alone, and aborts unless:
 *
 *   - KIT_HC_WRITE(buf, len): KIT_HC_EINVAL for len > KIT_HC_MAX_WRITE; 0
 *     for len 0; KIT_HC_EFAULT unless [buf, buf + len) is inside one slot;
 *     else len, and exactly those bytes reached the console;
 *   - KIT_HC_MIX5: kit_hc_mix5() of the five arguments;
 *   - KIT_HC_FILL(args): KIT_HC_EFAULT unless the 24-byte struct is inside
 *     one slot; KIT_HC_EINVAL for len > KIT_HC_MAX_FILL; 0 for len 0;
 *     KIT_HC_EFAULT unless the buffer is inside one slot; else len, and
 *     buf[i] == (uint8_t)(seed + i) for the values the struct held before
 *     the call (the host copies it first: a buffer over the struct
 *     changes nothing of that);
 *   - KIT_HC_EXIT(code): the host has exited set, and that exit_code;
 *   - any other number: KIT_HC_ENOSYS;
 *
 * and in every case no other byte of guest memory changed, nothing else
 * reached the console, and no other field of the host changed.
 *
 * Built with ASan and UBSan, so an out-of-bounds access, an overflow or a
 * bad shift is a crash too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hypercalls.h"
#include "input.h"

typedef unsigned __int128 u128;

/*
 * lessons/03-hypercalls/host.c defines this, beside hc_on_exit() and the
 * rest of the run loop's side, which would bring in the whole of lessons
 * 01-03 and KVM; this target needs only this function, so it has its own,
 * the same: a host with nothing done yet, for this VM and console.
 */
void hc_host_init(struct hc_host *host, struct vm *vm, FILE *console)
{
	memset(host, 0, sizeof(*host));
	host->vm = vm;
	host->console = console;
}

#define NSLOTS 3
#define MEM_SIZE (0x4000 + 0x1000 + 0x2000)
static const struct {
	uint64_t gpa, size, at;  /* at: where its bytes are in mem[] */
} layout[NSLOTS] = {
	{ 0x10000, 0x4000, 0 },
	{ 0x14000, 0x1000, 0x4000 },
	{ 0xffffffffffffd000ULL, 0x2000, 0x5000 },
};

#define MAX_CALLS 8

static struct vm vm;
static uint8_t mem[MEM_SIZE], before[MEM_SIZE], expect[MEM_SIZE];
static char call_text[200];  /* the call being checked, for fail() */

static void fail(const char *what)
{
	fprintf(stderr, "fuzz/hypercall.c: %s\n  at: %s\n", what, call_text);
	abort();
}

static void require(int ok, const char *what)
{
	if (!ok)
		fail(what);
}

static void setup(void)
{
	unsigned i;

	vm = (struct vm)VM_EMPTY;
	vm.page_size = 4096;
	for (i = 0; i < NSLOTS; i++)
		vm.slots[i] = (struct mem_slot){ .slot = i, .gpa = layout[i].gpa,
						 .size = layout[i].size,
						 .host = mem + layout[i].at };
	vm.nslots = NSLOTS;
}

/* Where [gpa, gpa + len) is in mem[], if wholly inside one slot; len > 0. */
static bool model_range(uint64_t gpa, uint64_t len, uint64_t *at)
{
	unsigned i;

	for (i = 0; i < NSLOTS; i++)
		if (gpa >= layout[i].gpa &&
		    (u128)gpa + len <= (u128)layout[i].gpa + layout[i].size) {
			*at = layout[i].at + (gpa - layout[i].gpa);
			return true;
		}
	return false;
}

/* ---- the input ---------------------------------------------------------- */

/* struct input and take(): fuzz/input.h. */

/* A value for an argument or a struct field: a slot's edges, the ABI's
 * limits, 2^64, near `prev` (the call's first argument), or any. */
static uint64_t pick(struct input *in, uint64_t prev)
{
	unsigned sel = (unsigned)take(in, 1), k = (sel >> 4) % NSLOTS;

	switch (sel % 10) {
	case 0: return sel >> 4;
	case 1: return layout[k].gpa + take(in, 2);
	case 2: return layout[k].gpa + layout[k].size - take(in, 1);
	case 3: return prev + (uint64_t)(int64_t)(int8_t)take(in, 1);
	case 4: return KIT_HC_MAX_WRITE + (uint64_t)(int64_t)(int8_t)take(in, 1);
	case 5: return KIT_HC_MAX_FILL + (uint64_t)(int64_t)(int8_t)take(in, 1);
	case 6: return (uint64_t)0 - take(in, 1);
	case 7: return take(in, 8);
	case 8: return take(in, 2);
	default: return (1ULL << 32) + (sel >> 4);  /* a truncation to 32 bits shows */
	}
}

struct planned {
	struct hc_call call;
	bool place;                 /* put a struct kit_hc_fill at args[0] first */
	struct kit_hc_fill fill;
};

static unsigned read_calls(struct input *in, struct planned *plan, unsigned n)
{
	unsigned i, a, sel;

	for (i = 0; i < n && in->left; i++) {
		struct planned *p = &plan[i];

		sel = (unsigned)take(in, 1);
		p->call.nr = sel < 0xf0 ? sel % 6 : take(in, 8);
		for (a = 0; a < 5; a++)
			p->call.args[a] = pick(in, p->call.args[0]);
		p->place = take(in, 1) & 1;
		if (p->place) {
			p->fill.buf = pick(in, p->call.args[0]);
			p->fill.len = pick(in, p->call.args[0]);
			p->fill.seed = take(in, 8);
		}
	}
	return i;
}

/* ---- one call, against the model ----------------------------------------- */

static int64_t model_write(const struct hc_call *c, uint64_t *at)
{
	if (c->args[1] > KIT_HC_MAX_WRITE)
		return KIT_HC_EINVAL;
	if (c->args[1] == 0)
		return 0;
	if (!model_range(c->args[0], c->args[1], at))
		return KIT_HC_EFAULT;
	return (int64_t)c->args[1];
}

static int64_t model_fill(const struct hc_call *c)
{
	struct kit_hc_fill f;
	uint64_t at, i;

	if (!model_range(c->args[0], sizeof(f), &at))
		return KIT_HC_EFAULT;
	memcpy(&f, before + at, sizeof(f));  /* as the call found it */
	if (f.len > KIT_HC_MAX_FILL)
		return KIT_HC_EINVAL;
	if (f.len == 0)
		return 0;
	if (!model_range(f.buf, f.len, &at))
		return KIT_HC_EFAULT;
	for (i = 0; i < f.len; i++)
		expect[at + i] = (uint8_t)(f.seed + i);
	return (int64_t)f.len;
}

static void one_call(struct hc_host *host, const struct planned *p, FILE *console,
		     char **out, size_t *outlen)
{
	const struct hc_call *c = &p->call;
	struct hc_host was = *host;
	size_t printed = *outlen;
	uint64_t at = 0;
	int64_t want, got;

	snprintf(call_text, sizeof(call_text),
		 "nr 0x%llx (0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx)%s",
		 (unsigned long long)c->nr, (unsigned long long)c->args[0],
		 (unsigned long long)c->args[1], (unsigned long long)c->args[2],
		 (unsigned long long)c->args[3], (unsigned long long)c->args[4],
		 p->place ? ", with a struct kit_hc_fill at the first" : "");
	if (p->place && model_range(c->args[0], sizeof(p->fill), &at))
		memcpy(mem + at, &p->fill, sizeof(p->fill));
	memcpy(before, mem, sizeof(mem));
	memcpy(expect, mem, sizeof(mem));
	switch (c->nr) {
	case KIT_HC_WRITE: want = model_write(c, &at); break;
	case KIT_HC_MIX5:
		want = (int64_t)kit_hc_mix5(c->args[0], c->args[1], c->args[2], c->args[3],
					    c->args[4]);
		break;
	case KIT_HC_FILL: want = model_fill(c); break;
	case KIT_HC_EXIT: want = 0; break;
	default: want = KIT_HC_ENOSYS; break;
	}

	got = hc_dispatch(host, c);
	if (got != want) {
		fprintf(stderr, "hc_dispatch returned %lld (0x%llx), the ABI says %lld (0x%llx)\n",
			(long long)got, (unsigned long long)got, (long long)want,
			(unsigned long long)want);
		fail("the call's result is not the ABI's");
	}
	require(memcmp(mem, expect, sizeof(mem)) == 0,
		"guest memory is not what the call should have left");
	if (console) {
		fflush(console);
		if (c->nr == KIT_HC_WRITE && want > 0)
			require(*outlen == printed + (size_t)want &&
				memcmp(*out + printed, before + at, (size_t)want) == 0,
				"the console did not get exactly the guest's bytes");
		else
			require(*outlen == printed, "a call printed what it should not have");
	}
	if (c->nr == KIT_HC_EXIT) {
		require(host->exited && host->exit_code == (int64_t)c->args[0],
			"KIT_HC_EXIT did not set exited and exit_code");
		was.exited = host->exited;
		was.exit_code = host->exit_code;
	}
	require(host->vm == was.vm && host->console == was.console && host->trace == was.trace &&
		host->sync_regs == was.sync_regs && host->smccc_filter == was.smccc_filter &&
		host->exited == was.exited && host->exit_code == was.exit_code &&
		host->ncalls == was.ncalls && memcmp(host->log, was.log, sizeof(was.log)) == 0,
		"the call changed a field of the host that it should not have");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct planned plan[MAX_CALLS];
	struct hc_host host;
	unsigned flags, n, i;
	FILE *console = NULL;
	char *out = NULL;
	size_t outlen = 0;

	if (!vm.nslots)
		setup();
	flags = (unsigned)take(&in, 1);
	memset(plan, 0, sizeof(plan));
	n = read_calls(&in, plan, 1 + (flags >> 1) % MAX_CALLS);
	/* The rest is what guest memory holds, then a pattern. */
	i = in.left < MEM_SIZE ? (unsigned)in.left : MEM_SIZE;
	memcpy(mem, in.p, i);
	for (; i < MEM_SIZE; i++)
		mem[i] = (uint8_t)(i * 13 + 0x5a);
	if (!(flags & 1)) {
		console = open_memstream(&out, &outlen);
		if (!console)
			abort();
	}
	hc_host_init(&host, &vm, console);
	for (i = 0; i < n; i++)
		one_call(&host, &plan[i], console, &out, &outlen);
	if (console)
		fclose(console);
	free(out);
	return 0;
}
