/* SPDX-License-Identifier: MIT */
/* crash_print_x86_64.c - lesson 02 (given): a crash report, in words. */
#include "c_guests.h"

static const char *const reg_names[16] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

void lm_crash_print(const struct crash_report *r, FILE *out)
{
	char text[160];
	unsigned i;

	fprintf(out, "crash report:\n");
	fprintf(out, "  exit:    %s (%u)\n", r->exit_name ? r->exit_name : "?", r->exit_reason);
	if (r->has_fault_address)
		fprintf(out, "  fault:   %s guest physical 0x%llx (no memory there)\n",
			r->fault_is_write ? "write to" : "read from",
			(unsigned long long)r->fault_address);
	fprintf(out, "  rip:     0x%llx   rsp: 0x%llx%s\n", (unsigned long long)r->pc,
		(unsigned long long)r->sp, r->sp == 0 ? "   <- a zero stack pointer" : "");
	for (i = 0; i < 16 && i < r->nregs; i++)
		fprintf(out, "%s%-3s 0x%016llx%s", i % 4 ? " " : "  ", reg_names[i],
			(unsigned long long)r->regs[i], i % 4 == 3 ? "\n" : "");
	if (r->code_len) {
		kit_disassemble(r->code, r->code_len, r->pc, KIT_ISA_X86_64, text, sizeof(text));
		fprintf(out, "  at rip:  %s\n", text);
	} else {
		fprintf(out, "  at rip:  nothing: rip is outside guest memory (a jump to nowhere?)\n");
	}
}
