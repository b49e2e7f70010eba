/* SPDX-License-Identifier: MIT */
/*
 * machine_arm64.c - lesson 06 on arm64 (given): the rows, and how each
 * exit is told apart and served. No ports here; the mark is a store.
 */
#include <errno.h>
#include <string.h>

#include "bench.h"
#include "layout.h"

const struct l6_row l6_rows[] = {
	{ "mmio", "a store where there is no memory: KVM_EXIT_MMIO to userspace",
	  BENCH_MMIO, L6_USER },
	{ "nisv", "a post-indexed store there: KVM_EXIT_ARM_NISV, lesson 05's emulator",
	  BENCH_NISV, L6_USER },
	{ "psci_version", "hvc PSCI_VERSION: KVM answers it in the kernel", BENCH_IN_KERNEL,
	  L6_NONE },
	{ "mmio_eventfd", "a store to an address with an ioeventfd: no exit to userspace",
	  BENCH_MMIO_EVENTFD, L6_EVENTFD },
	{ "mmio_eventfd_match", "the same, the ioeventfd matching the value (datamatch)",
	  BENCH_MMIO_EVENTFD_MATCH, L6_EVENTFD, .datamatch = true },
	{ "coalesced", "a store into a coalesced MMIO zone: a ring entry", BENCH_COALESCED,
	  L6_RING },
	{ "hypercall5_hvc", "lesson 03's hypercall, hvc to userspace (the SMCCC filter)",
	  BENCH_HYPERCALL5, L6_USER, .fast = true },
	{ "hypercall5_doorbell", "the same through lesson 03's MMIO doorbell",
	  BENCH_HYPERCALL5, L6_USER },
	{ "sum_ram", "the seed's checksum, its words in RAM (per word)", BENCH_SUM_RAM, L6_NONE,
	  .words = true },
	{ "sum_mmio", "the same checksum, its words behind MMIO (per word)", BENCH_SUM_MMIO,
	  L6_USER, .words = true },
	{ "store_ram", "the seed's post-indexed stores, into RAM (per word)", BENCH_STORE_RAM,
	  L6_NONE, .words = true },
	{ "store_mmio", "the same stores, into a device: lesson 05 (per word)",
	  BENCH_STORE_MMIO, L6_USER, .words = true },
};
const unsigned l6_nrows = sizeof(l6_rows) / sizeof(l6_rows[0]);
const char l6_fast_hypercalls[] = "SMCCC filter (KVM_ARM_VM_SMCCC_FILTER, Linux 6.4+)";

/* Lesson 05's emulator for every row whose stores or loads may come
 * without a syndrome (the compiler picks the seed's loads' form). */
int l6_start_arch(struct l6_machine *m)
{
	enum bench_kind k = m->row->kind;

	if (k != BENCH_NISV && k != BENCH_SUM_MMIO && k != BENCH_STORE_MMIO)
		return 0;
	memset(&m->wb, 0, sizeof(m->wb));
	m->wb.mmio.bus = &m->bus;
	return wb_enable(&m->vm, &m->wb);
}

static bool nisv_at(const struct kvm_run *run, uint64_t base, uint64_t len)
{
	return run->exit_reason == KVM_EXIT_ARM_NISV && run->arm_nisv.fault_ipa >= base &&
	       run->arm_nisv.fault_ipa - base < len;
}

enum l6_exit l6_classify(const struct l6_machine *m, enum bench_kind kind)
{
	const struct kvm_run *run = m->cpu.run;
	uint64_t data = BENCH_MAX_WORDS * 4;

	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write && run->mmio.len == 1 &&
	    run->mmio.phys_addr == L6_MARK_GPA)
		return L6_MARK;
	switch (kind) {
	case BENCH_MMIO:
	case BENCH_STRAY:
		return l6_mmio_at(run, L6_MMIO_GPA, 4, true) ? L6_INTENDED : L6_OTHER;
	case BENCH_NISV:
		return nisv_at(run, L6_MMIO_GPA, 4) ? L6_INTENDED : L6_OTHER;
	case BENCH_COALESCED:
		return l6_mmio_at(run, L6_COALESCED_GPA, 4, true) ? L6_INTENDED : L6_OTHER;
	case BENCH_HYPERCALL5:
		return hc_is_hypercall_exit(&m->cpu) ? L6_INTENDED : L6_OTHER;
	case BENCH_SUM_MMIO:
		return l6_mmio_at(run, L6_DATA_GPA, data, false) || nisv_at(run, L6_DATA_GPA, data) ?
			       L6_INTENDED : L6_OTHER;
	case BENCH_STORE_MMIO:
		return l6_mmio_at(run, L6_DATA_GPA, data, true) || nisv_at(run, L6_DATA_GPA, data) ?
			       L6_INTENDED : L6_OTHER;
	default:
		return L6_OTHER;
	}
}

int l6_serve(struct l6_machine *m)
{
	struct kvm_run *run = m->cpu.run;
	int ret;

	if (hc_is_hypercall_exit(&m->cpu)) {
		ret = hc_on_exit(&m->cpu, &m->hc);
		return ret < 0 ? ret : 0;
	}
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		ret = mmio_bus_access(&m->bus, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
				      run->mmio.is_write, 0);
		return ret < 0 ? ret : 0;
	case KVM_EXIT_ARM_NISV:
		ret = wb_emulate(&m->cpu, &m->wb);
		if (ret < 0)
			return ret;
		/* A refusal gives the guest an abort: not what a batch is for. */
		if (m->wb.refused)
			return kit_error(-EPROTO, "lesson 05's emulator refused it: %s",
					 m->wb.refusal);
		return 0;
	default:
		return kit_error(-EPROTO, "l6_serve(): %s is not an exit of the benchmark",
				 kvm_exit_name(run->exit_reason));
	}
}
