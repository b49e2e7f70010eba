/* SPDX-License-Identifier: MIT */
/*
 * hypercalls.c - lesson 03's guest: every call of the ABI, each checked
 * by the guest itself, which says what it got.
 */
#include "guest.h"
#include "hypercall.h"

/* Values that catch truncation to 32 bits, sign mistakes and swaps. */
#define A1 0x0000000000000001ULL
#define A2 0x0000000100000005ULL   /* above 2^32 */
#define A3 0xffffffffffffffffULL   /* -1 */
#define A4 0x8000000000000000ULL   /* the sign bit alone */
#define A5 0x123456789abcdef0ULL

/* Output goes through KIT_HC_WRITE, not the serial port: one call per
 * line, built here first (printf would go to the serial port). */
static char line[128];
static size_t used;

static void add(const char *s)
{
	while (*s && used < sizeof(line))
		line[used++] = *s++;
}

static void add_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	add("0x");
	for (i = 0; i < 16 && used < sizeof(line); i++)
		line[used++] = digits[(v >> (60 - 4 * i)) & 0xf];
}

static void say_line(void)
{
	add("\n");
	hc_write(line, used);
	used = 0;
}

static void say(const char *s)
{
	add(s);
	hc_write(line, used);
	used = 0;
}

int main(void)
{
	/* 64 bytes to fill, and one more after them that no fill may touch. */
	static uint8_t buffer[64 + 1];
	struct kit_hc_fill fill = { buffer, 64, 7 };
	uint64_t expected = kit_hc_mix5(A1, A2, A3, A4, A5);
	int64_t got;
	unsigned i, good;

	say("hello via hypercall\n");
	add("transport: ");
	add(hc_transport());
	say_line();

	got = hypercall5(KIT_HC_MIX5, A1, A2, A3, A4, A5);
	add("mix5: ");
	add((uint64_t)got == expected ? "ok " : "WRONG ");
	add_hex((uint64_t)got);
	say_line();

	buffer[64] = 0xc5;
	got = hc_fill(&fill);
	for (i = 0, good = 0; i < 64; i++)
		good += buffer[i] == (uint8_t)(7 + i);
	say(got == 64 && good == 64 && buffer[64] == 0xc5 ? "fill: ok\n" : "fill: WRONG\n");

	got = hypercall0(999);
	say(got == KIT_HC_ENOSYS ? "unknown: ENOSYS\n" : "unknown: WRONG\n");

	/* A number is 64 bits: 2^32 + KIT_HC_EXIT is not KIT_HC_EXIT. */
	got = hypercall1((1ULL << 32) | KIT_HC_EXIT, 7);
	say(got == KIT_HC_ENOSYS ? "2^32+EXIT: ENOSYS\n" : "2^32+EXIT: WRONG\n");

	return 42; /* crt0 passes it to guest_exit(): KIT_HC_EXIT */
}
