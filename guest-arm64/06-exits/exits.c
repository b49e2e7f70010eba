/* SPDX-License-Identifier: MIT */
/* exits.c - the same program as on x86 (its arm64 blocks: the counter,
 * PSCI_VERSION, the MMIO mark, post-indexed stores); the addresses are
 * in layout.h. */
#include "../../guest-x86/06-exits/exits.c"
