/* SPDX-License-Identifier: MIT */
/*
 * blob.S - embeds a guest image into a host program.
 * Assembled with -DBLOB_NAME=<symbol> -DBLOB_FILE="<path>"; defines
 * <symbol>[] and <symbol>_end[] around the file's bytes (see guest_image.h).
 */
#define CONCAT2(a, b) a##b
#define CONCAT(a, b) CONCAT2(a, b)

	.section .rodata
	.balign 16
	.globl BLOB_NAME
BLOB_NAME:
	.incbin BLOB_FILE
	.globl CONCAT(BLOB_NAME, _end)
CONCAT(BLOB_NAME, _end):
	.byte 0
	.section .note.GNU-stack, "", %progbits
