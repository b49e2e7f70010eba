/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where lesson 01's arm64 guests live, shared by the guests and
 * the host (which includes this file), so both agree on the numbers.
 * guest-arm64/flat.ld links the guests at GUEST_LOAD_GPA.
 */
#ifndef GUEST_ARM64_01_LAYOUT_H
#define GUEST_ARM64_01_LAYOUT_H

/* RAM at 1 GiB, as on QEMU's virt board; 64 KiB: a whole number of 4, 16
 * and 64 KiB pages, and aligned to all of them. */
#define GUEST_RAM_GPA   0x40000000
#define GUEST_RAM_SIZE  0x10000
#define GUEST_LOAD_GPA  0x40000000   /* the image's first byte, and its entry */
#define GUEST_STACK_TOP (GUEST_RAM_GPA + GUEST_RAM_SIZE)

/* The guests print one byte per store to this UART-like data register (no
 * memory there: each store is a KVM_EXIT_MMIO). */
#define GUEST_UART_GPA  0x09000000

/* PSCI 0.2 (Arm DEN 0022), called with `hvc #0`, function ID in x0. */
#define GUEST_PSCI_SYSTEM_OFF   0x84000008
#define GUEST_PSCI_SYSTEM_RESET 0x84000009

/* What hello.S prints; the graded checks expect exactly these bytes. */
#define GUEST_HELLO_TEXT "Hello, KVM! This line came from an AArch64 guest, one byte per exit.\n"

#endif
