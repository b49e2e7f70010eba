/* SPDX-License-Identifier: MIT */
/*
 * counter.c - lesson 04's second device (given; an example of a device
 * on your bus): three 8-byte little-endian registers, taken 1, 2, 4 or 8
 * bytes at a time, aligned (common/abi/devices_abi.h):
 *   COUNTER   nanoseconds since some moment, read-only;
 *   SCRATCH   holds what was written, byte by byte;
 *   DOORBELL  each write is counted (an ioeventfd can count them instead).
 * It logs every access it takes, so the checks can see them in order.
 */
#include <errno.h>
#include <time.h>

#include "mmio.h"

static void log_access(struct counter_device *c, uint64_t offset, uint32_t len, bool is_write,
		       uint64_t value)
{
	if (c->nlog < COUNTER_LOG_MAX)
		c->log[c->nlog++] = (struct counter_access){ offset, len, is_write, value };
}

/* The register holding `offset`, and where the access starts in it. */
static uint64_t *reg_of(struct counter_device *c, uint64_t offset, uint64_t *now)
{
	struct timespec ts;

	if (offset < COUNTER_SCRATCH) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		*now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		return now;
	}
	return offset < COUNTER_DOORBELL ? &c->scratch : NULL;
}

static int counter_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	struct counter_device *c = dev->priv;
	uint64_t now, *reg = reg_of(c, offset, &now), value;

	/* The doorbell reads as 0. */
	value = reg ? *reg >> (8 * (offset % 8)) : 0;
	mmio_le_store(data, len, value);
	log_access(c, offset, len, false, mmio_le_load(data, len));
	return 0;
}

static int counter_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
			 uint32_t len)
{
	struct counter_device *c = dev->priv;
	uint64_t value = mmio_le_load(data, len), mask, shift = 8 * (offset % 8);

	log_access(c, offset, len, true, value);
	if (offset >= COUNTER_DOORBELL) {
		c->doorbells++;
		c->last_doorbell = value;
	} else if (offset >= COUNTER_SCRATCH) {
		mask = len == 8 ? ~0ULL : ((1ULL << (8 * len)) - 1);
		c->scratch = (c->scratch & ~(mask << shift)) | ((value & mask) << shift);
	}
	/* (The counter itself ignores writes.) */
	return 0;
}

void counter_init(struct counter_device *c, uint64_t base)
{
	*c = (struct counter_device){
		.dev = { .name = "counter", .base = base, .len = COUNTER_REGS,
			 .sizes = MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 | MMIO_SIZE_8,
			 .unaligned = false, .read = counter_read, .write = counter_write,
			 .priv = c },
	};
}
