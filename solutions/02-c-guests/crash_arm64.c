/* SPDX-License-Identifier: MIT */
/*
 * crash_arm64.c - lesson 02, section 8 on arm64: the facts of a crash.
 *
 * Two kinds of crash end a run here. A load or store where there is no
 * memory is an MMIO exit with the address in run->mmio.phys_addr. An
 * exception the guest took (an abort, an undefined instruction) reaches
 * the host because the guests' vectors store the syndrome to the fault
 * register, LM_FAULT_GPA: then ESR_EL1 says what it was, FAR_EL1 which
 * address, and ELR_EL1 where the guest was.
 */
#include <string.h>

#include "c_guests.h"
#include "layout.h"
#include "arch/arm64.h"

int lm_crash_report(struct vcpu *cpu, struct crash_report *r)
{
	const struct kvm_run *run = cpu->run;
	const uint8_t *code;
	unsigned i;
	size_t n;
	int ret;

	memset(r, 0, sizeof(*r));
	r->exit_reason = run->exit_reason;
	r->exit_name = kvm_exit_name(run->exit_reason);

	/* arm64 has no KVM_GET_REGS: one register at a time. */
	r->nregs = 31;
	for (i = 0; i < 31; i++)
		if ((ret = arm64_get_reg(cpu, ARM64_REG_X(i), &r->regs[i])) < 0)
			return ret;
	if ((ret = arm64_get_reg(cpu, ARM64_REG_PC, &r->pc)) < 0 ||
	    (ret = arm64_get_reg(cpu, ARM64_REG_SP_EL1, &r->sp)) < 0)
		return ret;

	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.phys_addr == LM_FAULT_GPA) {
		/* The guest's own report of an exception. */
		r->has_exception = true;
		if ((ret = arm64_get_reg(cpu, ARM64_REG_ESR_EL1, &r->esr)) < 0 ||
		    (ret = arm64_get_reg(cpu, ARM64_REG_FAR_EL1, &r->far)) < 0 ||
		    (ret = arm64_get_reg(cpu, ARM64_REG_ELR_EL1, &r->elr)) < 0)
			return ret;
		/* FAR_EL1 holds an address only for aborts. */
		if (ARM64_ESR_EC(r->esr) == ARM64_EC_IABT_CUR ||
		    ARM64_ESR_EC(r->esr) == ARM64_EC_DABT_CUR) {
			r->has_fault_address = true;
			r->fault_address = r->far;
			r->fault_is_write = ARM64_ESR_EC(r->esr) == ARM64_EC_DABT_CUR &&
					    (r->esr & (1u << 6)); /* ISS.WnR */
		}
	} else if (run->exit_reason == KVM_EXIT_MMIO) {
		r->has_fault_address = true;
		r->fault_address = run->mmio.phys_addr;
		r->fault_is_write = run->mmio.is_write;
	}

	/* With the MMU off the PC is a guest physical address. */
	for (n = CRASH_CODE_BYTES; n > 0; n--) {
		code = guest_ptr(cpu->vm, r->pc, n);
		if (code) {
			memcpy(r->code, code, n);
			r->code_len = n;
			break;
		}
	}
	return 0;
}
