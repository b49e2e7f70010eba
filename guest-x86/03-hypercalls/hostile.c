/* SPDX-License-Identifier: MIT */
/*
 * hostile.c - a guest that passes bad pointers and lengths on purpose. The
 * host must answer each with an error code and touch nothing; the guest
 * prints what it got, one line per case, and checks a canary at the very
 * end of RAM that no call may reach.
 */
#include "guest.h"
#include "hypercall.h"

#define RAM_END ((uint64_t)LM_RAM_GPA + LM_RAM_SIZE)

static void report(const char *what, int64_t got)
{
	printf("%s: %ld\n", what, got);
}

int main(void)
{
	static char text[] = "ok\n";
	static struct kit_hc_fill fill;
	volatile uint8_t *canary = (volatile uint8_t *)(RAM_END - 16);
	struct kit_hc_fill *last = (struct kit_hc_fill *)(RAM_END - 8);
	unsigned i;

	for (i = 0; i < 16; i++)
		canary[i] = 0xc5;

	/* Writes. */
	report("write outside RAM", hypercall2(KIT_HC_WRITE, RAM_END, 4));
	report("write across the end of RAM", hypercall2(KIT_HC_WRITE, RAM_END - 2, 4));
	report("write with a wrapping length", hypercall2(KIT_HC_WRITE, (uint64_t)text, ~0ULL));
	report("write from the top of the address space",
	       hypercall2(KIT_HC_WRITE, ~0ULL - 1, 4));
	report("write too long", hypercall2(KIT_HC_WRITE, (uint64_t)text, KIT_HC_MAX_WRITE + 1));
	report("write of 0 bytes", hypercall2(KIT_HC_WRITE, (uint64_t)text, 0));
	report("write of 0 bytes from nowhere", hypercall2(KIT_HC_WRITE, RAM_END + 0x1000, 0));
	report("write ok", hypercall2(KIT_HC_WRITE, (uint64_t)text, 3));

	/* Fills: a bad struct pointer, then bad buffers in a good struct. */
	report("fill with args outside RAM", hypercall1(KIT_HC_FILL, RAM_END + 64));
	report("fill with args across the end of RAM", hypercall1(KIT_HC_FILL, (uint64_t)last));
	fill.buf = (uint8_t *)(RAM_END - 8);
	fill.len = 16;
	report("fill across the end of RAM", hc_fill(&fill));
	fill.buf = (uint8_t *)(uintptr_t)(~0ULL - 7);
	fill.len = 16;
	report("fill wrapping around", hc_fill(&fill));
	fill.buf = (uint8_t *)(uintptr_t)(LM_RAM_GPA + 0x1000);
	fill.len = KIT_HC_MAX_FILL + 1;
	report("fill too long", hc_fill(&fill));
	fill.buf = (uint8_t *)(uintptr_t)(RAM_END - 15);
	fill.len = 16;
	report("fill 1 byte past the end of RAM", hc_fill(&fill));
	report("fill with args 1 byte past the end of RAM",
	       hypercall1(KIT_HC_FILL, RAM_END - sizeof(struct kit_hc_fill) + 1));
	fill.buf = (uint8_t *)(uintptr_t)(LM_RAM_GPA + 0x200000); /* free RAM */
	fill.len = KIT_HC_MAX_FILL;
	report("fill of exactly the maximum", hc_fill(&fill));
	fill.buf = (uint8_t *)(uintptr_t)(RAM_END + 0x1000);
	fill.len = 0;
	report("fill of 0 bytes from nowhere", hc_fill(&fill));

	for (i = 0; i < 16; i++)
		if (canary[i] != 0xc5)
			break;
	printf("canary: %s\n", i == 16 ? "intact" : "OVERWRITTEN");
	return 0;
}
