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

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* What the row's path says the counts must be. */
static int check_counts(const struct l6_machine *m, const struct bench_batch *b)
{
	const char *name = m->row->name;

	switch (m->row->path) {
	case L6_USER:
		if (b->user_exits != b->n)
			return kit_error(-EPROTO, "%s: %lu exits came back for %llu asked for", name,
					 b->user_exits, (unsigned long long)b->n);
		return 0;
	case L6_NONE:
		if (b->user_exits != 0)
			return kit_error(-EPROTO, "%s: %lu exits came back, and none should",
					 name, b->user_exits);
		return 0;
	case L6_EVENTFD:
		if (b->user_exits != 0 || b->eventfd_count != b->n)
			return kit_error(-EPROTO, "%s: the eventfd counted %llu of %llu writes, and "
					 "%lu came back as exits", name,
					 (unsigned long long)b->eventfd_count,
					 (unsigned long long)b->n, b->user_exits);
		return 0;
	case L6_RING:
		/* A full ring sends one write in m->ring.max back as an exit; a
		 * ring that took none would send them all. */
		if (b->ring_entries + b->user_exits != b->n || b->user_exits > b->n / 2)
			return kit_error(-EPROTO, "%s: %lu ring entries and %lu exits for %llu "
					 "writes", name, b->ring_entries, b->user_exits,
					 (unsigned long long)b->n);
		return 0;
	}
	return kit_error(-EINVAL, "%s: an unknown path", name);
}

/* The ring, drained through the bus: its entries come before the exit
 * that brought us here. */
static int drain(struct l6_machine *m, struct bench_batch *out)
{
	long got;

	if (!m->ring_on)
		return 0;
	got = mmio_drain(&m->ring, &m->bus);
	if (got < 0)
		return (int)got;
	out->ring_entries += (unsigned long)got;
	return 0;
}

/* Section 4. */
int bench_batch(struct l6_machine *m, uint64_t n, struct bench_batch *out)
{
	char what[160];
	uint64_t t0, t1, count;
	int ret;

	memset(out, 0, sizeof(*out));
	out->n = n;
	m->params->kind = m->row->kind;
	m->params->n = n;
	t0 = now_ns();
	for (;;) {
		if (ioctl(m->cpu.fd, KVM_RUN, 0) < 0) {
			if (errno != EINTR)
				return kit_syscall_error("KVM_RUN", "in a batch of %s", m->row->name);
			if (watchdog_fired())
				return kit_error(-ETIMEDOUT, "a batch of %s: the watchdog fired after %lu "
						 "exits", m->row->name, out->user_exits);
			continue;   /* another signal: run again */
		}
		if ((ret = drain(m, out)) < 0)
			return ret;
		switch (l6_classify(m, m->row->kind)) {
		case L6_MARK:
			break;
		case L6_INTENDED:
			out->user_exits++;
			if ((ret = l6_serve(m)) < 0)
				return ret;
			continue;
		default:
			return kit_error(-EPROTO, "a batch of %s: an exit of another kind: %s",
					 m->row->name, l6_describe(m, what, sizeof(what)));
		}
		break;
	}
	t1 = now_ns();
	out->ns = t1 - t0;
	out->ticks = m->params->ticks;
	if (m->eventfd >= 0 && read(m->eventfd, &count, sizeof(count)) == sizeof(count))
		out->eventfd_count = count;
	return check_counts(m, out);
}

/* Section 5. */
int bench_measure(struct l6_machine *m, uint64_t n, unsigned batches, struct bench_result *out)
{
	double ns[BENCH_MAX_BATCHES] = { 0 }, ticks[BENCH_MAX_BATCHES] = { 0 };
	struct bench_batch b;
	unsigned i;
	int ret;

	if (n == 0 || batches == 0 || batches > BENCH_MAX_BATCHES)
		return kit_error(-EINVAL, "bench_measure(): %llu exits in %u batches (1 to %u)",
				 (unsigned long long)n, batches, BENCH_MAX_BATCHES);
	memset(out, 0, sizeof(*out));
	out->row = m->row;
	out->n = n;
	out->batches = batches;
	/* The warm-up: caches, the first faults on the guest's pages. */
	if ((ret = bench_batch(m, n, &b)) < 0)
		return ret;
	for (i = 0; i < batches; i++) {
		if ((ret = bench_batch(m, n, &b)) < 0)
			break;
		ns[i] = (double)b.ns / (double)n;
		ticks[i] = (double)b.ticks / (double)n;
		out->user_exits += b.user_exits;
	}
	if (ret == 0 && (ret = stats_summarize(ns, batches, &out->ns)) == 0)
		ret = stats_summarize(ticks, batches, &out->ticks);
	return ret;
}

/* Section 6. */
int bench_pin(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return kit_syscall_error("sched_getcpu", "cannot tell which CPU this is");
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return kit_syscall_error("sched_setaffinity", "the run goes on unpinned");
	return cpu;
}

/* Section 7. */
int bench_ioeventfd(struct vm *vm, uint64_t addr, uint32_t len, bool pio, bool datamatch,
		    uint64_t value)
{
	struct kvm_ioeventfd io;
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0)
		return kit_syscall_error("eventfd", "for an ioeventfd at 0x%llx",
					 (unsigned long long)addr);
	memset(&io, 0, sizeof(io));
	io.addr = addr;
	io.len = len;
	io.fd = fd;
	io.flags = (pio ? KVM_IOEVENTFD_FLAG_PIO : 0) |
		   (datamatch ? KVM_IOEVENTFD_FLAG_DATAMATCH : 0);
	io.datamatch = datamatch ? value : 0;
	if (ioctl(vm->fd, KVM_IOEVENTFD, &io) < 0) {
		int ret = kit_syscall_error("KVM_IOEVENTFD", "%s 0x%llx, %u bytes",
					    pio ? "port" : "address", (unsigned long long)addr,
					    len);

		close(fd);
		return ret;
	}
	return fd;
}
