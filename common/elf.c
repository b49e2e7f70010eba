/* SPDX-License-Identifier: MIT */
/*
 * elf.c - load an ELF64 guest image into guest memory, after checking
 * every field the loader relies on.
 *
 * A guest image is input from outside the host: it may be truncated,
 * corrupt or hostile. Each check below names what is wrong, so that
 * "exec format error" never has to be guessed at. Field meanings are from
 * the System V ABI (gABI), chapter 4 "Object Files" and chapter 5
 * "Program Loading".
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "kit.h"
#include "arch/arch.h"

static const char *machine_name(unsigned machine)
{
	switch (machine) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86_64";
	case EM_ARM: return "32-bit ARM";
	case EM_AARCH64: return "AArch64";
	case EM_RISCV: return "RISC-V";
	default: return "another architecture";
	}
}

/* Is [offset, offset + len) inside a file of `size` bytes? Overflow-safe. */
static bool in_file(uint64_t offset, uint64_t len, size_t size)
{
	return offset <= size && len <= size - offset;
}

/* Program header i, copied out of the image: the image may sit at any
 * address (a buffer need not be aligned for Elf64_Phdr), so it is read
 * byte by byte, never through a cast pointer. */
static Elf64_Phdr phdr(const uint8_t *bytes, const Elf64_Ehdr *eh, unsigned i)
{
	Elf64_Phdr p;

	memcpy(&p, bytes + eh->e_phoff + (uint64_t)i * sizeof(p), sizeof(p));
	return p;
}

int elf_load(struct vm *vm, const void *image, size_t size, struct elf_info *info)
{
	const uint8_t *bytes = image;
	Elf64_Ehdr header;
	const Elf64_Ehdr *eh = &header;
	bool entry_ok = false;
	unsigned i, j, loaded = 0;

	memset(info, 0, sizeof(*info));
	if (!image || size < sizeof(Elf64_Ehdr))
		return kit_error(-ENOEXEC, "ELF: the image is %zu bytes, smaller than an ELF "
				 "header (%zu bytes)", size, sizeof(Elf64_Ehdr));
	memcpy(&header, image, sizeof(header));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return kit_error(-ENOEXEC, "ELF: bad magic %02x %02x %02x %02x (expected 7f 45 4c "
				 "46, \"\\177ELF\"): this is not an ELF file",
				 bytes[0], bytes[1], bytes[2], bytes[3]);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return kit_error(-ENOEXEC, "ELF: class %u is not ELFCLASS64 (2): a 32-bit "
				 "image? Build the guest for 64 bits", eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return kit_error(-ENOEXEC, "ELF: data encoding %u is not little-endian (1)",
				 eh->e_ident[EI_DATA]);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return kit_error(-ENOEXEC, "ELF: version %u (header) / %u (file) is not "
				 "EV_CURRENT (1)", eh->e_ident[EI_VERSION], eh->e_version);
	if (eh->e_machine != arch_elf_machine)
		return kit_error(-ENOEXEC, "ELF: machine %u (%s) is not this host's (%u, %s)",
				 eh->e_machine, machine_name(eh->e_machine),
				 arch_elf_machine, machine_name(arch_elf_machine));
	if (eh->e_type != ET_EXEC)
		return kit_error(-ENOEXEC, "ELF: type %u is not ET_EXEC (2): link the guest as a "
				 "static executable at a fixed address (no -pie, no -r)", eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return kit_error(-ENOEXEC, "ELF: program header size %u, expected %zu",
				 eh->e_phentsize, sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0)
		return kit_error(-ENOEXEC, "ELF: no program headers: nothing to load");
	if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size))
		return kit_error(-ENOEXEC, "ELF: the %u program headers at offset 0x%llx run past "
				 "the end of the %zu-byte file", eh->e_phnum,
				 (unsigned long long)eh->e_phoff, size);
	if (eh->e_phoff % _Alignof(Elf64_Phdr))
		return kit_error(-ENOEXEC, "ELF: program headers at misaligned offset 0x%llx",
				 (unsigned long long)eh->e_phoff);

	/* First check every segment, then copy: a bad image changes nothing. */
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr this = phdr(bytes, eh, i), *p = &this;

		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz)
			return kit_error(-ENOEXEC, "ELF: segment %u has more bytes in the file "
					 "(0x%llx) than in memory (0x%llx)", i,
					 (unsigned long long)p->p_filesz,
					 (unsigned long long)p->p_memsz);
		if (!in_file(p->p_offset, p->p_filesz, size))
			return kit_error(-ENOEXEC, "ELF: segment %u's 0x%llx bytes at file offset "
					 "0x%llx run past the end of the %zu-byte file", i,
					 (unsigned long long)p->p_filesz,
					 (unsigned long long)p->p_offset, size);
		if (p->p_memsz == 0)
			continue;
		/* The kit's guests run identity-mapped (or with no MMU): a
		 * segment linked at one address and loaded at another would run
		 * code that is not where it thinks it is. */
		if (p->p_vaddr != p->p_paddr)
			return kit_error(-ENOEXEC, "ELF: segment %u is linked at virtual address "
					 "0x%llx but loads at physical address 0x%llx; the kit's "
					 "guests need the two equal", i,
					 (unsigned long long)p->p_vaddr,
					 (unsigned long long)p->p_paddr);
		if (++loaded > ELF_MAX_SEGMENTS)
			return kit_error(-ENOEXEC, "ELF: more than %d loadable segments",
					 ELF_MAX_SEGMENTS);
		/* Loaded at its physical address; guest_ptr checks the range. */
		if (!guest_ptr(vm, p->p_paddr, p->p_memsz))
			return kit_error(-ENOEXEC, "ELF: segment %u [0x%llx, +0x%llx) is not inside "
					 "guest memory (%s). Was the guest linked for another "
					 "address than the host's memory layout?", i,
					 (unsigned long long)p->p_paddr,
					 (unsigned long long)p->p_memsz, kit_last_error());
		/* The entry point must be in an executable, loaded segment. */
		if ((p->p_flags & PF_X) && eh->e_entry >= p->p_vaddr &&
		    eh->e_entry - p->p_vaddr < p->p_memsz)
			entry_ok = true;
		/* No two segments may share a byte: a later one would overwrite
		 * an earlier one (its .bss zeroing the code, say). */
		for (j = 0; j < i; j++) {
			const Elf64_Phdr other = phdr(bytes, eh, j), *q = &other;

			if (q->p_type != PT_LOAD || q->p_memsz == 0)
				continue;
			if (p->p_paddr < q->p_paddr + q->p_memsz &&
			    q->p_paddr < p->p_paddr + p->p_memsz)
				return kit_error(-ENOEXEC, "ELF: segments %u and %u overlap at "
						 "0x%llx", j, i, (unsigned long long)
						 (p->p_paddr > q->p_paddr ? p->p_paddr : q->p_paddr));
		}
	}
	if (loaded == 0)
		return kit_error(-ENOEXEC, "ELF: no loadable (PT_LOAD) segment");
	if (!entry_ok)
		return kit_error(-ENOEXEC, "ELF: the entry point 0x%llx is not inside an "
				 "executable loaded segment", (unsigned long long)eh->e_entry);

	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr this = phdr(bytes, eh, i), *p = &this;
		uint8_t *dst;

		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		dst = guest_ptr(vm, p->p_paddr, p->p_memsz);
		memcpy(dst, bytes + p->p_offset, p->p_filesz);
		memset(dst + p->p_filesz, 0, p->p_memsz - p->p_filesz); /* .bss */
		if (info->nsegments < ELF_MAX_SEGMENTS) {
			info->segments[info->nsegments].gpa = p->p_paddr;
			info->segments[info->nsegments].size = p->p_memsz;
			info->segments[info->nsegments].flags = p->p_flags;
			info->nsegments++;
		}
	}
	info->entry = eh->e_entry;
	return 0;
}
