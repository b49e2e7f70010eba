/* SPDX-License-Identifier: MIT */
/*
 * decoder_diff - lesson 05's decoder against an independent disassembler
 * (Capstone, the kit's disassembler), word by word (make decoder-diff).
 *
 *   decoder_diff [RANDOM-WORDS [SEED]]
 *
 * The words: every encoding of the two classes the decoder covers with
 * each field at its edges, then RANDOM-WORDS (default 1000000) random
 * words of the load/store space (bit 27 set, bit 25 clear). For each, the
 * decoder must accept it exactly when Capstone reads it as one of the
 * loads and stores the lesson emulates (LDR, STR, LDUR, STUR and their
 * byte, halfword and signed forms, LDP, STP, LDPSW, LDNP, STNP, of W and X
 * registers), and agree on every field: load or store, size, sign,
 * width, Rt, Rt2, Rn, Rm, mode, offset, extend and shift. The decoder's
 * refusals of what the architecture calls CONSTRAINED UNPREDICTABLE
 * (writeback onto the base register, a pair load into one register) are
 * counted apart: Capstone decodes those, the lesson refuses them.
 * Prints the counts and each mismatch (up to 20); exits 1 on any.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "05-writeback/oracle.h"

static unsigned long words, accepted, refused, by_design, mismatches;

static void check(uint32_t word)
{
	struct a64_insn mine;
	struct a64_oracle o;
	const char *what = NULL;
	char text[96];
	bool ok = a64_decode(word, &mine);

	words++;
	a64_oracle_ask(word, &o);
	if (!ok && o.ok && strstr(mine.reason, "CONSTRAINED UNPREDICTABLE") &&
	    (((o.d.mode == A64_PRE || o.d.mode == A64_POST) && o.d.rn != 31 &&
	      (o.d.rn == o.d.rt || (o.d.pair && o.d.rn == o.d.rt2))) ||
	     (o.d.pair && o.d.load && o.d.rt == o.d.rt2))) {
		by_design++;
		return;
	}
	if (ok == o.ok && (!ok || a64_same(&mine, &o.d, &what))) {
		ok ? accepted++ : refused++;
		return;
	}
	if (++mismatches <= 20) {
		a64_text(&mine, text, sizeof(text));
		printf("MISMATCH 0x%08x: Capstone \"%s\"%s; the decoder: %s%s%s\n", word, o.text,
		       o.ok ? "" : " (not one of ours)", ok ? text : mine.reason,
		       what ? ", differs in " : "", what ? what : "");
	}
}

static void check_word(uint32_t word, void *ctx)
{
	(void)ctx;
	check(word);
}

int main(int argc, char **argv)
{
	unsigned long random_words = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	uint64_t x = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed5eedULL;
	unsigned long i, edge_words;

	if (a64_oracle_open() < 0) {
		fprintf(stderr, "decoder_diff: Capstone has no AArch64 here\n");
		return 2;
	}
	edge_words = a64_edge_words(check_word, NULL);
	for (i = 0; i < random_words; i++) {
		/* xorshift64: the same words on every run with the same seed */
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check(((uint32_t)x | 1u << 27) & ~(1u << 25));
	}
	a64_oracle_close();
	printf("decoder-diff: %lu words (%lu at the edges of every field, %lu random): %lu "
	       "accepted by both and equal in every field, %lu refused by both, %lu refused "
	       "by design (CONSTRAINED UNPREDICTABLE), %lu mismatches\n", words, edge_words,
	       words - edge_words, accepted, refused, by_design, mismatches);
	return mismatches ? 1 : 0;
}
