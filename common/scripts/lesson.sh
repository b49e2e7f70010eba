#!/bin/bash
# SPDX-License-Identifier: MIT
#
# lesson.sh DIR LESSON VARIANT [TEST] - what `make lesson-NN` runs: the
# lesson's program (your code with the lesson's guest), then its graded
# checks (all of them, or only TEST).
#
# STUDENT_FILES (from the Makefile): the files of the lesson that are the
# student's on this architecture; everything else is given.
set -uo pipefail
dir=$1 lesson=$2 variant=$3 test=${4:-}
read -ra student_files <<< "${STUDENT_FILES:-}"

echo "Your files in lesson $lesson (${ARCH:-x86_64}): ${student_files[*]}"
echo "(everything else in lessons/$lesson/ is given code and graded checks, to read)"
echo

if [ "$variant" = solution ]; then
	what="the reference solution (solutions/$lesson/)"
else
	what="your code (lessons/$lesson/)"
fi

# KIT_RUNNER (from the Makefile) runs programs built for another
# architecture: arm64 ones inside the emulated arm64 machine.
# The lesson's program has 120 s. In the emulated machine that limit is
# the machine's own (run.sh --timeout): it stops the program, and finds a
# machine that stops answering in time to boot it once more.
runner=() program=(timeout --kill-after=5 120 "$dir/lesson")
if [ -n "${KIT_RUNNER:-}" ]; then
	read -ra runner <<< "$KIT_RUNNER"
	program=("${runner[@]}" --timeout 120 -- "$dir/lesson")
	runner+=(--)
	echo "(running inside the emulated ${ARCH:-} machine: common/emu/README.md)"
fi

echo "=== $lesson: the lesson's program, with $what ==="
"${program[@]}"
[ $? -eq 124 ] && echo "(the lesson's program was stopped after 120 s)"
echo
echo "=== $lesson: graded checks, with $what ==="
if [ -n "$test" ]; then
	"${runner[@]}" "$dir/grade" --label "$variant" --only "$test" --verbose
else
	"${runner[@]}" "$dir/grade" --label "$variant"
fi
status=$?
if [ $status -ne 0 ] && [ "$variant" = student ]; then
	# What is left: every TODO still in the student's files, in the order
	# of the text's sections.
	todos=$(bash common/scripts/todos.sh "${student_files[@]}" | sort -t$'\t' -k3,3V -s |
		awk -F'\t' '{ printf "%s:%s  %s  (README section \"%s\")\n", $1, $2, $4, $3 }')
	if [ -n "$todos" ]; then
		echo
		echo "TODOs left in your files:"
		echo "$todos" | sed 's/^/    /'
	fi
	echo
	echo "Not all checks pass yet: each FAIL above says what was expected, what happened,"
	echo "and which section of lessons/$lesson/README.md to read. Run one check alone with"
	echo "    make lesson-${lesson%%-*} TEST=<name>"
fi
exit $status
