/* SPDX-License-Identifier: MIT */
/*
 * machine_x86_64.c - lesson 06 on x86 (given): the rows, and how each
 * exit is told apart and served.
 */
#include <errno.h>

#include "bench.h"
#include "layout.h"

const struct l6_row l6_rows[] = {
	{ "pio", "out to a port: KVM_EXIT_IO to userspace", BENCH_PIO, L6_USER },
	{ "mmio", "a store where there is no memory: KVM_EXIT_MMIO to userspace",
	  BENCH_MMIO, L6_USER },
	{ "cpuid", "cpuid: KVM answers it in the kernel", BENCH_IN_KERNEL, L6_NONE },
	{ "pio_eventfd", "out to a port with an ioeventfd: no exit to userspace",
	  BENCH_PIO_EVENTFD, L6_EVENTFD },
	{ "pio_eventfd_match", "the same, the ioeventfd matching the value (datamatch)",
	  BENCH_PIO_EVENTFD, L6_EVENTFD, .datamatch = true },
	{ "mmio_eventfd", "a store to an address with an ioeventfd", BENCH_MMIO_EVENTFD,
	  L6_EVENTFD },
	{ "mmio_eventfd_match", "the same, the ioeventfd matching the value (datamatch)",
	  BENCH_MMIO_EVENTFD_MATCH, L6_EVENTFD, .datamatch = true },
	{ "coalesced", "a store into a coalesced MMIO zone: a ring entry", BENCH_COALESCED,
	  L6_RING },
	{ "hypercall5_sync", "lesson 03's hypercall, registers in kvm_run (KVM_CAP_SYNC_REGS)",
	  BENCH_HYPERCALL5, L6_USER, .fast = true },
	{ "hypercall5_regs", "the same, with KVM_GET_REGS and KVM_SET_REGS", BENCH_HYPERCALL5,
	  L6_USER },
	{ "sum_ram", "the seed's checksum, its words in RAM (per word)", BENCH_SUM_RAM, L6_NONE,
	  .words = true },
	{ "sum_mmio", "the same checksum, its words behind MMIO (per word)", BENCH_SUM_MMIO,
	  L6_USER, .words = true },
	{ "store_ram", "the seed's stores, into RAM (per word)", BENCH_STORE_RAM, L6_NONE,
	  .words = true },
	{ "store_mmio", "the same stores, into a device (per word)", BENCH_STORE_MMIO, L6_USER,
	  .words = true },
};
const unsigned l6_nrows = sizeof(l6_rows) / sizeof(l6_rows[0]);
const char l6_fast_hypercalls[] = "KVM_CAP_SYNC_REGS";

int l6_start_arch(struct l6_machine *m)
{
	(void)m;
	return 0;
}

enum l6_exit l6_classify(const struct l6_machine *m, enum bench_kind kind)
{
	const struct kvm_run *run = m->cpu.run;
	bool out1 = run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
		    run->io.size == 1 && run->io.count == 1;

	if (out1 && run->io.port == L6_MARK_PORT)
		return L6_MARK;
	switch (kind) {
	case BENCH_PIO:
		return out1 && run->io.port == L6_PIO_PORT ? L6_INTENDED : L6_OTHER;
	case BENCH_MMIO:
	case BENCH_STRAY:
		return l6_mmio_at(run, L6_MMIO_GPA, 4, true) ? L6_INTENDED : L6_OTHER;
	case BENCH_COALESCED:   /* the ring was full */
		return l6_mmio_at(run, L6_COALESCED_GPA, 4, true) ? L6_INTENDED : L6_OTHER;
	case BENCH_HYPERCALL5:
		return hc_is_hypercall_exit(&m->cpu) ? L6_INTENDED : L6_OTHER;
	case BENCH_SUM_MMIO:
		return l6_mmio_at(run, L6_DATA_GPA, BENCH_MAX_WORDS * 4, false) ? L6_INTENDED :
									      L6_OTHER;
	case BENCH_STORE_MMIO:
		return l6_mmio_at(run, L6_DATA_GPA, BENCH_MAX_WORDS * 4, true) ? L6_INTENDED :
									     L6_OTHER;
	default:
		return L6_OTHER;
	}
}

int l6_serve(struct l6_machine *m)
{
	struct kvm_run *run = m->cpu.run;
	int ret;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		ret = mmio_bus_access(&m->bus, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
				      run->mmio.is_write, 0);
		return ret < 0 ? ret : 0;
	case KVM_EXIT_IO:
		if (hc_is_hypercall_exit(&m->cpu)) {
			ret = hc_on_exit(&m->cpu, &m->hc);
			return ret < 0 ? ret : 0;
		}
		return 0;  /* the port takes the byte and does nothing with it */
	default:
		return kit_error(-EPROTO, "l6_serve(): %s is not an exit of the benchmark",
				 kvm_exit_name(run->exit_reason));
	}
}
