/* SPDX-License-Identifier: MIT */
/*
 * checks_x86_64.c - lesson 02's graded checks (given; read, do not change).
 *
 * They call your functions, then look for themselves: at guest memory, at
 * the page tables (walked here, independently), at the registers KVM
 * holds, and at what real C guests print and do.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "c_guests.h"
#include "checks_arch.h"
#include "guest_image.h"
#include "layout.h"
#include "arch/x86_64.h"

GUEST_IMAGE_DECLARE(hello);
GUEST_IMAGE_DECLARE(control_regs);
GUEST_IMAGE_DECLARE(wild_pointer);
GUEST_IMAGE_DECLARE(jump_unmapped);
GUEST_IMAGE_DECLARE(end_of_ram);
GUEST_IMAGE_DECLARE(zero_stack);
GUEST_IMAGE_DECLARE(zero_stack32);
GUEST_IMAGE_DECLARE(regs_pattern);



static void new_vcpu(struct vm *vm, struct vcpu *cpu)
{
	ASSERT(vcpu_create(vm, cpu, 0) == 0, "vcpu_create: %s", kit_last_error());
}

/* KVM's supported CPUID, set by the check itself (not graded here): newer
 * kernels refuse EFER.LME in KVM_SET_SREGS unless CPUID has long mode. */
static void set_supported_cpuid(struct vcpu *cpu)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 1024 * sizeof(c->entries[0]));

	ASSERT(c != NULL, "out of memory");
	c->nent = 1024;
	ASSERT(ioctl(cpu->vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0,
	       "KVM_GET_SUPPORTED_CPUID failed");
	ASSERT(ioctl(cpu->fd, KVM_SET_CPUID2, c) == 0, "KVM_SET_CPUID2 failed");
	free(c);
}


/* ---- 3. Page tables -------------------------------------------------- */

/* Walk the guest's page tables ourselves; -1 if `va` is not mapped. */
static int64_t translate(struct vm *vm, uint64_t va, bool *large)
{
	uint64_t table = LM_PML4_GPA, entry = 0;
	static const int shifts[] = { 39, 30, 21, 12 };
	int level;

	*large = false;
	for (level = 0; level < 4; level++) {
		const uint64_t *t = guest_ptr(vm, table, 4096);

		if (!t)
			return -1;
		entry = t[(va >> shifts[level]) & 0x1ff];
		if (!(entry & X86_PTE_PRESENT))
			return -1;
		if (level == 2 && (entry & X86_PTE_PS)) {
			*large = true;
			return (int64_t)((entry & X86_PTE_ADDR_MASK & ~0x1fffffULL) | (va & 0x1fffff));
		}
		table = entry & X86_PTE_ADDR_MASK;
	}
	return (int64_t)(table | (va & 0xfff));
}

static void test_page_tables_identity(void)
{
	static const uint64_t probes[] = {
		0x0, 0x1000, LM_IMAGE_GPA, LM_IMAGE_GPA + 0x1234, LM_STACK_TOP - 8,
		0x200000, 0x3ff000, LM_UNBACKED_ADDR, LM_MAPPED_SIZE - 1,
	};
	struct vm vm;
	unsigned i;
	int ret;

	new_vm(&vm);
	/* Garbage where the tables go: every entry must be written, none can
	 * be right because fresh memory reads as zero. */
	memset(guest_ptr(&vm, LM_PML4_GPA, 4096), 0xff, 4096);
	memset(guest_ptr(&vm, LM_PDPT_GPA, 4096), 0xff, 4096);
	memset(guest_ptr(&vm, LM_PD_GPA, 4096), 0xff, 4096);
	ret = lm_build_page_tables(&vm);
	ASSERT(ret == 0, "lm_build_page_tables() returned %d: %s", ret, kit_last_error());
	{
		/* Section 3's tables, entry by entry. */
		const uint64_t *pml4 = guest_ptr(&vm, LM_PML4_GPA, 4096);
		const uint64_t *pdpt = guest_ptr(&vm, LM_PDPT_GPA, 4096);
		const uint64_t *pd = guest_ptr(&vm, LM_PD_GPA, 4096);
		unsigned bad = 0, e;

		EXPECT_EQ_U64("PML4[0] (the PDPT, present, writable)", pml4[0],
			      LM_PDPT_GPA | X86_PTE_PRESENT | X86_PTE_RW);
		EXPECT_EQ_U64("PDPT[0] (the PD, present, writable)", pdpt[0],
			      LM_PD_GPA | X86_PTE_PRESENT | X86_PTE_RW);
		for (e = 1; e < 512; e++)
			bad += pml4[e] != 0 || pdpt[e] != 0;
		EXPECT_EQ_U64("entries 1-511 of the PML4 and the PDPT that are not 0 (nothing "
			      "above 1 GiB is mapped)", bad, 0);
		for (e = 0, bad = 0; e < 512; e++)
			if (pd[e] != (((uint64_t)e << 21) | X86_PTE_PRESENT | X86_PTE_RW | X86_PTE_PS) &&
			    !bad++)
				FAIL("PD[%u] is 0x%llx, expected 0x%llx (2 MiB page %u: present, "
				     "writable, PS)", e, (unsigned long long)pd[e],
				     (unsigned long long)(((uint64_t)e << 21) | X86_PTE_PRESENT |
							  X86_PTE_RW | X86_PTE_PS), e);
	}
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		bool large;
		int64_t pa = translate(&vm, probes[i], &large);

		if (!EXPECT(pa >= 0, "virtual 0x%llx is not mapped; the first 1 GiB must be",
			    (unsigned long long)probes[i]))
			continue;
		EXPECT_EQ_U64("the physical address of a virtual one (identity mapping)", pa,
			      probes[i]);
		EXPECT(large, "virtual 0x%llx is not mapped by a 2 MiB page (PS bit in the PD entry)",
		       (unsigned long long)probes[i]);
	}
	{
		bool large;

		EXPECT(translate(&vm, LM_MAPPED_SIZE, &large) < 0,
		       "virtual 0x%llx (1 GiB) should not be mapped", (unsigned long long)LM_MAPPED_SIZE);
	}
	vm_destroy(&vm);
}

/* ---- 4. Long mode ---------------------------------------------------- */

static void test_long_mode_registers(void)
{
	struct kvm_sregs s;
	struct vm vm;
	struct vcpu cpu;
	const uint64_t *gdt;
	uint64_t cs_desc;
	int ret;

	new_vm(&vm);
	new_vcpu(&vm, &cpu);
	set_supported_cpuid(&cpu);
	memset(guest_ptr(&vm, LM_GDT_GPA, 24), 0xff, 24); /* every descriptor to be written */
	ret = lm_enter_long_mode(&cpu);
	ASSERT(ret == 0, "lm_enter_long_mode() returned %d: %s", ret, kit_last_error());
	ASSERT(ioctl(cpu.fd, KVM_GET_SREGS, &s) == 0, "KVM_GET_SREGS failed");
	/* Section 4's table, exactly. */
	EXPECT_EQ_U64("CR0 (PE, MP, ET, NE, WP, PG)", s.cr0, 0x80010033);
	EXPECT_EQ_U64("CR3", s.cr3, LM_PML4_GPA);
	EXPECT_EQ_U64("CR4 (PAE)", s.cr4, X86_CR4_PAE);
	EXPECT_EQ_U64("EFER (LME, LMA)", s.efer & (X86_EFER_LME | X86_EFER_LMA | 1),
		      X86_EFER_LME | X86_EFER_LMA);
	EXPECT_EQ_U64("GDTR.base", s.gdt.base, LM_GDT_GPA);
	EXPECT_EQ_U64("GDTR.limit (three 8-byte descriptors, minus one)", s.gdt.limit, 23);
	{
		const uint64_t *d = guest_ptr(&vm, LM_GDT_GPA, 24);
		const struct kvm_segment *segs[] = { &s.cs, &s.ds, &s.es, &s.fs, &s.gs, &s.ss };
		static const char *const names[] = { "CS", "DS", "ES", "FS", "GS", "SS" };
		char what[64];
		unsigned k;

		EXPECT_EQ_U64("GDT[0] (the null descriptor)", d[0], 0);
		EXPECT_EQ_U64("GDT[1] (0x08: 64-bit code)", d[1], 0x00af9b000000ffffULL);
		EXPECT_EQ_U64("GDT[2] (0x10: data)", d[2], 0x00cf93000000ffffULL);
		for (k = 0; k < 6; k++) {
			const struct kvm_segment *g = segs[k];
			bool code = k == 0;

			snprintf(what, sizeof(what), "%s.selector", names[k]);
			EXPECT_EQ_U64(what, g->selector, code ? 0x08 : 0x10);
			snprintf(what, sizeof(what), "%s.base", names[k]);
			EXPECT_EQ_U64(what, g->base, 0);
			snprintf(what, sizeof(what), "%s.limit", names[k]);
			EXPECT_EQ_U64(what, g->limit, 0xffffffff);
			snprintf(what, sizeof(what), "%s.type", names[k]);
			EXPECT_EQ_U64(what, g->type, code ? 11 : 3);
			snprintf(what, sizeof(what), "%s: present, s, dpl, g", names[k]);
			EXPECT(g->present == 1 && g->s == 1 && g->dpl == 0 && g->g == 1,
			       "%s: present %u s %u dpl %u g %u, expected 1 1 0 1", what, g->present,
			       g->s, g->dpl, g->g);
			snprintf(what, sizeof(what), "%s.l, %s.db", names[k], names[k]);
			EXPECT(g->l == (code ? 1 : 0) && g->db == (code ? 0 : 1),
			       "%s: l %u db %u, expected %u %u", what, g->l, g->db, code ? 1 : 0,
			       code ? 0 : 1);
		}
	}
	EXPECT(s.cr0 & X86_CR0_PE, "CR0.PE (protection) is not set: cr0=0x%llx", s.cr0);
	EXPECT(s.cr0 & X86_CR0_PG, "CR0.PG (paging) is not set: cr0=0x%llx", s.cr0);
	EXPECT(s.cr4 & X86_CR4_PAE, "CR4.PAE is not set: cr4=0x%llx", s.cr4);
	EXPECT(s.efer & X86_EFER_LME, "EFER.LME is not set: efer=0x%llx", s.efer);
	EXPECT(s.efer & X86_EFER_LMA, "EFER.LMA is not set: efer=0x%llx", s.efer);
	EXPECT_EQ_U64("CR3 (the PML4's guest physical address)", s.cr3 & X86_PTE_ADDR_MASK,
		      LM_PML4_GPA);
	EXPECT_EQ_U64("CS.L (64-bit code)", s.cs.l, 1);
	EXPECT_EQ_U64("CS.D/B (must be 0 with CS.L)", s.cs.db, 0);
	EXPECT_EQ_U64("CS.present", s.cs.present, 1);
	EXPECT(s.cs.s == 1 && (s.cs.type & 0x8), "CS must be a code segment (S=1, type 8-15), "
	       "got s=%u type=%u", s.cs.s, s.cs.type);
	EXPECT(s.ss.present && s.ss.s && (s.ss.type & 0xa) == 0x2,
	       "SS must be a present, writable data segment (type 2 or 3), got present=%u "
	       "type=%u", s.ss.present, s.ss.type);
	EXPECT(s.ds.present && s.ds.s && !(s.ds.type & 0x8),
	       "DS must be a present data segment, got present=%u type=%u", s.ds.present,
	       s.ds.type);
	/* The GDT in guest memory must describe the same CS. */
	EXPECT(s.gdt.limit >= s.cs.selector + 7, "the GDT (limit %u) has no entry for CS's "
	       "selector 0x%x", s.gdt.limit, s.cs.selector);
	gdt = guest_ptr(&vm, s.gdt.base, (uint64_t)s.gdt.limit + 1);
	if (EXPECT(gdt != NULL, "the GDT at 0x%llx is not in guest memory",
		   (unsigned long long)s.gdt.base) && s.gdt.limit >= s.cs.selector + 7) {
		cs_desc = gdt[s.cs.selector >> 3];
		EXPECT((cs_desc >> 47) & 1, "the GDT entry for CS (0x%016llx) is not present",
		       (unsigned long long)cs_desc);
		EXPECT((cs_desc >> 53) & 1, "the GDT entry for CS (0x%016llx) has L=0: not 64-bit",
		       (unsigned long long)cs_desc);
	}
	/* ... and the same data segment SS and DS use. */
	EXPECT(s.gdt.limit >= s.ss.selector + 7 && s.gdt.limit >= s.ds.selector + 7,
	       "the GDT (limit %u) has no entry for SS 0x%x / DS 0x%x", s.gdt.limit,
	       s.ss.selector, s.ds.selector);
	if (gdt && s.gdt.limit >= s.ss.selector + 7 && s.ss.selector) {
		uint64_t ss_desc = gdt[s.ss.selector >> 3];

		EXPECT((ss_desc >> 47) & 1, "the GDT entry for SS (0x%016llx) is not present",
		       (unsigned long long)ss_desc);
		EXPECT(((ss_desc >> 40) & 0x1a) == 0x12, "the GDT entry for SS (0x%016llx) is "
		       "not a writable data segment", (unsigned long long)ss_desc);
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* ---- 5. CPUID -------------------------------------------------------- */

static void test_cpuid_configured(void)
{
	struct vm vm;
	struct vcpu cpu;
	struct kvm_cpuid2 *c;
	bool lm = false;
	unsigned i;
	int ret;

	new_vm(&vm);
	new_vcpu(&vm, &cpu);
	ret = lm_setup_cpuid(&cpu);
	ASSERT(ret == 0, "lm_setup_cpuid() returned %d: %s", ret, kit_last_error());
	c = calloc(1, sizeof(*c) + 512 * sizeof(c->entries[0]));
	ASSERT(c != NULL, "out of memory");
	c->nent = 512;
	ASSERT(ioctl(cpu.fd, KVM_GET_CPUID2, c) == 0, "KVM_GET_CPUID2 failed");
	EXPECT(c->nent > 1, "the vCPU has %u CPUID entries: KVM_SET_CPUID2 was not called "
	       "with KVM's supported entries", c->nent);
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0x80000001 && (c->entries[i].edx & (1u << 29)))
			lm = true;
	EXPECT(lm, "CPUID 0x80000001 EDX bit 29 (long mode) is not set for the guest");
	free(c);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* What fails on the way: guest memory that is not there, and each ioctl.
 * Each failure comes back with its errno (and the ioctl's name); E2BIG
 * from KVM_GET_SUPPORTED_CPUID means "a bigger buffer", and no buffer is
 * left behind. */
static void test_long_mode_errors(void)
{
	struct vm vm, bare = VM_EMPTY;
	struct vcpu cpu, bare_cpu;
	struct mallinfo2 before;
	int ret;

	/* A VM with no memory where the tables and the GDT go. */
	ASSERT(vm_create(&bare) == 0, "vm_create: %s", kit_last_error());
	ASSERT(vm_add_memory(&bare, 0x100000, 0x100000, 0) >= 0, "vm_add_memory: %s",
	       kit_last_error());
	EXPECT_EQ_INT("lm_build_page_tables() with no memory at 0x1000-0x3fff",
		      lm_build_page_tables(&bare), -EFAULT);
	new_vcpu(&bare, &bare_cpu);
	EXPECT_EQ_INT("lm_enter_long_mode() with no memory for the GDT at 0x4000",
		      lm_enter_long_mode(&bare_cpu), -EFAULT);
	vcpu_destroy(&bare_cpu);
	vm_destroy(&bare);

	/* Memory for only some of the three tables: each must be checked.
	 * (With pages above 4 KiB the three share one page, so only the case
	 * above can be made.) */
	if (sysconf(_SC_PAGESIZE) == 4096) {
		static const struct { uint64_t gpa, size; const char *what; } part[] = {
			{ LM_PDPT_GPA, 0x2000, "memory for the PDPT and the PD, not the PML4" },
			{ LM_PML4_GPA, 0x2000, "memory for the PML4 and the PDPT, not the PD" },
			{ LM_PML4_GPA, 0x1000, "memory for the PML4 alone" },
		};
		unsigned i;

		for (i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
			struct vm some = VM_EMPTY;

			ASSERT(vm_create(&some) == 0, "vm_create: %s", kit_last_error());
			ASSERT(vm_add_memory(&some, part[i].gpa, part[i].size, 0) >= 0,
			       "vm_add_memory: %s", kit_last_error());
			ret = lm_build_page_tables(&some);
			EXPECT(ret == -EFAULT, "lm_build_page_tables() with %s should return "
			       "-EFAULT, not %d", part[i].what, ret);
			vm_destroy(&some);
		}
	} else {
		printf("(pages of %ld bytes here: the partial-memory cases need 4 KiB)\n",
		       sysconf(_SC_PAGESIZE));
	}

	new_vm(&vm);
	/* The page tables stay in their three pages: the page after the PD
	 * (the GDT's) is not touched. */
	memset(guest_ptr(&vm, LM_PD_GPA + 4096, 16), 0x77, 16);
	ASSERT(lm_build_page_tables(&vm) == 0, "lm_build_page_tables: %s", kit_last_error());
	EXPECT_EQ_U64("the first 8 bytes after the PD (lm_build_page_tables() writes 512 "
		      "entries, not 513)", *(uint64_t *)guest_ptr(&vm, LM_PD_GPA + 4096, 8),
		      0x7777777777777777ULL);

	new_vcpu(&vm, &cpu);
	inject_ioctl_error(KVM_GET_SREGS, EFAULT, 1);
	ret = lm_enter_long_mode(&cpu);
	EXPECT_EQ_INT("lm_enter_long_mode() when KVM_GET_SREGS fails", ret, -EFAULT);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_GET_SREGS");
	inject_ioctl_error(KVM_SET_SREGS, EINVAL, 1);
	ret = lm_enter_long_mode(&cpu);
	EXPECT_EQ_INT("lm_enter_long_mode() when KVM_SET_SREGS fails", ret, -EINVAL);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_SET_SREGS");

	before = mallinfo2();
	inject_ioctl_error(KVM_GET_SUPPORTED_CPUID, E2BIG, 1);
	EXPECT_EQ_INT("lm_setup_cpuid() when KVM_GET_SUPPORTED_CPUID says E2BIG once (a "
		      "bigger buffer, then it works)", lm_setup_cpuid(&cpu), 0);
	inject_ioctl_error(KVM_GET_SUPPORTED_CPUID, EINVAL, 1);
	ret = lm_setup_cpuid(&cpu);
	EXPECT_EQ_INT("lm_setup_cpuid() when KVM_GET_SUPPORTED_CPUID fails with EINVAL", ret,
		      -EINVAL);
	inject_ioctl_error(KVM_SET_CPUID2, EFAULT, 1);
	ret = lm_setup_cpuid(&cpu);
	EXPECT_EQ_INT("lm_setup_cpuid() when KVM_SET_CPUID2 fails", ret, -EFAULT);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_SET_CPUID2");
	EXPECT_EQ_U64("heap bytes in use after four lm_setup_cpuid() calls (each frees its "
		      "buffer)", mallinfo2().uordblks, before.uordblks);

	inject_ioctl_error(KVM_SET_REGS, EFAULT, 1);
	ret = lm_set_entry(&cpu, 0x101234, LM_STACK_TOP);
	EXPECT_EQ_INT("lm_set_entry() when KVM_SET_REGS fails", ret, -EFAULT);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_SET_REGS");
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* ---- 6. Entry state -------------------------------------------------- */

static void test_entry_state(void)
{
	struct kvm_regs r;
	struct vm vm;
	struct vcpu cpu;
	int ret;

	new_vm(&vm);
	new_vcpu(&vm, &cpu);
	/* Scrambled first: each register set, none right by luck. */
	ASSERT(ioctl(cpu.fd, KVM_GET_REGS, &r) == 0, "KVM_GET_REGS failed");
	r.rax = r.rbx = r.rcx = r.rdx = r.rsi = r.rdi = r.rbp = 0x5555;
	r.rflags = X86_RFLAGS_RESERVED1 | 0xc5;
	ASSERT(ioctl(cpu.fd, KVM_SET_REGS, &r) == 0, "KVM_SET_REGS failed");
	grade_scramble_stack();
	ret = lm_set_entry(&cpu, 0x101234, LM_STACK_TOP);
	ASSERT(ret == 0, "lm_set_entry() returned %d: %s", ret, kit_last_error());
	ASSERT(ioctl(cpu.fd, KVM_GET_REGS, &r) == 0, "KVM_GET_REGS failed");
	EXPECT_EQ_U64("RIP", r.rip, 0x101234);
	EXPECT_EQ_U64("RSP", r.rsp, LM_STACK_TOP);
	EXPECT_EQ_U64("RFLAGS", r.rflags, X86_RFLAGS_RESERVED1);
	EXPECT(r.rax == 0 && r.rbx == 0 && r.rcx == 0 && r.rdx == 0 && r.rsi == 0 &&
	       r.rdi == 0 && r.rbp == 0 && r.r8 == 0 && r.r15 == 0,
	       "the other general registers should be 0 (from a zeroed struct kvm_regs): "
	       "rax 0x%llx rbx 0x%llx rbp 0x%llx", r.rax, r.rbx, r.rbp);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* ---- 7. A C guest runs ----------------------------------------------- */

static void test_c_guest_runs(void)
{
	static const char expected[] = "Hello from 64-bit C!\n"
				       "fib(90) = 2880067194370816120\n"
				       "primes below 10000: 1229\n";
	struct guest_image image = GUEST_IMAGE(hello);
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT_EQ_INT("the run of the hello guest", o.ret, 0);
	EXPECT_BYTES("what the guest printed", o.output, o.len, expected, sizeof(expected) - 1);
	free(o.output);
}

/* The value after "name=" in the guest's output, or false. */
static bool reported(const char *output, const char *name, uint64_t *value)
{
	const char *p = strstr(output, name);

	if (!p)
		return false;
	*value = strtoull(p + strlen(name), NULL, 0);
	return true;
}

static void test_control_registers_seen(void)
{
	struct guest_image image = GUEST_IMAGE(control_regs);
	struct kvm_sregs s;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);
	uint64_t cr0, cr4, efer, edx;

	EXPECT_EQ_INT("the run of the control_regs guest", o.ret, 0);
	ASSERT(o.output != NULL, "no output");
	ASSERT(ioctl(cpu.fd, KVM_GET_SREGS, &s) == 0, "KVM_GET_SREGS failed");
	if (EXPECT(reported(o.output, "cr0=", &cr0), "the guest did not report CR0"))
		EXPECT_EQ_U64("CR0 as the guest read it, vs KVM_GET_SREGS", cr0, s.cr0);
	if (EXPECT(reported(o.output, "cr4=", &cr4), "the guest did not report CR4"))
		EXPECT_EQ_U64("CR4 as the guest read it, vs KVM_GET_SREGS", cr4, s.cr4);
	if (EXPECT(reported(o.output, "efer=", &efer), "the guest did not report EFER"))
		EXPECT_EQ_U64("EFER as the guest read it, vs KVM_GET_SREGS", efer, s.efer);
	EXPECT(strstr(o.output, "cpuid.0.vendor=\n") == NULL && strstr(o.output, "cpuid.0.vendor="),
	       "the guest's CPUID shows no vendor: was KVM_SET_CPUID2 called?");
	if (EXPECT(reported(o.output, "cpuid.80000001.edx=", &edx), "no CPUID report"))
		EXPECT(edx & (1u << 29), "the guest's CPUID says no long mode (edx=0x%llx)",
		       (unsigned long long)edx);
	free(o.output);
}

/* ---- 8. Crash reports ------------------------------------------------ */

static void report_after(struct vcpu *cpu, struct crash_report *r)
{
	uint8_t before[CRASH_CODE_BYTES];
	struct kvm_regs regs;
	const uint8_t *at = NULL;
	int ret;

	/* A report reads the guest; it must not change it. */
	if (ioctl(cpu->fd, KVM_GET_REGS, &regs) == 0 &&
	    (at = guest_ptr(cpu->vm, regs.rip, sizeof(before))))
		memcpy(before, at, sizeof(before));
	memset(r, 0xa5, sizeof(*r)); /* garbage: every field must be filled */
	ret = lm_crash_report(cpu, r);
	ASSERT(ret == 0, "lm_crash_report() returned %d: %s", ret, kit_last_error());
	if (at)
		EXPECT_BYTES("guest memory at RIP after lm_crash_report() (unchanged: a report "
			     "copies from the guest, never into it)", at, sizeof(before), before,
			     sizeof(before));
	lm_crash_print(r, stdout);
}

/* The report must agree with what the vCPU really holds. */
static void expect_report_matches(struct vcpu *cpu, const struct crash_report *r)
{
	struct kvm_regs regs;
	const uint8_t *code;

	ASSERT(ioctl(cpu->fd, KVM_GET_REGS, &regs) == 0, "KVM_GET_REGS failed");
	EXPECT_EQ_U64("report.exit_reason", r->exit_reason, cpu->run->exit_reason);
	EXPECT(r->exit_name && (uintptr_t)r->exit_name != (uintptr_t)0xa5a5a5a5a5a5a5a5ULL &&
	       strcmp(r->exit_name, kvm_exit_name(cpu->run->exit_reason)) == 0,
	       "report.exit_name should be \"%s\"", kvm_exit_name(cpu->run->exit_reason));
	EXPECT_EQ_U64("report.pc (RIP)", r->pc, regs.rip);
	EXPECT_EQ_U64("report.sp (RSP)", r->sp, regs.rsp);
	EXPECT_EQ_U64("report.nregs", r->nregs, 16);
	{
		/* Every register, in struct kvm_regs's order. */
		const uint64_t want[16] = {
			regs.rax, regs.rbx, regs.rcx, regs.rdx, regs.rsi, regs.rdi,
			regs.rsp, regs.rbp, regs.r8, regs.r9, regs.r10, regs.r11,
			regs.r12, regs.r13, regs.r14, regs.r15,
		};
		static const char *const names[16] = {
			"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
			"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
		};
		unsigned i;

		for (i = 0; i < 16; i++) {
			char what[48];

			snprintf(what, sizeof(what), "report.regs[%u] (%s)", i, names[i]);
			EXPECT_EQ_U64(what, r->regs[i], want[i]);
		}
	}
	code = guest_ptr(cpu->vm, regs.rip, 1);
	if (code) {
		size_t avail = 1;

		while (avail < CRASH_CODE_BYTES && guest_ptr(cpu->vm, regs.rip, avail + 1))
			avail++;
		EXPECT_EQ_U64("report.code_len (bytes of RAM at RIP, up to 16)", r->code_len, avail);
		if (r->code_len == avail)
			EXPECT_BYTES("report.code (the bytes at RIP)", r->code, r->code_len, code,
				     avail);
	} else {
		EXPECT_EQ_U64("report.code_len when RIP is outside guest memory", r->code_len, 0);
	}
}

static void test_wild_pointer_diagnosed(void)
{
	struct guest_image image = GUEST_IMAGE(wild_pointer);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT(o.ret < 0, "the wild_pointer guest's run should fail");
	EXPECT_EQ_U64("the exit (a write where there is no memory)", cpu.run->exit_reason,
		      KVM_EXIT_MMIO);
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	EXPECT(r.has_fault_address == true, "report.has_fault_address should be true for an "
	       "MMIO exit");
	EXPECT_EQ_U64("report.fault_address", r.fault_address, LM_UNBACKED_ADDR);
	EXPECT(r.fault_is_write == true, "report.fault_is_write should be true");
	free(o.output);
}

static void test_jump_unmapped_diagnosed(void)
{
	struct guest_image image = GUEST_IMAGE(jump_unmapped);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT(o.ret < 0, "the jump_unmapped guest's run should fail");
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	EXPECT_EQ_U64("report.pc (the address jumped to)", r.pc, LM_UNBACKED_ADDR + 0x1000);
	EXPECT(r.has_fault_address == false || r.fault_address == LM_UNBACKED_ADDR + 0x1000,
	       "report.fault_address 0x%llx: there was no data access",
	       (unsigned long long)r.fault_address);
	free(o.output);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);

	/* A load in the last 2 bytes of RAM: only 2 code bytes, and a read. */
	image = GUEST_IMAGE(end_of_ram);
	o = boot_and_run(&image, &vm, &cpu);
	EXPECT(o.ret < 0, "the end_of_ram guest's run should fail");
	EXPECT_EQ_U64("the exit (a load where there is no memory)", cpu.run->exit_reason,
		      KVM_EXIT_MMIO);
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	EXPECT_EQ_U64("report.pc (the load in the last 2 bytes of RAM)", r.pc,
		      LM_RAM_GPA + LM_RAM_SIZE - 2);
	EXPECT(r.has_fault_address && r.fault_address == LM_UNBACKED_ADDR,
	       "report.fault_address should be 0x%x (run->mmio.phys_addr)", LM_UNBACKED_ADDR);
	EXPECT(r.fault_is_write == false, "report.fault_is_write should be false: a load "
	       "(run->mmio.is_write is 0)");

	/* RIP moved by hand to the very last byte of RAM: 1 code byte. */
	{
		struct kvm_regs regs;

		ASSERT(ioctl(cpu.fd, KVM_GET_REGS, &regs) == 0, "KVM_GET_REGS failed");
		regs.rip = LM_RAM_GPA + LM_RAM_SIZE - 1;
		ASSERT(ioctl(cpu.fd, KVM_SET_REGS, &regs) == 0, "KVM_SET_REGS failed");
		report_after(&cpu, &r);
		expect_report_matches(&cpu, &r);
	}
	free(o.output);
}

static void test_zero_stack_diagnosed(void)
{
	struct guest_image image = GUEST_IMAGE(zero_stack);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);

	EXPECT(o.ret < 0, "the zero_stack guest's run should fail");
	EXPECT_EQ_U64("the exit (a page fault with no handler)", cpu.run->exit_reason,
		      KVM_EXIT_SHUTDOWN);
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	EXPECT_EQ_U64("report.sp", r.sp, 0);
	EXPECT(r.has_fault_address == false, "a shutdown has no MMIO fault address");
	free(o.output);
}

/* Every register different: the report must have each in its place. */
static void test_crash_registers_exact(void)
{
	static const uint64_t expected[16] = {
		0x1010101010101010ULL, 0x2020202020202020ULL, 0x20000000ULL,
		0x4040404040404040ULL, 0x5050505050505050ULL, 0x6060606060606060ULL,
		0x7070707070707070ULL, 0x8080808080808080ULL, 0x0808080808080808ULL,
		0x0909090909090909ULL, 0x0a0a0a0a0a0a0a0aULL, 0x0b0b0b0b0b0b0b0bULL,
		0x0c0c0c0c0c0c0c0cULL, 0x0d0d0d0d0d0d0d0dULL, 0x0e0e0e0e0e0e0e0eULL,
		0x0f0f0f0f0f0f0f0fULL,
	};
	static const char *const names[16] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	struct guest_image image = GUEST_IMAGE(regs_pattern);
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	struct outcome o = boot_and_run(&image, &vm, &cpu);
	char what[64];
	unsigned i;

	EXPECT(o.ret < 0, "the regs_pattern guest's run should fail");
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	EXPECT_EQ_U64("report.nregs", r.nregs, 16);
	for (i = 0; i < 16; i++) {
		snprintf(what, sizeof(what), "report.regs[%u] (%s)", i, names[i]);
		EXPECT_EQ_U64(what, r.regs[i], expected[i]);
	}
	EXPECT_EQ_U64("report.sp (RSP)", r.sp, expected[6]);
	EXPECT(r.has_fault_address && r.fault_address == 0x20000000 && r.fault_is_write,
	       "the report should name the write to guest physical 0x20000000");
	free(o.output);
}

static void test_zero_stack32_diagnosed(void)
{
	struct guest_image image = GUEST_IMAGE(zero_stack32);
	struct run_loop loop = { .timeout_ms = RUN_TIMEOUT_MS };
	struct crash_report r;
	struct vm vm;
	struct vcpu cpu;
	unsigned i;
	int ret;

	/* The classic question's guest: 32-bit, flat, every register 0. */
	new_vm(&vm);
	new_vcpu(&vm, &cpu);
	ASSERT(guest_write(&vm, LM_IMAGE_GPA, image.bytes, image.size) == 0, "load");
	ASSERT(x86_setup_flat32(&cpu, LM_IMAGE_GPA, 0) == 0, "%s", kit_last_error());
	ret = vcpu_run_loop(&cpu, &loop);
	EXPECT(ret < 0, "the run should fail");
	EXPECT_EQ_U64("the exit", cpu.run->exit_reason, KVM_EXIT_MMIO);
	report_after(&cpu, &r);
	expect_report_matches(&cpu, &r);
	EXPECT_EQ_U64("report.fault_address (push with ESP = 0 writes just below 4 GiB)",
		      r.fault_address, 0xfffffffc);
	EXPECT(r.fault_is_write, "the push is a write");
	/* (KVM completes the push it emulated, so RSP is 0xfffffffc now.) */
	for (i = 0; i < 16; i++)
		if (i != 6)
			EXPECT_EQ_U64("a general register of this guest (all but RSP are zero)",
				      r.regs[i], 0);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

const struct grade_test arch_tests[] = {
	{ "page_tables_identity", "the first 1 GiB is identity-mapped with 2 MiB pages",
	  3, GRADE_NEEDS_KVM, test_page_tables_identity,
	  "Section 3: PML4[0] -> PDPT, PDPT[0] -> PD, PD[i] = i * 2 MiB | P | RW | PS." },
	{ "long_mode_registers", "CR0, CR4, EFER, CR3, the GDT and the segments are long mode's",
	  3, GRADE_NEEDS_KVM, test_long_mode_registers,
	  "Section 4: CR0.PE|PG, CR4.PAE, EFER.LME|LMA, CR3 = PML4, CS with L=1 D=0, and "
	  "a GDT in memory that agrees." },
	{ "cpuid_configured", "the guest's CPUID is KVM's supported set",
	  2, GRADE_NEEDS_KVM, test_cpuid_configured,
	  "Section 5: KVM_GET_SUPPORTED_CPUID on /dev/kvm, then KVM_SET_CPUID2 on the vCPU." },
	{ "long_mode_errors", "missing memory and failing ioctls are reported, and nothing leaks",
	  2, GRADE_NEEDS_KVM, test_long_mode_errors,
	  "Sections 3-6: guest_ptr() may refuse; check each ioctl and return "
	  "kit_syscall_error(\"NAME\", ...); on E2BIG double the buffer; free it." },
	{ "entry_state", "RIP, RSP and RFLAGS are set for the entry",
	  1, GRADE_NEEDS_KVM, test_entry_state,
	  "Section 6: KVM_SET_REGS with rip, rsp and rflags = 0x2." },
	{ "c_guest_runs", "a C guest prints and computes a known value",
	  3, GRADE_NEEDS_KVM, test_c_guest_runs,
	  "Sections 2-6: if this fails alone, compare the guest's output with the expected." },
	{ "control_registers_seen", "the guest sees the CR0, CR4, EFER and CPUID the host set",
	  2, GRADE_NEEDS_KVM, test_control_registers_seen,
	  "Sections 4 and 5: what the guest reads must be what KVM_GET_SREGS says." },
	{ "wild_pointer_diagnosed", "a write to unbacked memory is diagnosed with its address",
	  2, GRADE_NEEDS_KVM, test_wild_pointer_diagnosed,
	  "Section 8: for KVM_EXIT_MMIO, the fault address is run->mmio.phys_addr." },
	{ "jump_unmapped_diagnosed", "jumps to nowhere and to the end of RAM are diagnosed at RIP",
	  2, GRADE_NEEDS_KVM, test_jump_unmapped_diagnosed,
	  "Section 8: RIP from KVM_GET_REGS; as many code bytes as RAM holds at RIP "
	  "(none outside RAM, 2 in its last 2 bytes); is_write from the MMIO exit." },
	{ "crash_registers_exact", "a crash report holds every register in its place",
	  1, GRADE_NEEDS_KVM, test_crash_registers_exact,
	  "Section 8: all 16 general registers from KVM_GET_REGS, in the order of "
	  "struct crash_report (rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8-r15)." },
	{ "zero_stack_diagnosed", "a 64-bit guest with a zero stack is diagnosed",
	  2, GRADE_NEEDS_KVM, test_zero_stack_diagnosed,
	  "Section 8: the report's registers come from KVM_GET_REGS." },
	{ "zero_stack32_diagnosed", "the classic: exit 6 with zero registers, at 0xfffffffc",
	  2, GRADE_NEEDS_KVM, test_zero_stack32_diagnosed,
	  "Section 8: fault address from run->mmio.phys_addr; registers from KVM_GET_REGS." },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
