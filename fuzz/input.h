/* SPDX-License-Identifier: MIT */
/*
 * input.h - how the fuzz targets read their input: as a stream of
 * little-endian numbers of 1 to 8 bytes. Past the end, every number reads
 * as 0 (or its first bytes only), so any input, even an empty one, is a
 * whole test: libFuzzer can shorten an input without making it invalid.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct input {
	const uint8_t *p;
	size_t left;
};

/* The next `bytes` bytes (at most 8) as a little-endian number. */
static inline uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes && i < 8 && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << 8 * i;
	return v;
}

#endif
