/* SPDX-License-Identifier: MIT */
/*
 * checks.c - lesson 03's graded checks for every architecture (given;
 * read, do not change); checks_<arch>.c has the rest.
 *
 * Real guests make real hypercalls through your code; the checks look at
 * what the guest got back (it says so on its console), at the log of calls
 * the given host.c keeps, and at which ioctls your code made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "02-c-guests/c_guests.h"
#include "hypercalls.h"
#include "grade/grade.h"
#include "guest_image.h"
#include "layout.h"
#include "checks_arch.h"

GUEST_IMAGE_DECLARE(hypercalls);
GUEST_IMAGE_DECLARE(hostile);


/* The values the hypercalls guest passes to KIT_HC_MIX5. */
static const uint64_t mix_args[5] = {
	0x0000000000000001ULL, 0x0000000100000005ULL, 0xffffffffffffffffULL,
	0x8000000000000000ULL, 0x123456789abcdef0ULL,
};

/* Boot `image` (lesson 02's reference code) and run it with your hypercalls. */
struct outcome run_guest(const struct guest_image *image, enum transport_path path,
			 unsigned timeout_ms)
{
	struct outcome o;
	struct run_loop loop = { .timeout_ms = timeout_ms, .on_exit = hc_on_exit };
	struct vm vm;
	struct vcpu cpu;
	FILE *console;

	memset(&o, 0, sizeof(o));
	ASSERT(lm_boot(&vm, &cpu, image->bytes, image->size) == 0, "booting %s: %s",
	       image->name, kit_last_error());
	console = open_memstream(&o.output, &o.len);
	ASSERT(console != NULL, "open_memstream failed");
	hc_host_init(&o.host, &vm, console);
	hc_fast_transport(&o.host, &cpu, path == FAST_IF_PRESENT);
	loop.console = console;
	loop.ctx = &o.host;
	o.get_regs = inject_ioctl_calls(KVM_GET_REGS);
	o.set_regs = inject_ioctl_calls(KVM_SET_REGS);
	o.ret = vcpu_run_loop(&cpu, &loop);
	o.get_regs = inject_ioctl_calls(KVM_GET_REGS) - o.get_regs;
	o.set_regs = inject_ioctl_calls(KVM_SET_REGS) - o.set_regs;
	snprintf(o.error, sizeof(o.error), "%s", o.ret ? kit_last_error() : "");
	fclose(console);
	o.host.console = NULL;
	printf("%s: run ended with %d%s%s after %u hypercalls; console:\n%s\n", image->name,
	       o.ret, o.ret ? ": " : "", o.error, o.host.ncalls, o.output);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	return o;
}

/* The first logged call with number `nr`, or NULL. */
static const struct hc_call *find_call(const struct hc_host *h, uint64_t nr, int64_t *result)
{
	unsigned i;

	for (i = 0; i < h->ncalls && i < HC_LOG_MAX; i++) {
		if (h->log[i].call.nr == nr) {
			if (result)
				*result = h->log[i].result;
			return &h->log[i].call;
		}
	}
	return NULL;
}

void expect_all_calls_worked(const struct outcome *o)
{
	expect_ran(o);
	ASSERT(o->output != NULL, "no output");
	EXPECT(strstr(o->output, "mix5: ok") && strstr(o->output, "fill: ok") &&
	       strstr(o->output, "unknown: ENOSYS") && o->host.exit_code == 42,
	       "not every call worked; the guest printed:\n%s", o->output);
}

void expect_ran(const struct outcome *o)
{
	EXPECT(o->ret == 0, "the guest's run failed (%d): %s", o->ret, o->error);
}

/* ---- sections 3 and 4: arguments in, dispatch ----------------------- */

static void test_args_arrive_whole(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);
	const struct hc_call *call = find_call(&o.host, KIT_HC_MIX5, NULL);
	static const char *const regs[] = { "RBX", "RCX", "RDX", "RSI", "RDI" };
	unsigned i;

	expect_ran(&o);
	ASSERT(call != NULL, "no KIT_HC_MIX5 call was read (calls seen: %u): %s",
	       o.host.ncalls, o.error);
	for (i = 0; i < 5; i++) {
		char what[96];

		snprintf(what, sizeof(what), "argument %u of MIX5 (from %s)", i + 1, regs[i]);
		EXPECT_EQ_U64(what, call->args[i], mix_args[i]);
	}
	free(o.output);
}

static void test_result_reaches_guest(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);
	char expected[64];

	expect_ran(&o);
	snprintf(expected, sizeof(expected), "mix5: ok 0x%016llx\n",
		 (unsigned long long)kit_hc_mix5(mix_args[0], mix_args[1], mix_args[2],
						 mix_args[3], mix_args[4]));
	ASSERT(o.output != NULL, "no output");
	EXPECT(strstr(o.output, expected) != NULL,
	       "the guest should print \"%.*s\" (the result it got in RAX, checked by the "
	       "guest); it printed:\n%s", (int)strlen(expected) - 1, expected, o.output);
	free(o.output);
}

static void test_write_prints(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);
	static const char hello[] = "hello via hypercall\n";
	int64_t result = 0;

	expect_ran(&o);
	ASSERT(o.output != NULL, "no output");
	EXPECT_BYTES("the console's first line (KIT_HC_WRITE)", o.output,
		     o.len < sizeof(hello) - 1 ? o.len : sizeof(hello) - 1, hello, sizeof(hello) - 1);
	if (EXPECT(find_call(&o.host, KIT_HC_WRITE, &result) != NULL, "no KIT_HC_WRITE call"))
		EXPECT_EQ_INT("KIT_HC_WRITE's result (bytes written)", result, sizeof(hello) - 1);
	free(o.output);
}

static void test_fill_through_struct(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);
	int64_t result = 0;

	expect_ran(&o);
	ASSERT(o.output != NULL, "no output");
	EXPECT(strstr(o.output, "fill: ok\n") != NULL, "the guest should print \"fill: ok\" "
	       "(it checks all 64 bytes and the result); it printed:\n%s", o.output);
	if (EXPECT(find_call(&o.host, KIT_HC_FILL, &result) != NULL, "no KIT_HC_FILL call"))
		EXPECT_EQ_INT("KIT_HC_FILL's result (bytes filled)", result, 64);
	free(o.output);
}

static void test_unknown_number(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);
	int64_t result = 0;

	expect_ran(&o);
	ASSERT(o.output != NULL, "no output");
	EXPECT(strstr(o.output, "unknown: ENOSYS\n") != NULL,
	       "call 999 should give KIT_HC_ENOSYS (-38); the guest printed:\n%s", o.output);
	if (EXPECT(find_call(&o.host, 999, &result) != NULL, "no call 999 was read"))
		EXPECT_EQ_INT("the result of call 999", result, KIT_HC_ENOSYS);
	/* The number is 64 bits wide, from the guest to the table. */
	EXPECT(strstr(o.output, "2^32+EXIT: ENOSYS\n") != NULL,
	       "call 2^32 + KIT_HC_EXIT should give KIT_HC_ENOSYS; the guest printed:\n%s",
	       o.output);
	if (EXPECT(find_call(&o.host, (1ULL << 32) | KIT_HC_EXIT, &result) != NULL,
		   "no call 0x%llx was read (a number truncated to 32 bits?)",
		   (unsigned long long)((1ULL << 32) | KIT_HC_EXIT)))
		EXPECT_EQ_INT("the result of call 2^32 + KIT_HC_EXIT", result, KIT_HC_ENOSYS);
	free(o.output);
}

static void test_exit_code(void)
{
	struct guest_image image = GUEST_IMAGE(hypercalls);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);

	expect_ran(&o);
	EXPECT(o.host.exited, "the guest's KIT_HC_EXIT did not set host->exited");
	EXPECT_EQ_INT("host->exit_code (main returned 42)", o.host.exit_code, 42);
	free(o.output);
}

/* ---- direct calls of hc_dispatch() ---------------------------------- */

static void test_dispatch_bounds(void)
{
	struct hc_host host;
	struct hc_call call;
	struct vm vm;
	int64_t got;
	uint64_t expected;

	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	ASSERT(vm_add_memory(&vm, 0, 0x10000, 0) >= 0, "vm_add_memory: %s", kit_last_error());
	hc_host_init(&host, &vm, NULL);

	memset(&call, 0, sizeof(call));
	call.nr = KIT_HC_MIX5;
	memcpy(call.args, mix_args, sizeof(call.args));
	expected = kit_hc_mix5(mix_args[0], mix_args[1], mix_args[2], mix_args[3], mix_args[4]);
	got = hc_dispatch(&host, &call);
	ASSERT(got == (int64_t)expected, "hc_dispatch(MIX5) returned %lld, expected %lld "
	       "(last error: %s)", (long long)got, (long long)expected, kit_last_error());

	/* Call numbers straight from a hostile guest. */
	call.nr = 0;
	EXPECT_EQ_INT("hc_dispatch(nr 0)", hc_dispatch(&host, &call), KIT_HC_ENOSYS);
	call.nr = 5;
	EXPECT_EQ_INT("hc_dispatch(nr 5, one past the last)", hc_dispatch(&host, &call),
		      KIT_HC_ENOSYS);
	call.nr = 0x100000000ULL + KIT_HC_MIX5;
	EXPECT_EQ_INT("hc_dispatch(nr 2^32 + MIX5: the number is 64 bits)",
		      hc_dispatch(&host, &call), KIT_HC_ENOSYS);
	call.nr = UINT64_MAX;
	EXPECT_EQ_INT("hc_dispatch(nr 2^64 - 1)", hc_dispatch(&host, &call), KIT_HC_ENOSYS);
	call.nr = (uint64_t)-2;
	EXPECT_EQ_INT("hc_dispatch(nr -2)", hc_dispatch(&host, &call), KIT_HC_ENOSYS);

	/* A write just inside, and one byte past, guest memory. */
	memset(&call, 0, sizeof(call));
	call.nr = KIT_HC_WRITE;
	call.args[0] = 0x10000 - 4;
	call.args[1] = 4;
	EXPECT_EQ_INT("WRITE of the last 4 bytes of RAM", hc_dispatch(&host, &call), 4);
	call.args[1] = 5;
	EXPECT_EQ_INT("WRITE of 5 bytes from 4 before the end (off by one)",
		      hc_dispatch(&host, &call), KIT_HC_EFAULT);
	call.args[0] = 0;
	call.args[1] = KIT_HC_MAX_WRITE;
	EXPECT_EQ_INT("WRITE of exactly KIT_HC_MAX_WRITE bytes", hc_dispatch(&host, &call),
		      KIT_HC_MAX_WRITE);
	call.args[1] = KIT_HC_MAX_WRITE + 1;
	EXPECT_EQ_INT("WRITE of KIT_HC_MAX_WRITE + 1 bytes", hc_dispatch(&host, &call),
		      KIT_HC_EINVAL);
	/* Arguments are 64 bits: a value above 2^32 must not act as its low half. */
	call.args[1] = 0x100000000ULL + 4;
	EXPECT_EQ_INT("WRITE of 2^32 + 4 bytes (too long, not 4)", hc_dispatch(&host, &call),
		      KIT_HC_EINVAL);
	call.args[0] = 0x100000000ULL + 0x10000 - 4;
	call.args[1] = 4;
	EXPECT_EQ_INT("WRITE from 2^32 + (the last 4 bytes of RAM): outside RAM",
		      hc_dispatch(&host, &call), KIT_HC_EFAULT);
	memset(&call, 0, sizeof(call));
	call.nr = KIT_HC_EXIT;
	call.args[0] = 0x123456789abcdef0ULL;
	EXPECT_EQ_INT("hc_dispatch(EXIT) returns", hc_dispatch(&host, &call), 0);
	EXPECT(host.exited, "after hc_dispatch(EXIT), host->exited should be true");
	EXPECT_EQ_U64("host->exit_code after EXIT(0x123456789abcdef0): all 64 bits",
		      (uint64_t)host.exit_code, 0x123456789abcdef0ULL);
	vm_destroy(&vm);
}

/* ---- section 5: hostile guests ---------------------------------------- */

static void test_hostile_pointers(void)
{
	static const char expected[] =
		"write outside RAM: -14\n"
		"write across the end of RAM: -14\n"
		"write with a wrapping length: -22\n"
		"write from the top of the address space: -14\n"
		"write too long: -22\n"
		"write of 0 bytes: 0\n"
		"write of 0 bytes from nowhere: 0\n"
		"ok\n"
		"write ok: 3\n"
		"fill with args outside RAM: -14\n"
		"fill with args across the end of RAM: -14\n"
		"fill across the end of RAM: -14\n"
		"fill wrapping around: -14\n"
		"fill too long: -22\n"
		"fill 1 byte past the end of RAM: -14\n"
		"fill with args 1 byte past the end of RAM: -14\n"
		"fill of exactly the maximum: 65536\n"
		"fill of 0 bytes from nowhere: 0\n"
		"canary: intact\n";
	struct guest_image image = GUEST_IMAGE(hostile);
	struct outcome o = run_guest(&image, FAST_IF_PRESENT, RUN_TIMEOUT_MS);

	expect_ran(&o);
	EXPECT_BYTES("what the hostile guest got, case by case (-14 = EFAULT, -22 = EINVAL)",
		     o.output, o.len, expected, sizeof(expected) - 1);
	free(o.output);
}

static const struct grade_test tests[] = {
	{ "args_arrive_whole", "all five arguments arrive, whole 64-bit values",
	  3, GRADE_NEEDS_KVM, test_args_arrive_whole,
	  "Section 3: nr from RAX; arguments from RBX, RCX, RDX, RSI, RDI, in that order." },
	{ "result_reaches_guest", "the guest sees the result in RAX",
	  2, GRADE_NEEDS_KVM, test_result_reaches_guest,
	  "Section 6: set RAX (run->s.regs + kvm_dirty_regs, or KVM_SET_REGS)." },
	{ "write_prints", "KIT_HC_WRITE prints the guest's string",
	  2, GRADE_NEEDS_KVM, test_write_prints,
	  "Section 5: guest_ptr(vm, buf, len), then fwrite to host->console." },
	{ "fill_through_struct", "KIT_HC_FILL fills a buffer named in a struct",
	  2, GRADE_NEEDS_KVM, test_fill_through_struct,
	  "Section 5: the struct is in guest memory and its buf field is a guest address: "
	  "two checked translations." },
	{ "unknown_number", "an unknown call number gets KIT_HC_ENOSYS",
	  2, GRADE_NEEDS_KVM, test_unknown_number,
	  "Section 4: look nr up in the table; if it is not there, KIT_HC_ENOSYS." },
	{ "exit_code", "KIT_HC_EXIT ends the run with the guest's code",
	  1, GRADE_NEEDS_KVM, test_exit_code,
	  "Section 5: set host->exited and host->exit_code." },
	{ "dispatch_bounds", "call numbers and lengths at the edges are handled exactly",
	  2, GRADE_NEEDS_KVM, test_dispatch_bounds,
	  "Sections 4 and 5: nr is 64 bits and untrusted; bound it before indexing. A "
	  "length may be the maximum, not more." },
	{ "hostile_pointers", "bad pointers and lengths get errors, and the host survives",
	  4, GRADE_NEEDS_KVM, test_hostile_pointers,
	  "Section 5: check lengths first (EINVAL), then every byte through guest_ptr() "
	  "(EFAULT); copy a struct out before using its fields." },
};

/* The tests above, then the architecture's own (checks_<arch>.c). */
int main(int argc, char **argv)
{
	return grade_main_parts(argc, argv, "03-hypercalls", tests, sizeof(tests) / sizeof(tests[0]),
				arch_tests, arch_ntests);
}
