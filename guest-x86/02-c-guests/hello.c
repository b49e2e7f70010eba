/* SPDX-License-Identifier: MIT */
/* hello.c - lesson 02's first C guest: it prints, and computes. */
#include "guest.h"

/* fib(90) needs all 64 bits: 2880067194370816120. */
static uint64_t fib(unsigned n)
{
	uint64_t a = 0, b = 1;

	while (n--) {
		uint64_t next = a + b;

		a = b;
		b = next;
	}
	return a;
}

/* How many primes below `limit` (a sieve in .bss: 10000 bytes). */
static unsigned count_primes(unsigned limit)
{
	static uint8_t composite[10000];
	unsigned i, j, count = 0;

	for (i = 2; i < limit; i++) {
		if (composite[i])
			continue;
		count++;
		for (j = i * i; j < limit; j += i)
			composite[j] = 1;
	}
	return count;
}

int main(void)
{
	printf("Hello from 64-bit C!\n");
	printf("fib(90) = %lu\n", fib(90));
	printf("primes below 10000: %u\n", count_primes(10000));
	return 0;
}
