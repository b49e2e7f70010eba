/* SPDX-License-Identifier: MIT */
/*
 * vm.c - /dev/kvm, virtual machines, their memory slots, and vCPUs.
 * (Reading and writing guest memory is mem.c's, below this file and the
 * architecture back ends.)
 *
 * The order of calls follows api.rst: open /dev/kvm and check
 * KVM_GET_API_VERSION; KVM_CREATE_VM; KVM_SET_USER_MEMORY_REGION for each
 * memory slot; KVM_CREATE_VCPU; mmap the vCPU fd for its struct kvm_run
 * (KVM_GET_VCPU_MMAP_SIZE bytes); then KVM_RUN.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kit.h"
#include "arch/arch.h"

#define KVM_DEFAULT_DEVICE "/dev/kvm"

const char *kit_kvm_device_path(void)
{
	const char *path = getenv("KIT_KVM_DEVICE");

	return path && *path ? path : KVM_DEFAULT_DEVICE;
}

int kvm_open(void)
{
	const char *path = kit_kvm_device_path();
	int fd, version, err;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT || err == ENXIO || err == ENODEV)
			return kit_error(-err,
				"cannot open %s: %s. KVM is not available on this machine: "
				"check that the kvm module is loaded (lsmod | grep kvm), that "
				"virtualization (VT-x/AMD-V, or EL2 on arm64) is enabled in the "
				"firmware, and, inside a virtual machine, that nested "
				"virtualization is on",
				path, kit_errno_name(err));
		if (err == EACCES || err == EPERM)
			return kit_error(-err,
				"cannot open %s: %s (permission denied). Add your user to the "
				"group that owns it (ls -l %s; usually: sudo usermod -aG kvm "
				"$USER), then log out and in again, or run: newgrp kvm",
				path, kit_errno_name(err), path);
		errno = err;
		return kit_syscall_error("open(/dev/kvm)", NULL);
	}

	/* api.rst 4.1: "Applications should refuse to run if KVM_GET_API_VERSION
	 * returns a value other than 12." */
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version < 0) {
		err = kit_syscall_error("KVM_GET_API_VERSION",
					"is %s really the KVM device?", path);
		close(fd);
		return err;
	}
	if (version != KVM_API_VERSION) {
		close(fd);
		return kit_error(-EPROTO,
			"KVM_GET_API_VERSION returned %d; this kit speaks KVM API %d "
			"(the only stable version since Linux 2.6.22)",
			version, KVM_API_VERSION);
	}
	return fd;
}

int kvm_check_extension(int kvm_fd, long cap)
{
	int ret = ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

int vm_create(struct vm *vm)
{
	long page;
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = -1;
	vm->fd = -1;

	page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		return kit_syscall_error("sysconf(_SC_PAGESIZE)", NULL);
	vm->page_size = (size_t)page;

	ret = kvm_open();
	if (ret < 0)
		return ret;
	vm->kvm_fd = ret;

	vm->vcpu_mmap_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->vcpu_mmap_size < 0) {
		ret = kit_syscall_error("KVM_GET_VCPU_MMAP_SIZE", NULL);
		vm_destroy(vm);
		return ret;
	}
	if (vm->vcpu_mmap_size < (int)sizeof(struct kvm_run)) {
		ret = kit_error(-EPROTO, "KVM_GET_VCPU_MMAP_SIZE returned %d, less than "
				"sizeof(struct kvm_run) (%zu): kernel and headers disagree",
				vm->vcpu_mmap_size, sizeof(struct kvm_run));
		vm_destroy(vm);
		return ret;
	}

	/* Machine type 0: the default (on arm64, a 40-bit IPA space). */
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		ret = kit_syscall_error("KVM_CREATE_VM",
			"EBUSY: another hypervisor (VirtualBox, VMware) holds the "
			"CPU's virtualization; close it. ENOMEM: free memory. EINVAL: "
			"this kernel does not accept the default machine type");
		vm_destroy(vm);
		return ret;
	}
	return 0;
}

static uint64_t round_up(uint64_t value, uint64_t align)
{
	return (value + align - 1) / align * align;
}

/* Do [a, a + alen) and [b, b + blen) share a byte? Sizes are non-zero. */
static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int vm_add_memory(struct vm *vm, uint64_t gpa, uint64_t size, uint32_t flags)
{
	struct kvm_userspace_memory_region region;
	struct mem_slot *slot;
	uint64_t rounded;
	unsigned i;
	void *host;

	if (vm->nslots == KIT_MAX_SLOTS)
		return kit_error(-ENOSPC, "vm_add_memory: all %d memory slots of the kit are in use",
				 KIT_MAX_SLOTS);
	if (size == 0)
		return kit_error(-EINVAL, "vm_add_memory: a memory slot of 0 bytes is meaningless");
	if (gpa % vm->page_size)
		return kit_error(-EINVAL,
			"vm_add_memory: guest address 0x%llx is not a multiple of the host "
			"page size (%zu bytes); KVM_SET_USER_MEMORY_REGION would fail with EINVAL",
			(unsigned long long)gpa, vm->page_size);
	if (size > UINT64_MAX - vm->page_size || gpa > UINT64_MAX - size)
		return kit_error(-EOVERFLOW, "vm_add_memory: 0x%llx + 0x%llx overflows",
				 (unsigned long long)gpa, (unsigned long long)size);
	rounded = round_up(size, vm->page_size);
	if (rounded > SIZE_MAX)
		return kit_error(-ENOMEM, "vm_add_memory: 0x%llx bytes do not fit in this process",
				 (unsigned long long)size);

	for (i = 0; i < vm->nslots; i++) {
		slot = &vm->slots[i];
		if (ranges_overlap(gpa, rounded, slot->gpa, slot->size))
			return kit_error(-EEXIST,
				"vm_add_memory: [0x%llx, 0x%llx) overlaps memory slot %u at "
				"[0x%llx, 0x%llx); KVM refuses overlapping slots (EEXIST)",
				(unsigned long long)gpa, (unsigned long long)(gpa + rounded),
				slot->slot, (unsigned long long)slot->gpa,
				(unsigned long long)(slot->gpa + slot->size));
	}

	host = mmap(NULL, (size_t)rounded, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED)
		return kit_syscall_error("mmap(guest memory)", NULL);
	/*
	 * Write every byte before KVM sees the memory. This commits the pages
	 * now rather than on the guest's first touch, and it works around a
	 * QEMU 7.2 TCG bug seen when the kit runs arm64 KVM under emulation:
	 * a new VM could execute a destroyed VM's stale code from reused pages.
	 */
	memset(host, 0, (size_t)rounded);

	slot = &vm->slots[vm->nslots];
	memset(&region, 0, sizeof(region));
	region.slot = vm->nslots;
	region.flags = flags;
	region.guest_phys_addr = gpa;
	region.memory_size = rounded;
	region.userspace_addr = (uintptr_t)host;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		int ret = kit_syscall_error("KVM_SET_USER_MEMORY_REGION",
			"slot %u, guest 0x%llx, 0x%llx bytes, flags 0x%x: EINVAL means an "
			"unaligned address or size, EEXIST an overlap with another slot",
			region.slot, (unsigned long long)gpa,
			(unsigned long long)rounded, flags);
		munmap(host, (size_t)rounded);
		return ret;
	}

	slot->slot = region.slot;
	slot->flags = flags;
	slot->gpa = gpa;
	slot->size = rounded;
	slot->host = host;
	vm->nslots++;
	return (int)slot->slot;
}

void vm_destroy(struct vm *vm)
{
	unsigned i;

	if (vm->fd >= 0)
		close(vm->fd);
	for (i = 0; i < vm->nslots; i++) {
		/* Scrub before unmapping: see the QEMU note in vm_add_memory(). */
		memset(vm->slots[i].host, 0, (size_t)vm->slots[i].size);
		munmap(vm->slots[i].host, (size_t)vm->slots[i].size);
	}
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->nslots = 0;
	vm->fd = -1;
	vm->kvm_fd = -1;
}

int vcpu_create(struct vm *vm, struct vcpu *cpu, int id)
{
	void *run;
	int ret;

	memset(cpu, 0, sizeof(*cpu));
	cpu->vm = vm;
	cpu->id = id;
	cpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (cpu->fd < 0)
		return kit_syscall_error("KVM_CREATE_VCPU",
			"vCPU id %d; EEXIST means that id is taken, EINVAL that it is "
			"above KVM_CAP_MAX_VCPU_ID", id);

	/*
	 * The shared area is more than struct kvm_run: on x86 the data of an
	 * `out` lives on the next page (run->io.data_offset) and the coalesced
	 * MMIO ring after that. Map exactly what KVM_GET_VCPU_MMAP_SIZE says.
	 */
	cpu->run_size = (size_t)vm->vcpu_mmap_size;
	run = mmap(NULL, cpu->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu->fd, 0);
	if (run == MAP_FAILED) {
		ret = kit_syscall_error("mmap(vCPU fd)", "mapping struct kvm_run");
		close(cpu->fd);
		cpu->fd = -1;
		return ret;
	}
	cpu->run = run;

	ret = arch_vcpu_init(cpu);
	if (ret < 0) {
		vcpu_destroy(cpu);
		return ret;
	}
	return 0;
}

void vcpu_destroy(struct vcpu *cpu)
{
	if (cpu->run)
		munmap(cpu->run, cpu->run_size);
	if (cpu->fd >= 0)
		close(cpu->fd);
	cpu->run = NULL;
	cpu->fd = -1;
}

int vcpu_run(struct vcpu *cpu)
{
	int err;

	/* Never run a guest without a deadline: the caller owns it. */
	if (!watchdog_armed())
		return kit_error(-EINVAL,
			"vcpu_run: no watchdog is armed; call watchdog_arm(cpu->run, ms) "
			"first, so that a guest that never exits cannot hang this program");

	for (;;) {
		if (ioctl(cpu->fd, KVM_RUN, 0) == 0)
			return 0;
		err = errno; /* explaining may make calls of its own */
		if (err != EINTR)
			return kit_errno_error(err, "KVM_RUN", "%s",
					       arch_explain_run_error(cpu, err));
		if (watchdog_fired())
			return kit_error(-ETIMEDOUT,
				"the guest did not exit before the watchdog fired: KVM_RUN was "
				"interrupted (EINTR). The guest may be in an endless loop, "
				"waiting after HLT for an interrupt that never comes, or (on "
				"some machines) stuck in a vmcall/vmmcall");
		/* Another signal: KVM_RUN is safe to repeat. */
	}
}
