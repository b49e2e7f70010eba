#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mistakes.sh OUT ARCH SUMMARY LESSON... - proves that the graded checks
# catch plausible mistakes. For each block of solutions/LESSON/mistakes.txt:
# copy the reference solution, make the mistake (one line replaced), build
# it against the lesson's checks, and run the checks the block names: each
# must fail (FAIL, CRASH or TIMEOUT). A mistake that no listed check
# catches is a hole in the grading, and fails `make check`.
#
# Needs from the Makefile's environment: CC KIT_CFLAGS KIT_LDFLAGS GRADE_WRAP
# GRADE_LIBS GUEST_DIR.
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

try_mistake() { # lesson n what file from to caught
	local lesson=$1 n=$2 what=$3 file=$4 from=$5 to=$6 caught=$7
	local dir=$out/mistakes/$lesson/$n src objs=() f log
	src=$dir/src
	rm -rf "$dir"
	mkdir -p "$src"
	for f in solutions/"$lesson"/*.c; do
		case "$f" in
		*_x86_64.c|*_arm64.c) [[ "$f" == *_"$arch".c ]] || continue ;;
		esac
		cp "$f" "$src/"
	done
	if [ ! -f "$src/$file" ]; then
		echo "  n/a   #$n $what ($file is not part of lesson $lesson on $arch)"
		return
	fi
	if ! replace_line "$src/$file" "$from" "$to"; then
		echo "  FAIL  #$n $what: solutions/$lesson/$file has no line \"$from\"" \
			"(mistakes.txt is out of date)"
		holes=$((holes + 1))
		return
	fi
	for f in "$src"/*.c; do
		# A mistaken line may well warn: build without -Werror.
		$CC $KIT_CFLAGS -Wno-error -w -Ilessons/"$lesson" -I"$GUEST_DIR/$lesson" \
			-I"$GUEST_DIR/lib" -Icommon/abi \
			-c -o "${f%.c}.o" "$f" || { echo "  FAIL  #$n $what: does not compile";
						    holes=$((holes + 1)); return; }
		objs+=("${f%.c}.o")
	done
	# The lesson's given objects: its C files but main.c and the
	# student's (named from the sources, so stale objects never count).
	local given=() name
	for f in lessons/"$lesson"/*.c; do
		name=$(basename "$f" .c)
		case "$name" in
		main) continue ;;
		*_x86_64|*_arm64) [[ "$name" == *_"$arch" ]] || continue ;;
		esac
		[ -f "$src/$name.c" ] || given+=("$out/solution/$lesson/$name.o")
	done
	# ... and what it builds on from earlier lessons (lessons/*/builds-on).
	while IFS= read -r f; do
		given+=("$f")
	done < <({ grep -v -e '_x86_64\.c$' -e '_arm64\.c$' lessons/"$lesson"/builds-on
		   grep -e "_$arch\.c\$" lessons/"$lesson"/builds-on; } 2>/dev/null |
		 sed 's/\.c$/.o/; s|^|'"$out/solution/$lesson/extra/"'|')
	# shellcheck disable=SC2086
	$CC $KIT_LDFLAGS $GRADE_WRAP -o "$dir/grade" "${given[@]}" "${objs[@]}" \
		"$out/guest/$lesson"/*.blob.o $GRADE_LIBS || { echo "  FAIL  #$n $what: does not link";
							   holes=$((holes + 1)); return; }
	log=$dir/grade.txt
	# KIT_RUNNER: for another architecture, run inside its emulated machine.
	local runner=()
	if [ -n "${KIT_RUNNER:-}" ]; then
		read -ra runner <<< "$KIT_RUNNER"
		runner+=(--)
	fi
	(unset KIT_FAIL_ON_SKIP; "${runner[@]}" "$dir/grade" --only "$caught") > "$log" 2>&1
	local missed=() check line nskip=0
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
		return
	fi
	if [ ${#missed[@]} -eq 0 ]; then
		held=$((held + 1))
		# The first failure message of the first check, as evidence.
		local why
		why=$(grep -A1 -E "^  (FAIL|CRASH|TIMEOUT) +0/[0-9]+ +${checks[0]}:" "$log" |
			sed -n '2s/^ *//p' | cut -c1-150)
		echo "  PASS  #$n $what"
		echo "          caught by $caught: $(grep -Eo "^  (FAIL|CRASH|TIMEOUT)" "$log" | head -n1 | tr -d ' '): $why"
	else
		holes=$((holes + 1))
		echo "  FAIL  #$n $what: not caught by ${missed[*]}"
		sed 's/^/          | /' "$log" | head -n 30
	fi
}

for lesson in "$@"; do
	list=solutions/$lesson/mistakes.txt
	[ -f "$list" ] || continue
	echo "== $lesson: plausible mistakes, each caught by the checks =="
	n=0 what="" file="" from="" to="" caught=""
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
			if [ -n "${caught_here:-}" ]; then
				caught=$caught_here
				caught_here=""
			fi
			n=$((n + 1))
			try_mistake "$lesson" "$n" "$what" "$file" "$from" "$to" "$caught"
			;;
		esac
	done < "$list"
done
echo "$held passed, $holes failed, $skipped skipped"
printf '%s\t%s\t%s\t%s\t0\t0\n' "mistakes caught by the checks ($arch)" "$held" "$holes" \
	"$skipped" >> "$summary"
[ "$holes" -eq 0 ]
