/* SPDX-License-Identifier: MIT */
/*
 * uart.c - lesson 04, section 5: a 16550 UART, the PC's serial chip, as
 * an MMIO device: one byte per register (common/abi/devices_abi.h).
 */
#include <errno.h>

#include "mmio.h"

#define LESSON "04-mmio"

static int uart_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	/*
	 * TODO: data[0] for the register at `offset` (0-7), as section 5's
	 * table says: LSR always THRE | TEMT, IIR "no interrupt", RBR 0;
	 * with LCR.DLAB set, offsets 0 and 1 are DLL and DLM.
	 */
	(void)dev;
	(void)offset;
	(void)data;
	(void)len;
	return kit_todo(LESSON, "5. A UART", "uart_read()");
}

static int uart_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
		      uint32_t len)
{
	/*
	 * TODO: THR (offset 0, DLAB clear) sends data[0] to uart->out and
	 * counts it in uart->sent; the other registers keep what is written
	 * (LSR and MSR are read-only, FCR has nothing to do).
	 */
	(void)dev;
	(void)offset;
	(void)data;
	(void)len;
	return kit_todo(LESSON, "5. A UART", "uart_write()");
}

void uart_init(struct uart16550 *uart, uint64_t base, FILE *out)
{
	/*
	 * TODO: every register 0; uart->dev a device named "uart" of
	 * UART_REGS bytes at `base` that takes 1-byte accesses, with
	 * uart_read, uart_write and `uart` as its priv; uart->out = out.
	 */
	(void)uart_read;
	(void)uart_write;
	*uart = (struct uart16550){ .out = out };
	(void)base;
	kit_todo(LESSON, "5. A UART", "uart_init()");
}
