/* SPDX-License-Identifier: MIT */
/* jump_unmapped.c - the same program as on x86: it uses nothing but the C library
 * of the kit (printf) and layout.h, which arm64 has too. */
#include "../../guest-x86/02-c-guests/jump_unmapped.c"
