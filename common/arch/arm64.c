/* SPDX-License-Identifier: MIT */
/*
 * arm64.c - the core's arm64 back end.
 *
 * An arm64 vCPU must be initialised before it runs: KVM_ARM_PREFERRED_TARGET
 * on the VM says which CPU model to emulate, and KVM_ARM_VCPU_INIT sets it
 * up, here with PSCI 0.2 so the guest can power itself off (api.rst 4.82
 * KVM_ARM_VCPU_INIT). Registers are reached one at a time with
 * KVM_GET_ONE_REG / KVM_SET_ONE_REG.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../kit.h"
#include "arch.h"
#include "arm64.h"

const char arch_name[] = "arm64";
const unsigned arch_elf_machine = EM_AARCH64;
const uint64_t arch_sync_regs_gprs = 0; /* arm64 KVM has no SYNC_REGS */

int arm64_get_reg(struct vcpu *cpu, uint64_t id, uint64_t *value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)value };

	if (ioctl(cpu->fd, KVM_GET_ONE_REG, &reg) < 0)
		return kit_syscall_error("KVM_GET_ONE_REG", "register id 0x%llx",
					 (unsigned long long)id);
	return 0;
}

int arm64_set_reg(struct vcpu *cpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	if (ioctl(cpu->fd, KVM_SET_ONE_REG, &reg) < 0)
		return kit_syscall_error("KVM_SET_ONE_REG", "register id 0x%llx",
					 (unsigned long long)id);
	return 0;
}

int arch_vcpu_init(struct vcpu *cpu)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	if (ioctl(cpu->vm->fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return kit_syscall_error("KVM_ARM_PREFERRED_TARGET", NULL);
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(cpu->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return kit_syscall_error("KVM_ARM_VCPU_INIT", "target %u, PSCI 0.2",
					 init.target);
	return 0;
}

int arch_vcpu_pc(struct vcpu *cpu, uint64_t *pc, uint64_t *pc_gpa, enum kit_isa *isa)
{
	int ret = arm64_get_reg(cpu, ARM64_REG_PC, pc);

	if (ret < 0)
		return ret;
	/* The kit's arm64 guests run with the MMU off: addresses are physical. */
	*pc_gpa = *pc;
	*isa = KIT_ISA_ARM64;
	return 0;
}

static const char *el_name(uint64_t pstate)
{
	switch (pstate & 0xf) {
	case 0x0: return "EL0t";
	case 0x4: return "EL1t";
	case 0x5: return "EL1h";
	case 0x8: return "EL2t";
	case 0x9: return "EL2h";
	default: return "?";
	}
}

void arch_dump_registers(struct vcpu *cpu, FILE *out)
{
	uint64_t x[31], sp0, sp1, pc, pstate;
	unsigned i;

	for (i = 0; i < 31; i++) {
		if (arm64_get_reg(cpu, ARM64_REG_X(i), &x[i]) < 0) {
			fprintf(out, "  registers: %s\n", kit_last_error());
			return;
		}
	}
	if (arm64_get_reg(cpu, ARM64_REG_SP_EL0, &sp0) < 0 ||
	    arm64_get_reg(cpu, ARM64_REG_SP_EL1, &sp1) < 0 ||
	    arm64_get_reg(cpu, ARM64_REG_PC, &pc) < 0 ||
	    arm64_get_reg(cpu, ARM64_REG_PSTATE, &pstate) < 0) {
		fprintf(out, "  registers: %s\n", kit_last_error());
		return;
	}
	fprintf(out, "  registers:\n");
	for (i = 0; i < 31; i++)
		fprintf(out, "%sx%-2u 0x%016llx%s", i % 4 ? " " : "    ", i,
			(unsigned long long)x[i], i % 4 == 3 || i == 30 ? "\n" : "");
	fprintf(out, "    sp_el0 0x%016llx sp_el1 0x%016llx\n    pc  0x%016llx pstate 0x%08llx (%s%s)\n",
		(unsigned long long)sp0, (unsigned long long)sp1, (unsigned long long)pc,
		(unsigned long long)pstate, el_name(pstate),
		(pstate & ARM64_PSTATE_DAIF) == ARM64_PSTATE_DAIF ? ", DAIF masked" : "");
}

void arch_diagnose_exit(struct vcpu *cpu, FILE *out)
{
	if (!cpu->run)
		return;
	if (cpu->run->exit_reason == KVM_EXIT_ARM_NISV)
		fprintf(out, "  note: KVM_EXIT_ARM_NISV: a data abort on an address with no "
			"memory, whose syndrome does not describe the access (no valid "
			"ISV); userspace must decode the instruction at PC itself\n");
}

bool arch_console_output(struct vcpu *cpu, const uint8_t **data, size_t *len)
{
	const struct kvm_run *run = cpu->run;

	/* A store to the UART's data register: its low byte is the character. */
	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.phys_addr != ARM64_UART_GPA || run->mmio.len < 1)
		return false;
	*data = run->mmio.data;
	*len = 1;
	return true;
}

bool arch_exit_is_halt(const struct kvm_run *run)
{
	/* There is no HLT exit on arm64: a guest ends with PSCI SYSTEM_OFF,
	 * which KVM reports as a system event of type SHUTDOWN. A reboot
	 * (SYSTEM_RESET) is another event, not the end, as lesson 01 says;
	 * like x86's triple fault, it is an exit nobody expected. */
	return run->exit_reason == KVM_EXIT_SYSTEM_EVENT &&
	       run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN;
}

const char *arch_explain_run_error(struct vcpu *cpu, int err)
{
	static _Thread_local char text[512];
	uint64_t pc;
	uint32_t insn;
	const void *at;
	char decoded[160];

	if (err != ENOSYS)
		return "";
	/* KVM could not decode an MMIO access: name the instruction. */
	if (arm64_get_reg(cpu, ARM64_REG_PC, &pc) < 0 || !(at = guest_ptr(cpu->vm, pc, 4))) {
		snprintf(text, sizeof(text), "an MMIO access the kernel could not decode (no "
			 "valid ISV): a load/store with writeback or a pair (ldp/stp) to an "
			 "address with no memory; enable KVM_CAP_ARM_NISV_TO_USER to see it");
		return text;
	}
	memcpy(&insn, at, sizeof(insn));
	kit_disassemble((const uint8_t *)&insn, sizeof(insn), pc, KIT_ISA_ARM64, decoded,
			sizeof(decoded));
	snprintf(text, sizeof(text), "an MMIO access the kernel could not decode (no valid "
		 "ISV): `%s` at pc 0x%llx (writeback and pair forms carry no syndrome); "
		 "enable KVM_CAP_ARM_NISV_TO_USER (api.rst; Linux 5.5+) and emulate it in userspace", decoded,
		 (unsigned long long)pc);
	return text;
}
