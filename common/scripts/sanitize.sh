#!/bin/bash
# SPDX-License-Identifier: MIT
#
# sanitize.sh OUT BUILD LESSON... - what `make sanitize` runs (and `make
# check` too): the core's unit tests, every lesson's checks on the
# reference solution, and kvmrun and hostile on hostile guests, all built
# with ASan and UBSan. A sanitizer report aborts the test process, which
# the harness shows as a CRASH: the run is clean only if everything passes.
set -uo pipefail
out=$1 build=$2
shift 2
summary=${KIT_CHECK_SUMMARY:-/dev/null}
status=0

# halt_on_error: the first report ends the process; no leak checks (the
# tests exit without freeing on purpose).
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# ASan and UBSan make the code many times slower, and this stage is about
# memory safety, not speed: a check gets 120 s here, not 10, so it reports
# a hang only where there is one. Lesson 05's 50000-word decoder check
# takes 0.8 s in an emulated Pi 4, and 19 s there with ASan+UBSan.
export KIT_TEST_TIMEOUT=${KIT_TEST_TIMEOUT:-120}

"$out/tests/core-tests" --label "core, ASan+UBSan" --summary "$summary" || status=1
for lesson in "$@"; do
	"$out/solution/$lesson/grade" --label "reference solution, ASan+UBSan" \
		--summary "$summary" || status=1
done

# kvmrun on guests that misbehave, and on images that are not images.
guests=$out/guest
runs=0 bad=0
run() { # expected-status args...
	local want=$1 got
	shift
	"$out/kvmrun" --quiet "$@" > "$build/sanitize-kvmrun.txt" 2>&1
	got=$?
	runs=$((runs + 1))
	if [ "$got" != "$want" ] || grep -q "Sanitizer" "$build/sanitize-kvmrun.txt"; then
		bad=$((bad + 1))
		echo "  FAIL  kvmrun $*: exit status $got, expected $want"
		sed 's/^/        | /' "$build/sanitize-kvmrun.txt" | tail -n 20
	fi
}
run 0 "$guests/03-hypercalls/hostile.img"
run 42 "$guests/03-hypercalls/hypercalls.img"
run 70 "$guests/02-c-guests/wild_pointer.img"
run 70 "$guests/02-c-guests/jump_unmapped.img"
# A guest that ends the machine the wrong way: x86's triple fault
# (KVM_EXIT_SHUTDOWN), arm64's request for a reboot (PSCI SYSTEM_RESET).
case $(basename "$out") in
arm64*) run 70 "$guests/01-first-run/system_reset.img" ;;
*) run 70 "$guests/01-first-run/triple_fault.img" ;;
esac
printf '\177ELF\002\001\001' > "$build/sanitize-truncated.elf"
run 66 "$build/sanitize-truncated.elf"
run 71 --timeout 300 "$guests/01-first-run/spin.img"
# hostile: lessons 04-05's bus and emulator against guests that probe
# their edges, each scenario one run, checked by the program against its
# model (on x86, toctou and refused-loop say skip and exit 0: x86 KVM
# decodes MMIO instructions itself).
hostile() { # scenario
	"$out/hostile" "$1" > "$build/sanitize-hostile.txt" 2>&1
	local got=$?
	runs=$((runs + 1))
	if [ "$got" != 0 ] || grep -q "Sanitizer" "$build/sanitize-hostile.txt" ||
		! grep -Eq "^(ok|skip) $1: " "$build/sanitize-hostile.txt"; then
		bad=$((bad + 1))
		echo "  FAIL  hostile $1: exit status $got"
		sed 's/^/        | /' "$build/sanitize-hostile.txt" | tail -n 20
	fi
}
for scenario in top edges toctou refused-loop; do
	hostile "$scenario"
done
echo "kvmrun with ASan+UBSan: $((runs - bad)) of $runs runs as expected (with hostile's scenarios)"
printf 'kvmrun on hostile guests, ASan+UBSan\t%d\t%d\t0\t0\t0\n' $((runs - bad)) "$bad" >> "$summary"
[ "$bad" -eq 0 ] || status=1
exit $status
