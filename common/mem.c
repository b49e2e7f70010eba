/* SPDX-License-Identifier: MIT */
/*
 * mem.c - guest memory, reached only through a checked translation.
 *
 * guest_ptr() turns a guest physical range into a host pointer, or refuses
 * it: any byte outside the VM's memory slots, a range that runs past the
 * end of a slot, a range of 0 bytes. Nothing here makes a system call, so
 * every layer above (the architecture back ends' page walks, the ELF
 * loader, the hypercall handlers) can use it without depending on how the
 * slots were made (vm.c).
 */
#include <errno.h>
#include <string.h>

#include "kit.h"

void *guest_ptr(struct vm *vm, uint64_t gpa, uint64_t size)
{
	const struct mem_slot *slot;
	uint64_t offset;
	unsigned i;

	if (size == 0) {
		kit_error(-EFAULT, "guest_ptr: a 0-byte range at 0x%llx", (unsigned long long)gpa);
		return NULL;
	}
	for (i = 0; i < vm->nslots; i++) {
		slot = &vm->slots[i];
		if (gpa < slot->gpa)
			continue;
		offset = gpa - slot->gpa;
		if (offset >= slot->size)
			continue;
		/* Written so that nothing can overflow: size <= bytes left. */
		if (size > slot->size - offset) {
			kit_error(-EFAULT,
				"guest range [0x%llx, +0x%llx) runs past the end of guest "
				"memory slot %u at [0x%llx, 0x%llx)",
				(unsigned long long)gpa, (unsigned long long)size, slot->slot,
				(unsigned long long)slot->gpa,
				(unsigned long long)(slot->gpa + slot->size));
			return NULL;
		}
		return slot->host + offset;
	}
	kit_error(-EFAULT, "guest address 0x%llx is not in guest memory (%u slot%s)",
		  (unsigned long long)gpa, vm->nslots, vm->nslots == 1 ? "" : "s");
	return NULL;
}

int guest_write(struct vm *vm, uint64_t gpa, const void *src, size_t len)
{
	void *dst;

	if (len == 0)
		return 0;
	dst = guest_ptr(vm, gpa, len);
	if (!dst)
		return -EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int guest_read(struct vm *vm, uint64_t gpa, void *dst, size_t len)
{
	const void *src;

	if (len == 0)
		return 0;
	src = guest_ptr(vm, gpa, len);
	if (!src)
		return -EFAULT;
	memcpy(dst, src, len);
	return 0;
}
