/* SPDX-License-Identifier: MIT */
/*
 * longmode_x86_64.c - lesson 02, sections 3 to 6: the host puts the vCPU
 * straight into 64-bit long mode, as a boot loader would have.
 *
 * Long mode needs, all at once (Intel SDM vol. 3A, 10.8.5 "Initializing
 * IA-32e Mode"): paging with PAE page tables (CR3, CR4.PAE, CR0.PG),
 * protection (CR0.PE), EFER.LME and EFER.LMA, and a 64-bit code segment
 * (CS.L = 1, CS.D = 0). KVM_SET_SREGS refuses a mix that is not valid.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "c_guests.h"
#include "layout.h"
#include "arch/x86_64.h"

/* Section 3: identity-map the first 1 GiB with 512 pages of 2 MiB. */
int lm_build_page_tables(struct vm *vm)
{
	uint64_t *pml4 = guest_ptr(vm, LM_PML4_GPA, 4096);
	uint64_t *pdpt = guest_ptr(vm, LM_PDPT_GPA, 4096);
	uint64_t *pd = guest_ptr(vm, LM_PD_GPA, 4096);
	uint64_t i;

	if (!pml4 || !pdpt || !pd)
		return kit_error(-EFAULT, "page tables outside guest memory: %s", kit_last_error());
	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	/* One entry each covers 512 GiB (PML4) and 1 GiB (PDPT). */
	pml4[0] = LM_PDPT_GPA | X86_PTE_PRESENT | X86_PTE_RW;
	pdpt[0] = LM_PD_GPA | X86_PTE_PRESENT | X86_PTE_RW;
	/* Each PD entry maps 2 MiB directly (PS): virtual == physical. */
	for (i = 0; i < 512; i++)
		pd[i] = (i << 21) | X86_PTE_PRESENT | X86_PTE_RW | X86_PTE_PS;
	return 0;
}

/* A GDT entry: base 0, limit 4 GiB, with these access and flag bits. */
static uint64_t gdt_entry(uint8_t access, uint8_t flags)
{
	return 0xffffULL |                  /* limit 15:0 */
	       ((uint64_t)access << 40) |   /* P, DPL, S, type */
	       (0xfULL << 48) |             /* limit 19:16 */
	       ((uint64_t)flags << 52);     /* G, D/B, L */
}

/* KVM takes each segment register whole, hidden part included. */
static struct kvm_segment segment(uint16_t selector, uint8_t type, bool code)
{
	struct kvm_segment s = {
		.base = 0, .limit = 0xffffffff, .selector = selector,
		.type = type, .present = 1, .dpl = 0, .s = 1, .g = 1,
		.l = code ? 1 : 0,  /* 64-bit code */
		.db = code ? 0 : 1, /* must be 0 when L is 1 */
	};
	return s;
}

/* Section 4: segments and control registers for long mode. */
int lm_enter_long_mode(struct vcpu *cpu)
{
	struct kvm_sregs sregs;
	uint64_t *gdt = guest_ptr(cpu->vm, LM_GDT_GPA, 3 * sizeof(uint64_t));

	if (!gdt)
		return kit_error(-EFAULT, "GDT outside guest memory: %s", kit_last_error());
	/* The GDT in memory matches the hidden parts given to KVM, so a guest
	 * that reloads a segment register gets the same segment. */
	gdt[0] = 0;                      /* the null descriptor */
	gdt[1] = gdt_entry(0x9b, 0xa);   /* 0x08: code, present, L=1, G=1 */
	gdt[2] = gdt_entry(0x93, 0xc);   /* 0x10: data, present, D=1, G=1 */

	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_GET_SREGS", NULL);
	sregs.gdt.base = LM_GDT_GPA;
	sregs.gdt.limit = 3 * sizeof(uint64_t) - 1;
	sregs.cs = segment(0x08, 11, true);     /* execute/read, accessed */
	sregs.ds = segment(0x10, 3, false);     /* read/write, accessed */
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;

	sregs.cr3 = LM_PML4_GPA;
	sregs.cr4 = X86_CR4_PAE;
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP |
		    X86_CR0_PG;
	/* LME asks for long mode; LMA says it is active. With SET_SREGS we
	 * set both: there is no CR0.PG transition for the CPU to do it. */
	sregs.efer = X86_EFER_LME | X86_EFER_LMA;
	if (ioctl(cpu->fd, KVM_SET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_SET_SREGS",
			"KVM refuses long mode unless CR0.PG, CR4.PAE, EFER.LME and "
			"EFER.LMA are all set");
	return 0;
}

/* Section 5: give the guest the CPUID that KVM supports. */
int lm_setup_cpuid(struct vcpu *cpu)
{
	struct kvm_cpuid2 *cpuid;
	int nent = 64, ret;

	/* Grow the buffer until KVM_GET_SUPPORTED_CPUID stops saying E2BIG. */
	for (;;) {
		cpuid = calloc(1, sizeof(*cpuid) + (size_t)nent * sizeof(cpuid->entries[0]));
		if (!cpuid)
			return kit_error(-ENOMEM, "out of memory for CPUID entries");
		cpuid->nent = (uint32_t)nent;
		if (ioctl(cpu->vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) == 0)
			break;
		ret = kit_syscall_error("KVM_GET_SUPPORTED_CPUID", NULL);
		free(cpuid);
		if (ret != -E2BIG || nent >= 4096)
			return ret;
		nent *= 2;
	}
	ret = 0;
	if (ioctl(cpu->fd, KVM_SET_CPUID2, cpuid) < 0)
		ret = kit_syscall_error("KVM_SET_CPUID2", "set CPUID before the first KVM_RUN");
	free(cpuid);
	return ret;
}

/* Section 6: where the guest starts. */
int lm_set_entry(struct vcpu *cpu, uint64_t entry, uint64_t stack_top)
{
	struct kvm_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rsp = stack_top;
	regs.rflags = X86_RFLAGS_RESERVED1;
	if (ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_SET_REGS", NULL);
	return 0;
}
