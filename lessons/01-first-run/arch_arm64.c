/* SPDX-License-Identifier: MIT */
/*
 * arch_arm64.c - lesson 01, the arm64 part: the vCPU's state at entry
 * (section 7), and what an exit means on arm64 (sections 8.1 and 8.2).
 *
 * This is your file on an arm64 machine (or with ARCH=arm64). Register ids
 * for KVM_SET_ONE_REG and the PSCI numbers: common/arch/arm64.h.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "first_run.h"
#include "layout.h"
#include "arch/arm64.h"

#define LESSON "01-first-run"

int first_set_registers(struct vcpu *cpu, uint64_t entry)
{
	/*
	 * TODO:
	 *  - KVM_ARM_PREFERRED_TARGET on cpu->vm->fd into a struct
	 *    kvm_vcpu_init; add the feature bit KVM_ARM_VCPU_PSCI_0_2;
	 *    KVM_ARM_VCPU_INIT on cpu->fd;
	 *  - PC = entry with KVM_SET_ONE_REG (id ARM64_REG_PC).
	 */
	(void)cpu;
	(void)entry;
	return kit_todo(LESSON, "7. Set the registers", "first_set_registers()");
}

enum first_exit first_classify_exit(struct vcpu *cpu, FILE *serial)
{
	/*
	 * TODO:
	 *  - KVM_EXIT_MMIO, a write to GUEST_UART_GPA: write its byte
	 *    (run->mmio.data[0]) to `serial`; FIRST_EXIT_OUTPUT;
	 *  - KVM_EXIT_SYSTEM_EVENT of type KVM_SYSTEM_EVENT_SHUTDOWN (PSCI
	 *    SYSTEM_OFF): FIRST_EXIT_DONE;
	 *  - anything else: FIRST_EXIT_OTHER.
	 */
	(void)cpu;
	(void)serial;
	kit_todo(LESSON, "8.1 Output", "first_classify_exit()");
	return FIRST_EXIT_OTHER;
}
