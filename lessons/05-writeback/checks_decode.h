/* SPDX-License-Identifier: MIT */
/*
 * checks_decode.h - how lesson 05's checks say what a word must decode to
 * (given; read, do not change): a table of struct want, and
 * expect_decoded() (checks.c), which decodes each word and compares every
 * field.
 */
#ifndef WRITEBACK_CHECKS_DECODE_H
#define WRITEBACK_CHECKS_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "a64.h"

/* One word and what it must decode to (from the Arm ARM's encodings; the
 * text is what a disassembler writes). */
struct want {
	uint32_t word;
	const char *text;
	bool load, sign, pair;
	unsigned size, dest_bits, rt, rt2, rn;
	enum a64_mode mode;
	int64_t offset;
	unsigned rm;
	enum a64_extend extend;
	unsigned shift;
	/* For an immediate offset of one register: whether the form is
	 * LDUR/STUR's (unscaled), compared only when check_unscaled is set. */
	bool check_unscaled, unscaled;
};

/* Each of the n words decodes, to exactly its fields. */
void expect_decoded(const struct want *w, size_t n);

#endif
