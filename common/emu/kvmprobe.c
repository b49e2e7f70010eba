/* SPDX-License-Identifier: MIT */
/*
 * kvmprobe.c - smoke test of arm64 KVM: does the machine we run on (the
 * emulated one, or a Raspberry Pi) run a guest at all?
 *
 * It creates a VM with one vCPU and one memory slot, runs a three-
 * instruction guest that asks PSCI to switch the machine off, and checks
 * that KVM_RUN comes back with KVM_EXIT_SYSTEM_EVENT, type SHUTDOWN. On
 * the way it prints what the kit's arm64 lessons depend on: the kernel
 * version, the page size (4 KiB, or 16 KiB on a Raspberry Pi 5 kernel) and
 * whether the kernel has the SMCCC filter (Linux 6.4 and later).
 *
 * Usage: kvmprobe [JSON-FILE]   (default /tmp/probe.json)
 * Writes what it found to JSON-FILE too, and exits 0 if the guest ran as
 * expected, 1 otherwise.
 *
 * Build: aarch64-linux-gnu-gcc -static -O2 -o kvmprobe kvmprobe.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/psci.h> /* PSCI_0_2_FN_SYSTEM_OFF: 0x84000008 (Arm DEN 0022) */
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* The SMCCC filter (Linux 6.4): Debian 12's headers are 6.1's and lack it. */
#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL 0
#endif
#ifndef KVM_ARM_VM_SMCCC_FILTER
#define KVM_ARM_VM_SMCCC_FILTER 0
#endif

#define KVM_API_VERSION_EXPECTED 12
/* Where the guest's memory starts, in the guest's physical address space.
 * 64 KiB aligned, which every page size (4, 16, 64 KiB) divides. */
#define GUEST_RAM_GPA 0x10000
/* The guest needs a few bytes, but a memory slot must be a whole number of
 * host pages: 64 KiB is that for every page size. */
#define GUEST_RAM_MIN_SIZE 0x10000
/* How long KVM_RUN may take before the watchdog stops it. */
#define RUN_TIMEOUT_S 10

/* The guest, with the MMU off so that addresses are physical:
 *   movz x0, #0x0008             // x0 = PSCI SYSTEM_OFF function id ...
 *   movk x0, #0x8400, lsl #16    // ... 0x84000008
 *   hvc  #0                      // call the hypervisor (KVM's PSCI) */
static const uint32_t guest_code[] = {
	0xd2800000u | (PSCI_0_2_FN_SYSTEM_OFF & 0xffff) << 5,
	0xf2a00000u | (PSCI_0_2_FN_SYSTEM_OFF >> 16) << 5,
	0xd4000002u,
};

/* What the probe found, printed at the end and written as JSON. */
struct probe {
	char release[65];
	long page_size;
	int api_version;
	bool smccc_filter;
	const char *smccc_filter_errno;
	double vm_setup_ms, run_ms;
	unsigned exit_reason, event_type;
	const char *failure;
};

static void on_alarm(int sig)
{
	(void)sig; /* Its only job is to make KVM_RUN return EINTR. */
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Report a failed step: which call, errno, and what to check next. */
static int fail(struct probe *p, const char *what, const char *hint)
{
	printf("kvmprobe: FAIL: %s: %s\n", what, strerror(errno));
	if (hint)
		printf("kvmprobe:   %s\n", hint);
	p->failure = what;
	return -1;
}

static int set_pc(int vcpu, uint64_t pc)
{
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.pc),
		.addr = (uintptr_t)&pc,
	};

	return ioctl(vcpu, KVM_SET_ONE_REG, &reg);
}

static int probe_kvm(struct probe *p)
{
	struct kvm_device_attr smccc = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
	};
	struct kvm_userspace_memory_region slot;
	struct kvm_vcpu_init init;
	struct kvm_run *run;
	struct sigaction sa = { .sa_handler = on_alarm };
	size_t ram_size = GUEST_RAM_MIN_SIZE;
	double t0 = now_ms();
	int kvm, vm, vcpu, mmap_size, ret;
	void *ram;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail(p, "open /dev/kvm",
			    "no KVM here: the kernel needs CONFIG_KVM, and an emulated machine "
			    "needs EL2 (qemu-system-aarch64 -M virt,virtualization=on)");
	p->api_version = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (p->api_version < 0)
		return fail(p, "KVM_GET_API_VERSION", NULL);
	if (p->api_version != KVM_API_VERSION_EXPECTED) {
		printf("kvmprobe: FAIL: KVM_GET_API_VERSION says %d, expected %d\n",
		       p->api_version, KVM_API_VERSION_EXPECTED);
		p->failure = "unexpected KVM API version";
		return -1;
	}
	/* Type 0: the default guest physical address size (40 bits). */
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail(p, "KVM_CREATE_VM", NULL);

	/* Only asks whether the attribute exists; setting it is lesson 03's. */
	if (ioctl(vm, KVM_HAS_DEVICE_ATTR, &smccc) == 0) {
		p->smccc_filter = true;
	} else {
		p->smccc_filter = false;
		p->smccc_filter_errno = strerrorname_np(errno);
	}

	if ((size_t)p->page_size > ram_size)
		ram_size = p->page_size;
	ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		return fail(p, "mmap guest memory", NULL);
	/* Touch every byte (QEMU 7.2 under TCG can otherwise run an
	 * earlier VM's code from a reused host page: lesson 01, section 4,
	 * and common/vm.c), then load the guest. */
	memset(ram, 0, ram_size);
	memcpy(ram, guest_code, sizeof(guest_code));
	slot = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = GUEST_RAM_GPA,
		.memory_size = ram_size,
		.userspace_addr = (uintptr_t)ram,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		return fail(p, "KVM_SET_USER_MEMORY_REGION",
			    "size and addresses must be multiples of the host page size");

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail(p, "KVM_CREATE_VCPU", NULL);
	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < 0)
		return fail(p, "KVM_GET_VCPU_MMAP_SIZE", NULL);
	run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail(p, "mmap of the vCPU's kvm_run", NULL);
	/* The CPU type KVM suggests for this host, plus PSCI 0.2 so that the
	 * guest's hvc reaches KVM's PSCI implementation. */
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return fail(p, "KVM_ARM_PREFERRED_TARGET", NULL);
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return fail(p, "KVM_ARM_VCPU_INIT", NULL);
	if (set_pc(vcpu, GUEST_RAM_GPA) < 0)
		return fail(p, "KVM_SET_ONE_REG (pc)", NULL);
	p->vm_setup_ms = now_ms() - t0;

	/* A watchdog: a guest that never exits makes KVM_RUN return EINTR. */
	sigaction(SIGALRM, &sa, NULL);
	alarm(RUN_TIMEOUT_S);
	t0 = now_ms();
	ret = ioctl(vcpu, KVM_RUN, 0);
	p->run_ms = now_ms() - t0;
	alarm(0);
	if (ret < 0)
		return fail(p, "KVM_RUN", errno == EINTR ? "the guest did not stop in time" : NULL);
	p->exit_reason = run->exit_reason;
	if (run->exit_reason != KVM_EXIT_SYSTEM_EVENT) {
		printf("kvmprobe: FAIL: KVM_RUN: exit reason %u, expected %u "
		       "(KVM_EXIT_SYSTEM_EVENT)\n", run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
		p->failure = "unexpected exit reason";
		return -1;
	}
	p->event_type = run->system_event.type;
	if (run->system_event.type != KVM_SYSTEM_EVENT_SHUTDOWN) {
		printf("kvmprobe: FAIL: system event type %u, expected %u (SHUTDOWN)\n",
		       run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
		p->failure = "unexpected system event";
		return -1;
	}
	close(vcpu);
	close(vm);
	close(kvm);
	return 0;
}

static void write_json(const struct probe *p, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		printf("kvmprobe: cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	fprintf(f,
		"{\n  \"kernel\": \"%s\",\n  \"page_size\": %ld,\n  \"api_version\": %d,\n"
		"  \"smccc_filter\": %s,\n  \"vm_setup_ms\": %.2f,\n  \"run_ms\": %.2f,\n"
		"  \"exit_reason\": %u,\n  \"system_event_type\": %u,\n  \"ok\": %s\n}\n",
		p->release, p->page_size, p->api_version, p->smccc_filter ? "true" : "false",
		p->vm_setup_ms, p->run_ms, p->exit_reason, p->event_type,
		p->failure ? "false" : "true");
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *json = argc > 1 ? argv[1] : "/tmp/probe.json";
	struct probe p = { .page_size = sysconf(_SC_PAGESIZE) };
	struct utsname u;
	int ok;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uname(&u) == 0)
		snprintf(p.release, sizeof(p.release), "%s", u.release);
	printf("kvmprobe: kernel %s, page size %ld\n", p.release, p.page_size);
	ok = probe_kvm(&p) == 0;
	if (p.api_version)
		printf("kvmprobe: KVM API version %d\n", p.api_version);
	if (p.smccc_filter)
		printf("kvmprobe: SMCCC filter: yes (KVM_HAS_DEVICE_ATTR on the VM succeeds)\n");
	else if (p.smccc_filter_errno)
		printf("kvmprobe: SMCCC filter: no (KVM_HAS_DEVICE_ATTR: %s; needs Linux 6.4+)\n",
		       p.smccc_filter_errno);
	if (ok)
		printf("kvmprobe: PASS: PSCI SYSTEM_OFF gave KVM_EXIT_SYSTEM_EVENT type 1 "
		       "(VM setup %.1f ms, KVM_RUN %.1f ms)\n", p.vm_setup_ms, p.run_ms);
	write_json(&p, json);
	return ok ? 0 : 1;
}
