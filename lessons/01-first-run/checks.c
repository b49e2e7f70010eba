/* SPDX-License-Identifier: MIT */
/*
 * checks.c - lesson 01's graded checks (given; read them, do not change them).
 *
 * Each test calls your functions from first_run.c and arch_<arch>.c and
 * looks at what they did with its own eyes: the ioctls they made, the
 * memory they registered, the registers KVM holds, and what a real guest
 * printed. Some tests inject faults (common/grade/inject.c) to see that
 * your code handles errors this machine would never produce by itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "first_run.h"
#include "grade/grade.h"
#include "guest_image.h"
#include "layout.h"
#include "checks_arch.h"

GUEST_IMAGE_DECLARE(hello);
GUEST_IMAGE_DECLARE(halt_twice);
GUEST_IMAGE_DECLARE(mmio_write);
GUEST_IMAGE_DECLARE(other_port);
GUEST_IMAGE_DECLARE(spin);


/* Steps 2 and 3, which every other test needs. */
void open_and_create(struct vm *vm)
{
	int ret = first_open_kvm(vm);

	/* 0 on success, as every function of the kit: not any value >= 0. */
	ASSERT(ret == 0, "first_open_kvm() returned %d: %s", ret, kit_last_error());
	ret = first_create_vm(vm);
	ASSERT(ret == 0, "first_create_vm() returned %d: %s", ret, kit_last_error());
}

/* Steps 2 to 7 with `image`: a VM ready to run. */
void build_vm(struct vm *vm, struct vcpu *cpu, const struct guest_image *image)
{
	int ret;

	open_and_create(vm);
	ret = first_add_memory(vm, GUEST_RAM_GPA, GUEST_RAM_SIZE);
	ASSERT(ret >= 0, "first_add_memory() returned %d: %s", ret, kit_last_error());
	ret = first_load_guest(vm, GUEST_LOAD_GPA, image->bytes, image->size);
	ASSERT(ret == 0, "first_load_guest() returned %d: %s", ret, kit_last_error());
	ret = first_create_vcpu(vm, cpu);
	ASSERT(ret == 0, "first_create_vcpu() returned %d: %s", ret, kit_last_error());
	ret = first_set_registers(cpu, GUEST_LOAD_GPA);
	ASSERT(ret == 0, "first_set_registers() returned %d: %s", ret, kit_last_error());
}

/* Build a VM with `image`, run it with first_run(), capture its output. */
struct run_outcome run_guest_with(const struct guest_image *image, unsigned timeout_ms,
				  void (*fake_first_exit)(struct kvm_run *run))
{
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	struct run_outcome out = { 0 };
	FILE *serial;

	build_vm(&vm, &cpu, image);
	serial = open_memstream(&out.output, &out.output_len);
	ASSERT(serial != NULL, "open_memstream failed");
	if (fake_first_exit)
		inject_fake_exit(cpu.run, fake_first_exit);
	/* stderr goes to a file for the run, to see whether a diagnosis was
	 * printed; then it is copied to the real stderr, for the report. */
	fflush(stderr);
	FILE *err = tmpfile();
	int saved = dup(STDERR_FILENO);
	ASSERT(err && saved >= 0, "cannot capture stderr");
	dup2(fileno(err), STDERR_FILENO);
	out.ret = first_run(&cpu, serial, timeout_ms);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	{
		char line[512];

		rewind(err);
		while (fgets(line, sizeof(line), err)) {
			out.diagnosed |= strstr(line, "=== guest diagnosis") != NULL;
			fputs(line, stderr);
		}
		fclose(err);
	}
	/* open_memstream's length is what was flushed so far. */
	out.flushed_len = out.output_len;
	fclose(serial);
	out.exit_reason = cpu.run->exit_reason;
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	printf("first_run(%s%s) returned %d%s%s\n", image->name,
	       fake_first_exit ? ", after a made-up exit" : "", out.ret,
	       out.ret < 0 ? ": " : "", out.ret < 0 ? kit_last_error() : "");
	return out;
}

struct run_outcome run_image(const struct guest_image *image, unsigned timeout_ms)
{
	struct run_outcome out = run_guest_with(image, timeout_ms, NULL);

	EXPECT(!watchdog_armed(), "first_run() returned with the watchdog still armed: call "
	       "watchdog_disarm() before returning, or it fires later, in the caller");
	return out;
}

/* ---- 2. Open /dev/kvm ------------------------------------------------ */

static void test_api_version_checked(void)
{
	struct vm vm = VM_EMPTY;
	int ret;

	ret = first_open_kvm(&vm);
	ASSERT(ret >= 0, "first_open_kvm() returned %d: %s", ret, kit_last_error());
	EXPECT(vm.kvm_fd >= 0, "vm->kvm_fd should hold the open /dev/kvm, got %d", vm.kvm_fd);
	if (vm.kvm_fd >= 0) {
		EXPECT((fcntl(vm.kvm_fd, F_GETFL) & O_ACCMODE) == O_RDWR,
		       "/dev/kvm must be opened O_RDWR (KVM's ioctls change state)");
		EXPECT(fcntl(vm.kvm_fd, F_GETFD) & FD_CLOEXEC,
		       "/dev/kvm must be opened O_CLOEXEC (a program this one starts must not "
		       "inherit the VM)");
	}
	ASSERT(inject_ioctl_calls(KVM_GET_API_VERSION) >= 1,
	       "first_open_kvm() never called KVM_GET_API_VERSION");
	vm_destroy(&vm);

	/* Now a kernel that answers 11: the code must refuse to go on. */
	vm = (struct vm)VM_EMPTY;
	inject_ioctl_value(KVM_GET_API_VERSION, 11, 1);
	ret = first_open_kvm(&vm);
	EXPECT(ret < 0, "with KVM_GET_API_VERSION answering 11, first_open_kvm() should "
	       "fail, but it returned %d", ret);
	if (ret < 0)
		EXPECT_CONTAINS("the error message", kit_last_error(), "KVM_GET_API_VERSION");
	vm_destroy(&vm);
}

/* ---- 3. Create the VM ------------------------------------------------ */

static void test_vm_created(void)
{
	struct vm vm = VM_EMPTY;
	int size;

	open_and_create(&vm);
	EXPECT(vm.fd >= 0, "vm->fd should hold the VM from KVM_CREATE_VM, got %d", vm.fd);
	EXPECT_EQ_U64("vm->page_size", vm.page_size, (uint64_t)sysconf(_SC_PAGESIZE));
	size = ioctl(vm.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	EXPECT_EQ_INT("vm->vcpu_mmap_size (KVM_GET_VCPU_MMAP_SIZE)", vm.vcpu_mmap_size, size);
	EXPECT(inject_ioctl_calls(KVM_CREATE_VM) == 1,
	       "KVM_CREATE_VM should be called once, was called %u times",
	       inject_ioctl_calls(KVM_CREATE_VM));
	vm_destroy(&vm);
}

/* ---- 4. Give the guest memory ---------------------------------------- */

/* Are all pages of [addr, addr + len) in memory? */
static bool all_resident(const void *addr, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = (len + page - 1) / page, i;
	unsigned char *vec = calloc(n, 1);
	bool all = vec && mincore((void *)addr, len, vec) == 0;

	for (i = 0; all && i < n; i++)
		all = vec[i] & 1;
	free(vec);
	return all;
}

/* How many mappings this process has (a refused slot must leave none). */
static unsigned count_mappings(void)
{
	unsigned n = 0;
	int c;
	FILE *maps = fopen("/proc/self/maps", "r");

	if (!maps)
		return 0;
	while ((c = fgetc(maps)) != EOF)
		n += c == '\n';
	fclose(maps);
	return n;
}

static void test_memory_slot_registered(void)
{
	struct kvm_userspace_memory_region region;
	struct vm vm = VM_EMPTY;
	int ret;

	open_and_create(&vm);
	ret = first_add_memory(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE);
	ASSERT(ret >= 0, "first_add_memory() returned %d: %s", ret, kit_last_error());
	EXPECT_EQ_INT("first_add_memory() for the first slot (its slot number)", ret, 0);
	ASSERT_EQ_U64("vm->nslots after one first_add_memory()", vm.nslots, 1);
	ASSERT(inject_last_memory_region(&region),
	       "no successful KVM_SET_USER_MEMORY_REGION was made");
	EXPECT_EQ_U64("the slot's guest_phys_addr", region.guest_phys_addr, GUEST_RAM_GPA);
	EXPECT_EQ_U64("the slot's memory_size", region.memory_size, GUEST_RAM_SIZE);
	EXPECT_EQ_U64("vm->slots[0].gpa", vm.slots[0].gpa, GUEST_RAM_GPA);
	EXPECT_EQ_U64("vm->slots[0].size", vm.slots[0].size, GUEST_RAM_SIZE);
	EXPECT_EQ_U64("userspace_addr given to KVM == vm->slots[0].host",
		      region.userspace_addr, (uintptr_t)vm.slots[0].host);
	EXPECT_EQ_U64("the slot's flags (guest RAM is writable: no KVM_MEM_READONLY)",
		      region.flags, 0);
	EXPECT_EQ_U64("the slot number given to KVM (vm->nslots, 0 for the first)",
		      region.slot, 0);
	EXPECT_EQ_U64("vm->slots[0].slot", vm.slots[0].slot, 0);
	EXPECT_EQ_U64("vm->slots[0].flags", vm.slots[0].flags, 0);
	ASSERT(vm.slots[0].host != NULL, "vm->slots[0].host is NULL");
	/* Fresh anonymous memory reads as zero anyway; what writing every byte
	 * does that can be seen is that every page is now there (mincore). */
	EXPECT(all_resident(vm.slots[0].host, GUEST_RAM_SIZE),
	       "not every page of guest RAM is present: write every byte (memset) before "
	       "the guest runs");
	vm_destroy(&vm);
}

/* Sizes at the edges, and the limits: a size of one byte past a page is
 * two pages; 0 bytes, more slots than the kit has, and a size no process
 * can map are refused, each cleanly. */
static void test_memory_slot_edges(void)
{
	struct kvm_userspace_memory_region region;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct vm vm = VM_EMPTY;
	unsigned i, before;
	int ret;

	open_and_create(&vm);
	ret = first_add_memory(&vm, 0, page + 1);
	ASSERT(ret == 0, "first_add_memory(0, one page + 1 byte) returned %d: %s", ret,
	       kit_last_error());
	ASSERT(inject_last_memory_region(&region), "no KVM_SET_USER_MEMORY_REGION was made");
	EXPECT_EQ_U64("memory_size for one page + 1 byte (rounded up: two pages)",
		      region.memory_size, 2 * page);
	EXPECT_EQ_INT("first_add_memory() of 0 bytes", first_add_memory(&vm, 16 * page, 0),
		      -EINVAL);
	EXPECT(first_add_memory(&vm, 20 * page, UINT64_MAX) < 0,
	       "first_add_memory() of 2^64 - 1 bytes (rounding it up overflows) should fail");
	before = count_mappings();
	ret = first_add_memory(&vm, 32 * page, 1ULL << 62);
	EXPECT(ret < 0, "a slot of 2^62 bytes cannot be mapped: first_add_memory() should "
	       "fail, it returned %d", ret);
	EXPECT_EQ_U64("mappings left after the refused 2^62-byte slot", count_mappings(), before);
	EXPECT_EQ_U64("vm->nslots after the refused slots", vm.nslots, 1);
	for (i = 1; i < KIT_MAX_SLOTS; i++) {
		/* A 1-byte slot is one page. */
		ret = first_add_memory(&vm, (64 + 2 * i) * page, i == 1 ? 1 : page);
		ASSERT(ret == (int)i, "slot %u: first_add_memory() returned %d: %s", i, ret,
		       kit_last_error());
		EXPECT_EQ_U64("vm->slots[i].gpa", vm.slots[i].gpa, (64 + 2 * i) * page);
		EXPECT_EQ_U64("vm->slots[i].size", vm.slots[i].size, page);
		EXPECT_EQ_U64("vm->slots[i].slot", vm.slots[i].slot, i);
	}
	EXPECT_EQ_INT("first_add_memory() with all KIT_MAX_SLOTS slots in use",
		      first_add_memory(&vm, 256 * page, page), -ENOSPC);
	vm_destroy(&vm);
}

/* Every system call and ioctl of steps 2 to 6 can fail: the failure is
 * passed on as the call's own errno, with its name, and a refused memory
 * slot leaves nothing behind. (The injector makes each fail once.) */
static void test_errors_reported(void)
{
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	unsigned before;
	int ret;

	inject_open_error(EACCES, 1);
	ret = first_open_kvm(&vm);
	EXPECT_EQ_INT("first_open_kvm() when open() fails with EACCES", ret, -EACCES);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "open");
	vm_destroy(&vm);

	vm = (struct vm)VM_EMPTY;
	inject_ioctl_error(KVM_GET_API_VERSION, EBADF, 1);
	ret = first_open_kvm(&vm);
	EXPECT_EQ_INT("first_open_kvm() when KVM_GET_API_VERSION fails with EBADF", ret, -EBADF);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_GET_API_VERSION");
	vm_destroy(&vm);

	vm = (struct vm)VM_EMPTY;
	inject_ioctl_value(KVM_GET_API_VERSION, 0, 1);
	EXPECT_EQ_INT("first_open_kvm() when KVM_GET_API_VERSION answers 0 (not 12)",
		      first_open_kvm(&vm), -EPROTO);
	vm_destroy(&vm);

	vm = (struct vm)VM_EMPTY;
	ASSERT(first_open_kvm(&vm) == 0, "first_open_kvm(): %s", kit_last_error());
	inject_page_size(-1);
	ret = first_create_vm(&vm);
	inject_page_size(0);
	EXPECT(ret < 0, "first_create_vm() when sysconf(_SC_PAGESIZE) fails should fail, "
	       "it returned %d", ret);
	inject_ioctl_error(KVM_GET_VCPU_MMAP_SIZE, ENOMEM, 1);
	ret = first_create_vm(&vm);
	EXPECT_EQ_INT("first_create_vm() when KVM_GET_VCPU_MMAP_SIZE fails with ENOMEM", ret,
		      -ENOMEM);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_GET_VCPU_MMAP_SIZE");
	inject_ioctl_error(KVM_CREATE_VM, EMFILE, 1);
	ret = first_create_vm(&vm);
	EXPECT_EQ_INT("first_create_vm() when KVM_CREATE_VM fails with EMFILE", ret, -EMFILE);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_CREATE_VM");
	ASSERT(first_create_vm(&vm) == 0, "first_create_vm(): %s", kit_last_error());

	before = count_mappings();
	inject_ioctl_error(KVM_SET_USER_MEMORY_REGION, ENOMEM, 1);
	ret = first_add_memory(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE);
	EXPECT_EQ_INT("first_add_memory() when KVM_SET_USER_MEMORY_REGION fails with ENOMEM",
		      ret, -ENOMEM);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_SET_USER_MEMORY_REGION");
	EXPECT_EQ_U64("vm->nslots after the refused slot", vm.nslots, 0);
	EXPECT_EQ_U64("mappings left after the refused slot (munmap it)", count_mappings(),
		      before);

	inject_ioctl_error(KVM_CREATE_VCPU, EEXIST, 1);
	ret = first_create_vcpu(&vm, &cpu);
	EXPECT_EQ_INT("first_create_vcpu() when KVM_CREATE_VCPU fails with EEXIST", ret, -EEXIST);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_CREATE_VCPU");
	vcpu_destroy(&cpu);

	/* mmap of the vCPU fd fails for a size no process can map: -4096 as
	 * the size_t it becomes (KVM itself never answers that, of course). */
	cpu = (struct vcpu)VCPU_EMPTY;
	vm.vcpu_mmap_size = -4096;
	ret = first_create_vcpu(&vm, &cpu);
	EXPECT(ret < 0, "first_create_vcpu() when mmap() of the vCPU fd fails should fail, "
	       "it returned %d", ret);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "mmap");
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

static void test_memory_follows_page_size(void)
{
	struct kvm_userspace_memory_region region;
	struct vm vm = VM_EMPTY;
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	/* Pretend to be a Raspberry Pi 5: 16 KiB pages (unless this host's
	 * pages are larger already). */
	if (page < 16384) {
		page = 16384;
		inject_page_size(page);
	}
	open_and_create(&vm);
	ret = first_add_memory(&vm, 0, 0x1000);
	ASSERT(ret >= 0, "first_add_memory(0, 0x1000) with %ld-byte pages returned %d: %s",
	       page, ret, kit_last_error());
	ASSERT(inject_last_memory_region(&region), "no KVM_SET_USER_MEMORY_REGION was made");
	EXPECT_EQ_U64("memory_size for 0x1000 bytes with 16 KiB pages (one whole page)",
		      region.memory_size, (uint64_t)page);
	EXPECT_EQ_U64("vm->slots[0].size", vm.slots[0].size, (uint64_t)page);
	vm_destroy(&vm);
}

/* Does the message name the cause, in any of these words (or the ioctl)?
 * The list ends with NULL. Any wording that names it will do. */
static bool names_the_problem(const char *msg, ...)
{
	const char *word;
	bool named = strstr(msg, "KVM_SET_USER_MEMORY_REGION") != NULL;
	va_list ap;

	va_start(ap, msg);
	while (!named && (word = va_arg(ap, const char *)))
		named = strcasestr(msg, word) != NULL;
	va_end(ap);
	return named;
}

static void test_unaligned_slot_refused(void)
{
	struct vm vm = VM_EMPTY;
	int ret;

	open_and_create(&vm);
	ret = first_add_memory(&vm, 0x800, 0x1000);
	EXPECT_EQ_INT("first_add_memory() at guest address 0x800 (not page aligned)", ret,
		      -EINVAL);
	EXPECT_EQ_U64("vm->nslots after a refused slot", vm.nslots, 0);
	if (ret < 0)
		EXPECT(names_the_problem(kit_last_error(), "align", "EINVAL", "page",
					 "multiple", (const char *)NULL),
		       "the message should name KVM_SET_USER_MEMORY_REGION or the "
		       "alignment (the page size), got \"%s\"", kit_last_error());
	vm_destroy(&vm);
}

static void test_overlapping_slot_refused(void)
{
	struct vm vm = VM_EMPTY;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	int ret;

	/* [0, 4 pages), then [2 pages, 6 pages): aligned, but overlapping. */
	open_and_create(&vm);
	ret = first_add_memory(&vm, 0, 4 * page);
	ASSERT(ret >= 0, "first_add_memory(0, 4 pages) returned %d: %s", ret, kit_last_error());
	ret = first_add_memory(&vm, 2 * page, 4 * page);
	EXPECT_EQ_INT("first_add_memory() of 4 pages at page 2, over a slot of pages 0-3", ret,
		      -EEXIST);
	EXPECT_EQ_U64("vm->nslots after a refused slot", vm.nslots, 1);
	if (ret < 0)
		EXPECT(names_the_problem(kit_last_error(), "overlap", "EEXIST", "exists",
					 (const char *)NULL),
		       "the message should name KVM_SET_USER_MEMORY_REGION or the "
		       "overlap, got \"%s\"", kit_last_error());
	vm_destroy(&vm);
}

/* ---- 5. Load the guest ----------------------------------------------- */

static void test_image_loaded(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	struct vm vm = VM_EMPTY;
	const uint8_t *at;
	int ret;

	open_and_create(&vm);
	ret = first_add_memory(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE);
	ASSERT(ret >= 0, "first_add_memory() returned %d: %s", ret, kit_last_error());
	ret = first_load_guest(&vm, GUEST_LOAD_GPA, image.bytes, image.size);
	ASSERT(ret >= 0, "first_load_guest() returned %d: %s", ret, kit_last_error());
	at = guest_ptr(&vm, GUEST_LOAD_GPA, image.size);
	ASSERT(at != NULL, "guest_ptr: %s", kit_last_error());
	EXPECT_BYTES("guest memory at the load address", at, image.size, image.bytes,
		     image.size);
	vm_destroy(&vm);
}

static void test_oversized_image_refused(void)
{
	static uint8_t big[0x2000];
	struct vm vm = VM_EMPTY;
	const uint8_t *tail;
	uint64_t near_end = GUEST_RAM_GPA + GUEST_RAM_SIZE - 0x1000;
	size_t i;
	int ret;

	memset(big, 0xab, sizeof(big));
	open_and_create(&vm);
	ret = first_add_memory(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE);
	ASSERT(ret >= 0, "first_add_memory() returned %d: %s", ret, kit_last_error());

	/* 0x2000 bytes where only 0x1000 are left. */
	ret = first_load_guest(&vm, near_end, big, sizeof(big));
	EXPECT(ret < 0, "loading 0x2000 bytes at 0x%llx, 0x1000 bytes before the end of "
	       "guest RAM, should fail; it returned %d", (unsigned long long)near_end, ret);
	tail = guest_ptr(&vm, near_end, 0x1000);
	ASSERT(tail != NULL, "guest_ptr: %s", kit_last_error());
	for (i = 0; i < 0x1000; i++)
		if (tail[i] != 0)
			FAIL("a refused image must leave guest memory untouched; byte 0x%llx "
			     "is 0x%02x", (unsigned long long)(near_end + i), tail[i]);

	/* A size so large that gpa + size wraps around. */
	ret = first_load_guest(&vm, GUEST_LOAD_GPA, big, SIZE_MAX - 0x10);
	EXPECT(ret < 0, "loading SIZE_MAX - 0x10 bytes should fail; it returned %d", ret);
	vm_destroy(&vm);
}

/* ---- 6. Create the vCPU ---------------------------------------------- */

/* Is the mapping that holds `addr` shared? /proc/self/maps says, in the
 * fourth letter of its permissions: "rw-s" shared, "rw-p" private. */
static bool mapping_is_shared(const void *addr)
{
	unsigned long start, end, at = (unsigned long)addr;
	char perms[5], line[512];
	bool shared = false;
	FILE *maps = fopen("/proc/self/maps", "r");

	if (!maps)
		return false;
	while (fgets(line, sizeof(line), maps))
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 &&
		    at >= start && at < end) {
			shared = perms[3] == 's';
			break;
		}
	fclose(maps);
	return shared;
}

static void test_kvm_run_mapped(void)
{
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	int ret, size;

	open_and_create(&vm);
	cpu.id = 7; /* to be set, not found */
	ret = first_create_vcpu(&vm, &cpu);
	ASSERT(ret >= 0, "first_create_vcpu() returned %d: %s", ret, kit_last_error());
	EXPECT(cpu.fd >= 0, "cpu->fd should hold the vCPU, got %d", cpu.fd);
	ASSERT(cpu.run != NULL && cpu.run != MAP_FAILED, "cpu->run is not mapped");
	size = ioctl(vm.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	EXPECT_EQ_U64("cpu->run_size (must be KVM_GET_VCPU_MMAP_SIZE, not sizeof(struct kvm_run))",
		      cpu.run_size, (uint64_t)size);
	/* msync fails with ENOMEM if any page of the range is not mapped. */
	EXPECT(msync(cpu.run, (size_t)size, MS_ASYNC) == 0,
	       "the %d bytes at cpu->run are not all mapped (msync: %s): map "
	       "KVM_GET_VCPU_MMAP_SIZE bytes of the vCPU fd", size, strerror(errno));
	EXPECT_EQ_U64("cpu->id (the first vCPU is number 0)", (uint64_t)cpu.id, 0);
	EXPECT_EQ_U64("the vCPU id given to KVM_CREATE_VCPU", inject_last_ioctl_arg(KVM_CREATE_VCPU),
		      0);
	EXPECT(mapping_is_shared(cpu.run),
	       "cpu->run must be a MAP_SHARED mapping of the vCPU fd: a MAP_PRIVATE one is "
	       "a copy that never sees what KVM writes (every exit then reads as 0)");
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* ---- 8. The run loop ------------------------------------------------- */

static void test_output_arrives_exactly(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	static const char expected[] = GUEST_HELLO_TEXT;
	struct run_outcome out = run_image(&image, RUN_TIMEOUT_MS);

	EXPECT_EQ_INT("first_run() with the hello guest", out.ret, 0);
	EXPECT_BYTES("the guest's serial output", out.output, out.output_len, expected,
		     sizeof(expected) - 1);
	EXPECT_EQ_U64("bytes of output flushed when first_run() returned (fflush(serial) "
		      "before returning: the caller may print next)", out.flushed_len,
		      out.output_len);
	EXPECT(!out.diagnosed, "a run that worked should print no diagnosis");
	free(out.output);
}

static void test_run_ends_at_halt(void)
{
	struct guest_image image = GUEST_IMAGE(halt_twice);
	struct run_outcome out = run_image(&image, RUN_TIMEOUT_MS);

	EXPECT_EQ_INT("first_run() with a guest that prints \"before\\n\" and halts",
		      out.ret, 0);
	EXPECT_BYTES("output up to the first halt (nothing after it)", out.output,
		     out.output_len, "before\n", 7);
	EXPECT(out.exit_reason == arch_halt_exit_reason(),
	       "the last exit should be %s, was %s", kvm_exit_name(arch_halt_exit_reason()),
	       kvm_exit_name(out.exit_reason));
	free(out.output);
}

void expect_unexpected_exit(const char *guest, struct run_outcome *out,
			    const char *exit_name)
{
	EXPECT(out->ret < 0 && out->ret != -ETIMEDOUT,
	       "first_run() with the %s guest should fail (a negative errno other than "
	       "-ETIMEDOUT), but returned %d", guest, out->ret);
	if (out->ret < 0)
		EXPECT_CONTAINS("the message for an unexpected exit", kit_last_error(),
				exit_name);
}

static void test_unexpected_exit_named(void)
{
	struct guest_image mmio = GUEST_IMAGE(mmio_write);
	struct guest_image fault = arch_fault_guest();
	struct run_outcome out;

	out = run_image(&mmio, RUN_TIMEOUT_MS);
	expect_unexpected_exit("mmio_write", &out, "KVM_EXIT_MMIO");
	EXPECT(out.diagnosed, "after an unexpected exit, first_run() should print "
	       "vcpu_diagnose(cpu, kit_last_error(), stderr) (section 8.4)");
	EXPECT_BYTES("what mmio_write printed before its store", out.output,
		     out.output_len, "mmio\n", 5);
	free(out.output);

	out = run_image(&fault, RUN_TIMEOUT_MS);
	expect_unexpected_exit(fault.name, &out, arch_fault_exit_name());
	free(out.output);
}

static void test_other_port_refused(void)
{
	struct guest_image image = GUEST_IMAGE(other_port);
	struct run_outcome out = run_image(&image, RUN_TIMEOUT_MS);

	expect_unexpected_exit("other_port", &out, arch_other_output_exit_name());
	EXPECT_BYTES("serial output (a write elsewhere is not serial output)", out.output,
		     out.output_len, "", 0);
	free(out.output);
}

static void test_watchdog_stops_guest(void)
{
	struct guest_image image = GUEST_IMAGE(spin);
	struct run_outcome out;
	struct kvm_run *armed_run = NULL;
	unsigned armed_ms = 0;

	out = run_image(&image, 300);
	EXPECT_EQ_INT("first_run() with a guest in an endless loop, 300 ms limit", out.ret,
		      -ETIMEDOUT);
	EXPECT(inject_watchdog_arms(&armed_run, &armed_ms) >= 1,
	       "first_run() never called watchdog_arm()");
	EXPECT_EQ_U64("the timeout given to watchdog_arm() (first_run's timeout_ms)",
		      armed_ms, 300);
	EXPECT(armed_run != NULL, "watchdog_arm() was given no kvm_run: then it cannot set "
	       "immediate_exit, and a signal just before KVM_RUN is lost");
	EXPECT(!watchdog_armed(), "after the timeout, the watchdog is still armed: "
	       "watchdog_disarm() on every way out");
	EXPECT(out.diagnosed, "a timeout should end with vcpu_diagnose() too (section 8.4): "
	       "where the guest was stuck is what one wants to see");
	free(out.output);
}

/* One deadline for the whole run: armed once, not at every KVM_RUN (which
 * would let a guest that exits now and then run for ever), and disarmed
 * when the run ends. */
static void test_watchdog_armed_once(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	struct run_outcome out;
	unsigned arms;

	(void)inject_watchdog_arms(NULL, NULL);
	arms = inject_watchdog_arms(NULL, NULL);
	out = run_image(&image, RUN_TIMEOUT_MS);
	EXPECT_EQ_INT("first_run() with the hello guest", out.ret, 0);
	EXPECT_EQ_U64("watchdog_arm() calls for one run of 71 exits (once per run, not "
		      "per KVM_RUN)", inject_watchdog_arms(NULL, NULL) - arms, 1);
	EXPECT(!watchdog_armed(), "after the guest halted, the watchdog is still armed: "
	       "watchdog_disarm() before returning");
	free(out.output);
}

/* EINTR from a signal that is not the watchdog's (a profiler, a debugger)
 * only interrupts: the guest runs again. Made here by two KVM_RUNs failing
 * with EINTR while the watchdog has not fired. */
static void test_eintr_runs_again(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	static const char expected[] = GUEST_HELLO_TEXT;
	struct run_outcome out;

	inject_ioctl_error(KVM_RUN, EINTR, 2);
	out = run_image(&image, RUN_TIMEOUT_MS);
	EXPECT_EQ_INT("first_run() when KVM_RUN is interrupted twice by another signal "
		      "(EINTR, the watchdog has not fired)", out.ret, 0);
	EXPECT_BYTES("the guest's serial output after the interruptions", out.output,
		     out.output_len, expected, sizeof(expected) - 1);
	free(out.output);
}

static void test_watchdog_race(void)
{
	struct guest_image image = GUEST_IMAGE(spin);
	struct run_outcome out;

	/* The watchdog fires between arming and KVM_RUN. Only its
	 * immediate_exit flag can stop the KVM_RUN that follows: if the flag
	 * is not set, the guest spins until this test's time limit. */
	inject_signal_before_run(SIGALRM);
	out = run_guest_with(&image, 60000, NULL);
	EXPECT_EQ_INT("first_run() when the watchdog fires just before KVM_RUN", out.ret,
		      -ETIMEDOUT);
	free(out.output);
}

static void test_kvm_run_error_reported(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	struct run_outcome out;

	/* KVM_RUN fails once, as it does when KVM cannot reach guest memory. */
	inject_ioctl_error(KVM_RUN, EFAULT, 1);
	out = run_guest_with(&image, RUN_TIMEOUT_MS, NULL);
	EXPECT_EQ_INT("first_run() when KVM_RUN fails with EFAULT", out.ret, -EFAULT);
	if (out.ret < 0)
		EXPECT_CONTAINS("the message", kit_last_error(), "KVM_RUN");
	EXPECT(!watchdog_armed(), "after KVM_RUN failed, the watchdog is still armed: "
	       "watchdog_disarm() on the error path too");
	free(out.output);

	/* The watchdog cannot be armed: no run without a deadline. */
	inject_watchdog_arm_error(ENOMEM);
	out = run_guest_with(&image, RUN_TIMEOUT_MS, NULL);
	EXPECT_EQ_INT("first_run() when watchdog_arm() fails with ENOMEM", out.ret, -ENOMEM);
	free(out.output);
}

static const struct grade_test tests[] = {
	{ "api_version_checked", "/dev/kvm is opened and an API version other than 12 refused",
	  2, GRADE_NEEDS_KVM, test_api_version_checked,
	  "Section 2: call KVM_GET_API_VERSION and fail unless it returns KVM_API_VERSION "
	  "(12); name the ioctl in the message." },
	{ "vm_created", "the VM exists and the page and kvm_run sizes are known",
	  1, GRADE_NEEDS_KVM, test_vm_created,
	  "Section 3: KVM_CREATE_VM on the /dev/kvm fd; vm->page_size from "
	  "sysconf(_SC_PAGESIZE); vm->vcpu_mmap_size from KVM_GET_VCPU_MMAP_SIZE." },
	{ "memory_slot_registered", "guest RAM is registered with KVM and recorded in vm->slots",
	  2, GRADE_NEEDS_KVM, test_memory_slot_registered,
	  "Section 4: mmap the memory, fill it, KVM_SET_USER_MEMORY_REGION with slot, "
	  "guest_phys_addr, memory_size, userspace_addr; then record it in vm->slots." },
	{ "memory_follows_page_size", "slot sizes are whole host pages (a 16 KiB-page host)",
	  2, GRADE_NEEDS_KVM, test_memory_follows_page_size,
	  "Section 4: round the size up to vm->page_size (from sysconf), never to a "
	  "hard-coded 4096: a Raspberry Pi 5 has 16 KiB pages." },
	{ "memory_slot_edges", "slot sizes at the edges, and slots that cannot be, are handled exactly",
	  2, GRADE_NEEDS_KVM, test_memory_slot_edges,
	  "Section 4: round up to whole pages; refuse 0 bytes and a full slot table; when "
	  "mmap fails, report it and record nothing." },
	{ "errors_reported", "every failing call of steps 2-6 is reported with its errno and name",
	  2, GRADE_NEEDS_KVM, test_errors_reported,
	  "Sections 2-6: check each call's result; return kit_syscall_error(\"NAME\", ...) "
	  "so the caller sees -errno and the call's name; munmap a slot KVM refused." },
	{ "unaligned_slot_refused", "a memory slot at an unaligned address is refused clearly",
	  2, GRADE_NEEDS_KVM, test_unaligned_slot_refused,
	  "Section 4: check the return value of KVM_SET_USER_MEMORY_REGION; return "
	  "kit_syscall_error(...) so the caller sees -EINVAL and the ioctl's name." },
	{ "overlapping_slot_refused", "an overlapping memory slot is refused clearly",
	  2, GRADE_NEEDS_KVM, test_overlapping_slot_refused,
	  "Section 4: KVM refuses overlapping slots with EEXIST; pass that on, and do "
	  "not record a slot KVM refused." },
	{ "image_loaded", "the guest image is copied to its load address",
	  1, GRADE_NEEDS_KVM, test_image_loaded,
	  "Section 5: guest_ptr(vm, gpa, size), then memcpy." },
	{ "oversized_image_refused", "an image that does not fit in guest RAM is refused",
	  2, GRADE_NEEDS_KVM, test_oversized_image_refused,
	  "Section 5: never compute a host pointer yourself; guest_ptr() refuses ranges "
	  "outside guest memory, including ones whose end overflows." },
	{ "kvm_run_mapped", "kvm_run is mapped with KVM_GET_VCPU_MMAP_SIZE bytes",
	  2, GRADE_NEEDS_KVM, test_kvm_run_mapped,
	  "Section 6: mmap(vm->vcpu_mmap_size) of the vCPU fd, MAP_SHARED; "
	  "sizeof(struct kvm_run) is too small." },
	{ "output_arrives_exactly", "the guest's output arrives exactly",
	  3, GRADE_NEEDS_KVM, test_output_arrives_exactly,
	  "Section 8.1: for each output exit, write the bytes at (char *)run + "
	  "run->io.data_offset (size x count) to `serial`, then KVM_RUN again." },
	{ "run_ends_at_halt", "the run ends at the guest's halt",
	  2, GRADE_NEEDS_KVM, test_run_ends_at_halt,
	  "Section 8.2: the halt exit ends the run with 0; do not call KVM_RUN again." },
	{ "unexpected_exit_named", "an unexpected exit fails the run and is named",
	  2, GRADE_NEEDS_KVM, test_unexpected_exit_named,
	  "Section 8.4: any other exit returns a negative errno with "
	  "kvm_exit_name(run->exit_reason) in the message." },
	{ "other_port_refused", "only output to the serial port is serial output",
	  1, GRADE_NEEDS_KVM, test_other_port_refused,
	  "Section 8.1: check the port and the direction (an `in` is a read) before "
	  "treating an exit as serial output." },
	{ "watchdog_stops_guest", "a guest that never halts is stopped by the watchdog",
	  2, GRADE_NEEDS_KVM, test_watchdog_stops_guest,
	  "Section 8.3: arm the watchdog; when KVM_RUN fails with EINTR and "
	  "watchdog_fired(), return -ETIMEDOUT instead of running again.", 8 },
	{ "watchdog_race", "a watchdog that fires just before KVM_RUN still stops the guest",
	  1, GRADE_NEEDS_KVM, test_watchdog_race,
	  "Section 8.3: pass cpu->run to watchdog_arm(), so its signal handler can set "
	  "immediate_exit and the next KVM_RUN returns EINTR at once.", 6 },
	{ "watchdog_armed_once", "the watchdog is armed once for the whole run and disarmed after",
	  1, GRADE_NEEDS_KVM, test_watchdog_armed_once,
	  "Section 8.3: watchdog_arm() before the loop, not at every KVM_RUN (the limit is "
	  "for the whole run); watchdog_disarm() on every way out." },
	{ "eintr_runs_again", "EINTR from another signal runs the guest again",
	  2, GRADE_NEEDS_KVM, test_eintr_runs_again,
	  "Section 8.3: EINTR ends the run only if watchdog_fired(); any other EINTR "
	  "(a profiler's, a debugger's signal) just interrupts: KVM_RUN again." },
	{ "kvm_run_error_reported", "a failing KVM_RUN is reported, not ignored",
	  2, GRADE_NEEDS_KVM, test_kvm_run_error_reported,
	  "Section 8.3: check KVM_RUN's return value; when it is -1, run->exit_reason "
	  "is stale. Return kit_syscall_error(\"KVM_RUN\", ...)." },
};

/* The tests above, then the architecture's own (checks_<arch>.c). */
int main(int argc, char **argv)
{
	return grade_main_parts(argc, argv, "01-first-run", tests, sizeof(tests) / sizeof(tests[0]),
				arch_tests, arch_ntests);
}
