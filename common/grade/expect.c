/* SPDX-License-Identifier: MIT */
/*
 * expect.c - what a graded test calls to fail: FAIL, EXPECT_* and ASSERT_*
 * (grade.h). Each failure goes to CUnit with what was expected and what
 * happened; the test's process sends CUnit's failure list to the harness
 * when the test ends (run.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "grade.h"
#include "../kit.h"

static void vfail(const char *file, unsigned line, bool fatal, const char *fmt, va_list ap)
{
	char msg[8192];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* CUnit copies the condition text into its failure record. */
	CU_assertImplementation(CU_FALSE, line, msg, file, "", fatal ? CU_TRUE : CU_FALSE);
}

void grade_fail_at(const char *file, unsigned line, bool fatal, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(file, line, fatal, fmt, ap);
	va_end(ap);
}

bool grade_expect_u64(const char *file, unsigned line, bool fatal, const char *what,
		      uint64_t actual, uint64_t expected)
{
	if (actual == expected)
		return true;
	grade_fail_at(file, line, fatal, "%s: expected 0x%llx (%llu), got 0x%llx (%llu)", what,
		 (unsigned long long)expected, (unsigned long long)expected,
		 (unsigned long long)actual, (unsigned long long)actual);
	return false;
}

/* The kernel's errno values are 1 to 4095, and the kit returns them negated. */
#define MAX_ERRNO 4095

static bool is_negative_errno(int64_t value)
{
	return value < 0 && value >= -MAX_ERRNO;
}

bool grade_expect_i64(const char *file, unsigned line, bool fatal, const char *what,
		      int64_t actual, int64_t expected)
{
	if (actual == expected)
		return true;
	grade_fail_at(file, line, fatal, "%s: expected %lld, got %lld%s%s", what,
		 (long long)expected, (long long)actual,
		 is_negative_errno(actual) ? " = -" : "",
		 is_negative_errno(actual) ? kit_errno_name((int)-actual) : "");
	return false;
}

/* Printable form of bytes: "Hi\n" -> "Hi\\n", others as \xNN. */
static void quote_bytes(char *buf, size_t buflen, const uint8_t *bytes, size_t len)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < len && used + 8 < buflen; i++) {
		uint8_t c = bytes[i];

		if (c == '\n')
			used += (size_t)snprintf(buf + used, buflen - used, "\\n");
		else if (c == '"' || c == '\\')
			used += (size_t)snprintf(buf + used, buflen - used, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			buf[used++] = (char)c, buf[used] = '\0';
		else
			used += (size_t)snprintf(buf + used, buflen - used, "\\x%02x", c);
	}
	if (i < len)
		snprintf(buf + used, buflen - used, "...");
}

bool grade_expect_bytes(const char *file, unsigned line, bool fatal, const char *what,
			const void *actual, size_t alen, const void *expected, size_t elen)
{
	char a[1024], e[1024];
	size_t first = 0;

	if (alen == elen && (alen == 0 || memcmp(actual, expected, alen) == 0))
		return true;
	while (first < alen && first < elen &&
	       ((const uint8_t *)actual)[first] == ((const uint8_t *)expected)[first])
		first++;
	quote_bytes(a, sizeof(a), actual, alen);
	quote_bytes(e, sizeof(e), expected, elen);
	grade_fail_at(file, line, fatal,
		 "%s:\n  expected \"%s\" (%zu bytes)\n  got      \"%s\" (%zu bytes)\n"
		 "  first difference at byte %zu", what, e, elen, a, alen, first);
	return false;
}

bool grade_expect_contains(const char *file, unsigned line, bool fatal, const char *what,
			   const char *text, const char *needle)
{
	if (text && strstr(text, needle))
		return true;
	grade_fail_at(file, line, fatal, "%s: expected a message containing \"%s\", got \"%s\"",
		 what, needle, text ? text : "(null)");
	return false;
}

void __attribute__((noinline)) grade_scramble_stack(void)
{
	volatile unsigned char area[16384];
	size_t i;

	for (i = 0; i < sizeof(area); i++)
		area[i] = 0x5a;
}
