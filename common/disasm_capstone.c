/* SPDX-License-Identifier: MIT */
/*
 * disasm_capstone.c - one instruction at the program counter, in words.
 * Built when Capstone is installed (libcapstone-dev); otherwise the
 * Makefile builds disasm_none.c, which shows the bytes only.
 */
#include <string.h>

#include <capstone/capstone.h>

#include "kit.h"

static void hex(const uint8_t *code, size_t len, char *buf, size_t buflen)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < len && used + 4 < buflen; i++)
		used += (size_t)snprintf(buf + used, buflen - used, "%s%02x", i ? " " : "", code[i]);
}

size_t kit_disassemble(const uint8_t *code, size_t len, uint64_t address,
		       enum kit_isa isa, char *buf, size_t buflen)
{
	cs_arch arch = CS_ARCH_X86;
	cs_mode mode = CS_MODE_64;
	char bytes[64];
	cs_insn *insn;
	csh handle;
	size_t n, size;

	switch (isa) {
	case KIT_ISA_X86_16:
		mode = CS_MODE_16;
		break;
	case KIT_ISA_X86_32:
		mode = CS_MODE_32;
		break;
	case KIT_ISA_X86_64:
		break;
	case KIT_ISA_ARM64:
		arch = CS_ARCH_ARM64;
		mode = CS_MODE_ARM;
		if (len > 4)
			len = 4; /* one fixed-size instruction */
		break;
	}

	hex(code, len, buf, buflen);
	if (cs_open(arch, mode, &handle) != CS_ERR_OK)
		return 0;
	n = cs_disasm(handle, code, len, address, 1, &insn);
	if (n == 0) {
		cs_close(&handle);
		return 0;
	}
	size = insn[0].size;
	hex(code, size, bytes, sizeof(bytes));
	snprintf(buf, buflen, "%s %s   [%s]", insn[0].mnemonic, insn[0].op_str, bytes);
	cs_free(insn, n);
	cs_close(&handle);
	return size;
}
