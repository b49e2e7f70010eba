#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mistakes.sh OUT ARCH SUMMARY LESSON... - proves that the graded checks
# catch plausible mistakes. For each block of solutions/LESSON/mistakes.txt:
# copy the reference solution, make the mistake (one line replaced), build
# it with the lesson's checks, and run the checks the block names: each
# must fail (FAIL, CRASH or TIMEOUT). A mistake that no listed check
# catches is a hole in the grading, and fails `make check`.
#
# The build is the Makefile's own: each mistake is one more variant of a
# lesson (make MUTANTS="LESSON/N ..."), built from OUT/mutant/N/LESSON/src/,
# so this script has no compiler or linker command of its own. All
# mutants are built by one make; on another architecture (KIT_RUNNER) all
# their checks run in one boot of its emulated machine (run.sh --batch).
set -uo pipefail
out=$1 arch=$2 summary=$3
shift 3

held=0 holes=0 skipped=0

# Replace the first line equal to $FROM by $TO in file $1 (literally).
replace_line() {
	FROM=$2 TO=$3 perl -e '
		my ($file) = @ARGV; open(my $in, "<", $file) or die; my @l = <$in>; close $in;
		my $done = 0;
		for (@l) { if (!$done && $_ eq "$ENV{FROM}\n") { $_ = "$ENV{TO}\n"; $done = 1; } }
		exit 3 unless $done;
		open(my $o, ">", $file) or die; print $o @l; close $o;' "$1"
}

# ---- 1. every mistake, made on a copy of its lesson's solution ----------
ids=() whats=() catches=() lessons_of=()
mutants=()
prepare() { # lesson n what file from to caught
	local lesson=$1 n=$2 what=$3 file=$4 from=$5 to=$6 caught=$7 src f
	src=$out/mutant/$n/$lesson/src
	rm -rf "$out/mutant/$n/$lesson"
	mkdir -p "$src"
	for f in solutions/"$lesson"/*.c; do
		case "$f" in
		*_x86_64.c|*_arm64.c) [[ "$f" == *_"$arch".c ]] || continue ;;
		esac
		cp "$f" "$src/"
	done
	if [ ! -f "$src/$file" ]; then
		echo "  n/a   $lesson #$n $what ($file is not part of lesson $lesson on $arch)"
		rm -rf "$out/mutant/$n/$lesson"
		return
	fi
	if ! replace_line "$src/$file" "$from" "$to"; then
		echo "  FAIL  $lesson #$n $what: solutions/$lesson/$file has no line \"$from\"" \
			"(mistakes.txt is out of date)"
		holes=$((holes + 1))
		return
	fi
	ids+=("$lesson/$n") whats+=("$what") catches+=("$caught") lessons_of+=("$lesson")
	mutants+=("$lesson/$n")
}

for lesson in "$@"; do
	list=solutions/$lesson/mistakes.txt
	[ -f "$list" ] || continue
	n=0 what="" file="" from="" to="" caught="" caught_here=""
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in
		"mistake: "*) what=${line#mistake: } ;;
		"file:"*) file=$(echo "${line#file:}" | sed 's/^ *//') ;;
		"replace: "*) from=${line#replace: }; from=${from#"${from%%[! ]*}"} ;;
		"with: "*) to=${line#with: }; to=${to#"${to%%[! ]*}"} ;;
		"caught_$arch:"*)
			# This architecture's own list, for the next caught: line.
			caught_here=$(echo "${line#caught_"$arch":}" | tr -d ' ')
			;;
		"caught_"*) ;;
		"caught:"*)
			caught=$(echo "${line#caught:}" | tr -d ' ')
			if [ -n "$caught_here" ]; then
				caught=$caught_here
				caught_here=""
			fi
			n=$((n + 1))
			# "-": a mistake this architecture cannot make (x86's ports on arm64).
			[ "$caught" = - ] ||
				prepare "$lesson" "$n" "$what" "$file" "$from" "$to" "$caught"
			;;
		esac
	done < "$list"
done

# ---- 2. all of them built by the Makefile, as variants -----------------
grades=()
for id in "${ids[@]}"; do
	grades+=("$out/mutant/${id#*/}/${id%/*}/grade")
done
rm -f "${grades[@]}"
make -s -k --no-print-directory -j"$(nproc)" ARCH="$arch" OUT="$out" MUTANTS="${mutants[*]}" \
	"${grades[@]}" > "$out/mutant/build.log" 2>&1

# ---- 3. each mutant's named checks, which must not pass ----------------
# Here: two at a time (each check runs its guest on KVM). For another
# architecture (KIT_RUNNER), all of them in one boot of its emulated
# machine, each with its output in its own directory.
log_of() { echo "$(dirname "${grades[$1]}")/grade.txt"; }
if [ -n "${KIT_RUNNER:-}" ]; then
	read -ra runner <<< "$KIT_RUNNER"
	# As many per boot as the machine's memory takes (split-batch.sh):
	# boots of at most 600 MB of programs.
	: > "$out/mutant/batch.txt"
	for i in "${!ids[@]}"; do
		[ -x "${grades[$i]}" ] || continue
		printf 'm%s\t%s\t--only\t%s\n' "$i" "${grades[$i]}" "${catches[$i]}" \
			>> "$out/mutant/batch.txt"
	done
	rm -rf "$out/mutant/runs"
	for b in $(bash common/emu/split-batch.sh "$out/mutant/batch.txt" 600); do
		(unset KIT_FAIL_ON_SKIP; "${runner[@]}" --quiet --batch "$b" --out "$out/mutant/runs") ||
			echo "  the emulated machine did not run ${b##*/} of the mistakes (its message is above)"
	done
	for i in "${!ids[@]}"; do
		cp "$out/mutant/runs/m$i/output.txt" "$(log_of "$i")" 2>/dev/null ||
			echo "(no output came back from the emulated machine)" > "$(log_of "$i")"
	done
else
	for i in "${!ids[@]}"; do
		[ -x "${grades[$i]}" ] || continue
		(unset KIT_FAIL_ON_SKIP; "${grades[$i]}" --only "${catches[$i]}") > "$(log_of "$i")" 2>&1 &
		# At most as many at once as there are processors.
		while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n; done
	done
	wait
fi

current=
for i in "${!ids[@]}"; do
	id=${ids[$i]} what=${whats[$i]} caught=${catches[$i]} lesson=${lessons_of[$i]}
	n=${id#*/} grade=${grades[$i]}
	if [ "$lesson" != "$current" ]; then
		echo "== $lesson: plausible mistakes, each caught by the checks =="
		current=$lesson
	fi
	if [ ! -x "$grade" ]; then
		echo "  FAIL  #$n $what: does not build (make's messages: $out/mutant/build.log)"
		holes=$((holes + 1))
		continue
	fi
	log=$(log_of "$i")
	missed=() nskip=0
	IFS=, read -ra checks <<< "$caught"
	for check in "${checks[@]}"; do
		line=$(grep -E "^  [A-Z]+ +[0-9]+/[0-9]+ +$check:" "$log" | head -n1)
		case "$line" in
		*FAIL*|*CRASH*|*TIMEOUT*) ;;
		*SKIP*) nskip=$((nskip + 1)) ;;
		*) missed+=("$check${line:+ (${line:2:7})}") ;;
		esac
	done
	# Checks that could not run (no /dev/kvm) prove nothing either way.
	if [ ${#missed[@]} -eq 0 ] && [ "$nskip" -gt 0 ]; then
		if [ -n "${KIT_FAIL_ON_SKIP:-}" ] && [ "${KIT_FAIL_ON_SKIP}" != 0 ]; then
			holes=$((holes + 1))
			echo "  FAIL  #$n $what: its checks were skipped (KIT_FAIL_ON_SKIP is set)"
		else
			skipped=$((skipped + 1))
			echo "  SKIP  #$n $what: its checks need /dev/kvm"
		fi
		continue
	fi
	if [ ${#missed[@]} -eq 0 ]; then
		held=$((held + 1))
		# The first failure message of the first check, as evidence.
		why=$(grep -A1 -E "^  (FAIL|CRASH|TIMEOUT) +0/[0-9]+ +${checks[0]}:" "$log" |
			sed -n '2s/^ *//p' | cut -c1-150)
		echo "  PASS  #$n $what"
		echo "          caught by $caught: $(grep -Eo "^  (FAIL|CRASH|TIMEOUT)" "$log" | head -n1 | tr -d ' '): $why"
	else
		holes=$((holes + 1))
		echo "  FAIL  #$n $what: not caught by ${missed[*]}"
		sed 's/^/          | /' "$log" | head -n 30
	fi
done
echo "$held passed, $holes failed, $skipped skipped"
printf '%s\t%s\t%s\t%s\t0\t0\n' \
	"mistakes caught by the checks ($arch${KIT_RUNNER:+, in its emulated machine})" "$held" "$holes" \
	"$skipped" >> "$summary"
[ "$holes" -eq 0 ]
