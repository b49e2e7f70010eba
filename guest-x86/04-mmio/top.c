/* SPDX-License-Identifier: MIT */
/*
 * top.c - accesses at the top of the physical address space. The host's
 * page tables map only the first 1 GiB, so the guest maps the rest
 * itself: CPUID 0x80000008 says how many physical address bits there are
 * (MAXPHYADDR, M), and a 2 MiB page at virtual 0x7fe00000 is made to
 * point at the last 2 MiB below 2^M. Every size is written and read back
 * at the very last bytes (the host has a device there), then below the
 * device (nobody's). Past the top there is nothing a page table can even
 * name: a page at 2^M sets a reserved bit, and the access to it is a page
 * fault, which the guest's one interrupt gate records before halting.
 */
#include "guest.h"
#include "mmio.h"
#include "hostile_abi.h"
#include "hostile_x86.h"

#define PTE_P   0x1ULL
#define PTE_RW  0x2ULL
#define PTE_PCD 0x10ULL
#define PTE_PS  0x80ULL         /* a 2 MiB page, in a PD */

#define HOSTILE_STR_(x) #x
#define HOSTILE_STR(x) HOSTILE_STR_(x)

/* VA 1 GiB-2 GiB: PDPT[1]; its last 2 MiB page holds the top of the
 * physical address space. VA 2 GiB: PDPT[2], one page just past it. */
#define VA_TOP 0x80000000ULL

static uint64_t pd_below[512] __attribute__((aligned(4096)));
static uint64_t pd_past[512] __attribute__((aligned(4096)));

struct gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

static struct gate idt[32] __attribute__((aligned(16)));

/* #PF: the CPU pushed an error code. Record it and CR2, and halt: the
 * faulting instruction's length is not known here, so there is no going
 * on after it. */
__asm__(
	"	.text\n"
	"	.globl	pf_entry\n"
	"pf_entry:\n"
	"	popq	%rax\n"
	"	movq	%rax, " HOSTILE_STR(HOSTILE_RES_GPA) " + 8 * " HOSTILE_STR(RES_ESR) "\n"
	"	movq	%cr2, %rax\n"
	"	movq	%rax, " HOSTILE_STR(HOSTILE_RES_GPA) " + 8 * " HOSTILE_STR(RES_FAR) "\n"
	"	incq	" HOSTILE_STR(HOSTILE_RES_GPA) " + 8 * " HOSTILE_STR(RES_EXC) "\n"
	"1:	hlt\n"
	"	jmp	1b\n");
void pf_entry(void);

int main(void)
{
	volatile uint64_t *res = (volatile uint64_t *)HOSTILE_RES_GPA;
	volatile uint64_t *pdpt = (volatile uint64_t *)LM_PDPT_GPA;
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;
	uint32_t eax, ebx, ecx, edx;
	uint64_t top, cr3, handler = (uint64_t)pf_entry;
	uint16_t cs;
	unsigned k;

	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x80000008));
	top = 1ULL << (eax & 0xff);
	res[RES_AUX] = eax & 0xff;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	idt[14] = (struct gate){ .off_lo = (uint16_t)handler, .sel = cs, .type = 0x8e,
				 .off_mid = (uint16_t)(handler >> 16),
				 .off_hi = (uint32_t)(handler >> 32) };
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr));

	/* Uncached (PCD): these are device registers, not memory. */
	pd_below[511] = (top - 0x200000) | PTE_P | PTE_RW | PTE_PCD | PTE_PS;
	pd_past[0] = top | PTE_P | PTE_RW | PTE_PCD | PTE_PS;
	pdpt[1] = (uint64_t)pd_below | PTE_P | PTE_RW;
	pdpt[2] = (uint64_t)pd_past | PTE_P | PTE_RW;
	__asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3" : "=r"(cr3) : : "memory");

	for (k = 0; k < 4; k++) {
		hostile_write(VA_TOP - (1u << k), 1u << k, top_value(1u << k));
		res[RES_VAL + k] = hostile_read(VA_TOP - (1u << k), 1u << k);
	}
	res[RES_VAL + 4] = hostile_read(VA_TOP - 24, 8);  /* below the device */
	res[RES_VAL + 5] = hostile_read(VA_TOP - 20, 8);  /* straddles its first byte */
	res[RES_DONE] = HOSTILE_DONE;
	(void)*(volatile uint8_t *)VA_TOP;                /* 2^M: a page fault */
	return 1;                                          /* not reached */
}
