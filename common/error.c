/* SPDX-License-Identifier: MIT */
/*
 * error.c - how the core reports failures: a negative errno returned, and
 * a message kept for the caller to print.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"

/* One message per thread: a vCPU thread's error does not clobber another's. */
static _Thread_local char last_error[1024];

int kit_error(int neg_errno, const char *fmt, ...)
{
	char message[sizeof(last_error)];
	va_list ap;

	/* Format first, then store: a message may quote kit_last_error(). */
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	memcpy(last_error, message, sizeof(last_error));
	return neg_errno < 0 ? neg_errno : -EINVAL;
}

static int errno_error(int err, const char *what, const char *hint_fmt, va_list ap)
{
	char message[sizeof(last_error)];
	size_t used;

	if (err <= 0)
		err = EIO;
	snprintf(message, sizeof(message), "%s failed: %s (%s)", what,
		 kit_errno_name(err), strerror(err));
	if (hint_fmt && *hint_fmt) {
		used = strlen(message);
		if (used + 2 < sizeof(message)) {
			message[used++] = '.';
			message[used++] = ' ';
			message[used] = '\0';
			vsnprintf(message + used, sizeof(message) - used, hint_fmt, ap);
		}
	}
	memcpy(last_error, message, sizeof(last_error));
	return -err;
}

int kit_syscall_error(const char *what, const char *hint_fmt, ...)
{
	int err = errno; /* before anything else can change it */
	va_list ap;
	int ret;

	va_start(ap, hint_fmt);
	ret = errno_error(err, what, hint_fmt, ap);
	va_end(ap);
	return ret;
}

int kit_errno_error(int err, const char *what, const char *hint_fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, hint_fmt);
	ret = errno_error(err, what, hint_fmt, ap);
	va_end(ap);
	return ret;
}

const char *kit_last_error(void)
{
	return last_error[0] ? last_error : "(no error message recorded)";
}

void kit_clear_error(void)
{
	last_error[0] = '\0';
}

void (*kit_todo_observer)(const char *lesson, const char *section, const char *what);

/* The first TODO reached, kept apart from the last error: a caller may
 * report something else over it (a TODO that returns no error, as in an
 * exit classifier, is then followed by "unexpected exit ..."). */
static _Thread_local char first_todo[sizeof(last_error)];

int kit_todo(const char *lesson, const char *section, const char *what)
{
	int ret = kit_error(-ENOSYS,
			    "TODO: %s is not written yet; see lessons/%s/README.md, section \"%s\"",
			    what, lesson, section);

	if (!first_todo[0])
		snprintf(first_todo, sizeof(first_todo), "%s", last_error);
	if (kit_todo_observer)
		kit_todo_observer(lesson, section, what);
	return ret;
}

const char *kit_first_todo(void)
{
	return first_todo[0] ? first_todo : NULL;
}

void kit_forget_todos(void)
{
	first_todo[0] = '\0';
}

const char *kit_errno_name(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
#define NAME(e) case e: return #e
	NAME(EPERM); NAME(ENOENT); NAME(ESRCH); NAME(EINTR); NAME(EIO);
	NAME(ENXIO); NAME(E2BIG); NAME(ENOEXEC); NAME(EBADF); NAME(ECHILD);
	NAME(EAGAIN); NAME(ENOMEM); NAME(EACCES); NAME(EFAULT); NAME(EBUSY);
	NAME(EEXIST); NAME(ENODEV); NAME(ENOTDIR); NAME(EINVAL); NAME(ENFILE);
	NAME(EMFILE); NAME(ENOTTY); NAME(EFBIG); NAME(ENOSPC); NAME(ERANGE);
	NAME(ENOSYS); NAME(EOVERFLOW); NAME(EPROTO); NAME(ETIMEDOUT);
	NAME(EOPNOTSUPP); NAME(EDOM); NAME(EILSEQ); NAME(ECANCELED);
#undef NAME
	default:
		return "E?";
	}
}
