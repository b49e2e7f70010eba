/* SPDX-License-Identifier: MIT */
/*
 * options.h - kvmrun's command line and image file (options.c), apart
 * from the rest of kvmrun so that a fuzz target (fuzz/kvmrun.c) can drive
 * them without KVM, and without a --help that ends the process.
 */
#ifndef KVMRUN_OPTIONS_H
#define KVMRUN_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_IMAGE (64u << 20)
#define MAX_TIMEOUT_MS (24u * 3600 * 1000)

/* Where a flat binary's RAM is, like lesson 01's guests' but larger. */
struct flat_layout {
	const char *arch;
	uint64_t ram_gpa, ram_size, load;
	const char *mode;
};

/* This host's (by arch_name). */
const struct flat_layout *flat_layout(void);

struct options {
	const char *image;
	const char *json;
	bool trace;
	bool sync_regs;
	bool quiet;
	bool devices;
	bool strict;
	unsigned timeout_ms;
	uint64_t load;
};

/* What parse() made of the command line. */
enum parse_result {
	PARSE_RUN,      /* *o holds the options: run o->image */
	PARSE_HELP,     /* --help: the usage went to `out`; exit status 0 */
	PARSE_USAGE,    /* a usage error, said on `err` */
};

/*
 * Parse kvmrun's argv with getopt_long (so optind must be fresh: 1 in a
 * new process, or 0 to make glibc start over). The help goes to `out`,
 * every error to `err` (kvmrun passes stdout and stderr).
 */
enum parse_result parse(int argc, char **argv, struct options *o, FILE *out, FILE *err);

/* The whole file, in memory from malloc(), or NULL with a message on
 * `err`: for a file that cannot be opened or read, is not a regular file,
 * or is empty or larger than MAX_IMAGE. */
uint8_t *read_image(const char *path, size_t *size, FILE *err);

#endif /* KVMRUN_OPTIONS_H */
