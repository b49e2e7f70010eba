/* SPDX-License-Identifier: MIT */
/*
 * checks_arch.h - lesson 05's checks of each architecture: on arm64 the
 * emulator's (checks_arm64.c); on x86_64 none (checks_x86_64.c): the
 * decoder is the lesson there.
 */
#ifndef WRITEBACK_CHECKS_ARCH_H
#define WRITEBACK_CHECKS_ARCH_H

#include <stddef.h>

#include "grade/grade.h"

extern const struct grade_test arch_tests[];
extern const size_t arch_ntests;

#endif
