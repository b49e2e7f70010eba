/* SPDX-License-Identifier: MIT */
/*
 * emulate_arm64.c - lesson 05, sections 5 to 7: what KVM cannot decode,
 * done by hand.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "writeback.h"
#include "arch/arm64.h"

#define LESSON "05-writeback"

int wb_enable(struct vm *vm, struct wb_host *host)
{
	/*
	 * TODO: KVM_CHECK_EXTENSION(KVM_CAP_ARM_NISV_TO_USER) on the VM (0:
	 * -EOPNOTSUPP), then KVM_ENABLE_CAP with it; host->nisv = true;
	 * host->ext_dabt = KVM_CHECK_EXTENSION(KVM_CAP_ARM_INJECT_EXT_DABT) > 0.
	 */
	(void)vm;
	(void)host;
	return kit_todo(LESSON, "5. Asking KVM for the exit", "wb_enable()");
}

int wb_refuse(struct vcpu *cpu, struct wb_host *host, const char *why)
{
	/*
	 * TODO: keep `why` in host->refusal. Without host->ext_dabt,
	 * -ENOTSUP with `why` in the message. Else KVM_SET_VCPU_EVENTS with
	 * a zeroed struct kvm_vcpu_events but exception.ext_dabt_pending = 1;
	 * host->refused++; RUN_EXIT_HANDLED (the PC stays: the abort is
	 * taken at the instruction).
	 */
	(void)cpu;
	(void)host;
	(void)why;
	return kit_todo(LESSON, "7. Refusing", "wb_refuse()");
}

int wb_emulate(struct vcpu *cpu, struct wb_host *host)
{
	/*
	 * TODO (section 6, step by step):
	 *  - PC and SCTLR_EL1; ISS.CM (cache maintenance): skip it (PC += 4);
	 *    MMU on or big-endian: wb_refuse();
	 *  - the word at PC (guest_ptr()), a64_decode() (refused: wb_refuse());
	 *  - the base: Rn, or for 31 SP_EL1 at EL1h, SP_EL0 at EL1t/EL0t
	 *    (PSTATE.M); for a register offset, Rm extended and shifted;
	 *  - the address (post-index: the base itself); it must be
	 *    run->arm_nisv.fault_ipa (a pair: either element's), or refuse;
	 *  - each element through host->mmio.bus, in address order: stores
	 *    from Rt/Rt2 (31: zero), loads sign- or zero-extended to
	 *    dest_bits, into Rt/Rt2 (never into XZR); a bus error: refuse;
	 *  - pre- and post-index: the base register += offset;
	 *  - PC += 4; host->emulated++.
	 */
	(void)cpu;
	(void)host;
	return kit_todo(LESSON, "6. Emulating", "wb_emulate()");
}
