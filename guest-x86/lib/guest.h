/* SPDX-License-Identifier: MIT */
/*
 * guest.h - the little library of the kit's 64-bit x86 C guests.
 * Output goes to the serial port (one `out` per byte, so one exit per
 * byte: slow, simple, and every byte visible to the host).
 */
#ifndef GUEST_X86_GUEST_H
#define GUEST_X86_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void halt(void)
{
	__asm__ volatile("hlt");
}

void putchar_serial(char c);
void puts_serial(const char *s);              /* no newline added */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

/* The end of the guest: main's return value arrives here. Lesson 02's
 * guests print it and halt; lesson 03's replace it with a hypercall. */
void guest_exit(int code) __attribute__((noreturn));

/* Freestanding code still gets calls to these from the compiler. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);

#endif
