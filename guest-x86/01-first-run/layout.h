/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where lesson 01's x86 guests live, shared by the guests and
 * the host (which includes this file), so both agree on the numbers.
 * guest-x86/realmode.ld links the guests at GUEST_LOAD_GPA.
 */
#ifndef GUEST_X86_01_LAYOUT_H
#define GUEST_X86_01_LAYOUT_H

#define GUEST_RAM_GPA   0x0       /* guest RAM starts at guest physical 0 */
#define GUEST_RAM_SIZE  0x10000   /* 64 KiB: a multiple of 4, 16 and 64 KiB pages */
#define GUEST_LOAD_GPA  0x1000    /* the image's first byte, and its entry point */
#define GUEST_SERIAL_PORT 0x3f8   /* the guests print with `out` to this port */

/* What hello.S prints; the graded checks expect exactly these bytes. */
#define GUEST_HELLO_TEXT "Hello, KVM! This line came from a real-mode guest, one byte per exit.\n"

#endif
