/* SPDX-License-Identifier: MIT */
/*
 * kit.h - the host core every lesson builds on.
 *
 * The core wraps the KVM API (Documentation/virt/kvm/api.rst in the Linux
 * sources) in a few small objects:
 *
 *   struct vm    a KVM virtual machine: its fd, its memory slots
 *   struct vcpu  one virtual CPU: its fd and its mapped struct kvm_run
 *
 * Conventions, used everywhere in the kit:
 *   - Functions return 0 (or a count) on success and a negative errno on
 *     failure. The failure is also described in words: kit_last_error()
 *     returns a message naming the ioctl, the errno and what to check next.
 *     The library never exits; programs decide what to do with an error.
 *   - Guest memory is reached only through guest_ptr(), a checked
 *     translation that refuses ranges outside guest RAM and sizes that
 *     would overflow. Host code never turns a guest address into a host
 *     pointer any other way.
 *   - Every KVM_RUN runs under a watchdog, so a guest that never exits
 *     gives -ETIMEDOUT instead of a hung host.
 *
 * Architecture differences (register layout, initial CPU state, how the
 * program counter maps to a guest physical address) live behind
 * common/arch/arch.h; nothing in this header depends on the architecture.
 */
#ifndef KIT_H
#define KIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm.h>

#include "kvm_compat.h"
#include "limits.h"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/*
 * Record a message for the last error and return `neg_errno` (which must be
 * negative), so callers can write `return kit_error(-EINVAL, "...")`.
 */
int kit_error(int neg_errno, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Record that system call or ioctl `what` failed with the current errno:
 * "<what> failed: EEXIST (File exists)" plus an optional hint sentence.
 * Returns -errno. Use it right after the failing call, before anything
 * else can change errno.
 */
int kit_syscall_error(const char *what, const char *hint_fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The same for an errno value saved earlier: kit_errno_error(err, "KVM_RUN", ...). */
int kit_errno_error(int err, const char *what, const char *hint_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The message recorded by the last kit_error()/kit_syscall_error(). */
const char *kit_last_error(void);
void kit_clear_error(void);

/* "EEXIST" for EEXIST: errno names, because "File exists" alone hides them. */
const char *kit_errno_name(int err);

/*
 * A step a student has not written yet. Records
 * "TODO: <what> is not written yet; see lessons/<lesson>/README.md, section <section>"
 * and returns -ENOSYS. Starter code calls it in every TODO.
 */
int kit_todo(const char *lesson, const char *section, const char *what);

/*
 * When set, kit_todo() also tells this function which TODO was reached,
 * after recording its message. The core knows nothing of who listens: the
 * grading harness sets it in each test's process, so that a starter's
 * failure is known to come from a TODO without reading any message.
 */
extern void (*kit_todo_observer)(const char *lesson, const char *section, const char *what);

/* The message of the first kit_todo() reached since kit_forget_todos()
 * (or the start), or NULL: a program reports the TODO itself, whatever
 * error its caller made of it. */
const char *kit_first_todo(void);
void kit_forget_todos(void);

/* ------------------------------------------------------------------ */
/* The KVM device                                                      */
/* ------------------------------------------------------------------ */

/* The device the core opens; KIT_KVM_DEVICE in the environment overrides it. */
const char *kit_kvm_device_path(void);

/*
 * Open /dev/kvm and check KVM_GET_API_VERSION == KVM_API_VERSION (12).
 * Returns the fd or a negative errno with a message that says how to fix
 * the usual causes (module not loaded, not in the kvm group).
 */
int kvm_open(void);

/* KVM_CHECK_EXTENSION on the system fd: > 0 means present (value may matter). */
int kvm_check_extension(int kvm_fd, long cap);

/* ------------------------------------------------------------------ */
/* Virtual machines and guest memory                                  */
/* ------------------------------------------------------------------ */

#define KIT_MAX_SLOTS 8

struct mem_slot {
	uint32_t slot;      /* KVM slot number */
	uint32_t flags;     /* KVM_MEM_READONLY, ... */
	uint64_t gpa;       /* guest physical address of the first byte */
	uint64_t size;      /* bytes; a multiple of the host page size */
	uint8_t *host;      /* where the bytes live in this process */
};

struct vm {
	int kvm_fd;             /* /dev/kvm */
	int fd;                 /* from KVM_CREATE_VM */
	size_t page_size;       /* host page size: sysconf(_SC_PAGESIZE) */
	int vcpu_mmap_size;     /* KVM_GET_VCPU_MMAP_SIZE */
	unsigned nslots;
	struct mem_slot slots[KIT_MAX_SLOTS];
};

/* A struct vm with nothing open yet: safe to pass to vm_destroy(). */
#define VM_EMPTY { .kvm_fd = -1, .fd = -1 }

/* Open /dev/kvm (checked) and create a VM. On failure nothing is left open. */
int vm_create(struct vm *vm);

/*
 * Give the guest `size` bytes of RAM at guest physical address `gpa`.
 * `size` is rounded up to the host page size; `gpa` must be a multiple of
 * it. The memory is mmap()ed, every byte written (zero) before KVM sees it,
 * and registered with KVM_SET_USER_MEMORY_REGION. Overlapping an existing
 * slot is refused. Returns the slot number or a negative errno.
 */
int vm_add_memory(struct vm *vm, uint64_t gpa, uint64_t size, uint32_t flags);

/*
 * The checked translation: a host pointer to `size` bytes of guest memory
 * at `gpa`, or NULL if any byte of [gpa, gpa + size) is outside one memory
 * slot (or the sum overflows). size 0 is refused too: there is nothing to
 * point at. On NULL, kit_last_error() says why.
 */
void *guest_ptr(struct vm *vm, uint64_t gpa, uint64_t size);

/* Copy into / out of guest memory through guest_ptr(). 0 or -EFAULT.
 * (Copying 0 bytes succeeds and touches nothing.) */
int guest_write(struct vm *vm, uint64_t gpa, const void *src, size_t len);
int guest_read(struct vm *vm, uint64_t gpa, void *dst, size_t len);

/* Unmap everything and close the fds. Safe on a partly created vm. */
void vm_destroy(struct vm *vm);

/* ------------------------------------------------------------------ */
/* Virtual CPUs                                                        */
/* ------------------------------------------------------------------ */

struct vcpu {
	struct vm *vm;
	int id;
	int fd;                 /* from KVM_CREATE_VCPU */
	struct kvm_run *run;    /* shared with KVM, vm->vcpu_mmap_size bytes */
	size_t run_size;
};

/* A struct vcpu with nothing open yet: safe to pass to vcpu_destroy(). */
#define VCPU_EMPTY { .fd = -1 }

/* KVM_CREATE_VCPU, map its kvm_run, and the arch's own vCPU set-up. */
int vcpu_create(struct vm *vm, struct vcpu *cpu, int id);
void vcpu_destroy(struct vcpu *cpu);

/*
 * One KVM_RUN under the watchdog (see watchdog_arm()).
 * Returns 0 when the guest exited to us (cpu->run->exit_reason says why),
 * -ETIMEDOUT when the watchdog fired, or the negative errno of KVM_RUN
 * (with a message naming it, e.g. ENOSYS for an MMIO access KVM could not
 * decode on arm64).
 */
int vcpu_run(struct vcpu *cpu);

/* ------------------------------------------------------------------ */
/* Loading guests                                                      */
/* ------------------------------------------------------------------ */

#define ELF_MAX_SEGMENTS 8

struct elf_info {
	uint64_t entry;         /* e_entry */
	unsigned nsegments;     /* loaded (PT_LOAD) segments */
	struct {
		uint64_t gpa, size;
		uint32_t flags; /* PF_R / PF_W / PF_X */
	} segments[ELF_MAX_SEGMENTS];
};

/*
 * Check an ELF64 executable for this architecture and copy its loadable
 * segments to their physical addresses in guest memory (zeroing .bss).
 * Everything is checked before anything is copied: magic, class, byte
 * order, machine, type, program headers inside the file, segments inside
 * the file and inside guest memory (overflow-safe), and an entry point
 * inside an executable segment. -ENOEXEC with a message saying what is
 * wrong, and guest memory untouched, for a malformed image.
 */
int elf_load(struct vm *vm, const void *image, size_t size, struct elf_info *info);

/* ------------------------------------------------------------------ */
/* A run loop for whole guests                                         */
/* ------------------------------------------------------------------ */

/* What a run_loop's on_exit hook says about an exit. */
enum {
	RUN_EXIT_UNHANDLED = 0, /* not mine: the loop reports an unexpected exit */
	RUN_EXIT_HANDLED = 1,   /* done: run the guest again */
	RUN_EXIT_STOP = 2,      /* the guest is finished (e.g. an exit hypercall) */
};

struct run_loop {
	FILE *console;          /* the guest's console output; NULL: discard */
	unsigned timeout_ms;    /* for the whole run; 0: KIT_RUN_TIMEOUT_MS */
	FILE *trace;            /* if set, every exit is described here */
	/* Exits the loop does not handle itself go here first (may be NULL).
	 * Returns a RUN_EXIT_* value, or a negative errno to stop the run. */
	int (*on_exit)(struct vcpu *cpu, void *ctx);
	void *ctx;
	/* Filled in by vcpu_run_loop(). */
	unsigned long exits;    /* how many exits the run took */
};

/*
 * Run the guest until it halts (x86 HLT; arm64 PSCI SYSTEM_OFF), a hook
 * stops it, or something goes wrong, printing console output as it comes.
 * Returns 0 (halted or stopped by the hook), -ETIMEDOUT (watchdog),
 * -EPROTO for an exit nobody handled (the message names it), or another
 * negative errno (KVM_RUN failed, or a hook's error).
 */
int vcpu_run_loop(struct vcpu *cpu, struct run_loop *loop);

/* ------------------------------------------------------------------ */
/* The watchdog                                                        */
/* ------------------------------------------------------------------ */

/*
 * Arm a one-shot timer for the calling thread. When it fires, a SIGALRM
 * handler sets run->immediate_exit, so the KVM_RUN in progress (or the
 * next one) returns -1 with errno EINTR (api.rst, "immediate_exit").
 * Arming again replaces the previous deadline. 0 or a negative errno.
 */
int watchdog_arm(struct kvm_run *run, unsigned timeout_ms);
void watchdog_disarm(void);
/* True once the armed watchdog has fired (until the next arm). */
bool watchdog_fired(void);
/* True between watchdog_arm() and watchdog_disarm() on this thread. */
bool watchdog_armed(void);

/* ------------------------------------------------------------------ */
/* Exits and diagnosis                                                 */
/* ------------------------------------------------------------------ */

/* "KVM_EXIT_IO" for 2; "KVM_EXIT_<number>" for reasons the kit does not know. */
const char *kvm_exit_name(uint32_t reason);

/* One line describing the exit's decoded fields (port, address, data...). */
void kvm_exit_describe(const struct kvm_run *run, char *buf, size_t len);

/*
 * The diagnosis printed when a guest did something the host did not expect:
 * the exit by name and its fields (suberror, hardware entry failure reason,
 * MMIO address...), the registers, the instruction at the program counter
 * disassembled (raw bytes where Capstone is not available), and where
 * known, what usually causes it. `why` is one line from the caller.
 */
void vcpu_diagnose(struct vcpu *cpu, const char *why, FILE *out);

/* Instruction sets a diagnosis can disassemble. */
enum kit_isa {
	KIT_ISA_X86_16,   /* real mode */
	KIT_ISA_X86_32,   /* protected mode */
	KIT_ISA_X86_64,   /* long mode */
	KIT_ISA_ARM64,    /* AArch64 */
};

/* Disassemble one instruction into buf. Returns the instruction length,
 * 0 if it could not be decoded (buf then holds the bytes in hex). */
size_t kit_disassemble(const uint8_t *code, size_t len, uint64_t address,
		       enum kit_isa isa, char *buf, size_t buflen);

#endif /* KIT_H */
