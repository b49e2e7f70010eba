#!/bin/bash
# SPDX-License-Identifier: MIT
#
# selftest.sh [--cache DIR] [--fetch] [KERNEL...] - check the emulated arm64
# machine end to end: KVM works in it on each KERNEL (default: each of 6.12,
# 6.12-16k and 6.1 that the cache has), a results file comes back intact,
# and run.sh reports every way a run can end with its own exit status.
#
#   --cache DIR   the cache (default: $EMU_CACHE, else build/emu-arm64)
#   --fetch       fetch the KERNELs first if the cache lacks them
#
# Prints PASS or FAIL per check and a closing "N passed, N failed" line;
# exits 0 only if every check passed. Takes 2-4 s per machine booted
# (3 + 15 boots with the three kernels, and 25 s waiting for two machines
# that stop answering).
set -uo pipefail

prog=selftest
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kit_top=$(cd "$here/../.." && pwd)
cache=${EMU_CACHE:-$kit_top/build/emu-arm64}
fetch=0
while [ $# -gt 0 ]; do
	case $1 in
	--cache) cache=$2; shift 2 ;;
	--fetch) fetch=1; shift ;;
	-h|--help) sed -n '4,/^[^#]/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	*) break ;;
	esac
done
kernels=("$@")
if [ $fetch = 1 ]; then
	"$here/fetch.sh" "$cache" "${kernels[@]:-6.12}" || exit 1
fi
if [ ${#kernels[@]} -eq 0 ]; then
	for k in 6.12 6.12-16k 6.1; do
		[ -s "$cache/kernels/$k/vmlinuz" ] && kernels+=("$k")
	done
fi
if [ ${#kernels[@]} -eq 0 ]; then
	echo "$prog: no kernel in $cache/kernels; fetch one first:" >&2
	echo "    $here/fetch.sh $cache 6.12" >&2
	exit 1
fi

# The test programs, built for the emulated machine.
CROSS_CC=aarch64-linux-gnu-gcc
command -v $CROSS_CC >/dev/null || {
	echo "$prog: $CROSS_CC is missing: sudo apt-get install gcc-aarch64-linux-gnu" >&2
	exit 1
}
bin=$cache/bin
mkdir -p "$bin"
for p in kvmprobe testprog; do
	$CROSS_CC -std=c11 -static -O2 -Wall -Wextra -Werror -o "$bin/$p" "$here/$p.c" || {
		echo "$prog: cannot build $p" >&2
		exit 1
	}
done

work=$(mktemp -d "${TMPDIR:-/tmp}/emu-selftest.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# expect NAME STATUS PATTERN -- COMMAND...: run COMMAND; it must exit with
# STATUS and print (stdout or stderr) a line matching the extended regular
# expression PATTERN.
expect() {
	local name=$1 want=$2 pattern=$3 status
	shift 4
	"$@" >"$work/output" 2>&1 </dev/null
	status=$?
	if [ "$status" = "$want" ] && grep -qE -- "$pattern" "$work/output"; then
		echo "PASS  $name"
		passed=$((passed + 1))
	else
		echo "FAIL  $name"
		echo "      expected exit status $want and a line matching: $pattern"
		echo "      got exit status $status and this output (last lines):"
		tail -n 15 "$work/output" | sed 's/^/        | /'
		failed=$((failed + 1))
	fi
}
# pass_if NAME CONDITION-COMMAND...: a check done on the host afterwards.
pass_if() {
	local name=$1
	shift
	if "$@"; then
		echo "PASS  $name"
		passed=$((passed + 1))
	else
		echo "FAIL  $name"
		failed=$((failed + 1))
	fi
}

run=("$here/run.sh" --cache "$cache")

# ---- KVM works on each kernel, and the results file comes back ----------
for k in "${kernels[@]}"; do
	page_size=4096 smccc=true
	case $k in *-16k) page_size=16384 ;; esac
	case $k in 6.1) smccc=false ;; esac
	rm -rf "$work/out-$k"
	expect "kvmprobe on $k: PSCI SYSTEM_OFF exits to the host" 0 \
		"kvmprobe: PASS: PSCI SYSTEM_OFF" -- \
		"${run[@]}" --kernel "$k" --collect /tmp/probe.json --out "$work/out-$k" \
		-- "$bin/kvmprobe"
	pass_if "kvmprobe on $k: probe.json came back: page size $page_size, SMCCC filter $smccc" \
		grep -qzE "\"page_size\": $page_size,.*\"smccc_filter\": $smccc,.*\"ok\": true" \
		"$work/out-$k/probe.json"
done

# ---- how a run ends: on the first kernel --------------------------------
k=${kernels[0]}
expect "exit status passes through ($k)" 3 . -- \
	"${run[@]}" --kernel "$k" -- "$bin/testprog" exit 3
expect "arguments arrive unchanged (spaces, commas, %, quotes)" 0 \
	'^<a b,c%d"e>$' -- \
	"${run[@]}" --kernel "$k" -- "$bin/testprog" args 'a b,c%d"e'
expect "environment: --env, passed-on variables, working directory" 0 \
	'^ONE=a b$' -- \
	env KIT_FAIL_ON_SKIP=1 "${run[@]}" --kernel "$k" --env 'ONE=a b' \
	-- "$bin/testprog" env ONE KIT_FAIL_ON_SKIP KIT_OUT
pass_if "environment: KIT_FAIL_ON_SKIP passed on, program runs in /out" \
	grep -qzE 'KIT_FAIL_ON_SKIP=1.KIT_OUT=/out.cwd=/out' "$work/output"
expect "a last line without newline is kept" 0 '^no newline at the end$' -- \
	"${run[@]}" --kernel "$k" -- "$bin/testprog" nonl
head -c 100000 /dev/urandom >"$work/data.bin"
rm -rf "$work/files"
expect "a binary file goes in (--file) and comes back (/out)" 0 \
	"booted in" -- \
	"${run[@]}" --kernel "$k" --verbose --file "$work/data.bin:/data/in.bin" \
	--out "$work/files" -- "$bin/testprog" copy /data/in.bin copy.bin
pass_if "the file that came back is identical" cmp -s "$work/data.bin" "$work/files/copy.bin"
# Several programs in one boot: each its own directory, output and status.
printf 'first\t%s\texit\t5\nsecond\t%s\targs\ta b\nthird\t%s\tsegv\n' \
	"$bin/testprog" "$bin/testprog" "$bin/testprog" >"$work/batch"
rm -rf "$work/batch-out"
expect "--batch: one boot runs every program" 0 "running 3 programs" -- \
	"${run[@]}" --kernel "$k" --batch "$work/batch" --out "$work/batch-out"
pass_if "--batch: each run's status comes back (exit 5, exit 0, signal 11)" \
	test "$(cat "$work/batch-out/first/status" "$work/batch-out/second/status" \
		"$work/batch-out/third/status" 2>/dev/null | paste -sd,)" = "exit 5,exit 0,signal 11 SIGSEGV"
pass_if "--batch: each run's output comes back" grep -qx '<a b>' "$work/batch-out/second/output.txt"
expect "a program killed by a signal: 128+11" 139 'killed by signal 11 \(SIGSEGV\)' -- \
	"${run[@]}" --kernel "$k" -- "$bin/testprog" segv
expect "a program over its time limit is stopped: 124" 124 'did not finish within 3 s' -- \
	"${run[@]}" --kernel "$k" --timeout 3 -- "$bin/testprog" sleep
# A machine that stops answering: booted once more, then given up on.
expect "a machine that stops answering, twice: 122, naming the program" 122 \
	'stopped answering on each of 2 boots' -- \
	env EMU_STALL_GRACE_S=5 "${run[@]}" --kernel "$k" --timeout 3 -- "$bin/testprog" freeze
pass_if "... it said what it waited for, and booted again once" \
	grep -qzE 'in time for the end of testprog \(its limit, --timeout 3 s, plus 5 s\).*booted again to run everything once more \(boot 2 of 2\)' \
	"$work/output"
printf 'before\t%s\texit\t0\nstalls\t%s\tfreeze\tonce\nafter\t%s\texit\t7\n' \
	"$bin/testprog" "$bin/testprog" "$bin/testprog" >"$work/batch-stall"
rm -rf "$work/stall-out"
expect "a machine that stops answering once: booted again, the batch runs whole" 0 \
	'booted again to run everything once more \(boot 2 of 2\)' -- \
	env EMU_STALL_GRACE_S=5 "${run[@]}" --kernel "$k" --timeout 3 --batch "$work/batch-stall" \
	--out "$work/stall-out"
pass_if "... every run's status is the second boot's (exit 0, exit 0, exit 7)" \
	test "$(cat "$work/stall-out/before/status" "$work/stall-out/stalls/status" \
		"$work/stall-out/after/status" 2>/dev/null | paste -sd,)" = "exit 0,exit 0,exit 7"
printf 'not a program\n' >"$work/notelf"
chmod +x "$work/notelf"
expect "a file that is no program cannot start: 126" 126 'Exec format error' -- \
	"${run[@]}" --kernel "$k" -- "$work/notelf"
expect "a guest kernel panic: 121" 121 'guest kernel panicked: sysrq triggered crash' -- \
	"${run[@]}" --kernel "$k" -- "$bin/testprog" panic
head -c 1000000 /dev/zero >"$work/not-a-kernel"
expect "a kernel that never starts /init: boot timeout 120" 120 \
	'did not start /init within 5 s' -- \
	"${run[@]}" --kernel "$work/not-a-kernel" --boot-timeout 5 -- "$bin/testprog" exit 0
expect "a kernel not in the cache: 119, with the fetch command" 119 'fetch.sh' -- \
	"${run[@]}" --kernel 6.12 --cache "$work/empty-cache" -- "$bin/testprog" exit 0
# A PATH with dirname (run.sh needs it) but no QEMU.
mkdir -p "$work/path" && ln -s "$(command -v dirname)" "$work/path/dirname"
expect "QEMU not installed: 118, with the package to install" 118 'apt-get install qemu-system-arm' -- \
	env PATH="$work/path" "$BASH" "$here/run.sh" -- "$bin/testprog" exit 0

echo "$prog: $passed passed, $failed failed"
[ $failed -eq 0 ]
