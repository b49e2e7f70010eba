#!/bin/bash
# SPDX-License-Identifier: MIT
#
# grade-all.sh OUT RESULTS LESSON... - what `make grade` runs: every
# lesson's graded checks on the student's code, a score table, and one
# results.json for all lessons in Gradescope's format
# (score, tests[name, score, max_score, status, output]).
set -uo pipefail
out=$1 results=$2
shift 2

dir=$(dirname "$results")/grade
mkdir -p "$dir"
summary=$dir/summary.tsv
: > "$summary"
status=0

for lesson in "$@"; do
	"$out/student/$lesson/grade" --label "your code" --json "$dir/$lesson.json" \
		--summary "$summary" || status=1
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

# One results.json: each lesson's JSON has one test object per line.
{
	echo '{'
	echo '  "tests": ['
	first=1
	for lesson in "$@"; do
		grep '^    {"name"' "$dir/$lesson.json" | sed 's/,$//' | while read -r line; do
			echo "    $line"
		done
	done | sed '$!s/$/,/'
	echo '  ],'
	echo "  \"score\": $total,"
	echo "  \"max_score\": $max"
	echo '}'
} > "$results"
unset first
echo "results: $results"
awk -F'\t' '{p+=$2; f+=$3; s+=$4} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}' "$summary"
exit $status
