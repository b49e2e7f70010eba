/* SPDX-License-Identifier: MIT */
/*
 * a64dec - what lesson 05's decoder makes of A64 instruction words, one
 * JSON object per line:
 *
 *   a64dec WORD...    hex words (0x optional)
 *   a64dec -          one word per line on stdin
 *
 * {"insn":"0xf800845f","ok":true,"op":"store","size":8,"signed":false,
 *  "dest_bits":64,"pair":false,"rt":31,"rt2":null,"rn":2,"mode":"post",
 *  "offset":8,"text":"str xzr, [x2], #8"}
 * A register offset adds "rm", "extend" (lsl, uxtw, sxtw, sxtx) and
 * "shift"; a refusal is {"insn":"0x...","ok":false,"reason":"..."}.
 * Built from the reference decoder (solutions/05-writeback/decode.c).
 * Exit status 0, or 64 for a word that is not a 32-bit hex number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "05-writeback/a64.h"

static json_t *describe(const struct a64_insn *d)
{
	static const char *const modes[] = { "offset", "pre", "post", "register" };
	static const char *const extends[] = { "lsl", "uxtw", "sxtw", "sxtx" };
	char insn[16], text[96];
	json_t *o = json_object();

	snprintf(insn, sizeof(insn), "0x%08x", d->word);
	json_object_set_new(o, "insn", json_string(insn));
	json_object_set_new(o, "ok", json_boolean(d->ok));
	if (!d->ok) {
		json_object_set_new(o, "reason", json_string(d->reason));
		return o;
	}
	a64_text(d, text, sizeof(text));
	json_object_set_new(o, "op", json_string(d->load ? "load" : "store"));
	json_object_set_new(o, "size", json_integer(d->size));
	json_object_set_new(o, "signed", json_boolean(d->sign));
	json_object_set_new(o, "dest_bits", json_integer(d->dest_bits));
	json_object_set_new(o, "pair", json_boolean(d->pair));
	json_object_set_new(o, "rt", json_integer(d->rt));
	json_object_set_new(o, "rt2", d->pair ? json_integer(d->rt2) : json_null());
	json_object_set_new(o, "rn", json_integer(d->rn));
	json_object_set_new(o, "mode", json_string(modes[d->mode]));
	json_object_set_new(o, "offset", json_integer(d->offset));
	if (d->mode == A64_REGISTER) {
		json_object_set_new(o, "rm", json_integer(d->rm));
		json_object_set_new(o, "extend", json_string(extends[d->extend]));
		json_object_set_new(o, "shift", json_integer(d->shift));
	}
	json_object_set_new(o, "text", json_string(text));
	return o;
}

/* One word; false (and a message) if it is not one. */
static bool one(const char *arg)
{
	struct a64_insn d;
	unsigned long long w;
	char *end, *line;
	json_t *o;

	errno = 0;
	w = strtoull(arg, &end, 16);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (errno || end == arg || *end || w > 0xffffffffULL || arg[0] == '-') {
		fprintf(stderr, "a64dec: \"%s\" is not a 32-bit hex word\n", arg);
		return false;
	}
	a64_decode((uint32_t)w, &d);
	o = describe(&d);
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (line)
		puts(line);
	free(line);
	json_decref(o);
	return line != NULL;
}

int main(int argc, char **argv)
{
	char buf[256];
	int i, status = 0;

	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: a64dec WORD...  or  a64dec -  (one hex word per line on stdin)\n");
		return argc < 2 ? 64 : 0;
	}
	if (argc == 2 && strcmp(argv[1], "-") == 0) {
		while (fgets(buf, sizeof(buf), stdin))
			if (!one(buf))
				status = 64;
		return status;
	}
	for (i = 1; i < argc; i++)
		if (!one(argv[i]))
			status = 64;
	return status;
}
