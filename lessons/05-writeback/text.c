/* SPDX-License-Identifier: MIT */
/*
 * text.c - lesson 05 (given): a decoded instruction written out as a
 * disassembler writes it, for traces, messages and a64dec.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "a64.h"

static const char *reg(unsigned n, unsigned bits, char *buf)
{
	if (n == 31)
		return bits == 64 ? "xzr" : "wzr";
	snprintf(buf, 8, "%c%u", bits == 64 ? 'x' : 'w', n);
	return buf;
}

static const char *mnemonic(const struct a64_insn *d)
{
	static const char *const store[] = { "strb", "strh", "str", "str" },
			       *const stur[] = { "sturb", "sturh", "stur", "stur" },
			       *const load[] = { "ldrb", "ldrh", "ldr", "ldr" },
			       *const ldur[] = { "ldurb", "ldurh", "ldur", "ldur" },
			       *const loads[] = { "ldrsb", "ldrsh", "ldrsw", "?" },
			       *const ldurs[] = { "ldursb", "ldursh", "ldursw", "?" };
	unsigned i = d->size == 1 ? 0 : d->size == 2 ? 1 : d->size == 4 ? 2 : 3;

	if (d->pair) {
		if (d->nontemporal)
			return d->load ? "ldnp" : "stnp";
		return d->load ? (d->sign ? "ldpsw" : "ldp") : "stp";
	}
	if (!d->load)
		return (d->unscaled ? stur : store)[i];
	if (d->sign)
		return (d->unscaled ? ldurs : loads)[i];
	return (d->unscaled ? ldur : load)[i];
}

void a64_text(const struct a64_insn *d, char *buf, size_t len)
{
	static const char *const ext[] = { "lsl", "uxtw", "sxtw", "sxtx" };
	char r1[8], r2[8], rn[8], rm[8], addr[64];
	unsigned bits = d->pair || d->load ? d->dest_bits : d->size == 8 ? 64 : 32;

	if (!d->ok) {
		snprintf(buf, len, "(not emulated: %s)", d->reason);
		return;
	}
	if (d->rn == 31)
		snprintf(rn, sizeof(rn), "sp");
	else
		snprintf(rn, sizeof(rn), "x%u", d->rn);
	switch (d->mode) {
	case A64_OFFSET:
		if (d->offset)
			snprintf(addr, sizeof(addr), "[%s, #%" PRId64 "]", rn, d->offset);
		else
			snprintf(addr, sizeof(addr), "[%s]", rn);
		break;
	case A64_PRE:
		snprintf(addr, sizeof(addr), "[%s, #%" PRId64 "]!", rn, d->offset);
		break;
	case A64_POST:
		snprintf(addr, sizeof(addr), "[%s], #%" PRId64, rn, d->offset);
		break;
	case A64_REGISTER: {
		const char *m = reg(d->rm, d->extend == A64_UXTW || d->extend == A64_SXTW ? 32 : 64,
				    rm);

		if (d->extend == A64_LSL && d->shift == 0)
			snprintf(addr, sizeof(addr), "[%s, %s]", rn, m);
		else if (d->shift)
			snprintf(addr, sizeof(addr), "[%s, %s, %s #%u]", rn, m, ext[d->extend],
				 d->shift);
		else
			snprintf(addr, sizeof(addr), "[%s, %s, %s]", rn, m, ext[d->extend]);
		break;
	}
	}
	if (d->pair)
		snprintf(buf, len, "%s %s, %s, %s", mnemonic(d), reg(d->rt, bits, r1),
			 reg(d->rt2, bits, r2), addr);
	else
		snprintf(buf, len, "%s %s, %s", mnemonic(d), reg(d->rt, bits, r1), addr);
}
