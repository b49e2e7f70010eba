/* SPDX-License-Identifier: MIT */
/* hypercalls.c - the same program as on x86: the hypercall API is the same
 * (guest-arm64/lib/hypercall.h), only the transport differs. */
#include "../../guest-x86/03-hypercalls/hypercalls.c"
