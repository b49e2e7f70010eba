/* SPDX-License-Identifier: MIT */
/*
 * bus.c - a libFuzzer target for lesson 04's MMIO bus (the reference
 * solutions/04-mmio/bus.c): what a guest's accesses and a machine's
 * devices can do to it, with no KVM.
 *
 * Each input is a run of operations: register a device (any base and
 * length, near 0 and near 2^64 included, any sizes mask, aligned or not),
 * take one off the bus, find the device at an address, make an access of
 * 0 to 9 bytes, strict or not, with a trace or without. Beside the bus
 * runs a model of its own: a list of intervals, kept with 65-bit ends so
 * that nothing in it can wrap. After every operation the bus must agree:
 *
 *   - a device is registered iff its length is not 0, it does not run
 *     past 2^64, it shares no byte with one already there and the bus has
 *     room, and the refusals are -EINVAL, -EEXIST and -ENOSPC in that order
 *     of precedence (mmio.h); no two devices on the bus ever share a byte;
 *   - find returns the one device that holds all of [addr, addr + len),
 *     or NULL;
 *   - an access of a length other than 1, 2, 4 or 8 is -EINVAL and
 *     touches nothing; one the model says a device takes calls that
 *     device's read or write exactly once, at offset addr - base, with
 *     the length and the bytes of the access, and returns what the device
 *     returned; any other (nobody there, a size the device does not take,
 *     unaligned for a device that wants alignment) counts as unclaimed: a
 *     read gets all ones, the result is 1, or a negative errno with a
 *     message on a strict bus; and the bytes past the access are never
 *     written.
 *
 * Built with ASan and UBSan, so an out-of-bounds access, an overflow or a
 * bad shift is a crash too.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmio.h"
#include "input.h"

typedef unsigned __int128 u128;

/* The bus holds at most MMIO_MAX_DEVICES; a few more than that can be
 * tried, so that a full bus is reached. */
#define POOL 20
#define MAX_OPS 64

static const char *op_text = "";  /* the operation being checked, for fail() */

static void fail(const char *what)
{
	fprintf(stderr, "fuzz/bus.c: %s\n  at: %s\n", what, op_text);
	abort();
}

static void require(int ok, const char *what)
{
	if (!ok)
		fail(what);
}

/* ---- recording fake devices --------------------------------------------- */

static struct fake {
	struct mmio_device dev;
	bool on_bus;
	int ret;                /* what its read and write return */
	char name[8];
} pool[POOL];

static struct {
	unsigned calls;
	struct mmio_device *dev;
	uint64_t offset;
	uint32_t len;
	bool write;
	uint8_t data[8];
} seen;

/* What a device's register holds: a byte that depends on which device
 * and where in it. */
static uint8_t reg_byte(const struct mmio_device *dev, uint64_t offset)
{
	return (uint8_t)(((struct fake *)dev->priv - pool) * 7 + offset * 0x3b + 0x11);
}

/* kit_last_error() says this when nothing was recorded. */
static bool has_message(void)
{
	return strcmp(kit_last_error(), "(no error message recorded)") != 0 &&
	       kit_last_error()[0] != '\0';
}

static void record(struct mmio_device *dev, uint64_t offset, uint32_t len, bool write)
{
	require(len >= 1 && len <= 8, "a device was called with a length that is not 1-8");
	require(offset < dev->len && len <= dev->len - offset,
		"a device was called for bytes outside it");
	seen.calls++;
	seen.dev = dev;
	seen.offset = offset;
	seen.len = len;
	seen.write = write;
}

static int fake_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	uint32_t i;

	record(dev, offset, len, false);
	for (i = 0; i < len; i++)
		data[i] = reg_byte(dev, offset + i);
	return ((struct fake *)dev->priv)->ret;
}

static int fake_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data, uint32_t len)
{
	record(dev, offset, len, true);
	memcpy(seen.data, data, len);
	return ((struct fake *)dev->priv)->ret;
}

/* ---- the model ------------------------------------------------------------ */

static struct {
	struct mmio_device *dev[MMIO_MAX_DEVICES];
	unsigned n;
} model;

static u128 end_of(uint64_t base, uint64_t len)
{
	return (u128)base + len;
}

/* Do [a, a + alen) and [b, b + blen) share a byte? (Both non-empty.) */
static bool share(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < end_of(b, blen) && b < end_of(a, alen);
}

static int model_register(const struct mmio_device *d)
{
	unsigned i;

	if (d->len == 0 || end_of(d->base, d->len) > ((u128)1 << 64))
		return -EINVAL;
	for (i = 0; i < model.n; i++)
		if (share(d->base, d->len, model.dev[i]->base, model.dev[i]->len))
			return -EEXIST;
	return model.n == MMIO_MAX_DEVICES ? -ENOSPC : 0;
}

static struct mmio_device *model_find(uint64_t addr, uint32_t len)
{
	unsigned i;

	if (len == 0 || end_of(addr, len) > ((u128)1 << 64))
		return NULL;
	for (i = 0; i < model.n; i++) {
		const struct mmio_device *d = model.dev[i];

		if (addr >= d->base && end_of(addr, len) <= end_of(d->base, d->len))
			return model.dev[i];
	}
	return NULL;
}

/* The bus holds exactly the model's devices, in the same slots, and no
 * two of them share a byte. */
static void check_bus(const struct mmio_bus *bus)
{
	unsigned i, j;

	require(bus->ndev == model.n, "the bus has another number of devices than the model");
	for (i = 0; i < bus->ndev; i++) {
		require(bus->dev[i] == model.dev[i], "the bus holds another device than the model");
		for (j = 0; j < i; j++)
			require(!share(bus->dev[i]->base, bus->dev[i]->len, bus->dev[j]->base,
				       bus->dev[j]->len), "two devices on the bus share a byte");
	}
}

/* ---- the input ------------------------------------------------------------ */

/* struct input and take(): fuzz/input.h. */

/* An address: near 0, near 2^64, near a registered device's edges, or
 * any 64 bits. */
static uint64_t pick_addr(struct input *in)
{
	unsigned sel = (unsigned)take(in, 1);
	int64_t delta = (int8_t)take(in, 1);
	const struct mmio_device *d;

	switch (sel % 6) {
	case 0: return (uint64_t)delta & 0xff;
	case 1: return UINT64_MAX - ((uint64_t)delta & 0xff);
	case 2:
	case 3:
		if (model.n == 0)
			return 0x10000000 + (uint64_t)delta;
		d = model.dev[(sel >> 3) % model.n];
		return (sel % 6 == 2 ? d->base : d->base + d->len) + (uint64_t)delta;
	case 4: return 0x10000000 + (take(in, 2) << 4) + (uint64_t)delta;
	default: return take(in, 8);
	}
}

/* A device's length: small, 0, the rest of the address space, or any. */
static uint64_t pick_len(struct input *in, uint64_t base)
{
	unsigned sel = (unsigned)take(in, 1);

	switch (sel % 6) {
	case 0: return sel >> 3;                     /* 0-31 */
	case 1: return 0x10 << (sel >> 3 & 7);
	case 2: return (uint64_t)0 - base;           /* to 2^64 exactly (0 for base 0) */
	case 3: return (uint64_t)0 - base + 1 - (sel >> 5);  /* one byte past, or at */
	case 4: return take(in, 2);
	default: return take(in, 8);
	}
}

/* ---- the operations --------------------------------------------------------- */

static void op_register(struct mmio_bus *bus, struct input *in)
{
	struct fake *f = NULL;
	unsigned i, flags;
	int want, got;

	for (i = 0; i < POOL && !f; i++)
		if (!pool[i].on_bus)
			f = &pool[i];
	if (!f)
		return;
	f->dev.base = pick_addr(in);
	f->dev.len = pick_len(in, f->dev.base);
	flags = (unsigned)take(in, 1);
	f->dev.sizes = flags & 0xf;
	f->dev.unaligned = flags & 0x10;
	f->ret = flags & 0x20 ? -EIO : 0;
	want = model_register(&f->dev);
	kit_clear_error();
	got = mmio_bus_register(bus, &f->dev);
	if (got != want) {
		fprintf(stderr, "register [0x%llx, +0x%llx): %d, the model says %d\n",
			(unsigned long long)f->dev.base, (unsigned long long)f->dev.len, got, want);
		fail("mmio_bus_register's result is not the model's");
	}
	if (got < 0) {
		require(has_message(), "a refused registration left no message");
		return;
	}
	f->on_bus = true;
	model.dev[model.n++] = &f->dev;
}

/* The kit's bus has no unregister function: a machine that took a device
 * away would move the last entry into its place and drop the count, which
 * is what this models (the bus must go on working after it). */
static void op_unregister(struct mmio_bus *bus, struct input *in)
{
	unsigned i = (unsigned)take(in, 1);
	struct fake *f;

	if (model.n == 0)
		return;
	i %= model.n;
	f = bus->dev[i]->priv;
	f->on_bus = false;
	bus->dev[i] = bus->dev[--bus->ndev];
	model.dev[i] = model.dev[--model.n];
}

static void op_find(struct mmio_bus *bus, struct input *in)
{
	uint64_t addr = pick_addr(in);
	unsigned sel = (unsigned)take(in, 1);
	uint32_t len = sel < 0xf0 ? sel % 10 : (uint32_t)take(in, 4);

	if (mmio_bus_find(bus, addr, len) != model_find(addr, len)) {
		fprintf(stderr, "find 0x%llx, %u bytes\n", (unsigned long long)addr, len);
		fail("mmio_bus_find is not the device the model says holds it all");
	}
}

static void op_access(struct mmio_bus *bus, struct input *in)
{
	uint64_t addr = pick_addr(in), pc = take(in, 1);
	unsigned flags = (unsigned)take(in, 1);
	uint32_t len = flags % 10, i;
	bool write = flags & 0x10;
	unsigned long unclaimed = bus->unclaimed;
	struct mmio_device *d;
	uint8_t data[16], before[16];
	int ret;

	bus->strict = flags & 0x20;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)take(in, 1) ^ 0xa5;
	memcpy(before, data, sizeof(data));
	memset(&seen, 0, sizeof(seen));
	kit_clear_error();
	ret = mmio_bus_access(bus, addr, data, len, write, pc);
	if (len != 1 && len != 2 && len != 4 && len != 8) {
		require(ret == -EINVAL, "an access of a bad length is not -EINVAL");
		require(seen.calls == 0 && bus->unclaimed == unclaimed &&
			memcmp(data, before, sizeof(data)) == 0,
			"an access of a bad length did something");
		return;
	}
	require(memcmp(data + len, before + len, sizeof(data) - len) == 0,
		"the bus wrote past the bytes of the access");
	d = model_find(addr, len);
	if (d && (d->sizes & len) && (d->unaligned || (addr - d->base) % len == 0)) {
		require(seen.calls == 1 && seen.dev == d,
			"a claimed access did not reach its device exactly once");
		require(seen.offset == addr - d->base && seen.len == len && seen.write == write,
			"the device got another offset, length or direction");
		require(ret == ((struct fake *)d->priv)->ret, "the device's result was not returned");
		require(bus->unclaimed == unclaimed, "a claimed access was counted as unclaimed");
		if (write)
			require(memcmp(seen.data, before, len) == 0,
				"the device was given other bytes than the guest's");
		for (i = 0; i < len && !write; i++)
			require(data[i] == reg_byte(d, addr - d->base + i),
				"a read did not return the device's bytes");
		return;
	}
	require(seen.calls == 0, "a device was called for an access it does not take");
	require(bus->unclaimed == unclaimed + 1, "an unclaimed access was not counted once");
	for (i = 0; i < len; i++)
		require(data[i] == (write ? before[i] : 0xff),
			"an unclaimed read is not all ones, or a write's bytes changed");
	if (bus->strict)
		require(ret < 0 && has_message(),
			"an unclaimed access on a strict bus is not an error with a message");
	else
		require(ret == 1, "an unclaimed access on a bus that is not strict is not 1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct input in = { data, size };
	struct mmio_bus bus;
	unsigned i, op, nops = 0;
	char text[32];

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memset(pool, 0, sizeof(pool));
	memset(&model, 0, sizeof(model));
	for (i = 0; i < POOL; i++) {
		snprintf(pool[i].name, sizeof(pool[i].name), "dev%u", i);
		pool[i].dev = (struct mmio_device){ .name = pool[i].name, .read = fake_read,
						    .write = fake_write, .priv = &pool[i] };
	}
	mmio_bus_init(&bus, false, NULL);
	while (in.left && nops++ < MAX_OPS) {
		op = (unsigned)take(&in, 1);
		snprintf(text, sizeof(text), "operation %u (%u)", nops, op % 8);
		op_text = text;
		switch (op % 8) {
		case 0: case 1: op_register(&bus, &in); break;
		case 2: op_unregister(&bus, &in); break;
		case 3: op_find(&bus, &in); break;
		case 4: case 5: case 6: op_access(&bus, &in); break;
		default: bus.trace = bus.trace ? NULL : devnull; break;
		}
		check_bus(&bus);
	}
	return 0;
}
