/* SPDX-License-Identifier: MIT */
/*
 * machine.c - lesson 04's machine (given; read it: it is how the pieces
 * of the lesson fit together). The order matters: devices on the bus
 * before the first KVM_RUN, the fast paths after the devices they speed
 * up, and the ring drained once more when the run ends.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "02-c-guests/c_guests.h"
#include "machine.h"
#include "layout.h"

void l4_rom_bytes(uint8_t *rom, size_t size)
{
	static const char text[] = ROM_TEXT;
	size_t i;

	for (i = 0; i < size; i++)
		rom[i] = i < sizeof(text) - 1 ? (uint8_t)text[i] : ROM_BYTE(i);
}

int l4_start(struct l4_machine *m, const struct guest_image *image, const struct l4_options *o)
{
	static uint8_t rom[L4_ROM_SIZE];
	FILE *out = o->out;
	int ret;

	memset(m, 0, sizeof(*m));
	m->doorbell_fd = -1;
	m->vm = (struct vm)VM_EMPTY;
	m->cpu = (struct vcpu)VCPU_EMPTY;
	if (!out) {
		m->memout = open_memstream(&m->output, &m->output_len);
		if (!m->memout)
			return kit_error(-ENOMEM, "open_memstream failed");
		out = m->memout;
	}
	ret = lm_boot(&m->vm, &m->cpu, image->bytes, image->size);
	if (ret < 0)
		return ret;

	mmio_bus_init(&m->bus, o->strict, o->trace);
	uart_init(&m->uart, L4_UART_GPA, out);
	counter_init(&m->counter, L4_COUNTER_GPA);
	if ((ret = mmio_bus_register(&m->bus, &m->uart.dev)) < 0 ||
	    (ret = mmio_bus_register(&m->bus, &m->counter.dev)) < 0)
		return ret;
	l4_rom_bytes(rom, sizeof(rom));
	ret = rom_map(&m->vm, &m->bus, &m->rom, L4_ROM_GPA, rom, sizeof(rom));
	if (ret < 0)
		return ret;

	m->host = (struct mmio_host){ .bus = &m->bus };
	if (o->coalesce) {
		/* Only THR: a read of LSR must still exit, and finds every byte
		 * before it already out. */
		ret = mmio_coalesce(&m->cpu, &m->ring, L4_UART_GPA + UART_THR, 1);
		if (ret < 0)
			return ret;
		m->host.ring = &m->ring;
	}
	if (o->doorbell != DOORBELL_EXITS) {
		ret = mmio_ioeventfd(&m->vm, L4_COUNTER_GPA + COUNTER_DOORBELL, 8,
				     o->doorbell == DOORBELL_EVENTFD_MATCH, DOORBELL_MAGIC);
		if (ret < 0)
			return ret;
		m->doorbell_fd = ret;
	}
	return 0;
}

int l4_run(struct l4_machine *m, unsigned timeout_ms)
{
	struct run_loop loop = { .timeout_ms = timeout_ms, .on_exit = mmio_on_exit,
				 .ctx = &m->host };
	uint64_t events = 0;
	long n;
	int ret;

	ret = vcpu_run_loop(&m->cpu, &loop);
	m->exits = loop.exits;
	/* The guest's last writes may still be in the ring. */
	if (m->host.ring && (n = mmio_drain(m->host.ring, &m->bus)) < 0 && ret == 0)
		ret = (int)n;
	if (m->doorbell_fd >= 0 && read(m->doorbell_fd, &events, sizeof(events)) == 8)
		m->doorbell_events = events;
	if (ret < 0)
		snprintf(m->error, sizeof(m->error), "%s", kit_last_error());
	if (m->memout)
		fflush(m->memout);
	return ret;
}

void l4_stop(struct l4_machine *m)
{
	if (m->doorbell_fd >= 0)
		close(m->doorbell_fd);
	m->doorbell_fd = -1;
	vcpu_destroy(&m->cpu);
	vm_destroy(&m->vm);
	if (m->memout)
		fclose(m->memout);
	m->memout = NULL;
	free(m->output);
	m->output = NULL;
}
