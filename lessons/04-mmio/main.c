/* SPDX-License-Identifier: MIT */
/*
 * main.c - lesson 04's program (given): the devices guest on your bus,
 * then what the fast paths save, counted in exits.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "machine.h"
#include "arch/arch.h"

GUEST_IMAGE_DECLARE(devices);
GUEST_IMAGE_DECLARE(flood);
GUEST_IMAGE_DECLARE(doorbell);
#ifdef __aarch64__
GUEST_IMAGE_DECLARE(writeback);
#endif

/* One run; false (and a line saying why) if it did not get to its end. */
static bool run(const struct guest_image *image, const struct l4_options *o,
		struct l4_machine *m)
{
	int ret = l4_start(m, image, o);

	if (ret == 0)
		ret = l4_run(m, o->timeout_ms);
	fflush(stdout);
	/* A TODO reached is the news, whatever the run did after it. */
	if (kit_first_todo()) {
		printf("[TODO] %s\n", kit_first_todo());
		return false;
	}
	if (ret == 0)
		return true;
	printf("[FAIL] %s\n", m->error[0] ? m->error : kit_last_error());
	return false;
}

static int devices(void)
{
	struct guest_image image = GUEST_IMAGE(devices);
	struct l4_options o = { .strict = true, .out = stdout };
	struct l4_machine m;
	bool ok;

	printf("--- guest devices: every device, every size it takes ---\n");
	fflush(stdout);
	ok = run(&image, &o, &m);
	fflush(stdout);
	if (ok) {
		printf("[ok] %lu exits, %lu of them MMIO: %lu bytes to the UART's THR; the doorbell "
		       "rang %lu times (last 0x%llx); SCRATCH holds 0x%016llx\n", m.exits,
		       m.host.mmio_exits, m.uart.sent, m.counter.doorbells,
		       (unsigned long long)m.counter.last_doorbell,
		       (unsigned long long)m.counter.scratch);
		printf("[ok] the ROM: %lu write trapped (%u bytes of 0x%llx at offset 0x%llx), "
		       "its memory unchanged: %s\n", m.rom.writes, m.rom.last_len,
		       (unsigned long long)m.rom.last_value, (unsigned long long)m.rom.last_offset,
		       m.rom.host && m.rom.host[0x40] == ROM_BYTE(0x40) ? "yes" : "NO");
	}
	l4_stop(&m);
	return ok ? 0 : -1;
}

static int fast_paths(void)
{
	struct guest_image flood = GUEST_IMAGE(flood), doorbell = GUEST_IMAGE(doorbell);
	struct l4_machine m;
	struct l4_options o = { .strict = true };
	unsigned long plain;

	printf("--- guest flood: 1000 bytes to the UART, 16 per look at LSR ---\n");
	if (!run(&flood, &o, &m)) {
		l4_stop(&m);
		return -1;
	}
	plain = m.host.mmio_exits;
	l4_stop(&m);
	o.coalesce = true;
	if (!run(&flood, &o, &m)) {
		l4_stop(&m);
		return -1;
	}
	printf("every byte an exit:      %5lu MMIO exits\n", plain);
	printf("THR in a coalesced zone: %5lu MMIO exits, %lu bytes through the ring (%u "
	       "entries), output %s\n", m.host.mmio_exits, m.ring.drained, m.ring.max,
	       m.uart.sent == 1000 ? "complete" : "INCOMPLETE");
	l4_stop(&m);

	printf("--- guest doorbell: 110 writes, 100 of them 0x%llx ---\n",
	       (unsigned long long)DOORBELL_MAGIC);
	o = (struct l4_options){ .strict = true };
	for (int how = DOORBELL_EXITS; how <= DOORBELL_EVENTFD_MATCH; how++) {
		static const char *const names[] = { "every write an exit:    ",
						     "an ioeventfd:           ",
						     "with datamatch 0x5a5a:  " };

		o.doorbell = how;
		if (!run(&doorbell, &o, &m)) {
			l4_stop(&m);
			return -1;
		}
		printf("%s %3lu doorbell writes reached us as exits, the eventfd counted %llu\n",
		       names[how], m.counter.doorbells, (unsigned long long)m.doorbell_events);
		l4_stop(&m);
	}
	return 0;
}

#ifdef __aarch64__
/* The cliffhanger: a writeback store to a device, which KVM cannot hand
 * to us (lesson 05). */
static void writeback(void)
{
	struct guest_image image = GUEST_IMAGE(writeback);
	struct l4_options o = { .strict = true, .out = stdout };
	struct l4_machine m;

	printf("--- guest writeback: the same store, with writeback ---\n");
	fflush(stdout);
	if (l4_start(&m, &image, &o) == 0 && l4_run(&m, 0) < 0) {
		fflush(stdout);
		printf("\n=> %s\n", m.error);
		printf("=> KVM could not hand this store to us: an access with writeback carries "
		       "no syndrome (ISV = 0). Lesson 05 decodes it.\n");
	}
	l4_stop(&m);
}
#endif

int main(void)
{
	printf("lesson 04: MMIO devices (%s)\n", arch_name);
	if (devices() < 0 || fast_paths() < 0)
		return 1;
#ifdef __aarch64__
	writeback();
#endif
	return 0;
}
