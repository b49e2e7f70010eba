/* SPDX-License-Identifier: MIT */
/*
 * rom.c - lesson 04, section 6: a ROM, a memory slot the guest may read
 * but not write, and a device on the same range that takes the writes.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mmio.h"

#define LESSON "04-mmio"

int rom_map(struct vm *vm, struct mmio_bus *bus, struct rom *rom, uint64_t gpa,
	    const void *bytes, uint64_t size)
{
	/*
	 * TODO:
	 *  - KVM_CHECK_EXTENSION(KVM_CAP_READONLY_MEM): if 0, -EOPNOTSUPP;
	 *  - vm_add_memory() with KVM_MEM_READONLY; rom->host and rom->size
	 *    from the slot it added; copy the bytes in;
	 *  - rom->dev on the same range: reads copy from rom->host, writes
	 *    are counted in rom->writes (and last_offset, last_len,
	 *    last_value) and change nothing; register it on the bus.
	 */
	(void)vm;
	(void)bus;
	(void)gpa;
	(void)bytes;
	(void)size;
	memset(rom, 0, sizeof(*rom));
	return kit_todo(LESSON, "6. A ROM", "rom_map()");
}
