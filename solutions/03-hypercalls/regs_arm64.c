/* SPDX-License-Identifier: MIT */
/*
 * regs_arm64.c - lesson 03, sections 3 and 6 on arm64: arguments in,
 * result out. arm64 KVM has no KVM_GET_REGS and no SYNC_REGS: each
 * register is one KVM_GET_ONE_REG / KVM_SET_ONE_REG.
 *
 * Two transports bring a call (common/abi/hypercall_abi.h):
 *   KVM_EXIT_HYPERCALL   `hvc` through the SMCCC filter: the number is in
 *                        run->hypercall.nr (the function ID), but
 *                        run->hypercall.args[] are all zero on arm64: the
 *                        arguments are still in X1-X5;
 *   KVM_EXIT_MMIO        the doorbell: the number in X0, arguments X1-X5.
 * Either way the result goes to X0. (KVM moves the PC past the `hvc` or
 * the store itself.)
 */
#include "hypercalls.h"
#include "arch/arm64.h"

int hc_read_call(struct vcpu *cpu, struct hc_host *host, struct hc_call *call)
{
	unsigned i;
	int ret;

	(void)host;
	if (cpu->run->exit_reason == KVM_EXIT_HYPERCALL)
		call->nr = cpu->run->hypercall.nr - KIT_HC_SMCCC_BASE;
	else if ((ret = arm64_get_reg(cpu, ARM64_REG_X(0), &call->nr)) < 0)
		return ret;
	for (i = 0; i < 5; i++)
		if ((ret = arm64_get_reg(cpu, ARM64_REG_X(i + 1), &call->args[i])) < 0)
			return ret;
	return 0;
}

int hc_set_result(struct vcpu *cpu, struct hc_host *host, int64_t result)
{
	(void)host;
	return arm64_set_reg(cpu, ARM64_REG_X(0), (uint64_t)result);
}
