#!/bin/bash
# SPDX-License-Identifier: MIT
#
# job-summary.sh WORKFLOW RESULTS SUMMARY - what the grading workflow's
# summary step would write to the job's summary for RESULTS (a
# results.json of make grade): that step's own shell (read from WORKFLOW
# with yq), run with build/results.json being RESULTS and
# GITHUB_STEP_SUMMARY being the file SUMMARY. Exit status: the step's.
set -uo pipefail
wf=$1 results=$2 summary=$3
script=$(yq -r '[.jobs[].steps[] | select((.run // "") | test("GITHUB_STEP_SUMMARY"))][0].run // empty' "$wf")
[ -n "$script" ] || { echo "job-summary: $wf has no step that writes GITHUB_STEP_SUMMARY" >&2; exit 1; }
work=$(mktemp -d)
mkdir -p "$work/build"
cp "$results" "$work/build/results.json" || exit 1
: > "$summary"
summary=$(realpath "$summary")
# As the runner does: the step's lines in bash -e, from the top of the checkout.
(cd "$work" && GITHUB_STEP_SUMMARY=$summary bash -e -o pipefail -c "$script")
status=$?
rm -rf "$work"
exit $status
