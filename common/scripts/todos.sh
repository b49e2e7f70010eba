#!/bin/bash
# SPDX-License-Identifier: MIT
#
# todos.sh FILE... - the kit's one reader of TODOs: every
# kit_todo(LESSON, "SECTION", "WHAT") call in the given C files, one per
# line as FILE<TAB>LINE<TAB>SECTION<TAB>WHAT, in the order of the files
# and lines. `make lesson-NN` lists what is left with it, and `make docs`
# checks that each SECTION is a heading of the lesson's text.
set -euo pipefail
[ $# -gt 0 ] || exit 0
# A call may be split over lines after its first argument; the section
# and the text are on the line of the call in every file of the kit, and
# a call whose strings are not there is reported as such, not skipped.
grep -Hn 'kit_todo(LESSON' -- "$@" 2>/dev/null |
	sed -E 's/^([^:]*):([0-9]+):.*kit_todo\(LESSON, *"([^"]*)", *"([^"]*)".*/\1\t\2\t\3\t\4/; t
		s/^([^:]*):([0-9]+):.*/\1\t\2\t?\t(a kit_todo call this script cannot read: keep its strings on one line)/' ||
	true
