/* SPDX-License-Identifier: MIT */
/*
 * checks.c - lesson 02's graded checks for every architecture (given;
 * read, do not change); checks_<arch>.c has the rest. They call your
 * functions, then look for themselves: at guest memory, at the registers
 * KVM holds, and at what real C guests print and do.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "c_guests.h"
#include "checks_arch.h"
#include "layout.h"

GUEST_IMAGE_DECLARE(hello);

/* Boot `image` with your steps and run it with the core's run loop. */
struct outcome boot_and_run(const struct guest_image *image, struct vm *vm, struct vcpu *cpu)
{
	struct outcome o = { 0 };
	struct run_loop loop = { .timeout_ms = RUN_TIMEOUT_MS };
	int ret;

	ret = lm_boot(vm, cpu, image->bytes, image->size);
	ASSERT(ret == 0, "booting the %s guest with your steps failed (%d): %s", image->name,
	       ret, kit_last_error());
	loop.console = open_memstream(&o.output, &o.len);
	ASSERT(loop.console != NULL, "open_memstream failed");
	o.ret = vcpu_run_loop(cpu, &loop);
	fclose(loop.console);
	printf("%s: run ended with %d%s%s; output:\n%s\n", image->name, o.ret,
	       o.ret ? ": " : "", o.ret ? kit_last_error() : "", o.output);
	return o;
}

void new_vm(struct vm *vm)
{
	ASSERT(vm_create(vm) == 0, "vm_create: %s", kit_last_error());
	ASSERT(vm_add_memory(vm, LM_RAM_GPA, LM_RAM_SIZE, 0) >= 0, "vm_add_memory: %s",
	       kit_last_error());
}

/* ---- 2. Load the ELF ------------------------------------------------- */

static void test_elf_loaded(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	const Elf64_Ehdr *eh = (const void *)image.bytes;
	const Elf64_Phdr *ph = (const void *)(image.bytes + eh->e_phoff);
	uint64_t entry = 0;
	struct vm vm;
	unsigned i;
	int ret;

	new_vm(&vm);
	ret = lm_load_elf(&vm, image.bytes, image.size, &entry);
	ASSERT(ret == 0, "lm_load_elf(hello) returned %d: %s", ret, kit_last_error());
	EXPECT_EQ_U64("the entry point returned", entry, eh->e_entry);
	for (i = 0; i < eh->e_phnum; i++) {
		const uint8_t *at;

		if (ph[i].p_type != PT_LOAD || ph[i].p_filesz == 0)
			continue;
		at = guest_ptr(&vm, ph[i].p_paddr, ph[i].p_filesz);
		ASSERT(at != NULL, "segment %u outside guest memory", i);
		EXPECT_BYTES("a loaded segment's bytes in guest memory", at, ph[i].p_filesz,
			     image.bytes + ph[i].p_offset, ph[i].p_filesz);
	}
	vm_destroy(&vm);
}

/* A copy of the hello ELF with one thing broken by `breakit`. */
struct bad_elf {
	const char *what;           /* what is wrong, in words */
	const char *needle;         /* a word the error message must contain */
	void (*breakit)(uint8_t *elf, size_t *size);
};

static Elf64_Ehdr *ehdr(uint8_t *elf) { return (Elf64_Ehdr *)elf; }
static Elf64_Phdr *phdr0(uint8_t *elf)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(elf + ehdr(elf)->e_phoff);
	unsigned i;

	for (i = 0; i < ehdr(elf)->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			return &ph[i];
	return ph;
}
static void bad_magic(uint8_t *e, size_t *s) { (void)s; e[1] = 'X'; }
static void bad_class(uint8_t *e, size_t *s) { (void)s; e[EI_CLASS] = ELFCLASS32; }
static void bad_machine(uint8_t *e, size_t *s) { (void)s; ehdr(e)->e_machine = EM_RISCV; }
static void truncated(uint8_t *e, size_t *s) { (void)e; *s = 40; }
static void phdrs_past_end(uint8_t *e, size_t *s) { ehdr(e)->e_phoff = *s - 8; }
static void phnum_overflow(uint8_t *e, size_t *s) { (void)s; ehdr(e)->e_phnum = 0xffff; }
static void segment_past_file(uint8_t *e, size_t *s) { phdr0(e)->p_offset = *s - 16; }
static void offset_overflow(uint8_t *e, size_t *s)
{
	(void)s;
	phdr0(e)->p_offset = UINT64_MAX - 8; /* offset + size wraps around */
}
static void segment_outside_ram(uint8_t *e, size_t *s)
{
	(void)s;
	/* linked and loaded where it runs past the end of RAM */
	phdr0(e)->p_vaddr = phdr0(e)->p_paddr = LM_RAM_GPA + LM_RAM_SIZE - 0x100;
}
static void memsz_wraps(uint8_t *e, size_t *s)
{
	(void)s;
	phdr0(e)->p_memsz = UINT64_MAX - 0x1000; /* paddr + memsz wraps */
}
static void filesz_above_memsz(uint8_t *e, size_t *s)
{
	(void)s;
	phdr0(e)->p_memsz = phdr0(e)->p_filesz - 1;
}
static void entry_outside(uint8_t *e, size_t *s) { (void)s; ehdr(e)->e_entry = 0x3000; }
static void vaddr_not_paddr(uint8_t *e, size_t *s)
{
	(void)s;
	phdr0(e)->p_paddr += 0x100000; /* loaded 1 MiB above where it is linked */
}
/* The second PT_LOAD moved onto the first. */
static void segments_overlap(uint8_t *e, size_t *s)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(e + ehdr(e)->e_phoff), *first = NULL;
	unsigned i;

	(void)s;
	for (i = 0; i < ehdr(e)->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (!first) {
			first = &ph[i];
			continue;
		}
		ph[i].p_vaddr = ph[i].p_paddr = first->p_paddr;
		return;
	}
}

static const struct bad_elf bad_elves[] = {
	{ "not an ELF file (bad magic)", "magic", bad_magic },
	{ "a 32-bit ELF", "class", bad_class },
	{ "an ELF for RISC-V", "machine", bad_machine },
	{ "a file cut to 40 bytes", "header", truncated },
	{ "program headers past the end of the file", "program header", phdrs_past_end },
	{ "65535 program headers", "program header", phnum_overflow },
	{ "a segment past the end of the file", "end of the", segment_past_file },
	{ "a segment whose file offset + size overflows", "end of the", offset_overflow },
	{ "a segment outside guest RAM", "guest memory", segment_outside_ram },
	{ "a segment whose address + size overflows", "guest memory", memsz_wraps },
	{ "a segment with more bytes in the file than in memory", "file", filesz_above_memsz },
	{ "an entry point outside the code", "entry", entry_outside },
	{ "a segment loaded 1 MiB from where it is linked", "address", vaddr_not_paddr },
	{ "two segments over the same memory", "overlap", segments_overlap },
};

static void test_malformed_elf_refused(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	uint8_t *copy = malloc(image.size);
	struct vm vm;
	unsigned i;

	ASSERT(copy != NULL, "out of memory");
	new_vm(&vm);
	for (i = 0; i < sizeof(bad_elves) / sizeof(bad_elves[0]); i++) {
		const struct bad_elf *b = &bad_elves[i];
		const uint8_t *ram = guest_ptr(&vm, LM_IMAGE_GPA, 0x1000);
		uint64_t entry = 0;
		size_t size = image.size, j;
		int ret;

		memcpy(copy, image.bytes, image.size);
		b->breakit(copy, &size);
		kit_clear_error();
		ret = lm_load_elf(&vm, copy, size, &entry);
		if (!EXPECT(ret < 0, "%s: lm_load_elf() should fail, but returned %d", b->what, ret))
			continue;
		if (ret == -ENOSYS)
			FAIL("%s: %s", b->what, kit_last_error());
		EXPECT(strstr(kit_last_error(), b->needle) != NULL,
		       "%s: the message should say what is wrong (mention \"%s\"), got \"%s\"",
		       b->what, b->needle, kit_last_error());
		for (j = 0; j < 0x1000; j++)
			if (ram[j] != 0)
				FAIL("%s: a refused image must not change guest memory, but byte "
				     "0x%llx is 0x%02x", b->what,
				     (unsigned long long)(LM_IMAGE_GPA + j), ram[j]);
	}
	free(copy);
	vm_destroy(&vm);
}

static const struct grade_test tests[] = {
	{ "elf_loaded", "an ELF guest is loaded and its entry point returned",
	  2, GRADE_NEEDS_KVM, test_elf_loaded,
	  "Section 2: call elf_load() and pass its entry point back." },
	{ "malformed_elf_refused", "malformed ELF images are refused, saying what is wrong",
	  3, GRADE_NEEDS_KVM, test_malformed_elf_refused,
	  "Section 2: return elf_load()'s error as it is; never load an image it refused." },
};

/* The tests above, then the architecture's own (checks_<arch>.c). */
int main(int argc, char **argv)
{
	return grade_main_parts(argc, argv, "02-c-guests", tests, sizeof(tests) / sizeof(tests[0]),
				arch_tests, arch_ntests);
}
