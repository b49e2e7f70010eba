/* SPDX-License-Identifier: MIT */
/*
 * disasm_none.c - built when Capstone is not installed: the instruction at
 * the program counter is shown as raw bytes (install libcapstone-dev, or
 * run `make deps`, to see it disassembled).
 */
#include "kit.h"

size_t kit_disassemble(const uint8_t *code, size_t len, uint64_t address,
		       enum kit_isa isa, char *buf, size_t buflen)
{
	size_t used = 0, i;

	(void)address;
	(void)isa;
	buf[0] = '\0';
	for (i = 0; i < len && used + 4 < buflen; i++)
		used += (size_t)snprintf(buf + used, buflen - used, "%s%02x", i ? " " : "", code[i]);
	return 0;
}
