/* SPDX-License-Identifier: MIT */
/* flood.c - the same program as on x86: the devices and their registers are
 * the same (common/abi/devices_abi.h); where they are is in layout.h, and
 * how to reach them in mmio.h (plain ldr/str). */
#include "../../guest-x86/04-mmio/flood.c"
