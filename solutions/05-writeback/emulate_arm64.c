/* SPDX-License-Identifier: MIT */
/*
 * emulate_arm64.c - lesson 05, sections 5 to 7: what KVM cannot decode,
 * done by hand. At KVM_EXIT_ARM_NISV the guest is stopped on a load or
 * store KVM had no syndrome for; the instruction is in guest memory at
 * the PC (the MMU is off: the PC is a physical address).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "writeback.h"
#include "arch/arm64.h"

#define SCTLR_EL1    ARM64_SYS_REG(3, 0, 1, 0, 0)
#define SCTLR_M      (1ULL << 0)   /* the stage 1 MMU */
#define SCTLR_EE     (1ULL << 25)  /* big-endian data at EL1 */
#define ISS_CM       (1ULL << 8)   /* a cache maintenance instruction */

/* Section 5. */
int wb_enable(struct vm *vm, struct wb_host *host)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };
	int ret;

	ret = ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER);
	if (ret < 0)
		return kit_syscall_error("KVM_CHECK_EXTENSION", "KVM_CAP_ARM_NISV_TO_USER");
	if (ret == 0)
		return kit_error(-EOPNOTSUPP, "this KVM cannot hand undecoded accesses to "
				 "userspace (KVM_CAP_ARM_NISV_TO_USER is 0; Linux 5.5+)");
	if (ioctl(vm->fd, KVM_ENABLE_CAP, &cap) < 0)
		return kit_syscall_error("KVM_ENABLE_CAP", "KVM_CAP_ARM_NISV_TO_USER");
	host->nisv = true;
	ret = ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_DABT);
	host->ext_dabt = ret > 0;
	return 0;
}

/* Section 7. */
int wb_refuse(struct vcpu *cpu, struct wb_host *host, const char *why)
{
	struct kvm_vcpu_events events;

	snprintf(host->refusal, sizeof(host->refusal), "%s", why);
	if (!host->ext_dabt)
		return kit_error(-ENOTSUP, "cannot emulate: %s (and this KVM cannot give the guest "
				 "an external abort: KVM_CAP_ARM_INJECT_EXT_DABT is 0)", why);
	memset(&events, 0, sizeof(events));
	events.exception.ext_dabt_pending = 1;
	if (ioctl(cpu->fd, KVM_SET_VCPU_EVENTS, &events) < 0)
		return kit_syscall_error("KVM_SET_VCPU_EVENTS", "an external data abort for: %s", why);
	host->refused++;
	if (host->trace)
		fprintf(host->trace, "refused: %s: an external data abort for the guest\n", why);
	return RUN_EXIT_HANDLED;
}

/* X0-X30 by number; 31 is XZR for data, SP for a base. */
static int get_x(struct vcpu *cpu, unsigned n, uint64_t *v)
{
	if (n == 31) {
		*v = 0;
		return 0;
	}
	return arm64_get_reg(cpu, ARM64_REG_X(n), v);
}

static int set_x(struct vcpu *cpu, unsigned n, uint64_t v)
{
	return n == 31 ? 0 : arm64_set_reg(cpu, ARM64_REG_X(n), v); /* XZR: discarded */
}

/* The stack pointer in use: SP_EL1 at EL1h, SP_EL0 at EL1t and EL0t. */
static uint64_t sp_id(uint64_t pstate)
{
	return (pstate & 0xf) == 0x5 ? ARM64_REG_SP_EL1 : ARM64_REG_SP_EL0;
}

/* Section 6. */
int wb_emulate(struct vcpu *cpu, struct wb_host *host)
{
	const struct kvm_run *run = cpu->run;
	uint64_t pc, sctlr, pstate = 0, base, index = 0, addr, values[2] = { 0, 0 };
	uint64_t ipa = run->arm_nisv.fault_ipa, base_id = 0;
	const uint8_t *code;
	struct a64_insn d;
	char text[96], why[200];
	unsigned e, n;
	int ret;

	if ((ret = arm64_get_reg(cpu, ARM64_REG_PC, &pc)) < 0 ||
	    (ret = arm64_get_reg(cpu, SCTLR_EL1, &sctlr)) < 0)
		return ret;
	/* A cache maintenance instruction on an address with no memory: there
	 * is no cache of a device to clean. Skip it. */
	if (run->arm_nisv.esr_iss & ISS_CM) {
		host->cache_ops++;
		return arm64_set_reg(cpu, ARM64_REG_PC, pc + 4) < 0 ? -EIO : RUN_EXIT_HANDLED;
	}
	if (sctlr & SCTLR_M)
		return wb_refuse(cpu, host, "the guest's MMU is on: the PC is a virtual address, "
				 "and this emulator reads code only by physical address");
	if (sctlr & SCTLR_EE)
		return wb_refuse(cpu, host, "the guest is big-endian (SCTLR_EL1.EE)");
	code = guest_ptr(cpu->vm, pc, 4);
	if (!code)
		return wb_refuse(cpu, host, "the PC is not in guest memory");
	if (!a64_decode((uint32_t)mmio_le_load(code, 4), &d)) {
		snprintf(why, sizeof(why), "0x%08x at pc 0x%llx: %s", d.word,
			 (unsigned long long)pc, d.reason);
		return wb_refuse(cpu, host, why);
	}
	a64_text(&d, text, sizeof(text));

	/* The address, from the registers the instruction names. */
	if (d.rn == 31) {
		if ((ret = arm64_get_reg(cpu, ARM64_REG_PSTATE, &pstate)) < 0)
			return ret;
		base_id = sp_id(pstate);
	} else {
		base_id = ARM64_REG_X(d.rn);
	}
	if ((ret = arm64_get_reg(cpu, base_id, &base)) < 0)
		return ret;
	if (d.mode == A64_REGISTER) {
		if ((ret = get_x(cpu, d.rm, &index)) < 0)
			return ret;
		if (d.extend == A64_UXTW)
			index = (uint32_t)index;
		else if (d.extend == A64_SXTW)
			index = (uint64_t)(int64_t)(int32_t)index;
		index <<= d.shift;
	}
	addr = d.mode == A64_POST ? base :
	       base + (d.mode == A64_REGISTER ? index : (uint64_t)d.offset);
	/* The instruction at PC must be the one that faulted. */
	if (ipa != addr && !(d.pair && ipa == addr + d.size)) {
		snprintf(why, sizeof(why), "`%s` at pc 0x%llx accesses 0x%llx, but the fault was "
			 "at 0x%llx: not the instruction that faulted", text,
			 (unsigned long long)pc, (unsigned long long)addr, (unsigned long long)ipa);
		return wb_refuse(cpu, host, why);
	}

	/* Each element, in address order, through the bus. */
	for (e = 0, n = d.pair ? 2 : 1; e < n; e++) {
		uint8_t data[8] = { 0 };
		unsigned rt = e ? d.rt2 : d.rt;
		uint64_t v;

		if (!d.load) {
			if ((ret = get_x(cpu, rt, &v)) < 0)
				return ret;
			mmio_le_store(data, d.size, v);
		}
		ret = mmio_bus_access(host->mmio.bus, addr + e * d.size, data, d.size, !d.load, pc);
		if (ret < 0) {
			snprintf(why, sizeof(why), "`%s` at pc 0x%llx: %s", text,
				 (unsigned long long)pc, kit_last_error());
			return wb_refuse(cpu, host, why);
		}
		v = mmio_le_load(data, d.size);
		if (d.sign && d.size < 8)
			v = (uint64_t)((int64_t)(v << (64 - 8 * d.size)) >> (64 - 8 * d.size));
		if (d.dest_bits == 32)
			v = (uint32_t)v;
		values[e] = v;
	}
	if (d.load) {
		if ((ret = set_x(cpu, d.rt, values[0])) < 0 ||
		    (d.pair && (ret = set_x(cpu, d.rt2, values[1])) < 0))
			return ret;
	}
	if (d.mode == A64_PRE || d.mode == A64_POST) {
		if ((ret = arm64_set_reg(cpu, base_id, base + (uint64_t)d.offset)) < 0)
			return ret;
	}
	/* KVM does not move the PC past an instruction it did not decode. */
	if ((ret = arm64_set_reg(cpu, ARM64_REG_PC, pc + 4)) < 0)
		return ret;
	host->emulated++;
	if (host->trace)
		fprintf(host->trace, "emulated: %s at pc 0x%llx (address 0x%llx)\n", text,
			(unsigned long long)pc, (unsigned long long)addr);
	return RUN_EXIT_HANDLED;
}
