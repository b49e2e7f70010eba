/* SPDX-License-Identifier: MIT */
/*
 * kvmrun.c - a libFuzzer target for kvmrun's command line and image file
 * (solutions/kvmrun/options.c): what anyone can type, and any file, with
 * no KVM.
 *
 * Each input is two bytes saying how long its command line is, that many
 * bytes of arguments separated by NUL bytes (at most MAX_ARGS, after
 * "kvmrun"), and then an image file. Each run:
 *
 *   - parses the arguments with parse(), and beside it with a model of
 *     GNU getopt_long() of its own (exact names or unique abbreviations,
 *     "--name=value" or the next argument, "--" and the arguments that are
 *     not options anywhere) and of kvmrun's documented ranges. The two
 *     must agree on run / help / usage error, and on every value; and on
 *     run, whatever the model, --load is in the flat binary's RAM and a
 *     multiple of 16, --timeout is 1 ms to 24 h, --no-strict comes only
 *     with --devices, and the image is exactly the one argument that is
 *     not an option. Help goes to the output stream only, an error's
 *     message to the error stream only (getopt's own are turned off);
 *   - writes the image to a temporary file and reads it with read_image():
 *     NULL for an empty file, else exactly the file's bytes;
 *   - then takes it as kvmrun does: "\177ELF" first is an ELF64 image,
 *     loaded by elf_load() into a model VM with the memory lm_boot() gives
 *     lesson 02's guests (one slot, LM_RAM_GPA and LM_RAM_SIZE of
 *     guest-x86/lib/layout.h or guest-arm64/lib/layout.h): accepted, its segments are inside that RAM
 *     and hold their bytes, and the entry point is in an executable one;
 *     refused, -ENOEXEC with a message (fuzz/elf.c checks the loader in
 *     depth). Anything else is a flat binary: it fits at --load (or the
 *     default) in the flat RAM iff it is no larger than what is left
 *     there, and when it fits, its bytes are where they go.
 *
 * Built with ASan and UBSan (each argument is a heap buffer of its own
 * exact size, so a read past its end shows).
 */
#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "arch/arch.h"
#include "layout.h"
#include "../solutions/kvmrun/options.h"

/* options.c and elf.c ask the back end which architecture this is; this
 * file links no back end, so it says so itself. */
#if defined(__aarch64__)
const char arch_name[] = "arm64";
const unsigned arch_elf_machine = EM_AARCH64;
/* kvmrun --help's flat layout, as documented. */
#define FLAT_GPA  0x40000000ULL
#define FLAT_SIZE 0x100000ULL
#define FLAT_LOAD 0x40000000ULL
#else
const char arch_name[] = "x86_64";
const unsigned arch_elf_machine = EM_X86_64;
#define FLAT_GPA  0x0ULL
#define FLAT_SIZE 0xa0000ULL
#define FLAT_LOAD 0x1000ULL
#endif

typedef unsigned __int128 u128;

#define MAX_ARGS 16

static void fail(const char *what)
{
	fprintf(stderr, "fuzz/kvmrun.c: %s\n", what);
	abort();
}

static void require(int ok, const char *what)
{
	if (!ok)
		fail(what);
}

/* ---- the model of the command line -------------------------------------- */

static const struct {
	const char *name;
	bool arg;
	char c;
} longopts[] = {
	{ "load", true, 'l' }, { "timeout", true, 't' }, { "trace", false, 'T' },
	{ "no-sync-regs", false, 'S' }, { "quiet", false, 'q' }, { "devices", false, 'd' },
	{ "no-strict", false, 's' }, { "json", true, 'j' }, { "help", false, 'h' },
};
#define NLONG (sizeof(longopts) / sizeof(longopts[0]))

/* The option "--name" (namelen bytes) names: exactly, or as the only one
 * it abbreviates; -1 for none, or for more than one. */
static int model_lookup(const char *name, size_t namelen)
{
	int found = -1;
	unsigned i, n = 0;

	for (i = 0; i < NLONG; i++)
		if (strlen(longopts[i].name) == namelen && !strncmp(longopts[i].name, name, namelen))
			return (int)i;
	for (i = 0; i < NLONG; i++)
		if (!strncmp(longopts[i].name, name, namelen)) {
			found = (int)i;
			n++;
		}
	return n == 1 ? found : -1;
}

/* strtoull's whole string, not negative, or false. */
static bool number(const char *s, int base, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, base);
	return !errno && !*end && *s && *s != '-';
}

/* The documented ranges of --load and --timeout. */
static bool model_value(char c, const char *val, struct options *o)
{
	unsigned long long v;

	if (c == 'l') {
		if (!number(val, 0, &v) || v < FLAT_GPA || (u128)v >= (u128)FLAT_GPA + FLAT_SIZE ||
		    v % 16)
			return false;
		o->load = v;
	} else if (c == 't') {
		if (!number(val, 10, &v) || v == 0 || v > 24ULL * 3600 * 1000)
			return false;
		o->timeout_ms = (unsigned)v;
	} else {
		o->json = val;
	}
	return true;
}

static void model_flag(char c, struct options *o)
{
	switch (c) {
	case 'T': o->trace = true; break;
	case 'S': o->sync_regs = false; break;
	case 'q': o->quiet = true; break;
	case 'd': o->devices = true; break;
	case 's': o->strict = false; break;
	}
}

static enum parse_result model_parse(int argc, char **argv, struct options *o)
{
	const char *image = NULL;
	int i, k, images = 0;

	*o = (struct options){ .sync_regs = true, .strict = true,
			       .timeout_ms = KIT_KVMRUN_TIMEOUT_MS, .load = FLAT_LOAD };
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *name = a + 2, *eq, *val = NULL;

		if (!strcmp(a, "--")) {
			images += argc - i - 1;
			image = i + 1 < argc ? argv[i + 1] : image;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			images++;
			image = a;
			continue;
		}
		if (a[1] != '-')
			return PARSE_USAGE;  /* kvmrun has no short options */
		eq = strchr(name, '=');
		k = model_lookup(name, eq ? (size_t)(eq - name) : strlen(name));
		if (k < 0 || (eq && !longopts[k].arg))
			return PARSE_USAGE;
		if (longopts[k].arg) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return PARSE_USAGE;
			if (!model_value(longopts[k].c, val, o))
				return PARSE_USAGE;
		} else if (longopts[k].c == 'h') {
			return PARSE_HELP;
		} else {
			model_flag(longopts[k].c, o);
		}
	}
	if (images != 1 || (!o->strict && !o->devices))
		return PARSE_USAGE;
	o->image = image;
	return PARSE_RUN;
}

/* ---- parse() against the model ------------------------------------------- */

/* Where parse() prints: a buffer, emptied before each run. */
struct sink {
	FILE *f;
	char buf[4096];
};

static void sink_open(struct sink *s)
{
	s->f = fmemopen(s->buf, sizeof(s->buf), "w");
	if (!s->f)
		abort();
}

static long sink_used(struct sink *s)
{
	fflush(s->f);
	return ftell(s->f);
}

static const char *result_name(enum parse_result r)
{
	return r == PARSE_RUN ? "run" : r == PARSE_HELP ? "help" : "usage error";
}

/* Returns where a flat binary goes: --load, or the default if it did not
 * parse. */
static uint64_t check_parse(int argc, char **orig, struct sink *out, struct sink *err)
{
	char *argv[MAX_ARGS + 2];
	struct options m, opts, *o = &opts;
	enum parse_result want, got;
	int i, k;

	want = model_parse(argc, orig, &m);
	memcpy(argv, orig, sizeof(argv));  /* getopt_long permutes it */
	rewind(out->f);
	rewind(err->f);
	optind = 0;  /* glibc: start over, whatever the last run left */
	got = parse(argc, argv, o, out->f, err->f);
	if (got != want) {
		for (i = 1; i < argc; i++)
			fprintf(stderr, "  argv[%d] = \"%s\"\n", i, orig[i]);
		fprintf(stderr, "parse(): %s; the model: %s\n", result_name(got), result_name(want));
		fail("parse() and the model of the command line disagree");
	}
	require(got == PARSE_HELP ? sink_used(out) > 0 && sink_used(err) == 0 :
		got == PARSE_USAGE ? sink_used(err) > 0 && sink_used(out) == 0 :
		sink_used(out) == 0 && sink_used(err) == 0,
		"help is not on the output alone, or an error's message not on the error stream alone");
	if (got != PARSE_RUN)
		return FLAT_LOAD;
	require(o->load >= FLAT_GPA && o->load - FLAT_GPA < FLAT_SIZE && o->load % 16 == 0,
		"--load is outside the flat RAM, or not a multiple of 16");
	require(o->timeout_ms >= 1 && o->timeout_ms <= MAX_TIMEOUT_MS &&
		MAX_TIMEOUT_MS == 24u * 3600 * 1000, "--timeout is not 1 ms to 24 h");
	require(o->strict || o->devices, "--no-strict without --devices");
	for (i = 1, k = 0; i < argc; i++)
		k += o->image == orig[i];
	require(k == 1 && o->image == m.image, "the image is not the one argument left");
	require(o->load == m.load && o->timeout_ms == m.timeout_ms && o->json == m.json &&
		o->trace == m.trace && o->sync_regs == m.sync_regs && o->quiet == m.quiet &&
		o->devices == m.devices && o->strict == m.strict,
		"an option's value is not the model's");
	return o->load;
}

/* ---- the image ------------------------------------------------------------- */

static struct vm lm_vm, flat_vm;
static char path[] = "/tmp/fuzz-kvmrun-XXXXXX";
static int fd = -1;

static void remove_file(void)
{
	unlink(path);
}

static void one_slot(struct vm *vm, uint64_t gpa, uint64_t size)
{
	*vm = (struct vm)VM_EMPTY;
	vm->page_size = 4096;
	vm->slots[0] = (struct mem_slot){ .gpa = gpa, .size = size, .host = calloc(1, size) };
	vm->nslots = 1;
	if (!vm->slots[0].host)
		abort();
}

static void setup(void)
{
	unsetenv("POSIXLY_CORRECT");  /* getopt_long would stop at the image */
	opterr = 0;                   /* its messages are glibc's, not kvmrun's */
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	atexit(remove_file);
	one_slot(&lm_vm, LM_RAM_GPA, LM_RAM_SIZE);
	one_slot(&flat_vm, FLAT_GPA, FLAT_SIZE);
}

/* An ELF64 image in lesson 02's memory. */
static void check_elf(const uint8_t *img, size_t size)
{
	const uint8_t *ram = lm_vm.slots[0].host;
	struct elf_info info;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	bool entry_ok = false;
	unsigned i;
	int ret;

	kit_clear_error();
	ret = elf_load(&lm_vm, img, size, &info);
	if (ret < 0) {
		require(ret == -ENOEXEC && kit_last_error()[0],
			"an ELF image kvmrun cannot load is not -ENOEXEC with a message");
		return;
	}
	require(info.nsegments >= 1 && info.nsegments <= ELF_MAX_SEGMENTS,
		"a loaded ELF image has no segment, or too many");
	for (i = 0; i < info.nsegments; i++) {
		uint64_t gpa = info.segments[i].gpa, len = info.segments[i].size;

		require(gpa >= LM_RAM_GPA && len && len <= LM_RAM_SIZE &&
			gpa - LM_RAM_GPA <= LM_RAM_SIZE - len,
			"a loaded segment is outside lesson 02's RAM");
		if ((info.segments[i].flags & PF_X) && info.entry >= gpa && info.entry - gpa < len)
			entry_ok = true;
	}
	require(entry_ok, "the entry point is not in an executable loaded segment");
	/* Accepted, so the headers are whole: each segment's file bytes. */
	memcpy(&eh, img, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_memsz)
			require(memcmp(ram + (ph.p_paddr - LM_RAM_GPA), img + ph.p_offset,
				       ph.p_filesz) == 0,
				"a segment's bytes are not in lesson 02's RAM");
	}
}

/* A flat binary at `load`. */
static void check_flat(const uint8_t *img, size_t size, uint64_t load)
{
	bool fits = size <= FLAT_SIZE - (load - FLAT_GPA);
	int ret = guest_write(&flat_vm, load, img, size);

	require((ret == 0) == fits, "a flat binary's fit is not the layout's");
	if (fits)
		require(memcmp(flat_vm.slots[0].host + (load - FLAT_GPA), img, size) == 0,
			"a flat binary's bytes are not where it is loaded");
}

static void check_image(const uint8_t *img, size_t size, uint64_t load, struct sink *err)
{
	uint8_t *got;
	size_t got_size = 0;

	if (pwrite(fd, img, size, 0) != (ssize_t)size || ftruncate(fd, (off_t)size) < 0)
		abort();
	rewind(err->f);
	got = read_image(path, &got_size, err->f);
	if (size == 0) {
		require(!got && sink_used(err) > 0, "read_image() read an empty file");
		return;
	}
	require(got && got_size == size && memcmp(got, img, size) == 0,
		"read_image() did not return exactly the file's bytes");
	/* kvmrun loads read_image()'s buffer (from malloc, so aligned for
	 * elf_load()'s headers), not the input's bytes. */
	if (size >= 4 && memcmp(got, "\177ELF", 4) == 0)
		check_elf(got, size);
	else
		check_flat(got, size, load);
	free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sink out, err;
	char *argv[MAX_ARGS + 2] = { "kvmrun" };
	size_t n, start, i;
	uint64_t load;
	int argc = 1;

	if (fd < 0) {
		setup();
		sink_open(&out);
		sink_open(&err);
	}
	n = size < 2 ? 0 : (size_t)(data[0] | data[1] << 8);
	data += size < 2 ? size : 2;
	size -= size < 2 ? size : 2;
	n = n < size ? n : size;
	/* The arguments: NUL-separated, each in a buffer of its own size. */
	for (start = 0, i = 0; i <= n && argc <= MAX_ARGS; i++) {
		if (i < n && data[i])
			continue;
		argv[argc] = malloc(i - start + 1);
		if (!argv[argc])
			abort();
		memcpy(argv[argc], data + start, i - start);
		argv[argc++][i - start] = '\0';
		start = i + 1;
	}
	if (n == 0)
		free(argv[--argc]);  /* no bytes: no arguments at all */
	argv[argc] = NULL;

	load = check_parse(argc, argv, &out, &err);
	check_image(data + n, size - n, load, &err);
	while (argc > 1)
		free(argv[--argc]);
	return 0;
}
