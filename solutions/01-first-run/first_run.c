/* SPDX-License-Identifier: MIT */
/*
 * first_run.c - lesson 01: from an empty process to a guest's first words.
 *
 * Each function is one step of lessons/01-first-run/README.md, in order.
 * The ioctls are documented in the kernel's Documentation/virt/kvm/api.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "first_run.h"

/* Section 2: open /dev/kvm and check the API version. */
int first_open_kvm(struct vm *vm)
{
	int version;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return kit_syscall_error("open(/dev/kvm)",
			"is KVM enabled, and are you in the kvm group? (ls -l /dev/kvm)");

	/* api.rst 4.1: anything but 12 means a KVM this code does not speak. */
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version < 0)
		return kit_syscall_error("KVM_GET_API_VERSION", NULL);
	if (version != KVM_API_VERSION)
		return kit_error(-EPROTO, "KVM_GET_API_VERSION returned %d, expected %d",
				 version, KVM_API_VERSION);
	return 0;
}

/* Section 3: create the VM, and learn two sizes we need later. */
int first_create_vm(struct vm *vm)
{
	long page = sysconf(_SC_PAGESIZE);

	if (page <= 0)
		return kit_syscall_error("sysconf(_SC_PAGESIZE)", NULL);
	vm->page_size = (size_t)page;

	/* The vCPU's shared area: struct kvm_run and the pages after it. */
	vm->vcpu_mmap_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->vcpu_mmap_size < 0)
		return kit_syscall_error("KVM_GET_VCPU_MMAP_SIZE", NULL);

	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return kit_syscall_error("KVM_CREATE_VM", NULL);
	return 0;
}

/* Section 4: guest RAM is ordinary memory of ours, lent to the guest. */
int first_add_memory(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region region;
	struct mem_slot *slot;
	uint64_t rounded;
	void *host;

	if (vm->nslots == KIT_MAX_SLOTS)
		return kit_error(-ENOSPC, "no free memory slot");
	if (size == 0 || size > UINT64_MAX - vm->page_size)
		return kit_error(-EINVAL, "bad memory size 0x%llx", (unsigned long long)size);

	/* Slots are whole host pages: 4 KiB here, 16 KiB on a Raspberry Pi 5. */
	rounded = (size + vm->page_size - 1) / vm->page_size * vm->page_size;

	host = mmap(NULL, rounded, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED)
		return kit_syscall_error("mmap(guest memory)", NULL);
	memset(host, 0, rounded); /* every byte written before the guest runs */

	memset(&region, 0, sizeof(region));
	region.slot = vm->nslots;
	region.guest_phys_addr = gpa;
	region.memory_size = rounded;
	region.userspace_addr = (uintptr_t)host;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		int err = kit_syscall_error("KVM_SET_USER_MEMORY_REGION",
			"guest 0x%llx, 0x%llx bytes: EINVAL = not page aligned, "
			"EEXIST = overlaps another slot",
			(unsigned long long)gpa, (unsigned long long)rounded);
		munmap(host, rounded);
		return err;
	}

	/* Record the slot, so guest_ptr() can find guest memory. */
	slot = &vm->slots[vm->nslots];
	slot->slot = region.slot;
	slot->flags = region.flags;
	slot->gpa = gpa;
	slot->size = rounded;
	slot->host = host;
	vm->nslots++;
	return (int)slot->slot;
}

/* Section 5: copy the image in, through the checked translation. */
int first_load_guest(struct vm *vm, uint64_t gpa, const void *image, size_t size)
{
	void *dst = guest_ptr(vm, gpa, size);

	if (!dst)
		return kit_error(-EFAULT, "the guest image (%zu bytes at 0x%llx) does not fit: %s",
				 size, (unsigned long long)gpa, kit_last_error());
	memcpy(dst, image, size);
	return 0;
}

/* Section 6: a vCPU, and the struct kvm_run it shares with us. */
int first_create_vcpu(struct vm *vm, struct vcpu *cpu)
{
	void *run;

	cpu->vm = vm;
	cpu->id = 0;
	cpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (cpu->fd < 0)
		return kit_syscall_error("KVM_CREATE_VCPU", NULL);

	/* Not sizeof(struct kvm_run): the area is bigger (the data of an
	 * `out` sits on the next page, at run->io.data_offset). */
	cpu->run_size = (size_t)vm->vcpu_mmap_size;
	run = mmap(NULL, cpu->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu->fd, 0);
	if (run == MAP_FAILED)
		return kit_syscall_error("mmap(vcpu fd)", NULL);
	cpu->run = run;
	return 0;
}

/* Section 8: the run loop. */
int first_run(struct vcpu *cpu, FILE *serial, unsigned timeout_ms)
{
	char exit_text[256];
	int ret;

	/* A guest that never exits must not hang us: see section 8.3. */
	ret = watchdog_arm(cpu->run, timeout_ms);
	if (ret < 0)
		return ret;

	for (;;) {
		if (ioctl(cpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && watchdog_fired()) {
				ret = kit_error(-ETIMEDOUT, "the guest did not halt within %u ms",
						timeout_ms);
				break;
			}
			if (errno == EINTR)
				continue; /* some other signal: just run again */
			ret = kit_syscall_error("KVM_RUN", NULL);
			break;
		}

		/* What the exit means is the architecture's business. */
		switch (first_classify_exit(cpu, serial)) {
		case FIRST_EXIT_OUTPUT:
			continue;
		case FIRST_EXIT_DONE:
			ret = 0;
			break;
		default:
			kvm_exit_describe(cpu->run, exit_text, sizeof(exit_text));
			ret = kit_error(-EPROTO, "unexpected exit %s", exit_text);
			break;
		}
		break;
	}
	watchdog_disarm();
	fflush(serial);
	/* A timeout too: where the guest was stuck is what one wants to see. */
	if (ret < 0)
		vcpu_diagnose(cpu, kit_last_error(), stderr);
	return ret;
}
