/* SPDX-License-Identifier: MIT */
/* host.c - lesson 03 (given): your hypercall code in the core's run loop. */
#include <string.h>

#include "hypercalls.h"

void hc_host_init(struct hc_host *host, struct vm *vm, FILE *console)
{
	memset(host, 0, sizeof(*host));
	host->vm = vm;
	host->console = console;
}

const char *hc_name(uint64_t nr)
{
	switch (nr) {
	case KIT_HC_WRITE: return "WRITE";
	case KIT_HC_MIX5: return "MIX5";
	case KIT_HC_FILL: return "FILL";
	case KIT_HC_EXIT: return "EXIT";
	default: return "unknown";
	}
}

bool hc_use_sync_regs(struct hc_host *host, struct vcpu *cpu, bool want)
{
	int caps = kvm_check_extension(cpu->vm->kvm_fd, KVM_CAP_SYNC_REGS);

	/* KVM_CHECK_EXTENSION(KVM_CAP_SYNC_REGS) answers with the register
	 * sets it can sync; asking for them in kvm_valid_regs makes KVM copy
	 * them into run->s.regs at every exit (api.rst, "kvm_valid_regs"). */
	host->sync_regs = want && (caps & arch_sync_regs_gprs) != 0;
	cpu->run->kvm_valid_regs = host->sync_regs ? arch_sync_regs_gprs : 0;
	cpu->run->kvm_dirty_regs = 0;
	return host->sync_regs;
}

int hc_on_exit(struct vcpu *cpu, void *ctx)
{
	struct hc_host *host = ctx;
	struct hc_call call;
	int64_t result;
	int ret;

	if (!hc_is_hypercall_exit(cpu))
		return RUN_EXIT_UNHANDLED;
	ret = hc_read_call(cpu, host, &call);
	if (ret < 0)
		return ret;
	result = hc_dispatch(host, &call);
	if (host->ncalls < HC_LOG_MAX) {
		host->log[host->ncalls].call = call;
		host->log[host->ncalls].result = result;
	}
	host->ncalls++;
	if (host->trace) {
		if (strcmp(hc_name(call.nr), "unknown") == 0)
			fprintf(host->trace, "  hypercall #%llu", (unsigned long long)call.nr);
		else
			fprintf(host->trace, "  hypercall %s", hc_name(call.nr));
		fprintf(host->trace, "(0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx) = ",
			(unsigned long long)call.args[0],
			(unsigned long long)call.args[1], (unsigned long long)call.args[2],
			(unsigned long long)call.args[3], (unsigned long long)call.args[4]);
		if (call.nr == KIT_HC_MIX5)
			fprintf(host->trace, "0x%llx\n", (unsigned long long)result);
		else
			fprintf(host->trace, "%lld\n", (long long)result);
	}
	if (host->exited)
		return RUN_EXIT_STOP;
	ret = hc_set_result(cpu, host, result);
	return ret < 0 ? ret : RUN_EXIT_HANDLED;
}
