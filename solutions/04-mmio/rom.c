/* SPDX-License-Identifier: MIT */
/*
 * rom.c - lesson 04, section 6: a ROM. Its bytes are a memory slot the
 * guest may read but not write (KVM_MEM_READONLY): reads are plain
 * memory accesses, with no exit; a write becomes a KVM_EXIT_MMIO write,
 * which a device on the same range takes (kvmtool's CFI flash does the
 * same). The memory is never changed by it.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mmio.h"

static int rom_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	const struct rom *rom = dev->priv;

	/* Reads never exit (the slot answers them), but the bytes are here. */
	memcpy(data, rom->host + offset, len);
	return 0;
}

static int rom_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
		     uint32_t len)
{
	struct rom *rom = dev->priv;

	rom->writes++;
	rom->last_offset = offset;
	rom->last_len = len;
	rom->last_value = mmio_le_load(data, len);
	return 0;
}

int rom_map(struct vm *vm, struct mmio_bus *bus, struct rom *rom, uint64_t gpa,
	    const void *bytes, uint64_t size)
{
	int ret, slot;

	memset(rom, 0, sizeof(*rom));
	ret = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM);
	if (ret < 0)
		return kit_syscall_error("KVM_CHECK_EXTENSION", "KVM_CAP_READONLY_MEM");
	if (ret == 0)
		return kit_error(-EOPNOTSUPP, "this KVM has no read-only memory slots "
				 "(KVM_CAP_READONLY_MEM is 0)");
	slot = vm_add_memory(vm, gpa, size, KVM_MEM_READONLY);
	if (slot < 0)
		return slot;
	rom->host = vm->slots[vm->nslots - 1].host;
	rom->size = vm->slots[vm->nslots - 1].size;
	memcpy(rom->host, bytes, size);

	rom->dev = (struct mmio_device){ .name = "rom", .base = gpa, .len = rom->size,
					 .sizes = MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 |
						  MMIO_SIZE_8,
					 .unaligned = true, .read = rom_read, .write = rom_write,
					 .priv = rom };
	return mmio_bus_register(bus, &rom->dev);
}
