/* SPDX-License-Identifier: MIT */
/* load.c - lesson 02, section 2: an ELF guest into guest memory. */
#include "c_guests.h"

int lm_load_elf(struct vm *vm, const void *image, size_t size, uint64_t *entry)
{
	struct elf_info info;
	int ret;

	/* elf_load() checks the whole image before it copies a byte. */
	ret = elf_load(vm, image, size, &info);
	if (ret < 0)
		return ret; /* its message says what is wrong with the image */
	*entry = info.entry;
	return 0;
}
