/* SPDX-License-Identifier: MIT */
/*
 * options.c - kvmrun's command line and how it reads an image file.
 *
 * Both take input from outside (argv, a file of any size and contents),
 * so they live apart from kvmrun.c: fuzz/kvmrun.c drives them with no
 * KVM. Nothing here ends the process; the streams to print on are the
 * caller's (kvmrun gives stdout and stderr), so what kvmrun prints and
 * its exit statuses are those it had when this code was in kvmrun.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kit.h"
#include "arch/arch.h"
#include "options.h"

static const struct flat_layout flat_layouts[] = {
	/* 640 KiB at 0: a PC's conventional memory; real mode. */
	{ "x86_64", 0, 0xa0000, 0x1000, "flat binary, 16-bit real mode" },
	/* 1 MiB at 1 GiB, as lesson 01's arm64 guests; EL1, MMU off. */
	{ "arm64", 0x40000000, 0x100000, 0x40000000, "flat binary, EL1" },
};

const struct flat_layout *flat_layout(void)
{
	size_t i;

	for (i = 0; i < sizeof(flat_layouts) / sizeof(flat_layouts[0]); i++)
		if (strcmp(flat_layouts[i].arch, arch_name) == 0)
			return &flat_layouts[i];
	return &flat_layouts[0];
}

static void usage(FILE *out)
{
	const struct flat_layout *flat = flat_layout();

	fprintf(out,
		"usage: kvmrun [options] IMAGE\n"
		"Run a guest under KVM with the kit's reference host (%s).\n"
		"  An ELF64 image runs like lesson 02's guests (guest-*/lib/layout.h); any\n"
		"  other file is a flat binary like lesson 01's (%s), with 0x%llx bytes of\n"
		"  RAM at 0x%llx. The guest prints on its console and may use lesson 03's\n"
		"  hypercalls.\n"
		"options:\n"
		"  --load ADDR       where a flat binary goes and starts (default 0x%llx)\n"
		"  --timeout MS      stop the guest after MS milliseconds (default %u)\n"
		"  --trace           describe every exit, and every hypercall, on stderr\n"
		"  --no-sync-regs    not the fast path: x86, hypercall registers through\n"
		"                    KVM_GET/SET_REGS, not KVM_CAP_SYNC_REGS; arm64, no SMCCC\n"
		"                    filter (the guest's hvc falls back to the MMIO doorbell)\n"
		"  --devices         lesson 04's UART, counter and ROM on the MMIO bus; an\n"
		"                    access no device takes fails the run\n"
		"  --no-strict       (with --devices) such an access reads all ones instead\n"
		"  --quiet           no summary line at the end\n"
		"  --json FILE       also write what happened (the end, the exits, each\n"
		"                    hypercall) as JSON to FILE\n"
		"  --help\n"
		"exit status: the guest's KIT_HC_EXIT code (0-63), or 0 if it halted; 64 usage\n"
		"error; 65 guest code outside 0-63; 66 image not loadable; 70 the guest\n"
		"failed; 71 the watchdog stopped it\n",
		arch_name, flat->mode, (unsigned long long)flat->ram_size,
		(unsigned long long)flat->ram_gpa, (unsigned long long)flat->load,
		KIT_KVMRUN_TIMEOUT_MS);
}

enum parse_result parse(int argc, char **argv, struct options *o, FILE *out, FILE *err)
{
	static const struct option longopts[] = {
		{ "load", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "trace", no_argument, NULL, 'T' },
		{ "no-sync-regs", no_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "devices", no_argument, NULL, 'd' },
		{ "no-strict", no_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	int c;

	const struct flat_layout *flat = flat_layout();

	memset(o, 0, sizeof(*o));
	o->sync_regs = true;
	o->strict = true;
	o->timeout_ms = KIT_KVMRUN_TIMEOUT_MS;
	o->load = flat->load;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			errno = 0;
			o->load = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg || optarg[0] == '-' || o->load < flat->ram_gpa ||
			    o->load - flat->ram_gpa >= flat->ram_size || o->load % 16) {
				fprintf(err, "kvmrun: --load %s: an address in [0x%llx, 0x%llx), "
					"a multiple of 16\n", optarg,
					(unsigned long long)flat->ram_gpa,
					(unsigned long long)(flat->ram_gpa + flat->ram_size));
				return PARSE_USAGE;
			}
			break;
		case 't': {
			unsigned long long ms;

			errno = 0;
			ms = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || ms == 0 ||
			    ms > MAX_TIMEOUT_MS) {
				fprintf(err, "kvmrun: --timeout %s: milliseconds, from 1 to %u\n",
					optarg, MAX_TIMEOUT_MS);
				return PARSE_USAGE;
			}
			o->timeout_ms = (unsigned)ms;
			break;
		}
		case 'T': o->trace = true; break;
		case 'S': o->sync_regs = false; break;
		case 'q': o->quiet = true; break;
		case 'd': o->devices = true; break;
		case 's': o->strict = false; break;
		case 'j': o->json = optarg; break;
		case 'h': usage(out); return PARSE_HELP;
		default: usage(err); return PARSE_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(err);
		return PARSE_USAGE;
	}
	if (!o->strict && !o->devices) {
		fprintf(err, "kvmrun: --no-strict is about --devices' bus: give both\n");
		return PARSE_USAGE;
	}
	o->image = argv[optind];
	return PARSE_RUN;
}

/* The whole file, or NULL with a message. */
uint8_t *read_image(const char *path, size_t *size, FILE *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	long len;

	if (!f) {
		fprintf(err, "kvmrun: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(err, "kvmrun: %s is not a regular file\n", path);
		fclose(f);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		fprintf(err, "kvmrun: cannot read %s: %s\n", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	if (len == 0 || (unsigned long)len > MAX_IMAGE) {
		fprintf(err, "kvmrun: %s is %ld bytes; an image is 1 byte to %u MiB\n", path,
			len, MAX_IMAGE >> 20);
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(err, "kvmrun: cannot read %s\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = (size_t)len;
	return buf;
}
