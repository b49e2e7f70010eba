/* SPDX-License-Identifier: MIT */
/* crash_print_arm64.c - lesson 02 (given): a crash report, in words. */
#include "c_guests.h"
#include "arch/arm64.h"

static const char *exception_class(uint64_t esr)
{
	switch (ARM64_ESR_EC(esr)) {
	case ARM64_EC_UNKNOWN: return "an undefined instruction";
	case ARM64_EC_IABT_CUR: return "an instruction abort (code fetched from nowhere)";
	case ARM64_EC_DABT_CUR: return "a data abort (a load or store that failed)";
	default: return "another exception";
	}
}

void lm_crash_print(const struct crash_report *r, FILE *out)
{
	char text[160];
	unsigned i;

	fprintf(out, "crash report:\n");
	fprintf(out, "  exit:    %s (%u)\n", r->exit_name ? r->exit_name : "?", r->exit_reason);
	if (r->has_exception)
		fprintf(out, "  the guest took %s: ESR_EL1 0x%llx, at ELR_EL1 0x%llx\n",
			exception_class(r->esr), (unsigned long long)r->esr,
			(unsigned long long)r->elr);
	if (r->has_fault_address)
		fprintf(out, "  fault:   %s 0x%llx%s\n", r->fault_is_write ? "write to" : "access to",
			(unsigned long long)r->fault_address,
			r->has_exception ? " (FAR_EL1)" : " (no memory there)");
	fprintf(out, "  pc:      0x%llx   sp: 0x%llx%s\n", (unsigned long long)r->pc,
		(unsigned long long)r->sp, r->sp == 0 ? "   <- a zero stack pointer" : "");
	for (i = 0; i < r->nregs && i < 31; i++)
		fprintf(out, "%sx%-2u 0x%016llx%s", i % 4 ? " " : "  ", i,
			(unsigned long long)r->regs[i], i % 4 == 3 || i == 30 ? "\n" : "");
	if (r->code_len >= 4) {
		kit_disassemble(r->code, 4, r->pc, KIT_ISA_ARM64, text, sizeof(text));
		fprintf(out, "  at pc:   %s\n", text);
	} else {
		fprintf(out, "  at pc:   nothing: the pc is outside guest memory\n");
	}
}
