/* SPDX-License-Identifier: MIT */
/*
 * devices.c - lesson 04's guest: drives every device with every access
 * size it takes, and checks what it reads back. Each line it prints went
 * through the host's UART, byte by byte.
 */
#include "l4guest.h"

static void uart_test(void)
{
	mmio_write8(UART(UART_LCR), 0x03);  /* 8 data bits, no parity, 1 stop */
	check_value("uart LCR", mmio_read8(UART(UART_LCR)), 0x03);
	mmio_write8(UART(UART_IER), 0x00);
	check_value("uart IER", mmio_read8(UART(UART_IER)), 0x00);
	mmio_write8(UART(UART_SCR), 0xa5);
	check_value("uart SCR", mmio_read8(UART(UART_SCR)), 0xa5);
	check_value("uart IIR (no interrupt pending)", mmio_read8(UART(UART_IIR)), UART_IIR_NO_INT);
	/* The divisor latch, as a driver sets the speed: DLAB, DLL, DLM. */
	{
		uint8_t dll;

		mmio_write8(UART(UART_LCR), 0x83);
		mmio_write8(UART(UART_DLL), 0x01);  /* 115200 baud */
		mmio_write8(UART(UART_DLM), 0x00);
		dll = mmio_read8(UART(UART_DLL));
		mmio_write8(UART(UART_LCR), 0x03);  /* (with DLAB set, THR is DLL) */
		check_value("uart DLL", dll, 0x01);
	}
	check_value("uart LSR (room to send)", mmio_read8(UART(UART_LSR)),
		    UART_LSR_THRE | UART_LSR_TEMT);
	check_value("uart RBR (nothing received)", mmio_read8(UART(UART_RBR)), 0);
}

static void counter_test(void)
{
	uint64_t a, b;

	a = mmio_read64(COUNTER(COUNTER_COUNT));
	b = mmio_read64(COUNTER(COUNTER_COUNT));
	check("counter runs (a second read is larger)", b > a);
	a = mmio_read32(COUNTER(COUNTER_COUNT));
	check("counter read 4 bytes", a != 0 || mmio_read32(COUNTER(COUNTER_COUNT + 4)) != 0);

	/* The scratch register, every size, each at its own offsets. */
	mmio_write64(COUNTER(COUNTER_SCRATCH), 0x1122334455667788ULL);
	check_value("scratch, 8 bytes", mmio_read64(COUNTER(COUNTER_SCRATCH)),
		    0x1122334455667788ULL);
	mmio_write32(COUNTER(COUNTER_SCRATCH + 4), 0xdeadbeef);
	mmio_write16(COUNTER(COUNTER_SCRATCH + 2), 0xcafe);
	mmio_write8(COUNTER(COUNTER_SCRATCH + 1), 0x42);
	check_value("scratch after 4, 2 and 1-byte writes", mmio_read64(COUNTER(COUNTER_SCRATCH)),
		    0xdeadbeefcafe4288ULL);
	check_value("scratch byte 7", mmio_read8(COUNTER(COUNTER_SCRATCH + 7)), 0xde);
	check_value("scratch bytes 6-7", mmio_read16(COUNTER(COUNTER_SCRATCH + 6)), 0xdead);
	check_value("scratch bytes 0-3", mmio_read32(COUNTER(COUNTER_SCRATCH)), 0xcafe4288);

	for (a = 1; a <= 5; a++)
		mmio_write64(COUNTER(COUNTER_DOORBELL), a);
}

static void rom_test(void)
{
	volatile const uint8_t *rom = (volatile const uint8_t *)(uintptr_t)L4_ROM_GPA;
	static const char text[] = ROM_TEXT;
	unsigned i, same = 1;

	/* Plain loads: the ROM is memory, no exits. */
	uart_puts("rom says: ");
	for (i = 0; i < sizeof(text) - 1; i++) {
		uart_putc((char)rom[i]);
		same &= rom[i] == (uint8_t)text[i];
	}
	check("rom text", same);
	/* A store: KVM_EXIT_MMIO, and the ROM stays as it was. */
	mmio_write32(L4_ROM_GPA + 0x40, 0x12345678);
	check_value("rom bytes 0x40-0x43 after a write", mmio_read32(L4_ROM_GPA + 0x40),
		    (uint32_t)ROM_BYTE(0x40) | (uint32_t)ROM_BYTE(0x41) << 8 |
		    (uint32_t)ROM_BYTE(0x42) << 16 | (uint32_t)ROM_BYTE(0x43) << 24);
}

int main(void)
{
	uart_puts("hello from the guest, through your UART\n");
	uart_test();
	counter_test();
	rom_test();
	uart_puts(wrong ? "devices: WRONG\n" : "devices: all ok\n");
	return 0;
}
