/* SPDX-License-Identifier: MIT */
/*
 * main.c - lesson 02's program (given): boots a C guest in long mode with
 * your code, then a guest that crashes, and prints your crash report.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "c_guests.h"
#include "guest_image.h"

GUEST_IMAGE_DECLARE(hello);
GUEST_IMAGE_DECLARE(wild_pointer);

static int run(const struct guest_image *image)
{
	struct vm vm;
	struct vcpu cpu;
	struct run_loop loop = { .console = stdout, .timeout_ms = KIT_RUN_TIMEOUT_MS };
	struct crash_report report;
	int ret;

	printf("--- guest %s (%zu-byte ELF) ---\n", image->name, image->size);
	ret = lm_boot(&vm, &cpu, image->bytes, image->size);
	if (ret < 0) {
		printf("[%s] booting it: %s\n",
		       strncmp(kit_last_error(), "TODO:", 5) == 0 ? "TODO" : "FAIL",
		       kit_last_error());
		return ret;
	}
	fflush(stdout);
	ret = vcpu_run_loop(&cpu, &loop);
	if (ret == 0) {
		printf("[ok] the guest halted after %lu exits\n", loop.exits);
	} else {
		printf("[the guest failed] %s\n", kit_last_error());
		if (lm_crash_report(&cpu, &report) == 0)
			lm_crash_print(&report, stdout);
		else
			printf("[TODO] crash report: %s\n", kit_last_error());
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	return ret;
}

int main(void)
{
	struct guest_image hello = GUEST_IMAGE(hello);
	struct guest_image wild = GUEST_IMAGE(wild_pointer);
	int ok;

	printf("lesson 02: 64-bit guests in C\n");
	ok = run(&hello) == 0;
	if (ok)
		run(&wild); /* this one crashes on purpose */
	return ok ? 0 : 1;
}
