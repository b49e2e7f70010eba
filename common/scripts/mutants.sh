#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mutants.sh OUT ARCH LESSON... - what `make mutants` runs: measures the
# graded checks with mutants made mechanically from the reference
# solutions (mutate.pl: operators, constants, deleted statements and error
# checks, swapped arguments, 64->32-bit types, dropped flags). Each mutant
# is one more variant of the lesson in the Makefile (MUTANTS=, as for
# mistakes.sh), built by one make, and graded with all of the lesson's
# checks. A mutant is
#   killed      if a check fails on it (FAIL, CRASH or TIMEOUT);
#   stillborn   if it does not build (not counted);
#   equivalent  if solutions/LESSON/mutants-equivalent.txt says no check
#               could tell it from the solution, and why (not counted);
#   survived    otherwise: a behaviour no check observes.
# Prints, per lesson, the counts, the kill rate (killed / counted) and
# every survivor; exits 1 if a lesson is below MUTANTS_TARGET percent
# (default 95). On another architecture (KIT_RUNNER) all mutants of all
# lessons run in one boot of its emulated machine.
set -uo pipefail
out=$1 arch=$2
shift 2
target=${MUTANTS_TARGET:-95}
work=$out/mutants
rm -rf "$work" "$out"/mutant/g*
mkdir -p "$work"
started=$(date +%s)

# ---- 1. generate, and write each mutant's sources -----------------------
ids=() lessons_of=() descs=() keys=()
n=0
for lesson in "$@"; do
	for f in solutions/"$lesson"/*.c; do
		case "$f" in
		*_x86_64.c|*_arm64.c) [[ "$f" == *_"$arch".c ]] || continue ;;
		esac
		while IFS=$'\t' read -r line function op mutated; do
			n=$((n + 1))
			id=g$n
			src=$out/mutant/$id/$lesson/src
			mkdir -p "$src"
			for g in solutions/"$lesson"/*.c; do
				case "$g" in
				*_x86_64.c|*_arm64.c) [[ "$g" == *_"$arch".c ]] || continue ;;
				esac
				cp "$g" "$src/"
			done
			LINE=$line TO=$mutated perl -i -ne \
				'print($. == $ENV{LINE} ? "$ENV{TO}\n" : $_)' "$src/$(basename "$f")"
			original=$(sed -n "${line}p" "$f")
			ids+=("$lesson/$id") lessons_of+=("$lesson")
			descs+=("$(basename "$f"):$line ($function) $op: $(echo "$mutated" | sed 's/^[[:space:]]*//')")
			keys+=("$(basename "$f")"$'\t'"$function"$'\t'"$(echo "$original" | sed 's/^[[:space:]]*//')"$'\t'"$(echo "$mutated" | sed 's/^[[:space:]]*//')")
		done < <(perl common/scripts/mutate.pl "$f")
	done
done
echo "mutants: $n generated from the solutions of: $*"

# ---- 2. built by the Makefile, as variants ------------------------------
grades=()
for id in "${ids[@]}"; do
	grades+=("$out/mutant/${id#*/}/${id%/*}/grade")
done
make -s -k --no-print-directory -j"$(nproc)" ARCH="$arch" OUT="$out" MUTANTS="${ids[*]}" \
	"${grades[@]}" > "$work/build.log" 2>&1
t_built=$(date +%s)

# ---- 3. each graded with all of its lesson's checks --------------------
# A mutant may loop: a shorter limit per check, and one for the whole run.
export KIT_TEST_TIMEOUT=${KIT_TEST_TIMEOUT:-5}
unset KIT_FAIL_ON_SKIP
log_of() { echo "$(dirname "${grades[$1]}")/grade.txt"; }
if [ -n "${KIT_RUNNER:-}" ]; then
	read -ra runner <<< "$KIT_RUNNER"
	# As many mutants per boot as the machine's memory takes
	# (split-batch.sh): boots of at most 600 MB of programs.
	: > "$work/batch.txt"
	for i in "${!ids[@]}"; do
		[ -x "${grades[$i]}" ] || continue
		printf 'm%s\t%s\n' "$i" "${grades[$i]}" >> "$work/batch.txt"
	done
	for b in $(bash common/emu/split-batch.sh "$work/batch.txt" 600); do
		"${runner[@]}" --quiet --timeout 120 --batch "$b" --out "$work/runs" ||
			echo "mutants: the emulated machine did not run ${b##*/} (its message is above)"
	done
	for i in "${!ids[@]}"; do
		cp "$work/runs/m$i/output.txt" "$(log_of "$i")" 2>/dev/null || true
		cp "$work/runs/m$i/status" "$(log_of "$i").status" 2>/dev/null || true
	done
else
	for i in "${!ids[@]}"; do
		[ -x "${grades[$i]}" ] || continue
		{ timeout -k 5 120 "${grades[$i]}" > "$(log_of "$i")" 2>&1
		  echo "exit $?" > "$(log_of "$i").status"; } &
		while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n; done
	done
	wait
fi

# ---- 4. the verdicts ------------------------------------------------------
declare -A generated=() stillborn=() killed=() equivalent=() survived=() notrun=()
survivors=$work/survivors.txt
: > "$survivors"
for i in "${!ids[@]}"; do
	lesson=${lessons_of[$i]} log=$(log_of "$i")
	generated[$lesson]=$(( ${generated[$lesson]:-0} + 1 ))
	if [ ! -x "${grades[$i]}" ]; then
		stillborn[$lesson]=$(( ${stillborn[$lesson]:-0} + 1 ))
		continue
	fi
	# Not run at all proves nothing: counted apart, and the run fails.
	if [ ! -f "$log.status" ]; then
		notrun[$lesson]=$(( ${notrun[$lesson]:-0} + 1 ))
		continue
	fi
	# Killed: a check did not pass, or the grader itself did not finish.
	if grep -Eq '^  (FAIL|CRASH|TIMEOUT) ' "$log" 2>/dev/null ||
	   ! grep -q '^exit 0$' "$log.status" 2>/dev/null; then
		killed[$lesson]=$(( ${killed[$lesson]:-0} + 1 ))
		continue
	fi
	reason=$(awk -F'\t' -v k="${keys[$i]}" '
		/^#/ || NF < 5 { next }
		($1 "\t" $2 "\t" $3 "\t" $4) == k { print $5; exit }' solutions/"$lesson"/mutants-equivalent.txt 2>/dev/null)
	if [ -n "$reason" ]; then
		equivalent[$lesson]=$(( ${equivalent[$lesson]:-0} + 1 ))
	else
		survived[$lesson]=$(( ${survived[$lesson]:-0} + 1 ))
		printf '%s\t%s\t%s\n' "$lesson" "${descs[$i]}" "${keys[$i]}" >> "$survivors"
	fi
done

status=0
echo
printf '%-16s %9s %9s %7s %10s %8s %6s\n' lesson generated stillborn killed equivalent survived killed%
for lesson in "$@"; do
	g=${generated[$lesson]:-0} s=${stillborn[$lesson]:-0} k=${killed[$lesson]:-0}
	e=${equivalent[$lesson]:-0} v=${survived[$lesson]:-0}
	counted=$((g - s - e - ${notrun[$lesson]:-0}))
	rate=100
	[ $counted -gt 0 ] && rate=$((k * 1000 / counted))
	[ $counted -gt 0 ] || rate=1000
	printf '%-16s %9d %9d %7d %10d %8d %5d.%d\n' "$lesson" "$g" "$s" "$k" "$e" "$v" \
		$((rate / 10)) $((rate % 10))
	[ $((rate / 10)) -ge "$target" ] || status=1
	if [ "${notrun[$lesson]:-0}" -gt 0 ]; then
		echo "  ($lesson: ${notrun[$lesson]} mutants did not run at all: not counted, and the run fails)"
		status=1
	fi
done
if [ -s "$survivors" ]; then
	echo
	echo "survivors (no check tells them from the solution; a check is missing, or"
	echo "the mutant is equivalent: then list it in solutions/LESSON/mutants-equivalent.txt"
	echo "as FILE<TAB>FUNCTION<TAB>ORIGINAL<TAB>MUTATED<TAB>why, lines without leading blanks):"
	cut -f1,2 "$survivors" | sed 's/\t/: /; s/^/  /'
fi
echo
echo "mutants: built in $((t_built - started)) s, graded in $(( $(date +%s) - t_built )) s ($arch)"
[ $status = 0 ] || echo "mutants: a lesson kills fewer than $target% of its mutants"
exit $status
