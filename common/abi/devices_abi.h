/* SPDX-License-Identifier: MIT */
/*
 * devices_abi.h - lesson 04's devices as the guest and the host both see
 * them: register offsets, bits and constants. Where the devices are is
 * each architecture's business (L4_*_GPA in the guests' layout.h).
 *
 * UART: a 16550, the PC's serial chip (Linux's <linux/serial_reg.h> names
 * the same registers), one byte per register, registers 0 to 7:
 *   0  THR  (write) a byte to send          RBR (read) a byte received
 *   1  IER  interrupt enable (kept, no interrupts here)
 *   2  IIR  (read) 0x01: no interrupt       FCR (write) FIFO control
 *   3  LCR  line control; bit 7 (DLAB) turns 0 and 1 into DLL and DLM
 *   4  MCR  modem control (kept)
 *   5  LSR  line status: THRE and TEMT, "room to send", always here
 *   6  MSR  modem status (0)
 *   7  SCR  scratch (kept)
 * A driver waits for LSR.THRE, then writes up to a FIFO's worth of bytes
 * (16 on a 16550A) before it looks again.
 *
 * Counter: three 8-byte registers, little-endian, accessed 1, 2, 4 or 8
 * bytes at a time at an offset that is a multiple of the size:
 *   0x00 COUNTER   (read) a free-running count of nanoseconds
 *   0x08 SCRATCH   (read/write) holds what was written
 *   0x10 DOORBELL  (write) the host counts the writes
 */
#ifndef KIT_DEVICES_ABI_H
#define KIT_DEVICES_ABI_H

#define UART_THR 0
#define UART_RBR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_IIR 2
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7
#define UART_REGS 8

#define UART_LCR_DLAB   0x80
#define UART_IIR_NO_INT 0x01
#define UART_LSR_DR     0x01 /* a received byte is waiting (never, here) */
#define UART_LSR_THRE   0x20 /* the transmit holding register is empty */
#define UART_LSR_TEMT   0x40 /* and so is the transmitter */
#define UART_FIFO_SIZE  16

#define COUNTER_COUNT    0x00
#define COUNTER_SCRATCH  0x08
#define COUNTER_DOORBELL 0x10
#define COUNTER_REGS     0x18

/* The value the doorbell's ioeventfd matches when it matches one. */
#define DOORBELL_MAGIC 0x5a5aULL

/* The first bytes of the ROM (the rest is a pattern, ROM_BYTE(offset)). */
#define ROM_TEXT "This line lives in a read-only slot: read at memory speed.\n"
#define ROM_BYTE(offset) ((unsigned char)((offset) * 7 + 3))

#endif
