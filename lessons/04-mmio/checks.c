/* SPDX-License-Identifier: MIT */
/*
 * checks.c - lesson 04's graded checks (given; read, do not change). The
 * bus is checked as plain functions first, with devices of the checks'
 * own that record what reaches them; then real guests drive your devices
 * through real exits, and the checks look at what the guest read back,
 * what the devices received, and how many exits it took.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "machine.h"
#include "grade/grade.h"
#include "layout.h"
#include "arch/arch.h"
#if defined(__aarch64__)
#include "arch/arm64.h"
#endif

GUEST_IMAGE_DECLARE(devices);
GUEST_IMAGE_DECLARE(flood);
GUEST_IMAGE_DECLARE(burst);
GUEST_IMAGE_DECLARE(ordering);
GUEST_IMAGE_DECLARE(doorbell);
GUEST_IMAGE_DECLARE(unclaimed);
GUEST_IMAGE_DECLARE(rom_reader);
GUEST_IMAGE_DECLARE(storm);

#define ALL_SIZES (MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 | MMIO_SIZE_8)

/* ---- a device of the checks' own: it records the last access -------- */

struct probe {
	struct mmio_device dev;
	unsigned calls;
	uint64_t offset;
	uint32_t len;
	bool is_write;
	uint8_t data[8];
	unsigned long uart_sent_then;   /* the UART's count at each write */
	struct uart16550 *uart;
	unsigned long seen[4];
	unsigned nseen;
};

static int probe_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	struct probe *p = dev->priv;
	uint32_t i;

	p->calls++;
	p->offset = offset, p->len = len, p->is_write = false;
	for (i = 0; i < len; i++)
		data[i] = (uint8_t)(0x10 + i); /* bytes 10 11 12 ...: 0x...131211 10 */
	return 0;
}

static int probe_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
		       uint32_t len)
{
	struct probe *p = dev->priv;

	p->calls++;
	p->offset = offset, p->len = len, p->is_write = true;
	memcpy(p->data, data, len < 8 ? len : 8);
	if (p->uart && p->nseen < 4)
		p->seen[p->nseen++] = p->uart->sent;
	return 0;
}

static void probe_init(struct probe *p, const char *name, uint64_t base, uint64_t len,
		       unsigned sizes, bool unaligned)
{
	memset(p, 0, sizeof(*p));
	p->dev = (struct mmio_device){ .name = name, .base = base, .len = len, .sizes = sizes,
				       .unaligned = unaligned, .read = probe_read,
				       .write = probe_write, .priv = p };
}

/* ---- 2. The bus: little-endian registers, and the table ------------- */

static void test_le_bytes(void)
{
	static const uint8_t bytes[8] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
	static const uint64_t want[9] = { 0, 0x88, 0x7788, 0, 0x55667788, 0, 0, 0,
					  0x1122334455667788ULL };
	uint8_t buf[10];
	uint32_t len;

	for (len = 1; len <= 8; len *= 2) {
		char what[64];

		snprintf(what, sizeof(what), "mmio_le_load() of %u bytes 88 77 66 ...", len);
		EXPECT_EQ_U64(what, mmio_le_load(bytes, len), want[len]);
		memset(buf, 0xee, sizeof(buf));
		mmio_le_store(buf + 1, len, 0x1122334455667788ULL);
		snprintf(what, sizeof(what), "mmio_le_store() of %u bytes", len);
		EXPECT_BYTES(what, buf + 1, len, bytes, len);
		EXPECT(buf[0] == 0xee && buf[1 + len] == 0xee,
		       "mmio_le_store() of %u bytes wrote outside them (before: 0x%02x, after: "
		       "0x%02x)", len, buf[0], buf[1 + len]);
	}
	/* A register is at most 8 bytes: a longer length takes 8. */
	{
		uint8_t big[16];

		memset(big, 0xee, sizeof(big));
		memcpy(big, bytes, 8);
		EXPECT_EQ_U64("mmio_le_load() of 16 bytes (8 of them count)", mmio_le_load(big, 16),
			      want[8]);
		memset(big, 0xee, sizeof(big));
		mmio_le_store(big, 16, 0x1122334455667788ULL);
		EXPECT(memcmp(big, bytes, 8) == 0 && big[8] == 0xee, "mmio_le_store() of 16 bytes "
		       "should write 8 and not the 9th (0x%02x)", big[8]);
	}
}

static void test_bus_register(void)
{
	static const struct {
		uint64_t base, len;
		int want;
		const char *what;
	} cases[] = {
		{ 0x1000, 0x100, 0, "a first device" },
		{ 0x1100, 0x100, 0, "a device just after it (adjacent ranges are fine)" },
		{ 0x0f00, 0x100, 0, "a device just before it" },
		{ 0x10ff, 0x2, -EEXIST, "a range over the first device's last byte" },
		{ 0x0fff, 0x2, -EEXIST, "a range over the lower device's last and the first's first byte" },
		{ 0x1050, 0x10, -EEXIST, "a range inside the first device" },
		{ 0x0800, 0x1000, -EEXIST, "a range over all three" },
		{ 0x11ff, 1, -EEXIST, "one byte, the second device's last" },
		{ 0x2000, 0, -EINVAL, "0 bytes" },
		{ 0xfffffffffffff000ULL, 0x1001, -EINVAL, "a range past 2^64 - 1" },
		{ 0xfffffffffffff000ULL, UINT64_MAX, -EINVAL, "a length of 2^64 - 1" },
		{ 0xfffffffffffff000ULL, 0x1000, 0, "a device that ends at the very top" },
		{ 0xffffffffffffffffULL, 1, -EEXIST, "the top byte, already taken" },
		{ 0, 0, -EINVAL, "0 bytes at address 0" },
		{ 0x3000, 0x100, 0, "a device at 0x3000" },
		{ 0x2f00, 0x101, -EEXIST, "a range whose last byte is that device's first" },
		{ 0x100000000ULL, 0x100001000ULL, 0, "a device of 4 GiB + 4 KiB" },
		{ 0x200000800ULL, 0x10, -EEXIST, "a range inside it, 4 GiB past its start" },
	};
	struct probe p[sizeof(cases) / sizeof(cases[0])], more[MMIO_MAX_DEVICES];
	struct mmio_bus bus;
	unsigned i, n = 0;
	int ret;

	mmio_bus_init(&bus, true, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		probe_init(&p[i], "probe", cases[i].base, cases[i].len, ALL_SIZES, true);
		kit_clear_error();
		ret = mmio_bus_register(&bus, &p[i].dev);
		if (!EXPECT(ret == cases[i].want, "%s (0x%llx, 0x%llx bytes): "
			    "mmio_bus_register() should return %d, not %d (%s)", cases[i].what,
			    (unsigned long long)cases[i].base, (unsigned long long)cases[i].len,
			    cases[i].want, ret, kit_last_error()))
			continue;
		n += ret == 0;
		if (ret == -EEXIST)
			EXPECT(strstr(kit_last_error(), "0x") &&
			       strstr(kit_last_error(), "0x") != strrchr(kit_last_error(), 'x') - 1,
			       "%s: the message should name both ranges, got \"%s\"", cases[i].what,
			       kit_last_error());
	}
	EXPECT_EQ_U64("devices on the bus after the table", bus.ndev, n);

	/* Full: the 17th is refused. */
	mmio_bus_init(&bus, true, NULL);
	for (i = 0; i < MMIO_MAX_DEVICES; i++) {
		probe_init(&more[i], "probe", 0x100000 + 0x1000 * i, 0x1000, ALL_SIZES, true);
		ASSERT(mmio_bus_register(&bus, &more[i].dev) == 0, "device %u: %s", i,
		       kit_last_error());
	}
	probe_init(&p[0], "one too many", 0x900000, 0x10, ALL_SIZES, true);
	EXPECT_EQ_INT("mmio_bus_register() of a 17th device", mmio_bus_register(&bus, &p[0].dev),
		      -ENOSPC);
}

/* ---- 3. Finding the device ------------------------------------------ */

static void test_bus_find(void)
{
	static const struct {
		uint64_t addr;
		uint32_t len;
		int who;   /* 0 a, 1 b, 2 top, -1 nobody */
		const char *what;
	} cases[] = {
		{ 0x1000, 1, 0, "a's first byte" },
		{ 0x10ff, 1, 0, "a's last byte" },
		{ 0x10f8, 8, 0, "8 bytes that end at a's last byte" },
		{ 0x10fc, 8, -1, "8 bytes over a's end and into b" },
		{ 0x10ff, 2, -1, "2 bytes over a's end" },
		{ 0x1100, 4, 1, "b's first 4 bytes" },
		{ 0x11fe, 4, -1, "4 bytes over b's end, into nothing" },
		{ 0x0fff, 2, -1, "2 bytes from before a into a" },
		{ 0x0fff, 1, -1, "the byte before a" },
		{ 0x1200, 1, -1, "the byte after b" },
		{ 0x1000, 0, -1, "0 bytes at a" },
		{ 0xfffffffffffffff8ULL, 8, 2, "the top 8 bytes" },
		{ 0xffffffffffffffffULL, 1, 2, "the very last byte of the address space" },
		{ 0xfffffffffffffffcULL, 8, -1, "8 bytes that wrap past 2^64" },
	};
	struct probe a, b, top;
	struct mmio_device *want[3] = { &a.dev, &b.dev, &top.dev }, *got;
	struct mmio_bus bus;
	unsigned i;

	mmio_bus_init(&bus, true, NULL);
	probe_init(&a, "a", 0x1000, 0x100, ALL_SIZES, true);
	probe_init(&b, "b", 0x1100, 0x100, ALL_SIZES, true);
	probe_init(&top, "top", 0xfffffffffffff000ULL, 0x1000, ALL_SIZES, true);
	ASSERT(mmio_bus_register(&bus, &b.dev) == 0 && mmio_bus_register(&bus, &a.dev) == 0 &&
	       mmio_bus_register(&bus, &top.dev) == 0, "%s", kit_last_error());
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = mmio_bus_find(&bus, cases[i].addr, cases[i].len);
		EXPECT(got == (cases[i].who < 0 ? NULL : want[cases[i].who]),
		       "mmio_bus_find(0x%llx, %u), %s: expected %s, got %s",
		       (unsigned long long)cases[i].addr, cases[i].len, cases[i].what,
		       cases[i].who < 0 ? "nobody (NULL)" : want[cases[i].who]->name,
		       got ? got->name : "nobody (NULL)");
	}
}

/* ---- 4. An access ----------------------------------------------------- */

static void test_bus_access(void)
{
	struct probe any, wide, strict_dev;
	struct mmio_bus bus;
	uint8_t data[16];
	char *trace = NULL;
	size_t trace_len = 0;
	FILE *t = open_memstream(&trace, &trace_len);
	int ret;

	ASSERT(t != NULL, "open_memstream");
	mmio_bus_init(&bus, false, t);
	probe_init(&any, "any", 0x1000, 0x100, ALL_SIZES, true);
	probe_init(&wide, "wide", 0x2000, 0x100, MMIO_SIZE_4 | MMIO_SIZE_8, false);
	ASSERT(mmio_bus_register(&bus, &any.dev) == 0 && mmio_bus_register(&bus, &wide.dev) == 0,
	       "%s", kit_last_error());

	/* A write: the offset inside the device, the bytes as they came. */
	memcpy(data, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	ret = mmio_bus_access(&bus, 0x1010, data, 8, true, 0x1234);
	EXPECT_EQ_INT("a write to a device", ret, 0);
	EXPECT(any.calls == 1 && any.is_write && any.offset == 0x10 && any.len == 8,
	       "the device should get one write of 8 bytes at offset 0x10 (calls %u, write %d, "
	       "offset 0x%llx, len %u)", any.calls, any.is_write,
	       (unsigned long long)any.offset, any.len);
	EXPECT_BYTES("the bytes the device got", any.data, 8, data, 8);

	/* A read: what the device put in, byte for byte. */
	memset(data, 0xee, sizeof(data));
	ret = mmio_bus_access(&bus, 0x10ff, data, 1, false, 0);
	EXPECT_EQ_INT("a read of the last byte of a device", ret, 0);
	EXPECT(any.offset == 0xff && any.len == 1 && data[0] == 0x10 && data[1] == 0xee,
	       "the device should read 1 byte at offset 0xff (offset 0x%llx, len %u, data %02x "
	       "%02x)", (unsigned long long)any.offset, any.len, data[0], data[1]);

	/* Sizes and alignment the device does not take: nobody's. */
	any.calls = wide.calls = 0;
	memset(data, 0, sizeof(data));
	ret = mmio_bus_access(&bus, 0x2000, data, 2, false, 0);
	EXPECT(ret == 1 && wide.calls == 0 && data[0] == 0xff && data[1] == 0xff && data[2] == 0,
	       "a 2-byte read of a device that takes 4 and 8: refused (1, device not called, "
	       "data ff ff), got %d, %u calls, data %02x %02x %02x", ret, wide.calls, data[0],
	       data[1], data[2]);
	ret = mmio_bus_access(&bus, 0x2004, data, 8, true, 0);
	EXPECT(ret == 1 && wide.calls == 0, "an 8-byte write at offset 4 of a device that takes "
	       "only aligned accesses: refused (1, device not called), got %d, %u calls", ret,
	       wide.calls);
	ret = mmio_bus_access(&bus, 0x2004, data, 4, true, 0);
	EXPECT(ret == 0 && wide.calls == 1 && wide.offset == 4, "a 4-byte write at offset 4: "
	       "taken (got %d, %u calls, offset 0x%llx)", ret, wide.calls,
	       (unsigned long long)wide.offset);
	ret = mmio_bus_access(&bus, 0x1003, data, 4, true, 0);
	EXPECT(ret == 0 && any.calls == 1 && any.offset == 3, "a 4-byte write at offset 3 of a "
	       "device that takes unaligned accesses: taken (got %d, %u calls)", ret, any.calls);

	/* Nobody there: all ones of the size, counted, traced. */
	bus.unclaimed = 0;
	memset(data, 0, sizeof(data));
	ret = mmio_bus_access(&bus, 0x5000, data, 4, false, 0xabcdef);
	EXPECT(ret == 1, "an unclaimed read should return 1, not %d", ret);
	EXPECT(data[0] == 0xff && data[3] == 0xff && data[4] == 0, "an unclaimed 4-byte read "
	       "should get ff ff ff ff and nothing more: %02x %02x %02x %02x %02x", data[0],
	       data[1], data[2], data[3], data[4]);
	memcpy(data, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	ret = mmio_bus_access(&bus, 0x10fc, data, 8, true, 0x4321);
	EXPECT(ret == 1 && any.calls == 1, "an 8-byte write over a device's end: nobody's (1, "
	       "device not called), got %d", ret);
	EXPECT_EQ_U64("bus->unclaimed after two unclaimed accesses", bus.unclaimed, 2);
	fflush(t);
	EXPECT(trace && strstr(trace, "0x5000") && strstr(trace, "0xabcdef") &&
	       strstr(trace, "0x10fc") && strstr(trace, "0x8877665544332211"),
	       "the trace should name each unclaimed access: its address, its value (0x%s) and "
	       "the pc (0x%s); it holds:\n%s", "8877665544332211", "abcdef", trace ? trace : "");
	EXPECT(trace && strstr(trace, "unaligned") && strstr(trace, "size"), "the trace should "
	       "say why a device refused an access (\"unaligned\", \"size\"); it holds:\n%s",
	       trace ? trace : "");

	/* Offsets past 4 GiB, in a device that big. */
	{
		struct mmio_bus big_bus;
		struct probe big;

		mmio_bus_init(&big_bus, true, NULL);
		probe_init(&big, "big", 0x100000000ULL, 0x200000000ULL, ALL_SIZES, true);
		ASSERT(mmio_bus_register(&big_bus, &big.dev) == 0, "%s", kit_last_error());
		ret = mmio_bus_access(&big_bus, 0x280000010ULL, data, 4, true, 0);
		EXPECT(ret == 0 && big.offset == 0x180000010ULL, "an access 6 GiB into a device "
		       "at 4 GiB: offset 0x180000010 (got %d, offset 0x%llx)", ret,
		       (unsigned long long)big.offset);
	}

	/* Lengths no exit can have: refused, nothing touched. */
	for (uint32_t len = 0; len <= 16; len += (len == 0 ? 3 : len == 3 ? 13 : 1)) {
		memset(data, 0x5a, sizeof(data));
		any.calls = 0;
		ret = mmio_bus_access(&bus, 0x1000, data, len, false, 0);
		EXPECT(ret == -EINVAL && any.calls == 0 && data[0] == 0x5a && data[15] == 0x5a,
		       "an access of %u bytes: -EINVAL, no device called, data untouched (got %d, "
		       "%u calls, data[0] 0x%02x, data[15] 0x%02x)", len, ret, any.calls, data[0],
		       data[15]);
	}

	/* Strict mode: the first unclaimed access stops the run. */
	mmio_bus_init(&bus, true, NULL);
	probe_init(&strict_dev, "s", 0x1000, 0x100, ALL_SIZES, true);
	ASSERT(mmio_bus_register(&bus, &strict_dev.dev) == 0, "%s", kit_last_error());
	kit_clear_error();
	ret = mmio_bus_access(&bus, 0x7008, data, 2, true, 0);
	EXPECT_EQ_INT("an unclaimed write in strict mode", ret, -EFAULT);
	EXPECT_CONTAINS("its message (the address)", kit_last_error(), "0x7008");
	EXPECT_EQ_U64("bus->unclaimed in strict mode", bus.unclaimed, 1);
	fclose(t);
	free(trace);
}

/* ---- 5. A UART -------------------------------------------------------- */

static int uart_reg(struct uart16550 *u, unsigned reg)
{
	uint8_t b[2] = { 0, 0x77 };

	if (u->dev.read(&u->dev, reg, b, 1) != 0)
		return -1; /* a device's read returns 0, or a negative errno */
	return b[1] == 0x77 ? b[0] : -2;
}

static void uart_put(struct uart16550 *u, unsigned reg, uint8_t v)
{
	ASSERT(u->dev.write(&u->dev, reg, &v, 1) == 0, "writing UART register %u: %s", reg,
	       kit_last_error());
}

static void test_uart_registers(void)
{
	struct uart16550 u;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	unsigned reg;

	ASSERT(f != NULL, "open_memstream");
	memset(&u, 0x5a, sizeof(u));
	uart_init(&u, 0x123000, f);
	EXPECT(u.dev.name && strcmp(u.dev.name, "uart") == 0 && u.dev.base == 0x123000 &&
	       u.dev.len == UART_REGS && u.dev.sizes == MMIO_SIZE_1 && u.dev.priv == &u &&
	       u.dev.read && u.dev.write,
	       "uart_init(): a device \"uart\" of 8 bytes at the base, 1-byte accesses, priv "
	       "the uart (name %s, base 0x%llx, len %llu, sizes 0x%x)",
	       u.dev.name ? u.dev.name : "NULL", (unsigned long long)u.dev.base,
	       (unsigned long long)u.dev.len, u.dev.sizes);
	ASSERT(u.dev.read && u.dev.write, "no read/write functions");
	EXPECT_EQ_U64("uart->sent after uart_init()", u.sent, 0);
	for (reg = 0; reg < UART_REGS; reg++) {
		static const int reset[8] = { 0, 0, UART_IIR_NO_INT, 0, 0,
					      UART_LSR_THRE | UART_LSR_TEMT, 0, 0 };
		char what[48];

		snprintf(what, sizeof(what), "register %u after uart_init()", reg);
		EXPECT_EQ_INT(what, uart_reg(&u, reg), reset[reg]);
	}
	uart_put(&u, UART_THR, 'h');
	uart_put(&u, UART_THR, 'i');
	uart_put(&u, UART_LCR, 0x03);
	uart_put(&u, UART_IER, 0x05);
	uart_put(&u, UART_MCR, 0x0b);
	uart_put(&u, UART_SCR, 0xc3);
	uart_put(&u, UART_LSR, 0x00);   /* read-only */
	uart_put(&u, UART_FCR, 0xc7);
	EXPECT_EQ_INT("LCR read back", uart_reg(&u, UART_LCR), 0x03);
	EXPECT_EQ_INT("IER read back", uart_reg(&u, UART_IER), 0x05);
	EXPECT_EQ_INT("MCR read back", uart_reg(&u, UART_MCR), 0x0b);
	EXPECT_EQ_INT("SCR read back", uart_reg(&u, UART_SCR), 0xc3);
	EXPECT_EQ_INT("LSR after a write to it (read-only)", uart_reg(&u, UART_LSR),
		      UART_LSR_THRE | UART_LSR_TEMT);
	EXPECT_EQ_INT("IIR after a write to FCR", uart_reg(&u, UART_IIR), UART_IIR_NO_INT);
	/* The divisor latch: not output, and not IER. */
	uart_put(&u, UART_LCR, 0x83);
	uart_put(&u, UART_DLL, 0x0c);
	uart_put(&u, UART_DLM, 0x01);
	EXPECT_EQ_INT("DLL read back (LCR.DLAB set)", uart_reg(&u, UART_DLL), 0x0c);
	EXPECT_EQ_INT("DLM read back (LCR.DLAB set)", uart_reg(&u, UART_DLM), 0x01);
	uart_put(&u, UART_LCR, 0x03);
	EXPECT_EQ_INT("IER after the divisor was set (DLM is not IER)", uart_reg(&u, UART_IER),
		      0x05);
	EXPECT_EQ_INT("RBR (nothing received)", uart_reg(&u, UART_RBR), 0);
	fflush(f);
	{
		uint8_t b = 0;

		EXPECT(u.dev.read(&u.dev, UART_REGS, &b, 1) < 0 &&
		       u.dev.write(&u.dev, UART_REGS, &b, 1) < 0, "a read or write of offset 8, "
		       "past the UART's registers, is an error (negative)");
	}
	EXPECT_BYTES("what the UART sent (only the THR writes with DLAB clear)", out, len, "hi", 2);
	EXPECT_EQ_U64("uart->sent", u.sent, 2);
	fclose(f);
	free(out);
}

/* ---- a guest on the machine ------------------------------------------ */

static void start(struct l4_machine *m, const struct guest_image *image,
		  const struct l4_options *o)
{
	int ret = l4_start(m, image, o);

	ASSERT(ret == 0, "starting the %s guest failed (%d): %s", image->name, ret,
	       kit_last_error());
}

static int run_it(struct l4_machine *m, const char *name)
{
	int ret = l4_run(m, 0);

	printf("%s: run ended with %d%s%s after %lu exits (%lu MMIO); the UART got:\n%.*s\n",
	       name, ret, ret ? ": " : "", m->error, m->exits, m->host.mmio_exits,
	       (int)m->output_len, m->output ? m->output : "");
	return ret;
}

static void test_devices_guest(void)
{
	static const char expected[] =
		"hello from the guest, through your UART\n"
		"uart LCR: 0x3 ok\nuart IER: 0x0 ok\nuart SCR: 0xa5 ok\n"
		"uart IIR (no interrupt pending): 0x1 ok\nuart DLL: 0x1 ok\n"
		"uart LSR (room to send): 0x60 ok\nuart RBR (nothing received): 0x0 ok\n"
		"counter runs (a second read is larger): ok\ncounter read 4 bytes: ok\n"
		"scratch, 8 bytes: 0x1122334455667788 ok\n"
		"scratch after 4, 2 and 1-byte writes: 0xdeadbeefcafe4288 ok\n"
		"scratch byte 7: 0xde ok\nscratch bytes 6-7: 0xdead ok\n"
		"scratch bytes 0-3: 0xcafe4288 ok\n";
	/* What the counter must have taken, in order (reads of COUNT aside). */
	static const struct { uint64_t offset; uint32_t len; bool is_write; uint64_t value; } log[] = {
		{ 0x08, 8, true, 0x1122334455667788ULL }, { 0x08, 8, false, 0x1122334455667788ULL },
		{ 0x0c, 4, true, 0xdeadbeef }, { 0x0a, 2, true, 0xcafe }, { 0x09, 1, true, 0x42 },
		{ 0x08, 8, false, 0xdeadbeefcafe4288ULL }, { 0x0f, 1, false, 0xde },
		{ 0x0e, 2, false, 0xdead }, { 0x08, 4, false, 0xcafe4288 },
		{ 0x10, 8, true, 1 }, { 0x10, 8, true, 2 }, { 0x10, 8, true, 3 },
		{ 0x10, 8, true, 4 }, { 0x10, 8, true, 5 },
	};
	struct guest_image image = GUEST_IMAGE(devices);
	struct l4_options o = { .strict = true };
	struct l4_machine m;
	unsigned i, j;

	start(&m, &image, &o);
	EXPECT_EQ_INT("the run of the devices guest", run_it(&m, "devices"), 0);
	ASSERT(m.output != NULL, "the UART got nothing");
	EXPECT(m.output_len >= sizeof(expected) - 1 &&
	       memcmp(m.output, expected, sizeof(expected) - 1) == 0,
	       "the guest's first lines, through your UART, should be:\n%s\ngot:\n%.*s", expected,
	       (int)m.output_len, m.output);
	EXPECT(strstr(m.output, "devices: all ok\n") != NULL, "the guest found something wrong "
	       "(a line with WRONG above)");
	EXPECT_EQ_U64("bytes the UART sent (uart->sent)", m.uart.sent, m.output_len);
	for (i = 0, j = 0; i < m.counter.nlog && j < sizeof(log) / sizeof(log[0]); i++) {
		if (m.counter.log[i].offset < COUNTER_SCRATCH)
			continue;
		EXPECT(m.counter.log[i].offset == log[j].offset && m.counter.log[i].len == log[j].len &&
		       m.counter.log[i].is_write == log[j].is_write &&
		       m.counter.log[i].value == log[j].value,
		       "access %u to SCRATCH/DOORBELL: expected a %u-byte %s of 0x%llx at 0x%02llx, "
		       "got a %u-byte %s of 0x%llx at 0x%02llx", j + 1, log[j].len,
		       log[j].is_write ? "write" : "read", (unsigned long long)log[j].value,
		       (unsigned long long)log[j].offset, m.counter.log[i].len,
		       m.counter.log[i].is_write ? "write" : "read",
		       (unsigned long long)m.counter.log[i].value,
		       (unsigned long long)m.counter.log[i].offset);
		j++;
	}
	EXPECT_EQ_U64("accesses to SCRATCH and DOORBELL", j, sizeof(log) / sizeof(log[0]));
	EXPECT_EQ_U64("doorbell writes", m.counter.doorbells, 5);
	EXPECT_EQ_U64("bus->unclaimed (the guest made no access to nowhere)", m.bus.unclaimed, 0);
	l4_stop(&m);
}

/* ---- 6. A ROM --------------------------------------------------------- */

static void test_rom_slot(void)
{
	struct guest_image devices = GUEST_IMAGE(devices), reader = GUEST_IMAGE(rom_reader);
	struct kvm_userspace_memory_region region;
	struct l4_options o = { .strict = true };
	static uint8_t bytes[L4_ROM_SIZE];
	struct l4_machine m;
	uint32_t sum = 0;
	char want[64];
	unsigned i;
	int ret;

	start(&m, &devices, &o);
	ASSERT(inject_last_memory_region(&region), "no KVM_SET_USER_MEMORY_REGION was made");
	EXPECT(region.guest_phys_addr == L4_ROM_GPA && region.memory_size == L4_ROM_SIZE &&
	       region.flags == KVM_MEM_READONLY, "the ROM's slot: 0x%x bytes at 0x%x with "
	       "KVM_MEM_READONLY (got 0x%llx bytes at 0x%llx, flags 0x%x)", L4_ROM_SIZE,
	       L4_ROM_GPA, (unsigned long long)region.memory_size,
	       (unsigned long long)region.guest_phys_addr, region.flags);
	EXPECT(m.rom.dev.base == L4_ROM_GPA && m.rom.dev.len == L4_ROM_SIZE &&
	       mmio_bus_find(&m.bus, L4_ROM_GPA + L4_ROM_SIZE - 1, 1) == &m.rom.dev,
	       "a device on the bus over all of the ROM's range");
	EXPECT_EQ_INT("the run of the devices guest", run_it(&m, "devices"), 0);
	EXPECT(m.output && strstr(m.output, "rom says: " ROM_TEXT "rom text: ok\n"),
	       "the guest should read the ROM's text (\"rom says: ...\", \"rom text: ok\")");
	EXPECT(m.output && strstr(m.output, "rom bytes 0x40-0x43 after a write:") &&
	       strstr(strstr(m.output, "rom bytes 0x40-0x43 after a write:"), " ok\n"),
	       "the ROM should read the same after the guest's write");
	EXPECT(m.rom.writes == 1 && m.rom.last_offset == 0x40 && m.rom.last_len == 4 &&
	       m.rom.last_value == 0x12345678, "the ROM device should have trapped one 4-byte "
	       "write of 0x12345678 at offset 0x40 (writes %lu, offset 0x%llx, len %u, value "
	       "0x%llx)", m.rom.writes, (unsigned long long)m.rom.last_offset, m.rom.last_len,
	       (unsigned long long)m.rom.last_value);
	l4_rom_bytes(bytes, sizeof(bytes));
	EXPECT(m.rom.host && memcmp(m.rom.host, bytes, sizeof(bytes)) == 0,
	       "the ROM's memory must be exactly what was put there, after the guest's write");
	l4_stop(&m);

	/* 16384 loads from the ROM: memory, so no exit for any of them. */
	start(&m, &reader, &o);
	EXPECT_EQ_INT("the run of the rom_reader guest", run_it(&m, "rom_reader"), 0);
	for (i = 0; i < L4_ROM_SIZE / 4; i++)
		sum = sum * 31 + (uint32_t)mmio_le_load(bytes + 4 * i, 4);
	snprintf(want, sizeof(want), "rom checksum 0x%x\n", sum);
	EXPECT(m.output && strcmp(m.output, want) == 0, "the guest should print \"%.*s\", got "
	       "\"%s\"", (int)strlen(want) - 1, want, m.output ? m.output : "");
	EXPECT(m.host.mmio_exits <= 40, "reading the ROM took %lu MMIO exits: the reads should "
	       "take none (the %zu bytes of output take about %zu)", m.host.mmio_exits,
	       strlen(want), strlen(want) + 2);
	l4_stop(&m);

	/* Its device, called as the bus calls it. */
	start(&m, &devices, &o);
	{
		uint8_t b[8] = { 0 };
		uint32_t len;
		int got;

		for (len = 1; len <= 8; len *= 2) {
			memset(b, 0, sizeof(b));
			ret = mmio_bus_access(&m.bus, L4_ROM_GPA + 3, b, len, false, 0);
			EXPECT(ret == 0 && memcmp(b, ROM_TEXT + 3, len) == 0, "a %u-byte read of the "
			       "ROM device at offset 3 should give the ROM's bytes (got %d)", len, ret);
		}
		got = m.rom.dev.write(&m.rom.dev, 8, (const uint8_t *)"\1\2", 2);
		EXPECT(got == 0 && m.rom.writes == 1 && m.rom.last_offset == 8 && m.rom.last_len == 2 &&
		       m.rom.last_value == 0x0201 && m.rom.host[8] == (uint8_t)ROM_TEXT[8],
		       "the ROM device's write: 0, counted with its offset, length and value, and "
		       "the ROM unchanged (got %d, %lu writes)", got, m.rom.writes);
	}
	l4_stop(&m);

	/* A VM with no other memory (the ROM is its slot 0), and a ROM where
	 * RAM already is. */
	ASSERT(vm_create(&m.vm) == 0, "vm_create: %s", kit_last_error());
	mmio_bus_init(&m.bus, true, NULL);
	memset(&m.rom, 0x5a, sizeof(m.rom));
	ret = rom_map(&m.vm, &m.bus, &m.rom, L4_ROM_GPA, bytes, sizeof(bytes));
	EXPECT(ret == 0 && m.bus.ndev == 1 && m.rom.host && m.rom.size == sizeof(bytes) &&
	       m.rom.writes == 0 && memcmp(m.rom.host, bytes, 64) == 0, "rom_map() on a VM with "
	       "no other memory: 0, the device on the bus, the bytes in (got %d)", ret);
	{
		struct mmio_bus other;
		struct rom again;
		uint8_t *first_host = m.rom.host;
		static uint8_t zeros[L4_ROM_SIZE];

		mmio_bus_init(&other, true, NULL);
		ret = rom_map(&m.vm, &other, &again, L4_ROM_GPA, zeros, sizeof(zeros));
		EXPECT(ret < 0 && other.ndev == 0, "rom_map() over memory that is already there "
		       "should fail, with no device registered (got %d, %u devices)", ret,
		       other.ndev);
		EXPECT(memcmp(first_host, bytes, 64) == 0, "a refused rom_map() must not write "
		       "over the memory that was there");
	}
	vm_destroy(&m.vm);

	/* KVM_CHECK_EXTENSION itself failing. */
	ASSERT(vm_create(&m.vm) == 0, "vm_create: %s", kit_last_error());
	inject_ioctl_error(KVM_CHECK_EXTENSION, EIO, 1);
	ret = rom_map(&m.vm, &m.bus, &m.rom, L4_ROM_GPA, bytes, sizeof(bytes));
	inject_reset();
	EXPECT_EQ_INT("rom_map() when KVM_CHECK_EXTENSION fails", ret, -EIO);
	vm_destroy(&m.vm);

	/* No read-only slots on this KVM: said so. */
	inject_ioctl_value(KVM_CHECK_EXTENSION, 0, 1);
	ASSERT(vm_create(&m.vm) == 0, "vm_create: %s", kit_last_error());
	mmio_bus_init(&m.bus, true, NULL);
	inject_ioctl_value(KVM_CHECK_EXTENSION, 0, 1);
	ret = rom_map(&m.vm, &m.bus, &m.rom, L4_ROM_GPA, bytes, sizeof(bytes));
	EXPECT_EQ_INT("rom_map() when KVM_CAP_READONLY_MEM is 0", ret, -EOPNOTSUPP);
	EXPECT_EQ_U64("memory slots after it", m.vm.nslots, 0);
	vm_destroy(&m.vm);
}

/* ---- unclaimed accesses, from a guest ---------------------------------- */

static void test_unclaimed_guest(void)
{
	static const char expected[] =
		"nothing there, 1 byte: 0xff ok\nnothing there, 2 bytes: 0xffff ok\n"
		"nothing there, 4 bytes: 0xffffffff ok\n"
		"nothing there, 8 bytes: 0xffffffffffffffff ok\n"
		"past the UART's end (4 bytes at register 6): 0xffffffff ok\n"
		"2 bytes of the UART: 0xffff ok\n";
	struct guest_image image = GUEST_IMAGE(unclaimed);
	struct l4_options o = { .strict = false };
	struct l4_machine m;
	char *trace = NULL, addr[32];
	size_t trace_len = 0;
	int ret;

	o.trace = open_memstream(&trace, &trace_len);
	ASSERT(o.trace != NULL, "open_memstream");
	start(&m, &image, &o);
	EXPECT_EQ_INT("the run of the unclaimed guest (not strict)", run_it(&m, "unclaimed"), 0);
	EXPECT(m.output && strcmp(m.output, expected) == 0, "what the guest read, through your "
	       "UART, should be:\n%s\ngot:\n%s", expected, m.output ? m.output : "");
	EXPECT_EQ_U64("bus->unclaimed (4 reads, 1 write, 2 reads the UART does not take)",
		      m.bus.unclaimed, 7);
	fflush(o.trace);
	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)L4_UNCLAIMED_GPA + 16);
	EXPECT(trace && strstr(trace, addr) && strstr(trace, "0xabcd1234"), "the trace should "
	       "name the unclaimed write at %s of 0xabcd1234; it holds:\n%s", addr,
	       trace ? trace : "");
	l4_stop(&m);
	fclose(o.trace);
	free(trace);

	/* Strict: the first stops the run, and says where. */
	o = (struct l4_options){ .strict = true };
	start(&m, &image, &o);
	ret = run_it(&m, "unclaimed, strict");
	EXPECT_EQ_INT("the run in strict mode", ret, -EFAULT);
	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)L4_UNCLAIMED_GPA);
	EXPECT(strstr(m.error, addr) != NULL, "the run's error should name the address %s: \"%s\"",
	       addr, m.error);
	EXPECT_EQ_U64("bus->unclaimed when strict mode stopped the run", m.bus.unclaimed, 1);
	{
		uint64_t pc = 0, pc_gpa;
		enum kit_isa isa;
		char want[32];

		ASSERT(arch_vcpu_pc(&m.cpu, &pc, &pc_gpa, &isa) == 0, "%s", kit_last_error());
		snprintf(want, sizeof(want), "pc 0x%llx", (unsigned long long)pc);
		EXPECT(strstr(m.error, want) != NULL, "the message should name the PC of the access "
		       "(%s, from arch_vcpu_pc()): \"%s\"", want, m.error);
	}
	l4_stop(&m);
}

/* ---- 8. Coalesced MMIO ------------------------------------------------ */

static void expect_flood_output(const struct l4_machine *m)
{
	char want[1001];
	unsigned line, i, n = 0;

	for (line = 0; line < 25; line++) {
		want[n++] = (char)('0' + line / 10);
		want[n++] = (char)('0' + line % 10);
		want[n++] = ' ';
		for (i = 0; i < 36; i++)
			want[n++] = (char)('a' + (line + i) % 26);
		want[n++] = '\n';
	}
	EXPECT_BYTES("the 1000 bytes the guest sent, in order", m->output, m->output_len, want, n);
}

static void ring_by_hand(void);
static void coalesce_errors(void);

static void test_coalesced(void)
{
	struct guest_image flood = GUEST_IMAGE(flood), burst = GUEST_IMAGE(burst),
			   ordering = GUEST_IMAGE(ordering);
	struct l4_options o = { .strict = true, .coalesce = true };
	struct probe probe;
	struct l4_machine m;
	char want[1500];
	unsigned i;

	/* 1000 bytes, 16 per LSR poll: about 63 exits, not 1063. */
	start(&m, &flood, &o);
	EXPECT_EQ_INT("the run of the flood guest, THR coalesced", run_it(&m, "flood"), 0);
	expect_flood_output(&m);
	EXPECT(m.host.mmio_exits <= 80, "with THR coalesced, 1000 bytes sent 16 per look at LSR "
	       "should take at most 80 MMIO exits (the LSR reads), not %lu", m.host.mmio_exits);
	EXPECT_EQ_U64("entries taken from the ring (ring->drained)", m.ring.drained, 1000);
	EXPECT(m.ring.max == (m.vm.page_size - 8) / 24, "ring->max should be (page size - 8) / "
	       "24 = %zu, not %u", (m.vm.page_size - 8) / 24, m.ring.max);
	l4_stop(&m);

	/* 1500 bytes with no poll: the ring fills, KVM exits, nothing lost. */
	start(&m, &burst, &o);
	EXPECT_EQ_INT("the run of the burst guest, THR coalesced", run_it(&m, "burst"), 0);
	for (i = 0; i < 1500; i++)
		want[i] = (char)(i % 60 == 59 ? '\n' : 'A' + i % 26);
	EXPECT_BYTES("the 1500 bytes of the burst, in order (past a full ring)", m.output,
		     m.output_len, want, 1500);
	EXPECT(m.host.mmio_exits >= 1500 / (m.ring.max + 1) &&
	       m.host.mmio_exits <= 1500 / m.ring.max + 2, "1500 writes to a coalesced THR "
	       "should exit only when the ring of %u is full (%u or %u times), not %lu times",
	       m.ring.max, 1500 / (m.ring.max + 1), 1500 / m.ring.max + 2, m.host.mmio_exits);
	l4_stop(&m);

	/* Drained before the exit that follows: the probe sees every byte
	 * the guest wrote before it. */
	start(&m, &ordering, &o);
	probe_init(&probe, "probe", L4_PROBE_GPA, 8, ALL_SIZES, false);
	probe.uart = &m.uart;
	ASSERT(mmio_bus_register(&m.bus, &probe.dev) == 0, "%s", kit_last_error());
	EXPECT_EQ_INT("the run of the ordering guest", run_it(&m, "ordering"), 0);
	EXPECT(probe.nseen == 2 && probe.seen[0] == 6 && probe.seen[1] == 13,
	       "when the guest's write to the probe arrives, the bytes it wrote before must be "
	       "out already (6, then 13): the probe saw %lu and %lu", probe.seen[0],
	       probe.seen[1]);
	EXPECT_BYTES("the ordering guest's output (the last line drained at the end)", m.output,
		     m.output_len, "first\nsecond\nthird\n", 19);
	l4_stop(&m);

	ring_by_hand();
	coalesce_errors();
}

/* A ring of our own, in memory: what mmio_drain() does with it. */
static void ring_by_hand(void)
{
	union {
		struct kvm_coalesced_mmio_ring ring;
		uint8_t page[4096];
	} mem;
	struct mmio_ring r = { .ring = &mem.ring, .max = 5, .drained = 3 };
	struct mmio_bus bus;
	struct probe p;
	long n;
	unsigned i;

	memset(&mem, 0, sizeof(mem));
	mmio_bus_init(&bus, true, NULL);
	probe_init(&p, "probe", 0x1000, 0x100, ALL_SIZES, true);
	ASSERT(mmio_bus_register(&bus, &p.dev) == 0, "%s", kit_last_error());
	/* Three entries that wrap around the end of a ring of 5: 3, 4, 0. */
	for (i = 0; i < 3; i++) {
		struct kvm_coalesced_mmio *e = &mem.ring.coalesced_mmio[(3 + i) % 5];

		e->phys_addr = 0x1000 + 8 * i;
		e->len = 8;
		memcpy(e->data, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
		e->data[7] = (uint8_t)(0x80 + i);
	}
	mem.ring.first = 3;
	mem.ring.last = 1;
	n = mmio_drain(&r, &bus);
	EXPECT(n == 3 && mem.ring.first == 1 && r.drained == 6 && p.calls == 3,
	       "three entries at 3, 4 and 0 of a ring of 5: mmio_drain() should return 3, move "
	       "first to 1, count them (drained 3 -> 6) and write each (got %ld, first %u, "
	       "drained %lu, %u writes)", n, mem.ring.first, r.drained, p.calls);
	EXPECT(p.offset == 0x10 && p.len == 8 && p.data[0] == 0x11 && p.data[7] == 0x82,
	       "the last entry should arrive whole: 8 bytes at offset 0x10 ending in 0x82 (offset "
	       "0x%llx, len %u, last byte 0x%02x)", (unsigned long long)p.offset, p.len,
	       p.data[7]);
	EXPECT_EQ_INT("mmio_drain() of an empty ring", (int)mmio_drain(&r, &bus), 0);

	/* An entry the bus refuses, and a `first` past the ring's end. */
	mem.ring.coalesced_mmio[1].phys_addr = 0x9000;  /* nobody's, strict */
	mem.ring.coalesced_mmio[1].len = 4;
	mem.ring.last = 2;
	n = mmio_drain(&r, &bus);
	EXPECT(n == -EFAULT && mem.ring.first == 1, "an unclaimed entry in strict mode: "
	       "mmio_drain() returns the bus's -EFAULT and leaves the entry (got %ld, first %u)",
	       n, mem.ring.first);
	mem.ring.coalesced_mmio[5].phys_addr = 0x1000;  /* a good entry, but past the end */
	mem.ring.coalesced_mmio[5].len = 4;
	mem.ring.first = 5;
	mem.ring.last = 1;
	n = mmio_drain(&r, &bus);
	EXPECT(n < 0, "a ring whose first entry is 5 of 5 (the guest's memory is not to be "
	       "trusted... nor is a broken kernel's) should be an error, not %ld", n);
}

static void coalesce_errors(void)
{
	struct guest_image flood = GUEST_IMAGE(flood);
	struct l4_options o = { .strict = true };
	struct mmio_ring ring = { .drained = 9 };
	struct l4_machine m;
	int ret;

	start(&m, &flood, &o);
	inject_ioctl_value(KVM_CHECK_EXTENSION, 0, 1);
	EXPECT_EQ_INT("mmio_coalesce() when KVM_CAP_COALESCED_MMIO is 0",
		      mmio_coalesce(&m.cpu, &ring, L4_UART_GPA, 1), -EOPNOTSUPP);
	inject_ioctl_error(KVM_CHECK_EXTENSION, EIO, 1);
	EXPECT_EQ_INT("mmio_coalesce() when KVM_CHECK_EXTENSION fails",
		      mmio_coalesce(&m.cpu, &ring, L4_UART_GPA, 1), -EIO);
	inject_ioctl_value(KVM_CHECK_EXTENSION, (int)(m.cpu.run_size / m.vm.page_size), 1);
	EXPECT_EQ_INT("mmio_coalesce() when the ring's page is the one after the vCPU's mapping",
		      mmio_coalesce(&m.cpu, &ring, L4_UART_GPA, 1), -EINVAL);
	inject_ioctl_error(KVM_REGISTER_COALESCED_MMIO, ENOSPC, 1);
	ret = mmio_coalesce(&m.cpu, &ring, L4_UART_GPA, 1);
	EXPECT_EQ_INT("mmio_coalesce() when KVM_REGISTER_COALESCED_MMIO fails", ret, -ENOSPC);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_REGISTER_COALESCED_MMIO");
	inject_reset();
	ret = mmio_coalesce(&m.cpu, &ring, L4_UART_GPA, 1);
	EXPECT(ret == 0 && ring.drained == 0 && ring.ring != NULL, "mmio_coalesce(): 0, a ring, "
	       "and nothing drained from it yet (got %d, drained %lu)", ret, ring.drained);
	l4_stop(&m);
}

/* ---- 9. ioeventfd ----------------------------------------------------- */

static void test_ioeventfd(void)
{
	struct guest_image image = GUEST_IMAGE(doorbell);
	struct l4_options o = { .strict = true, .doorbell = DOORBELL_EVENTFD };
	struct l4_machine m;
	struct vm vm;
	int ret;

	start(&m, &image, &o);
	EXPECT(m.doorbell_fd >= 0, "mmio_ioeventfd() should return the eventfd");
	EXPECT_EQ_INT("the run of the doorbell guest, with an ioeventfd", run_it(&m, "doorbell"), 0);
	EXPECT_EQ_U64("what the eventfd counted", m.doorbell_events, 110);
	EXPECT_EQ_U64("doorbell writes that reached the host as exits", m.counter.doorbells, 0);
	l4_stop(&m);

	o.doorbell = DOORBELL_EVENTFD_MATCH;
	start(&m, &image, &o);
	EXPECT_EQ_INT("the run of the doorbell guest, with datamatch", run_it(&m, "doorbell"), 0);
	EXPECT_EQ_U64("what the eventfd counted (only writes of 0x5a5a)", m.doorbell_events, 100);
	EXPECT_EQ_U64("doorbell writes that reached the host as exits (the 10 of 7)",
		      m.counter.doorbells, 10);
	EXPECT_EQ_U64("the last of them", m.counter.last_doorbell, 7);
	l4_stop(&m);

	/* KVM_IOEVENTFD refused: the error, named, and no fd left open. */
	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	ret = mmio_ioeventfd(&vm, 0x1000, 8, false, 0);
	EXPECT(ret >= 0 && (fcntl(ret, F_GETFL) & O_NONBLOCK) && (fcntl(ret, F_GETFD) & FD_CLOEXEC),
	       "the eventfd should be non-blocking (a read with nothing counted must not wait) "
	       "and close-on-exec (got %d)", ret);
	if (ret >= 0)
		close(ret);
	/* No file descriptor left for the eventfd. */
	{
		struct rlimit saved, none;
		int free_fd = dup(0);

		close(free_fd);
		ASSERT(getrlimit(RLIMIT_NOFILE, &saved) == 0, "getrlimit");
		none = saved;
		none.rlim_cur = (rlim_t)free_fd;
		ASSERT(setrlimit(RLIMIT_NOFILE, &none) == 0, "setrlimit");
		ret = mmio_ioeventfd(&vm, 0x2000, 8, false, 0);
		setrlimit(RLIMIT_NOFILE, &saved);
		EXPECT_EQ_INT("mmio_ioeventfd() when eventfd() fails (no fd left)", ret, -EMFILE);
		if (ret < 0)
			EXPECT_CONTAINS("its message", kit_last_error(), "eventfd");
	}
	inject_ioctl_value(KVM_CHECK_EXTENSION, 0, 1);
	EXPECT_EQ_INT("mmio_ioeventfd() when KVM_CAP_IOEVENTFD is 0",
		      mmio_ioeventfd(&vm, 0x2000, 8, false, 0), -EOPNOTSUPP);
	inject_ioctl_error(KVM_CHECK_EXTENSION, EIO, 1);
	EXPECT_EQ_INT("mmio_ioeventfd() when KVM_CHECK_EXTENSION fails",
		      mmio_ioeventfd(&vm, 0x2000, 8, false, 0), -EIO);
	inject_reset();
	{
		int probe_fd = dup(0), next;

		close(probe_fd);
		inject_ioctl_error(KVM_IOEVENTFD, EINVAL, 1);
		ret = mmio_ioeventfd(&vm, 0x1000, 8, false, 0);
		EXPECT_EQ_INT("mmio_ioeventfd() when KVM_IOEVENTFD fails", ret, -EINVAL);
		if (ret < 0)
			EXPECT_CONTAINS("its message", kit_last_error(), "KVM_IOEVENTFD");
		next = dup(0);
		EXPECT(next == probe_fd, "the eventfd should be closed when KVM_IOEVENTFD fails "
		       "(the next free fd is %d, not %d)", next, probe_fd);
		close(next);
	}
	vm_destroy(&vm);
}

/* ---- 7. Hostile exits ----------------------------------------------- */

static void test_hostile_exits(void)
{
	struct guest_image storm = GUEST_IMAGE(storm);
	struct l4_options o = { .strict = false };
	struct mmio_host host;
	struct mmio_bus bus;
	struct probe p;
	struct l4_machine m;
	struct mallinfo2 before;
	uint8_t saved[64];
	int ret;

	/* Exits KVM would never make, as if it had. */
	start(&m, &storm, &o);
	mmio_bus_init(&bus, false, NULL);
	probe_init(&p, "probe", 0x1000, 0x100, ALL_SIZES, true);
	ASSERT(mmio_bus_register(&bus, &p.dev) == 0, "%s", kit_last_error());
	host = (struct mmio_host){ .bus = &bus };
	for (unsigned k = 0; k < 4; k++) {
		static const struct { uint64_t addr; uint32_t len; } bad[] = {
			{ 0x1000, 0 }, { 0x1000, 3 }, { 0x1000, 16 }, { 0xfffffffffffffffcULL, 8 },
		};
		struct kvm_run *run = m.cpu.run;

		run->exit_reason = KVM_EXIT_MMIO;
		run->mmio.phys_addr = bad[k].addr;
		run->mmio.len = bad[k].len;
		run->mmio.is_write = 0;
		memset(run->mmio.data, 0x5a, 8);
		memcpy(saved, &run->mmio, sizeof(run->mmio));
		p.calls = 0;
		ret = mmio_on_exit(&m.cpu, &host);
		EXPECT(p.calls == 0, "an exit of %u bytes at 0x%llx reached a device",
		       bad[k].len, (unsigned long long)bad[k].addr);
		if (k < 3)
			EXPECT(ret < 0 && memcmp(saved, &run->mmio, sizeof(run->mmio)) == 0,
			       "an MMIO exit of %u bytes should be refused (negative) with run->mmio "
			       "untouched: got %d", bad[k].len, ret);
		else
			EXPECT(ret == RUN_EXIT_HANDLED && run->mmio.data[0] == 0xff &&
			       run->mmio.data[7] == 0xff, "8 bytes at 0x%llx, which wrap past 2^64, "
			       "are nobody's (all ones): got %d, data[0] 0x%02x",
			       (unsigned long long)bad[k].addr, ret, run->mmio.data[0]);
	}
	m.cpu.run->exit_reason = KVM_EXIT_IO;
	EXPECT_EQ_INT("mmio_on_exit() for a KVM_EXIT_IO", mmio_on_exit(&m.cpu, &host),
		      RUN_EXIT_UNHANDLED);

	/* The PC in the message is the vCPU's, all 64 bits of it. */
	{
		struct mmio_bus strict_bus;
		struct mmio_host strict_host = { .bus = &strict_bus };
		uint64_t pc = 0x123456789abcULL;

		mmio_bus_init(&strict_bus, true, NULL);
#if defined(__x86_64__)
		struct kvm_regs regs, saved_regs;

		ASSERT(ioctl(m.cpu.fd, KVM_GET_REGS, &saved_regs) == 0, "KVM_GET_REGS failed");
		regs = saved_regs;
		regs.rip = pc;
		ASSERT(ioctl(m.cpu.fd, KVM_SET_REGS, &regs) == 0, "KVM_SET_REGS failed");
#else
		uint64_t saved_pc;

		ASSERT(arm64_get_reg(&m.cpu, ARM64_REG_PC, &saved_pc) == 0, "%s", kit_last_error());
		ASSERT(arm64_set_reg(&m.cpu, ARM64_REG_PC, pc) == 0, "%s", kit_last_error());
#endif
		m.cpu.run->exit_reason = KVM_EXIT_MMIO;
		m.cpu.run->mmio.phys_addr = 0x9000;
		m.cpu.run->mmio.len = 4;
		m.cpu.run->mmio.is_write = 1;
		kit_clear_error();
		ret = mmio_on_exit(&m.cpu, &strict_host);
		EXPECT(ret == -EFAULT && strstr(kit_last_error(), "0x123456789abc"), "an unclaimed "
		       "write in strict mode with the PC at 0x123456789abc: -EFAULT, and the PC in "
		       "the message (got %d: \"%s\")", ret, kit_last_error());
		/* The guest goes on from where it was. */
#if defined(__x86_64__)
		ASSERT(ioctl(m.cpu.fd, KVM_SET_REGS, &saved_regs) == 0, "KVM_SET_REGS failed");
#else
		ASSERT(arm64_set_reg(&m.cpu, ARM64_REG_PC, saved_pc) == 0, "%s", kit_last_error());
#endif
	}

	/* A storm of unclaimed reads: counted, and nothing kept per access. */
	before = mallinfo2();
	EXPECT_EQ_INT("the run of the storm guest (not strict)", run_it(&m, "storm"), 0);
	EXPECT(m.output && strstr(m.output, "1000 unclaimed reads: 0xffffffffffffffff ok\n"),
	       "the guest should read all ones 1000 times");
	EXPECT_EQ_U64("bus->unclaimed after the storm", m.bus.unclaimed, 1000);
	EXPECT(mallinfo2().uordblks <= before.uordblks + 4096, "the host's heap grew by %zu bytes "
	       "during 1000 unclaimed accesses", mallinfo2().uordblks - before.uordblks);
	l4_stop(&m);
}

static const struct grade_test tests[] = {
	{ "le_bytes", "registers are little-endian: bytes to values and back, exactly",
	  1, 0, test_le_bytes,
	  "Section 2: byte i is bits 8i to 8i+7; touch only the len bytes." },
	{ "bus_register", "devices are registered by range; overlaps, 0 bytes and wraps refused",
	  3, 0, test_bus_register,
	  "Section 2: compare first and last bytes (base + len - 1), never base + len." },
	{ "bus_find", "an access goes to the one device that holds all of it",
	  2, 0, test_bus_find,
	  "Section 3: addr >= base and addr + len - 1 <= base + len - 1, without overflow." },
	{ "bus_access", "accesses reach the device at its offset; refused ones are nobody's",
	  3, 0, test_bus_access,
	  "Section 4: lengths 1/2/4/8 only; sizes and alignment the device takes; all ones, "
	  "counted and traced, for the rest; -EFAULT when strict." },
	{ "uart_registers", "the UART's registers behave as a 16550's",
	  2, 0, test_uart_registers,
	  "Section 5: the table of registers; DLAB switches 0 and 1 to the divisor latch." },
	{ "devices_guest", "a guest drives every device with every size it takes",
	  3, GRADE_NEEDS_KVM, test_devices_guest,
	  "Sections 4, 5 and 7: every MMIO exit through mmio_on_exit() and the bus." },
	{ "rom_slot", "the ROM is read with no exits; a write to it is trapped, memory unchanged",
	  2, GRADE_NEEDS_KVM, test_rom_slot,
	  "Section 6: KVM_MEM_READONLY, and a device over the same range for the writes." },
	{ "unclaimed_guest", "a guest's accesses to nowhere read all ones, are counted and traced",
	  2, GRADE_NEEDS_KVM, test_unclaimed_guest,
	  "Section 4: unclaimed reads get all ones of their size; strict mode stops the run." },
	{ "hostile_exits", "impossible exits are refused; a storm is counted, not kept",
	  2, GRADE_NEEDS_KVM, test_hostile_exits,
	  "Sections 4 and 7: check run->mmio.len before anything; nothing per access on the "
	  "heap." },
	{ "coalesced", "UART output through a coalesced ring: in order, whole, far fewer exits",
	  3, GRADE_NEEDS_KVM, test_coalesced,
	  "Section 8: drain the ring before handling any exit, and at the end; "
	  "first = (first + 1) % max." },
	{ "ioeventfd", "doorbell writes counted by an eventfd, with no exit; datamatch filters",
	  2, GRADE_NEEDS_KVM, test_ioeventfd,
	  "Section 9: KVM_IOEVENTFD with the eventfd; KVM_IOEVENTFD_FLAG_DATAMATCH for one "
	  "value; close the eventfd if it fails." },
};

int main(int argc, char **argv)
{
	return grade_main(argc, argv, "04-mmio", tests, sizeof(tests) / sizeof(tests[0]));
}
