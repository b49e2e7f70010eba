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

/* hypercall output goes through KIT_HC_WRITE, not the serial port. */
static void say(const char *s)
{
	hc_write(s, strlen(s));
}

static char line[128];

/* A few digits of hex into line[] (no printf: its output is serial). */
static const char *hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	line[0] = '0';
	line[1] = 'x';
	for (i = 0; i < 16; i++)
		line[2 + i] = digits[(v >> (60 - 4 * i)) & 0xf];
	line[18] = '\0';
	return line;
}

int main(void)
{
	static uint8_t buffer[64];
	struct kit_hc_fill fill = { buffer, sizeof(buffer), 7 };
	uint64_t expected = kit_hc_mix5(A1, A2, A3, A4, A5);
	int64_t got;
	unsigned i, good;

	say("hello via hypercall\n");

	got = hypercall5(KIT_HC_MIX5, A1, A2, A3, A4, A5);
	say("mix5: ");
	say((uint64_t)got == expected ? "ok " : "WRONG ");
	say(hex((uint64_t)got));
	say("\n");

	got = hc_fill(&fill);
	for (i = 0, good = 0; i < sizeof(buffer); i++)
		good += buffer[i] == (uint8_t)(7 + i);
	say(got == (int64_t)sizeof(buffer) && good == sizeof(buffer) ? "fill: ok\n" : "fill: WRONG\n");

	got = hypercall0(999);
	say(got == KIT_HC_ENOSYS ? "unknown: ENOSYS\n" : "unknown: WRONG\n");

	return 42; /* crt0 passes it to guest_exit(): KIT_HC_EXIT */
}
