/* SPDX-License-Identifier: MIT */
/*
 * hostile_arm64.h - what the arm64 hostile guests share: exception
 * vectors that survive the exception (the runtime's report it and stop,
 * vectors.S), and loads and stores that leave a mark when they fault.
 *
 * Each exception is counted in the results area with its ESR_EL1 and
 * FAR_EL1; then, as RES_MODE says, the guest goes on after the faulting
 * instruction (0) or returns to it to fault again (1). With the MMU off,
 * all data is Device memory: a misaligned access faults here, in the
 * guest, before KVM or the host ever sees it.
 */
#ifndef HOSTILE_ARM64_H
#define HOSTILE_ARM64_H

#include <stdint.h>

#include "hostile_abi.h"

#define HOSTILE_STR_(x) #x
#define HOSTILE_STR(x) HOSTILE_STR_(x)

_Static_assert((HOSTILE_RES_GPA & 0xffff) == 0, "one movz builds the results address");

__asm__(
	"	.section .text\n"
	"	.balign 0x800\n"
	"hostile_vectors:\n"
	"	.rept 16\n"
	"	.balign 0x80\n"
	"	b	hostile_exception\n"
	"	.endr\n"
	"hostile_exception:\n"
	"	stp	x9, x10, [sp, #-16]!\n"
	"	movz	x9, #(" HOSTILE_STR(HOSTILE_RES_GPA) " >> 16), lsl #16\n"
	"	ldr	x10, [x9, #8 * " HOSTILE_STR(RES_EXC) "]\n"
	"	add	x10, x10, #1\n"
	"	str	x10, [x9, #8 * " HOSTILE_STR(RES_EXC) "]\n"
	"	mrs	x10, esr_el1\n"
	"	str	x10, [x9, #8 * " HOSTILE_STR(RES_ESR) "]\n"
	"	mrs	x10, far_el1\n"
	"	str	x10, [x9, #8 * " HOSTILE_STR(RES_FAR) "]\n"
	"	ldr	x10, [x9, #8 * " HOSTILE_STR(RES_MODE) "]\n"
	"	cbnz	x10, 1f\n"
	"	mrs	x10, elr_el1\n"
	"	add	x10, x10, #4\n"
	"	msr	elr_el1, x10\n"
	"1:	ldp	x9, x10, [sp], #16\n"
	"	eret\n"
	"	.previous\n");

static inline volatile uint64_t *hostile_res(void)
{
	return (volatile uint64_t *)HOSTILE_RES_GPA;
}

static inline void hostile_setup(unsigned mode)
{
	extern char hostile_vectors[];

	hostile_res()[RES_MODE] = mode;
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(hostile_vectors) : "memory");
}

/* One access of `size` bytes, a plain ldr/str (a syndrome for KVM). A
 * load that faults (and is skipped) leaves HOSTILE_MARK. */
static inline uint64_t hostile_read(uint64_t a, unsigned size)
{
	uint64_t v = HOSTILE_MARK;

	switch (size) {
	case 1: __asm__ volatile("ldrb %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case 2: __asm__ volatile("ldrh %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case 4: __asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	default: __asm__ volatile("ldr %x0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	}
	return v;
}

static inline void hostile_write(uint64_t a, unsigned size, uint64_t v)
{
	switch (size) {
	case 1: __asm__ volatile("strb %w1, [%0]" : : "r"(a), "r"(v) : "memory"); break;
	case 2: __asm__ volatile("strh %w1, [%0]" : : "r"(a), "r"(v) : "memory"); break;
	case 4: __asm__ volatile("str %w1, [%0]" : : "r"(a), "r"(v) : "memory"); break;
	default: __asm__ volatile("str %x1, [%0]" : : "r"(a), "r"(v) : "memory"); break;
	}
}

#endif
