#!/bin/bash
# SPDX-License-Identifier: MIT
#
# bench.sh BUILD ARCH... - what `make bench` runs: lesson 06's program with
# the reference harness (build/ARCH/solution/06-exits/lesson --bench) on
# each architecture: natively where it is this computer's, in the kit's
# emulated machine where it is not. Each leaves build/bench/ARCH/
# results.json and exits.svg, and prints its table and the kit's ratios;
# the chart is then drawn once (rsvg-convert) to show that it renders.
# Exits 1 if a run failed or a ratio was missed.
set -u
build=$1
shift
host=$(uname -m | sed -e 's/^aarch64$/arm64/')
status=0

# A PNG's width and height, from its IHDR chunk (bytes 16 to 23).
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%d x %d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4,
		$5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'
}

for arch in "$@"; do
	out=$build/bench/$arch
	prog=$build/$arch/solution/06-exits/lesson
	mkdir -p "$out"
	rm -f "$out/results.json" "$out/exits.svg" "$out/exits.png"
	make -s --no-print-directory ARCH="$arch" "$prog" || { status=1; continue; }
	echo "=== make bench: $arch ==="
	if [ "$arch" = "$host" ]; then
		"$prog" --bench --json "$out/results.json" --svg "$out/exits.svg"
	else
		bash common/emu/run.sh --machine "$arch" --cache "$build/emu-$arch" --fetch --quiet \
			--out "$out" -- "$prog" --bench --json results.json --svg exits.svg
	fi
	[ $? -eq 0 ] || status=1
	if [ -s "$out/exits.svg" ] && rsvg-convert -o "$out/exits.png" "$out/exits.svg" 2>"$out/render.txt"; then
		echo "the chart: $out/exits.svg (drawn by rsvg-convert into $out/exits.png," \
			"$(png_size "$out/exits.png") pixels)"
	else
		echo "the chart $out/exits.svg does not render: $(cat "$out/render.txt" 2>/dev/null)"
		status=1
	fi
	[ -s "$out/results.json" ] && echo "the figures: $out/results.json ($(jq '.rows | length' \
		"$out/results.json") rows)"
done
exit $status
