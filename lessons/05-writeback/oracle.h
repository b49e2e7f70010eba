/* SPDX-License-Identifier: MIT */
/*
 * oracle.h - lesson 05 (given, oracle.c): Capstone's reading of a word,
 * in the decoder's terms, to compare the decoder with.
 */
#ifndef WRITEBACK_ORACLE_H
#define WRITEBACK_ORACLE_H

#include "a64.h"

struct a64_oracle {
	char text[192];        /* Capstone's text, or "(not decoded)" */
	bool ok;               /* one of the loads and stores the lesson emulates */
	struct a64_insn d;     /* if so, its fields */
};

/* 0, or -1 if Capstone has no AArch64 here. */
int a64_oracle_open(void);
void a64_oracle_close(void);
void a64_oracle_ask(uint32_t word, struct a64_oracle *o);
/* Do two readings agree on every field that matters? If not, which. */
bool a64_same(const struct a64_insn *a, const struct a64_insn *b, const char **what);

/* Every word of the two classes with each field at its edges, in order:
 * `each` is called for each (given, oracle.c). Returns how many. */
unsigned long a64_edge_words(void (*each)(uint32_t word, void *ctx), void *ctx);

#endif
