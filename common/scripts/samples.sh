#!/bin/bash
# SPDX-License-Identifier: MIT
#
# samples.sh WORKDIR LESSON... - the sample outputs in the lesson texts are
# what their commands print today. Each sample is marked in the text by
#     <!-- sample ID: COMMAND -->
# on the line before its ```text block (samples.pl says how a sample may
# be shortened). Each COMMAND runs once, from the top of the kit, and each
# sample is compared with its output. A sample of what only one kind of
# KVM prints says so, `<!-- sample ID, on kvm_pvm: COMMAND -->`, and is
# compared where the host's KVM is that one (kvm_intel, kvm_amd, kvm_pvm).
# Every sample is what an x86_64 host prints (the x86 lessons, and the
# arm64 ones in its emulated machine): on another host none is compared,
# and it says so. Prints one line per sample and exits
# 1 if any sample is stale (or a lesson text has none), saying which line.
set -uo pipefail
work=$1
shift
rm -rf "$work" && mkdir -p "$work"
here=$(cd "$(dirname "$0")" && pwd)
status=0 n=0 elsewhere=0
host=
for module in kvm_pvm kvm_intel kvm_amd; do
	[ -e /sys/module/$module ] && { host=$module; break; }
done
x86_host=yes
[ "$(uname -m)" = x86_64 ] || x86_host=

for lesson in "$@"; do
	text=lessons/$lesson/README.md
	mapfile -t marks < <(grep -E '^<!-- sample [a-z0-9-]+(, on [a-z_]+)?: .* -->$' "$text")
	if [ ${#marks[@]} -eq 0 ]; then
		echo "FAIL $text has no sample output (<!-- sample ID: COMMAND --> before a \`\`\`text block)"
		status=1
		continue
	fi
	for mark in "${marks[@]}"; do
		[[ "$mark" =~ ^'<!-- sample '([a-z0-9-]+)(, on ([a-z_]+))?': '(.*)' -->'$ ]]
		id=${BASH_REMATCH[1]} on=${BASH_REMATCH[3]} cmd=${BASH_REMATCH[4]}
		if [ -z "$x86_host" ]; then
			echo "--   $text, sample $id: what an x86_64 host prints (this host: $(uname -m)), not compared here"
			elsewhere=$((elsewhere + 1))
			continue
		fi
		if [ -n "$on" ] && [ "$on" != "$host" ]; then
			echo "--   $text, sample $id: what $on prints (this host's KVM: ${host:-another}), not compared here"
			elsewhere=$((elsewhere + 1))
			continue
		fi
		# One run per command: the same command's output serves every
		# sample of it.
		key=$(printf '%s' "$cmd" | md5sum | cut -c1-12)
		output=$work/$key.txt
		if [ ! -f "$output" ]; then
			# make's own lines (a failing lesson's exit status) are not
			# the lesson's output.
			bash -c "$cmd" 2>&1 < /dev/null | grep -v -E '^make(\[[0-9]+\])?: ' > "$output"
			printf '%s\n' "$cmd" > "$work/$key.cmd"
		fi
		n=$((n + 1))
		if perl "$here/samples.pl" "$text" "$id" "$output" > "$work/$key-$id.why"; then
			echo "ok   $text, sample $id: $cmd"
		else
			echo "FAIL $text, sample $id: $cmd"
			sed 's/^/     /' "$work/$key-$id.why"
			echo "     (what it printed: $output; update the sample in the text)"
			status=1
		fi
	done
done
[ $elsewhere -gt 0 ] && n="$n (and $elsewhere of another kind of host or KVM, not here)"
echo "samples: $n compared"
exit $status
