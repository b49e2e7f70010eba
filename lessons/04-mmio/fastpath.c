/* SPDX-License-Identifier: MIT */
/*
 * fastpath.c - lesson 04, sections 7 to 9: MMIO exits through the bus,
 * and the two ways to have fewer of them.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mmio.h"
#include "arch/arch.h"

#define LESSON "04-mmio"

int mmio_on_exit(struct vcpu *cpu, void *ctx)
{
	/*
	 * TODO: with a ring (host->ring), drain it first; then, for
	 * KVM_EXIT_MMIO only, count it in host->mmio_exits and give
	 * run->mmio's access to mmio_bus_access() (the pc from
	 * arch_vcpu_pc()). RUN_EXIT_HANDLED, RUN_EXIT_UNHANDLED for any
	 * other exit, or the negative errno.
	 */
	(void)cpu;
	(void)ctx;
	return kit_todo(LESSON, "7. MMIO exits", "mmio_on_exit()");
}

int mmio_coalesce(struct vcpu *cpu, struct mmio_ring *ring, uint64_t addr, uint32_t size)
{
	/*
	 * TODO: KVM_CHECK_EXTENSION(KVM_CAP_COALESCED_MMIO) is the ring's
	 * page in the vCPU's mapping (0: none, -EOPNOTSUPP);
	 * KVM_REGISTER_COALESCED_MMIO on the VM; ring->ring at that page of
	 * cpu->run, ring->max its entries for this host's page size.
	 */
	(void)cpu;
	(void)ring;
	(void)addr;
	(void)size;
	return kit_todo(LESSON, "8. Coalesced MMIO", "mmio_coalesce()");
}

long mmio_drain(struct mmio_ring *ring, struct mmio_bus *bus)
{
	/*
	 * TODO: while first != last: the entry at first, as a write through
	 * the bus; then first = (first + 1) % max. Count them (return and
	 * ring->drained).
	 */
	(void)ring;
	(void)bus;
	return kit_todo(LESSON, "8. Coalesced MMIO", "mmio_drain()");
}

int mmio_ioeventfd(struct vm *vm, uint64_t addr, uint32_t len, bool datamatch, uint64_t value)
{
	/*
	 * TODO: KVM_CHECK_EXTENSION(KVM_CAP_IOEVENTFD); an eventfd
	 * (EFD_NONBLOCK); KVM_IOEVENTFD on the VM with its fd, the address,
	 * the length and, if datamatch, KVM_IOEVENTFD_FLAG_DATAMATCH and the
	 * value. The fd; on failure close it and return the error.
	 */
	(void)vm;
	(void)addr;
	(void)len;
	(void)datamatch;
	(void)value;
	return kit_todo(LESSON, "9. ioeventfd", "mmio_ioeventfd()");
}
