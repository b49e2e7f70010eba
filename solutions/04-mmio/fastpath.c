/* SPDX-License-Identifier: MIT */
/*
 * fastpath.c - lesson 04, sections 7 to 9: MMIO exits through the bus,
 * and the two ways to have fewer of them. A coalesced zone lets KVM put
 * the guest's writes in a ring in the vCPU's mapping instead of exiting;
 * an ioeventfd turns a write into an eventfd count inside the kernel.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mmio.h"
#include "arch/arch.h"

/* Section 7. */
int mmio_on_exit(struct vcpu *cpu, void *ctx)
{
	struct mmio_host *h = ctx;
	struct kvm_run *run = cpu->run;
	uint64_t pc = 0, pc_gpa;
	enum kit_isa isa;
	long n;
	int ret;

	/* What waits in the ring happened before this exit: first. */
	if (h->ring && (n = mmio_drain(h->ring, h->bus)) < 0)
		return (int)n;
	if (run->exit_reason != KVM_EXIT_MMIO)
		return RUN_EXIT_UNHANDLED;
	h->mmio_exits++;
	if (arch_vcpu_pc(cpu, &pc, &pc_gpa, &isa) < 0)
		pc = 0; /* only for the trace */
	ret = mmio_bus_access(h->bus, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
			      run->mmio.is_write, pc);
	return ret < 0 ? ret : RUN_EXIT_HANDLED;
}

/* Section 8. */
int mmio_coalesce(struct vcpu *cpu, struct mmio_ring *ring, uint64_t addr, uint32_t size)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = addr, .size = size };
	size_t page_size = cpu->vm->page_size;
	int page;

	/* The capability's value is the ring's page in the vCPU's mapping. */
	page = ioctl(cpu->vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);
	if (page < 0)
		return kit_syscall_error("KVM_CHECK_EXTENSION", "KVM_CAP_COALESCED_MMIO");
	if (page == 0)
		return kit_error(-EOPNOTSUPP, "this KVM has no coalesced MMIO "
				 "(KVM_CAP_COALESCED_MMIO is 0)");
	if ((size_t)(page + 1) * page_size > cpu->run_size)
		return kit_error(-EINVAL, "the coalesced ring is page %d, past the %zu bytes of "
				 "the vCPU's mapping", page, cpu->run_size);
	if (ioctl(cpu->vm->fd, KVM_REGISTER_COALESCED_MMIO, &zone) < 0)
		return kit_syscall_error("KVM_REGISTER_COALESCED_MMIO", "0x%llx, %u bytes",
					 (unsigned long long)addr, size);
	ring->ring = (struct kvm_coalesced_mmio_ring *)((uint8_t *)cpu->run +
							 (size_t)page * page_size);
	/* KVM_COALESCED_MMIO_MAX, for this host's pages. */
	ring->max = (uint32_t)((page_size - sizeof(struct kvm_coalesced_mmio_ring)) /
			       sizeof(struct kvm_coalesced_mmio));
	ring->drained = 0;
	return 0;
}

/* Section 8. KVM adds at `last`; we take from `first`, then move it on. */
long mmio_drain(struct mmio_ring *r, struct mmio_bus *bus)
{
	struct kvm_coalesced_mmio_ring *ring = r->ring;
	long n = 0;
	int ret;

	while (ring->first != __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE)) {
		uint32_t first = ring->first;
		const struct kvm_coalesced_mmio *e;
		uint8_t data[8];

		if (first >= r->max)
			return kit_error(-EPROTO, "the coalesced ring's first entry is %u, but it "
					 "has %u", first, r->max);
		e = &ring->coalesced_mmio[first];
		memcpy(data, e->data, sizeof(data));
		ret = mmio_bus_access(bus, e->phys_addr, data, e->len, true, 0);
		if (ret < 0)
			return ret;
		__atomic_store_n(&ring->first, (first + 1) % r->max, __ATOMIC_RELEASE);
		r->drained++;
		n++;
	}
	return n;
}

/* Section 9. */
int mmio_ioeventfd(struct vm *vm, uint64_t addr, uint32_t len, bool datamatch, uint64_t value)
{
	struct kvm_ioeventfd io = {
		.datamatch = value, .addr = addr, .len = len,
		.flags = datamatch ? KVM_IOEVENTFD_FLAG_DATAMATCH : 0,
	};
	int ret, fd;

	ret = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IOEVENTFD);
	if (ret < 0)
		return kit_syscall_error("KVM_CHECK_EXTENSION", "KVM_CAP_IOEVENTFD");
	if (ret == 0)
		return kit_error(-EOPNOTSUPP, "this KVM has no ioeventfd (KVM_CAP_IOEVENTFD is 0)");
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return kit_syscall_error("eventfd", NULL);
	io.fd = fd;
	if (ioctl(vm->fd, KVM_IOEVENTFD, &io) < 0) {
		ret = kit_syscall_error("KVM_IOEVENTFD", "0x%llx, %u bytes",
					(unsigned long long)addr, len);
		close(fd);
		return ret;
	}
	return fd;
}
