/* SPDX-License-Identifier: MIT */
/*
 * arch_x86_64.c - lesson 01, the x86 part: the vCPU's state at entry
 * (section 7), and what an exit means on x86 (sections 8.1 and 8.2).
 */
#include <string.h>
#include <sys/ioctl.h>

#include "first_run.h"
#include "layout.h"
#include "arch/x86_64.h"

/*
 * Section 7. A new x86 vCPU starts as a real CPU does after reset: 16-bit
 * real mode, CS selector 0xf000 with base 0xffff0000, IP 0xfff0 (the
 * reset vector, just under 4 GiB). Our guest is at `entry` instead, so
 * point CS:IP there: in real mode an address is CS.base + IP.
 */
int first_set_registers(struct vcpu *cpu, uint64_t entry)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	/* Read, change what we need, write back: keep the rest as KVM set it. */
	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_GET_SREGS", NULL);
	/* KVM uses the base, not the selector: set both, to agree. */
	sregs.cs.selector = 0;
	sregs.cs.base = 0;
	if (ioctl(cpu->fd, KVM_SET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_SET_SREGS", NULL);

	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rflags = X86_RFLAGS_RESERVED1; /* bit 1 always reads as 1 */
	if (ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_SET_REGS", NULL);
	return 0;
}

/* Sections 8.1 and 8.2: output through the serial port; the end at HLT. */
enum first_exit first_classify_exit(struct vcpu *cpu, FILE *serial)
{
	struct kvm_run *run = cpu->run;
	const uint8_t *data;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		/* Only an `out` to the serial port is output. */
		if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != GUEST_SERIAL_PORT)
			return FIRST_EXIT_OTHER;
		/* Its bytes are in the shared area, data_offset bytes in; `rep
		 * outsb` may bring several elements in one exit. */
		data = (const uint8_t *)run + run->io.data_offset;
		fwrite(data, run->io.size, run->io.count, serial);
		return FIRST_EXIT_OUTPUT;
	case KVM_EXIT_HLT:
		return FIRST_EXIT_DONE;
	default:
		return FIRST_EXIT_OTHER;
	}
}
