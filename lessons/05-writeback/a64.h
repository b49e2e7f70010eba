/* SPDX-License-Identifier: MIT */
/*
 * a64.h - lesson 05: A64 loads and stores of the general-purpose
 * registers, decoded from their 32-bit instruction words. The decoder is
 * a pure function (decode.c, yours): no KVM, no guest, so it is tested on
 * any host, word by word, and against a disassembler (make decoder-diff).
 */
#ifndef WRITEBACK_A64_H
#define WRITEBACK_A64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum a64_mode {
	A64_OFFSET,    /* [Rn, #imm]: the address, and Rn unchanged */
	A64_PRE,       /* [Rn, #imm]!: Rn + imm is the address and the new Rn */
	A64_POST,      /* [Rn], #imm: Rn is the address; then Rn + imm */
	A64_REGISTER,  /* [Rn, Rm{, extend {#shift}}]: Rn + extended Rm */
};

enum a64_extend { A64_LSL, A64_UXTW, A64_SXTW, A64_SXTX };

/* One instruction, as the decoder read it. */
struct a64_insn {
	uint32_t word;
	bool ok;             /* false: refused, and `reason` says why */
	const char *reason;
	bool load;           /* a load (or a store) */
	unsigned size;       /* bytes of one element: 1, 2, 4 or 8 */
	bool sign;           /* a load that sign-extends */
	unsigned dest_bits;  /* 32 (W registers) or 64 (X): Rt's width */
	bool pair;           /* two elements: Rt at the address, Rt2 after it */
	unsigned rt, rt2;    /* 31: WZR/XZR */
	unsigned rn;         /* 31: SP */
	unsigned rm;         /* A64_REGISTER: 31 is WZR/XZR */
	enum a64_mode mode;
	bool unscaled;       /* A64_OFFSET from a 9-bit offset (LDUR, STUR) */
	bool nontemporal;    /* a pair with a hint not to cache (LDNP, STNP) */
	int64_t offset;      /* bytes, already scaled (0 for A64_REGISTER) */
	enum a64_extend extend; /* A64_REGISTER */
	unsigned shift;      /* A64_REGISTER: Rm is shifted left by this */
};

/* Section 4 (decode.c): `word` decoded into `*d`. True for a load or store
 * this lesson emulates; false, with d->reason, for anything else. */
bool a64_decode(uint32_t word, struct a64_insn *d);

/* Given (text.c): the instruction as a disassembler writes it, e.g.
 * "str xzr, [x2], #8". */
void a64_text(const struct a64_insn *d, char *buf, size_t len);

#endif
