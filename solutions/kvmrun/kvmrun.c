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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <jansson.h>

#include "kit.h"
#include "arch/arch.h"
#include "01-first-run/first_run.h"
#include "02-c-guests/c_guests.h"
#include "03-hypercalls/hypercalls.h"
#include "04-mmio/machine.h"
#include "layout.h"
#include "options.h"
#if defined(__aarch64__)
#include "05-writeback/writeback.h"
#endif

enum status {
	STATUS_USAGE = 64,
	STATUS_GUEST_CODE_RANGE = 65,
	STATUS_NOT_LOADABLE = 66,
	STATUS_FAILED = 70,
	STATUS_TIMEOUT = 71,
};

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

	switch (parse(argc, argv, &o, stdout, stderr)) {
	case PARSE_RUN: break;
	case PARSE_HELP: return 0;
	default: return STATUS_USAGE;
	}
	image = read_image(o.image, &size, stderr);
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
