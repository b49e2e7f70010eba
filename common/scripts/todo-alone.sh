#!/bin/bash
# SPDX-License-Identifier: MIT
#
# todo-alone.sh OUT ARCH SUMMARY LESSON... - each TODO surfaces as itself
# when it is the only one left. For every kit_todo() in a lesson's student
# files (todos.sh), a copy of the reference solution gets that one
# function back as the starter has it; everything else is done. Then the
# lesson's program must stop at that TODO, naming its function and its
# section, and the graded checks must fail naming it too, not with a
# symptom of it (an "unexpected exit" for an exit nobody classified). The
# copies are Makefile variants, as mistakes.sh builds them (MUTANTS=).
set -uo pipefail
out=$1 arch=$2 summary=$3
shift 3
work=$out/todo-alone
rm -rf "$work" "$out"/mutant/todo*
mkdir -p "$work"

# splice NAME FROM INTO: function NAME (a definition at column 0, to the
# next line that is "}") as FROM has it, in place of INTO's.
splice() {
	NAME=$1 FROM=$2 perl -i -e '
		sub body {
			my ($path) = @_;
			open(my $fh, "<", $path) or die "$path: $!\n";
			my @l = <$fh>;
			my ($s, $e);
			for my $i (0 .. $#l) {
				if (!defined $s && $l[$i] =~ /^\S.*\b\Q$ENV{NAME}\E\(/ && $l[$i] !~ /;\s*$/) {
					$s = $i;
				} elsif (defined $s && $l[$i] =~ /^}\s*$/) {
					$e = $i;
					last;
				}
			}
			die "$path: no definition of $ENV{NAME}\n" unless defined $e;
			return ($s, $e, @l);
		}
		my ($fs, $fe, @from) = body($ENV{FROM});
		my ($is, $ie, @into) = body($ARGV[0]);
		splice(@into, $is, $ie - $is + 1, @from[$fs .. $fe]);
		open(my $fh, ">", $ARGV[0]) or die; print $fh @into; close($fh);
	' "$3"
}

ids=() whats=() sections=() lessons_of=()
n=0
for lesson in "$@"; do
	read -ra files <<< "$(make -s --no-print-directory ARCH="$arch" print-student-files LESSON="$lesson")"
	while IFS=$'\t' read -r file line section what; do
		n=$((n + 1))
		src=$out/mutant/todo$n/$lesson/src
		mkdir -p "$src"
		for f in "${files[@]}"; do
			cp "solutions/$lesson/$(basename "$f")" "$src/"
		done
		if ! splice "${what%()}" "$file" "$src/$(basename "$file")" 2> "$work/todo$n.splice"; then
			echo "FAIL  $file:$line: cannot take ${what} from the starter: $(cat "$work/todo$n.splice")"
			printf 'each TODO, alone, surfaces as itself: %s\t0\t1\t0\t0\t0\n' "$what" >> "$summary"
			continue
		fi
		# The starter's own name for its lesson, for its kit_todo() call.
		{ grep -h -m1 '^#define LESSON ' "$file"; cat "$src/$(basename "$file")"; } > "$src/.tmp" &&
			mv "$src/.tmp" "$src/$(basename "$file")"
		ids+=("$lesson/todo$n") whats+=("$what") sections+=("$section") lessons_of+=("$lesson")
	done < <(bash common/scripts/todos.sh "${files[@]}")
done

targets=()
for id in "${ids[@]}"; do
	targets+=("$out/mutant/${id#*/}/${id%/*}/lesson" "$out/mutant/${id#*/}/${id%/*}/grade")
done
make -s -k --no-print-directory -j"$(nproc)" ARCH="$arch" OUT="$out" MUTANTS="${ids[*]}" \
	"${targets[@]}" > "$work/build.log" 2>&1

export KIT_TEST_TIMEOUT=${KIT_TEST_TIMEOUT:-10}
# On another architecture (KIT_RUNNER), every copy's program and checks run
# in its emulated machine, as many boots as their size takes; their outputs
# and statuses come back to where they would be here.
if [ -n "${KIT_RUNNER:-}" ]; then
	read -ra runner <<< "$KIT_RUNNER"
	: > "$work/batch.txt"
	for i in "${!ids[@]}"; do
		dir=$out/mutant/${ids[$i]#*/}/${ids[$i]%/*}
		[ -x "$dir/lesson" ] && [ -x "$dir/grade" ] || continue
		printf 'l%s\t%s\n' "$i" "$dir/lesson" >> "$work/batch.txt"
		printf 'g%s\t%s\t--label\tonly %s left\n' "$i" "$dir/grade" "${whats[$i]}" >> "$work/batch.txt"
	done
	rm -rf "$work/runs"
	for b in $(bash common/emu/split-batch.sh "$work/batch.txt" 600); do
		if ! (unset KIT_FAIL_ON_SKIP; "${runner[@]}" --quiet --batch "$b" --out "$work/runs") \
			2> "$work/runner.err"; then
			# (Its first words on the FAIL line itself: make check shows
			# only those lines of this output.)
			echo "  FAIL  the emulated machine did not run all of ${b##*/}: $(grep -m1 . "$work/runner.err")"
			sed 's/^/        /' "$work/runner.err"
		fi
	done
fi
pass=0 fail=0
for i in "${!ids[@]}"; do
	id=${ids[$i]} what=${whats[$i]} section=${sections[$i]}
	dir=$out/mutant/${id#*/}/${id%/*}
	want="TODO: $what is not written yet; see lessons/${lessons_of[$i]}/README.md, section \"$section\""
	why=""
	if [ ! -x "$dir/lesson" ] || [ ! -x "$dir/grade" ]; then
		why="did not build: $(grep -m1 "mutant/${id#*/}/.*error" "$work/build.log")"
	else
		if [ -n "${KIT_RUNNER:-}" ]; then
			cp "$work/runs/l$i/output.txt" "$work/${id#*/}.lesson.txt" 2>/dev/null ||
				echo "(nothing came back from the emulated machine)" > "$work/${id#*/}.lesson.txt"
			cp "$work/runs/g$i/output.txt" "$work/${id#*/}.grade.txt" 2>/dev/null ||
				echo "(nothing came back from the emulated machine)" > "$work/${id#*/}.grade.txt"
			status=$(sed -n 's/^exit //p' "$work/runs/g$i/status" 2>/dev/null)
			status=${status:-1}
		else
			timeout 60 "$dir/lesson" > "$work/${id#*/}.lesson.txt" 2>&1
			timeout 120 "$dir/grade" --label "only $what left" > "$work/${id#*/}.grade.txt" 2>&1
			status=$?
		fi
		if grep -q '^(nothing came back' "$work/${id#*/}.lesson.txt" "$work/${id#*/}.grade.txt"; then
			why="nothing came back from the emulated machine (see its message above)"
		elif ! grep -qF "$want" "$work/${id#*/}.lesson.txt"; then
			why="the lesson's program does not say \"$want\"; it said: $(grep -m1 -E 'TODO|FAIL|failed' "$work/${id#*/}.lesson.txt")"
		elif [ $status -eq 0 ]; then
			why="every graded check passed"
		else
			# The first check that fails must name it, not only a symptom.
			first=$(awk '/^  (FAIL|CRASH|TIMEOUT) / { n++ } n == 1 && !/^  (PASS|SKIP) /' \
				"$work/${id#*/}.grade.txt")
			grep -qF "$what" <<< "$first" ||
				why="the first failing check does not name the TODO: $(sed -n 2p <<< "$first" | sed 's/^ *//')"
		fi
	fi
	if [ -z "$why" ]; then
		echo "  PASS  only $what left (section $section): the program and the checks name it"
		pass=$((pass + 1))
	else
		echo "  FAIL  only $what left (section $section): $why"
		fail=$((fail + 1))
	fi
done
printf "each TODO, alone, surfaces as itself (%s%s)\t%d\t%d\t0\t0\t0\n" "$arch" \
	"${KIT_RUNNER:+, in its emulated machine}" "$pass" "$fail" >> "$summary"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
