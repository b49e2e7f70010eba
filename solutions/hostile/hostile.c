/* SPDX-License-Identifier: MIT */
/*
 * hostile - lessons 04 and 05's reference code against guests that probe
 * their edges, each run checked against a model of what must happen.
 *
 *   hostile SCENARIO...
 *
 * Like kvmrun it is assembled from the reference solutions (lesson 02's
 * boot, lesson 04's bus, on arm64 lesson 05's emulator); the guests are
 * guest-ARCH/04-mmio/{top,edges}.c and, on arm64,
 * guest-arm64/05-writeback/{toctou,refused_loop}.c, built in. Each
 * scenario prints one line, `ok NAME: ...`, `skip NAME: ...` or
 * `FAIL NAME: ...` (the first thing that differed from the model).
 *
 *   top           accesses at the top of the guest physical address space,
 *                 where a device sits, and past it
 *   edges         every size at every start address across a device's edges
 *   toctou        (arm64) the instruction at PC rewritten between the exit
 *                 and its decode
 *   refused-loop  (arm64) a guest that retries a refused instruction forever
 *
 * Exit status: 0 if no scenario failed, 1 if one did, 64 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kit.h"
#include "arch/arch.h"
#include "guest_image.h"
#include "02-c-guests/c_guests.h"
#include "04-mmio/mmio.h"
#include "hostile_abi.h"
#if defined(__aarch64__)
#include "arch/arm64.h"
#include "05-writeback/writeback.h"
#endif

GUEST_IMAGE_DECLARE(top);
GUEST_IMAGE_DECLARE(edges);
#if defined(__aarch64__)
GUEST_IMAGE_DECLARE(toctou);
GUEST_IMAGE_DECLARE(refused_loop);
#endif

/* ---- what a scenario found ------------------------------------------- */

struct verdict {
	const char *name;
	bool failed;
	char why[512];
};

/* Only the first difference is kept: the rest usually follow from it. */
static bool expect(struct verdict *v, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool expect(struct verdict *v, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok || v->failed)
		return ok;
	v->failed = true;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	return false;
}

static int finish(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int finish(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->failed) {
		printf("FAIL %s: %s\n", v->name, v->why);
		fflush(stdout);
		return 1;
	}
	printf("ok %s: ", v->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 0;
}

/* ---- a device that records what it took ------------------------------ */

#define REC_MAX_LEN 64
#define REC_LOG_MAX 512

/* Memory-like: writes land in bytes[], reads return them; byte o starts
 * as 0xa0 + o, so a read's value names the offsets it came from. */
struct rec {
	struct mmio_device dev;
	uint8_t bytes[REC_MAX_LEN];
	unsigned nlog;
	bool overflow;
	struct counter_access log[REC_LOG_MAX];
};

static void rec_log(struct rec *r, uint64_t offset, uint32_t len, bool is_write,
		    const uint8_t *data)
{
	if (r->nlog == REC_LOG_MAX) {
		r->overflow = true;
		return;
	}
	r->log[r->nlog++] = (struct counter_access){ offset, len, is_write,
						     mmio_le_load(data, len) };
}

static int rec_read(struct mmio_device *dev, uint64_t offset, uint8_t *data, uint32_t len)
{
	struct rec *r = dev->priv;

	/* The bus promises offset + len <= dev->len; trust, but do not
	 * run off the array if it ever broke that. */
	if (offset > REC_MAX_LEN || len > REC_MAX_LEN - offset)
		return kit_error(-EFAULT, "%s: a read of %u bytes at offset 0x%llx, outside it",
				 dev->name, len, (unsigned long long)offset);
	memcpy(data, r->bytes + offset, len);
	rec_log(r, offset, len, false, data);
	return 0;
}

static int rec_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
		     uint32_t len)
{
	struct rec *r = dev->priv;

	if (offset > REC_MAX_LEN || len > REC_MAX_LEN - offset)
		return kit_error(-EFAULT, "%s: a write of %u bytes at offset 0x%llx, outside it",
				 dev->name, len, (unsigned long long)offset);
	memcpy(r->bytes + offset, data, len);
	rec_log(r, offset, len, true, data);
	return 0;
}

static void rec_init(struct rec *r, const char *name, uint64_t base, uint64_t len,
		     unsigned sizes, bool unaligned)
{
	unsigned i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < REC_MAX_LEN; i++)
		r->bytes[i] = (uint8_t)(0xa0 + i);
	r->dev = (struct mmio_device){ .name = name, .base = base,
				       .len = len < REC_MAX_LEN ? len : REC_MAX_LEN,
				       .sizes = sizes, .unaligned = unaligned,
				       .read = rec_read, .write = rec_write, .priv = r };
}

/* The log against the model's, entry by entry. */
static void expect_log(struct verdict *v, const char *what, const struct rec *r,
		       const struct counter_access *want, unsigned nwant)
{
	unsigned i;

	expect(v, !r->overflow, "%s: more than %d accesses", what, REC_LOG_MAX);
	for (i = 0; i < r->nlog && i < nwant; i++) {
		const struct counter_access *g = &r->log[i], *w = &want[i];

		if (!expect(v, g->offset == w->offset && g->len == w->len &&
			    g->is_write == w->is_write && g->value == w->value,
			    "%s: access %u the device took was a %u-byte %s at offset %llu "
			    "(0x%llx), the model's a %u-byte %s at offset %llu (0x%llx)", what, i,
			    g->len, g->is_write ? "write" : "read", (unsigned long long)g->offset,
			    (unsigned long long)g->value, w->len, w->is_write ? "write" : "read",
			    (unsigned long long)w->offset, (unsigned long long)w->value))
			return;
	}
	expect(v, r->nlog == nwant, "%s: the device took %u accesses, the model %u", what,
	       r->nlog, nwant);
}

/* ---- one guest on the reference host --------------------------------- */

struct machine {
	struct vm vm;
	struct vcpu cpu;
	struct mmio_bus bus;
	struct mmio_host mmio;
#if defined(__aarch64__)
	struct wb_host wb;
	unsigned long nisv;                     /* KVM_EXIT_ARM_NISV exits */
	int (*nisv_hook)(struct machine *m);    /* instead of wb_emulate() */
	void *ctx;
#endif
	unsigned long exits;
};

static int machine_on_exit(struct vcpu *cpu, void *ctx)
{
	struct machine *m = ctx;

#if defined(__aarch64__)
	if (cpu->run->exit_reason == KVM_EXIT_ARM_NISV) {
		m->nisv++;
		return m->nisv_hook ? m->nisv_hook(m) : wb_emulate(cpu, &m->wb);
	}
#endif
	return mmio_on_exit(cpu, &m->mmio);
}

/* Boot `image` as lesson 02 does, with a bus in no-strict mode (what
 * nobody takes reads all ones, and is counted) holding `dev`. */
static int machine_start(struct machine *m, const struct guest_image *image, struct rec *dev,
			 bool nisv)
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->vm = (struct vm)VM_EMPTY;
	ret = lm_boot(&m->vm, &m->cpu, image->bytes, image->size);
	if (ret < 0)
		return ret;
	mmio_bus_init(&m->bus, false, NULL);
	if (dev && (ret = mmio_bus_register(&m->bus, &dev->dev)) < 0)
		return ret;
	m->mmio = (struct mmio_host){ .bus = &m->bus };
#if defined(__aarch64__)
	m->wb = (struct wb_host){ .mmio = m->mmio };
	if (nisv && (ret = wb_enable(&m->vm, &m->wb)) < 0)
		return ret;
	if (nisv && !m->wb.ext_dabt)
		return kit_error(-EOPNOTSUPP, "this KVM cannot inject an external data abort "
				 "(KVM_CAP_ARM_INJECT_EXT_DABT): nothing to refuse with");
#else
	(void)nisv;
#endif
	return 0;
}

static int machine_run(struct machine *m, unsigned timeout_ms)
{
	struct run_loop loop = { .timeout_ms = timeout_ms, .on_exit = machine_on_exit, .ctx = m };
	int ret = vcpu_run_loop(&m->cpu, &loop);

	m->exits = loop.exits;
	return ret;
}

static void machine_stop(struct machine *m)
{
	vcpu_destroy(&m->cpu);
	vm_destroy(&m->vm);
}

/* A word of the guest's results area; one no model ever expects if it
 * cannot be read (it is in RAM: it always can). */
#define RES_UNREADABLE 0xbad0bad0bad0bad0ULL
static uint64_t res(struct machine *m, unsigned i)
{
	uint64_t v;

	if (guest_read(&m->vm, HOSTILE_RES_GPA + 8ull * i, &v, sizeof(v)) < 0)
		return RES_UNREADABLE;
	return v;
}

static uint64_t ones(unsigned size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* The first `size` bytes of the device's starting pattern at `offset`. */
static uint64_t pattern(uint64_t offset, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)(uint8_t)(0xa0 + offset + i) << (8 * i);
	return v;
}

/* Started, or the scenario fails with why not. */
static bool started(struct verdict *v, struct machine *m, const struct guest_image *image,
		    struct rec *dev, bool nisv)
{
	int ret = machine_start(m, image, dev, nisv);

	if (ret < 0) {
		expect(v, false, "cannot start the guest %s: %s", image->name, kit_last_error());
		machine_stop(m);
		return false;
	}
	return true;
}

static void expect_end(struct verdict *v, struct machine *m, int ret, int want)
{
	expect(v, ret == want, "the run ended with %d (%s), expected %d: %s", ret,
	       kit_errno_name(-ret), want, ret < 0 ? kit_last_error() : "no error");
	if (want == 0)
		expect(v, res(m, RES_DONE) == HOSTILE_DONE,
		       "the guest did not get to its end (results word 0 is 0x%llx)",
		       (unsigned long long)res(m, RES_DONE));
}

/* ---- top: the top of the guest physical address space ----------------- */

#if defined(__x86_64__)
/* MAXPHYADDR as the guest's CPUID says it: lesson 02 gives the guest
 * KVM's supported CPUID, so that is where to look. */
static int guest_phys_bits(void)
{
	struct kvm_cpuid2 *c;
	int nent = 64, bits = -1, kvm = kvm_open();
	uint32_t i;

	if (kvm < 0)
		return -1;
	for (;;) {
		c = calloc(1, sizeof(*c) + (size_t)nent * sizeof(c->entries[0]));
		if (!c)
			break;
		c->nent = (uint32_t)nent;
		if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		free(c);
		c = NULL;
		if (errno != E2BIG || nent >= 4096)
			break;
		nent *= 2;
	}
	close(kvm);
	if (!c)
		return -1;
	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0x80000008)
			bits = (int)(c->entries[i].eax & 0xff);
	free(c);
	return bits;
}
#endif

static int scenario_top(const char *name)
{
	static struct machine m;
	static struct rec dev;
	struct verdict v = { .name = name };
	struct counter_access want[8];
	uint64_t top, esr;
	unsigned k, n = 0, bits;
	int ret;

#if defined(__x86_64__)
	/* The device's place depends on MAXPHYADDR. */
	ret = guest_phys_bits();
	if (!expect(&v, ret >= 32 && ret <= 52, "no usable MAXPHYADDR in KVM's supported CPUID "
		    "(got %d)", ret))
		return finish(&v, " ");
	bits = (unsigned)ret;
#else
	/* lm_boot()'s vm_create() asks for machine type 0: a 40-bit IPA space. */
	bits = 40;
#endif
	top = 1ULL << bits;
	rec_init(&dev, "top of the address space", top - 16, 16,
		 MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 | MMIO_SIZE_8, true);
	if (!started(&v, &m, &GUEST_IMAGE(top), &dev, false))
		return finish(&v, " ");
	ret = machine_run(&m, 0);

	expect_end(&v, &m, ret, 0);
	/* Each size at the very last bytes: written, then read back. */
	for (k = 0; k < 4; k++) {
		unsigned size = 1u << k;

		want[n++] = (struct counter_access){ 16 - size, size, true, top_value(size) };
		want[n++] = (struct counter_access){ 16 - size, size, false, top_value(size) };
		expect(&v, res(&m, RES_VAL + k) == top_value(size),
		       "the %u-byte read at 2^%u - %u got 0x%llx, not what was written (0x%llx)",
		       size, bits, size, (unsigned long long)res(&m, RES_VAL + k),
		       (unsigned long long)top_value(size));
	}
	expect_log(&v, "the device at the top", &dev, want, n);
	expect(&v, res(&m, RES_VAL + 4) == ~0ULL,
	       "8 bytes below the device read 0x%llx, not all ones",
	       (unsigned long long)res(&m, RES_VAL + 4));
#if defined(__x86_64__)
	expect(&v, res(&m, RES_AUX) == bits, "the guest's CPUID says %llu physical address bits, "
	       "KVM's supported CPUID %u", (unsigned long long)res(&m, RES_AUX), bits);
	expect(&v, res(&m, RES_VAL + 5) == ~0ULL,
	       "8 bytes straddling the device's first byte read 0x%llx, not all ones",
	       (unsigned long long)res(&m, RES_VAL + 5));
	expect(&v, m.bus.unclaimed == 2, "%lu accesses unclaimed, the model 2", m.bus.unclaimed);
	/* Past the top: a page naming 2^M has a reserved bit set. */
	esr = res(&m, RES_ESR);
	expect(&v, res(&m, RES_EXC) == 1, "the guest took %llu exceptions, the model 1 (the "
	       "page fault past the top)", (unsigned long long)res(&m, RES_EXC));
	expect(&v, (esr & 0x9) == 0x9 && res(&m, RES_FAR) == 0x80000000,
	       "the page fault past the top had error code 0x%llx (want P and RSVD) and CR2 "
	       "0x%llx (want 0x80000000)", (unsigned long long)esr,
	       (unsigned long long)res(&m, RES_FAR));
	machine_stop(&m);
	return finish(&v, "MAXPHYADDR %u: the device at 2^%u - 16 took %u accesses as modelled, "
		      "%lu unclaimed; past the top, a reserved-bit page fault (error 0x%llx) "
		      "and a halt", bits, bits, dev.nlog, m.bus.unclaimed,
		      (unsigned long long)esr);
#else
	expect(&v, res(&m, RES_VAL + 5) == HOSTILE_MARK && res(&m, RES_VAL + 6) == HOSTILE_MARK,
	       "loads past the top returned 0x%llx and 0x%llx instead of faulting",
	       (unsigned long long)res(&m, RES_VAL + 5), (unsigned long long)res(&m, RES_VAL + 6));
	expect(&v, m.bus.unclaimed == 1, "%lu accesses unclaimed, the model 1", m.bus.unclaimed);
	esr = res(&m, RES_ESR);
	expect(&v, res(&m, RES_EXC) == 3, "the guest took %llu exceptions, the model 3 (a load "
	       "and a store at 2^40, a load at 2^64 - 8)", (unsigned long long)res(&m, RES_EXC));
	expect(&v, (esr >> 26) == 0x25 && res(&m, RES_FAR) == ~0ULL - 7,
	       "the last exception: ESR 0x%llx FAR 0x%llx, want a data abort (EC 0x25) at "
	       "0xfffffffffffffff8", (unsigned long long)esr,
	       (unsigned long long)res(&m, RES_FAR));
	expect(&v, m.nisv == 0, "%lu KVM_EXIT_ARM_NISV exits from plain loads and stores",
	       m.nisv);
	machine_stop(&m);
	return finish(&v, "the device at 2^40 - 16 took %u accesses as modelled, %lu unclaimed; "
		      "past the top, 3 aborts in the guest (last ESR 0x%llx), no exit",
		      dev.nlog, m.bus.unclaimed, (unsigned long long)esr);
#endif
}

/* ---- edges: every size at every start address across a device ----------- */

/*
 * Misaligned accesses. x86 takes them as they are. On arm64 with the MMU
 * off every access is to Device memory, where a misaligned one is an
 * alignment fault: in the guest, never reaching KVM, if the CPU checks
 * alignment first; but where there is no memory the stage 2 fault may
 * come first (QEMU's TCG does that), and then KVM hands the access over
 * with its syndrome like any other. Which one is the CPU's business; the
 * model asks the guest (the first misaligned read: did it fault?) and
 * then holds every misaligned access, reads and writes, to that answer.
 */
static bool misaligned_faults(struct machine *m)
{
#if defined(__aarch64__)
	return res(m, RES_VAL + 5) == HOSTILE_MARK;   /* 2 bytes at EDGE_FIRST + 1 */
#else
	(void)m;
	return false;
#endif
}

struct edge_counts {
	unsigned claimed, unclaimed, faults;
	bool fault_mode;
};

/* One run of the edges guest against `dev`, checked access by access. */
static void edges_run(struct verdict *v, struct rec *dev, struct edge_counts *c)
{
	static struct machine m;
	static struct counter_access want[2 * EDGE_N];
	const uint64_t base = dev->dev.base, end = dev->dev.base + dev->dev.len;
	unsigned pass, i, k, n = 0, unclaimed = 0, faults = 0;
	uint64_t a;
	int ret;

	if (!started(v, &m, &GUEST_IMAGE(edges), dev, false))
		return;
	ret = machine_run(&m, 0);
	expect_end(v, &m, ret, 0);
	c->fault_mode = misaligned_faults(&m);

	for (pass = 0; pass < 2; pass++) {
		bool is_write = pass == 1;

		for (i = 0, a = EDGE_FIRST; a < EDGE_FIRST + EDGE_SPAN; a++) {
			for (k = 0; k < 4; k++, i++) {
				unsigned size = 1u << k;
				uint64_t off = a - base, got, model;
				bool inside = a >= base && a + size <= end;
				bool claimed = inside && (dev->dev.sizes & size) &&
					       (dev->dev.unaligned || off % size == 0);

				if (c->fault_mode && a % size) {
					faults++;
					model = HOSTILE_MARK;
				} else if (claimed) {
					model = is_write ? edge_value(i, size) : pattern(off, size);
					want[n++] = (struct counter_access){ off, size, is_write,
									     model };
				} else {
					unclaimed++;
					model = ones(size);
				}
				if (is_write)
					continue;
				got = res(&m, RES_VAL + i);
				expect(v, got == model, "%s: the %u-byte read at device offset %lld "
				       "got 0x%llx, the model 0x%llx (%s)", dev->dev.name, size,
				       (long long)(a - base), (unsigned long long)got,
				       (unsigned long long)model,
				       model == HOSTILE_MARK ? "an alignment fault in the guest" :
				       claimed ? "the device's bytes" : "nobody's: all ones");
			}
		}
	}
	expect_log(v, dev->dev.name, dev, want, n);
	expect(v, m.bus.unclaimed == unclaimed, "%s: %lu accesses unclaimed, the model %u",
	       dev->dev.name, m.bus.unclaimed, unclaimed);
	expect(v, res(&m, RES_EXC) == faults, "%s: the guest took %llu exceptions, the model %u "
	       "(alignment faults)", dev->dev.name, (unsigned long long)res(&m, RES_EXC), faults);
	c->claimed += n;
	c->unclaimed += unclaimed;
	c->faults += faults;
	machine_stop(&m);
}

static int scenario_edges(const char *name)
{
	static struct rec dev;
	struct verdict v = { .name = name };
	struct edge_counts c = { 0 };

	/* Any size, any alignment, 12 bytes from an odd address: aligned
	 * accesses straddle both its edges too. */
	rec_init(&dev, "a device of any size and alignment", HOSTILE_EDGE_GPA + 3, 12,
		 MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 | MMIO_SIZE_8, true);
	edges_run(&v, &dev, &c);
	/* Two 4-byte registers, aligned accesses only. */
	rec_init(&dev, "a device of aligned 4-byte registers", HOSTILE_EDGE_GPA + 4, 8,
		 MMIO_SIZE_4, false);
	edges_run(&v, &dev, &c);
	char faults[96] = "";

	if (c.fault_mode)
		snprintf(faults, sizeof(faults), ", %u misaligned: alignment faults in the guest",
			 c.faults);
	else if (strcmp(arch_name, "arm64") == 0)
		snprintf(faults, sizeof(faults), "; misaligned ones reached KVM (no alignment "
			 "fault first on this CPU)");
	return finish(&v, "%d reads and %d writes on each of 2 devices: %u claimed at the right "
		      "offset and length, %u nobody's (reads all ones)%s", EDGE_N, EDGE_N, c.claimed,
		      c.unclaimed, faults);
}

/* ---- toctou and refused-loop: lesson 05's emulator (arm64) -------------- */

#if defined(__aarch64__)
#define STR_X1_X2_POST8  0xf8008441u   /* str x1, [x2], #8: what the guest has */
#define STR_X1_X3_POST8  0xf8008461u   /* str x1, [x3], #8: another base, RAM */
#define STR_X4_X2_POST8  0xf8008444u   /* str x4, [x2], #8: the same address */
#define STR_X1_X2_PRE16  0xf8010c41u   /* str x1, [x2, #16]!: further on */

struct toctou {
	struct verdict *v;
	struct rec *dev;
	unsigned n;
};

static const uint32_t toctou_words[3] = { STR_X1_X2_POST8, STR_X4_X2_POST8, STR_X1_X2_PRE16 };
static const uint32_t toctou_new[3] = { STR_X1_X3_POST8, STR_X4_X2_POST8, STR_X1_X2_PRE16 };

/* What a second vCPU could do in the window between the fault and the
 * decode, done here, deterministically: rewrite the word at PC. The first
 * and third rewrites aim elsewhere (fault_ipa disagrees: refuse); the
 * second aims at the same address with another register (emulate what
 * memory now says: it is what the guest's code is, and the address the
 * fault named is the one it accesses). */
static int toctou_hook(struct machine *m)
{
	struct toctou *t = m->ctx;
	unsigned long refused = m->wb.refused, emulated = m->wb.emulated;
	unsigned nlog = t->dev->nlog, i = t->n++;
	uint64_t pc = 0;
	uint8_t *code;
	uint32_t word;
	int ret;

	if ((ret = arm64_get_reg(&m->cpu, ARM64_REG_PC, &pc)) < 0)
		return ret;
	code = guest_ptr(&m->vm, pc, 4);
	if (!expect(t->v, code && i < 3, "NISV exit %u at pc 0x%llx: the guest has 3", i + 1,
		    (unsigned long long)pc))
		return wb_emulate(&m->cpu, &m->wb);
	word = (uint32_t)mmio_le_load(code, 4);
	expect(t->v, word == toctou_words[0], "NISV exit %u: the word at pc 0x%llx is 0x%08x, "
	       "not str x1, [x2], #8", i + 1, (unsigned long long)pc, word);
	mmio_le_store(code, 4, toctou_new[i]);

	ret = wb_emulate(&m->cpu, &m->wb);
	if (i == 1) {
		expect(t->v, ret == RUN_EXIT_HANDLED && m->wb.emulated == emulated + 1 &&
		       m->wb.refused == refused && t->dev->nlog == nlog + 1,
		       "str x4, [x2], #8 (the same address) was not emulated: %s",
		       m->wb.refused != refused ? m->wb.refusal : kit_last_error());
	} else {
		expect(t->v, ret == RUN_EXIT_HANDLED && m->wb.refused == refused + 1 &&
		       m->wb.emulated == emulated && t->dev->nlog == nlog,
		       "0x%08x (another address) at pc 0x%llx was not refused: %lu emulated, "
		       "the device took %u more accesses", toctou_new[i], (unsigned long long)pc,
		       m->wb.emulated - emulated, t->dev->nlog - nlog);
	}
	return ret;
}

static int scenario_toctou(const char *name)
{
	static struct machine m;
	static struct rec dev;
	struct verdict v = { .name = name };
	struct toctou t = { .v = &v, .dev = &dev };
	const struct counter_access want = { 0, 8, true, 0x4444444444444444ULL };
	int ret;

	/* 64 bytes: a store that lands 16 bytes on is still the device's, so
	 * a missing check shows as a write at the wrong offset. */
	rec_init(&dev, "toctou's device", HOSTILE_TOC_GPA, 64,
		 MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 | MMIO_SIZE_8, true);
	if (!started(&v, &m, &GUEST_IMAGE(toctou), &dev, true))
		return finish(&v, " ");
	m.nisv_hook = toctou_hook;
	m.ctx = &t;
	ret = machine_run(&m, 0);
	expect_end(&v, &m, ret, 0);
	expect(&v, m.nisv == 3, "%lu NISV exits, the guest makes 3", m.nisv);
	expect_log(&v, "toctou's device", &dev, &want, 1);
	expect(&v, res(&m, RES_OTHER) == HOSTILE_MARK, "the RAM word the rewritten store aimed "
	       "at holds 0x%llx", (unsigned long long)res(&m, RES_OTHER));
	expect(&v, res(&m, RES_REG) == HOSTILE_TOC_GPA && res(&m, RES_REG + 1) == HOSTILE_TOC_GPA + 8 &&
	       res(&m, RES_REG + 2) == HOSTILE_TOC_GPA + 8,
	       "x2 after each store: 0x%llx 0x%llx 0x%llx, want +0 (refused), +8 (emulated), "
	       "+8 (refused)", (unsigned long long)res(&m, RES_REG),
	       (unsigned long long)res(&m, RES_REG + 1), (unsigned long long)res(&m, RES_REG + 2));
	expect(&v, res(&m, RES_EXC) == 2 && (res(&m, RES_ESR) >> 26) == 0x25,
	       "the guest took %llu exceptions (last ESR 0x%llx), want 2 data aborts",
	       (unsigned long long)res(&m, RES_EXC), (unsigned long long)res(&m, RES_ESR));
	expect(&v, m.wb.refused == 2 && m.wb.emulated == 1, "%lu refused, %lu emulated; want 2, 1",
	       m.wb.refused, m.wb.emulated);
	machine_stop(&m);
	return finish(&v, "rewritten to another address: refused twice (an abort each, nothing "
		      "written); to the same address: emulated (x4's value at offset 0)");
}

static int scenario_refused_loop(const char *name)
{
	static struct machine m;
	static struct rec dev;
	struct verdict v = { .name = name };
	uint64_t aborts;
	int ret;

	rec_init(&dev, "refused-loop's device", HOSTILE_TOC_GPA, 64,
		 MMIO_SIZE_1 | MMIO_SIZE_2 | MMIO_SIZE_4 | MMIO_SIZE_8, true);
	if (!started(&v, &m, &GUEST_IMAGE(refused_loop), &dev, true))
		return finish(&v, " ");
	ret = machine_run(&m, 2000);
	aborts = res(&m, RES_EXC);
	expect(&v, ret == -ETIMEDOUT, "the run ended with %d (%s), not the watchdog's ETIMEDOUT: %s",
	       ret, kit_errno_name(-ret), kit_last_error());
	expect(&v, m.wb.refused >= 100, "only %lu refusals in 2 s", m.wb.refused);
	expect(&v, m.wb.refused == m.nisv && m.wb.emulated == 0,
	       "%lu NISV exits, %lu refused, %lu emulated: each must be refused", m.nisv,
	       m.wb.refused, m.wb.emulated);
	/* The last abort may still be pending when the watchdog fires. */
	expect(&v, aborts <= m.wb.refused && aborts + 1 >= m.wb.refused,
	       "the guest took %llu aborts for %lu refusals", (unsigned long long)aborts,
	       m.wb.refused);
	expect(&v, strstr(m.wb.refusal, "exclusive") != NULL, "the refusal says: %s",
	       m.wb.refusal);
	expect(&v, dev.nlog == 0, "the device took %u accesses", dev.nlog);
	machine_stop(&m);
	return finish(&v, "%lu NISV exits, each refused with an abort the guest took (%llu); "
		      "the watchdog ended it", m.nisv, (unsigned long long)aborts);
}
#else
/* x86 KVM decodes MMIO instructions itself (its instruction emulator):
 * there is no exit with an undecoded instruction, so no window between a
 * fault and a decode in userspace, and nothing for userspace to refuse. */
static int scenario_toctou(const char *name)
{
	printf("skip %s: x86 KVM decodes MMIO instructions in the kernel; there is no "
	       "userspace decode to race\n", name);
	return 0;
}

static int scenario_refused_loop(const char *name)
{
	printf("skip %s: x86 KVM decodes MMIO instructions in the kernel; userspace never "
	       "refuses one\n", name);
	return 0;
}
#endif

static const struct {
	const char *name;
	int (*run)(const char *name);
	const char *what;
} scenarios[] = {
	{ "top", scenario_top, "the top of the guest physical address space" },
	{ "edges", scenario_edges, "every size at every start address across a device's edges" },
	{ "toctou", scenario_toctou, "(arm64) the instruction rewritten before its decode" },
	{ "refused-loop", scenario_refused_loop, "(arm64) a refused instruction, retried forever" },
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static void usage(FILE *out)
{
	unsigned i;

	fprintf(out, "usage: hostile SCENARIO...\n"
		"Lessons 04-05's reference code against hostile guests, checked against a "
		"model.\nscenarios:\n");
	for (i = 0; i < NSCENARIOS; i++)
		fprintf(out, "  %-13s %s\n", scenarios[i].name, scenarios[i].what);
	fprintf(out, "exit status: 0 all ok (or skipped), 1 a scenario failed, 64 usage error\n");
}

int main(int argc, char **argv)
{
	int i, failed = 0;
	unsigned s;

	if (argc < 2) {
		usage(stderr);
		return 64;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		for (s = 0; s < NSCENARIOS && strcmp(argv[i], scenarios[s].name); s++)
			;
		if (s == NSCENARIOS) {
			fprintf(stderr, "hostile: no scenario %s\n", argv[i]);
			usage(stderr);
			return 64;
		}
	}
	for (i = 1; i < argc; i++) {
		for (s = 0; strcmp(argv[i], scenarios[s].name); s++)
			;
		failed |= scenarios[s].run(argv[i]);
	}
	return failed ? 1 : 0;
}
