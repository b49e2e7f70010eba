#!/bin/bash
# SPDX-License-Identifier: MIT
#
# solution-lines.sh - one distinctive line of each reference file
# (solutions/**/*.c and *.h), as FILE<TAB>LINE: the longest line of code
# in it (a statement, a declaration: it has one of ; ( = and is not a
# comment) that neither its starter in lessons/ nor the lesson's text has
# (a text may show a line of the answer on purpose: lesson 03 shows its
# table's declaration). A release that holds any of these lines holds
# reference code (make check greps for them in build/release).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
for f in $(git ls-files 'solutions/*.c' 'solutions/*.h'); do
	starter=lessons/${f#solutions/}
	[ -f "$starter" ] || starter=/dev/null
	text=$(dirname "$starter")/README.md
	[ -f "$text" ] || text=/dev/null
	line=$(awk 'FILENAME != ARGV[3] { sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); seen[$0] = 1; next }
		{ sub(/^[ \t]+/, ""); sub(/[ \t]+$/, "") }
		$0 in seen || length($0) < 16 || $0 ~ /^(\/\*|\*|\/\/|#)/ || $0 !~ /[;(=]/ { next }
		length($0) > length(best) { best = $0 }
		END { print best }' "$starter" "$text" "$f")
	[ -n "$line" ] && printf '%s\t%s\n' "$f" "$line"
done
