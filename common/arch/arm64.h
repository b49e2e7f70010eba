/* SPDX-License-Identifier: MIT */
/*
 * arm64.h - names for the AArch64 registers and values the kit uses, and
 * the arm64 helpers that only arm64 lessons call. Register IDs are built
 * as api.rst describes for KVM_GET_ONE_REG/KVM_SET_ONE_REG on arm64:
 * KVM_REG_ARM64 | size | KVM_REG_ARM_CORE | offset in struct kvm_regs
 * counted in 32-bit words.
 */
#ifndef KIT_ARCH_ARM64_H
#define KIT_ARCH_ARM64_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

#define ARM64_CORE_REG(field) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))

#define ARM64_REG_X(n)     ARM64_CORE_REG(regs.regs[n])   /* X0..X30 */
#define ARM64_REG_SP_EL0   ARM64_CORE_REG(regs.sp)
#define ARM64_REG_SP_EL1   ARM64_CORE_REG(sp_el1)        /* the stack at EL1h */
#define ARM64_REG_PC       ARM64_CORE_REG(regs.pc)
#define ARM64_REG_PSTATE   ARM64_CORE_REG(regs.pstate)
#define ARM64_REG_ELR_EL1  ARM64_CORE_REG(elr_el1)       /* where an exception hit */

/* System registers: ARM64_SYS_REG(op0, op1, CRn, CRm, op2), the encoding
 * of the MRS/MSR instruction (Arm ARM, D19 "AArch64 System Register
 * Descriptions"). */
#define ARM64_REG_ESR_EL1  ARM64_SYS_REG(3, 0, 5, 2, 0)  /* exception syndrome */
#define ARM64_REG_FAR_EL1  ARM64_SYS_REG(3, 0, 6, 0, 0)  /* fault address */

/* ESR_ELx.EC, bits [31:26]: the exception class (Arm ARM D17.2.37). */
#define ARM64_ESR_EC(esr)        (((esr) >> 26) & 0x3f)
#define ARM64_EC_UNKNOWN         0x00 /* e.g. udf: an undefined instruction */
#define ARM64_EC_IABT_CUR        0x21 /* instruction abort at the same EL */
#define ARM64_EC_DABT_CUR        0x25 /* data abort at the same EL */

/* PSTATE (SPSR layout, Arm ARM C5.2.18): EL1 using SP_EL1, with debug,
 * SError, IRQ and FIQ masked: what KVM_ARM_VCPU_INIT starts a vCPU with. */
#define ARM64_PSTATE_EL1H  0x5ULL
#define ARM64_PSTATE_DAIF  (0xfULL << 6)

/* PSCI 0.2 function IDs (Arm DEN 0022): the kit's guests end with these. */
#define PSCI_SYSTEM_OFF    0x84000008ULL
#define PSCI_SYSTEM_RESET  0x84000009ULL

/* The console of the kit's arm64 guests: a one-byte data register, like a
 * UART's, at an address with no memory behind it (every store is an
 * MMIO exit). QEMU's virt machine has its PL011 here too. */
#define ARM64_UART_GPA     0x09000000ULL

struct vcpu;

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG of one 64-bit register. */
int arm64_get_reg(struct vcpu *cpu, uint64_t id, uint64_t *value);
int arm64_set_reg(struct vcpu *cpu, uint64_t id, uint64_t value);

#endif /* KIT_ARCH_ARM64_H */
