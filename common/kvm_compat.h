/* SPDX-License-Identifier: MIT */
/*
 * kvm_compat.h - KVM constants newer than the system's <linux/kvm.h>.
 *
 * Debian 12 ships the Linux 6.1 UAPI headers; a Raspberry Pi or a newer
 * distribution may ship newer ones. Each value below is the kernel's own
 * (include/uapi/linux/kvm.h upstream) and is defined only when the system
 * header lacks it. Whether the running kernel has the feature is decided at
 * run time with KVM_CHECK_EXTENSION / KVM_HAS_DEVICE_ATTR, never here.
 */
#ifndef KIT_KVM_COMPAT_H
#define KIT_KVM_COMPAT_H

#include <linux/kvm.h>

/* Exit reasons newer than Linux 5.15 (Ubuntu 22.04's headers). */
#ifndef KVM_EXIT_RISCV_SBI
#define KVM_EXIT_RISCV_SBI 35
#endif
#ifndef KVM_EXIT_RISCV_CSR
#define KVM_EXIT_RISCV_CSR 36
#endif
#ifndef KVM_EXIT_NOTIFY
#define KVM_EXIT_NOTIFY 37
#endif

/* Exit reasons added after Linux 6.1. */
#ifndef KVM_EXIT_LOONGARCH_IOCSR
#define KVM_EXIT_LOONGARCH_IOCSR 38
#endif
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT 39
#endif
#ifndef KVM_EXIT_TDX
#define KVM_EXIT_TDX 40
#endif

/* KVM_EXIT_INTERNAL_ERROR suberrors (all present in 6.1, kept for clarity). */
#ifndef KVM_INTERNAL_ERROR_EMULATION
#define KVM_INTERNAL_ERROR_EMULATION 1
#endif
#ifndef KVM_INTERNAL_ERROR_SIMUL_EX
#define KVM_INTERNAL_ERROR_SIMUL_EX 2
#endif
#ifndef KVM_INTERNAL_ERROR_DELIVERY_EV
#define KVM_INTERNAL_ERROR_DELIVERY_EV 3
#endif
#ifndef KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON 4
#endif

#endif /* KIT_KVM_COMPAT_H */
