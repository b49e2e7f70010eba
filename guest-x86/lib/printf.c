/* SPDX-License-Identifier: MIT */
/*
 * printf.c - what every C guest of the kit has, on any architecture: a
 * small printf over the architecture's putchar_serial(), and the C
 * functions the compiler may call even in freestanding code. Built into
 * the x86 and the arm64 guest runtimes (guest-x86/lib, guest-arm64/lib).
 */
#include "guest.h"

void puts_serial(const char *s)
{
	while (*s)
		putchar_serial(*s++);
}

/* Digits of `v` in `base`, at least `width` of them, padded with `pad`. */
static int print_number(uint64_t v, unsigned base, int width, char pad, int negative)
{
	char buf[24];
	int n = 0, count = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		buf[n++] = '-';
	while (n < width && n < (int)sizeof(buf))
		buf[n++] = pad;
	while (n > 0) {
		putchar_serial(buf[--n]);
		count++;
	}
	return count;
}

/* %c %s %d %i %u %x %p, with l/ll/z, a width and 0-padding. */
int vprintf(const char *fmt, va_list ap)
{
	int count = 0;

	for (; *fmt; fmt++) {
		int longs = 0, width = 0;
		char pad = ' ';
		uint64_t u;
		int64_t s;

		if (*fmt != '%') {
			putchar_serial(*fmt);
			count++;
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'c':
			putchar_serial((char)va_arg(ap, int));
			count++;
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			if (!str)
				str = "(null)";
			while (*str) {
				putchar_serial(*str++);
				count++;
			}
			break;
		}
		case 'd':
		case 'i':
			s = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			u = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
			count += print_number(u, 10, width, pad, s < 0);
			break;
		case 'u':
			u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			count += print_number(u, 10, width, pad, 0);
			break;
		case 'x':
			u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			count += print_number(u, 16, width, pad, 0);
			break;
		case 'p':
			puts_serial("0x");
			count += 2 + print_number((uint64_t)(uintptr_t)va_arg(ap, void *), 16,
						  width, pad, 0);
			break;
		case '%':
			putchar_serial('%');
			count++;
			break;
		default:	/* unknown: show it as it was written */
			putchar_serial('%');
			putchar_serial(*fmt);
			count += 2;
			if (!*fmt)
				return count;
			break;
		}
	}
	return count;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

