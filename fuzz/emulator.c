/* SPDX-License-Identifier: MIT */
/*
 * emulator.c - a libFuzzer target for lesson 05's decoder and emulator
 * together (make fuzz FUZZ_TARGETS=emulator; make check replays its
 * corpus, fuzz/corpus/emulator).
 *
 * There is no KVM here: the reference wb_emulate() runs against a model
 * vCPU. Its registers are an array behind arm64_get_reg()/arm64_set_reg(),
 * its memory one small RAM that holds the instruction, and its bus is
 * lesson 04's reference bus with one device on it. Each input says what
 * the vCPU holds at a made-up KVM_EXIT_ARM_NISV: the instruction word,
 * the registers, where the PC is, what run->arm_nisv says, the guest's
 * SCTLR_EL1 and PSTATE, which register ioctl (if any) fails, and whether
 * KVM can inject an abort.
 *
 * Then this program works out by itself what the architecture says must
 * happen, and aborts (a crash, for libFuzzer) if the emulator did
 * anything else: a register it should not have read or written, a
 * different address, value, extension or writeback, a device access that
 * should not have happened, a refusal that moved the PC or changed a
 * register, an abort with other fields than ext_dabt_pending set. Built
 * with ASan and UBSan, so an out-of-bounds access, an overflow or a bad
 * shift is a crash too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "05-writeback/writeback.h"
#include "arch/arm64.h"
#include "input.h"

#define SCTLR_EL1_ID  ARM64_SYS_REG(3, 0, 1, 0, 0)
#define RAM_GPA       0x40000000ULL
#define RAM_SIZE      64ULL          /* 16 instructions */
#define DEV_GPA       0x0a004000ULL
#define DEV_SIZE      0x100ULL
#define FAKE_VCPU_FD  1000
#define ISS_CM        (1ULL << 8)

/* The exit being emulated, in words, for a failure's message. */
static char exit_text[256];

static void require_(int ok, const char *what, const char *cond, int line)
{
	if (!ok) {
		fprintf(stderr, "fuzz/emulator.c:%d: %s\n  at this exit: %s\n  (%s)\n", line,
			what, exit_text, cond);
		abort();
	}
}
#define require(cond, what) require_(!!(cond), what, #cond, __LINE__)

/* ---- the model vCPU ---------------------------------------------------- */

enum { R_X0, R_SP_EL0 = 31, R_SP_EL1, R_PC, R_PSTATE, R_SCTLR, R_COUNT };

static struct {
	uint64_t reg[R_COUNT];
	uint64_t read_mask, write_mask;  /* which registers the emulator touched */
	unsigned calls, fail_at;         /* register ioctls so far; the one to fail */
	bool failed;
	bool events_set, events_fail;
	struct kvm_vcpu_events events;
	uint8_t ram[RAM_SIZE];
} m;

static int reg_index(uint64_t id)
{
	unsigned n;

	for (n = 0; n < 31; n++)
		if (id == ARM64_REG_X(n))
			return (int)n;
	if (id == ARM64_REG_SP_EL0)
		return R_SP_EL0;
	if (id == ARM64_REG_SP_EL1)
		return R_SP_EL1;
	if (id == ARM64_REG_PC)
		return R_PC;
	if (id == ARM64_REG_PSTATE)
		return R_PSTATE;
	if (id == SCTLR_EL1_ID)
		return R_SCTLR;
	require(0, "the emulator asked for a register no load or store needs");
	return -1;
}

static bool fail_this_call(void)
{
	if (++m.calls == m.fail_at) {
		m.failed = true;
		return true;
	}
	return false;
}

int arm64_get_reg(struct vcpu *cpu, uint64_t id, uint64_t *value)
{
	int i = reg_index(id);

	require(cpu->fd == FAKE_VCPU_FD, "a register of another vCPU");
	if (fail_this_call())
		return kit_errno_error(EIO, "KVM_GET_ONE_REG", "the model fails it");
	m.read_mask |= 1ULL << i;
	*value = m.reg[i];
	return 0;
}

int arm64_set_reg(struct vcpu *cpu, uint64_t id, uint64_t value)
{
	int i = reg_index(id);

	require(cpu->fd == FAKE_VCPU_FD, "a register of another vCPU");
	if (fail_this_call())
		return kit_errno_error(EIO, "KVM_SET_ONE_REG", "the model fails it");
	m.write_mask |= 1ULL << i;
	m.reg[i] = value;
	return 0;
}

void *guest_ptr(struct vm *vm, uint64_t gpa, uint64_t size)
{
	(void)vm;
	if (gpa < RAM_GPA || size > RAM_SIZE || gpa - RAM_GPA > RAM_SIZE - size)
		return NULL;
	return m.ram + (gpa - RAM_GPA);
}

/* The one ioctl the emulator makes itself (linked with --wrap=ioctl). */
int __real_ioctl(int fd, unsigned long request, ...);
int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != FAKE_VCPU_FD)
		return __real_ioctl(fd, request, arg);
	require(request == KVM_SET_VCPU_EVENTS && !m.events_set,
		"the vCPU's only ioctl here is one KVM_SET_VCPU_EVENTS");
	if (m.events_fail) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&m.events, arg, sizeof(m.events));
	m.events_set = true;
	return 0;
}

/* ---- the device: DEV_SIZE bytes at DEV_GPA, every size, any alignment -- */

#define MAX_ACCESSES 4
static struct access {
	uint64_t addr;
	uint32_t len;
	bool write;
	uint64_t value;
} seen[MAX_ACCESSES];
static unsigned nseen;

/* What the device holds: a byte that depends on its address. */
static uint8_t dev_byte(uint64_t addr)
{
	return (uint8_t)(addr * 0x9d + 0x31);
}

static int dev_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	uint32_t i;

	require(offset < DEV_SIZE && len <= DEV_SIZE - offset && nseen < MAX_ACCESSES,
		"the bus gave the device an access outside it, or too many");
	for (i = 0; i < len; i++)
		data[i] = dev_byte(dev->base + offset + i);
	seen[nseen++] = (struct access){ dev->base + offset, len, false, 0 };
	return 0;
}

static int dev_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data, uint32_t len)
{
	require(offset < DEV_SIZE && len <= DEV_SIZE - offset && nseen < MAX_ACCESSES,
		"the bus gave the device an access outside it, or too many");
	seen[nseen++] = (struct access){ dev->base + offset, len, true, mmio_le_load(data, len) };
	return 0;
}

/* ---- the input ---------------------------------------------------------- */

/* struct input and take(): fuzz/input.h. */

/* A register's value, from 4 bytes: odd, somewhere near the device (base
 * registers); 2 mod 4, within 1 KiB of 0 or of 2^64, where an address or
 * a writeback wraps; 0 mod 4, a pattern with both halves set (indexes,
 * data). */
static uint64_t reg_value(uint32_t r)
{
	uint64_t near = (r >> 8) & 0x3ff;

	if (r & 1)
		return DEV_GPA + (uint64_t)(int64_t)(int16_t)(r >> 8);
	if (r & 2)
		return (r & 4) ? 0 - near : near;
	return (uint64_t)r << 32 | (r ^ 0x5a5a5a5a);
}

/* ---- what the architecture says --------------------------------------- */

static uint64_t extend_index(uint64_t v, enum a64_extend e, unsigned shift)
{
	switch (e) {
	case A64_UXTW: v &= 0xffffffffULL; break;
	case A64_SXTW: v = (uint64_t)(int64_t)(int32_t)(uint32_t)v; break;
	default: break;
	}
	return v << shift;
}

static bool in_device(uint64_t addr, unsigned size)
{
	return addr >= DEV_GPA && addr - DEV_GPA <= DEV_SIZE - size;
}

static uint64_t loaded(uint64_t addr, const struct a64_insn *d)
{
	uint64_t v = 0;
	unsigned i;

	/* An element the device does not hold whole is nobody's: all ones. */
	for (i = 0; i < d->size; i++)
		v |= (uint64_t)(in_device(addr, d->size) ? dev_byte(addr + i) : 0xff) << 8 * i;
	if (d->sign && d->size < 8 && (v >> (8 * d->size - 1) & 1))
		v |= ~0ULL << 8 * d->size;
	return d->dest_bits == 32 ? v & 0xffffffffULL : v;
}

static const char *reg_name(unsigned i, char *buf, size_t len)
{
	static const char *const named[] = { "SP_EL0", "SP_EL1", "PC", "PSTATE", "SCTLR_EL1" };

	if (i < 31)
		snprintf(buf, len, "X%u", i);
	else
		snprintf(buf, len, "%s", named[i - 31]);
	return buf;
}

/* The model's registers against `want`: the first difference, named. */
static void check_regs(const uint64_t *want, const char *what)
{
	char name[16], why[200];
	unsigned i;

	for (i = 0; i < R_COUNT; i++) {
		snprintf(why, sizeof(why), "%s: %s is 0x%llx, and should be 0x%llx", what,
			 reg_name(i, name, sizeof(name)), (unsigned long long)m.reg[i],
			 (unsigned long long)want[i]);
		require(m.reg[i] == want[i], why);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	uint32_t word = (uint32_t)take(&in, 4);
	unsigned flags = (unsigned)take(&in, 1), ipa_sel = (unsigned)take(&in, 1);
	unsigned pc_sel = (unsigned)take(&in, 1), fail = (unsigned)take(&in, 1);
	static const uint64_t modes[4] = { 0x3c5, 0x3c4, 0x3c0, 0x3c9 }; /* EL1h EL1t EL0t EL2h */
	uint64_t before[R_COUNT], expect[R_COUNT], pc, addr = 0, base = 0, ipa;
	struct mmio_device dev = { "fuzz", DEV_GPA, DEV_SIZE, 0xf, true, dev_read, dev_write,
				   NULL };
	struct mmio_bus bus;
	struct wb_host host;
	struct kvm_run run;
	struct vcpu cpu;
	struct a64_insn d;
	bool cm = flags & 1, mmu = flags & 2, ee = flags & 4, strict = flags & 0x10;
	bool decoded, refuse = false, want_pstate = false;
	bool host_can_abort = !(flags & 0x80) || (fail & 0x80);
	char text[96];
	unsigned i, n = 0, accesses = 0;
	uint64_t allowed_reads, allowed_writes;
	int ret, base_reg = -1;

	memset(&m, 0, sizeof(m));
	nseen = 0;
	for (i = 0; i < R_SP_EL1 + 1; i++)
		m.reg[i] = reg_value((uint32_t)take(&in, 4));
	m.reg[R_PSTATE] = modes[flags >> 5 & 3];
	m.reg[R_SCTLR] = 0x30d00800 | (mmu ? 1 : 0) | (ee ? 1ULL << 25 : 0);
	m.fail_at = fail & 0x7f ? (fail & 0x7f) % 12 : 0;
	m.events_fail = fail & 0x80;
	/* The PC: an instruction slot in RAM, its last bytes, or no memory. */
	pc = pc_sel == 0xff ? RAM_GPA + RAM_SIZE - 2 : pc_sel == 0xfe ? RAM_GPA - 4 :
	     RAM_GPA + 4 * (pc_sel % (RAM_SIZE / 4));
	m.reg[R_PC] = pc;
	if (guest_ptr(NULL, pc, 4))
		mmio_le_store(guest_ptr(NULL, pc, 4), 4, word);
	memcpy(before, m.reg, sizeof(before));

	/* What must happen, worked out here. */
	decoded = a64_decode(word, &d);
	if (decoded) {
		if (d.rn == 31) {
			want_pstate = true;
			base_reg = (m.reg[R_PSTATE] & 0xf) == 0x5 ? R_SP_EL1 : R_SP_EL0;
		} else {
			base_reg = (int)d.rn;
		}
		base = m.reg[base_reg];
		if (d.mode == A64_POST)
			addr = base;
		else if (d.mode == A64_REGISTER)
			addr = base + extend_index(d.rm == 31 ? 0 : m.reg[d.rm], d.extend, d.shift);
		else
			addr = base + (uint64_t)d.offset;
		n = d.pair ? 2 : 1;
	}
	/* What run->arm_nisv says faulted: the first element, the second, or
	 * somewhere else. */
	switch (ipa_sel & 3) {
	case 0: ipa = addr; break;
	case 1: ipa = addr + (d.pair ? d.size : 0); break;
	case 2: ipa = addr + 1 + (ipa_sel >> 2); break;
	default: ipa = take(&in, 8); break;
	}
	if (!cm)
		refuse = mmu || ee || !guest_ptr(NULL, pc, 4) || !decoded ||
			 (ipa != addr && !(d.pair && ipa == addr + d.size));
	a64_text(&d, text, sizeof(text));
	snprintf(exit_text, sizeof(exit_text), "0x%08x (%s) at pc 0x%llx, fault_ipa 0x%llx, "
		 "PSTATE 0x%llx%s%s%s%s%s%s", word, decoded ? text : d.reason,
		 (unsigned long long)pc, (unsigned long long)ipa,
		 (unsigned long long)m.reg[R_PSTATE], cm ? ", CM" : "", mmu ? ", MMU on" : "",
		 ee ? ", big-endian" : "", strict ? ", a strict bus" : "",
		 host_can_abort ? "" : ", no abort capability",
		 m.fail_at ? ", a register ioctl fails" : "");
	memcpy(expect, before, sizeof(expect));
	if (!cm && !refuse) {
		for (i = 0; i < n; i++, accesses++) {
			uint64_t a = addr + i * d.size;

			if (!in_device(a, d.size) && strict) {
				refuse = true;
				break;
			}
		}
	}
	if (cm) {
		expect[R_PC] = pc + 4;
	} else if (!refuse) {
		if (d.load && d.rt != 31)
			expect[d.rt] = loaded(addr, &d);
		if (d.load && d.pair && d.rt2 != 31)
			expect[d.rt2] = loaded(addr + d.size, &d);
		if (d.mode == A64_PRE || d.mode == A64_POST)
			expect[base_reg] = base + (uint64_t)d.offset;
		expect[R_PC] = pc + 4;
	}
	allowed_reads = 1ULL << R_PC | 1ULL << R_SCTLR;
	allowed_writes = 1ULL << R_PC;
	if (decoded) {
		allowed_reads |= 1ULL << base_reg | (want_pstate ? 1ULL << R_PSTATE : 0);
		if (d.mode == A64_REGISTER && d.rm != 31)
			allowed_reads |= 1ULL << d.rm;
		if (!d.load && d.rt != 31)
			allowed_reads |= 1ULL << d.rt;
		if (!d.load && d.pair && d.rt2 != 31)
			allowed_reads |= 1ULL << d.rt2;
		if (d.load && d.rt != 31)
			allowed_writes |= 1ULL << d.rt;
		if (d.load && d.pair && d.rt2 != 31)
			allowed_writes |= 1ULL << d.rt2;
		if (d.mode == A64_PRE || d.mode == A64_POST)
			allowed_writes |= 1ULL << base_reg;
	}

	/* The emulator, at a made-up KVM_EXIT_ARM_NISV. */
	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_ARM_NISV;
	run.arm_nisv.fault_ipa = ipa;
	run.arm_nisv.esr_iss = (cm ? ISS_CM : 0) | (flags & 8 ? 1ULL << 6 : 0);  /* CM, WnR */
	cpu = (struct vcpu){ .fd = FAKE_VCPU_FD, .run = &run };
	mmio_bus_init(&bus, strict, NULL);
	require(mmio_bus_register(&bus, &dev) == 0, "the device could not be registered");
	memset(&host, 0, sizeof(host));
	host.mmio.bus = &bus;
	host.nisv = true;
	host.ext_dabt = host_can_abort;
	kit_clear_error();
	ret = wb_emulate(&cpu, &host);

	/* Only the registers this instruction names, whatever happened. */
	require((m.read_mask & ~allowed_reads) == 0, "a register read that this instruction "
		"does not name (each is a KVM_GET_ONE_REG)");
	require((m.write_mask & ~allowed_writes) == 0, "a register written that this "
		"instruction does not write");
	require(nseen <= n, "more device accesses than the instruction has elements");
	if (m.failed) {
		/* A register ioctl failed: the run stops with its error. */
		require(ret == -EIO, "a failing register ioctl must stop the run with its error");
		return 0;
	}
	if (!cm && refuse) {
		struct kvm_vcpu_events want;

		/* Nothing written, the PC left on the instruction. */
		check_regs(before, "a refused instruction changes no register, the PC included");
		require(host.emulated == 0 && host.refusal[0] != 0, "a refusal must not count as "
			"emulated, and must say why in host->refusal");
		if (!host.ext_dabt) {
			require(ret == -ENOTSUP && !m.events_set && host.refused == 0, "with no "
				"abort to inject, a refusal stops the run with -ENOTSUP");
		} else if (m.events_fail) {
			require(ret == -EINVAL && !m.events_set, "a failing KVM_SET_VCPU_EVENTS "
				"stops the run with its error");
		} else {
			memset(&want, 0, sizeof(want));
			want.exception.ext_dabt_pending = 1;
			require(ret == RUN_EXIT_HANDLED && m.events_set && host.refused == 1,
				"this instruction must be refused with an external data abort");
			require(memcmp(&m.events, &want, sizeof(want)) == 0, "the events must be "
				"all zero but exception.ext_dabt_pending = 1");
		}
		/* Accesses before the one that failed may have happened. */
		require(nseen == accesses, "a refused instruction made device accesses (only "
			"the elements before a strict bus's refusal may happen)");
		return 0;
	}
	require(ret == RUN_EXIT_HANDLED && !m.events_set && host.refused == 0,
		"this instruction must be emulated, not refused");
	check_regs(expect, "the registers after the instruction");
	if (cm) {
		require(nseen == 0 && host.cache_ops == 1 && host.emulated == 0, "cache "
			"maintenance is skipped: no access, counted in host->cache_ops");
		return 0;
	}
	require(host.emulated == 1, "an emulated instruction counts in host->emulated");
	/* The device saw each element in address order, a store's low bytes. */
	for (i = 0, accesses = 0; i < n; i++) {
		uint64_t a = addr + i * d.size, rt = i ? d.rt2 : d.rt;
		uint64_t mask = d.size == 8 ? ~0ULL : (1ULL << 8 * d.size) - 1;

		if (!in_device(a, d.size))
			continue;  /* unclaimed, and not strict: nobody saw it */
		require(accesses < nseen, "an element the device holds never reached it");
		require(seen[accesses].addr == a && seen[accesses].len == d.size &&
			seen[accesses].write == !d.load, "each element reaches the device in "
			"address order, with its size, as a read or a write");
		if (!d.load)
			require(seen[accesses].value == (rt == 31 ? 0 : before[rt] & mask), "a "
				"store writes the low bytes of its register (XZR: zeros)");
		accesses++;
	}
	require(accesses == nseen, "the device saw an access the model did not expect");
	return 0;
}
