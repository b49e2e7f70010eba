/* SPDX-License-Identifier: MIT */
/*
 * checks_arm64.c - lesson 05's checks of the emulator, in real guests and
 * on a real vCPU (given; read, do not change). The guests check what they
 * loaded and where their base registers went; the checks look at what
 * the devices received, at the registers KVM holds, and at what a refused
 * instruction did to the guest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "machine.h"
#include "checks_arch.h"
#include "layout.h"
#include "arch/arm64.h"

GUEST_IMAGE_DECLARE(seed);
GUEST_IMAGE_DECLARE(forms);
GUEST_IMAGE_DECLARE(refused_ldxr);
GUEST_IMAGE_DECLARE(refused_simd);
GUEST_IMAGE_DECLARE(refused_rnrt);

#define SCTLR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 0)
#define ELR_EL1   ARM64_REG_ELR_EL1

static uint64_t reg(struct vcpu *cpu, uint64_t id)
{
	uint64_t v = 0;

	ASSERT(arm64_get_reg(cpu, id, &v) == 0, "%s", kit_last_error());
	return v;
}

static void set(struct vcpu *cpu, uint64_t id, uint64_t v)
{
	ASSERT(arm64_set_reg(cpu, id, v) == 0, "%s", kit_last_error());
}

static void start(struct wb_machine *w, const struct guest_image *image, bool nisv)
{
	int ret = wb_start(w, image, nisv, stdout);

	ASSERT(ret == 0, "starting the %s guest failed (%d): %s", image->name, ret,
	       kit_last_error());
}

static int run(struct wb_machine *w, const char *name)
{
	int ret = wb_run(w);

	printf("%s: run ended with %d%s%s after %lu exits; %lu emulated, %lu refused%s%s%s; the "
	       "UART got:\n%.*s\n", name, ret, ret ? ": " : "", w->m.error, w->m.exits,
	       w->host.emulated, w->host.refused, w->host.refusal[0] ? " (last: " : "",
	       w->host.refusal, w->host.refusal[0] ? ")" : "", (int)w->m.output_len,
	       w->m.output ? w->m.output : "");
	return ret;
}

/* ---- the seed's guest -------------------------------------------------- */

static void test_seed_without_nisv(void)
{
	struct guest_image image = GUEST_IMAGE(seed);
	struct wb_machine w;
	int ret;

	start(&w, &image, false);
	ret = run(&w, "seed (no KVM_CAP_ARM_NISV_TO_USER)");
	EXPECT_EQ_INT("the run without the capability", ret, -ENOSYS);
	EXPECT_CONTAINS("its message", w.m.error, "ENOSYS");
	EXPECT_CONTAINS("its message (the instruction)", w.m.error, "str xzr, [x2], #8");
	EXPECT_EQ_U64("run->exit_reason (what an unchecked program calls KVM_EXIT_UNKNOWN)",
		      w.m.cpu.run->exit_reason, 0);
	EXPECT_EQ_U64("writes that reached the device before it (str xzr, [x2] and [x2, #8])",
		      w.seed.nlog, 2);
	wb_stop(&w);
}

static void test_seed_emulated(void)
{
	struct guest_image image = GUEST_IMAGE(seed);
	static const uint64_t at[] = { 0x0, 0x8, 0x0 };
	struct wb_machine w;
	unsigned i;

	start(&w, &image, true);
	EXPECT_EQ_INT("the run of the seed's guest, with your emulator", run(&w, "seed"), 0);
	EXPECT_EQ_U64("writes the device at 0x5000 received", w.seed.nlog, 3);
	for (i = 0; i < 3 && i < w.seed.nlog; i++) {
		char what[80];

		snprintf(what, sizeof(what), "write %u: its address (0x5000 + this)", i + 1);
		EXPECT_EQ_U64(what, w.seed.log[i].offset, at[i]);
		EXPECT(w.seed.log[i].is_write && w.seed.log[i].len == 8 && w.seed.log[i].value == 0,
		       "write %u: 8 bytes of 0 (xzr), got %s of %u bytes, 0x%llx", i + 1,
		       w.seed.log[i].is_write ? "a write" : "a read", w.seed.log[i].len,
		       (unsigned long long)w.seed.log[i].value);
	}
	EXPECT_EQ_U64("X2 after the post-indexed store, written back (the guest copies it to "
		      "X19: its power-off call zeroes X1-X3)", reg(&w.m.cpu, ARM64_REG_X(19)), 0x5008);
	EXPECT_EQ_U64("instructions emulated (only the post-indexed one had no syndrome)",
		      w.host.emulated, 1);
	wb_stop(&w);
}

/* ---- every form, from a guest --------------------------------------- */

static void test_forms_emulated(void)
{
	struct guest_image image = GUEST_IMAGE(forms);
	struct wb_machine w;
	unsigned i, stp = 0;

	start(&w, &image, true);
	EXPECT_EQ_INT("the run of the forms guest", run(&w, "forms"), 0);
	ASSERT(w.m.output != NULL, "the UART got nothing");
	EXPECT(strstr(w.m.output, "forms: all ok\n") != NULL && !strstr(w.m.output, "WRONG"),
	       "every form should come out right; the guest says:\n%s", w.m.output);
	EXPECT(w.host.emulated == 24 && w.host.refused == 0, "24 instructions should have been "
	       "emulated (every form without a syndrome) and none refused: %lu and %lu",
	       w.host.emulated, w.host.refused);
	/* The device saw the pair store as two 8-byte writes, in address order. */
	for (i = 0; i + 1 < w.mem.nlog; i++)
		if (w.mem.log[i].is_write && w.mem.log[i].offset == 0xc0 && w.mem.log[i].len == 8 &&
		    w.mem.log[i + 1].is_write && w.mem.log[i + 1].offset == 0xc8 &&
		    w.mem.log[i + 1].len == 8 && w.mem.log[i].value == 0x1122334455667788ULL &&
		    w.mem.log[i + 1].value == 0x99aabbccddeeff00ULL)
			stp++;
	EXPECT(stp == 1, "stp x, x, [x, #-16]! should reach the device as 8 bytes at 0xc0, "
	       "then 8 at 0xc8 (seen %u times)", stp);
	wb_stop(&w);
}

/* ---- refused, with an abort ------------------------------------------ */

static void expect_refused(const struct guest_image *image, uint32_t word)
{
	struct wb_machine w;
	const uint8_t *at;
	uint64_t elr;
	int ret;

	start(&w, image, true);
	ret = run(&w, image->name);
	EXPECT(ret == -ECANCELED && w.took_exception, "the %s guest should take an exception "
	       "and report it (got %d: %s)", image->name, ret, w.m.error);
	/* (EC is bits 31:26; Linux 6.1 hands the guest ones in the upper half.) */
	EXPECT_EQ_U64("the exception class in the guest's ESR_EL1 (0x25, a data abort)",
		      (w.esr >> 26) & 0x3f, 0x25);
	EXPECT_EQ_U64("its fault status (0x10, a synchronous external abort)", w.esr & 0x3f,
		      0x10);
	EXPECT_EQ_U64("instructions refused", w.host.refused, 1);
	EXPECT_EQ_U64("instructions emulated", w.host.emulated, 0);
	elr = reg(&w.m.cpu, ELR_EL1);
	at = guest_ptr(&w.m.vm, elr, 4);
	EXPECT(at && mmio_le_load(at, 4) == word, "the abort must be taken at the refused "
	       "instruction (0x%08x), with the PC not moved: ELR_EL1 0x%llx holds 0x%08x",
	       word, (unsigned long long)elr, at ? (unsigned)mmio_le_load(at, 4) : 0);
	EXPECT(w.host.refusal[0] != 0, "host->refusal should say why");
	wb_stop(&w);
}

static void test_refused_abort(void)
{
	struct guest_image ldxr = GUEST_IMAGE(refused_ldxr), simd = GUEST_IMAGE(refused_simd),
			   rnrt = GUEST_IMAGE(refused_rnrt);

	expect_refused(&ldxr, 0xc85f7c20);
	expect_refused(&simd, 0x3d800020);
	expect_refused(&rnrt, 0xf8008421);
}

/* ---- one exit at a time, on a vCPU the check set up ------------------ */

/* A vCPU stopped at a made-up KVM_EXIT_ARM_NISV for `word` at the PC. */
static void fake(struct wb_machine *w, uint32_t word, uint64_t ipa, uint64_t iss)
{
	uint64_t pc = LM_RAM_GPA + LM_RAM_SIZE - 0x100;

	mmio_le_store(guest_ptr(&w->m.vm, pc, 4), 4, word);
	set(&w->m.cpu, ARM64_REG_PC, pc);
	w->m.cpu.run->exit_reason = KVM_EXIT_ARM_NISV;
	w->m.cpu.run->arm_nisv.fault_ipa = ipa;
	w->m.cpu.run->arm_nisv.esr_iss = iss;
}

static void test_emulate_by_hand(void)
{
	struct guest_image image = GUEST_IMAGE(seed);
	uint64_t pc = LM_RAM_GPA + LM_RAM_SIZE - 0x100;
	struct wb_machine w;
	unsigned i;
	int ret;

	start(&w, &image, true);
	for (i = 0; i < WB_MEM_SIZE; i++)
		w.mem.bytes[i] = (uint8_t)(0x80 + i);

	/* ldr x3, [sp], #8 at EL1h: SP_EL1 is the base, SP_EL0 untouched. */
	set(&w.m.cpu, ARM64_REG_PSTATE, 0x3c5);
	set(&w.m.cpu, ARM64_REG_SP_EL1, L5_MEM_GPA + 0x10);
	set(&w.m.cpu, ARM64_REG_SP_EL0, 0x5555);
	fake(&w, 0xf84087e3, L5_MEM_GPA + 0x10, 0);
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT_EQ_INT("wb_emulate() of ldr x3, [sp], #8 at EL1h", ret, RUN_EXIT_HANDLED);
	EXPECT_EQ_U64("X3", reg(&w.m.cpu, ARM64_REG_X(3)), 0x9796959493929190ULL);
	EXPECT_EQ_U64("SP_EL1 (the SP of EL1h), written back", reg(&w.m.cpu, ARM64_REG_SP_EL1),
		      L5_MEM_GPA + 0x18);
	EXPECT_EQ_U64("SP_EL0 (not in use at EL1h)", reg(&w.m.cpu, ARM64_REG_SP_EL0), 0x5555);
	EXPECT_EQ_U64("the PC (moved past the instruction)", reg(&w.m.cpu, ARM64_REG_PC), pc + 4);

	/* The same at EL1t: now SP_EL0. */
	set(&w.m.cpu, ARM64_REG_PSTATE, 0x3c4);
	set(&w.m.cpu, ARM64_REG_SP_EL0, L5_MEM_GPA + 0x20);
	fake(&w, 0xf84087e3, L5_MEM_GPA + 0x20, 0);
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && reg(&w.m.cpu, ARM64_REG_SP_EL0) == L5_MEM_GPA + 0x28,
	       "ldr x3, [sp], #8 at EL1t uses and writes back SP_EL0 (got %d, SP_EL0 0x%llx)",
	       ret, (unsigned long long)reg(&w.m.cpu, ARM64_REG_SP_EL0));
	set(&w.m.cpu, ARM64_REG_PSTATE, 0x3c5);

	/* A load into XZR writes no register (X31 would be SP_EL0's slot). */
	set(&w.m.cpu, ARM64_REG_X(4), L5_MEM_GPA + 0x30);
	set(&w.m.cpu, ARM64_REG_SP_EL0, 0x6666);
	fake(&w, 0xf840849f, L5_MEM_GPA + 0x30, 0);   /* ldr xzr, [x4], #8 */
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && reg(&w.m.cpu, ARM64_REG_X(4)) == L5_MEM_GPA + 0x38 &&
	       reg(&w.m.cpu, ARM64_REG_SP_EL0) == 0x6666, "ldr xzr, [x4], #8: X4 written back, "
	       "nothing else written (X4 0x%llx, SP_EL0 0x%llx)",
	       (unsigned long long)reg(&w.m.cpu, ARM64_REG_X(4)),
	       (unsigned long long)reg(&w.m.cpu, ARM64_REG_SP_EL0));

	/* A register offset, sign-extended from W: ldrsb w5, [x6, w7, sxtw]. */
	set(&w.m.cpu, ARM64_REG_X(6), L5_MEM_GPA + 0x40);
	set(&w.m.cpu, ARM64_REG_X(7), 0x00000000fffffff0ULL);   /* W7 = -16; X7 is not */
	fake(&w, 0x38e7c8c5, L5_MEM_GPA + 0x30, 0);
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && reg(&w.m.cpu, ARM64_REG_X(5)) == 0xffffffb0,
	       "ldrsb w5, [x6, w7, sxtw] with W7 = -16: byte 0x30 (0xb0) sign-extended into W5, "
	       "the top half 0 (got %d, X5 0x%llx)", ret,
	       (unsigned long long)reg(&w.m.cpu, ARM64_REG_X(5)));

	/* The word at PC is not what faulted: refused, PC where it was. */
	w.host.refused = 0;
	set(&w.m.cpu, ARM64_REG_X(2), L5_MEM_GPA);
	fake(&w, 0xf800845f, L5_MEM_GPA + 0x80, 0);   /* str xzr, [x2], #8 elsewhere */
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 1 &&
	       reg(&w.m.cpu, ARM64_REG_PC) == pc && reg(&w.m.cpu, ARM64_REG_X(2)) == L5_MEM_GPA,
	       "an instruction whose address (0x%llx) is not run->arm_nisv.fault_ipa (0x%llx) "
	       "must be refused: no write-back, no PC change (got %d, %lu refused, X2 0x%llx)",
	       (unsigned long long)L5_MEM_GPA, (unsigned long long)L5_MEM_GPA + 0x80, ret,
	       w.host.refused, (unsigned long long)reg(&w.m.cpu, ARM64_REG_X(2)));

	/* A pair: the fault may be on either element. */
	set(&w.m.cpu, ARM64_REG_X(1), L5_MEM_GPA + 0x50);
	fake(&w, 0xa8c10c22, L5_MEM_GPA + 0x58, 0);   /* ldp x2, x3, [x1], #16 */
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && reg(&w.m.cpu, ARM64_REG_X(2)) == 0xd7d6d5d4d3d2d1d0ULL &&
	       reg(&w.m.cpu, ARM64_REG_X(3)) == 0xdfdedddcdbdad9d8ULL &&
	       reg(&w.m.cpu, ARM64_REG_X(1)) == L5_MEM_GPA + 0x60, "ldp x2, x3, [x1], #16 "
	       "faulting on its second element: X2 the first 8 bytes, X3 the next, X1 + 16 (got "
	       "%d)", ret);

	/* Cache maintenance on a device: skipped. */
	i = w.mem.nlog;
	fake(&w, 0xd50b7e20, L5_MEM_GPA, 1u << 8);    /* dc civac, x0 */
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && reg(&w.m.cpu, ARM64_REG_PC) == pc + 4 &&
	       w.mem.nlog == i, "a cache maintenance exit (ISS.CM): skipped, PC + 4, no access "
	       "(got %d)", ret);

	/* The MMU on: the PC is not a physical address any more. */
	{
		uint64_t sctlr = reg(&w.m.cpu, SCTLR_EL1);

		set(&w.m.cpu, SCTLR_EL1, sctlr | 1);
		set(&w.m.cpu, ARM64_REG_X(2), L5_MEM_GPA);  /* the address matches: only M differs */
		w.host.refused = 0;
		fake(&w, 0xf800845f, L5_MEM_GPA, 0);
		ret = wb_emulate(&w.m.cpu, &w.host);
		EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 1 &&
		       reg(&w.m.cpu, ARM64_REG_PC) == pc, "with SCTLR_EL1.M set, refused "
		       "(got %d, %lu refused)", ret, w.host.refused);
		set(&w.m.cpu, SCTLR_EL1, sctlr);
	}

	/* No external aborts on this KVM: the run stops, saying why. */
	w.host.ext_dabt = false;
	fake(&w, 0xc85f7c20, L5_MEM_GPA, 0);          /* ldxr */
	kit_clear_error();
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret < 0 && strstr(kit_last_error(), "exclusive"), "a refusal without "
	       "KVM_CAP_ARM_INJECT_EXT_DABT: a negative errno and the reason (got %d: \"%s\")",
	       ret, kit_last_error());
	w.host.ext_dabt = true;

	/* A failing KVM_GET_ONE_REG is reported. */
	fake(&w, 0xf800845f, L5_MEM_GPA, 0);
	inject_ioctl_error(KVM_GET_ONE_REG, EIO, 1);
	ret = wb_emulate(&w.m.cpu, &w.host);
	inject_reset();
	EXPECT_EQ_INT("wb_emulate() when KVM_GET_ONE_REG fails", ret, -EIO);
	wb_stop(&w);
}

/* More made-up exits: the other extends, XZR as the index, a pair faulting
 * on its first element, what must be refused, what an emulation costs. */
static void test_emulate_edges(void)
{
	struct guest_image image = GUEST_IMAGE(seed);
	uint64_t pc = LM_RAM_GPA + LM_RAM_SIZE - 0x100, sctlr, bad_pc[3];
	struct wb_machine w;
	unsigned i, gets, sets;
	int ret;

	start(&w, &image, true);
	for (i = 0; i < WB_MEM_SIZE; i++)
		w.mem.bytes[i] = (uint8_t)(0x80 + i);

	/* Register offsets: UXTW of a register whose top half is set, XZR as
	 * the index (0, not SP), and LSL over all 64 bits of Rm. */
	{
		static const struct {
			uint32_t word;
			unsigned rn, rm, rt, at;
			uint64_t base, index, want;
			const char *what;
		} offsets[] = {
			{ 0xf86a5928, 9, 10, 8, 0x40, L5_MEM_GPA + 0x40 - (0xfffffffeULL << 3),
			  0xfffffffffffffffeULL, 0xc7c6c5c4c3c2c1c0ULL, "ldr x8, [x9, w10, uxtw #3] "
			  "with W10 = 0xfffffffe: the index is 0xfffffffe << 3, not -2 << 3" },
			{ 0xf87f698b, 12, 31, 11, 0x48, L5_MEM_GPA + 0x48, 0, 0xcfcecdcccbcac9c8ULL,
			  "ldr x11, [x12, xzr]: XZR as the index adds 0" },
			{ 0xf86d798b, 12, 13, 11, 0x58, L5_MEM_GPA + 0x58 - (0x100000008ULL << 3),
			  0x100000008ULL, 0xdfdedddcdbdad9d8ULL, "ldr x11, [x12, x13, lsl #3] with "
			  "X13 = 0x100000008: the whole register, shifted" },
		};

		set(&w.m.cpu, ARM64_REG_SP_EL0, 0x100);
		set(&w.m.cpu, ARM64_REG_SP_EL1, 0x200);
		for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
			set(&w.m.cpu, ARM64_REG_X(offsets[i].rn), offsets[i].base);
			if (offsets[i].rm != 31)
				set(&w.m.cpu, ARM64_REG_X(offsets[i].rm), offsets[i].index);
			fake(&w, offsets[i].word, L5_MEM_GPA + offsets[i].at, 0);
			ret = wb_emulate(&w.m.cpu, &w.host);
			EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 0 &&
			       reg(&w.m.cpu, ARM64_REG_X(offsets[i].rt)) == offsets[i].want,
			       "%s: the 8 bytes at 0x%x (got %d, %lu refused, X%u 0x%llx)",
			       offsets[i].what, offsets[i].at, ret, w.host.refused, offsets[i].rt,
			       (unsigned long long)reg(&w.m.cpu, ARM64_REG_X(offsets[i].rt)));
		}
	}

	/* A pair faulting on its first element. */
	set(&w.m.cpu, ARM64_REG_X(1), L5_MEM_GPA + 0x50);
	fake(&w, 0xa8c10c22, L5_MEM_GPA + 0x50, 0);   /* ldp x2, x3, [x1], #16 */
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 0 &&
	       reg(&w.m.cpu, ARM64_REG_X(2)) == 0xd7d6d5d4d3d2d1d0ULL &&
	       reg(&w.m.cpu, ARM64_REG_X(3)) == 0xdfdedddcdbdad9d8ULL &&
	       reg(&w.m.cpu, ARM64_REG_X(1)) == L5_MEM_GPA + 0x60, "ldp x2, x3, [x1], #16 "
	       "faulting on its first element: X2, X3 and X1 + 16 (got %d, %lu refused)", ret,
	       w.host.refused);

	/* fault_ipa at neither element of a pair, or one element past a
	 * single access: refused, nothing written back. */
	{
		static const struct { uint32_t word; uint64_t ipa; const char *what; } wrong[] = {
			{ 0xa8c10c22, L5_MEM_GPA + 0x90, "ldp x2, x3, [x1], #16 with fault_ipa past both" },
			{ 0xf800843f, L5_MEM_GPA + 0x58, "str xzr, [x1], #8 with fault_ipa 8 bytes on" },
		};

		for (i = 0; i < 2; i++) {
			set(&w.m.cpu, ARM64_REG_X(1), L5_MEM_GPA + 0x50);
			fake(&w, wrong[i].word, wrong[i].ipa, 0);
			w.host.refused = 0;
			ret = wb_emulate(&w.m.cpu, &w.host);
			EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 1 &&
			       reg(&w.m.cpu, ARM64_REG_X(1)) == L5_MEM_GPA + 0x50 &&
			       reg(&w.m.cpu, ARM64_REG_PC) == pc, "%s: refused, X1 and the PC left "
			       "(got %d, %lu refused)", wrong[i].what, ret, w.host.refused);
		}
	}

	/* An access no device takes, on a strict bus: refused with an abort. */
	set(&w.m.cpu, ARM64_REG_X(2), L4_UNCLAIMED_GPA);
	fake(&w, 0xf800845f, L4_UNCLAIMED_GPA, 0);
	w.host.refused = 0;
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 1 &&
	       reg(&w.m.cpu, ARM64_REG_X(2)) == L4_UNCLAIMED_GPA &&
	       reg(&w.m.cpu, ARM64_REG_PC) == pc, "str xzr, [x2], #8 where no device is (a "
	       "strict bus): refused, X2 and the PC left (got %d, %lu refused)", ret,
	       w.host.refused);

	/* Cache maintenance is counted; --trace says what was emulated and refused. */
	{
		char *text = NULL;
		size_t len = 0;
		unsigned long ops = w.host.cache_ops;

		w.host.trace = open_memstream(&text, &len);
		ASSERT(w.host.trace != NULL, "open_memstream failed");
		fake(&w, 0xd50b7e20, L5_MEM_GPA, 1u << 8);    /* dc civac, x0 */
		ret = wb_emulate(&w.m.cpu, &w.host);
		EXPECT(ret == RUN_EXIT_HANDLED && w.host.cache_ops == ops + 1, "a cache "
		       "maintenance exit counts in host->cache_ops (%lu, then %lu)", ops,
		       w.host.cache_ops);
		set(&w.m.cpu, ARM64_REG_X(2), L5_MEM_GPA);
		fake(&w, 0xf800845f, L5_MEM_GPA, 0);
		(void)wb_emulate(&w.m.cpu, &w.host);
		fake(&w, 0xc85f7c20, L5_MEM_GPA, 0);          /* ldxr */
		(void)wb_emulate(&w.m.cpu, &w.host);
		fclose(w.host.trace);
		w.host.trace = NULL;
		EXPECT(text && strstr(text, "emulated: str xzr, [x2], #8 at pc ") &&
		       strstr(text, "refused: 0xc85f7c20 at pc "), "host->trace should get a line "
		       "\"emulated: str xzr, [x2], #8 at pc ...\" and one \"refused: 0xc85f7c20 at "
		       "pc ...\"; it got:\n%s", text ? text : "");
		free(text);
	}

	/* What one emulation costs: str xzr, [x2], #8 needs the PC, SCTLR_EL1
	 * and X2 (three KVM_GET_ONE_REG), then X2 and the PC (two SETs). */
	set(&w.m.cpu, ARM64_REG_X(2), L5_MEM_GPA);
	fake(&w, 0xf800845f, L5_MEM_GPA, 0);
	inject_reset();
	ret = wb_emulate(&w.m.cpu, &w.host);
	gets = inject_ioctl_calls(KVM_GET_ONE_REG);
	sets = inject_ioctl_calls(KVM_SET_ONE_REG);
	EXPECT(ret == RUN_EXIT_HANDLED && gets <= 3 && sets <= 2, "str xzr, [x2], #8 should cost "
	       "at most 3 KVM_GET_ONE_REG (PC, SCTLR_EL1, X2) and 2 KVM_SET_ONE_REG (X2, PC): "
	       "got %d after %u and %u", ret, gets, sets);

	/* A big-endian guest: refused, the PC left. */
	set(&w.m.cpu, ARM64_REG_X(2), L5_MEM_GPA);   /* the address matches: only EE differs */
	sctlr = reg(&w.m.cpu, SCTLR_EL1);
	set(&w.m.cpu, SCTLR_EL1, sctlr | (1ULL << 25));
	w.host.refused = 0;
	fake(&w, 0xf800845f, L5_MEM_GPA, 0);
	i = w.mem.nlog;
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 1 && w.mem.nlog == i &&
	       reg(&w.m.cpu, ARM64_REG_PC) == pc, "with SCTLR_EL1.EE set (a big-endian guest), "
	       "refused before any access (got %d, %lu refused, %u accesses)", ret,
	       w.host.refused, w.mem.nlog - i);
	set(&w.m.cpu, SCTLR_EL1, sctlr);

	/* The last 4 bytes of RAM hold an instruction like any other. */
	set(&w.m.cpu, ARM64_REG_X(2), L5_MEM_GPA);
	fake(&w, 0xf800845f, L5_MEM_GPA, 0);
	mmio_le_store(guest_ptr(&w.m.vm, LM_RAM_GPA + LM_RAM_SIZE - 4, 4), 4, 0xf800845f);
	set(&w.m.cpu, ARM64_REG_PC, LM_RAM_GPA + LM_RAM_SIZE - 4);
	w.host.refused = 0;
	ret = wb_emulate(&w.m.cpu, &w.host);
	EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 0 &&
	       reg(&w.m.cpu, ARM64_REG_PC) == LM_RAM_GPA + LM_RAM_SIZE,
	       "str xzr, [x2], #8 in the last 4 bytes of RAM: emulated (got %d, %lu refused)",
	       ret, w.host.refused);

	/* A PC with no memory behind it, or only part of an instruction. */
	bad_pc[0] = LM_RAM_GPA + LM_RAM_SIZE + 0x1000;
	bad_pc[1] = LM_RAM_GPA + LM_RAM_SIZE - 2;
	bad_pc[2] = LM_RAM_GPA + LM_RAM_SIZE - 3;
	for (i = 0; i < 3; i++) {
		fake(&w, 0xf800845f, L5_MEM_GPA, 0);
		set(&w.m.cpu, ARM64_REG_PC, bad_pc[i]);
		w.host.refused = 0;
		ret = wb_emulate(&w.m.cpu, &w.host);
		EXPECT(ret == RUN_EXIT_HANDLED && w.host.refused == 1 &&
		       reg(&w.m.cpu, ARM64_REG_PC) == bad_pc[i], "a PC at 0x%llx (no 4 bytes of "
		       "guest memory there): refused, the PC left (got %d, %lu refused)",
		       (unsigned long long)bad_pc[i], ret, w.host.refused);
	}

	/* KVM refusing the abort: the run stops, naming the ioctl. */
	fake(&w, 0xc85f7c20, L5_MEM_GPA, 0);          /* ldxr */
	inject_ioctl_error(KVM_SET_VCPU_EVENTS, EINVAL, 1);
	kit_clear_error();
	ret = wb_emulate(&w.m.cpu, &w.host);
	inject_reset();
	EXPECT(ret == -EINVAL && strstr(kit_last_error(), "KVM_SET_VCPU_EVENTS"), "when "
	       "KVM_SET_VCPU_EVENTS fails: -EINVAL, and a message naming it (got %d: \"%s\")",
	       ret, kit_last_error());
	wb_stop(&w);
}

static void test_enable(void)
{
	struct wb_host host;
	struct vm vm;
	int ret;

	/* Why: without the capability, the seed's third store cannot run. */
	test_seed_without_nisv();

	ASSERT(vm_create(&vm) == 0, "vm_create: %s", kit_last_error());
	memset(&host, 0, sizeof(host));
	inject_ioctl_value(KVM_CHECK_EXTENSION, 0, 1);
	EXPECT_EQ_INT("wb_enable() when KVM_CAP_ARM_NISV_TO_USER is 0", wb_enable(&vm, &host),
		      -EOPNOTSUPP);
	inject_ioctl_error(KVM_CHECK_EXTENSION, EIO, 1);
	ret = wb_enable(&vm, &host);
	inject_reset();
	EXPECT(ret == -EIO && strstr(kit_last_error(), "KVM_CHECK_EXTENSION"), "wb_enable() when "
	       "KVM_CHECK_EXTENSION fails: -EIO, naming it (got %d: \"%s\")", ret, kit_last_error());
	inject_ioctl_error(KVM_ENABLE_CAP, EINVAL, 1);
	ret = wb_enable(&vm, &host);
	inject_reset();
	EXPECT_EQ_INT("wb_enable() when KVM_ENABLE_CAP fails", ret, -EINVAL);
	if (ret < 0)
		EXPECT_CONTAINS("its message", kit_last_error(), "KVM_ENABLE_CAP");
	EXPECT(!host.nisv, "host->nisv must stay false when enabling failed");
	/* A KVM without KVM_CAP_ARM_INJECT_EXT_DABT (the second check). */
	inject_ioctl_value_after(KVM_CHECK_EXTENSION, 1, 0);
	ret = wb_enable(&vm, &host);
	inject_reset();
	EXPECT(ret == 0 && host.nisv && !host.ext_dabt, "wb_enable() on a KVM without "
	       "KVM_CAP_ARM_INJECT_EXT_DABT: 0, host->nisv, host->ext_dabt false (got %d)", ret);
	memset(&host, 0, sizeof(host));
	ret = wb_enable(&vm, &host);
	EXPECT(ret == 0 && host.nisv && host.ext_dabt, "wb_enable(): 0, host->nisv, and "
	       "host->ext_dabt (this KVM has KVM_CAP_ARM_INJECT_EXT_DABT) (got %d)", ret);
	vm_destroy(&vm);
}

const struct grade_test arch_tests[] = {
	{ "enable", "without the capability the seed's store fails (ENOSYS); it is asked for",
	  2, GRADE_NEEDS_KVM, test_enable,
	  "Section 5: KVM_CHECK_EXTENSION, then KVM_ENABLE_CAP on the VM; the abort capability." },
	{ "seed_emulated", "the seed's three stores reach the device; x2 is written back",
	  3, GRADE_NEEDS_KVM, test_seed_emulated,
	  "Sections 5 and 6: decode at the PC, the address from Rn, the store through the bus, "
	  "Rn += 8, PC += 4." },
	{ "forms_emulated", "every load and store form, from a guest that checks each",
	  4, GRADE_NEEDS_KVM, test_forms_emulated,
	  "Section 6: sizes, sign extension into W and X, pairs in address order, SP_EL1 as "
	  "the base, XZR." },
	{ "emulate_by_hand", "SP_EL0 or SP_EL1, XZR, extends, fault_ipa, CM, MMU, errors",
	  3, GRADE_NEEDS_KVM, test_emulate_by_hand,
	  "Sections 6 and 7: read only the registers the instruction names; check fault_ipa; "
	  "refuse what you cannot emulate." },
	{ "emulate_edges", "UXTW, XZR as the index, a pair's first element, EE, a bad PC, cost",
	  2, GRADE_NEEDS_KVM, test_emulate_edges,
	  "Sections 6 and 7: extend Rm as the option says; read only what you need; refuse "
	  "what you cannot read or cannot answer." },
	{ "refused_abort", "what is not emulated gives the guest an external data abort",
	  3, GRADE_NEEDS_KVM, test_refused_abort,
	  "Section 7: KVM_SET_VCPU_EVENTS with ext_dabt_pending = 1, the rest zero; leave the PC." },
};

const size_t arch_ntests = sizeof(arch_tests) / sizeof(arch_tests[0]);
