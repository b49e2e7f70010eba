/* SPDX-License-Identifier: MIT */
/*
 * layout.h - the memory of the kit's AArch64 C guests (lessons 02 on),
 * shared by the guests, their linker script and the host. The names are
 * the x86 guests' (guest-x86/lib/layout.h), so host code common to both
 * reads the same: LM_ for "lesson memory".
 *
 *   0x0900_0000    the UART's data register: a byte stored here is output
 *   0x0900_1000    the fault register: the runtime's exception vectors
 *                  store the syndrome here, so a crash ends the run
 *   0x0a00_0000    lesson 04's devices (L4_*), and its ROM at 0x0a10_0000
 *   0x2000_0000    nothing at all: an access here is an MMIO exit
 *   0x4000_0000  +------------------------+  RAM, 4 MiB
 *   0x4010_0000  | the guest's ELF image  |  linked here (guest.ld)
 *                | ^ the stack grows down |  LM_STACK_TOP
 *   0x403f_0000  | the last 64 KiB: free  |  (guests test the edge of RAM)
 *   0x4040_0000  +--- end of RAM ---------+
 *
 * The MMU stays off: every address is physical. Everything is aligned to
 * 64 KiB, so a host with 4, 16 or 64 KiB pages can map it.
 */
#ifndef GUEST_ARM64_LAYOUT_H
#define GUEST_ARM64_LAYOUT_H

#define LM_RAM_GPA        0x40000000
#define LM_RAM_SIZE       0x400000
#define LM_IMAGE_GPA      0x40100000
#define LM_STACK_TOP      (LM_RAM_GPA + LM_RAM_SIZE - 0x10000)

#define LM_UART_GPA       0x09000000
#define LM_FAULT_GPA      0x09001000
#define LM_UNBACKED_ADDR  0x20000000

/* Lesson 04's devices (common/abi/devices_abi.h): no RAM behind them, so
 * every access is an MMIO exit; and the ROM, a read-only memory slot. */
#define L4_UART_GPA       0x0a000000
#define L4_COUNTER_GPA    0x0a001000
#define L4_PROBE_GPA      0x0a002000   /* the checks' own device */
#define L4_UNCLAIMED_GPA  0x0a003000   /* nothing is ever there */
#define L5_MEM_GPA        0x0a004000   /* lesson 05's memory-like device */

/* Lesson 06's benchmark guest (common/abi/bench_abi.h): its parameter
 * page in RAM and the addresses of each kind of exit. No ports here. */
#define L6_PARAMS_GPA        0x40008000
#define L6_MMIO_GPA          0x0a200000
#define L6_STRAY_GPA         0x0a200100
#define L6_MARK_GPA          0x0a200200
#define L6_EVENTFD_GPA       0x0a201000
#define L6_EVENTFD_MATCH_GPA 0x0a202000
#define L6_COALESCED_GPA     0x0a203000
#define L6_DATA_GPA          0x0a210000   /* BENCH_MAX_WORDS words */
#define L4_ROM_GPA        0x0a100000
#define L4_ROM_SIZE       0x10000

#endif
