/* SPDX-License-Identifier: MIT */
/*
 * x86_64.h - names for the x86 control bits the kit uses, and the x86
 * helpers that only x86 lessons call. Values from the Intel SDM, vol. 3A
 * (chapter 2, "System Architecture Overview", and chapter 4, "Paging").
 */
#ifndef KIT_ARCH_X86_64_H
#define KIT_ARCH_X86_64_H

#include <stdint.h>

#define X86_CR0_PE (1ULL << 0)   /* protected mode */
#define X86_CR0_MP (1ULL << 1)
#define X86_CR0_ET (1ULL << 4)
#define X86_CR0_NE (1ULL << 5)
#define X86_CR0_WP (1ULL << 16)
#define X86_CR0_AM (1ULL << 18)
#define X86_CR0_PG (1ULL << 31)  /* paging */

#define X86_CR4_PAE (1ULL << 5)

#define X86_EFER_SCE (1ULL << 0)
#define X86_EFER_LME (1ULL << 8)  /* long mode enable */
#define X86_EFER_LMA (1ULL << 10) /* long mode active */
#define X86_EFER_NXE (1ULL << 11)

#define X86_RFLAGS_RESERVED1 (1ULL << 1) /* always 1 */

#define X86_PTE_PRESENT (1ULL << 0)
#define X86_PTE_RW      (1ULL << 1)
#define X86_PTE_US      (1ULL << 2)
#define X86_PTE_PS      (1ULL << 7) /* large page in a PDPTE / PDE */
#define X86_PTE_ADDR_MASK 0x000ffffffffff000ULL

/* The serial port the kit's x86 guests print to (COM1's data register). */
#define X86_SERIAL_PORT 0x3f8

struct vcpu;

/*
 * Flat 32-bit protected mode, no paging: CS/DS/ES/SS/FS/GS with base 0 and
 * a 4 GiB limit, CR0.PE, EIP = entry, ESP = stack, every other register 0.
 * Given (not a lesson's TODO): lesson 02 uses it for the classic "exit 6
 * with all registers zero" guest.
 */
int x86_setup_flat32(struct vcpu *cpu, uint32_t entry, uint32_t stack);

#endif /* KIT_ARCH_X86_64_H */
