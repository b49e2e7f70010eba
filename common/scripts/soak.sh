#!/bin/bash
# SPDX-License-Identifier: MIT
#
# soak.sh BUILD OUT - what `make soak` runs: the core's run loop and VM
# lifecycle, many times over, on this machine's KVM.
#   1. OUT/tests/soak (common/tests/soak.c): create-run-destroy cycles in
#      one process, with its open fds, mappings and RSS before and after,
#      and one guest that makes a million exits;
#   2. many kvmrun processes at once, all started together, on guests that
#      misbehave: one that spins (the watchdog ends it: 71), one that
#      triple-faults (70), an MMIO storm (1000 reads where nothing is,
#      with --devices --no-strict: it ends by itself, 0), a `vmcall`
#      (where KVM keeps it, as on a software back end, the watchdog ends
#      it, 71; where KVM answers -1000, it ends by itself, 0) and the
#      hostile hypercalls (bad pointers and lengths: 0). Each must end
#      with its own status, none may be left running, and the whole batch
#      must end within a hard limit (a hang is a failure; the time itself
#      is only printed).
#
# Smaller counts for a quick run (make check), from the environment:
#   SOAK_CYCLES (default 10000), SOAK_EXITS (1000000), SOAK_PROCS (100),
#   SOAK_TIMEOUT_MS (each kvmrun's watchdog, 2000), SOAK_LIMIT_S (the
#   batch's hard limit, 120).
# Logs go to BUILD/soak/. With KIT_CHECK_SUMMARY set, one TSV row per
# part is appended to it, as the other stages' scripts do. The exit
# status is 1 if anything was not as expected.
set -uo pipefail
build=$1 out=$2
cycles=${SOAK_CYCLES:-10000}
exits=${SOAK_EXITS:-1000000}
procs=${SOAK_PROCS:-100}
timeout_ms=${SOAK_TIMEOUT_MS:-2000}
limit_s=${SOAK_LIMIT_S:-120}
summary=${KIT_CHECK_SUMMARY:-/dev/null}
logs=$build/soak
status=0
mkdir -p "$logs"

record() { # name passed failed [skipped]
	local failed=$3 skipped=${4:-0}
	if [ "${KIT_FAIL_ON_SKIP:-0}" = 1 ]; then
		failed=$((failed + skipped)) skipped=0
	fi
	printf '%s\t%s\t%s\t%s\t0\t0\n' "$1" "$2" "$failed" "$skipped" >> "$summary"
}

# Microseconds since the epoch, from bash itself (no process per reading).
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
seconds_since() { # start_us
	local us=$(($(now_us) - $1))
	printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

# ---- 1. the soak program ----------------------------------------------------
"$out/tests/soak" --cycles "$cycles" --exits "$exits" --json "$logs/soak.json" |
	tee "$logs/soak.txt"
case ${PIPESTATUS[0]} in
0) record "soak: $cycles cycles, $exits exits" 1 0 ;;
77)	# No KVM here: nothing to soak, and kvmrun could not run either.
	record "soak: $cycles cycles, $exits exits" 0 0 2
	[ "${KIT_FAIL_ON_SKIP:-0}" != 1 ]
	exit ;;
*) record "soak: $cycles cycles, $exits exits" 0 1; status=1 ;;
esac

# ---- 2. many kvmrun at once, on hostile guests ------------------------------
guests=$out/guest
# One kind a line: its name, the statuses that are right for it ("71 0":
# either), kvmrun's arguments. Processes take the kinds in
# turn, so any SOAK_PROCS mixes them evenly.
case $(basename "$out") in
x86_64*)
	kinds=(
		"spin|71|--timeout $timeout_ms $guests/01-first-run/spin.img"
		"triple fault|70|--timeout $timeout_ms $guests/01-first-run/triple_fault.img"
		"MMIO storm|0|--timeout $((timeout_ms * 10)) --devices --no-strict $guests/04-mmio/storm.img"
		"vmcall|71 0|--timeout $timeout_ms $guests/03-hypercalls/vmcall.img"
		"hostile hypercalls|0|--timeout $((timeout_ms * 10)) $guests/03-hypercalls/hostile.img"
	) ;;
arm64*)
	kinds=(
		"spin|71|--timeout $timeout_ms $guests/01-first-run/spin.img"
		"wild pointer|70|--timeout $timeout_ms $guests/02-c-guests/wild_pointer.img"
		"MMIO storm|0|--timeout $((timeout_ms * 10)) --devices --no-strict $guests/04-mmio/storm.img"
		"hostile hypercalls|0|--timeout $((timeout_ms * 10)) $guests/03-hypercalls/hostile.img"
	) ;;
*)
	echo "soak: FAIL: no hostile guests for $(basename "$out")"
	record "soak: $procs concurrent kvmrun on hostile guests" 0 1
	exit 1 ;;
esac
# The guests that end by themselves get ten times the watchdog: with 2
# cores shared by dozens of spinning guests, a storm's 1000 exits can take
# longer than the spinners' deadline, and then the watchdog would stop it
# mid-storm. Their watchdog is the backstop here, not the expected end.
for kind in "${kinds[@]}"; do
	IFS='|' read -r _ _ args <<< "$kind"
	image=${args##* }
	if [ ! -f "$image" ]; then
		echo "soak: FAIL: $image is not built"
		record "soak: $procs concurrent kvmrun on hostile guests" 0 1
		exit 1
	fi
done

pids=() kind_of=()
start=$(now_us)
for ((i = 0; i < procs; i++)); do
	k=$((i % ${#kinds[@]}))
	IFS='|' read -r _ _ args <<< "${kinds[$k]}"
	# shellcheck disable=SC2086 # the arguments are words
	"$out/kvmrun" --quiet $args > "$logs/kvmrun-$i.txt" 2>&1 &
	pids+=($!) kind_of+=("$k")
done

# Wait for the batch, but no longer than the hard limit: `jobs -rp` is
# this shell's own list of its children still running, so no process of
# anyone else's is ever looked at (or, after the limit, stopped).
hung=0
while [ -n "$(jobs -rp)" ]; do
	if [ $(($(now_us) - start)) -ge $((limit_s * 1000000)) ]; then
		mapfile -t running < <(jobs -rp)
		hung=${#running[@]}
		echo "soak: FAIL: $hung kvmrun still running after ${limit_s} s; stopping them"
		kill -KILL "${running[@]}" 2>/dev/null
		break
	fi
	sleep 0.05
done
declare -A ended=()
good=0 bad=0
for ((i = 0; i < procs; i++)); do
	wait "${pids[$i]}" 2>/dev/null
	got=$?
	IFS='|' read -r name want args <<< "${kinds[${kind_of[$i]}]}"
	if [[ " $want " == *" $got "* ]]; then
		good=$((good + 1))
		ended["$name $got"]=$((${ended["$name $got"]:-0} + 1))
	else
		bad=$((bad + 1))
		echo "  FAIL  kvmrun $args: exit status $got, expected ${want// / or }"
		sed 's/^/        | /' "$logs/kvmrun-$i.txt" | tail -n 8
	fi
done
elapsed=$(seconds_since "$start")

# None may be left: no child of this shell named kvmrun, and no PID of the
# batch still a process whose parent is this shell.
left=$(pgrep -P $$ -x kvmrun | wc -l)
for pid in "${pids[@]}"; do
	if [ -r "/proc/$pid/stat" ] && [ "$(awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null)" = $$ ]; then
		left=$((left + 1))
	fi
done

how() { # status meaning
	case $1 in
	71) echo "watchdog" ;;
	70) echo "failed (70)" ;;
	0) echo "ended by itself (0)" ;;
	*) echo "status $1" ;;
	esac
}
parts=
for kind in "${kinds[@]}"; do
	IFS='|' read -r name want _ <<< "$kind"
	for w in $want; do
		n=${ended["$name $w"]:-0}
		[ "$n" -gt 0 ] || continue
		parts+="${parts:+, }$n $name → $(how "$w")"
	done
done
echo "soak: $procs concurrent kvmrun on hostile guests: $good ended as expected" \
	"(${parts:-none}), $bad not, $left left running, $elapsed s"
if [ "$bad" -ne 0 ] || [ "$left" -ne 0 ] || [ "$hung" -ne 0 ]; then
	status=1
	record "soak: $procs concurrent kvmrun on hostile guests" "$good" $((bad + left))
else
	record "soak: $procs concurrent kvmrun on hostile guests" "$good" 0
	rm -f "$logs"/kvmrun-*.txt
fi
exit $status
