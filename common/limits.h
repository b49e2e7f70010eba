/* SPDX-License-Identifier: MIT */
/*
 * limits.h - every time limit of the kit, in one place.
 *
 * They nest: a guest run ends by its own watchdog, with a message that
 * says why, well before the grader kills the check that started it. So
 * each limit is smaller than the one that contains it, and the compiler
 * holds them to that (the _Static_asserts below).
 */
#ifndef KIT_LIMITS_H
#define KIT_LIMITS_H

/* One guest run from the first KVM_RUN to the guest's end: the watchdog's
 * deadline in the lessons' programs and checks, and vcpu_run_loop()'s when
 * its caller gives none. */
#define KIT_RUN_TIMEOUT_MS 5000

/* A run inside a check that makes several runs (lesson 01's). */
#define KIT_SHORT_RUN_TIMEOUT_MS 3000

/* The vmcall experiment (lesson 03): where KVM keeps the guest in the
 * kernel forever, the watchdog is the expected way out, so wait less. */
#define KIT_VMCALL_RUN_TIMEOUT_MS 2000

/* The grader's limit for one isolated check, in seconds (KIT_TEST_TIMEOUT
 * in the environment overrides it). */
#define KIT_TEST_TIMEOUT_S 10

/* kvmrun's default --timeout: a whole guest of the user's, not a check. */
#define KIT_KVMRUN_TIMEOUT_MS 10000

_Static_assert(KIT_RUN_TIMEOUT_MS < KIT_TEST_TIMEOUT_S * 1000,
	       "a guest run must time out before the check that runs it");
_Static_assert(2 * KIT_SHORT_RUN_TIMEOUT_MS < KIT_TEST_TIMEOUT_S * 1000,
	       "two short runs must fit in one check");
_Static_assert(KIT_VMCALL_RUN_TIMEOUT_MS < KIT_RUN_TIMEOUT_MS,
	       "the vmcall experiment waits less than a normal run");

#endif /* KIT_LIMITS_H */
