/* SPDX-License-Identifier: MIT */
/*
 * checks_hidden.c - lesson 04's hidden checks (instructors only; see
 * hidden/README.md). The bus alone, with a device of their own.
 */
#include <string.h>

#include "mmio.h"
#include "grade/grade.h"

/* A device that remembers the last access it took. */
struct recorder {
	struct mmio_device dev;
	unsigned calls;
	uint64_t offset;
	uint32_t len;
};

static int recorder_access(struct mmio_device *dev, uint64_t offset, uint32_t len)
{
	struct recorder *r = dev->priv;

	r->calls++;
	r->offset = offset;
	r->len = len;
	return 0;
}

static int recorder_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	memset(data, 0x5a, len);
	return recorder_access(dev, offset, len);
}

static int recorder_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
			  uint32_t len)
{
	(void)data;
	return recorder_access(dev, offset, len);
}

/*
 * Section 4: "an access must start at a multiple of its size" counts in
 * the device's offsets, addr - base. The lesson's devices all start on a
 * page, where an address and an offset are multiples of the same sizes,
 * so code that tests addr % len passes its checks. Here the device starts
 * at 0x3002: offset 4 (address 0x3006) is aligned for 4 bytes, and
 * address 0x3004 (offset 2) is not.
 */
static void test_odd_base_alignment(void)
{
	static const struct {
		uint64_t addr;
		uint32_t len;
		bool taken;
		uint64_t offset;
		const char *what;
	} cases[] = {
		{ 0x3006, 4, true, 4, "4 bytes at offset 4 (address 0x3006)" },
		{ 0x3004, 4, false, 0, "4 bytes at offset 2 (address 0x3004, a multiple of 4)" },
		{ 0x3004, 2, true, 2, "2 bytes at offset 2" },
		{ 0x3003, 2, false, 0, "2 bytes at offset 1 (address 0x3003)" },
		{ 0x3002, 4, true, 0, "4 bytes at offset 0 (address 0x3002)" },
		{ 0x300e, 4, true, 12, "4 bytes at offset 12, the device's last 4" },
		{ 0x3008, 4, false, 0, "4 bytes at offset 6 (address 0x3008, a multiple of 8)" },
	};
	struct recorder rec = { 0 };
	struct mmio_bus bus;
	uint8_t data[8];
	unsigned i, calls;
	int ret;

	rec.dev = (struct mmio_device){
		.name = "odd", .base = 0x3002, .len = 0x10, .sizes = MMIO_SIZE_2 | MMIO_SIZE_4,
		.unaligned = false, .read = recorder_read, .write = recorder_write, .priv = &rec,
	};
	mmio_bus_init(&bus, false, NULL);
	ret = mmio_bus_register(&bus, &rec.dev);
	ASSERT(ret == 0, "mmio_bus_register(odd at 0x3002, 16 bytes) returned %d: %s", ret,
	       kit_last_error());
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		calls = rec.calls;
		memset(data, 0, sizeof(data));
		ret = mmio_bus_access(&bus, cases[i].addr, data, cases[i].len, false, 0);
		if (cases[i].taken) {
			EXPECT(ret == 0 && rec.calls == calls + 1 && rec.offset == cases[i].offset &&
			       rec.len == cases[i].len,
			       "a read of %s of a device at 0x3002 that takes aligned 2 and 4 "
			       "bytes: it should reach the device at offset %llu (returned %d, "
			       "device called %u times, last at offset %llu). Alignment is of the "
			       "offset, addr - base, not of the address", cases[i].what,
			       (unsigned long long)cases[i].offset, ret, rec.calls - calls,
			       (unsigned long long)rec.offset);
		} else {
			EXPECT(ret == 1 && rec.calls == calls,
			       "a read of %s of a device at 0x3002 that takes only aligned "
			       "accesses: it is unaligned, so unclaimed (1, the device not called); "
			       "returned %d, device called %u times", cases[i].what, ret,
			       rec.calls - calls);
			if (ret == 1)
				EXPECT_BYTES("what the unclaimed read got (all ones)", data,
					     cases[i].len, "\xff\xff\xff\xff", cases[i].len);
		}
	}
}

const struct grade_test hidden_tests[] = {
	{ "odd_base_alignment", "alignment is of the offset in a device that starts off a multiple",
	  2, GRADE_NEEDS_NOTHING, test_odd_base_alignment,
	  "Section 4: offset = addr - dev->base; unless dev->unaligned, refuse offset % len "
	  "!= 0 (not addr % len: a device need not start on a multiple of 8)." },
};

const size_t hidden_ntests = sizeof(hidden_tests) / sizeof(hidden_tests[0]);
