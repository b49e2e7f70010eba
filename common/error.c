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
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return neg_errno < 0 ? neg_errno : -EINVAL;
}

int kit_syscall_error(const char *what, const char *hint_fmt, ...)
{
	int err = errno ? errno : EIO;
	size_t used;
	va_list ap;

	snprintf(last_error, sizeof(last_error), "%s failed: %s (%s)", what,
		 kit_errno_name(err), strerror(err));
	if (hint_fmt && *hint_fmt) {
		used = strlen(last_error);
		if (used + 2 < sizeof(last_error)) {
			last_error[used++] = '.';
			last_error[used++] = ' ';
			last_error[used] = '\0';
			va_start(ap, hint_fmt);
			vsnprintf(last_error + used, sizeof(last_error) - used,
				  hint_fmt, ap);
			va_end(ap);
		}
	}
	return -err;
}

const char *kit_last_error(void)
{
	return last_error[0] ? last_error : "(no error message recorded)";
}

void kit_clear_error(void)
{
	last_error[0] = '\0';
}

int kit_todo(const char *lesson, const char *section, const char *what)
{
	return kit_error(-ENOSYS,
			 "TODO: %s is not written yet; see lessons/%s/README.md, section \"%s\"",
			 what, lesson, section);
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
