/* SPDX-License-Identifier: MIT */
/* host.c - lesson 03 (given): your hypercall code in the core's run loop. */
#include <errno.h>
#include <string.h>

#include "02-c-guests/c_guests.h"
#include "hypercalls.h"
#include "guest_image.h"

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
	if (ret > 0)
		return kit_error(-EPROTO, "hc_read_call() returned %d: it returns 0, or a "
				 "negative errno (README section \"3. Reading the arguments\")", ret);
	result = hc_dispatch(host, &call);
	if (host->ncalls < HC_LOG_MAX) {
		host->log[host->ncalls].call = call;
		host->log[host->ncalls].result = result;
		host->log[host->ncalls].exit_reason = cpu->run->exit_reason;
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
			fprintf(host->trace, "0x%llx", (unsigned long long)result);
		else
			fprintf(host->trace, "%lld", (long long)result);
		/* On arm64, say which transport brought it. */
		if (cpu->run->exit_reason != KVM_EXIT_IO)
			fprintf(host->trace, "   (%s)", kvm_exit_name(cpu->run->exit_reason));
		fputc('\n', host->trace);
	}
	if (host->exited)
		return RUN_EXIT_STOP;
	ret = hc_set_result(cpu, host, result);
	if (ret > 0)
		return kit_error(-EPROTO, "hc_set_result() returned %d: it returns 0, or a "
				 "negative errno (README section \"6. Returning the result\")", ret);
	return ret < 0 ? ret : RUN_EXIT_HANDLED;
}

/* For lesson 03's program (main.c, demo_<arch>.c): boot a guest, run it
 * with the hypercalls traced, and say how it ended. */
int hc_demo_run(const struct guest_image *image, unsigned timeout_ms, bool fast)
{
	struct vm vm;
	struct vcpu cpu;
	struct hc_host host;
	struct run_loop loop = { .console = stdout, .timeout_ms = timeout_ms,
				 .on_exit = hc_on_exit, .ctx = &host };
	int ret;

	printf("--- guest %s ---\n", image->name);
	ret = lm_boot(&vm, &cpu, image->bytes, image->size);
	if (ret < 0) {
		printf("booting it failed: %s\n", kit_last_error());
		return ret;
	}
	hc_host_init(&host, &vm, stdout);
	host.trace = stdout;
	hc_fast_transport(&host, &cpu, fast);
	printf("(%s)\n", host.sync_regs ? "registers through KVM_CAP_SYNC_REGS" :
	       host.smccc_filter ? "hvc forwarded by an SMCCC filter, or the MMIO doorbell" :
	       arch_sync_regs_gprs ? "registers through KVM_GET_REGS / KVM_SET_REGS" :
	       "the MMIO doorbell: no SMCCC filter");
	fflush(stdout);
	kit_forget_todos();
	ret = vcpu_run_loop(&cpu, &loop);
	/* A TODO reached first: a guest may well end by itself when every
	 * hypercall fails (on arm64 it powers off), but nothing it did counts. */
	if (kit_first_todo()) {
		printf("[TODO] %s\n", kit_first_todo());
		if (ret == 0)
			ret = -ENOSYS;
	} else if (ret == 0 && host.exited)
		printf("[ok] the guest exited with code %lld after %u hypercalls\n",
		       (long long)host.exit_code, host.ncalls);
	else if (ret == 0)
		printf("[ok] the guest halted after %u hypercalls\n", host.ncalls);
	else {
		printf("[%s] %s\n", ret == -ETIMEDOUT ? "TIMEOUT" : "FAIL", kit_last_error());
		/* Where the guest was: at a vmcall, the diagnosis says why. */
		fflush(stdout);
		vcpu_diagnose(&cpu, kit_last_error(), stdout);
	}
	vcpu_destroy(&cpu);
	vm_destroy(&vm);
	return ret;
}
