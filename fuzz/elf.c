/* SPDX-License-Identifier: MIT */
/*
 * elf.c - a libFuzzer target for the core's ELF loader, elf_load()
 * (common/elf.c): a guest image is a file from outside, and any bytes at
 * all must either load as the gABI says or be refused with nothing
 * changed.
 *
 * There is no KVM here: the VM is a struct vm made by hand whose slots
 * are malloc'd buffers, which is all guest_ptr() reads. Its memory is
 *
 *   [0x100000, +64 KiB)   where the kit's guests are linked (guest.ld),
 *   [0x110000, +4 KiB)    right after it: a segment may not span the two,
 *   [2^64 - 12 KiB, +8 KiB)  as high as vm_add_memory() allows a slot
 *                         (its end must stay below 2^64), so that
 *                         address + size overflows just past it,
 *
 * filled with a pattern before each image. The input is the image. Beside
 * the loader, this file decides by itself, from the image's bytes and
 * with 128-bit arithmetic that cannot wrap, whether the image is one the
 * loader must accept (kit.h and common/elf.c's checks, in any order), and
 * then aborts unless:
 *
 *   - accepted: the result is 0, every PT_LOAD segment with bytes in
 *     memory lies wholly inside one slot, holds its file bytes followed by
 *     zeros (.bss), and is listed in info in order with its address, size
 *     and flags; no two of them overlap; the entry point is inside an
 *     executable one; and every other byte of guest memory is unchanged;
 *   - refused: the result is -ENOEXEC, kit_last_error() says something,
 *     and guest memory is byte for byte as it was.
 *
 * Built with ASan and UBSan: a read past the image (the input is a heap
 * buffer of exactly its size; one of an odd size is loaded from an odd
 * address), a misaligned read or an overflow is a crash too.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "arch/arch.h"

/* elf.c checks e_machine against the back end's; this file links no back
 * end, so it names the machine itself. It is x86_64 on every host: the
 * loader's checks after that one are the same for either machine, and
 * the corpus's ELF files are x86_64 ones, so on an arm64 host too they go
 * past the machine check to the checks they were made for. */
const unsigned arch_elf_machine = EM_X86_64;

typedef unsigned __int128 u128;

#define NSLOTS 3
static const struct {
	uint64_t gpa, size;
} layout[NSLOTS] = {
	{ 0x100000, 0x10000 },
	{ 0x110000, 0x1000 },
	{ 0xffffffffffffd000ULL, 0x2000 },
};

static struct vm vm;
static uint8_t *snapshot[NSLOTS];
static uint8_t *covered[NSLOTS];  /* bytes a loaded segment may change */

static void fail(const char *what)
{
	fprintf(stderr, "fuzz/elf.c: %s\n  (elf_load said: %s)\n", what, kit_last_error());
	abort();
}

static void require(int ok, const char *what)
{
	if (!ok)
		fail(what);
}

static void setup(void)
{
	unsigned i;
	uint64_t j;

	vm = (struct vm)VM_EMPTY;
	vm.page_size = 4096;
	for (i = 0; i < NSLOTS; i++) {
		vm.slots[i] = (struct mem_slot){ .slot = i, .gpa = layout[i].gpa,
						 .size = layout[i].size,
						 .host = malloc(layout[i].size) };
		snapshot[i] = malloc(layout[i].size);
		covered[i] = malloc(layout[i].size);
		if (!vm.slots[i].host || !snapshot[i] || !covered[i])
			abort();
		for (j = 0; j < layout[i].size; j++)
			snapshot[i][j] = (uint8_t)(0xa5 ^ (j * 31) ^ (j >> 8) ^ i);
		memset(covered[i], 0, layout[i].size);
	}
	vm.nslots = NSLOTS;
}

/* A pattern no loader writes by chance (not zeros, not the image), put
 * back before each image. */
static void fill_memory(void)
{
	unsigned i;

	for (i = 0; i < NSLOTS; i++)
		memcpy(vm.slots[i].host, snapshot[i], layout[i].size);
}

/* The slot that holds all of [gpa, gpa + size), or -1. */
static int slot_of(uint64_t gpa, uint64_t size)
{
	unsigned i;

	for (i = 0; i < NSLOTS; i++)
		if (gpa >= layout[i].gpa &&
		    (u128)gpa + size <= (u128)layout[i].gpa + layout[i].size)
			return (int)i;
	return -1;
}

/* Little-endian fields, read only where the image has them. */
static uint64_t field(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

struct seg {
	uint64_t type, flags, offset, vaddr, paddr, filesz, memsz;
};

static struct seg seg_at(const uint8_t *ph)
{
	return (struct seg){ field(ph, 4), field(ph + 4, 4), field(ph + 8, 8),
			     field(ph + 16, 8), field(ph + 24, 8), field(ph + 32, 8),
			     field(ph + 40, 8) };
}

static bool in_image(uint64_t offset, uint64_t len, size_t size)
{
	return (u128)offset + len <= size;
}

/* Must elf_load() accept this image? Decided from its bytes alone. */
static bool acceptable(const uint8_t *img, size_t size)
{
	uint64_t phoff, entry, phnum, i, j;
	unsigned loaded = 0;
	bool entry_ok = false;

	if (size < 64 || memcmp(img, "\177ELF", 4) != 0 || img[4] != 2 || img[5] != 1 ||
	    img[6] != 1 || field(img + 20, 4) != 1 || field(img + 18, 2) != arch_elf_machine ||
	    field(img + 16, 2) != 2 /* ET_EXEC */ || field(img + 54, 2) != 56)
		return false;
	entry = field(img + 24, 8);
	phoff = field(img + 32, 8);
	phnum = field(img + 56, 2);
	if (phnum == 0 || !in_image(phoff, phnum * 56, size) || phoff % 8)
		return false;
	for (i = 0; i < phnum; i++) {
		struct seg p = seg_at(img + phoff + 56 * i);

		if (p.type != PT_LOAD)
			continue;
		if (p.filesz > p.memsz || !in_image(p.offset, p.filesz, size))
			return false;
		if (p.memsz == 0)
			continue;
		if (p.vaddr != p.paddr || ++loaded > ELF_MAX_SEGMENTS ||
		    slot_of(p.paddr, p.memsz) < 0)
			return false;
		if ((p.flags & PF_X) && entry >= p.vaddr && (u128)entry < (u128)p.vaddr + p.memsz)
			entry_ok = true;
		for (j = 0; j < i; j++) {
			struct seg q = seg_at(img + phoff + 56 * j);

			if (q.type == PT_LOAD && q.memsz && p.paddr < (u128)q.paddr + q.memsz &&
			    q.paddr < (u128)p.paddr + p.memsz)
				return false;
		}
	}
	return loaded > 0 && entry_ok;
}

/* Every byte of guest memory that no loaded segment covers is as it was;
 * then nothing is covered again, for the next image. */
static void check_untouched(const char *what)
{
	unsigned i;
	uint64_t j;

	for (i = 0; i < NSLOTS; i++) {
		bool same = memcmp(vm.slots[i].host, snapshot[i], layout[i].size) == 0;

		for (j = 0; !same && j < layout[i].size; j++)
			if (!covered[i][j] && vm.slots[i].host[j] != snapshot[i][j]) {
				fprintf(stderr, "guest byte 0x%llx changed\n",
					(unsigned long long)(layout[i].gpa + j));
				fail(what);
			}
		memset(covered[i], 0, layout[i].size);
	}
}

/* An accepted image: what it says, against what is in guest memory. */
static void check_loaded(const uint8_t *img, const struct elf_info *info)
{
	uint64_t phoff = field(img + 32, 8), phnum = field(img + 56, 2), i, j;
	unsigned n = 0, k;
	bool entry_ok = false;

	for (i = 0; i < phnum; i++) {
		struct seg p = seg_at(img + phoff + 56 * i);
		int s = slot_of(p.paddr, p.memsz);
		const uint8_t *mem;

		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		require(s >= 0, "a loaded segment is not inside one slot");
		require(n < info->nsegments && info->segments[n].gpa == p.paddr &&
			info->segments[n].size == p.memsz && info->segments[n].flags == p.flags,
			"info->segments does not list the loaded segments, in order");
		mem = vm.slots[s].host + (p.paddr - layout[s].gpa);
		require(memcmp(mem, img + p.offset, p.filesz) == 0,
			"a segment's file bytes are not in guest memory");
		for (j = p.filesz; j < p.memsz; j++)
			require(mem[j] == 0, "a segment's .bss is not zeroed");
		memset(covered[s] + (p.paddr - layout[s].gpa), 1, p.memsz);
		if ((p.flags & PF_X) && info->entry - p.paddr < p.memsz && info->entry >= p.paddr)
			entry_ok = true;
		n++;
	}
	require(info->nsegments == n, "info->nsegments is not the number of loaded segments");
	require(info->entry == field(img + 24, 8), "info->entry is not e_entry");
	require(entry_ok, "the entry point is not inside an executable loaded segment");
	for (k = 0; k < n; k++)
		for (j = 0; j < k; j++)
			require(!(info->segments[k].gpa < (u128)info->segments[j].gpa +
							  info->segments[j].size &&
				  info->segments[j].gpa < (u128)info->segments[k].gpa +
							  info->segments[k].size),
				"two loaded segments overlap");
	check_untouched("a byte outside every loaded segment changed");
}

/* An image of an odd size is loaded from an odd address: a buffer need
 * not be aligned for the ELF structures, and the loader must not care. */
static int load(const uint8_t *data, size_t size, struct elf_info *info)
{
	uint8_t *odd;
	int ret;

	if (size % 2 == 0)
		return elf_load(&vm, data, size, info);
	odd = malloc(size + 1);
	if (!odd)
		abort();
	memcpy(odd + 1, data, size);
	ret = elf_load(&vm, odd + 1, size, info);
	free(odd);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info info;
	bool want;
	int ret;

	if (!vm.nslots)
		setup();
	fill_memory();
	want = acceptable(data, size);
	kit_clear_error();
	ret = load(data, size, &info);
	if (ret == 0) {
		require(want, "elf_load accepted an image it must refuse");
		check_loaded(data, &info);
		return 0;
	}
	require(!want, "elf_load refused an image it must accept");
	require(ret == -ENOEXEC, "a refusal is not -ENOEXEC");
	require(kit_last_error()[0] && strcmp(kit_last_error(), "(no error message recorded)"),
		"a refusal left no message");
	check_untouched("a refused image changed guest memory");
	return 0;
}
