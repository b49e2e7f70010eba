/* SPDX-License-Identifier: MIT */
/*
 * host_arm64.c - lesson 03 (given): the arm64 hypercall transports.
 *
 * An MMIO doorbell works on every arm64 KVM. `hvc` reaches userspace only
 * through an SMCCC filter (Linux 6.4+): KVM_SET_DEVICE_ATTR on the VM fd,
 * group KVM_ARM_VM_SMCCC_CTRL, attribute KVM_ARM_VM_SMCCC_FILTER, with a
 * range of function IDs and the action "forward to user" (api.rst,
 * "KVM_ARM_VM_SMCCC_FILTER"). Then such an `hvc` is KVM_EXIT_HYPERCALL.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "hypercalls.h"

/* Linux 6.4's UAPI; Debian 12's headers are 6.1's (common/kvm_compat.h). */
#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL 0
#define KVM_ARM_VM_SMCCC_FILTER 0
#define KVM_SMCCC_FILTER_FWD_TO_USER 2
struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};
#endif

bool hc_is_hypercall_exit(const struct vcpu *cpu)
{
	const struct kvm_run *run = cpu->run;

	if (run->exit_reason == KVM_EXIT_HYPERCALL)
		return run->hypercall.nr >= KIT_HC_SMCCC_BASE &&
		       run->hypercall.nr - KIT_HC_SMCCC_BASE < KIT_HC_SMCCC_COUNT;
	return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
	       run->mmio.phys_addr == KIT_HC_DOORBELL_GPA;
}

bool hc_fast_transport(struct hc_host *host, struct vcpu *cpu, bool want)
{
	struct kvm_smccc_filter filter;
	struct kvm_device_attr attr;

	host->sync_regs = false;
	host->smccc_filter = false;
	if (!want)
		return false;
	memset(&attr, 0, sizeof(attr));
	attr.group = KVM_ARM_VM_SMCCC_CTRL;
	attr.attr = KVM_ARM_VM_SMCCC_FILTER;
	/* Ask before using: the 6.1 kernel says no (EINVAL or ENXIO). */
	if (ioctl(cpu->vm->fd, KVM_HAS_DEVICE_ATTR, &attr) < 0)
		return false;
	memset(&filter, 0, sizeof(filter)); /* pad must be zero */
	filter.base = KIT_HC_SMCCC_BASE;
	filter.nr_functions = KIT_HC_SMCCC_COUNT;
	filter.action = KVM_SMCCC_FILTER_FWD_TO_USER;
	attr.addr = (uintptr_t)&filter;
	/* Before the first KVM_RUN; after it, EBUSY. */
	if (ioctl(cpu->vm->fd, KVM_SET_DEVICE_ATTR, &attr) < 0)
		return false;
	host->smccc_filter = true;
	return true;
}
