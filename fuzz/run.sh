#!/bin/bash
# SPDX-License-Identifier: MIT
#
# run.sh DIR SECONDS NAME:MAXLEN... - what `make fuzz` runs: each target
# DIR/NAME for SECONDS (or, with FUZZ_RUNS=N in the environment, for N
# executions, however long they take), from its committed corpus (fuzz/corpus/NAME, only
# read) and what earlier runs found (DIR/NAME-corpus, where new inputs
# go), with fuzz/NAME.dict if there is one. One line per target with its
# executions and crashes, then a total; the exit status is 1 if any
# target crashed (a crash is any input that broke a property or a
# sanitizer's rule; libFuzzer saves it as DIR/NAME-crash-..., and prints
# how to replay it).
set -uo pipefail
dir=$1 seconds=$2
shift 2
total_runs=0 total_crashes=0 status=0

for spec in "$@"; do
	name=${spec%%:*} maxlen=${spec#*:}
	prog=$dir/$name log=$dir/$name.log
	mkdir -p "$dir/$name-corpus"
	dict=()
	[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
	before=$(find "$dir" -maxdepth 1 -name "$name-*-*" -newer "$prog" 2>/dev/null | wc -l)
	start=$EPOCHREALTIME
	limit=(-max_total_time="$seconds")
	[ -z "${FUZZ_RUNS:-}" ] || limit=(-runs="$FUZZ_RUNS")
	"$prog" "${limit[@]}" -max_len="$maxlen" -print_final_stats=1 \
		-artifact_prefix="$dir/$name-" "${dict[@]}" \
		"$dir/$name-corpus" "fuzz/corpus/$name" > "$log" 2>&1
	rc=$?
	wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	runs=${runs:-0}
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
	corpus=$(find "$dir/$name-corpus" "fuzz/corpus/$name" -type f | wc -l)
	crashes=$(( $(find "$dir" -maxdepth 1 -name "$name-*-*" -newer "$prog" | wc -l) - before ))
	[ "$rc" -eq 0 ] || [ "$crashes" -gt 0 ] || crashes=1
	printf 'fuzz %-10s %12s runs in %4s s (%s/s), %d crash%s, peak RSS %s MB, corpus %d inputs\n' \
		"$name" "$(printf "%'d" "$runs")" "$wall" \
		"$(printf "%'d" $((runs / (wall > 0 ? wall : 1))))" "$crashes" \
		"$([ "$crashes" -eq 1 ] && echo "" || echo es)" "${rss:-?}" "$corpus"
	if [ "$rc" -ne 0 ]; then
		status=1
		# What broke, and the input that breaks it.
		grep -E '^(fuzz/|[a-z_]+\.c:[0-9]+:|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
			"$log" | head -n 12 | sed 's/^/    | /'
		echo "    (the whole log: $log; replay: $prog INPUT)"
	fi
	total_runs=$((total_runs + runs))
	total_crashes=$((total_crashes + crashes))
done
printf 'fuzz: %d targets, %s runs, %d crashes\n' "$#" "$(printf "%'d" "$total_runs")" "$total_crashes"
exit $status
