/* SPDX-License-Identifier: MIT */
/*
 * forms.c - every load and store form lesson 05 emulates, against the
 * memory-like device at L5_MEM_GPA, each written in assembler so that the
 * compiler cannot pick another. Byte k of the device holds 0x80 + k (set
 * first with plain stores, which KVM decodes itself); the guest checks
 * each loaded value, each sign extension, each base register written back,
 * and which bytes each store changed, and says so through the UART.
 */
#include "../../guest-x86/04-mmio/l4guest.h"

#define MEM L5_MEM_GPA
#define BYTE(k) ((uint8_t)(0x80 + (k)))

/* What a little-endian load of `size` bytes at `k` reads, before stores. */
static uint64_t le(unsigned k, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)BYTE(k + i) << (8 * i);
	return v;
}

static uint64_t sext(uint64_t v, unsigned bits)
{
	return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

/* One register loaded, with writeback: value and new base. */
#define LOAD(text, at, v, b)                                                     \
	do {                                                                     \
		b = MEM + (at);                                                  \
		__asm__ volatile(text : "=&r"(v), "+r"(b) : : "memory");         \
	} while (0)
#define PAIR(text, at, v, v2, b)                                                 \
	do {                                                                     \
		b = MEM + (at);                                                  \
		__asm__ volatile(text : "=&r"(v), "=&r"(v2), "+r"(b) : : "memory"); \
	} while (0)
#define STORE(text, at, x, b)                                                    \
	do {                                                                     \
		b = MEM + (at);                                                  \
		__asm__ volatile(text : "+r"(b) : "r"(x) : "memory");            \
	} while (0)
#define STORE2(text, at, x, y, b)                                                \
	do {                                                                     \
		b = MEM + (at);                                                  \
		__asm__ volatile(text : "+r"(b) : "r"(x), "r"(y) : "memory");    \
	} while (0)

static void loads(void)
{
	uint64_t v, v2, b;

	LOAD("ldr %0, [%1], #8", 0x10, v, b);
	check_value("ldr x, post #8", v, le(0x10, 8));
	check_value("  its base", b, MEM + 0x18);
	LOAD("ldr %w0, [%1, #4]!", 0x20, v, b);
	check_value("ldr w, pre #4", v, le(0x24, 4));
	check_value("  its base", b, MEM + 0x24);
	LOAD("ldrb %w0, [%1], #-1", 0x30, v, b);
	check_value("ldrb, post #-1", v, BYTE(0x30));
	check_value("  its base", b, MEM + 0x2f);
	LOAD("ldrh %w0, [%1, #2]!", 0x40, v, b);
	check_value("ldrh, pre #2", v, le(0x42, 2));
	check_value("  its base", b, MEM + 0x42);
	LOAD("ldrsb %0, [%1], #1", 0x10, v, b);
	check_value("ldrsb x, post #1", v, sext(BYTE(0x10), 8));
	LOAD("ldrsb %w0, [%1, #1]!", 0x10, v, b);
	check_value("ldrsb w, pre #1 (a W register: the top 32 bits 0)", v,
		    (uint32_t)sext(BYTE(0x11), 8));
	LOAD("ldrsh %0, [%1], #2", 0x20, v, b);
	check_value("ldrsh x, post #2", v, sext(le(0x20, 2), 16));
	LOAD("ldrsh %w0, [%1, #-2]!", 0x22, v, b);
	check_value("ldrsh w, pre #-2", v, (uint32_t)sext(le(0x20, 2), 16));
	check_value("  its base", b, MEM + 0x20);
	LOAD("ldrsw %0, [%1], #4", 0x04, v, b);
	check_value("ldrsw x, post #4", v, sext(le(0x04, 4), 32));
	check_value("  its base", b, MEM + 0x08);

	PAIR("ldp %0, %1, [%2], #16", 0x50, v, v2, b);
	check_value("ldp x, post #16: the first", v, le(0x50, 8));
	check_value("  the second", v2, le(0x58, 8));
	check_value("  its base", b, MEM + 0x60);
	PAIR("ldp %w0, %w1, [%2, #8]!", 0x60, v, v2, b);
	check_value("ldp w, pre #8: the first", v, le(0x68, 4));
	check_value("  the second", v2, le(0x6c, 4));
	check_value("  its base", b, MEM + 0x68);
	PAIR("ldpsw %0, %1, [%2], #8", 0x08, v, v2, b);
	check_value("ldpsw, post #8: the first", v, sext(le(0x08, 4), 32));
	check_value("  the second", v2, sext(le(0x0c, 4), 32));
	PAIR("ldp %0, %1, [%2, #-16]", 0x90, v, v2, b);
	check_value("ldp x, offset #-16 (no writeback): the first", v, le(0x80, 8));
	check_value("  its base (unchanged)", b, MEM + 0x90);
	PAIR("ldnp %w0, %w1, [%2, #8]", 0x70, v, v2, b);
	check_value("ldnp w, offset #8: the second", v2, le(0x7c, 4));

	/* A load into XZR: nothing to write, but the base moves. */
	b = MEM + 0x10;
	__asm__ volatile("ldr xzr, [%0], #8" : "+r"(b) : : "memory");
	check_value("ldr xzr, post #8: its base", b, MEM + 0x18);
}

static void stores(void)
{
	uint64_t x = 0x1122334455667788ULL, y = 0x99aabbccddeeff00ULL, b, sp;

	STORE("str %1, [%0], #8", 0xa0, x, b);
	check_value("str x, post #8", mmio_read64(MEM + 0xa0), x);
	check_value("  its base", b, MEM + 0xa8);
	STORE("str %w1, [%0, #-4]!", 0xb4, x, b);
	check_value("str w, pre #-4", mmio_read64(MEM + 0xb0),
		    (le(0xb4, 4) << 32) | (uint32_t)x);
	check_value("  its base", b, MEM + 0xb0);
	STORE("strb %w1, [%0], #1", 0xb8, x, b);
	STORE("strh %w1, [%0, #2]!", 0xb8, y, b);
	check_value("strb post #1, then strh pre #2", mmio_read32(MEM + 0xb8),
		    (uint32_t)((y & 0xffff) << 16 | (uint64_t)BYTE(0xb9) << 8 | (x & 0xff)));
	STORE2("stp %1, %2, [%0, #-16]!", 0xd0, x, y, b);
	check_value("stp x, pre #-16: the first", mmio_read64(MEM + 0xc0), x);
	check_value("  the second", mmio_read64(MEM + 0xc8), y);
	check_value("  its base", b, MEM + 0xc0);
	STORE2("stp %w1, %w2, [%0], #8", 0xd0, y, x, b);
	check_value("stp w, post #8", mmio_read64(MEM + 0xd0), (x << 32) | (uint32_t)y);
	check_value("  its base", b, MEM + 0xd8);
	STORE2("stnp %1, %2, [%0, #8]", 0xd8, x, y, b);
	check_value("stnp x, offset #8: the second", mmio_read64(MEM + 0xe8), y);
	STORE("str xzr, [%0], #8", 0xf0, x, b);
	check_value("str xzr, post #8", mmio_read64(MEM + 0xf0), 0);
	check_value("  its base", b, MEM + 0xf8);

	/* SP as the base: at EL1h, SP is SP_EL1. */
	__asm__ volatile("mov x9, sp\n\t"
			 "mov sp, %1\n\t"
			 "str %2, [sp, #-16]!\n\t"
			 "mov %0, sp\n\t"
			 "mov sp, x9"
			 : "=r"(sp) : "r"(MEM + 0x100), "r"(x) : "x9", "memory");
	check_value("str x, [sp, #-16]! (SP_EL1): the value", mmio_read64(MEM + 0xf0), x);
	check_value("  the new SP", sp, MEM + 0xf0);
}

int main(void)
{
	unsigned k;

	for (k = 0; k < 256; k++)
		mmio_write8(MEM + k, BYTE(k));
	loads();
	stores();
	uart_puts(wrong ? "forms: WRONG\n" : "forms: all ok\n");
	return 0;
}
