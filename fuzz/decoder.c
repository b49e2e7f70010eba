/* SPDX-License-Identifier: MIT */
/*
 * decoder.c - a libFuzzer target for lesson 05's decoder (make fuzz
 * FUZZ_TARGETS=decoder FUZZ_SECONDS=N; make check replays its corpus,
 * fuzz/corpus/decoder). Each input
 * is a run of instruction words; for every one, whatever its bits, the
 * decoder must give the same answer twice and either refuse it with a
 * reason or describe an access that can exist: a size of 1, 2, 4 or 8, a
 * width of 32 or 64, registers 0-31, an offset inside the range its mode
 * encodes, a shift of at most 3, and a text that fits. Built with ASan and
 * UBSan: a read out of bounds, an overflow or a bad shift is a crash too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "05-writeback/a64.h"

static void require(int ok)
{
	if (!ok)
		abort();
}

static void one(uint32_t word)
{
	struct a64_insn a, b;
	char text[96];
	bool ok = a64_decode(word, &a);
	int64_t lo, hi;

	require(ok == a.ok && a.word == word);
	require(a64_decode(word, &b) == ok && memcmp(&a, &b, sizeof(a)) == 0);
	a64_text(&a, text, sizeof(text));
	require(memchr(text, 0, sizeof(text)) != NULL);
	if (!ok) {
		require(a.reason != NULL && a.reason[0] != 0);
		return;
	}
	require(a.size == 1 || a.size == 2 || a.size == 4 || a.size == 8);
	require(a.dest_bits == 32 || a.dest_bits == 64);
	require(a.rt < 32 && a.rt2 < 32 && a.rn < 32 && a.rm < 32);
	require(!a.sign || a.load);
	require(!a.pair || a.mode != A64_REGISTER);
	require(!(a.pair && a.load && a.rt == a.rt2));
	require(!((a.mode == A64_PRE || a.mode == A64_POST) && a.rn != 31 &&
		  (a.rn == a.rt || (a.pair && a.rn == a.rt2))));
	switch (a.mode) {
	case A64_REGISTER:
		require(a.offset == 0 && a.shift <= 3 && a.extend <= A64_SXTX);
		return;
	case A64_PRE:
	case A64_POST:
		lo = a.pair ? -64 * (int64_t)a.size : -256;
		hi = a.pair ? 63 * (int64_t)a.size : 255;
		break;
	default:
		lo = a.pair ? -64 * (int64_t)a.size : a.unscaled ? -256 : 0;
		hi = a.pair ? 63 * (int64_t)a.size : a.unscaled ? 255 : 4095 * (int64_t)a.size;
		break;
	}
	require(a.offset >= lo && a.offset <= hi);
	require(a.pair || a.unscaled || a.mode != A64_OFFSET || a.offset % a.size == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i + 4 <= size; i += 4)
		one((uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16 |
		    (uint32_t)data[i + 3] << 24);
	return 0;
}
