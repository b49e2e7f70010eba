#!/bin/bash
# SPDX-License-Identifier: MIT
#
# gradescope.sh DIR "ARCH..." - what `make gradescope` runs: DIR/autograder.zip,
# Gradescope's autograder for every lesson of the architectures ARCH...
# (GRADE_ARCHES, default x86_64). The zip holds, at its root:
#
#   setup.sh         run once by Gradescope, as root: the kit's packages
#                    (its deps.sh) and what can be built once
#   run_autograder   run for each submission: the student's files into a
#                    clean copy of the kit, every lesson graded (hidden
#                    checks too, a skip is a failure), results.json
#   autograder.conf  GRADE_ARCHES, and which kit this is
#   README.md        common/gradescope/README.md
#   kit/             the kit the submissions are graded with
#
# The kit comes from kit_source() below, and only from there.
set -uo pipefail
dir=$1 arches=$2

# Where the kit inside the autograder comes from: DEST gets a tree that
# grades every lesson, hidden checks included, and holds no solution: the
# student release (make release), with hidden/ and the hidden checks in
# its lists for code that does not build (KIT_RELEASE_FOR_GRADER).
kit_source() { # DEST
	KIT_RELEASE_FOR_GRADER=1 bash common/scripts/release.sh "$1" full
}

die() { echo "gradescope: $*" >&2; exit 1; }

read -ra arch_list <<< "$arches"
arches=${arch_list[*]:-}
[ -n "$arches" ] || die "GRADE_ARCHES is empty: name x86_64, arm64 or both"
for a in "${arch_list[@]}"; do
	[ -f "common/arch/$a.c" ] ||
		die "GRADE_ARCHES: the kit has no back end for '$a' (x86_64 or arm64)"
done

stage=$dir/stage
rm -rf "$stage" "$dir/autograder.zip"
mkdir -p "$stage/kit" || die "cannot make $stage"
kit_source "$stage/kit" || die "could not copy the kit into $stage/kit"
for f in Makefile common/scripts/grade-all.sh common/scripts/deps.sh; do
	[ -f "$stage/kit/$f" ] || die "the kit in $stage/kit has no $f"
done
[ -d "$stage/kit/hidden" ] ||
	echo "gradescope: warning: the kit has no hidden/: no hidden checks will run" >&2

cp common/gradescope/setup.sh common/gradescope/run_autograder common/gradescope/README.md \
	"$stage"/ || die "cannot copy the autograder's scripts"
chmod +x "$stage/setup.sh" "$stage/run_autograder"
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
{
	echo "# Written by make gradescope (common/scripts/gradescope.sh)."
	printf 'GRADE_ARCHES=%q\n' "$arches"
	printf 'KIT_VERSION=%q\n' "$commit"
} > "$stage/autograder.conf"

(cd "$stage" && zip -qr -X ../autograder.zip setup.sh run_autograder autograder.conf README.md kit) ||
	die "zip failed"
echo "gradescope: $dir/autograder.zip (kit $commit; grades: $arches;" \
	"$(find "$stage/kit" -type f | wc -l) files, $(du -h "$dir/autograder.zip" | cut -f1))"
