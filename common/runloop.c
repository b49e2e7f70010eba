/* SPDX-License-Identifier: MIT */
/*
 * runloop.c - the generic run loop (the shape of kvmtool's kvm-cpu.c):
 * KVM_RUN, then decide by exit reason. Console output and the guest's
 * normal end are recognised by the architecture back end; anything else
 * goes to the caller's hook, and what nobody handles ends the run with a
 * diagnosis.
 */
#include <errno.h>
#include <string.h>

#include "kit.h"
#include "arch/arch.h"

int vcpu_run_loop(struct vcpu *cpu, struct run_loop *loop)
{
	unsigned timeout = loop->timeout_ms ? loop->timeout_ms : KIT_RUN_TIMEOUT_MS;
	char text[256];
	const uint8_t *data;
	size_t len;
	int ret;

	loop->exits = 0;
	ret = watchdog_arm(cpu->run, timeout);
	if (ret < 0)
		return ret;

	for (;;) {
		ret = vcpu_run(cpu);
		if (ret < 0)
			break;
		loop->exits++;
		if (loop->trace) {
			kvm_exit_describe(cpu->run, text, sizeof(text));
			fprintf(loop->trace, "[exit %lu] %s\n", loop->exits, text);
		}

		if (arch_console_output(cpu, &data, &len)) {
			if (loop->console)
				fwrite(data, 1, len, loop->console);
			continue;
		}
		if (arch_exit_is_halt(cpu->run)) {
			ret = 0;
			break;
		}
		if (loop->on_exit) {
			ret = loop->on_exit(cpu, loop->ctx);
			if (ret == RUN_EXIT_HANDLED)
				continue;
			if (ret == RUN_EXIT_STOP) {
				ret = 0;
				break;
			}
			if (ret < 0)
				break;
		}
		kvm_exit_describe(cpu->run, text, sizeof(text));
		ret = kit_error(-EPROTO, "unexpected exit %s", text);
		break;
	}
	watchdog_disarm();
	if (loop->console)
		fflush(loop->console);
	return ret;
}
