/* SPDX-License-Identifier: MIT */
/*
 * layout.h - the memory of the kit's 64-bit x86 guests (lessons 02 on),
 * shared by the guests, their linker script and the host.
 *
 *   0x0000_0000  +------------------------+
 *                | (unused)               |
 *   0x0000_1000  | PML4                   |  page tables, built by the host:
 *   0x0000_2000  | PDPT                   |  the first 1 GiB identity-mapped
 *   0x0000_3000  | PD (512 x 2 MiB)       |  with 2 MiB pages
 *   0x0000_4000  | GDT                    |
 *   0x0010_0000  | the guest's ELF image  |  linked here (guest.ld)
 *       ...      |                        |
 *   0x003f_f000  | ^ the stack grows down |  LM_STACK_TOP
 *                | the last page: free    |  (guests test the edge of RAM here)
 *   0x0040_0000  +--- top of RAM ---------+  4 MiB of RAM in all
 *       ...        mapped but no memory: a guest access here is an MMIO exit
 *   0x1000_0000    lesson 04's devices (L4_*), and its ROM at 0x1010_0000
 *   0x4000_0000    not even mapped: an access here is a page fault
 */
#ifndef GUEST_X86_LAYOUT_H
#define GUEST_X86_LAYOUT_H

#define LM_RAM_GPA        0x0
#define LM_RAM_SIZE       0x400000     /* 4 MiB */
#define LM_PML4_GPA       0x1000
#define LM_PDPT_GPA       0x2000
#define LM_PD_GPA         0x3000
#define LM_GDT_GPA        0x4000
#define LM_IMAGE_GPA      0x100000     /* where guest.ld links the guests */
#define LM_STACK_TOP      (LM_RAM_SIZE - 0x1000) /* below the last page */
#define LM_MAPPED_SIZE    0x40000000   /* 1 GiB identity-mapped */

/* Guest addresses the broken guests of lesson 02 use on purpose. */
#define LM_UNBACKED_ADDR  0x20000000   /* mapped, but no memory there */

#define LM_SERIAL_PORT    0x3f8

/* Lesson 04's devices (common/abi/devices_abi.h): mapped by the page
 * tables, no RAM behind them, so every access is an MMIO exit; and the
 * ROM, a read-only memory slot, 64 KiB (a whole number of pages on every
 * host the kit runs on). */
#define L4_UART_GPA       0x10000000
#define L4_COUNTER_GPA    0x10001000
#define L4_PROBE_GPA      0x10002000   /* the checks' own device */
#define L4_UNCLAIMED_GPA  0x10003000   /* nothing is ever there */
#define L4_ROM_GPA        0x10100000
#define L4_ROM_SIZE       0x10000

/* Lesson 06's benchmark guest (common/abi/bench_abi.h): its parameter
 * page in RAM, the ports and the addresses of each kind of exit. */
#define L6_PARAMS_GPA        0x8000
#define L6_PIO_PORT          0x700
#define L6_MARK_PORT         0x701
#define L6_EVENTFD_PORT      0x702
#define L6_MMIO_GPA          0x10200000
#define L6_STRAY_GPA         0x10200100
#define L6_EVENTFD_GPA       0x10201000
#define L6_EVENTFD_MATCH_GPA 0x10202000
#define L6_COALESCED_GPA     0x10203000
#define L6_DATA_GPA          0x10210000   /* BENCH_MAX_WORDS words */

#endif
