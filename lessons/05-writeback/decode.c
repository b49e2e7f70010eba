/* SPDX-License-Identifier: MIT */
/*
 * decode.c - lesson 05, section 4: the A64 loads and stores of the
 * general-purpose registers, from their instruction words.
 */
#include <string.h>

#include "a64.h"
#include "kit.h"

#define LESSON "05-writeback"

bool a64_decode(uint32_t word, struct a64_insn *d)
{
	/*
	 * TODO: fill *d from `word` (section 4's tables) and return true,
	 * or set d->ok = false and d->reason and return false:
	 *  - bit 27 set and bit 25 clear, or it is not a load or store;
	 *  - bits 29:27 = 111, one register: size (31:30), V (26), opc
	 *    (23:22); unsigned offset (bits 25:24 = 01, imm12 scaled), or
	 *    imm9 (bit 21 = 0; bits 11:10: unscaled, post, pre), or register
	 *    offset (bit 21 = 1, bits 11:10 = 10: Rm, option, S);
	 *  - bits 29:27 = 101, a pair: opc (31:30), V, bits 24:23 (the form),
	 *    L (22), imm7 scaled, Rt2, Rn, Rt;
	 *  - refuse V = 1, PRFM, the unallocated combinations, LDTR/STTR,
	 *    atomics, exclusives, writeback with Rn == Rt (Rn != 31), and a
	 *    pair load with Rt == Rt2.
	 */
	memset(d, 0, sizeof(*d));
	d->word = word;
	d->ok = false;
	d->reason = "not decoded yet (TODO)";
	kit_todo(LESSON, "4. The decoder", "a64_decode()");
	return false;
}
