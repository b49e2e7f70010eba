/* SPDX-License-Identifier: MIT */
/*
 * kvmrun - run any guest image under KVM with the kit's reference host.
 *
 * It lives beside the reference solutions because it is assembled from
 * them: lesson 01's vCPU set-up, lesson 02's ELF loading and long mode
 * (x86) or EL1 entry (arm64), lesson 03's hypercalls, on the common core.
 *
 *   kvmrun [options] IMAGE
 *
 * An ELF64 image is loaded (and checked) like lesson 02's guests and
 * started as they are: on x86_64 in 64-bit long mode with the first 1 GiB
 * identity-mapped, on arm64 at EL1 with the MMU off. Any other file is a
 * flat binary, loaded at --load and started there like lesson 01's guests
 * (x86: 16-bit real mode; arm64: EL1). Either way the guest has its
 * console (x86: port 0x3f8; arm64: the UART at 0x09000000) and lesson
 * 03's hypercalls (common/abi/hypercall_abi.h), every run has a watchdog,
 * and a guest that goes wrong gets a diagnosis.
 *
 * With --json FILE it also writes what happened as JSON, for programs
 * (the kit's own tests read it with jq): how the run ended, the exits, and
 * every hypercall with its arguments, result and exit.
 *
 * With --devices the guest also has lesson 04's devices on its MMIO bus
 * (and on arm64, lesson 05's emulator for the loads and stores KVM could
 * not decode, writeback and pairs, which --trace names):
 * the UART, the counter and the ROM (at the L4_* addresses of layout.h). An access no
 * device takes then fails the run, as in lesson 04's checks, unless
 * --no-strict makes it read all ones and go on (counted, and with --trace
 * described).
 *
 * Exit status: the guest's KIT_HC_EXIT code if it is 0-63, or 0 if the
 * guest halted; kvmrun's own are above that, so the two never mix:
 * 64 usage error, 65 a guest exit code outside 0-63, 66 the image cannot
 * be read or loaded, 70 the guest failed (an unexpected exit, a KVM
 * error), 71 the watchdog stopped it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <jansson.h>

#include "kit.h"
#include "arch/arch.h"
#include "01-first-run/first_run.h"
#include "02-c-guests/c_guests.h"
#include "03-hypercalls/hypercalls.h"
#include "04-mmio/machine.h"
#include "layout.h"
#if defined(__aarch64__)
#include "05-writeback/writeback.h"
#endif

#define MAX_IMAGE (64u << 20)
#define MAX_TIMEOUT_MS (24u * 3600 * 1000)

enum status {
	STATUS_USAGE = 64,
	STATUS_GUEST_CODE_RANGE = 65,
	STATUS_NOT_LOADABLE = 66,
	STATUS_FAILED = 70,
	STATUS_TIMEOUT = 71,
};

/* Where a flat binary's RAM is, like lesson 01's guests' but larger. */
struct flat_layout {
	const char *arch;
	uint64_t ram_gpa, ram_size, load;
	const char *mode;
};

static const struct flat_layout flat_layouts[] = {
	/* 640 KiB at 0: a PC's conventional memory; real mode. */
	{ "x86_64", 0, 0xa0000, 0x1000, "flat binary, 16-bit real mode" },
	/* 1 MiB at 1 GiB, as lesson 01's arm64 guests; EL1, MMU off. */
	{ "arm64", 0x40000000, 0x100000, 0x40000000, "flat binary, EL1" },
};

static const struct flat_layout *flat_layout(void)
{
	size_t i;

	for (i = 0; i < sizeof(flat_layouts) / sizeof(flat_layouts[0]); i++)
		if (strcmp(flat_layouts[i].arch, arch_name) == 0)
			return &flat_layouts[i];
	return &flat_layouts[0];
}

struct options {
	const char *image;
	const char *json;
	bool trace;
	bool sync_regs;
	bool quiet;
	bool devices;
	bool strict;
	unsigned timeout_ms;
	uint64_t load;
};

static void usage(FILE *out)
{
	const struct flat_layout *flat = flat_layout();

	fprintf(out,
		"usage: kvmrun [options] IMAGE\n"
		"Run a guest under KVM with the kit's reference host (%s).\n"
		"  An ELF64 image runs like lesson 02's guests (guest-*/lib/layout.h); any\n"
		"  other file is a flat binary like lesson 01's (%s), with 0x%llx bytes of\n"
		"  RAM at 0x%llx. The guest prints on its console and may use lesson 03's\n"
		"  hypercalls.\n"
		"options:\n"
		"  --load ADDR       where a flat binary goes and starts (default 0x%llx)\n"
		"  --timeout MS      stop the guest after MS milliseconds (default %u)\n"
		"  --trace           describe every exit, and every hypercall, on stderr\n"
		"  --no-sync-regs    not the fast path: x86, hypercall registers through\n"
		"                    KVM_GET/SET_REGS, not KVM_CAP_SYNC_REGS; arm64, no SMCCC\n"
		"                    filter (the guest's hvc falls back to the MMIO doorbell)\n"
		"  --devices         lesson 04's UART, counter and ROM on the MMIO bus; an\n"
		"                    access no device takes fails the run\n"
		"  --no-strict       (with --devices) such an access reads all ones instead\n"
		"  --quiet           no summary line at the end\n"
		"  --json FILE       also write what happened (the end, the exits, each\n"
		"                    hypercall) as JSON to FILE\n"
		"  --help\n"
		"exit status: the guest's KIT_HC_EXIT code (0-63), or 0 if it halted; 64 usage\n"
		"error; 65 guest code outside 0-63; 66 image not loadable; 70 the guest\n"
		"failed; 71 the watchdog stopped it\n",
		arch_name, flat->mode, (unsigned long long)flat->ram_size,
		(unsigned long long)flat->ram_gpa, (unsigned long long)flat->load,
		KIT_KVMRUN_TIMEOUT_MS);
}

static bool parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "load", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "trace", no_argument, NULL, 'T' },
		{ "no-sync-regs", no_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "devices", no_argument, NULL, 'd' },
		{ "no-strict", no_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	int c;

	const struct flat_layout *flat = flat_layout();

	memset(o, 0, sizeof(*o));
	o->sync_regs = true;
	o->strict = true;
	o->timeout_ms = KIT_KVMRUN_TIMEOUT_MS;
	o->load = flat->load;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			errno = 0;
			o->load = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg || optarg[0] == '-' || o->load < flat->ram_gpa ||
			    o->load - flat->ram_gpa >= flat->ram_size || o->load % 16) {
				fprintf(stderr, "kvmrun: --load %s: an address in [0x%llx, 0x%llx), "
					"a multiple of 16\n", optarg,
					(unsigned long long)flat->ram_gpa,
					(unsigned long long)(flat->ram_gpa + flat->ram_size));
				return false;
			}
			break;
		case 't': {
			unsigned long long ms;

			errno = 0;
			ms = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || ms == 0 ||
			    ms > MAX_TIMEOUT_MS) {
				fprintf(stderr, "kvmrun: --timeout %s: milliseconds, from 1 to %u\n",
					optarg, MAX_TIMEOUT_MS);
				return false;
			}
			o->timeout_ms = (unsigned)ms;
			break;
		}
		case 'T': o->trace = true; break;
		case 'S': o->sync_regs = false; break;
		case 'q': o->quiet = true; break;
		case 'd': o->devices = true; break;
		case 's': o->strict = false; break;
		case 'j': o->json = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return false;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return false;
	}
	if (!o->strict && !o->devices) {
		fprintf(stderr, "kvmrun: --no-strict is about --devices' bus: give both\n");
		return false;
	}
	o->image = argv[optind];
	return true;
}

/* The whole file, or NULL with a message. */
static uint8_t *read_image(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	long len;

	if (!f) {
		fprintf(stderr, "kvmrun: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "kvmrun: %s is not a regular file\n", path);
		fclose(f);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		fprintf(stderr, "kvmrun: cannot read %s: %s\n", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	if (len == 0 || (unsigned long)len > MAX_IMAGE) {
		fprintf(stderr, "kvmrun: %s is %ld bytes; an image is 1 byte to %u MiB\n", path,
			len, MAX_IMAGE >> 20);
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "kvmrun: cannot read %s\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = (size_t)len;
	return buf;
}

/* A 64-bit value as a JSON string "0x...": JSON numbers are doubles to
 * most readers, which would round values above 2^53. */
static json_t *json_hex(uint64_t v)
{
	char text[2 + 16 + 1];

	snprintf(text, sizeof(text), "0x%llx", (unsigned long long)v);
	return json_string(text);
}

/* --json: the run as JSON. `host` and `exits` are NULL/0 when the guest
 * never ran. Returns false (with a message) if FILE cannot be written. */
static bool write_json(const struct options *o, const char *format, const char *end,
		       int status, const struct hc_host *host, unsigned long exits,
		       const char *error)
{
	json_t *root = json_object(), *calls = json_array();
	unsigned i;
	bool ok;

	json_object_set_new(root, "image", json_string(o->image));
	json_object_set_new(root, "format", format ? json_string(format) : json_null());
	json_object_set_new(root, "end", json_string(end));
	json_object_set_new(root, "status", json_integer(status));
	json_object_set_new(root, "exits", json_integer((json_int_t)exits));
	json_object_set_new(root, "exit_code", host && host->exited ?
			    json_integer(host->exit_code) : json_null());
	json_object_set_new(root, "error", error ? json_string(error) : json_null());
	for (i = 0; host && i < host->ncalls && i < HC_LOG_MAX; i++) {
		const struct hc_call *c = &host->log[i].call;
		json_t *call = json_object(), *args = json_array();
		unsigned a;

		for (a = 0; a < 5; a++)
			json_array_append_new(args, json_hex(c->args[a]));
		json_object_set_new(call, "nr", json_hex(c->nr));
		json_object_set_new(call, "name", json_string(hc_name(c->nr)));
		json_object_set_new(call, "args", args);
		json_object_set_new(call, "result", json_hex((uint64_t)host->log[i].result));
		json_object_set_new(call, "exit", json_string(kvm_exit_name(host->log[i].exit_reason)));
		json_array_append_new(calls, call);
	}
	json_object_set_new(root, "hypercalls", calls);
	json_object_set_new(root, "hypercalls_total", json_integer(host ? host->ncalls : 0));
	ok = json_dump_file(root, o->json, JSON_INDENT(2) | JSON_SORT_KEYS) == 0;
	if (!ok)
		fprintf(stderr, "kvmrun: cannot write %s\n", o->json);
	json_decref(root);
	return ok;
}

/* A flat binary: lesson 01's set-up, with more RAM. */
static int boot_flat(struct vm *vm, struct vcpu *cpu, const uint8_t *image, size_t size,
		     uint64_t load)
{
	const struct flat_layout *flat = flat_layout();
	int ret;

	*cpu = (struct vcpu)VCPU_EMPTY;
	ret = vm_create(vm);
	if (ret < 0)
		return ret;
	if ((ret = vm_add_memory(vm, flat->ram_gpa, flat->ram_size, 0)) < 0 ||
	    (ret = first_load_guest(vm, load, image, size)) < 0 ||
	    (ret = vcpu_create(vm, cpu, 0)) < 0 ||
	    (ret = first_set_registers(cpu, load)) < 0) {
		vcpu_destroy(cpu);
		vm_destroy(vm);
	}
	return ret;
}

/* Lesson 04's devices, behind lesson 03's hypercalls. */
struct devices {
	struct mmio_bus bus;
	struct uart16550 uart;
	struct counter_device counter;
	struct rom rom;
	struct mmio_host mmio;
#if defined(__aarch64__)
	struct wb_host wb;   /* lesson 05: KVM_EXIT_ARM_NISV, emulated */
#endif
};

static struct hc_host *hypercalls_of_run;

static int on_exit_with_devices(struct vcpu *cpu, void *ctx)
{
	struct devices *d = ctx;
	int ret = hc_on_exit(cpu, hypercalls_of_run);

	if (ret != RUN_EXIT_UNHANDLED)
		return ret;
#if defined(__aarch64__)
	if (cpu->run->exit_reason == KVM_EXIT_ARM_NISV)
		return wb_emulate(cpu, &d->wb);
#endif
	return mmio_on_exit(cpu, &d->mmio);
}

static int add_devices(struct vm *vm, struct devices *d, bool strict, FILE *trace)
{
	static uint8_t rom[L4_ROM_SIZE];
	int ret;

	mmio_bus_init(&d->bus, strict, trace);
	uart_init(&d->uart, L4_UART_GPA, stdout);
	counter_init(&d->counter, L4_COUNTER_GPA);
	l4_rom_bytes(rom, sizeof(rom));
	if ((ret = mmio_bus_register(&d->bus, &d->uart.dev)) < 0 ||
	    (ret = mmio_bus_register(&d->bus, &d->counter.dev)) < 0 ||
	    (ret = rom_map(vm, &d->bus, &d->rom, L4_ROM_GPA, rom, sizeof(rom))) < 0)
		return ret;
	d->mmio = (struct mmio_host){ .bus = &d->bus };
#if defined(__aarch64__)
	d->wb = (struct wb_host){ .mmio = d->mmio, .trace = trace };
	if ((ret = wb_enable(vm, &d->wb)) < 0)
		return ret;
#endif
	return 0;
}

int main(int argc, char **argv)
{
	static struct devices devices;
	struct options o;
	struct vm vm;
	struct vcpu cpu;
	struct hc_host host;
	struct run_loop loop = { 0 };
	uint8_t *image;
	size_t size;
	const char *end;
	bool elf;
	int ret, status;

	if (!parse(argc, argv, &o))
		return STATUS_USAGE;
	image = read_image(o.image, &size);
	if (!image) {
		if (o.json)
			write_json(&o, NULL, "not-loadable", STATUS_NOT_LOADABLE, NULL, 0,
				   "the image cannot be read");
		return STATUS_NOT_LOADABLE;
	}

	elf = size >= 4 && memcmp(image, "\177ELF", 4) == 0;
	ret = elf ? lm_boot(&vm, &cpu, image, size) : boot_flat(&vm, &cpu, image, size, o.load);
	free(image);
	if (ret < 0) {
		fprintf(stderr, "kvmrun: cannot start %s (%s): %s\n", o.image,
			elf ? "ELF64" : flat_layout()->mode, kit_last_error());
		if (o.json)
			write_json(&o, elf ? "elf" : "flat", "not-loadable", STATUS_NOT_LOADABLE,
				   NULL, 0, kit_last_error());
		return STATUS_NOT_LOADABLE;
	}
	if (o.trace)
		fprintf(stderr, "kvmrun: %s: %s\n", o.image,
			elf ? "ELF64, as lesson 02's guests" : flat_layout()->mode);

	hc_host_init(&host, &vm, stdout);
	hc_fast_transport(&host, &cpu, o.sync_regs);
	if (o.trace)
		fprintf(stderr, "kvmrun: hypercalls through %s\n",
			host.sync_regs ? "port I/O, registers by KVM_CAP_SYNC_REGS" :
			host.smccc_filter ? "hvc (SMCCC filter) or the MMIO doorbell" :
			arch_sync_regs_gprs ? "port I/O, registers by KVM_GET/SET_REGS" :
					      "the MMIO doorbell");
	host.trace = o.trace ? stderr : NULL;
	loop.console = stdout;
	loop.timeout_ms = o.timeout_ms;
	loop.trace = o.trace ? stderr : NULL;
	loop.on_exit = hc_on_exit;
	loop.ctx = &host;
	if (o.devices) {
		ret = add_devices(&vm, &devices, o.strict, o.trace ? stderr : NULL);
		if (ret < 0) {
			fprintf(stderr, "kvmrun: lesson 04's devices: %s\n", kit_last_error());
			vcpu_destroy(&cpu);
			vm_destroy(&vm);
			return STATUS_FAILED;
		}
		hypercalls_of_run = &host;
		loop.on_exit = on_exit_with_devices;
		loop.ctx = &devices;
	}

	ret = vcpu_run_loop(&cpu, &loop);
	fflush(stdout);
	end = ret == 0 ? (host.exited ? "exit" : "halt") : ret == -ETIMEDOUT ? "timeout" : "failed";
	if (ret == 0 && host.exited) {
		status = (int)host.exit_code;
		if (host.exit_code < 0 || host.exit_code > 63) {
			status = STATUS_GUEST_CODE_RANGE;
			fprintf(stderr, "kvmrun: the guest's exit code %lld is outside 0-63: exit "
				"status %d\n", (long long)host.exit_code, status);
		}
		if (!o.quiet)
			fprintf(stderr, "kvmrun: the guest exited with code %lld after %lu exits\n",
				(long long)host.exit_code, loop.exits);
	} else if (ret == 0) {
		status = 0;
		if (!o.quiet)
			fprintf(stderr, "kvmrun: the guest halted after %lu exits\n", loop.exits);
	} else {
		status = ret == -ETIMEDOUT ? STATUS_TIMEOUT : STATUS_FAILED;
		fprintf(stderr, "kvmrun: %s\n", kit_last_error());
		vcpu_diagnose(&cpu, kit_last_error(), stderr);
	}
	if (o.devices && !o.quiet && ret == 0)
		fprintf(stderr, "kvmrun: the MMIO bus: %lu exits, %lu accesses no device took\n",
			devices.mmio.mmio_exits, devices.bus.unclaimed);
#if defined(__aarch64__)
	if (o.devices && !o.quiet && ret == 0)
		fprintf(stderr, "kvmrun: %lu loads and stores emulated from their instructions, "
			"%lu refused\n", devices.wb.emulated, devices.wb.refused);
#endif
	if (o.json && !write_json(&o, elf ? "elf" : "flat", end, status, &host, loop.exits,
				  ret < 0 ? kit_last_error() : NULL) && status == 0)
		status = STATUS_FAILED;
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	return status;
}
