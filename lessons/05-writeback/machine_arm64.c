/* SPDX-License-Identifier: MIT */
/*
 * machine_arm64.c - lesson 05's machine (given; read it). Lesson 04's
 * machine does the booting and the devices; this adds the memory-like
 * device, a device on the guests' fault register (their exception
 * vectors store ESR_EL1 there), and the run loop's hook.
 */
#include <errno.h>
#include <string.h>

#include "machine.h"
#include "layout.h"

int wb_on_exit(struct vcpu *cpu, void *ctx)
{
	struct wb_host *h = ctx;
	long n;

	if (cpu->run->exit_reason != KVM_EXIT_ARM_NISV)
		return mmio_on_exit(cpu, &h->mmio);
	/* Writes waiting in a coalesced ring came first. */
	if (h->mmio.ring && (n = mmio_drain(h->mmio.ring, h->mmio.bus)) < 0)
		return (int)n;
	return wb_emulate(cpu, h);
}

static void mem_log(struct wb_mem *m, uint64_t offset, uint32_t len, bool is_write,
		    const uint8_t *data)
{
	if (m->nlog < WB_LOG_MAX)
		m->log[m->nlog++] = (struct counter_access){ offset, len, is_write,
							     mmio_le_load(data, len) };
}

static int mem_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	struct wb_mem *m = dev->priv;

	memcpy(data, m->bytes + offset, len);
	mem_log(m, offset, len, false, data);
	return 0;
}

static int mem_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
		     uint32_t len)
{
	struct wb_mem *m = dev->priv;

	memcpy(m->bytes + offset, data, len);
	mem_log(m, offset, len, true, data);
	return 0;
}

static int fault_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
		       uint32_t len)
{
	struct wb_machine *w = dev->priv;

	(void)offset;
	w->took_exception = true;
	w->esr = mmio_le_load(data, len);
	return kit_error(-ECANCELED, "the guest took an exception: ESR_EL1 0x%llx (EC 0x%llx)",
			 (unsigned long long)w->esr, (unsigned long long)((w->esr >> 26) & 0x3f));
}

static int fault_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	(void)dev;
	(void)offset;
	memset(data, 0, len);
	return 0;
}

int wb_start(struct wb_machine *w, const struct guest_image *image, bool nisv, FILE *trace)
{
	struct l4_options o = { .strict = true, .trace = trace };
	int ret;

	memset(w, 0, sizeof(*w));
	ret = l4_start(&w->m, image, &o);
	if (ret < 0)
		return ret;
	w->mem.dev = (struct mmio_device){ .name = "mem", .base = L5_MEM_GPA, .len = WB_MEM_SIZE,
					   .sizes = MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 |
						    MMIO_SIZE_8,
					   .unaligned = true, .read = mem_read, .write = mem_write,
					   .priv = &w->mem };
	w->seed.dev = w->mem.dev;
	w->seed.dev.name = "seed";
	w->seed.dev.base = 0x5000;
	w->seed.dev.len = 16;
	w->seed.dev.priv = &w->seed;
	w->fault = (struct mmio_device){ .name = "fault register", .base = LM_FAULT_GPA,
					 .len = 8, .sizes = MMIO_SIZE_8, .read = fault_read,
					 .write = fault_write, .priv = w };
	if ((ret = mmio_bus_register(&w->m.bus, &w->mem.dev)) < 0 ||
	    (ret = mmio_bus_register(&w->m.bus, &w->seed.dev)) < 0 ||
	    (ret = mmio_bus_register(&w->m.bus, &w->fault)) < 0)
		return ret;
	w->host = (struct wb_host){ .mmio = w->m.host, .trace = trace };
	if (nisv && (ret = wb_enable(&w->m.vm, &w->host)) < 0)
		return ret;
	return 0;
}

int wb_run(struct wb_machine *w)
{
	struct run_loop loop = { .on_exit = wb_on_exit, .ctx = &w->host };
	int ret;

	ret = vcpu_run_loop(&w->m.cpu, &loop);
	w->m.exits = loop.exits;
	if (ret < 0)
		snprintf(w->m.error, sizeof(w->m.error), "%s", kit_last_error());
	if (w->m.memout)
		fflush(w->m.memout);
	return ret;
}

void wb_stop(struct wb_machine *w)
{
	l4_stop(&w->m);
}
