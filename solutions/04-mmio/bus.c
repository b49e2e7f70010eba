/* SPDX-License-Identifier: MIT */
/*
 * bus.c - lesson 04, sections 2 to 4: the MMIO bus. Devices claim ranges
 * of guest physical addresses; an access goes to the one device that
 * holds all of it, at its offset inside that device, or to nobody.
 */
#include <errno.h>
#include <string.h>

#include "mmio.h"

/* Section 2. Device registers are little-endian: byte 0 is the lowest. */
uint64_t mmio_le_load(const uint8_t *data, uint32_t len)
{
	uint64_t value = 0;
	uint32_t i;

	for (i = 0; i < len && i < 8; i++)
		value |= (uint64_t)data[i] << (8 * i);
	return value;
}

void mmio_le_store(uint8_t *data, uint32_t len, uint64_t value)
{
	uint32_t i;

	for (i = 0; i < len && i < 8; i++)
		data[i] = (uint8_t)(value >> (8 * i));
}

/* The last byte of a range: written so that nothing overflows. */
static uint64_t last_byte(uint64_t base, uint64_t len)
{
	return base + (len - 1);
}

/* Section 2. Ranges are compared by their first and last bytes, so a
 * device that ends at the top of the address space is fine. */
int mmio_bus_register(struct mmio_bus *bus, struct mmio_device *dev)
{
	unsigned i;

	if (dev->len == 0)
		return kit_error(-EINVAL, "device %s at 0x%llx: a range of 0 bytes", dev->name,
				 (unsigned long long)dev->base);
	if (dev->len - 1 > UINT64_MAX - dev->base)
		return kit_error(-EINVAL, "device %s: 0x%llx + 0x%llx runs past the end of the "
				 "address space", dev->name, (unsigned long long)dev->base,
				 (unsigned long long)dev->len);
	for (i = 0; i < bus->ndev; i++) {
		const struct mmio_device *o = bus->dev[i];

		if (dev->base <= last_byte(o->base, o->len) &&
		    o->base <= last_byte(dev->base, dev->len))
			return kit_error(-EEXIST, "device %s [0x%llx-0x%llx] overlaps %s "
					 "[0x%llx-0x%llx]", dev->name,
					 (unsigned long long)dev->base,
					 (unsigned long long)last_byte(dev->base, dev->len), o->name,
					 (unsigned long long)o->base,
					 (unsigned long long)last_byte(o->base, o->len));
	}
	if (bus->ndev == MMIO_MAX_DEVICES)
		return kit_error(-ENOSPC, "device %s: the bus already has %d devices", dev->name,
				 MMIO_MAX_DEVICES);
	bus->dev[bus->ndev++] = dev;
	return 0;
}

/* Section 3. All of the access, inside one device (as kvmtool's
 * mmio_search()): one that runs past a device's last byte is nobody's. */
struct mmio_device *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr, uint32_t len)
{
	unsigned i;

	if (len == 0 || len - 1 > UINT64_MAX - addr)
		return NULL;
	for (i = 0; i < bus->ndev; i++) {
		struct mmio_device *d = bus->dev[i];

		if (addr >= d->base && last_byte(addr, len) <= last_byte(d->base, d->len))
			return d;
	}
	return NULL;
}

/* Section 4. */
int mmio_bus_access(struct mmio_bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write, uint64_t pc)
{
	struct mmio_device *d;
	const char *why;
	uint64_t offset;

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return kit_error(-EINVAL, "an MMIO access of %u bytes at 0x%llx: only 1, 2, 4 "
				 "or 8 can be", len, (unsigned long long)addr);
	d = mmio_bus_find(bus, addr, len);
	if (!d) {
		why = "no device there";
	} else {
		offset = addr - d->base;
		if (!(d->sizes & len))
			why = "a size the device does not take";
		else if (!d->unaligned && offset % len != 0)
			why = "unaligned, and the device takes only aligned accesses";
		else if (is_write)
			return d->write(d, offset, data, len);
		else
			return d->read(d, offset, data, len);
	}

	/* Nobody's: as on a real bus, a read gets all ones and a write goes
	 * nowhere; never silently. */
	bus->unclaimed++;
	if (!is_write)
		memset(data, 0xff, len);
	if (bus->trace)
		fprintf(bus->trace, "unclaimed MMIO %s of %u bytes at 0x%llx (%s%s%s), value 0x%llx, "
			"pc 0x%llx\n", is_write ? "write" : "read", len, (unsigned long long)addr,
			why, d ? ": " : "", d ? d->name : "",
			(unsigned long long)mmio_le_load(data, len), (unsigned long long)pc);
	if (bus->strict)
		return kit_error(-EFAULT, "unclaimed MMIO %s of %u bytes at 0x%llx (%s%s%s), pc "
				 "0x%llx", is_write ? "write" : "read", len,
				 (unsigned long long)addr, why, d ? ": " : "", d ? d->name : "",
				 (unsigned long long)pc);
	return 1;
}
