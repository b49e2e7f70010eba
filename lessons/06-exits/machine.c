/* SPDX-License-Identifier: MIT */
/*
 * machine.c - lesson 06's machine (given; read it: each row of the table
 * is served here the way the lessons before taught). One machine serves
 * one row, so every fast path is set up before the first KVM_RUN and
 * nothing of one row's set-up is left for the next.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "02-c-guests/c_guests.h"
#include "bench.h"
#include "layout.h"

const struct l6_row *l6_row(const char *name)
{
	unsigned i;

	for (i = 0; i < l6_nrows; i++)
		if (strcmp(l6_rows[i].name, name) == 0)
			return &l6_rows[i];
	return NULL;
}

/* The sink and the data device: stores are kept, loads of the data
 * device give the seed's words (BENCH_WORD), everything else reads 0. */
static int sink_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	struct l6_sink *s = dev->priv;
	uint64_t v = dev->base == L6_DATA_GPA && len == 4 ? BENCH_WORD(offset / 4) : 0;

	s->reads++;
	mmio_le_store(data, len, v);
	return 0;
}

static int sink_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data, uint32_t len)
{
	struct l6_sink *s = dev->priv;

	(void)offset;
	s->writes++;
	if (s->nlog < L6_LOG_MAX)
		s->log[s->nlog++] = (uint32_t)mmio_le_load(data, len);
	return 0;
}

static void sink_init(struct l6_sink *s, const char *name, uint64_t base, uint64_t len)
{
	memset(s, 0, sizeof(*s));
	s->dev = (struct mmio_device){ .name = name, .base = base, .len = len,
				       .sizes = MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 | MMIO_SIZE_8,
				       .read = sink_read, .write = sink_write, .priv = s };
}

/* Where a row's ioeventfd listens: a port, or an address. */
static int start_eventfd(struct l6_machine *m, const struct l6_row *row)
{
	bool pio = row->kind == BENCH_PIO_EVENTFD;
	uint64_t addr;
	uint32_t len;
	int fd;

#ifdef L6_EVENTFD_PORT
	addr = pio ? L6_EVENTFD_PORT : row->datamatch ? L6_EVENTFD_MATCH_GPA : L6_EVENTFD_GPA;
	len = pio ? 1 : 4;
#else
	if (pio)
		return kit_error(-EOPNOTSUPP, "this architecture has no I/O ports");
	addr = row->datamatch ? L6_EVENTFD_MATCH_GPA : L6_EVENTFD_GPA;
	len = 4;
#endif
	fd = bench_ioeventfd(&m->vm, addr, len, pio, row->datamatch, BENCH_EVENTFD_VALUE);
	if (fd < 0)
		return fd;
	m->eventfd = fd;
	return 0;
}

/* Run the guest to its first mark: what it does once (its set-up, the
 * first hypercall's probe of its transport) stays out of the batches. */
static int ready(struct l6_machine *m)
{
	char what[160];
	int ret;

	m->params->kind = m->row->kind;
	for (;;) {
		if (ioctl(m->cpu.fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			return kit_syscall_error("KVM_RUN", "before the first batch");
		}
		switch (l6_classify(m, m->row->kind)) {
		case L6_MARK:
			/* Now it waits for a batch: a kind of BENCH_STOP would end it. */
			m->params->kind = BENCH_STOP;
			return 0;
		case L6_INTENDED:
			if ((ret = l6_serve(m)) < 0)
				return ret;
			break;
		default:
			return kit_error(-EPROTO, "the benchmark guest did not get ready: %s",
					 l6_describe(m, what, sizeof(what)));
		}
	}
}

int l6_start(struct l6_machine *m, const struct guest_image *image, const struct l6_row *row)
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->vm = (struct vm)VM_EMPTY;
	m->cpu = (struct vcpu)VCPU_EMPTY;
	m->eventfd = -1;
	m->row = row;
	ret = lm_boot(&m->vm, &m->cpu, image->bytes, image->size);
	if (ret < 0)
		return ret;
	m->params = guest_ptr(&m->vm, L6_PARAMS_GPA, sizeof(*m->params));
	if (!m->params)
		return kit_error(-EFAULT, "the parameter page (0x%llx) is not in guest memory",
				 (unsigned long long)L6_PARAMS_GPA);
	memset(m->params, 0, sizeof(*m->params));

	/* Lesson 04's bus, strict: a store nobody takes stops the run. */
	mmio_bus_init(&m->bus, true, NULL);
	sink_init(&m->sink, "sink", row->kind == BENCH_COALESCED ? L6_COALESCED_GPA : L6_MMIO_GPA,
		  0x100);
	sink_init(&m->data, "data", L6_DATA_GPA, BENCH_MAX_WORDS * 4);
	if ((ret = mmio_bus_register(&m->bus, &m->sink.dev)) < 0 ||
	    (ret = mmio_bus_register(&m->bus, &m->data.dev)) < 0)
		return ret;

	/* Lesson 03's hypercalls, the fast way or not. */
	hc_host_init(&m->hc, &m->vm, NULL);
	if (row->kind == BENCH_HYPERCALL5 && hc_fast_transport(&m->hc, &m->cpu, row->fast) !=
	    row->fast)
		return kit_error(-EOPNOTSUPP, "this KVM has no %s", l6_fast_hypercalls);

	switch (row->path) {
	case L6_EVENTFD:
		if ((ret = start_eventfd(m, row)) < 0)
			return ret;
		break;
	case L6_RING:
		/* Lesson 04's ring, over the sink's register. */
		if ((ret = mmio_coalesce(&m->cpu, &m->ring, L6_COALESCED_GPA, 4)) < 0)
			return ret;
		m->ring_on = true;
		break;
	default:
		break;
	}
	if ((ret = l6_start_arch(m)) < 0)
		return ret;
	return ready(m);
}

void l6_stop(struct l6_machine *m)
{
	if (m->eventfd >= 0)
		close(m->eventfd);
	m->eventfd = -1;
	vcpu_destroy(&m->cpu);
	vm_destroy(&m->vm);
}

bool l6_mmio_at(const struct kvm_run *run, uint64_t base, uint64_t len, bool write)
{
	return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write == write &&
	       run->mmio.len == 4 && run->mmio.phys_addr >= base &&
	       run->mmio.phys_addr - base < len;
}

const char *l6_describe(const struct l6_machine *m, char *buf, size_t len)
{
	const struct kvm_run *run = m->cpu.run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		snprintf(buf, len, "KVM_EXIT_IO, %s of %u byte%s at port 0x%x",
			 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in", run->io.size,
			 run->io.size == 1 ? "" : "s", run->io.port);
		break;
	case KVM_EXIT_MMIO:
		snprintf(buf, len, "KVM_EXIT_MMIO, a %u-byte %s at 0x%llx", run->mmio.len,
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr);
		break;
	case KVM_EXIT_ARM_NISV:
		snprintf(buf, len, "KVM_EXIT_ARM_NISV at 0x%llx",
			 (unsigned long long)run->arm_nisv.fault_ipa);
		break;
	default:
		snprintf(buf, len, "%s", kvm_exit_name(run->exit_reason));
		break;
	}
	return buf;
}
