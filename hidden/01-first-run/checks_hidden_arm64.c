/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden_arm64.c - lesson 01's hidden checks, arm64 part: an
 * AArch64 guest that runs wherever it is put.
 */
#include <string.h>

#include "hidden.h"
#include "layout.h"

/* 32 KiB into the 64 KiB of RAM, far from GUEST_LOAD_GPA (its start). */
const uint64_t hidden_other_load_gpa = GUEST_RAM_GPA + 0x8000;

/* 0x00000000 is UDF #0: an exception to a vector table that is not in
 * RAM, so a vCPU entered at the wrong address stops with no output. */
const uint8_t hidden_stop_byte = 0x00;

static size_t put(uint8_t *code, size_t n, uint32_t insn)
{
	memcpy(code + n, &insn, sizeof(insn)); /* little-endian, as the guest */
	return n + sizeof(insn);
}

size_t hidden_printing_guest(const char *text, uint8_t *code, size_t max)
{
	size_t n = 0;

	_Static_assert(GUEST_UART_GPA == 0x09000000, "the movz below assumes the UART's address");
	_Static_assert(GUEST_PSCI_SYSTEM_OFF == 0x84000008, "the movz/movk below assume it");
	/* 1 instruction, 2 a character, then 4. */
	if (max < 4 * (5 + 2 * strlen(text)))
		return 0;
	n = put(code, n, 0xd2a12001);                   /* movz x1, #0x0900, lsl #16 */
	for (; *text; text++) {
		/* movz w0, #<the character>; strb w0, [x1] */
		n = put(code, n, 0x52800000 | (uint32_t)(uint8_t)*text << 5);
		n = put(code, n, 0x39000020);
	}
	n = put(code, n, 0xd2800100);                   /* movz x0, #0x0008 */
	n = put(code, n, 0xf2b08000);                   /* movk x0, #0x8400, lsl #16 */
	n = put(code, n, 0xd4000002);                   /* hvc #0: PSCI SYSTEM_OFF */
	n = put(code, n, 0x14000000);                   /* b . (it does not return) */
	return n;
}
