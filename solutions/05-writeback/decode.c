/* SPDX-License-Identifier: MIT */
/*
 * decode.c - lesson 05, section 4: the A64 loads and stores of the
 * general-purpose registers, from their instruction words (Arm ARM,
 * C4.1.66 "Loads and Stores", and the encodings of each class in C6).
 *
 * Two classes, told apart by bits 29:27 (bit 25 is 0 in both):
 *   111  one register: immediate post-index, pre-index, unscaled and
 *        unsigned offset; register offset
 *   101  a pair: post-index, pre-index, signed offset, non-temporal
 * Everything else, and what these classes hold that is not a plain access
 * of X or W registers, is refused with the reason.
 */
#include <string.h>

#include "a64.h"

static uint32_t bits(uint32_t word, unsigned hi, unsigned lo)
{
	return (word >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* A `width`-bit two's complement field as a signed number. */
static int64_t sext(uint32_t value, unsigned width)
{
	return (int64_t)((uint64_t)value << (64 - width)) >> (64 - width);
}

static bool refuse(struct a64_insn *d, const char *reason)
{
	d->ok = false;
	d->reason = reason;
	return false;
}

/* Bits 29:27 = 111: LDR/STR and their byte, halfword and signed forms. */
static bool single(uint32_t w, struct a64_insn *d)
{
	unsigned size = bits(w, 31, 30), opc = bits(w, 23, 22);

	if (bits(w, 26, 26))
		return refuse(d, "a SIMD or floating-point register (V = 1)");
	d->size = 1u << size;
	/* opc: 00 store, 01 load, 10 load signed into X, 11 into W. */
	switch (opc) {
	case 0: d->load = false; d->dest_bits = size == 3 ? 64 : 32; break;
	case 1: d->load = true; d->dest_bits = size == 3 ? 64 : 32; break;
	case 2:
		if (size == 3)
			return refuse(d, "PRFM, a prefetch (or unallocated): no access to emulate");
		d->load = true, d->sign = true, d->dest_bits = 64;
		break;
	default:
		if (size >= 2)
			return refuse(d, "unallocated (a signed load of a word or more into W)");
		d->load = true, d->sign = true, d->dest_bits = 32;
		break;
	}
	d->rn = bits(w, 9, 5);
	d->rt = bits(w, 4, 0);

	if (bits(w, 25, 24) == 1) {            /* unsigned offset, scaled */
		d->mode = A64_OFFSET;
		d->offset = (int64_t)bits(w, 21, 10) << size;
		return true;
	}
	if (bits(w, 25, 24) != 0)
		return refuse(d, "not a load or store of a register");
	if (bits(w, 21, 21) == 0) {            /* imm9 forms */
		d->offset = sext(bits(w, 20, 12), 9);
		switch (bits(w, 11, 10)) {
		case 0: d->mode = A64_OFFSET, d->unscaled = true; break; /* LDUR/STUR */
		case 1: d->mode = A64_POST; break;
		case 3: d->mode = A64_PRE; break;
		default:
			return refuse(d, "LDTR/STTR, an unprivileged access");
		}
		if (d->mode != A64_OFFSET && d->rn == d->rt && d->rn != 31)
			return refuse(d, "writeback with Rn == Rt (CONSTRAINED UNPREDICTABLE)");
		return true;
	}
	if (bits(w, 11, 10) != 2)
		return refuse(d, "an atomic memory operation or a pointer-authenticated load");
	switch (bits(w, 15, 13)) {             /* register offset */
	case 2: d->extend = A64_UXTW; break;
	case 3: d->extend = A64_LSL; break;
	case 6: d->extend = A64_SXTW; break;
	case 7: d->extend = A64_SXTX; break;
	default:
		return refuse(d, "unallocated (a register offset extended from 8 or 16 bits)");
	}
	d->mode = A64_REGISTER;
	d->rm = bits(w, 20, 16);
	d->shift = bits(w, 12, 12) ? size : 0;
	return true;
}

/* Bits 29:27 = 101: LDP/STP, LDPSW, LDNP/STNP. */
static bool pair(uint32_t w, struct a64_insn *d)
{
	unsigned opc = bits(w, 31, 30), form = bits(w, 24, 23);

	if (bits(w, 26, 26))
		return refuse(d, "a SIMD or floating-point register pair (V = 1)");
	d->pair = true;
	d->load = bits(w, 22, 22);
	if (form == 0 && opc == 1)
		return refuse(d, "unallocated (a non-temporal pair with opc 01)");
	switch (opc) {
	case 0: d->size = 4; d->dest_bits = 32; break;
	case 2: d->size = 8; d->dest_bits = 64; break;
	case 1:
		if (!d->load)
			return refuse(d, "STGP, a store of memory tags");
		d->size = 4, d->sign = true, d->dest_bits = 64;  /* LDPSW */
		break;
	default:
		return refuse(d, "unallocated (a pair with opc 11)");
	}
	d->mode = form == 1 ? A64_POST : form == 3 ? A64_PRE : A64_OFFSET;
	d->nontemporal = form == 0;
	d->offset = sext(bits(w, 21, 15), 7) * (int64_t)d->size;
	d->rt2 = bits(w, 14, 10);
	d->rn = bits(w, 9, 5);
	d->rt = bits(w, 4, 0);
	if (d->load && d->rt == d->rt2)
		return refuse(d, "a pair load with Rt == Rt2 (CONSTRAINED UNPREDICTABLE)");
	if ((d->mode == A64_PRE || d->mode == A64_POST) && d->rn != 31 &&
	    (d->rn == d->rt || d->rn == d->rt2))
		return refuse(d, "writeback with Rn == Rt or Rt2 (CONSTRAINED UNPREDICTABLE)");
	return true;
}

bool a64_decode(uint32_t word, struct a64_insn *d)
{
	memset(d, 0, sizeof(*d));
	d->word = word;
	d->ok = true;
	/* Loads and stores: bit 27 set, bit 25 clear. */
	if (bits(word, 27, 27) != 1 || bits(word, 25, 25) != 0)
		return refuse(d, "not a load or store");
	switch (bits(word, 29, 27)) {
	case 7: return single(word, d);
	case 5: return pair(word, d);
	case 1:
		if (bits(word, 26, 26))
			return refuse(d, "a SIMD structure load or store (LD1, ST1, ...)");
		return refuse(d, "an exclusive or ordered access (LDXR, STXR, LDAR, STLR, ...)");
	case 3: return refuse(d, "a PC-relative load (LDR literal) or an RCpc/tag access");
	default: return refuse(d, "a SIMD structure load or store, or a memory-tag access");
	}
}
