/* SPDX-License-Identifier: MIT */
/*
 * main.c - lesson 05's program (given): your decoder on the seed's three
 * stores and a few more; then, on arm64, the seed's guest without and
 * with your emulator, every form, and the refused ones.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "a64.h"
#include "arch/arch.h"
#if defined(__aarch64__)
#include "machine.h"
#include "arch/arm64.h"

GUEST_IMAGE_DECLARE(seed);
GUEST_IMAGE_DECLARE(forms);
GUEST_IMAGE_DECLARE(refused_ldxr);
#endif

static int decode_some(void)
{
	static const uint32_t words[] = {
		0xf900005f, 0xf900045f, 0xf800845f, 0xa9bf7bfd, 0xb8804420, 0x7862d820,
		0xc85f7c20, 0x3d800020, 0xf8008421,
	};
	unsigned i;

	printf("--- your decoder ---\n");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct a64_insn d;
		char text[96];

		if (a64_decode(words[i], &d)) {
			a64_text(&d, text, sizeof(text));
			printf("  0x%08x  %-28s %s %u byte%s%s\n", words[i], text,
			       d.load ? "load " : "store", d.size, d.size > 1 ? "s" : "",
			       d.pair ? " x 2" : "");
		} else {
			printf("  0x%08x  refused: %s\n", words[i], d.reason);
		}
		if (kit_first_todo()) {
			printf("[TODO] %s\n", kit_first_todo());
			return -1;
		}
	}
	return 0;
}

#if defined(__aarch64__)
static bool run(const struct guest_image *image, bool nisv, struct wb_machine *w, int *ret)
{
	*ret = wb_start(w, image, nisv, NULL);
	if (*ret == 0)
		*ret = wb_run(w);
	if (kit_first_todo()) {
		printf("[TODO] %s\n", kit_first_todo());
		return false;
	}
	return true;
}

static int emulate(void)
{
	struct guest_image seed = GUEST_IMAGE(seed), forms = GUEST_IMAGE(forms),
			   ldxr = GUEST_IMAGE(refused_ldxr);
	struct wb_machine w;
	uint64_t x2 = 0;
	unsigned i;
	int ret;

	printf("--- guest seed: str xzr, [x2]; str xzr, [x2, #8]; str xzr, [x2], #8 ---\n");
	if (!run(&seed, false, &w, &ret))
		goto todo;
	printf("without KVM_CAP_ARM_NISV_TO_USER: %s\n", ret ? w.m.error : "(it ran?)");
	wb_stop(&w);
	if (!run(&seed, true, &w, &ret))
		goto todo;
	arm64_get_reg(&w.m.cpu, ARM64_REG_X(19), &x2); /* the guest's copy of x2 */
	printf("with your emulator: %s; the device at 0x5000 got", ret ? w.m.error : "done");
	for (i = 0; i < w.seed.nlog; i++)
		printf(" %s 0x%llx", w.seed.log[i].is_write ? "write" : "read",
		       0x5000ULL + w.seed.log[i].offset);
	printf("; x2 = 0x%llx (%lu emulated)\n", (unsigned long long)x2, w.host.emulated);
	wb_stop(&w);

	printf("--- guest forms: every form, each checked by the guest ---\n");
	if (!run(&forms, true, &w, &ret))
		goto todo;
	fwrite(w.m.output, 1, w.m.output_len, stdout);
	printf("[%s] %lu instructions emulated, %lu refused\n", ret ? "FAIL" : "ok",
	       w.host.emulated, w.host.refused);
	wb_stop(&w);

	printf("--- guest refused_ldxr: an exclusive load from a device ---\n");
	if (!run(&ldxr, true, &w, &ret))
		goto todo;
	printf("refused: %s\n", w.host.refusal);
	printf("=> %s\n", ret ? w.m.error : "(the guest went on?)");
	wb_stop(&w);
	return 0;
todo:
	wb_stop(&w);
	return -1;
}
#endif

int main(void)
{
	printf("lesson 05: ARM64 writeback faults (%s)\n", arch_name);
	if (decode_some() < 0)
		return 1;
#if defined(__aarch64__)
	if (emulate() < 0)
		return 1;
#else
	printf("(the emulator needs arm64's KVM: make lesson-05 ARCH=arm64 runs it in the "
	       "emulated arm64 machine)\n");
#endif
	return 0;
}
