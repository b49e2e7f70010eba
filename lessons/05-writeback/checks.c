/* SPDX-License-Identifier: MIT */
/*
 * checks.c - lesson 05's graded checks of the decoder (given; read, do
 * not change). Plain words in, fields out: no KVM, so they run on any
 * host. checks_arm64.c has the emulator's, in a real guest.
 */
#include <stdlib.h>
#include <string.h>

#include "a64.h"
#include "oracle.h"
#include "grade/grade.h"
#include "checks_arch.h"
#include "checks_decode.h"


#define S(w, t, l, sz, sg, db, rt, rn, m, off) \
	{ w, t, l, sg, false, sz, db, rt, 0, rn, m, off, 0, A64_LSL, 0 }
#define P(w, t, l, sz, sg, db, rt, rt2, rn, m, off) \
	{ w, t, l, sg, true, sz, db, rt, rt2, rn, m, off, 0, A64_LSL, 0 }
#define R(w, t, l, sz, sg, db, rt, rn, rm, ext, sh) \
	{ w, t, l, sg, false, sz, db, rt, 0, rn, A64_REGISTER, 0, rm, ext, sh }

static const struct want singles[] = {
	S(0xf900005f, "str xzr, [x2]", false, 8, false, 64, 31, 2, A64_OFFSET, 0),
	S(0xf900045f, "str xzr, [x2, #8]", false, 8, false, 64, 31, 2, A64_OFFSET, 8),
	S(0xf800845f, "str xzr, [x2], #8", false, 8, false, 64, 31, 2, A64_POST, 8),
	S(0xf97ffc20, "ldr x0, [x1, #32760]", true, 8, false, 64, 0, 1, A64_OFFSET, 32760),
	S(0x397ffc83, "ldrb w3, [x4, #4095]", true, 1, false, 32, 3, 4, A64_OFFSET, 4095),
	S(0x797ffcc5, "ldrh w5, [x6, #8190]", true, 2, false, 32, 5, 6, A64_OFFSET, 8190),
	S(0xb97fffe7, "ldr w7, [sp, #16380]", true, 4, false, 32, 7, 31, A64_OFFSET, 16380),
	S(0x38900c41, "ldrsb x1, [x2, #-256]!", true, 1, true, 64, 1, 2, A64_PRE, -256),
	S(0x78cff483, "ldrsh w3, [x4], #255", true, 2, true, 32, 3, 4, A64_POST, 255),
	S(0xb89fccc5, "ldrsw x5, [x6, #-4]!", true, 4, true, 64, 5, 6, A64_PRE, -4),
	S(0xf85ff107, "ldur x7, [x8, #-1]", true, 8, false, 64, 7, 8, A64_OFFSET, -1),
	S(0x780ff149, "sturh w9, [x10, #255]", false, 2, false, 32, 9, 10, A64_OFFSET, 255),
	S(0x38d0018b, "ldursb w11, [x12, #-256]", true, 1, true, 32, 11, 12, A64_OFFSET, -256),
	S(0x381005cd, "strb w13, [x14], #-256", false, 1, false, 32, 13, 14, A64_POST, -256),
	S(0xb8804420, "ldrsw x0, [x1], #4", true, 4, true, 64, 0, 1, A64_POST, 4),
	S(0x78c06c62, "ldrsh w2, [x3, #6]!", true, 2, true, 32, 2, 3, A64_PRE, 6),
	S(0xf81f8fff, "str xzr, [sp, #-8]!", false, 8, false, 64, 31, 31, A64_PRE, -8),
};

static const struct want pairs[] = {
	P(0xa8c17bfd, "ldp x29, x30, [sp], #16", true, 8, false, 64, 29, 30, 31, A64_POST, 16),
	P(0xa9bf7bfd, "stp x29, x30, [sp, #-16]!", false, 8, false, 64, 29, 30, 31, A64_PRE, -16),
	P(0x291f8861, "stp w1, w2, [x3, #252]", false, 4, false, 32, 1, 2, 3, A64_OFFSET, 252),
	P(0x29600861, "ldp w1, w2, [x3, #-256]", true, 4, false, 32, 1, 2, 3, A64_OFFSET, -256),
	P(0xa95f8861, "ldp x1, x2, [x3, #504]", true, 8, false, 64, 1, 2, 3, A64_OFFSET, 504),
	P(0x69e00861, "ldpsw x1, x2, [x3, #-256]!", true, 4, true, 64, 1, 2, 3, A64_PRE, -256),
	P(0xa8200861, "stnp x1, x2, [x3, #-512]", false, 8, false, 64, 1, 2, 3, A64_OFFSET, -512),
	P(0x284094c4, "ldnp w4, w5, [x6, #4]", true, 4, false, 32, 4, 5, 6, A64_OFFSET, 4),
	P(0xa9007fff, "stp xzr, xzr, [sp]", false, 8, false, 64, 31, 31, 31, A64_OFFSET, 0),
};

static const struct want registers[] = {
	R(0xf8626820, "ldr x0, [x1, x2]", true, 8, false, 64, 0, 1, 2, A64_LSL, 0),
	R(0xf8627820, "ldr x0, [x1, x2, lsl #3]", true, 8, false, 64, 0, 1, 2, A64_LSL, 3),
	R(0x38624820, "ldrb w0, [x1, w2, uxtw]", true, 1, false, 32, 0, 1, 2, A64_UXTW, 0),
	R(0x7862d820, "ldrh w0, [x1, w2, sxtw #1]", true, 2, false, 32, 0, 1, 2, A64_SXTW, 1),
	R(0xb8a2f820, "ldrsw x0, [x1, x2, sxtx #2]", true, 4, true, 64, 0, 1, 2, A64_SXTX, 2),
	R(0xb83f7820, "str w0, [x1, xzr, lsl #2]", false, 4, false, 32, 0, 1, 31, A64_LSL, 2),
	R(0xb8615bfe, "ldr w30, [sp, w1, uxtw #2]", true, 4, false, 32, 30, 31, 1, A64_UXTW, 2),
};

void expect_decoded(const struct want *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct a64_insn d;
		char text[96];
		bool ok;

		memset(&d, 0x5a, sizeof(d));
		ok = a64_decode(w[i].word, &d);
		if (!EXPECT(ok && d.ok, "0x%08x (%s) should decode, but was refused: %s",
			    w[i].word, w[i].text, d.ok ? "(returned false)" : d.reason))
			continue;
		a64_text(&d, text, sizeof(text));
		EXPECT(d.word == w[i].word && d.load == w[i].load && d.size == w[i].size &&
		       d.sign == w[i].sign && d.dest_bits == w[i].dest_bits && d.pair == w[i].pair &&
		       d.rt == w[i].rt && d.rn == w[i].rn && (!w[i].pair || d.rt2 == w[i].rt2) &&
		       d.mode == w[i].mode &&
		       (w[i].mode == A64_REGISTER || d.offset == w[i].offset) &&
		       (!w[i].check_unscaled || w[i].mode != A64_OFFSET || w[i].pair ||
			d.unscaled == w[i].unscaled) &&
		       (w[i].mode != A64_REGISTER ||
			(d.rm == w[i].rm && d.extend == w[i].extend && d.shift == w[i].shift)),
		       "0x%08x is \"%s\"; the decoder made it \"%s\" (load %d, size %u, signed %d, "
		       "%u bits, rt %u, rt2 %u, rn %u, mode %d, offset %lld, unscaled %d, rm %u, "
		       "extend %d, shift %u)", w[i].word, w[i].text, text, d.load, d.size, d.sign,
		       d.dest_bits, d.rt, d.rt2, d.rn, d.mode, (long long)d.offset, d.unscaled,
		       d.rm, d.extend, d.shift);
	}
}

static void test_decode_single(void)
{
	expect_decoded(singles, sizeof(singles) / sizeof(singles[0]));
}

static void test_decode_pairs(void)
{
	expect_decoded(pairs, sizeof(pairs) / sizeof(pairs[0]));
}

static void test_decode_register_offset(void)
{
	expect_decoded(registers, sizeof(registers) / sizeof(registers[0]));
}

static void test_decode_refusals(void)
{
	static const struct { uint32_t word; const char *what, *needle; } no[] = {
		{ 0x3d800020, "str q0, [x1] (a SIMD register)", "SIMD" },
		{ 0xfc008420, "str d0, [x1], #8 (a floating-point register, post-index)", "SIMD" },
		{ 0xad7f8420, "ldp q0, q1, [x1, #-16] (a SIMD pair)", "SIMD" },
		{ 0xc85f7c20, "ldxr x0, [x1] (an exclusive)", "exclusive" },
		{ 0xc89ffc20, "stlr x0, [x1] (store-release)", "exclusive or ordered" },
		{ 0xf8200020, "ldadd x0, x0, [x1] (an atomic)", "atomic" },
		{ 0xf9800020, "prfm pldl1keep, [x1] (a prefetch)", "PRFM" },
		{ 0xf8400c21, "ldr x1, [x1, #0]! (writeback onto Rt)", "Rn == Rt" },
		{ 0xf8008421, "str x1, [x1], #8 (writeback onto Rt)", "Rn == Rt" },
		{ 0xa8c10420, "ldp x0, x1, [x1], #16 (writeback onto Rt2)", "Rn == Rt" },
		{ 0x29400421, "ldp w1, w1, [x1] (a pair load into one register)", "Rt == Rt2" },
		{ 0xb8c00c20, "unallocated: opc 11 with a word", "unallocated" },
		{ 0xf8400820, "ldtr x0, [x1] (unprivileged)", "unprivileged" },
		{ 0x58000020, "ldr x0, #4 (a literal)", "literal" },
		{ 0xd503201f, "nop (not a load or store)", "not a load or store" },
		{ 0x69000820, "stgp x0, x2, [x1] (memory tags)", "STGP" },
	};
	size_t i;

	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		struct a64_insn d;
		bool ok;

		memset(&d, 0x5a, sizeof(d));
		ok = a64_decode(no[i].word, &d);
		if (!EXPECT(!ok && !d.ok, "0x%08x, %s: should be refused", no[i].word, no[i].what))
			continue;
		EXPECT(d.reason && (uintptr_t)d.reason != (uintptr_t)0x5a5a5a5a5a5a5a5aULL &&
		       strstr(d.reason, no[i].needle), "0x%08x, %s: the reason should mention "
		       "\"%s\", got \"%s\"", no[i].word, no[i].what, no[i].needle,
		       d.reason && (uintptr_t)d.reason != (uintptr_t)0x5a5a5a5a5a5a5a5aULL ?
		       d.reason : "(none)");
	}
	/* And Rn == 31 with writeback is fine: SP is not Rt's XZR. */
	{
		struct a64_insn d;

		EXPECT(a64_decode(0xf81f8fff, &d), "str xzr, [sp, #-8]! should decode (Rt 31 is "
		       "XZR, Rn 31 is SP: not the same register)");
	}
}

/* ---- against a disassembler ------------------------------------------- */

struct diff {
	unsigned long words, mismatches;
};

static void compare(uint32_t word, void *ctx)
{
	struct diff *diff = ctx;
	struct a64_oracle o;
	struct a64_insn d;
	const char *what = NULL;
	char text[96];
	bool ok = a64_decode(word, &d);

	diff->words++;
	a64_oracle_ask(word, &o);
	/* What the architecture leaves unpredictable, the lesson refuses: but
	 * only that (writeback onto Rt or Rt2 with Rn not SP, a pair load into
	 * one register). */
	if (!ok && o.ok && d.reason && strstr(d.reason, "CONSTRAINED UNPREDICTABLE") &&
	    (((o.d.mode == A64_PRE || o.d.mode == A64_POST) && o.d.rn != 31 &&
	      (o.d.rn == o.d.rt || (o.d.pair && o.d.rn == o.d.rt2))) ||
	     (o.d.pair && o.d.load && o.d.rt == o.d.rt2)))
		return;
	if (ok == o.ok && (!ok || a64_same(&d, &o.d, &what)))
		return;
	if (++diff->mismatches <= 8) {
		char mine[160];

		if (ok) {
			a64_text(&d, text, sizeof(text));
			snprintf(mine, sizeof(mine), "made it \"%s\"%s%s", text,
				 what ? ", which differs in " : "", what ? what : "");
		} else {
			snprintf(mine, sizeof(mine), "refused it: %s", d.reason ? d.reason : "(no reason)");
		}
		FAIL("0x%08x: a disassembler reads \"%s\"%s; your decoder %s", word, o.text,
		     o.ok ? "" : " (not one of the lesson's)", mine);
	}
}

static void test_decode_matches_disassembler(void)
{
	struct diff diff = { 0, 0 };
	uint64_t x = 0x5eed5eedULL;
	unsigned i;

	ASSERT(a64_oracle_open() == 0, "Capstone has no AArch64 here");
	a64_edge_words(compare, &diff);
	for (i = 0; i < 50000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		compare(((uint32_t)x | 1u << 27) & ~(1u << 25), &diff);
	}
	a64_oracle_close();
	printf("%lu words compared, %lu mismatches\n", diff.words, diff.mismatches);
	EXPECT_EQ_U64("words where your decoder and the disassembler differ", diff.mismatches, 0);
}

static const struct grade_test tests[] = {
	{ "decode_single", "single-register loads and stores: every size, sign and mode",
	  3, 0, test_decode_single,
	  "Section 4: size 31:30, opc 23:22, imm12 << size, imm9 signed, bits 11:10 for the "
	  "mode; opc 10 signs into X, 11 into W." },
	{ "decode_pairs", "pairs: LDP/STP, LDPSW, LDNP/STNP, each form",
	  2, 0, test_decode_pairs,
	  "Section 4: opc 31:30 (00 W, 01 LDPSW, 10 X), bits 24:23 the form, imm7 times the "
	  "element's size." },
	{ "decode_register_offset", "register offsets: LSL, UXTW, SXTW, SXTX and the shift",
	  2, 0, test_decode_register_offset,
	  "Section 4: option 15:13 (010 UXTW, 011 LSL, 110 SXTW, 111 SXTX), S 12: shift by "
	  "the size." },
	{ "decode_matches_disassembler", "every field at its edges, and 50000 random words, "
	  "read as a disassembler reads them", 3, 0, test_decode_matches_disassembler,
	  "Section 4: the tables of section 3, every field; the message shows the words "
	  "where you differ." },
	{ "decode_refusals", "what is not emulated is refused, with the reason",
	  2, 0, test_decode_refusals,
	  "Section 4: V = 1, exclusives, atomics, PRFM, LDTR, literals, writeback with Rn == "
	  "Rt, LDP with Rt == Rt2, unallocated forms." },
};

int main(int argc, char **argv)
{
	return grade_main_parts(argc, argv, "05-writeback", tests, sizeof(tests) / sizeof(tests[0]),
				arch_tests, arch_ntests);
}
