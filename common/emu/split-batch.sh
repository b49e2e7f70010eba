#!/bin/bash
# SPDX-License-Identifier: MIT
#
# split-batch.sh FILE MB - cut a batch file for run.sh --batch (lines of
# NAME<TAB>PROGRAM<TAB>ARGS...) into FILE.1, FILE.2, ... of at most MB
# megabytes of programs each, in order, and print their names. The
# emulated machine takes an initramfs of at most 40% of its memory
# (run.sh refuses a bigger one), so a batch of many programs needs as
# many boots as their size says. A program bigger than MB alone gets a
# boot of its own (and run.sh says if it is still too big).
set -euo pipefail
file=$1 max=$(($2 << 20))
n=0 bytes=0
rm -f "$file".[0-9]*
while IFS=$'\t' read -r name prog rest; do
	size=$(stat -c %s "$prog")
	if [ $n = 0 ] || [ $((bytes + size)) -gt $max ]; then
		n=$((n + 1)) bytes=0
		: > "$file.$n"
		echo "$file.$n"
	fi
	bytes=$((bytes + size))
	printf '%s\t%s%s\n' "$name" "$prog" "${rest:+$'\t'$rest}" >> "$file.$n"
done < "$file"
