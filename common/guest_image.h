/* SPDX-License-Identifier: MIT */
/*
 * guest_image.h - guest programs built into a host program.
 *
 * The Makefile assembles common/blob.S once per guest image, which defines
 * the symbols `guest_<name>` and `guest_<name>_end` around its bytes.
 * GUEST_IMAGE(hello) declares them and gives a struct guest_image.
 */
#ifndef KIT_GUEST_IMAGE_H
#define KIT_GUEST_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct guest_image {
	const char *name;
	const uint8_t *bytes;
	size_t size;
};

#define GUEST_IMAGE_DECLARE(name)                                   \
	extern const uint8_t guest_##name[], guest_##name##_end[]

#define GUEST_IMAGE(name)                                           \
	((struct guest_image){ #name, guest_##name,                 \
			       (size_t)(guest_##name##_end - guest_##name) })

#endif /* KIT_GUEST_IMAGE_H */
