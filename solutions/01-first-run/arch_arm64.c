/* SPDX-License-Identifier: MIT */
/*
 * arch_arm64.c - lesson 01, the arm64 part: the vCPU's state at entry
 * (section 7), and what an exit means on arm64 (sections 8.1 and 8.2).
 */
#include <string.h>
#include <sys/ioctl.h>

#include "first_run.h"
#include "layout.h"
#include "arch/arm64.h"

/*
 * Section 7. An arm64 vCPU does not run until it is initialised: ask KVM
 * which CPU it emulates best (KVM_ARM_PREFERRED_TARGET), add the PSCI 0.2
 * feature so the guest can power off, and KVM_ARM_VCPU_INIT. That resets
 * it to EL1h with interrupts masked and PC 0; then point PC at the guest.
 */
int first_set_registers(struct vcpu *cpu, uint64_t entry)
{
	struct kvm_vcpu_init init;
	struct kvm_one_reg pc = { .id = ARM64_REG_PC, .addr = (uintptr_t)&entry };

	memset(&init, 0, sizeof(init));
	if (ioctl(cpu->vm->fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return kit_syscall_error("KVM_ARM_PREFERRED_TARGET", NULL);
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(cpu->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return kit_syscall_error("KVM_ARM_VCPU_INIT", NULL);

	/* One register at a time: KVM_SET_ONE_REG with the register's id. */
	if (ioctl(cpu->fd, KVM_SET_ONE_REG, &pc) < 0)
		return kit_syscall_error("KVM_SET_ONE_REG", "setting PC");
	return 0;
}

/* Sections 8.1 and 8.2: output through the UART; the end at SYSTEM_OFF. */
enum first_exit first_classify_exit(struct vcpu *cpu, FILE *serial)
{
	struct kvm_run *run = cpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		/* Only a store to the UART's data register is output; its
		 * byte is in run->mmio.data (no data_offset on MMIO exits). */
		if (!run->mmio.is_write || run->mmio.phys_addr != GUEST_UART_GPA)
			return FIRST_EXIT_OTHER;
		fputc(run->mmio.data[0], serial);
		return FIRST_EXIT_OUTPUT;
	case KVM_EXIT_SYSTEM_EVENT:
		/* PSCI SYSTEM_OFF; a reset or a crash is not the normal end. */
		if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
			return FIRST_EXIT_DONE;
		return FIRST_EXIT_OTHER;
	default:
		return FIRST_EXIT_OTHER;
	}
}
