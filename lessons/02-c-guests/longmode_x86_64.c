/* SPDX-License-Identifier: MIT */
/*
 * longmode_x86_64.c - lesson 02, sections 3 to 6: the host puts the vCPU
 * straight into 64-bit long mode, as a boot loader would have.
 *
 * This is your file. Constants for every bit: common/arch/x86_64.h.
 * Addresses of the page tables, the GDT and the image:
 * guest-x86/lib/layout.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "c_guests.h"
#include "layout.h"
#include "arch/x86_64.h"

#define LESSON "02-c-guests"

/* Section 3: identity-map the first 1 GiB with 512 pages of 2 MiB. */
int lm_build_page_tables(struct vm *vm)
{
	/*
	 * TODO: through guest_ptr(), one 4 KiB table each at LM_PML4_GPA,
	 * LM_PDPT_GPA and LM_PD_GPA: PML4[0] -> PDPT, PDPT[0] -> PD, and
	 * PD[i] = i * 2 MiB | X86_PTE_PRESENT | X86_PTE_RW | X86_PTE_PS.
	 */
	(void)vm;
	return kit_todo(LESSON, "3. Page tables", "lm_build_page_tables()");
}

/* Section 4: segments and control registers for long mode. */
int lm_enter_long_mode(struct vcpu *cpu)
{
	/*
	 * TODO:
	 *  - a GDT at LM_GDT_GPA: null, 64-bit code (selector 0x08), data (0x10);
	 *  - KVM_GET_SREGS; gdt base/limit; CS from the code entry (L=1, D=0),
	 *    DS/ES/FS/GS/SS from the data entry;
	 *  - CR3 = LM_PML4_GPA, CR4.PAE, CR0.PE|PG (and friends),
	 *    EFER.LME|LMA; KVM_SET_SREGS.
	 */
	(void)cpu;
	return kit_todo(LESSON, "4. Long mode", "lm_enter_long_mode()");
}

/* Section 5: give the guest the CPUID that KVM supports. */
int lm_setup_cpuid(struct vcpu *cpu)
{
	/*
	 * TODO: KVM_GET_SUPPORTED_CPUID on cpu->vm->kvm_fd (grow the buffer
	 * while it fails with E2BIG), then KVM_SET_CPUID2 on cpu->fd.
	 */
	(void)cpu;
	return kit_todo(LESSON, "5. CPUID", "lm_setup_cpuid()");
}

/* Section 6: where the guest starts. */
int lm_set_entry(struct vcpu *cpu, uint64_t entry, uint64_t stack_top)
{
	/* TODO: KVM_SET_REGS with rip = entry, rsp = stack_top, rflags = 0x2. */
	(void)cpu;
	(void)entry;
	(void)stack_top;
	return kit_todo(LESSON, "6. The entry state", "lm_set_entry()");
}
