/* SPDX-License-Identifier: MIT */
/*
 * hidden.h - what lesson 01's hidden checks (checks_hidden.c) take from
 * each architecture's file (checks_hidden_<arch>.c).
 */
#ifndef FIRST_RUN_HIDDEN_H
#define FIRST_RUN_HIDDEN_H

#include <stddef.h>
#include <stdint.h>

/*
 * A guest that prints `text` and ends normally, made to run at any
 * address: it never reads its own bytes (each character is an immediate),
 * so where it is loaded and where it is entered are all that matter.
 * Writes at most `max` bytes to `code`; returns how many, 0 if too few.
 */
size_t hidden_printing_guest(const char *text, uint8_t *code, size_t max);

/* Where it is loaded: inside guest RAM, far from GUEST_LOAD_GPA. */
extern const uint64_t hidden_other_load_gpa;

/* A byte that ends a guest at once wherever it starts executing in RAM
 * (x86: hlt), so that a vCPU entered at the wrong address prints nothing
 * instead of sliding through zeros into the code. */
extern const uint8_t hidden_stop_byte;

#endif
