#!/bin/bash
# SPDX-License-Identifier: MIT
#
# layers.sh OUT - proves that the host core is a layer: everything under
# common/ depends only on common/ (and the system), its headers include
# one another without a cycle, and its objects call one another without a
# cycle (no file of the core calls up into a file that calls it).
#
# Prints one line per rule and a closing "N passed, N failed" line; the
# exit status is 1 if any rule is broken. Needs the core built in OUT
# (libkit.a, libgrade.a) and CC in the environment.
set -uo pipefail
out=$1
cc=${CC:-gcc}
passed=0 failed=0

rule() { # ok? text [details]
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "  PASS  $2"
	else
		failed=$((failed + 1))
		echo "  FAIL  $2"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/          /'
	fi
}

mapfile -t sources < <(find common -name '*.[chS]' | sort)

# 1. What every file of the core includes, found by the compiler itself
#    with nothing but common/ on the include path (-MG lists a header it
#    cannot find instead of stopping, so it shows up here as outside).
outside=$(for f in "${sources[@]}"; do
	case $f in *.h) continue ;; esac
	$cc -MM -MG -Icommon -Icommon/grade "$f" 2>&1 | tr ' \\' '\n\n' | sed '/^$/d; /:$/d' |
		while read -r dep; do
			case $dep in
			/*) ;;				# the system's headers
			common/*) ;;
			*) echo "$f includes $dep" ;;
			esac
		done
done | sort -u)
rule "$([ -z "$outside" ]; echo $?)" \
	"no file under common/ includes anything from outside common/ (lessons/, solutions/, guest-*/)" \
	"$outside"

# 2. The core's own #include "..." lines, as edges between its files; tsort
#    finds a cycle if there is one.
edges=$(for f in "${sources[@]}"; do
	grep -o '^#include "[^"]*"' "$f" | sed 's/^#include "//; s/"$//' | while read -r inc; do
		for cand in "$(dirname "$f")/$inc" "common/$inc" "common/grade/$inc"; do
			if [ -f "$cand" ]; then
				echo "$(realpath --relative-to=. "$cand") $f"
				break
			fi
		done
	done
done)
cycle=$(printf '%s\n' "$edges" | sed '/^$/d' | tsort 2>&1 >/dev/null)
rule "$([ -z "$cycle" ]; echo $?)" "the core's headers include one another without a cycle" "$cycle"

# 3. Calls between the core's object files: an edge A -> B when A uses a
#    symbol that B defines. A cycle means two files call each other, and
#    neither is the layer below the other.
calls=
for lib in "$out/libkit.a" "$out/libgrade.a"; do
	[ -f "$lib" ] || { rule 1 "calls between the core's files ($lib is not built)"; continue; }
done
if [ -f "$out/libkit.a" ] && [ -f "$out/libgrade.a" ]; then
	# nm -A: "lib.a:file.o:ADDRESS TYPE NAME", or "lib.a:file.o: U NAME".
	defs=$(nm -A --defined-only "$out/libkit.a" "$out/libgrade.a" 2>/dev/null |
		awk '$2 ~ /^[TDBRC]$/ { split($1, p, ":"); print p[2], $3 }')
	calls=$(nm -A --undefined-only "$out/libkit.a" "$out/libgrade.a" 2>/dev/null |
		awk 'NR == FNR { def[$2] = $1; next }
		     { split($1, p, ":"); if (($NF in def) && def[$NF] != p[2]) print p[2], def[$NF] }' \
		<(echo "$defs") - | sort -u)
	cycle=$(printf '%s\n' "$calls" | sed '/^$/d' | tsort 2>&1 >/dev/null)
	rule "$([ -z "$cycle" ]; echo $?)" \
		"the core's files call one another without a cycle ($(printf '%s\n' "$calls" | sed '/^$/d' | wc -l) calls between files)" \
		"$cycle"
fi

# 4. What the Makefile puts in the core's libraries comes from common/.
srcs=$(make -s --no-print-directory print-core-sources)
stray=$(printf '%s\n' $srcs | grep -v '^common/' || true)
rule "$([ -z "$stray" ]; echo $?)" "the core's libraries are built from common/ only" "$stray"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
