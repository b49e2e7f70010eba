/* SPDX-License-Identifier: MIT */
/*
 * guest.h - the little library of the kit's AArch64 C guests. Output goes
 * through the UART-like register (one store, one exit, per byte).
 */
#ifndef GUEST_ARM64_GUEST_H
#define GUEST_ARM64_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "mmio.h"  /* mmio_write8() for the UART, and the rest */

/* PSCI 0.2 (Arm DEN 0022), through `hvc #0`. */
#define PSCI_SYSTEM_OFF 0x84000008UL

static inline uint64_t psci_call(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

void putchar_serial(char c);
void puts_serial(const char *s);              /* no newline added */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

/* The end of the guest: main's return value arrives here. Lesson 02's
 * guests power off; lesson 03's make the exit hypercall. */
void guest_exit(int code) __attribute__((noreturn));

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);

#endif
