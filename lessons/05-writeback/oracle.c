/* SPDX-License-Identifier: MIT */
/*
 * oracle.c - lesson 05 (given): what Capstone, a disassembler written
 * independently of this kit, reads in an instruction word, in the
 * decoder's terms. The checks compare your decoder with it, word by word
 * (and make decoder-diff the reference decoder). It accepts exactly the
 * loads and stores the lesson emulates: LDR, STR, LDUR, STUR and their
 * byte, halfword and signed forms, LDP, STP, LDPSW, LDNP, STNP, of W and X
 * registers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "oracle.h"

static csh cs;

int a64_oracle_open(void)
{
	if (cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &cs) != CS_ERR_OK)
		return -1;
	cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	return 0;
}

void a64_oracle_close(void)
{
	cs_close(&cs);
}

static const char *const names[] = {
	"str", "strb", "strh", "ldr", "ldrb", "ldrh", "ldrsb", "ldrsh", "ldrsw",
	"stur", "sturb", "sturh", "ldur", "ldurb", "ldurh", "ldursb", "ldursh", "ldursw",
	"stp", "ldp", "ldpsw", "stnp", "ldnp",
};

/* A general-purpose register: its number (31 for sp, wsp, xzr, wzr) and
 * width, or false. */
static bool gpr(unsigned reg, unsigned *n, unsigned *bits)
{
	const char *name = cs_reg_name(cs, reg);

	if (!name)
		return false;
	if (!strcmp(name, "sp") || !strcmp(name, "xzr"))
		return *n = 31, *bits = 64, true;
	if (!strcmp(name, "wsp") || !strcmp(name, "wzr"))
		return *n = 31, *bits = 32, true;
	if (!strcmp(name, "fp"))
		return *n = 29, *bits = 64, true;
	if (!strcmp(name, "lr"))
		return *n = 30, *bits = 64, true;
	if ((name[0] == 'x' || name[0] == 'w') && name[1] >= '0' && name[1] <= '9') {
		*n = (unsigned)atoi(name + 1);
		*bits = name[0] == 'x' ? 64 : 32;
		return *n <= 30;
	}
	return false;
}

void a64_oracle_ask(uint32_t word, struct a64_oracle *o)
{
	uint8_t bytes[4] = { word, word >> 8, word >> 16, word >> 24 };
	struct a64_insn *d = &o->d;
	const cs_arm64 *a;
	const char *m;
	cs_insn *insn;
	unsigned i, nreg = 0, bits = 0, rbits, regs[2] = { 0, 0 }, known = 0;
	bool mem = false, imm_after = false;
	int64_t post = 0;

	memset(o, 0, sizeof(*o));
	if (cs_disasm(cs, bytes, 4, 0x1000, 1, &insn) != 1) {
		snprintf(o->text, sizeof(o->text), "(not decoded)");
		return;
	}
	snprintf(o->text, sizeof(o->text), "%s %s", insn->mnemonic, insn->op_str);
	m = insn->mnemonic;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		known |= strcmp(m, names[i]) == 0;
	a = &insn->detail->arm64;
	if (!known)
		goto out;
	d->word = word;
	d->load = m[0] == 'l';
	d->pair = strstr(m, "p") != NULL;
	d->nontemporal = strstr(m, "np") != NULL;
	d->unscaled = strstr(m, "ur") != NULL;
	for (i = 0; i < a->op_count; i++) {
		const cs_arm64_op *op = &a->operands[i];

		if (op->type == ARM64_OP_REG && !mem) {
			if (nreg == 2 || !gpr(op->reg, &regs[nreg], &rbits))
				goto out;            /* a SIMD register: not ours */
			bits = rbits;
			nreg++;
		} else if (op->type == ARM64_OP_MEM) {
			unsigned b;

			if (!gpr(op->mem.base, &d->rn, &b) || b != 64)
				goto out;
			d->offset = op->mem.disp;
			if (op->mem.index != ARM64_REG_INVALID) {
				if (!gpr(op->mem.index, &d->rm, &b))
					goto out;
				d->mode = A64_REGISTER;
				switch (op->ext) {
				case ARM64_EXT_UXTW: d->extend = A64_UXTW; break;
				case ARM64_EXT_SXTW: d->extend = A64_SXTW; break;
				case ARM64_EXT_SXTX: d->extend = A64_SXTX; break;
				default: d->extend = A64_LSL; break;
				}
				d->shift = op->shift.type == ARM64_SFT_LSL ? op->shift.value : 0;
			}
			mem = true;
		} else if (op->type == ARM64_OP_IMM && mem) {
			imm_after = true;
			post = op->imm;
		} else {
			goto out;
		}
	}
	if (!mem || nreg != (d->pair ? 2u : 1u))
		goto out;
	d->rt = regs[0];
	d->rt2 = regs[1];
	d->dest_bits = bits;
	if (d->mode != A64_REGISTER) {
		if (imm_after)
			d->mode = A64_POST, d->offset = post;
		else
			d->mode = a->writeback ? A64_PRE : A64_OFFSET;
	}
	/* The size of one element, and the sign, from the mnemonic. */
	{
		size_t n = strlen(m);

		d->sign = strstr(m, "ldrs") || strstr(m, "ldurs") || !strcmp(m, "ldpsw");
		if (m[n - 1] == 'b')
			d->size = 1;
		else if (m[n - 1] == 'h')
			d->size = 2;
		else if (!strcmp(m, "ldrsw") || !strcmp(m, "ldursw") || !strcmp(m, "ldpsw"))
			d->size = 4;
		else
			d->size = bits == 64 ? 8 : 4;
	}
	if (!d->load)
		d->dest_bits = d->size == 8 ? 64 : 32;
	o->ok = true;
out:
	cs_free(insn, 1);
}

bool a64_same(const struct a64_insn *a, const struct a64_insn *b, const char **what)
{
#define FIELD(f) if (a->f != b->f) return *what = #f, false
	FIELD(load); FIELD(size); FIELD(sign); FIELD(dest_bits); FIELD(pair);
	FIELD(nontemporal); FIELD(unscaled); FIELD(rt); FIELD(rn); FIELD(mode); FIELD(offset);
	if (a->pair)
		FIELD(rt2);
	if (a->mode == A64_REGISTER) {
		FIELD(rm); FIELD(extend); FIELD(shift);
	}
#undef FIELD
	return true;
}


unsigned long a64_edge_words(void (*each)(uint32_t word, void *ctx), void *ctx)
{
	static const unsigned regs[] = { 0, 1, 30, 31 };
	static const unsigned imm12[] = { 0, 1, 2, 0x7ff, 0x800, 0xfff };
	static const unsigned imm9[] = { 0, 1, 0xff, 0x100, 0x1ff };
	static const unsigned imm7[] = { 0, 1, 0x3f, 0x40, 0x7f };
	unsigned size, v, opc, i, t, n, m, k, opt, s;
	unsigned long count = 0;

#define EMIT(word) (each((word), ctx), count++)
	for (size = 0; size < 4; size++)
	for (v = 0; v < 2; v++)
	for (opc = 0; opc < 4; opc++)
	for (t = 0; t < 4; t++)
	for (n = 0; n < 4; n++) {
		uint32_t base = size << 30 | 7u << 27 | v << 26 | opc << 22 | regs[n] << 5 | regs[t];

		for (i = 0; i < 6; i++)                          /* unsigned offset */
			EMIT(base | 1u << 24 | imm12[i] << 10);
		for (i = 0; i < 5; i++)                          /* imm9: 4 kinds */
			for (k = 0; k < 4; k++)
				EMIT(base | imm9[i] << 12 | k << 10);
		for (m = 0; m < 4; m++)                          /* register offset */
			for (opt = 0; opt < 8; opt++)
				for (s = 0; s < 2; s++)
					for (k = 0; k < 4; k++)
						EMIT(base | 1u << 21 | regs[m] << 16 | opt << 13 |
						     s << 12 | k << 10);
	}
	for (opc = 0; opc < 4; opc++)                            /* pairs */
	for (v = 0; v < 2; v++)
	for (k = 0; k < 4; k++)
	for (s = 0; s < 2; s++)
	for (i = 0; i < 5; i++)
	for (t = 0; t < 4; t++)
	for (m = 0; m < 4; m++)
	for (n = 0; n < 4; n++)
		EMIT(opc << 30 | 5u << 27 | v << 26 | k << 23 | s << 22 | imm7[i] << 15 |
		     regs[m] << 10 | regs[n] << 5 | regs[t]);
#undef EMIT
	return count;
}
