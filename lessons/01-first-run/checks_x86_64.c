/* SPDX-License-Identifier: MIT */
/* checks_x86_64.c - lesson 01's checks for x86_64 (given). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "checks_arch.h"
#include "layout.h"
#include "arch/x86_64.h"

GUEST_IMAGE_DECLARE(hello);
GUEST_IMAGE_DECLARE(triple_fault);

uint32_t arch_halt_exit_reason(void)
{
	return KVM_EXIT_HLT;
}

struct guest_image arch_fault_guest(void)
{
	return GUEST_IMAGE(triple_fault);
}

const char *arch_fault_exit_name(void)
{
	return "KVM_EXIT_SHUTDOWN";
}

const char *arch_other_output_exit_name(void)
{
	return "KVM_EXIT_IO";
}

/* ---- 7. Set the registers -------------------------------------------- */

static void test_entry_state(void)
{
	struct guest_image image = GUEST_IMAGE(hello);
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret;

	open_and_create(&vm);
	ASSERT(first_add_memory(&vm, GUEST_RAM_GPA, GUEST_RAM_SIZE) >= 0, "first_add_memory: %s",
	       kit_last_error());
	ASSERT(first_load_guest(&vm, GUEST_LOAD_GPA, image.bytes, image.size) >= 0,
	       "first_load_guest: %s", kit_last_error());
	ASSERT(first_create_vcpu(&vm, &cpu) >= 0, "first_create_vcpu: %s", kit_last_error());
	/* Dirty every field the text asks you to set, so that none can be
	 * right by luck of a reset value: CS somewhere else, RIP elsewhere,
	 * flags set. first_set_registers() must set each of them. */
	ASSERT(ioctl(cpu.fd, KVM_GET_SREGS, &sregs) == 0, "KVM_GET_SREGS failed");
	sregs.cs.base = 0x12340;
	sregs.cs.selector = 0x1234;
	ASSERT(ioctl(cpu.fd, KVM_SET_SREGS, &sregs) == 0, "KVM_SET_SREGS failed");
	ASSERT(ioctl(cpu.fd, KVM_GET_REGS, &regs) == 0, "KVM_GET_REGS failed");
	regs.rip = 0xbeef;
	regs.rflags = X86_RFLAGS_RESERVED1 | 0x0c5; /* CF, PF, ZF, SF */
	regs.rax = regs.rbx = regs.rcx = regs.rdx = 0x1111;
	regs.rsi = regs.rdi = regs.rsp = regs.rbp = 0x2222;
	regs.r8 = regs.r15 = 0x3333;
	ASSERT(ioctl(cpu.fd, KVM_SET_REGS, &regs) == 0, "KVM_SET_REGS failed");
	grade_scramble_stack();
	ret = first_set_registers(&cpu, GUEST_LOAD_GPA);
	ASSERT(ret == 0, "first_set_registers() returned %d: %s", ret, kit_last_error());

	ASSERT(ioctl(cpu.fd, KVM_GET_SREGS, &sregs) == 0, "KVM_GET_SREGS failed");
	ASSERT(ioctl(cpu.fd, KVM_GET_REGS, &regs) == 0, "KVM_GET_REGS failed");
	EXPECT((sregs.cr0 & X86_CR0_PE) == 0,
	       "CR0.PE should stay 0 (real mode), CR0 is 0x%llx", sregs.cr0);
	EXPECT_EQ_U64("CS.base (real mode: address = CS.base + IP; the reset value "
		      "is 0xffff0000)", sregs.cs.base, 0);
	EXPECT_EQ_U64("CS.selector (must agree with the base: base = selector * 16)",
		      sregs.cs.selector, 0);
	EXPECT_EQ_U64("RIP", regs.rip, GUEST_LOAD_GPA);
	EXPECT_EQ_U64("RFLAGS (bit 1 is always 1; no other flag set)", regs.rflags,
		      X86_RFLAGS_RESERVED1);
	/* "Start from a zeroed struct kvm_regs": nothing left of before. */
	EXPECT_EQ_U64("RAX (from a zeroed struct kvm_regs)", regs.rax, 0);
	EXPECT_EQ_U64("RBX", regs.rbx, 0);
	EXPECT_EQ_U64("RCX", regs.rcx, 0);
	EXPECT_EQ_U64("RDX", regs.rdx, 0);
	EXPECT_EQ_U64("RSI", regs.rsi, 0);
	EXPECT_EQ_U64("RDI", regs.rdi, 0);
	EXPECT_EQ_U64("RSP", regs.rsp, 0);
	EXPECT_EQ_U64("RBP", regs.rbp, 0);
	EXPECT_EQ_U64("R8", regs.r8, 0);
	EXPECT_EQ_U64("R15", regs.r15, 0);
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* Each of the three ioctls of section 7 can fail: the failure is passed
 * on with its errno and its name. */
static void test_entry_errors_reported(void)
{
	static const struct { unsigned long request; const char *name; } calls[] = {
		{ KVM_GET_SREGS, "KVM_GET_SREGS" },
		{ KVM_SET_SREGS, "KVM_SET_SREGS" },
		{ KVM_SET_REGS, "KVM_SET_REGS" },
	};
	struct guest_image image = GUEST_IMAGE(hello);
	struct vm vm = VM_EMPTY;
	struct vcpu cpu = VCPU_EMPTY;
	char what[96];
	unsigned i;
	int ret;

	build_vm(&vm, &cpu, &image);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		inject_ioctl_error(calls[i].request, EFAULT, 1);
		ret = first_set_registers(&cpu, GUEST_LOAD_GPA);
		snprintf(what, sizeof(what), "first_set_registers() when %s fails with EFAULT",
			 calls[i].name);
		EXPECT_EQ_INT(what, ret, -EFAULT);
		if (ret < 0)
			EXPECT_CONTAINS("its message", kit_last_error(), calls[i].name);
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
}

/* ---- 8.1 Output: exits this machine never makes, made up --------------- */
/* Made-up exits, the kind a VT-x laptop produces for `rep outsb`/`outw`. */
static size_t pio_data_offset(void)
{
	return (size_t)sysconf(_SC_PAGESIZE); /* x86: the page after kvm_run */
}

static void fake_out_bytes(struct kvm_run *run)
{
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = KVM_EXIT_IO_OUT;
	run->io.port = GUEST_SERIAL_PORT;
	run->io.size = 1;
	run->io.count = 3;
	run->io.data_offset = pio_data_offset();
	memcpy((char *)run + run->io.data_offset, "abc", 3);
}

static void fake_out_words(struct kvm_run *run)
{
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = KVM_EXIT_IO_OUT;
	run->io.port = GUEST_SERIAL_PORT;
	run->io.size = 2;
	run->io.count = 2;
	run->io.data_offset = pio_data_offset();
	memcpy((char *)run + run->io.data_offset, "wxyz", 4);
}

static void fake_in_byte(struct kvm_run *run)
{
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = KVM_EXIT_IO_IN;
	run->io.port = GUEST_SERIAL_PORT;
	run->io.size = 1;
	run->io.count = 1;
	run->io.data_offset = pio_data_offset();
}

/* `fake` as the first exit, then the real hello guest. */
static struct run_outcome run_with_fake_exit(void (*fake)(struct kvm_run *run))
{
	struct guest_image image = GUEST_IMAGE(hello);

	return run_guest_with(&image, RUN_TIMEOUT_MS, fake);
}

static void test_output_sizes_and_counts(void)
{
	static const char hello[] = GUEST_HELLO_TEXT;
	char expected[256];
	struct run_outcome out;

	/* count 3 of size 1: `rep outsb` on a VT-x machine. */
	out = run_with_fake_exit(fake_out_bytes);
	snprintf(expected, sizeof(expected), "abc%s", hello);
	EXPECT_EQ_INT("first_run() after an out of 3 bytes (size 1, count 3)", out.ret, 0);
	EXPECT_BYTES("serial output: the 3 bytes, then the guest's line", out.output,
		     out.output_len, expected, strlen(expected));
	free(out.output);

	/* count 2 of size 2: `rep outsw`. */
	out = run_with_fake_exit(fake_out_words);
	snprintf(expected, sizeof(expected), "wxyz%s", hello);
	EXPECT_EQ_INT("first_run() after an out of 2 words (size 2, count 2)", out.ret, 0);
	EXPECT_BYTES("serial output: the 4 bytes, then the guest's line", out.output,
		     out.output_len, expected, strlen(expected));
	free(out.output);
}

static void test_in_is_not_output(void)
{
	struct run_outcome out = run_with_fake_exit(fake_in_byte);

	/* An `in` from the serial port: a read, not output. */
	expect_unexpected_exit("hello guest after an `in` from the serial port", &out,
			       "KVM_EXIT_IO");
	EXPECT_BYTES("serial output (an `in` is not output)", out.output, out.output_len, "", 0);
	free(out.output);
}

const struct grade_test arch_tests[] = {
	{ "entry_state", "the vCPU starts at the guest's entry point, in real mode",
	  2, GRADE_NEEDS_KVM, test_entry_state,
	  "Section 7: CS base and selector 0, RIP = entry, RFLAGS = 0x2." },
	{ "entry_errors_reported", "a failing KVM_GET_SREGS, KVM_SET_SREGS or KVM_SET_REGS is reported",
	  1, GRADE_NEEDS_KVM, test_entry_errors_reported,
	  "Section 7: check each ioctl; return kit_syscall_error(\"NAME\", ...)." },
	{ "output_sizes_and_counts", "an output exit of several bytes (size x count) prints them all",
	  1, GRADE_NEEDS_KVM, test_output_sizes_and_counts,
	  "Section 8.1: an `out` exit carries run->io.count elements of run->io.size bytes "
	  "each (on VT-x, `rep outsb` gives count > 1)." },
	{ "in_is_not_output", "an `in` from the serial port is not output",
	  1, GRADE_NEEDS_KVM, test_in_is_not_output,
	  "Section 8.1: check the direction: KVM_EXIT_IO_IN is the guest reading." },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
