/* SPDX-License-Identifier: MIT */
/*
 * seed.S - the question this lesson answers, verbatim: three stores of
 * zero to 0x5000, where there is no memory. The first two carry a
 * syndrome and come as KVM_EXIT_MMIO; the third, post-indexed, does not:
 * without KVM_CAP_ARM_NISV_TO_USER, KVM_RUN fails with ENOSYS. Then x2
 * goes to x19 (PSCI SYSTEM_OFF, the kit's way to end, zeroes x1 to x3).
 */
	.section .text.start, "ax"
	.globl _start
_start:
	mov	x2, #0x5000
	str	xzr, [x2]
	str	xzr, [x2, #8]
	str	xzr, [x2], #8
	mov	x19, x2			/* for the host to see: the PSCI call zeroes x1-x3 */
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16	/* PSCI_SYSTEM_OFF */
	hvc	#0
1:	b	1b
