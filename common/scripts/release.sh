#!/bin/bash
# SPDX-License-Identifier: MIT
#
# release.sh DEST [HINTS] - what `make release DEST=DIR [HINTS=LEVEL]` runs:
# writes the student repository to DEST, a git repository with one commit
# (when git is here), for a template repository that a class clones.
#
# It holds the kit's tracked files but what hands out answers or serves
# only the instructors (the list is below, each with its reason). What the
# lessons build on from earlier lessons' reference code (lessons/*/builds-on)
# and kvmrun's and a64dec's reference code come as objects compiled here
# with the kit's flags, prebuilt/ARCH/solutions/*.o (x86_64 natively,
# arm64 with the cross compiler; no debug information), which the
# Makefile takes when solutions/ is absent. Each lesson gets the list of
# its student's files (lessons/LESSON/student-files), and
# prebuilt/ARCH/not-built/ what its checks report on code that does not
# build. HINTS (full, sections or none) is how much of each TODO comment
# the starter files keep (hints.pl). The texts lose their instructors'
# parts (<!-- instructors --> ... <!-- /instructors -->), gain their
# students' ones (<!-- student ... student -->), and a link to a file the
# release leaves out becomes its text. .github/workflows/grade.yml is
# common/release/grade.yml.
#
# DEST must be outside this tree (or under its build/), and empty or a
# previous release (which it replaces). Prints what it did, one line a
# step; exit 1 on an error.
#
# With KIT_RELEASE_FOR_GRADER=1 (make gradescope), the tree is the
# grader's, never a student's: hidden/ goes in too, and the lists of
# checks for code that does not build include the hidden ones.
set -uo pipefail
dest=${1:-} hints=${2:-full}
for_grader=()
[ "${KIT_RELEASE_FOR_GRADER:-}" = 1 ] && for_grader=(--hidden)
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
marker=.kit-release

die() { echo "release: $*" >&2; exit 1; }

[ -n "$dest" ] || die "usage: make release DEST=DIR [HINTS=full|sections|none]"
case $hints in full|sections|none) ;; *) die "HINTS=$hints: one of full, sections, none" ;; esac
[ -d solutions ] || die "this tree has no solutions/: a release is made from the instructors' tree"
command -v git >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	die "the files of a release are the tracked ones (git ls-files): this must be a git work tree"

dest=$(realpath -m -- "$dest")
# (Under build/, which git ignores, is not in the tree: make check makes one there.)
case $dest/ in
"$top"/build/?*) ;;
"$top"/*) die "DEST=$dest is inside the kit's tree ($top): choose a directory outside it" ;;
esac
if [ -e "$dest" ] && [ ! -d "$dest" ]; then
	die "DEST=$dest exists and is not a directory"
fi
if [ -d "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
	[ -f "$dest/$marker" ] ||
		die "DEST=$dest is not empty and not a previous release (no $marker): choose an empty or new directory"
	echo "release: replacing the previous release in $dest"
	find "$dest" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
fi
mkdir -p "$dest" || die "cannot create $dest"
# First, so that a release cut short is still one that make release replaces.
{
	echo "A student repository made by make release (HINTS=$hints) from"
	echo "$(git rev-parse HEAD) of the kit. make release replaces it."
} > "$dest/$marker"

# ---- what stays out, and why ------------------------------------------------
# A path (from git ls-files) the release leaves out: prints its reason.
left_out() {
	case $1 in
	solutions/*) echo "the reference solutions" ;;
	hidden/*) echo "the instructors' hidden checks" ;;
	*/mistakes.txt|*/mutants-equivalent.txt) echo "the mistakes and mutants of the solutions" ;;
	fuzz/*) echo "fuzz targets built around the reference code (make fuzz)" ;;
	.ci/*) echo "the kit's own CI (make check, make fresh-check)" ;;
	common/release/*) echo "the release's own sources (grade.yml goes to .github/workflows/)" ;;
	common/scripts/check.sh) echo "make check: the kit's proof of its checks, on the solutions" ;;
	common/scripts/mistakes.sh) echo "make mistakes: mistakes made in copies of the solutions" ;;
	common/scripts/mutants.sh|common/scripts/mutate.pl) echo "make mutants: mutants of the solutions" ;;
	common/scripts/todo-alone.sh) echo "make check: the solution with one function as the starter has it" ;;
	common/scripts/samples.sh|common/scripts/samples.pl) echo "make samples: the texts' samples against the reference solutions" ;;
	common/scripts/sanitize.sh) echo "make sanitize: the solutions' checks under ASan and UBSan" ;;
	common/scripts/soak.sh) echo "make soak: the reference kvmrun and hostile guests, many times over" ;;
	common/scripts/bench.sh) echo "make bench: lesson 06's reference harness" ;;
	common/scripts/layers.sh) echo "make check: the core is a layer (a self-test of the kit)" ;;
	common/scripts/fresh-check.sh) echo "make fresh-check: make check in a brand-new Debian root" ;;
	common/scripts/release.sh|common/scripts/hints.pl) echo "make release itself" ;;
	*) return 1 ;;
	esac
}

echo "release: $dest (HINTS=$hints) from $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', with uncommitted changes')"
kept=0 dropped=0
declare -A why=()
while IFS= read -r f; do
	[ -e "$f" ] || continue # deleted in the work tree
	if reason=$(left_out "$f"); then
		dropped=$((dropped + 1)) why[$reason]=$((${why[$reason]:-0} + 1))
		continue
	fi
	mkdir -p "$dest/$(dirname "$f")" && cp -p "$f" "$dest/$f" || die "cannot copy $f"
	kept=$((kept + 1))
done < <(git ls-files)
echo "release: $kept tracked files copied, $dropped left out:"
for reason in "${!why[@]}"; do
	printf '    %3d  %s\n' "${why[$reason]}" "$reason"
done | sort -k2

# ---- the lessons: their student's files ---------------------------------
for l in lessons/[0-9][0-9]-*/; do
	l=$(basename "$l")
	(cd "solutions/$l" && ls -- *.c) > "$dest/lessons/$l/student-files" 2>/dev/null ||
		die "solutions/$l has no C files"
done
echo "release: lessons/*/student-files: each lesson's files that are the student's"

# ---- prebuilt objects, and what the checks report on code that does not build
# x86_64 on an x86_64 host; arm64 there with the cross compiler, or natively.
case $(uname -m) in
x86_64) arches="x86_64 arm64" ;;
aarch64) arches="arm64"; echo "release: WARNING: an arm64 host builds no x86_64 objects; the release's x86 lessons will not build" ;;
*) die "this host ($(uname -m)) builds neither x86_64 nor arm64 objects" ;;
esac
for arch in $arches; do
	strip=objcopy
	[ "$arch" = arm64 ] && [ "$(uname -m)" = x86_64 ] && strip=aarch64-linux-gnu-objcopy
	srcs=$(make -s --no-print-directory ARCH="$arch" print-prebuilt) || die "make print-prebuilt ARCH=$arch failed"
	arch_lessons=$(make -s --no-print-directory ARCH="$arch" print-lessons)
	objs=() graders=()
	for s in $srcs; do objs+=("build/$arch/solution/${s#solutions/}"); done
	objs=("${objs[@]/%.c/.o}")
	for l in $arch_lessons; do graders+=("build/$arch/solution/$l/grade"); done
	make -s --no-print-directory -j2 ARCH="$arch" "${objs[@]}" "${graders[@]}" ||
		die "the reference objects for $arch do not build (make ARCH=$arch ${objs[*]})"
	for o in "${objs[@]}"; do
		p=$dest/prebuilt/$arch/solutions/${o#build/"$arch"/solution/}
		mkdir -p "$(dirname "$p")"
		"$strip" --strip-debug "$o" "$p" || die "cannot strip $o"
	done
	echo "release: prebuilt/$arch/solutions/: ${#objs[@]} objects (${srcs//solutions\//})"

	# Every check of each lesson, failed as a build that did not compile,
	# without its log (grade-all.sh adds the student's).
	nb=$dest/prebuilt/$arch/not-built
	mkdir -p "$nb"
	if [ "$arch" = "$(uname -m | sed 's/^aarch64$/arm64/')" ]; then
		for l in $arch_lessons; do
			"build/$arch/solution/$l/grade" "${for_grader[@]}" --label "your code (not built)" \
				--not-built /dev/null \
				--json "$nb/$l.json" --summary "$nb/$l-summary.tsv" > /dev/null
		done
	else
		work=build/release-$arch
		rm -rf "$work" && mkdir -p "$work"
		for l in $arch_lessons; do
			printf '%s\t%s\t%s--label\tyour code (not built)\t--not-built\t/dev/null\t--json\t%s.json\t--summary\t%s-summary.tsv\n' \
				"$l" "$(realpath "build/$arch/solution/$l/grade")" \
				"${for_grader:+--hidden$'\t'}" "$l" "$l"
		done > "$work/batch.txt"
		common/emu/run.sh --machine "$arch" --cache "build/emu-$arch" --fetch --quiet \
			--batch "$work/batch.txt" --out "$work/runs" > "$work/run.txt" 2>&1 ||
			{ cat "$work/run.txt"; die "the emulated $arch machine did not list the checks"; }
		for l in $arch_lessons; do
			cp "$work/runs/$l/$l.json" "$work/runs/$l/$l-summary.tsv" "$nb/" ||
				die "no list of $l's checks from the emulated $arch machine"
		done
	fi
	echo "release: prebuilt/$arch/not-built/: the checks of $(echo "$arch_lessons" | wc -w) lessons, for code that does not build"
done

# ---- the starters' hints --------------------------------------------------
if [ "$hints" != full ]; then
	files=()
	for l in lessons/[0-9][0-9]-*/; do
		l=$(basename "$l")
		for f in $(cat "$dest/lessons/$l/student-files"); do files+=("$dest/lessons/$l/$f"); done
	done
	n=$(perl common/scripts/hints.pl "$hints" "${files[@]}" | awk -F': ' '{ n += $3 } END { print n + 0 }')
	echo "release: HINTS=$hints: $n TODO comments in ${#files[@]} starter files"
fi

# ---- the texts ------------------------------------------------------------
# The instructors' parts out, the students' in; a link to a file that is
# here but not in the release becomes its text; in the lessons, commands
# with SOLUTION=1 are the student's own (a command line that only shows
# the reference solution goes).
mapfile -t texts < <(cd "$dest" && find . -name '*.md' -not -path './.git/*' | sed 's|^\./||' | sort)
for t in "${texts[@]}"; do
	SRC=$top DEST=$dest TEXT=$t perl -i -ne '
		BEGIN { use File::Spec; use File::Basename; $dir = dirname($ENV{TEXT}); }
		if (/^<!-- instructors -->\s*$/) { $skip = 1; next }
		if (/^<!-- \/instructors -->\s*$/) { $skip = 0; next }
		next if $skip;
		next if /^<!-- student\s*$/ || /^student -->\s*$/;
		s{\[([^\]]+)\]\(([^)#\s]+)(#[^)]*)?\)}{
			my ($all, $text, $target) = ($&, $1, $2);
			my $rel = File::Spec->canonpath("$dir/$target");
			1 while $rel =~ s{(^|/)(?!\.\./)[^/]+/\.\.(/|$)}{$1};
			($target !~ m{^[a-z]+:} && !-e "$ENV{DEST}/$rel" && -e "$ENV{SRC}/$rel") ? $text : $all
		}ge;
		if ($ENV{TEXT} =~ m{^lessons/}) {
			next if /^make lesson-\d+ SOLUTION=1\s+#/;
			next if /^make (bench|fuzz\S*|decoder-diff|sanitize|mutants|mistakes|samples|soak)\b.*#/;
			s/ SOLUTION=1//g;
		}
		print;
	' "$dest/$t" || die "cannot rewrite $t"
done
echo "release: ${#texts[@]} texts: instructors' parts out, links to what is left out made text"

# ---- the grading workflow -------------------------------------------------
mkdir -p "$dest/.github/workflows"
cp common/release/grade.yml "$dest/.github/workflows/grade.yml" || die "no common/release/grade.yml"
echo "release: .github/workflows/grade.yml: make grade on every push, its table in the job summary"

# ---- the grader's: the hidden checks ---------------------------------------
if [ ${#for_grader[@]} -gt 0 ]; then
	cp -a hidden "$dest/" || die "cannot copy hidden/"
	echo "release: hidden/: the hidden checks (KIT_RELEASE_FOR_GRADER: a grader's tree, not a student's)"
fi

# ---- done -----------------------------------------------------------------
if command -v git >/dev/null; then
	(cd "$dest" && git init -q -b main && git add -A &&
		git -c user.name="${GIT_AUTHOR_NAME:-kit release}" -c user.email="${GIT_AUTHOR_EMAIL:-release@localhost}" \
			commit -q -m "The KVM hypervisor kit: lessons and starter code") ||
		die "git could not make the first commit in $dest"
	echo "release: $dest is a git repository with one commit ($(cd "$dest" && git ls-files | wc -l) files)"
fi
echo "release: done: cd $dest && make lesson-01"
