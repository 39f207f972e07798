#!/bin/sh
# The manual pages: tandem(1) and tandem-COMMAND(1) for each command that
# `tandem --help` lists, made by help2man from the --help texts, so they
# say what the binary says.  The build runs it when help2man is found.
#   scripts/man.sh TANDEM OUTDIR          write OUTDIR/tandem.1, OUTDIR/tandem-*.1
#   scripts/man.sh --help-of TANDEM [CMD] (help2man runs this) the --help text,
#                                         its usage lines and option columns
#                                         as help2man reads them
set -eu

# help2man wants "Usage:" and "  or:  " lines, and two spaces between an
# option and its description; a few long options leave only one.
help_of() {
	"$@" --help | sed -E \
		-e 's/^usage: /Usage: /' \
		-e 's/^       (tandem )/  or:  \1/' \
		-e 's/^( +(-[A-Za-z], )?--[a-z0-9-]+ [A-Z]+) ([^ ])/\1  \3/'
}

if [ "${1-}" = --help-of ]; then
	shift
	help_of "$@"
	exit 0
fi

[ $# -eq 2 ] || { echo "usage: scripts/man.sh TANDEM OUTDIR" >&2; exit 2; }
tandem=$1
out=$2
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
version=$("$tandem" --version | sed -n '1s/^tandem //p')
what=$("$tandem" --help | sed -n 's/^tandem [^ ]*: \(.*\)\.$/\1/p')
commands=$("$tandem" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\)  *.*/\1/p')
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# page NAME DESCRIPTION SEE-ALSO CMD...: one page from CMD's --help.
page() {
	name=$1 description=$2 see=$3
	shift 3
	printf '[NAME]\n%s \\- %s\n[SEE ALSO]\n%s\n' "$name" "$description" "$see" >"$tmp/$name.h2m"
	quoted=
	for a in "$@"; do
		quoted="$quoted '$a'"
	done
	help2man --no-info --no-discard-stderr --section=1 \
		--source="tandem $version" --version-string="$version" \
		--include="$tmp/$name.h2m" --help-option="--help-of$quoted" \
		--output="$out/$name.1.tmp" "sh '$self'"
	mv "$out/$name.1.tmp" "$out/$name.1"
}

see=
for c in $commands; do
	see="$see${see:+,
}.BR tandem-$c (1)"
done
page tandem "${what:-bilingual subtitles and transcripts}" "$see" "$tandem"
for c in $commands; do
	description=$("$tandem" --help | sed -n "s/^  $c  *//p")
	page "tandem-$c" "$description" ".BR tandem (1)" "$tandem" "$c"
done
