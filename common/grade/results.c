/* SPDX-License-Identifier: MIT */
/*
 * results.c - what a grading run leaves for programs to read:
 *   - results.json, in Gradescope's schema: {"tests": [{"name", "score",
 *     "max_score", "status", "output", "visibility"}, ...], "score",
 *     "max_score", "visibility"}, written with Jansson. A hidden check's
 *     visibility is "after_published": students see it, and what it
 *     found, once the instructor publishes the grades; the rest, and the
 *     total, are "visible" at once;
 *   - one TSV line for `make check` and `make grade`:
 *     LESSON[: LABEL] passed failed skipped score max_score.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "grade_internal.h"

/* A test's "name" and "output" are cut to these sizes (Gradescope shows
 * them to a person; the whole output is in the human report). */
#define JSON_NAME_MAX 512
#define JSON_OUTPUT_MAX (GRADE_MAX_MESSAGES + GRADE_MAX_OUTPUT / 2)
#define JSON_FLAGS JSON_INDENT(2)

struct grade_results {
	const char *path;
	FILE *file; /* created at the start, written at the end */
	json_t *doc;   /* {"tests": [...]}, the scores added at the end */
	json_t *tests; /* borrowed from doc */
};

/* ------------------------------------------------------------------ */
/* Text a test printed, as a JSON string                               */
/* ------------------------------------------------------------------ */

/*
 * Length of the well-formed UTF-8 sequence at s (1 to 4 bytes, at most
 * `len`), or 0 if there is none there: no overlong forms, no surrogates,
 * nothing past U+10FFFF (RFC 3629, table 3-7 of the Unicode standard).
 */
static size_t utf8_length(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* below: overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* above: surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* below: overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* above: past U+10FFFF */
	if (n > len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * A JSON string of `text`, which is what a test printed and may be any
 * bytes; Jansson takes only valid UTF-8. Valid UTF-8 passes through, and
 * every other byte stands for itself as a code point (0xff: U+00FF, "ÿ"),
 * which keeps its value readable. NULL if out of memory.
 */
static json_t *json_text(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), used = 0, i = 0;
	/* At worst every byte becomes two. */
	char *utf8 = malloc(2 * len + 1);
	json_t *str;

	if (!utf8)
		return NULL;
	while (i < len) {
		size_t n = utf8_length(s + i, len - i);

		if (n) {
			memcpy(utf8 + used, s + i, n);
			used += n;
			i += n;
		} else {
			/* U+0080 to U+00FF in UTF-8: 110000xx 10xxxxxx. */
			utf8[used++] = (char)(0xc0 | s[i] >> 6);
			utf8[used++] = (char)(0x80 | (s[i] & 0x3f));
			i++;
		}
	}
	str = json_stringn(utf8, used);
	free(utf8);
	return str;
}

/* ------------------------------------------------------------------ */
/* results.json                                                        */
/* ------------------------------------------------------------------ */

/* The last `max_lines` lines of `text`. */
static const char *tail_lines(const char *text, unsigned max_lines)
{
	const char *p = text + strlen(text);
	unsigned lines = 0;

	while (p > text) {
		if (p[-1] == '\n' && p[0] && ++lines == max_lines)
			break;
		p--;
	}
	return p;
}

struct grade_results *results_open(const char *path)
{
	struct grade_results *res = calloc(1, sizeof(*res));

	if (!res)
		return NULL;
	res->path = path;
	res->doc = json_object();
	res->tests = json_array();
	if (!res->doc || !res->tests || json_object_set(res->doc, "tests", res->tests)) {
		json_decref(res->tests);
		json_decref(res->doc);
		free(res);
		errno = ENOMEM;
		return NULL;
	}
	json_decref(res->tests); /* doc holds it now */
	res->file = fopen(path, "w");
	if (!res->file) {
		int err = errno;

		json_decref(res->doc);
		free(res);
		errno = err;
		return NULL;
	}
	return res;
}

int results_add(struct grade_results *res, const struct grade_test *t,
		const struct grade_result *r, unsigned score, bool hidden)
{
	/* Failures show their hint and the end of what the test printed. */
	bool show = r->status != ST_PASS && r->status != ST_SKIP;
	bool hint = show && t->hint, printed = show && r->output_len;
	static char output[JSON_OUTPUT_MAX];
	char name[JSON_NAME_MAX];
	json_t *test;

	snprintf(output, sizeof(output), "%s%s%s%s%s%s%s", grade_status_name(r->status),
		 r->messages[0] ? "\n" : "", r->messages,
		 hint ? "hint: " : "", hint ? t->hint : "",
		 printed ? "\n\nwhat the test printed:\n" : "",
		 printed ? tail_lines(r->output, GRADE_SHOWN_OUTPUT_LINES) : "");
	snprintf(name, sizeof(name), "%s: %s", t->name, t->behaviour);
	/* ("o" takes the string's reference, even when json_pack fails.) */
	test = json_pack("{s:o, s:I, s:I, s:s, s:o, s:s}",
			 "name", json_text(name),
			 "score", (json_int_t)score,
			 "max_score", (json_int_t)t->points,
			 "status", r->status == ST_PASS ? "passed" : "failed",
			 "output", json_text(output),
			 "visibility", hidden ? "after_published" : "visible");
	if (!test || json_array_append_new(res->tests, test))
		return -ENOMEM;
	return 0;
}

int results_close(struct grade_results *res, const struct grade_tally *tally)
{
	int ret = 0;

	if (json_object_set_new(res->doc, "score", json_integer(tally->score)) ||
	    json_object_set_new(res->doc, "max_score", json_integer(tally->max_score)) ||
	    /* (Gradescope's default for the whole is "visible" too; said
	     * here so that no test's visibility is read as the total's.) */
	    json_object_set_new(res->doc, "visibility", json_string("visible")))
		ret = -ENOMEM;
	else if (json_dumpf(res->doc, res->file, JSON_FLAGS) < 0 || fputc('\n', res->file) == EOF)
		ret = -EIO;
	if (fclose(res->file) != 0 && ret == 0)
		ret = -errno;
	json_decref(res->doc);
	free(res);
	return ret;
}

void results_discard(struct grade_results *res)
{
	fclose(res->file);
	remove(res->path);
	json_decref(res->doc);
	free(res);
}

/* ------------------------------------------------------------------ */
/* The TSV summary                                                     */
/* ------------------------------------------------------------------ */

int summary_append(const char *path, const char *lesson, const char *label,
		   const struct grade_tally *tally)
{
	FILE *f = fopen(path, "a");
	int ret = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%s%s%s\t%u\t%u\t%u\t%u\t%u\n", lesson, label ? ": " : "",
		    label ? label : "", tally->passed, tally->failed, tally->skipped,
		    tally->score, tally->max_score) < 0)
		ret = -EIO;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	return ret;
}
