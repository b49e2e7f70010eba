#!/bin/bash
# SPDX-License-Identifier: MIT
#
# build.sh SITE LESSON... - what `make docs` runs: the README, every
# lesson's text and the kit's other texts (docs/*.md) rendered by pandoc
# into a small website under SITE, with the lessons listed in order on
# every page. It fails (so `make check` fails) when a page does not
# render, a local link points at nothing, or a TODO in a lesson's code
# names a section its text does not have.
set -euo pipefail
site=$1
shift
lessons=("$@")
docs=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$docs/.." && pwd)
errors=0

command -v pandoc >/dev/null || { echo "docs: pandoc is missing: run make deps" >&2; exit 1; }
rm -rf "$site"
mkdir -p "$site"
cp "$docs/style.css" "$site/style.css"

title_of() { sed -n 's/^# //p' "$1" | head -n1; }

# The navigation, with paths relative to a page `depth` folders down.
nav() { # depth current
	local prefix="" i lesson
	for ((i = 0; i < $1; i++)); do prefix+="../"; done
	echo "<ol>"
	for lesson in "${lessons[@]}"; do
		local cls=""
		[ "$lesson" = "$2" ] && cls=' class="current"'
		echo "<li><a$cls href=\"${prefix}lessons/$lesson/README.html\">$(title_of "$root/lessons/$lesson/README.md" | sed 's/&/\&amp;/g; s/</\&lt;/g')</a></li>"
	done
	echo "</ol>"
}

render() { # source.md output.html depth current
	local src=$1 dst=$2 depth=$3 current=$4 prefix="" i links
	for ((i = 0; i < depth; i++)); do prefix+="../"; done
	links=$(mktemp)
	mkdir -p "$(dirname "$dst")"
	if ! KIT_DOCS_LINKS=$links pandoc --from gfm+smart --to html5 --standalone \
		--template "$docs/template.html" --lua-filter "$docs/links.lua" \
		--highlight-style=tango \
		--metadata pagetitle="$(title_of "$src")" \
		--variable root="$prefix" --variable nav="$(nav "$depth" "$current")" \
		-o "$dst" "$src"; then
		echo "docs: pandoc could not render $src" >&2
		errors=$((errors + 1))
	fi
	# Every local link must point at something; copy non-Markdown targets
	# (source files) into the site so the links work there too.
	while read -r target; do
		[ -n "$target" ] || continue
		local from
		from=$(cd "$(dirname "$src")" && realpath -m "$target")
		if [ ! -e "$from" ]; then
			echo "docs: $src links to $target, which does not exist" >&2
			errors=$((errors + 1))
		elif [ -f "$from" ] && [[ "$from" != *.md ]]; then
			local rel=${from#"$root"/}
			mkdir -p "$site/$(dirname "$rel")"
			cp "$from" "$site/$rel"
		fi
	done < "$links"
	rm -f "$links"
}

render "$root/README.md" "$site/index.html" 0 ""
# The kit's other texts (docs/*.md), one page each.
for page in "$docs"/*.md; do
	[ -e "$page" ] || continue
	render "$page" "$site/docs/$(basename "${page%.md}").html" 1 ""
done
for lesson in "${lessons[@]}"; do
	text=$root/lessons/$lesson/README.md
	if [ ! -f "$text" ]; then
		echo "docs: lessons/$lesson has no README.md" >&2
		errors=$((errors + 1))
		continue
	fi
	render "$text" "$site/lessons/$lesson/README.html" 2 "$lesson"

	# Each kit_todo(LESSON, "SECTION", ...) must name a heading of the text.
	while IFS= read -r section; do
		if ! grep -Eq "^#{1,4} $(printf '%s' "$section" | sed 's/[.[\*^$()+?{|]/\\&/g')\$" "$text"; then
			echo "docs: a TODO in lessons/$lesson points at section \"$section\"," \
				"which lessons/$lesson/README.md does not have" >&2
			errors=$((errors + 1))
		fi
	done < <(cd "$root" && bash common/scripts/todos.sh lessons/"$lesson"/*.c | cut -f3 | sort -u)

	# Each graded check (a { "name", ... } entry of a checks table) is
	# named, in backquotes, in a "Checks:" paragraph of the text.
	checks_text=$(awk '/^Checks:/ { p = 1 } p { print } /^$/ { p = 0 }' "$text")
	while IFS= read -r check; do
		if ! grep -qF "\`$check\`" <<< "$checks_text"; then
			echo "docs: the check $check (lessons/$lesson) is named in no \"Checks:\"" \
				"paragraph of lessons/$lesson/README.md" >&2
			errors=$((errors + 1))
		fi
	done < <(grep -hoE '^[[:space:]]*\{ "[a-z0-9_]+",' "$root/lessons/$lesson"/checks*.c |
		 sed -E 's/.*"([a-z0-9_]+)".*/\1/' | sort -u)
done

if [ "$errors" -gt 0 ]; then
	echo "docs: $errors problem(s)" >&2
	exit 1
fi
echo "docs: $(find "$site" -name '*.html' | wc -l) pages in $site (open $site/index.html)"
