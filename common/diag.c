/* SPDX-License-Identifier: MIT */
/*
 * diag.c - exit reasons by name, and the diagnosis of a guest gone wrong.
 *
 * Exit reasons and their kvm_run fields are documented in api.rst, section
 * 5 ("The kvm_run structure").
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "arch/arch.h"

const char *kvm_exit_name(uint32_t reason)
{
	static _Thread_local char unknown[32];

	switch (reason) {
#define NAME(r) case r: return #r
	NAME(KVM_EXIT_UNKNOWN); NAME(KVM_EXIT_EXCEPTION); NAME(KVM_EXIT_IO);
	NAME(KVM_EXIT_HYPERCALL); NAME(KVM_EXIT_DEBUG); NAME(KVM_EXIT_HLT);
	NAME(KVM_EXIT_MMIO); NAME(KVM_EXIT_IRQ_WINDOW_OPEN);
	NAME(KVM_EXIT_SHUTDOWN); NAME(KVM_EXIT_FAIL_ENTRY); NAME(KVM_EXIT_INTR);
	NAME(KVM_EXIT_SET_TPR); NAME(KVM_EXIT_TPR_ACCESS);
	NAME(KVM_EXIT_S390_SIEIC); NAME(KVM_EXIT_S390_RESET); NAME(KVM_EXIT_DCR);
	NAME(KVM_EXIT_NMI); NAME(KVM_EXIT_INTERNAL_ERROR); NAME(KVM_EXIT_OSI);
	NAME(KVM_EXIT_PAPR_HCALL); NAME(KVM_EXIT_S390_UCONTROL);
	NAME(KVM_EXIT_WATCHDOG); NAME(KVM_EXIT_S390_TSCH); NAME(KVM_EXIT_EPR);
	NAME(KVM_EXIT_SYSTEM_EVENT); NAME(KVM_EXIT_S390_STSI);
	NAME(KVM_EXIT_IOAPIC_EOI); NAME(KVM_EXIT_HYPERV); NAME(KVM_EXIT_ARM_NISV);
	NAME(KVM_EXIT_X86_RDMSR); NAME(KVM_EXIT_X86_WRMSR);
	NAME(KVM_EXIT_DIRTY_RING_FULL); NAME(KVM_EXIT_AP_RESET_HOLD);
	NAME(KVM_EXIT_X86_BUS_LOCK); NAME(KVM_EXIT_XEN); NAME(KVM_EXIT_RISCV_SBI);
	NAME(KVM_EXIT_RISCV_CSR); NAME(KVM_EXIT_NOTIFY);
	NAME(KVM_EXIT_LOONGARCH_IOCSR); NAME(KVM_EXIT_MEMORY_FAULT);
	NAME(KVM_EXIT_TDX);
#undef NAME
	default:
		snprintf(unknown, sizeof(unknown), "KVM_EXIT_%u", reason);
		return unknown;
	}
}

static const char *internal_error_name(uint32_t suberror)
{
	switch (suberror) {
	case KVM_INTERNAL_ERROR_EMULATION:
		return "KVM_INTERNAL_ERROR_EMULATION (KVM's instruction emulator failed)";
	case KVM_INTERNAL_ERROR_SIMUL_EX:
		return "KVM_INTERNAL_ERROR_SIMUL_EX (an exception while delivering another)";
	case KVM_INTERNAL_ERROR_DELIVERY_EV:
		return "KVM_INTERNAL_ERROR_DELIVERY_EV (an exit while delivering an event)";
	case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
		return "KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON";
	default:
		return "unknown suberror";
	}
}

static const char *system_event_name(uint32_t type)
{
	switch (type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN: return "SHUTDOWN (power off)";
	case KVM_SYSTEM_EVENT_RESET: return "RESET";
	case KVM_SYSTEM_EVENT_CRASH: return "CRASH";
	default: return "unknown type";
	}
}

/* Append "0x12 0x34 ..." for up to `n` bytes, to show what data carried. */
static void hex_bytes(char *buf, size_t len, const uint8_t *bytes, size_t n)
{
	size_t used = strlen(buf), i;

	for (i = 0; i < n && used + 4 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%02x", i ? " " : "", bytes[i]);
}

void kvm_exit_describe(const struct kvm_run *run, char *buf, size_t len)
{
	const uint8_t *io_data;
	size_t used;
	unsigned i;

	snprintf(buf, len, "%s (%u)", kvm_exit_name(run->exit_reason), run->exit_reason);
	used = strlen(buf);
	if (used >= len)
		return;
	buf += used;
	len -= used;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		snprintf(buf, len, ": %s port 0x%x, size %u, count %u, data ",
			 run->io.direction == KVM_EXIT_IO_OUT ? "out to" : "in from",
			 run->io.port, run->io.size, run->io.count);
		/* The data sits data_offset bytes into the mapped area. */
		io_data = (const uint8_t *)run + run->io.data_offset;
		if (run->io.direction == KVM_EXIT_IO_OUT)
			hex_bytes(buf, len, io_data, (size_t)run->io.size *
				  (run->io.count > 4 ? 4 : run->io.count));
		else
			snprintf(buf + strlen(buf), len - strlen(buf), "(to be filled by the host)");
		break;
	case KVM_EXIT_MMIO:
		snprintf(buf, len, ": %s guest physical 0x%llx, %u byte%s",
			 run->mmio.is_write ? "write to" : "read from",
			 (unsigned long long)run->mmio.phys_addr, run->mmio.len,
			 run->mmio.len == 1 ? "" : "s");
		if (run->mmio.is_write && run->mmio.len <= 8) {
			snprintf(buf + strlen(buf), len - strlen(buf), ", data ");
			hex_bytes(buf, len, run->mmio.data, run->mmio.len);
		}
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(buf, len, ": hardware_entry_failure_reason 0x%llx on host cpu %u",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			 run->fail_entry.cpu);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(buf, len, ": suberror %u, %s", run->internal.suberror,
			 internal_error_name(run->internal.suberror));
		for (i = 0; i < run->internal.ndata && i < 4; i++)
			snprintf(buf + strlen(buf), len - strlen(buf), "%sdata[%u]=0x%llx",
				 i ? " " : "; ", i, (unsigned long long)run->internal.data[i]);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		snprintf(buf, len, ": type %u, %s", run->system_event.type,
			 system_event_name(run->system_event.type));
		break;
	case KVM_EXIT_HYPERCALL:
		/* (The flags word is named differently across header versions.) */
		snprintf(buf, len, ": nr 0x%llx, args 0x%llx 0x%llx 0x%llx",
			 (unsigned long long)run->hypercall.nr,
			 (unsigned long long)run->hypercall.args[0],
			 (unsigned long long)run->hypercall.args[1],
			 (unsigned long long)run->hypercall.args[2]);
		break;
	case KVM_EXIT_ARM_NISV:
		snprintf(buf, len, ": esr_iss 0x%llx, fault_ipa 0x%llx",
			 (unsigned long long)run->arm_nisv.esr_iss,
			 (unsigned long long)run->arm_nisv.fault_ipa);
		break;
	case KVM_EXIT_EXCEPTION:
		snprintf(buf, len, ": exception %u, error code 0x%x",
			 run->ex.exception, run->ex.error_code);
		break;
	default:
		break;
	}
}

/* What each exit usually means, for someone who did not expect it. */
static const char *exit_advice(const struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		return "The guest read or wrote a guest physical address that has no "
		       "memory slot. If no device lives there, look for a wild "
		       "pointer, a zero stack pointer, or an image linked at one "
		       "address and loaded at another.";
	case KVM_EXIT_IO:
		return "The guest used a port the host does not handle.";
	case KVM_EXIT_SHUTDOWN:
		return "The guest triple-faulted: it raised an exception it had no "
		       "way to handle (no IDT / vector table), e.g. ud2, a #GP or "
		       "a page fault. (On AMD CPUs KVM resets the vCPU at a "
		       "shutdown, so the registers below may show the reset state.)";
	case KVM_EXIT_FAIL_ENTRY:
		return "The CPU refused to enter the guest: some register state is "
		       "invalid for the mode the guest is in (segments, CR0/CR4/EFER).";
	case KVM_EXIT_INTERNAL_ERROR:
		return "KVM could not carry out a guest instruction. Suberror 1 "
		       "(emulation) usually means executing from an address with no "
		       "memory slot, or an instruction KVM's emulator lacks.";
	case KVM_EXIT_UNKNOWN:
		return "If KVM_RUN failed, exit_reason is stale and meaningless: check "
		       "KVM_RUN's return value and errno first. If KVM_RUN returned 0, "
		       "what is read is most likely not the vCPU's kvm_run at all: it must "
		       "be mmap()ed MAP_SHARED from the vCPU fd (a MAP_PRIVATE copy never "
		       "sees what KVM writes), KVM_GET_VCPU_MMAP_SIZE bytes.";
	default:
		return NULL;
	}
}

static void print_code_at_pc(struct vcpu *cpu, FILE *out)
{
	uint64_t pc, pc_gpa;
	uint8_t code[16];
	const uint8_t *bytes;
	char text[160];
	static const char *const isa_names[] = { "16-bit", "32-bit", "64-bit", "AArch64" };
	enum kit_isa isa;
	size_t n, got;

	if (arch_vcpu_pc(cpu, &pc, &pc_gpa, &isa) < 0) {
		fprintf(out, "  instruction: (cannot read the program counter: %s)\n",
			kit_last_error());
		return;
	}
	/* Read as many of the 16 bytes as lie in guest memory. */
	got = 0;
	for (n = sizeof(code); n > 0; n--) {
		bytes = guest_ptr(cpu->vm, pc_gpa, n);
		if (bytes) {
			memcpy(code, bytes, n);
			got = n;
			break;
		}
	}
	if (!got) {
		fprintf(out, "  instruction: none: the program counter 0x%llx (guest physical "
			"0x%llx) is outside guest memory\n",
			(unsigned long long)pc, (unsigned long long)pc_gpa);
		return;
	}
	n = kit_disassemble(code, got, pc, isa, text, sizeof(text));
	fprintf(out, "  instruction at pc 0x%llx (guest physical 0x%llx, %s): %s%s\n",
		(unsigned long long)pc, (unsigned long long)pc_gpa, isa_names[isa], text,
		n ? "" : " (not decoded)");
	/* What the instruction says about a guest that never exited. */
	if (strncmp(text, "vmcall", 6) == 0 || strncmp(text, "vmmcall", 7) == 0)
		fprintf(out, "  what it means here: the guest is in a %s. KVM handles "
			"vmcall/vmmcall in the kernel: it never exits to userspace (on VT-x and "
			"AMD-V the guest gets -1000, -KVM_ENOSYS, in RAX; a software back end "
			"may never return). Use the port I/O hypercall of lesson 03 instead.\n",
			strncmp(text, "vmcall", 6) == 0 ? "vmcall" : "vmmcall");
}

void vcpu_diagnose(struct vcpu *cpu, const char *why, FILE *out)
{
	const char *advice;
	char line[512], saved_error[1024];

	/* Reading registers and memory below may record errors of their own;
	 * the caller's message is what matters, so keep it. */
	snprintf(saved_error, sizeof(saved_error), "%s", kit_last_error());
	fprintf(out, "=== guest diagnosis (%s) ===\n", arch_name);
	if (why && *why)
		fprintf(out, "  what happened: %s\n", why);
	/* An unwritten step explains what follows better than any guess. */
	if (kit_first_todo())
		fprintf(out, "  but first: %s; what follows is what its absence led to\n",
			kit_first_todo());
	if (cpu->run) {
		kvm_exit_describe(cpu->run, line, sizeof(line));
		fprintf(out, "  last exit: %s\n", line);
		advice = kit_first_todo() ? NULL : exit_advice(cpu->run);
		if (advice)
			fprintf(out, "  what it usually means: %s\n", advice);
		if (cpu->run->exit_reason == KVM_EXIT_IO || cpu->run->exit_reason == KVM_EXIT_MMIO)
			fprintf(out, "  note: at an I/O or MMIO exit the program counter may "
				"already point past the access (it differs between machines)\n");
		if (cpu->run->exit_reason == KVM_EXIT_INTR)
			fprintf(out, "  note: KVM_EXIT_INTR here means KVM_RUN was interrupted "
				"by a signal (the watchdog), not that the guest exited\n");
	}
	arch_diagnose_exit(cpu, out);
	arch_dump_registers(cpu, out);
	print_code_at_pc(cpu, out);
	if (access("/sys/module/kvm_pvm", F_OK) == 0)
		fprintf(out, "  host: KVM here is the kvm_pvm software back end "
			"(some exits differ from VT-x/AMD-V machines; see dmesg)\n");
	fprintf(out, "===\n");
	kit_error(-EIO, "%s", saved_error);
}
