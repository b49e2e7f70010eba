/* SPDX-License-Identifier: MIT */
/* edges.c - the same program as on x86, with arm64's accesses
 * (hostile_arm64.h): a misaligned one faults in the guest and is skipped. */
#include "../../guest-x86/04-mmio/edges.c"
