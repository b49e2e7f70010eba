/* SPDX-License-Identifier: MIT */
/*
 * x86_64.c - the core's x86_64 back end.
 *
 * Register state is read with KVM_GET_REGS / KVM_GET_SREGS (api.rst 4.11,
 * 4.13) and, for a shutdown, the pending exception with KVM_GET_VCPU_EVENTS
 * (api.rst 4.31).
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../kit.h"
#include "arch.h"
#include "x86_64.h"

const char arch_name[] = "x86_64";
const unsigned arch_elf_machine = EM_X86_64;
const uint64_t arch_sync_regs_gprs = KVM_SYNC_X86_REGS;

int arch_vcpu_init(struct vcpu *cpu)
{
	/* Nothing is required on x86: a new vCPU is in real mode at the reset
	 * vector (CS selector 0xf000, base 0xffff0000, RIP 0xfff0). */
	(void)cpu;
	return 0;
}

/*
 * Walk 4-level page tables (the only paging the kit's 64-bit guests use)
 * to turn a linear address into a guest physical one. -EFAULT if a table
 * entry is not present or a table is outside guest memory.
 */
static int walk_long_mode(struct vm *vm, uint64_t cr3, uint64_t linear, uint64_t *gpa)
{
	static const int shifts[] = { 39, 30, 21, 12 };
	uint64_t table = cr3 & X86_PTE_ADDR_MASK, entry;
	int level;

	for (level = 0; level < 4; level++) {
		uint64_t index = (linear >> shifts[level]) & 0x1ff;

		if (guest_read(vm, table + index * 8, &entry, sizeof(entry)) < 0)
			return -EFAULT;
		if (!(entry & X86_PTE_PRESENT))
			return kit_error(-EFAULT, "linear 0x%llx is not mapped (level %d entry 0x%llx)",
					 (unsigned long long)linear, 4 - level,
					 (unsigned long long)entry);
		/* A 1 GiB (level 1) or 2 MiB (level 2) page ends the walk. */
		if ((level == 1 || level == 2) && (entry & X86_PTE_PS)) {
			uint64_t page_mask = (1ULL << shifts[level]) - 1;

			*gpa = (entry & X86_PTE_ADDR_MASK & ~page_mask) | (linear & page_mask);
			return 0;
		}
		table = entry & X86_PTE_ADDR_MASK;
	}
	*gpa = table | (linear & 0xfff);
	return 0;
}

int arch_vcpu_pc(struct vcpu *cpu, uint64_t *pc, uint64_t *pc_gpa, enum kit_isa *isa)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(cpu->fd, KVM_GET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_GET_REGS", NULL);
	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_GET_SREGS", NULL);

	*pc = regs.rip;
	if (!(sregs.cr0 & X86_CR0_PE)) {
		/* Real mode: linear = CS.base + IP. */
		*isa = KIT_ISA_X86_16;
		*pc_gpa = sregs.cs.base + (regs.rip & 0xffff);
	} else if ((sregs.efer & X86_EFER_LMA) && sregs.cs.l) {
		*isa = KIT_ISA_X86_64;
		if (walk_long_mode(cpu->vm, sregs.cr3, regs.rip, pc_gpa) < 0)
			*pc_gpa = regs.rip;
	} else {
		*isa = sregs.cs.db ? KIT_ISA_X86_32 : KIT_ISA_X86_16;
		*pc_gpa = (sregs.cs.base + regs.rip) & 0xffffffffULL;
	}
	return 0;
}

static void dump_segment(FILE *out, const char *name, const struct kvm_segment *s)
{
	fprintf(out, "    %-3s selector 0x%04x base 0x%016llx limit 0x%08x type %2u "
		"present %u dpl %u db %u s %u l %u g %u\n",
		name, s->selector, (unsigned long long)s->base, s->limit, s->type,
		s->present, s->dpl, s->db, s->s, s->l, s->g);
}

void arch_dump_registers(struct vcpu *cpu, FILE *out)
{
	struct kvm_sregs sregs;
	struct kvm_regs r;

	if (ioctl(cpu->fd, KVM_GET_REGS, &r) < 0) {
		kit_syscall_error("KVM_GET_REGS", NULL);
		fprintf(out, "  registers: %s\n", kit_last_error());
		return;
	}
	fprintf(out, "  registers:\n"
		"    rax 0x%016llx rbx 0x%016llx rcx 0x%016llx rdx 0x%016llx\n"
		"    rsi 0x%016llx rdi 0x%016llx rsp 0x%016llx rbp 0x%016llx\n"
		"    r8  0x%016llx r9  0x%016llx r10 0x%016llx r11 0x%016llx\n"
		"    r12 0x%016llx r13 0x%016llx r14 0x%016llx r15 0x%016llx\n"
		"    rip 0x%016llx rflags 0x%08llx\n",
		r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rsp, r.rbp,
		r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15,
		r.rip, r.rflags);

	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0) {
		kit_syscall_error("KVM_GET_SREGS", NULL);
		fprintf(out, "  system registers: %s\n", kit_last_error());
		return;
	}
	fprintf(out, "    cr0 0x%llx cr2 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx (%s)\n",
		sregs.cr0, sregs.cr2, sregs.cr3, sregs.cr4, sregs.efer,
		!(sregs.cr0 & X86_CR0_PE) ? "real mode" :
		(sregs.efer & X86_EFER_LMA) ? "long mode" : "protected mode");
	dump_segment(out, "cs", &sregs.cs);
	dump_segment(out, "ds", &sregs.ds);
	dump_segment(out, "ss", &sregs.ss);
}

static const char *vector_name(unsigned vector)
{
	static const char *const names[] = {
		"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
		"#OF overflow", "#BR bound range", "#UD invalid opcode",
		"#NM device not available", "#DF double fault", "coprocessor overrun",
		"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
		"#GP general protection", "#PF page fault",
	};

	return vector < sizeof(names) / sizeof(names[0]) ? names[vector] : "exception";
}

void arch_diagnose_exit(struct vcpu *cpu, FILE *out)
{
	struct kvm_vcpu_events events;

	if (!cpu->run || cpu->run->exit_reason != KVM_EXIT_SHUTDOWN)
		return;
	memset(&events, 0, sizeof(events));
	if (ioctl(cpu->fd, KVM_GET_VCPU_EVENTS, &events) < 0)
		return;
	if (events.exception.injected || events.exception.pending)
		fprintf(out, "  pending exception: vector %u (%s)%s\n",
			events.exception.nr, vector_name(events.exception.nr),
			events.exception.has_error_code ? ", with an error code" : "");
}

const char *arch_explain_run_error(struct vcpu *cpu, int err)
{
	(void)cpu;
	switch (err) {
	case EFAULT:
		return "KVM could not reach memory it needed (a memory slot whose "
		       "host memory was unmapped?)";
	case ENOSPC:
		return "on some KVM back ends this means the VM has no memory slot "
		       "at all";
	case ENOEXEC:
		return "the vCPU's state cannot be run (invalid guest state)";
	default:
		return "";
	}
}

bool arch_console_output(struct vcpu *cpu, const uint8_t **data, size_t *len)
{
	const struct kvm_run *run = cpu->run;

	if (run->exit_reason != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.port != X86_SERIAL_PORT)
		return false;
	/* The bytes of an `out` (or of `rep outsb`: count elements) live in
	 * the shared area, data_offset bytes from its start. */
	*data = (const uint8_t *)run + run->io.data_offset;
	*len = (size_t)run->io.size * run->io.count;
	return true;
}

bool arch_exit_is_halt(const struct kvm_run *run)
{
	return run->exit_reason == KVM_EXIT_HLT;
}

int x86_setup_flat32(struct vcpu *cpu, uint32_t entry, uint32_t stack)
{
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = 0x08,
		.type = 11, /* code: execute/read, accessed */
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};
	struct kvm_segment data = code;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	data.selector = 0x10;
	data.type = 3; /* data: read/write, accessed */

	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_GET_SREGS", NULL);
	sregs.cs = code;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.cr0 |= X86_CR0_PE;
	sregs.cr0 &= ~X86_CR0_PG;
	if (ioctl(cpu->fd, KVM_SET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_SET_SREGS", "flat 32-bit protected mode");

	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rsp = stack;
	regs.rflags = X86_RFLAGS_RESERVED1;
	if (ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_SET_REGS", NULL);
	return 0;
}
