/* SPDX-License-Identifier: MIT */
/*
 * vmcall.c - what happens to a `vmcall` with four arguments. KVM handles
 * vmcall itself and does not exit to userspace for it: on an Intel or AMD
 * machine the guest gets -KVM_ENOSYS (-1000) in RAX and goes on; on a KVM
 * back end without the instruction (such as kvm_pvm, a software back end)
 * KVM_RUN never returns and only the host's watchdog ends the run.
 */
#include "guest.h"
#include "hypercall.h"

int main(void)
{
	int64_t ret;
	static const char before[] = "calling vmcall with 4 arguments\n";

	hc_write(before, sizeof(before) - 1);
	/* nr 0x7000 is not a KVM hypercall; args in RBX, RCX, RDX, RSI. */
	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(0x7000ULL), "b"(1ULL), "c"(2ULL), "d"(3ULL), "S"(4ULL)
			 : "memory");
	printf("vmcall returned %ld\n", ret);
	return 0;
}
