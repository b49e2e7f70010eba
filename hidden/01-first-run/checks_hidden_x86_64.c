/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden_x86_64.c - lesson 01's hidden checks, x86 part: a
 * real-mode guest that runs wherever it is put.
 */
#include <string.h>

#include "hidden.h"
#include "layout.h"

/* Far from GUEST_LOAD_GPA (0x1000), inside the 64 KiB of RAM at 0. */
const uint64_t hidden_other_load_gpa = 0x7000;

/* hlt: a vCPU that starts anywhere but the entry halts with no output. */
const uint8_t hidden_stop_byte = 0xf4;

size_t hidden_printing_guest(const char *text, uint8_t *code, size_t max)
{
	size_t n = 0;

	/* 3 bytes of mov dx, then 3 a character, then hlt. */
	if (max < 4 + 3 * strlen(text))
		return 0;
	code[n++] = 0xba;                       /* mov dx, GUEST_SERIAL_PORT */
	code[n++] = GUEST_SERIAL_PORT & 0xff;
	code[n++] = GUEST_SERIAL_PORT >> 8;
	for (; *text; text++) {
		code[n++] = 0xb0;               /* mov al, <the character> */
		code[n++] = (uint8_t)*text;
		code[n++] = 0xee;               /* out dx, al */
	}
	code[n++] = 0xf4;                       /* hlt */
	return n;
}
