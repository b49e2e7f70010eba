/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden.c - lesson 05's hidden checks of the decoder
 * (instructors only; see hidden/README.md). Plain words in, fields out,
 * as in the lesson's checks.c: on every architecture.
 */
#include <string.h>

#include "a64.h"
#include "checks_decode.h"
#include "grade/grade.h"

/* The lesson's struct want (checks_decode.h), with LDUR/STUR's unscaled
 * form compared too. */
#define S(w, t, l, sz, sg, db, rt, rn, m, off, u) \
	{ w, t, l, sg, false, sz, db, rt, 0, rn, m, off, 0, A64_LSL, 0, true, u }
#define P(w, t, l, sz, db, rt, rt2, rn, m, off) \
	{ w, t, l, false, true, sz, db, rt, rt2, rn, m, off, 0, A64_LSL, 0, false, false }
#define R(w, t, l, sz, sg, db, rt, rn, rm, ext, sh) \
	{ w, t, l, sg, false, sz, db, rt, 0, rn, A64_REGISTER, 0, rm, ext, sh, false, false }

/*
 * Section 4's rule on writeback is about writeback only: without it, Rn
 * may be Rt (ldr x1, [x1, #8] is how a linked list is walked; LDUR too), and a
 * store pair may store one register twice. Then forms the lesson's tables
 * do not hold: a sign-extending halfword into X at the largest scaled
 * offset, LDURSW, a W pair pre-indexed at its lowest offset, an X pair
 * post-indexed at its highest, a store through SXTW, LDRSB through SXTX.
 */
static const struct want accepts[] = {
	S(0xf9400421, "ldr x1, [x1, #8]", true, 8, false, 64, 1, 1, A64_OFFSET, 8, false),
	S(0xb9000421, "str w1, [x1, #4]", false, 4, false, 32, 1, 1, A64_OFFSET, 4, false),
	S(0xf85f8021, "ldur x1, [x1, #-8]", true, 8, false, 64, 1, 1, A64_OFFSET, -8, true),
	S(0x380ff042, "sturb w2, [x2, #255]", false, 1, false, 32, 2, 2, A64_OFFSET, 255, true),
	S(0x79bffcc5, "ldrsh x5, [x6, #8190]", true, 2, true, 64, 5, 6, A64_OFFSET, 8190, false),
	S(0xb9bffd49, "ldrsw x9, [x10, #16380]", true, 4, true, 64, 9, 10, A64_OFFSET, 16380,
	  false),
	S(0xb8900083, "ldursw x3, [x4, #-256]", true, 4, true, 64, 3, 4, A64_OFFSET, -256, true),
	P(0x29a07bfd, "stp w29, w30, [sp, #-256]!", false, 4, 32, 29, 30, 31, A64_PRE, -256),
	P(0xa8df8440, "ldp x0, x1, [x2], #504", true, 8, 64, 0, 1, 2, A64_POST, 504),
	P(0xa9010441, "stp x1, x1, [x2, #16]", false, 8, 64, 1, 1, 2, A64_OFFSET, 16),
	R(0x7829d907, "strh w7, [x8, w9, sxtw #1]", false, 2, false, 32, 7, 8, 9, A64_SXTW, 1),
	R(0x38e2e820, "ldrsb w0, [x1, x2, sxtx]", true, 1, true, 32, 0, 1, 2, A64_SXTX, 0),
};

/* A word that must be refused, and a word of the reason. */
static const struct {
	uint32_t word;
	const char *text, *reason;
} refusals[] = {
	/* A store's writeback onto Rt2 is as unpredictable as onto Rt. */
	{ 0xa8810420, "stp x0, x1, [x1], #16 (a store pair's writeback onto Rt2)", "Rn == Rt" },
	/* Every pair load into one register: the non-temporal and LDPSW too. */
	{ 0xa8400c83, "ldnp x3, x3, [x4] (a non-temporal pair load into one register)",
	  "Rt == Rt2" },
	{ 0x69400862, "ldpsw x2, x2, [x3] (LDPSW into one register)", "Rt == Rt2" },
};

static void test_decode_more_forms(void)
{
	size_t i;

	expect_decoded(accepts, sizeof(accepts) / sizeof(accepts[0]));
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		struct a64_insn d;
		bool ok;

		memset(&d, 0x5a, sizeof(d));
		ok = a64_decode(refusals[i].word, &d);
		EXPECT(!ok && !d.ok, "0x%08x (%s) should be refused, but was decoded",
		       refusals[i].word, refusals[i].text);
		if (!ok && !d.ok)
			EXPECT(d.reason && strstr(d.reason, refusals[i].reason),
			       "0x%08x (%s) was refused, but its reason \"%s\" should say \"%s\"",
			       refusals[i].word, refusals[i].text, d.reason ? d.reason : "(none)",
			       refusals[i].reason);
	}
}

const struct grade_test hidden_tests[] = {
	{ "decode_more_forms", "Rn == Rt without writeback, more forms and offsets, pair refusals",
	  2, GRADE_NEEDS_NOTHING, test_decode_more_forms,
	  "Section 4: refuse Rn == Rt (or Rt2) only with writeback (pre or post), and a pair "
	  "LOAD with Rt == Rt2 whatever its kind (LDP, LDNP, LDPSW); scale each offset by "
	  "the element's size." },
};

const size_t hidden_ntests = sizeof(hidden_tests) / sizeof(hidden_tests[0]);
