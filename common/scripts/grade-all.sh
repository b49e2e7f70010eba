#!/bin/bash
# SPDX-License-Identifier: MIT
#
# grade-all.sh OUT RESULTS LESSON... - what `make grade` runs: every
# lesson's graded checks on the student's code, a score table, and one
# results.json for all lessons in Gradescope's format
# (score, max_score, tests[name, score, max_score, status, output]).
#
# Each lesson is built on its own: code that does not compile scores 0 in
# that lesson only, and results.json says what the compiler said.
#
# HIDDEN=1 (make grade HIDDEN=1) runs the instructor's hidden checks too
# (--hidden): they are in results.json with "visibility": "after_published".
set -uo pipefail
out=$1 results=$2
shift 2
hidden=()
case ${HIDDEN:-} in 1|yes|true) hidden=(--hidden) ;; esac

dir=$(dirname "$results")/grade
mkdir -p "$dir"
rm -f "$results"
summary=$dir/summary.tsv
: > "$summary"
status=0

# KIT_RUNNER (from the Makefile) runs another architecture's programs in
# its emulated machine; their files come back into $dir.
run_grade() { # program args...
	local runner=()
	if [ -n "${KIT_RUNNER:-}" ]; then
		read -ra runner <<< "$KIT_RUNNER"
		"${runner[@]}" --out "$dir" -- "$@"
	else
		(cd "$dir" && "$@")
	fi
}

# Where the checks run, said first and kept in results.json's "output": a
# grader without /dev/kvm still grades, in the emulated machine.
arch=${ARCH:-$(uname -m | sed 's/^aarch64$/arm64/')}
if [ -n "${KIT_RUNNER:-}" ]; then
	how="$arch lessons graded in the emulated $arch machine (QEMU): this host's /dev/kvm is not used"
else
	how="$arch lessons graded on this machine's KVM"
fi
echo "grade: $how"

for lesson in "$@"; do
	log=$dir/$lesson-build.txt
	rm -f "$dir/$lesson.json" "$dir/$lesson-summary.tsv"
	if make -s --no-print-directory "$out/student/$lesson/grade" > "$log" 2>&1; then
		run_grade "$(realpath "$out/student/$lesson/grade")" "${hidden[@]}" --label "your code" \
			--json "$lesson.json" --summary "$lesson-summary.tsv" || status=1
		cat "$dir/$lesson-summary.tsv" >> "$summary" 2>/dev/null
	else
		status=1
		echo "== $lesson: your code does not build =="
		sed 's/^/    /' "$log" | tail -n 20
		if [ -d solutions ]; then
			# The reference build has the same checks: list them all as failed.
			make -s --no-print-directory "$out/solution/$lesson/grade" >/dev/null 2>&1 &&
			"$out/solution/$lesson/grade" "${hidden[@]}" --label "your code (not built)" \
				--not-built "$log" --json "$dir/$lesson.json" --summary "$summary" > /dev/null
		else
			# A release has no solutions: make release wrote what the
			# reference build reports with --not-built; the log goes in.
			not_built=prebuilt/$arch/not-built/$lesson
			jq --rawfile log "$log" '.tests |= map(.output |= (if endswith("\n") then . else . + "\n" end) + $log)' "$not_built.json" \
				> "$dir/$lesson.json" && cat "$not_built-summary.tsv" >> "$summary"
		fi
	fi
	echo
done

echo "=== score table ==="
printf '%-28s %7s\n' lesson score
total=0 max=0
while IFS=$'\t' read -r name passed failed skipped score maxscore; do
	printf '%-28s %3s/%-3s\n' "${name%%:*}" "$score" "$maxscore"
	total=$((total + score)) max=$((max + maxscore))
done < "$summary"
printf '%-28s %3s/%-3s\n' total "$total" "$max"

# One results.json: every lesson's tests in order, each with its
# visibility and tagged with its lesson (Gradescope's "tags"), the total
# score from the summaries (as in the table above), visible at once
# whatever the tests' visibility.
jsons=()
for lesson in "$@"; do
	[ -f "$dir/$lesson.json" ] && jsons+=("$dir/$lesson.json")
done
if ! for json in "${jsons[@]}"; do
	jq --arg lesson "$(basename "$json" .json)" '(.tests // []) | map(. + {tags: [$lesson]})' "$json"
done | jq -s --argjson score "$total" --argjson max_score "$max" --arg how "$how" \
	'{tests: (add // []), score: $score, max_score: $max_score, visibility: "visible",
	  output: $how}' \
	> "$results"; then
	echo "grade-all: could not merge ${jsons[*]} into $results" >&2
	status=1
fi
echo "results: $results"
awk -F'\t' '{p+=$2; f+=$3; s+=$4} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}' "$summary"
exit $status
