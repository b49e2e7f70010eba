/* SPDX-License-Identifier: MIT */
/*
 * bench.c - lesson 06, sections 4 to 7: the benchmark harness.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define LESSON "06-exits"

int bench_batch(struct l6_machine *m, uint64_t n, struct bench_batch *out)
{
	/*
	 * TODO (section 4, step by step):
	 *  - *out zeroed, out->n = n; m->params->kind = m->row->kind and
	 *    m->params->n = n;
	 *  - the clock (CLOCK_MONOTONIC), once;
	 *  - KVM_RUN until the mark (EINTR: -ETIMEDOUT if watchdog_fired(),
	 *    else again). After each, if m->ring_on,
	 *    mmio_drain() the ring through m->bus first (out->ring_entries);
	 *    then l6_classify(): the mark ends the loop; an intended exit is
	 *    counted (out->user_exits) and served (l6_serve()); anything else
	 *    is -EPROTO, with l6_describe() in the message;
	 *  - the clock again: out->ns; out->ticks = m->params->ticks; if
	 *    m->eventfd >= 0, read its count into out->eventfd_count;
	 *  - the counts checked against m->row->path (README, section 4).
	 */
	(void)m;
	(void)n;
	(void)out;
	return kit_todo(LESSON, "4. One batch", "bench_batch()");
}

int bench_measure(struct l6_machine *m, uint64_t n, unsigned batches, struct bench_result *out)
{
	/*
	 * TODO: -EINVAL for n 0 or batches not 1 to BENCH_MAX_BATCHES (the
	 * samples can live on the stack); one warm-up batch, not counted;
	 * then `batches` batches, each a sample of ns / n and ticks / n;
	 * out->row, n, batches, user_exits, and the stats of both.
	 */
	(void)m;
	(void)n;
	(void)batches;
	(void)out;
	return kit_todo(LESSON, "5. Many batches", "bench_measure()");
}

int bench_pin(void)
{
	/* TODO: sched_getcpu(), then sched_setaffinity() to that CPU alone. */
	return kit_todo(LESSON, "6. Holding still", "bench_pin()");
}

int bench_ioeventfd(struct vm *vm, uint64_t addr, uint32_t len, bool pio, bool datamatch,
		    uint64_t value)
{
	/*
	 * TODO: eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); a struct
	 * kvm_ioeventfd (addr, len, fd, KVM_IOEVENTFD_FLAG_PIO if pio,
	 * KVM_IOEVENTFD_FLAG_DATAMATCH and .datamatch = value if datamatch);
	 * KVM_IOEVENTFD on the VM (failed: close the eventfd). The eventfd.
	 */
	(void)vm;
	(void)addr;
	(void)len;
	(void)pio;
	(void)datamatch;
	(void)value;
	return kit_todo(LESSON, "7. A fast path of your own", "bench_ioeventfd()");
}
