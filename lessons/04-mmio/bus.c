/* SPDX-License-Identifier: MIT */
/*
 * bus.c - lesson 04, sections 2 to 4: the MMIO bus. Devices claim ranges
 * of guest physical addresses; an access goes to the one device that
 * holds all of it, at its offset inside that device, or to nobody.
 */
#include <errno.h>
#include <string.h>

#include "mmio.h"

#define LESSON "04-mmio"

uint64_t mmio_le_load(const uint8_t *data, uint32_t len)
{
	/*
	 * TODO: the value of `len` bytes (at most 8) of a little-endian
	 * register: data[0] is the lowest byte.
	 */
	(void)data;
	(void)len;
	kit_todo(LESSON, "2. The bus", "mmio_le_load()");
	return 0;
}

void mmio_le_store(uint8_t *data, uint32_t len, uint64_t value)
{
	/*
	 * TODO: the low `len` bytes of `value` into data[0..len), lowest
	 * first; nothing past data[len - 1].
	 */
	(void)data;
	(void)len;
	(void)value;
	kit_todo(LESSON, "2. The bus", "mmio_le_store()");
}

int mmio_bus_register(struct mmio_bus *bus, struct mmio_device *dev)
{
	/*
	 * TODO:
	 *  - refuse len 0, and a range whose last byte would be past
	 *    2^64 - 1 (-EINVAL), without computing base + len;
	 *  - refuse a range that shares a byte with a device already on the
	 *    bus (-EEXIST; the message names both devices and ranges);
	 *  - refuse a 17th device (-ENOSPC); else add it and return 0.
	 */
	(void)bus;
	(void)dev;
	return kit_todo(LESSON, "2. The bus", "mmio_bus_register()");
}

struct mmio_device *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr, uint32_t len)
{
	/*
	 * TODO: the device that holds every byte of [addr, addr + len): an
	 * access that runs past a device's last byte is nobody's. NULL for
	 * len 0 and for a range past 2^64 - 1.
	 */
	(void)bus;
	(void)addr;
	(void)len;
	kit_todo(LESSON, "3. Finding the device", "mmio_bus_find()");
	return NULL;
}

int mmio_bus_access(struct mmio_bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write, uint64_t pc)
{
	/*
	 * TODO:
	 *  - a length other than 1, 2, 4 or 8: -EINVAL, touching nothing;
	 *  - the device that holds it (mmio_bus_find()), if it takes that
	 *    size (dev->sizes) and, unless dev->unaligned, the offset is a
	 *    multiple of the size: its read() or write() at the offset inside
	 *    it, and what that returns;
	 *  - otherwise nobody's: bus->unclaimed++, a read gets all ones
	 *    (0xff in each of its bytes), a write goes nowhere; a line in
	 *    bus->trace if set (read or write, size, address, why, value,
	 *    pc); in strict mode -EFAULT with a message naming the address,
	 *    else 1.
	 */
	(void)bus;
	(void)addr;
	(void)data;
	(void)len;
	(void)is_write;
	(void)pc;
	return kit_todo(LESSON, "4. An access", "mmio_bus_access()");
}
