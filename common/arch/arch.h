/* SPDX-License-Identifier: MIT */
/*
 * arch.h - what the generic core asks of an architecture back end.
 *
 * Exactly one back end is linked into a program: common/arch/x86_64.c on
 * an x86_64 host, common/arch/arm64.c on an arm64 host. The Makefile picks
 * the file; generic code only calls the functions below, so it never needs
 * an #ifdef on the architecture (the same split as kvmtool's kvm-cpu.c and
 * the KVM selftests' lib/x86 and lib/arm64).
 */
#ifndef KIT_ARCH_H
#define KIT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm.h>

#include "../kit.h"

struct vm;
struct vcpu;

/* Short name of the architecture: "x86_64" or "arm64". */
extern const char arch_name[];

/* e_machine of this architecture's ELF images (EM_X86_64, EM_AARCH64). */
extern const unsigned arch_elf_machine;

/* The register set KVM_CAP_SYNC_REGS can carry for the general registers
 * (x86: KVM_SYNC_X86_REGS), or 0 where the architecture has none. */
extern const uint64_t arch_sync_regs_gprs;

/* Called by vcpu_create() after the vCPU exists and kvm_run is mapped. */
int arch_vcpu_init(struct vcpu *cpu);

/*
 * The program counter, the guest physical address it points at (after
 * segmentation and paging), and the instruction set the CPU is executing.
 * Returns 0 or a negative errno.
 */
int arch_vcpu_pc(struct vcpu *cpu, uint64_t *pc, uint64_t *pc_gpa, enum kit_isa *isa);

/* Print the general-purpose and the most useful system registers. */
void arch_dump_registers(struct vcpu *cpu, FILE *out);

/*
 * Architecture-specific lines for the diagnosis of the current exit:
 * pending exceptions, what a shutdown usually means, and so on.
 */
void arch_diagnose_exit(struct vcpu *cpu, FILE *out);

/*
 * Is the current exit the guest writing to its console? If so, point
 * `data` at the bytes and set `len`. (x86: an `out` to port 0x3f8.)
 */
bool arch_console_output(struct vcpu *cpu, const uint8_t **data, size_t *len);

/* Is the current exit the guest's normal end? (x86: KVM_EXIT_HLT.) */
bool arch_exit_is_halt(const struct kvm_run *run);

/*
 * A sentence explaining what errno `err` from KVM_RUN usually means on this
 * architecture (arm64: ENOSYS is an MMIO access the kernel could not
 * decode), or "" when there is nothing specific to say.
 */
const char *arch_explain_run_error(struct vcpu *cpu, int err);

#endif /* KIT_ARCH_H */
