/* SPDX-License-Identifier: MIT */
/*
 * regs_arm64.c - lesson 03, sections 3 and 6 on arm64: arguments in,
 * result out.
 *
 * This is your file on arm64. The ABI (common/abi/hypercall_abi.h): the
 * number in X0 (for the MMIO doorbell) or in run->hypercall.nr as
 * KIT_HC_SMCCC_BASE + number (for `hvc`, KVM_EXIT_HYPERCALL); arguments in
 * X1-X5; the result in X0. arm64_get_reg()/arm64_set_reg():
 * common/arch/arm64.h.
 */
#include "hypercalls.h"
#include "arch/arm64.h"

#define LESSON "03-hypercalls"

int hc_read_call(struct vcpu *cpu, struct hc_host *host, struct hc_call *call)
{
	/*
	 * TODO: the number from run->hypercall.nr - KIT_HC_SMCCC_BASE for
	 * KVM_EXIT_HYPERCALL, or from X0 for the doorbell; the arguments
	 * from X1-X5 either way (run->hypercall.args[] are zero on arm64).
	 */
	(void)cpu;
	(void)host;
	(void)call;
	return kit_todo(LESSON, "3. Reading the arguments", "hc_read_call()");
}

int hc_set_result(struct vcpu *cpu, struct hc_host *host, int64_t result)
{
	/* TODO: the result into X0 (KVM_SET_ONE_REG). */
	(void)cpu;
	(void)host;
	(void)result;
	return kit_todo(LESSON, "6. Returning the result", "hc_set_result()");
}
