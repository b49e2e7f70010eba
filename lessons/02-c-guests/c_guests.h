/* SPDX-License-Identifier: MIT */
/*
 * c_guests.h - the steps of lesson 02: run a C program as a 64-bit guest,
 * and say clearly what happened when one crashes.
 *
 * You write them in load.c and, on x86_64, longmode_x86_64.c and
 * crash_x86_64.c; on arm64, entry_arm64.c and crash_arm64.c. From here on
 * the core does what lesson 01 did by hand: vm_create(), vm_add_memory(),
 * vcpu_create(), and vcpu_run_loop() for the run. Guest memory layout:
 * guest-x86/lib/layout.h, guest-arm64/lib/layout.h.
 */
#ifndef C_GUESTS_H
#define C_GUESTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kit.h"

/* README section 2 (load.c): load an ELF guest with the core's elf_load()
 * and return its entry point in *entry. */
int lm_load_elf(struct vm *vm, const void *image, size_t size, uint64_t *entry);

/* x86_64 only. README section 3 (longmode_x86_64.c): page tables that map the first
 * LM_MAPPED_SIZE bytes of guest memory to themselves with 2 MiB pages. */
int lm_build_page_tables(struct vm *vm);

/* README section 4: a GDT in guest memory, and CS/DS/ES/FS/GS/SS, CR0,
 * CR3, CR4 and EFER for 64-bit long mode, with KVM_SET_SREGS. */
int lm_enter_long_mode(struct vcpu *cpu);

/* README section 5: what CPUID tells the guest (KVM_SET_CPUID2). */
int lm_setup_cpuid(struct vcpu *cpu);

/* README section 6: where the guest starts.
 * x86_64 (longmode_x86_64.c): RIP = entry, RSP = stack_top, RFLAGS = 0x2.
 * arm64 (entry_arm64.c): PC = entry, SP_EL1 = stack_top, X0 = LM_RAM_SIZE
 * (the guest learns how much RAM it has from X0). */
int lm_set_entry(struct vcpu *cpu, uint64_t entry, uint64_t stack_top);

/* README section 8 (crash_<arch>.c): what a crashed guest did, in facts. */
#define CRASH_CODE_BYTES 16

struct crash_report {
	uint32_t exit_reason;          /* cpu->run->exit_reason */
	const char *exit_name;         /* kvm_exit_name() of it */
	uint64_t pc, sp;               /* x86: RIP, RSP; arm64: PC, SP_EL1 */
	/* x86: rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8-r15 (16);
	 * arm64: x0-x30 (31) */
	uint64_t regs[32];
	unsigned nregs;
	bool has_fault_address;        /* the guest physical address it faulted on */
	uint64_t fault_address;
	bool fault_is_write;
	/* arm64: an exception the guest took (its runtime reports them): the
	 * syndrome, the faulting address and where it happened. */
	bool has_exception;
	uint64_t esr, far, elr;
	uint8_t code[CRASH_CODE_BYTES]; /* the bytes at PC, as many as are in RAM */
	size_t code_len;               /* 0 if PC is not in guest memory */
};

int lm_crash_report(struct vcpu *cpu, struct crash_report *report);

/* Given (crash_print_<arch>.c): the report in words, with the
 * instruction at the PC disassembled. */
void lm_crash_print(const struct crash_report *report, FILE *out);

/*
 * Given (boot_<arch>.c): everything above in order, for an ELF guest in
 * `image`: a VM with LM_RAM_SIZE bytes of RAM, the image loaded, (on x86)
 * long mode and CPUID, and the entry state. On failure everything is
 * undone.
 */
int lm_boot(struct vm *vm, struct vcpu *cpu, const void *image, size_t size);

#endif /* C_GUESTS_H */
