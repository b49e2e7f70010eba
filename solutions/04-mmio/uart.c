/* SPDX-License-Identifier: MIT */
/*
 * uart.c - lesson 04, section 5: a 16550 UART, the PC's serial chip, as
 * an MMIO device: one byte per register (common/abi/devices_abi.h).
 * Nothing is ever received and the line is always free, so LSR says
 * "room to send" (THRE | TEMT) and RBR reads 0.
 */
#include <errno.h>

#include "mmio.h"

static int uart_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	struct uart16550 *u = dev->priv;
	bool dlab = u->lcr & UART_LCR_DLAB;

	(void)len; /* the device takes single bytes only (dev->sizes) */
	switch (offset) {
	case UART_RBR: data[0] = dlab ? u->dll : 0; break;
	case UART_IER: data[0] = dlab ? u->dlm : u->ier; break;
	case UART_IIR: data[0] = UART_IIR_NO_INT; break;
	case UART_LCR: data[0] = u->lcr; break;
	case UART_MCR: data[0] = u->mcr; break;
	case UART_LSR: data[0] = UART_LSR_THRE | UART_LSR_TEMT; break;
	case UART_MSR: data[0] = 0; break;
	case UART_SCR: data[0] = u->scr; break;
	default:
		return kit_error(-EINVAL, "uart: no register at offset %llu",
				 (unsigned long long)offset);
	}
	return 0;
}

static int uart_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
		      uint32_t len)
{
	struct uart16550 *u = dev->priv;
	bool dlab = u->lcr & UART_LCR_DLAB;

	(void)len;
	switch (offset) {
	case UART_THR:
		if (dlab) {
			u->dll = data[0];
		} else {
			if (u->out)
				fputc(data[0], u->out);
			u->sent++;
		}
		break;
	case UART_IER:
		if (dlab)
			u->dlm = data[0];
		else
			u->ier = data[0];
		break;
	case UART_FCR: break;  /* FIFO control: there is nothing to flush */
	case UART_LCR: u->lcr = data[0]; break;
	case UART_MCR: u->mcr = data[0]; break;
	case UART_LSR:
	case UART_MSR: break;  /* read-only: a write changes nothing */
	case UART_SCR: u->scr = data[0]; break;
	default:
		return kit_error(-EINVAL, "uart: no register at offset %llu",
				 (unsigned long long)offset);
	}
	return 0;
}

void uart_init(struct uart16550 *uart, uint64_t base, FILE *out)
{
	*uart = (struct uart16550){
		.dev = { .name = "uart", .base = base, .len = UART_REGS, .sizes = MMIO_SIZE_1,
			 .unaligned = true, .read = uart_read, .write = uart_write,
			 .priv = uart },
		.out = out,
	};
}
