#!/bin/bash
# SPDX-License-Identifier: MIT
#
# lesson.sh DIR LESSON VARIANT [TEST] - what `make lesson-NN` runs: the
# lesson's program (your code with the lesson's guest), then its graded
# checks (all of them, or only TEST).
set -uo pipefail
dir=$1 lesson=$2 variant=$3 test=${4:-}

if [ "$variant" = solution ]; then
	what="the reference solution (solutions/$lesson/)"
else
	what="your code (lessons/$lesson/)"
fi

# KIT_RUNNER (from the Makefile) runs programs built for another
# architecture: arm64 ones inside the emulated arm64 machine.
runner=()
if [ -n "${KIT_RUNNER:-}" ]; then
	read -ra runner <<< "$KIT_RUNNER"
	runner+=(--)
	echo "(running inside the emulated arm64 machine: common/emu-arm64/README.md)"
fi

echo "=== $lesson: the lesson's program, with $what ==="
timeout --kill-after=5 120 "${runner[@]}" "$dir/lesson"
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
	# What is left: every TODO still in the student's files.
	# (only this architecture's files: ARCH from the Makefile)
	files=()
	for f in lessons/"$lesson"/*.c; do
		case "$f" in
		*_x86_64.c|*_arm64.c) [[ "$f" == *_"${ARCH:-x86_64}".c ]] || continue ;;
		esac
		files+=("$f")
	done
	todos=$(grep -n 'kit_todo(LESSON' "${files[@]}" 2>/dev/null |
		sed -E 's/^([^:]*):([0-9]+):.*kit_todo\(LESSON, *"([^"]*)", *"([^"]*)".*/\1:\2  \4  (README section "\3")/' |
		sort -t'"' -k2,2V)
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
