/* SPDX-License-Identifier: MIT */
/*
 * soak.c - the core's run loop and VM lifecycle, many times over.
 *
 *   soak [--cycles N] [--exits N] [--timeout MS] [--json FILE]
 *
 * 1. N create-run-destroy cycles in one process (default 10000): each
 *    makes a VM, its RAM and a vCPU, runs a guest that makes a few exits
 *    and halts, checks every exit, and destroys it all. The open fds, the
 *    memory mappings and the resident memory are measured before the
 *    first cycle and after the last: a core that forgets to close an fd,
 *    unmap a slot or a kvm_run, or free something, grows here.
 * 2. One guest that makes M exits (default 1000000) in one run of the
 *    run loop, then halts: the hook sees every one, in order, and the
 *    resident memory must not grow while it runs.
 *
 * The guests are a few instructions written here as machine code, so the
 * soak needs nothing but the core: on x86_64, 16-bit real mode writing
 * to an I/O port; on arm64, A64 stores to an address with no memory
 * (MMIO). Both count a register down to zero, one exit per count, and
 * end the normal way (x86 HLT; arm64 PSCI SYSTEM_OFF through hvc).
 *
 * Times are printed, never checked. Exit status: 0 if every count was
 * exact and nothing grew, 1 if not, 64 for a usage error, 77 if there is
 * no KVM to soak.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <jansson.h>

#include "kit.h"
#include "arch/arch.h"
#if defined(__x86_64__)
#include "arch/x86_64.h"
#elif defined(__aarch64__)
#include "arch/arm64.h"
#else
#error "the soak has guests for x86_64 and arm64 only"
#endif

#define DEFAULT_CYCLES 10000UL
#define DEFAULT_EXITS 1000000UL
#define CYCLE_EXITS 3            /* a few: enough to go round the loop */
#define DEFAULT_LONG_TIMEOUT_MS 120000u

/*
 * How much the resident memory may grow and still count as noise: 1 MiB.
 * After the warm-up cycle nothing in a cycle should stay behind, but the
 * figure moves a little by itself: malloc keeps freed memory at the top of
 * its heap (up to M_TRIM_THRESHOLD, 128 KiB) and stdio or the kernel's
 * accounting of shared pages can shift it by a few pages. A real leak is
 * far above that: one page a cycle is 39 MiB over 10000 cycles (a kvm_run
 * left mapped is three), and even 105 bytes a cycle passes 1 MiB. The fd
 * and mapping counts have no noise at all: they may not grow by one.
 */
#define RSS_NOISE_BYTES (1UL << 20)

/* ---- the guests, one per architecture -------------------------------- */

#if defined(__x86_64__)
/* Real mode, like lesson 01's guests: 64 KiB of RAM at 0, code at 0x1000. */
#define RAM_GPA 0x0ULL
#define RAM_SIZE 0x10000ULL
#define CODE_GPA 0x1000ULL
#define SOAK_PORT 0x500 /* no device of the kit's: every `out` exits */
#define COUNT_OFFSET 5  /* of the imm32 in `mov ecx, imm32` */

/*
 * 1000: mov  dx, 0x500
 * 1003: mov  ecx, COUNT
 * 1009: mov  eax, ecx          ; the value is the count left: the hook
 * 100c: out  dx, eax           ; can tell a lost or repeated exit
 * 100e: dec  ecx
 * 1010: jnz  1009
 * 1012: hlt
 * 1013: jmp  1012              ; should anything resume it
 */
static const uint8_t guest_code[] = {
	0xba, 0x00, 0x05,
	0x66, 0xb9, 0x00, 0x00, 0x00, 0x00,
	0x66, 0x89, 0xc8,
	0x66, 0xef,
	0x66, 0x49,
	0x75, 0xf7,
	0xf4,
	0xeb, 0xfd,
};

static void patch_count(uint8_t *code, uint32_t count)
{
	memcpy(code + COUNT_OFFSET, &count, sizeof(count)); /* little-endian */
}

/* CS base 0, IP at the code: a new vCPU starts at the reset vector. */
static int guest_start(struct vcpu *cpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(cpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_GET_SREGS", NULL);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(cpu->fd, KVM_SET_SREGS, &sregs) < 0)
		return kit_syscall_error("KVM_SET_SREGS", "real mode, CS base 0");
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_GPA;
	regs.rflags = X86_RFLAGS_RESERVED1;
	if (ioctl(cpu->fd, KVM_SET_REGS, &regs) < 0)
		return kit_syscall_error("KVM_SET_REGS", NULL);
	return 0;
}

/* Is this exit the guest's `out`? Then its value. */
static bool guest_exit_value(const struct kvm_run *run, uint32_t *value)
{
	if (run->exit_reason != KVM_EXIT_IO || run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.port != SOAK_PORT || run->io.size != 4 || run->io.count != 1)
		return false;
	memcpy(value, (const uint8_t *)run + run->io.data_offset, sizeof(*value));
	return true;
}

#elif defined(__aarch64__)
/* Lesson 01's arm64 layout: RAM at 1 GiB, code at its start. 64 KiB is a
 * whole number of pages for 4, 16 and 64 KiB hosts alike. */
#define RAM_GPA 0x40000000ULL
#define RAM_SIZE 0x10000ULL
#define CODE_GPA RAM_GPA
#define SOAK_MMIO_GPA 0x10000000ULL /* no memory and no UART there */

/*
 *  0: movz x1, #0x1000, lsl #16  ; x1 = 0x10000000
 *  4: movz w2, #COUNT[15:0]
 *  8: movk w2, #COUNT[31:16], lsl #16
 *  c: str  w2, [x1]              ; plain str: KVM decodes it (valid ISV)
 * 10: subs w2, w2, #1
 * 14: b.ne c
 * 18: movz w0, #0x0008
 * 1c: movk w0, #0x8400, lsl #16  ; w0 = PSCI SYSTEM_OFF
 * 20: hvc  #0
 * 24: b    .
 */
static const uint32_t guest_code[] = {
	0xd2a20001, 0x52800002, 0x72a00002, 0xb9000022, 0x71000442,
	0x54ffffc1, 0x52800100, 0x72b08000, 0xd4000002, 0x14000000,
};

static void patch_count(uint8_t *code, uint32_t count)
{
	uint32_t words[2] = {
		guest_code[1] | (count & 0xffff) << 5,
		guest_code[2] | (count >> 16) << 5,
	};

	memcpy(code + 4, words, sizeof(words)); /* A64 words are little-endian */
}

static int guest_start(struct vcpu *cpu)
{
	int ret = arm64_set_reg(cpu, ARM64_REG_PC, CODE_GPA);

	if (ret < 0)
		return ret;
	return arm64_set_reg(cpu, ARM64_REG_PSTATE, ARM64_PSTATE_EL1H | ARM64_PSTATE_DAIF);
}

static bool guest_exit_value(const struct kvm_run *run, uint32_t *value)
{
	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.phys_addr != SOAK_MMIO_GPA || run->mmio.len != 4)
		return false;
	memcpy(value, run->mmio.data, sizeof(*value));
	return true;
}

#endif

/* ---- one guest run ----------------------------------------------------- */

/* The hook's view: the value the next exit must carry (the count left). */
struct countdown {
	uint32_t next;
	unsigned long seen;
};

static int countdown_exit(struct vcpu *cpu, void *ctx)
{
	struct countdown *c = ctx;
	uint32_t value;

	if (!guest_exit_value(cpu->run, &value))
		return RUN_EXIT_UNHANDLED;
	if (c->next == 0 || value != c->next)
		return kit_error(-EPROTO, "exit %lu carried %u, expected %u (an exit lost or "
				 "repeated?)", c->seen + 1, value, c->next);
	c->next--;
	c->seen++;
	return RUN_EXIT_HANDLED;
}

/* What the process holds: the figures a leak would grow. */
struct sample {
	long fds;
	long mappings;
	unsigned long rss; /* bytes */
};

static long count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;
	long n = 0;

	if (!dir)
		return -1;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(dir))
			n++;
	closedir(dir);
	return n;
}

static long count_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static unsigned long resident_bytes(void)
{
	unsigned long size, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * (unsigned long)sysconf(_SC_PAGESIZE);
}

static void take_sample(struct sample *s)
{
	s->fds = count_fds();
	s->mappings = count_mappings();
	s->rss = resident_bytes();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct run_result {
	double seconds;         /* of the run loop alone */
	struct sample before;   /* just before the run loop, and after it */
	struct sample after;
};

/* Build the guest in a VM of its own. 0 or a negative errno. */
static int setup_guest(struct vm *vm, struct vcpu *cpu, uint32_t count)
{
	uint8_t code[sizeof(guest_code)];
	int ret;

	ret = vm_create(vm);
	if (ret < 0)
		return ret;
	ret = vm_add_memory(vm, RAM_GPA, RAM_SIZE, 0);
	if (ret < 0)
		return ret;
	memcpy(code, guest_code, sizeof(code));
	patch_count(code, count);
	ret = guest_write(vm, CODE_GPA, code, sizeof(code));
	if (ret < 0)
		return ret;
	ret = vcpu_create(vm, cpu, 0);
	if (ret < 0)
		return ret;
	return guest_start(cpu);
}

/*
 * Create, run and destroy a guest that makes `count` exits and halts.
 * 0 if it did exactly that; otherwise a negative errno, with the message
 * in kit_last_error().
 */
static int run_guest(uint32_t count, unsigned timeout_ms, struct run_result *res)
{
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	struct countdown c = { .next = count };
	struct run_loop loop = { .timeout_ms = timeout_ms, .on_exit = countdown_exit, .ctx = &c };
	double start;
	int ret;

	ret = setup_guest(&vm, &cpu, count);
	if (ret == 0) {
		if (res)
			take_sample(&res->before);
		start = now_s();
		ret = vcpu_run_loop(&cpu, &loop);
		if (res) {
			res->seconds = now_s() - start;
			take_sample(&res->after);
		}
	}
	/* The halt is one exit more than the guest's own. */
	if (ret == 0 && (c.seen != count || loop.exits != (unsigned long)count + 1))
		ret = kit_error(-EPROTO, "the guest halted after %lu of its %u exits "
				"(%lu exits in all)", c.seen, count, loop.exits);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	return ret;
}

/* ---- the soak ------------------------------------------------------------ */

struct options {
	unsigned long cycles;
	unsigned long exits;
	unsigned timeout_ms;
	const char *json;
};

struct figures {
	unsigned long cycles_done;
	double cycles_seconds;
	struct sample before, after;
	char cycle_error[1024];
	struct run_result long_run;
	int long_ret;
	char long_error[1024];
	bool ok;
};

static double mib(unsigned long bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

static bool grew(const struct sample *before, const struct sample *after)
{
	return after->rss > before->rss + RSS_NOISE_BYTES;
}

static void soak_cycles(const struct options *o, struct figures *f)
{
	double start;
	unsigned long i;
	int ret = 0;

	take_sample(&f->before);
	start = now_s();
	for (i = 0; i < o->cycles; i++) {
		ret = run_guest(CYCLE_EXITS, KIT_RUN_TIMEOUT_MS, NULL);
		if (ret < 0)
			break;
	}
	f->cycles_seconds = now_s() - start;
	f->cycles_done = i;
	take_sample(&f->after);
	if (ret < 0)
		snprintf(f->cycle_error, sizeof(f->cycle_error), "cycle %lu: %s", i + 1,
			 kit_last_error());

	printf("soak: %lu cycles in %.1f s (%.0f/s): fds %ld -> %ld, mappings %ld -> %ld, "
	       "RSS %.1f MiB -> %.1f MiB\n", f->cycles_done, f->cycles_seconds,
	       f->cycles_seconds > 0 ? (double)f->cycles_done / f->cycles_seconds : 0.0,
	       f->before.fds, f->after.fds, f->before.mappings, f->after.mappings,
	       mib(f->before.rss), mib(f->after.rss));
	if (ret < 0) {
		printf("soak: FAIL: %s\n", f->cycle_error);
		f->ok = false;
	}
	if (f->after.fds != f->before.fds || f->before.fds < 0) {
		printf("soak: FAIL: the open fds went from %ld to %ld\n", f->before.fds, f->after.fds);
		f->ok = false;
	}
	if (f->after.mappings > f->before.mappings || f->before.mappings < 0) {
		printf("soak: FAIL: the memory mappings went from %ld to %ld\n",
		       f->before.mappings, f->after.mappings);
		f->ok = false;
	}
	if (grew(&f->before, &f->after)) {
		printf("soak: FAIL: RSS grew by %.1f MiB, more than the %.0f MiB of noise\n",
		       mib(f->after.rss - f->before.rss), mib(RSS_NOISE_BYTES));
		f->ok = false;
	}
}

static void soak_long_run(const struct options *o, struct figures *f)
{
	struct run_result *r = &f->long_run;

	f->long_ret = run_guest((uint32_t)o->exits, o->timeout_ms, r);
	if (f->long_ret < 0)
		snprintf(f->long_error, sizeof(f->long_error), "%s", kit_last_error());
	printf("soak: %lu exits in one run in %.1f s (%.0f/s): RSS %.1f MiB -> %.1f MiB\n",
	       o->exits, r->seconds, r->seconds > 0 ? (double)o->exits / r->seconds : 0.0,
	       mib(r->before.rss), mib(r->after.rss));
	if (f->long_ret < 0) {
		printf("soak: FAIL: the %lu-exit guest: %s\n", o->exits, f->long_error);
		f->ok = false;
	}
	if (grew(&r->before, &r->after)) {
		printf("soak: FAIL: RSS grew by %.1f MiB during the run, more than the %.0f MiB "
		       "of noise\n", mib(r->after.rss - r->before.rss), mib(RSS_NOISE_BYTES));
		f->ok = false;
	}
}

static json_t *sample_json(const struct sample *s)
{
	return json_pack("{s:I, s:I, s:I}", "fds", (json_int_t)s->fds,
			 "mappings", (json_int_t)s->mappings, "rss_bytes", (json_int_t)s->rss);
}

static int write_json(const char *path, const struct options *o, const struct figures *f)
{
	const struct run_result *r = &f->long_run;
	json_t *root;
	int ret;

	root = json_pack("{s:s, s:b, s:I, s:{s:I, s:I, s:I, s:f, s:o, s:o, s:s?},"
			 " s:{s:I, s:b, s:f, s:o, s:o, s:s?}}",
		"arch", arch_name, "ok", f->ok, "rss_noise_bytes", (json_int_t)RSS_NOISE_BYTES,
		"cycles",
			"requested", (json_int_t)o->cycles, "done", (json_int_t)f->cycles_done,
			"exits_each", (json_int_t)CYCLE_EXITS, "seconds", f->cycles_seconds,
			"before", sample_json(&f->before), "after", sample_json(&f->after),
			"error", f->cycle_error[0] ? f->cycle_error : NULL,
		"long_run",
			"exits", (json_int_t)o->exits, "exact", f->long_ret == 0,
			"seconds", r->seconds,
			"before", sample_json(&r->before), "after", sample_json(&r->after),
			"error", f->long_error[0] ? f->long_error : NULL);
	if (!root)
		return -ENOMEM;
	ret = json_dump_file(root, path, JSON_INDENT(2)) < 0 ? -EIO : 0;
	json_decref(root);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: soak [--cycles N] [--exits N] [--timeout MS] [--json FILE]\n"
		"Soak the core's VM lifecycle and run loop on this machine's KVM (%s).\n"
		"  --cycles N    create-run-destroy cycles in one process (default %lu)\n"
		"  --exits N     exits of the one long guest run, 1 to 4294967295 (default %lu)\n"
		"  --timeout MS  the watchdog of that long run (default %u)\n"
		"  --json FILE   also write the figures as JSON\n"
		"exit status: 0 all exact and nothing grew, 1 a count was wrong or fds,\n"
		"mappings or RSS grew, 64 usage error, 77 no KVM here\n",
		arch_name, DEFAULT_CYCLES, DEFAULT_EXITS, DEFAULT_LONG_TIMEOUT_MS);
}

static bool parse_count(const char *arg, unsigned long long max, unsigned long long *value)
{
	char *end;

	errno = 0;
	*value = strtoull(arg, &end, 10);
	return !errno && *arg && *arg != '-' && !*end && *value <= max;
}

static bool parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "cycles", required_argument, NULL, 'c' },
		{ "exits", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned long long v;
	int c;

	o->cycles = DEFAULT_CYCLES;
	o->exits = DEFAULT_EXITS;
	o->timeout_ms = DEFAULT_LONG_TIMEOUT_MS;
	o->json = NULL;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!parse_count(optarg, 1000000000ULL, &v))
				goto bad;
			o->cycles = (unsigned long)v;
			break;
		case 'e':
			/* The guest counts in a 32-bit register, down to 0. */
			if (!parse_count(optarg, UINT32_MAX, &v) || v == 0)
				goto bad;
			o->exits = (unsigned long)v;
			break;
		case 't':
			if (!parse_count(optarg, 24ULL * 3600 * 1000, &v) || v == 0)
				goto bad;
			o->timeout_ms = (unsigned)v;
			break;
		case 'j': o->json = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return false;
		}
	}
	if (optind == argc)
		return true;
	usage(stderr);
	return false;
bad:
	fprintf(stderr, "soak: --%s %s: not a whole number in range (--help)\n",
		c == 'c' ? "cycles" : c == 'e' ? "exits" : "timeout", optarg);
	return false;
}

int main(int argc, char **argv)
{
	struct figures f;
	struct options o;
	int ret;

	if (!parse(argc, argv, &o))
		return 64;
	/* Print as we go: a watcher (or a log) sees each figure when it is known. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&f, 0, sizeof(f));
	f.ok = true;

	/*
	 * The warm-up cycle: the first run creates the watchdog's timer and
	 * signal handler and lets libc set up its lazy state (stdio buffers,
	 * malloc's arena). Counted from here, only what cycles leak remains.
	 */
	ret = run_guest(CYCLE_EXITS, KIT_RUN_TIMEOUT_MS, NULL);
	if (ret == -ENOENT || ret == -ENXIO || ret == -ENODEV || ret == -EACCES || ret == -EPERM) {
		printf("soak: skipped: %s\n", kit_last_error());
		return 77;
	}
	if (ret < 0) {
		printf("soak: FAIL: the warm-up cycle: %s\n", kit_last_error());
		return 1;
	}

	soak_cycles(&o, &f);
	soak_long_run(&o, &f);

	if (o.json && write_json(o.json, &o, &f) < 0) {
		fprintf(stderr, "soak: cannot write %s\n", o.json);
		f.ok = false;
	}
	printf("soak: %s\n", f.ok ? "ok: every count exact, no fd, mapping or memory growth"
				  : "FAILED");
	return f.ok ? 0 : 1;
}
