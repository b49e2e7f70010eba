#!/bin/bash
# SPDX-License-Identifier: MIT
#
# setup.sh - Gradescope runs this once, as root, on its image, in the
# directory it unpacked autograder.zip in (/autograder/source): it installs
# the kit's packages (the kit's own deps.sh, what `make deps` runs) and
# builds, for each architecture of GRADE_ARCHES (autograder.conf), what
# every submission's grading needs: the core, the grader, each lesson's
# given files and its reference grade program (`make grade-build`), on
# this machine's KVM and for the emulated machine (a grader without
# /dev/kvm), with the emulated machines' downloads.
#
# Environment (outside Gradescope, e.g. make check's stage 18):
#   AUTOGRADER_SKIP_DEPS=1    install no package (they are there)
#   AUTOGRADER_EMU=0          build nothing for the emulated machines and
#                             fetch nothing now (run_autograder still can,
#                             at its first need)
#   AUTOGRADER_EMU_CACHE=DIR  the emulated machines' downloads are (or go
#                             to) DIR/emu-MACHINE instead of the kit's build/
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kit=$here/kit
jobs=$(nproc 2>/dev/null || echo 2)

die() { echo "setup: $*" >&2; exit 1; }
step() { echo "setup: + $*"; "$@" || die "failed: $*"; }

[ -f "$here/autograder.conf" ] || die "no autograder.conf beside setup.sh"
# shellcheck source=/dev/null
. "$here/autograder.conf"
[ -d "$kit" ] || die "no kit/ beside setup.sh"
cd "$kit" || die "cannot enter $kit"
host=$(uname -m | sed -e 's/^aarch64$/arm64/')
echo "setup: kit $KIT_VERSION, grading $GRADE_ARCHES on this $host machine"

if [ "${AUTOGRADER_SKIP_DEPS:-0}" = 1 ]; then
	echo "setup: packages not installed (AUTOGRADER_SKIP_DEPS=1)"
	bash common/scripts/deps.sh missing >/dev/null ||
		echo "setup: warning: missing packages: $(bash common/scripts/deps.sh missing | tr '\n' ' ')"
else
	step bash common/scripts/deps.sh install
fi

mkdir -p build
emu=1
[ "${AUTOGRADER_EMU:-1}" = 0 ] && emu=0
# The emulated machines' downloads kept elsewhere (a test's shared cache).
if [ -n "${AUTOGRADER_EMU_CACHE:-}" ]; then
	for a in $GRADE_ARCHES; do
		[ -e "build/emu-$a" ] && continue
		if ! { mkdir -p "$AUTOGRADER_EMU_CACHE/emu-$a" &&
		       ln -s "$(realpath "$AUTOGRADER_EMU_CACHE/emu-$a")" "build/emu-$a"; }; then
			die "cannot link build/emu-$a to $AUTOGRADER_EMU_CACHE/emu-$a"
		fi
	done
fi
# The emulated machine for ARCH: its downloads, and its default kernel.
fetch_machine() { # arch
	local cache=build/emu-$1 kernel
	# shellcheck source=/dev/null
	kernel=$(. "common/emu/machines/$1.sh" && echo "$DEFAULT_KERNEL")
	step bash common/emu/fetch.sh --machine "$1" "$cache" "$kernel" busybox
}

for a in $GRADE_ARCHES; do
	if [ "$a" = "$host" ]; then
		step make -s --no-print-directory -j"$jobs" ARCH="$a" grade-build
		# Without /dev/kvm on the grader, the lessons run in the emulated
		# machine (on x86_64, its KVM is AMD-V): built apart, static.
		if [ "$emu" = 1 ]; then
			fetch_machine "$a"
			step make -s --no-print-directory -j"$jobs" ARCH="$a" EMU=1 grade-build
		fi
	else
		# Another architecture always runs in its emulated machine.
		if [ "$emu" = 1 ]; then
			fetch_machine "$a"
			step make -s --no-print-directory -j"$jobs" ARCH="$a" grade-build
		fi
	fi
done
echo "setup: done"
