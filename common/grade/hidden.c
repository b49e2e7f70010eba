/* SPDX-License-Identifier: MIT */
/*
 * hidden.c - no hidden checks: the empty tables a grading program links
 * when its lesson has no hidden/LESSON/ files (a student's release, or a
 * lesson without them). They are weak, and in an archive member of their
 * own, so that an instructor's checks_hidden*.c, linked as objects,
 * define the same names and win.
 */
#include "grade.h"

/* Zero entries: the arrays exist only to be overridden. */
__attribute__((weak)) const struct grade_test hidden_tests[0];
__attribute__((weak)) const size_t hidden_ntests = 0;
__attribute__((weak)) const struct grade_test hidden_arch_tests[0];
__attribute__((weak)) const size_t hidden_arch_ntests = 0;
