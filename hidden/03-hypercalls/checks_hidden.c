/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden.c - lesson 03's hidden checks (instructors only; see
 * hidden/README.md). Direct calls of hc_dispatch(), as in the lesson's
 * dispatch_bounds, so the same on every architecture.
 */
#include <string.h>

#include "hypercalls.h"
#include "grade/grade.h"

/* Where the struct goes, in the 64 KiB of RAM at guest physical 0. */
#define STRUCT_GPA 0x2000
/* What the bytes around it hold before the call: any change shows. */
#define UNTOUCHED 0xee

/* One FILL whose buffer lies over its own struct; the result, and the
 * struct's 24 bytes and 16 after them as the call left them. */
static int64_t fill_over(struct hc_host *host, uint8_t *ram, uint64_t buf_offset, uint64_t len,
			 uint64_t seed, uint8_t after[40])
{
	struct kit_hc_fill args = { .buf = STRUCT_GPA + buf_offset, .len = len, .seed = seed };
	struct hc_call call = { .nr = KIT_HC_FILL, .args = { STRUCT_GPA } };
	int64_t got;

	memset(ram + STRUCT_GPA - 64, UNTOUCHED, 192);
	memcpy(ram + STRUCT_GPA, &args, sizeof(args));
	got = hc_dispatch(host, &call);
	memcpy(after, ram + STRUCT_GPA, 40);
	return got;
}

/*
 * Section 5.3: copy the struct out first, then use only the copy. Code
 * that reads shared->seed or shared->len again inside its loop passes the
 * lesson's checks, whose buffer lies elsewhere; here the buffer covers the
 * struct itself, so the fill changes the fields such code reads back:
 *   - buf over the last byte of len and the seed (seed 0): with the copy,
 *     bytes 0, 1, ..., 8; reading the seed again gives 0, 1, 3, 6, ...
 *   - buf over len's first byte, len 1, seed 40: with the copy one byte,
 *     40; reading len again makes it 40, and 40 bytes are written.
 */
static void test_fill_over_its_struct(void)
{
	uint8_t after[40], want[40];
	struct hc_host host;
	struct vm vm;
	uint8_t *ram;
	int64_t got;
	unsigned i;

	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	ASSERT(vm_add_memory(&vm, 0, 0x10000, 0) >= 0, "vm_add_memory: %s", kit_last_error());
	ram = guest_ptr(&vm, 0, 0x10000);
	ASSERT(ram != NULL, "guest_ptr: %s", kit_last_error());
	hc_host_init(&host, &vm, NULL);

	/* The seed's first byte is overwritten on the second step. */
	got = fill_over(&host, ram, 15, 9, 0, after);
	EXPECT_EQ_INT("FILL({ buf = &args + 15, len 9, seed 0 }), a buffer over the struct's "
		      "last 9 bytes", got, 9);
	{
		struct kit_hc_fill args = { .buf = STRUCT_GPA + 15, .len = 9, .seed = 0 };

		memcpy(want, &args, sizeof(args));
		memset(want + sizeof(args), UNTOUCHED, sizeof(want) - sizeof(args));
		for (i = 0; i < 9; i++)
			want[15 + i] = (uint8_t)i;
	}
	EXPECT_BYTES("the struct and the 16 bytes after it, after FILL({ buf = &args + 15, "
		     "len 9, seed 0 }): bytes 0 to 8 from offset 15, seed + i from the seed "
		     "copied before the loop", after, sizeof(after), want, sizeof(want));

	/* len's first byte becomes 40 on the first step. */
	got = fill_over(&host, ram, 8, 1, 40, after);
	EXPECT_EQ_INT("FILL({ buf = &args.len, len 1, seed 40 }), a buffer over len itself",
		      got, 1);
	{
		struct kit_hc_fill args = { .buf = STRUCT_GPA + 8, .len = 1, .seed = 40 };

		memcpy(want, &args, sizeof(args));
		memset(want + sizeof(args), UNTOUCHED, sizeof(want) - sizeof(args));
		want[8] = 40;
	}
	EXPECT_BYTES("the struct and the 16 bytes after it, after FILL({ buf = &args.len, "
		     "len 1, seed 40 }): one byte written, the loop bounded by the len copied "
		     "before it", after, sizeof(after), want, sizeof(want));
	vm_destroy(&vm);
}

const struct grade_test hidden_tests[] = {
	{ "fill_over_its_struct", "KIT_HC_FILL over its own struct uses only the copy",
	  2, GRADE_NEEDS_KVM, test_fill_over_its_struct,
	  "Section 5.3: memcpy() the struct out of guest memory once, check the copy, and "
	  "fill from the copy's buf, len and seed; never read shared->len or shared->seed "
	  "again (the fill itself may change them)." },
};

const size_t hidden_ntests = sizeof(hidden_tests) / sizeof(hidden_tests[0]);
