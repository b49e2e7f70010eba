/* SPDX-License-Identifier: MIT */
/* hostile_abi.h - the same agreement as on x86; the addresses differ by
 * architecture inside it. */
#include "../../guest-x86/04-mmio/hostile_abi.h"
