#!/usr/bin/env bash
# run.sh - the malformed-input catalogue and the output-safety rules.
#
# Part 1: every line of cases.tsv names an input under inputs/, the exit
# status `tandem convert` must give, extra options, and a substring (with
# file:line:col and rule id) that stderr must hold.  Each input is converted
# into an empty directory, which must still be empty afterwards: no output,
# no temporary file.
#
# Part 2: the safety rules of `tandem convert` - never write onto an input
# (same path, symlink, hard link, batch output = input), leave an existing
# output untouched when the input is bad, leave no temporary file.
#
# Needs $TANDEM (the CLI); finds its data beside itself.
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${TANDEM:?set TANDEM to the tandem binary}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

# ---- part 1: the catalogue ----
n=0
while IFS=$'\t' read -r input want_rc opts expect; do
	case $input in '' | '#'*) continue ;; esac
	n=$((n + 1))
	case $input in *.json) ext=srt ;; *) ext=json ;; esac
	out="$work/case$n"
	mkdir "$out"
	args=()
	[ "$opts" != - ] && read -r -a args <<<"$opts"
	(cd "$here/inputs" && "$TANDEM" convert "${args[@]}" "$input" -o "$out/out.$ext") \
		>"$work/stdout" 2>"$work/stderr"
	rc=$?
	[ "$rc" = "$want_rc" ] && ok || bad "$input: exit $rc, want $want_rc"
	grep -qF -- "$expect" "$work/stderr" && ok ||
		bad "$input: stderr lacks: $expect"$'\n'"--- stderr was:"$'\n'"$(cat "$work/stderr")"
	left=$(ls -A "$out")
	[ -z "$left" ] && ok || bad "$input: left behind: $left"
	[ -s "$work/stdout" ] && bad "$input: wrote to stdout" || ok
done <"$here/cases.tsv"
[ "$n" -ge 30 ] && ok || bad "only $n catalogue cases"

# ---- part 2: safety ----
good=$'1\n00:00:01,000 --> 00:00:02,000\nHello.\n'
cd "$work" || exit 2
mkdir safe && cd safe || exit 2
printf '%s' "$good" >a.srt
cp a.srt a.orig
printf 'garbage that is not subtitles\n' >bad.srt

# expect_fail NAME WANT_RC SUBSTRING -- command...
expect_fail() {
	local name=$1 want=$2 sub=$3
	shift 4
	"$@" >"$work/stdout" 2>"$work/stderr"
	local rc=$?
	[ "$rc" = "$want" ] && ok || bad "$name: exit $rc, want $want"
	grep -qF -- "$sub" "$work/stderr" && ok ||
		bad "$name: stderr lacks: $sub"$'\n'"$(cat "$work/stderr")"
}
no_temp() {
	local t
	t=$(find . -name '.*.tandem-*')
	[ -z "$t" ] && ok || bad "$1: temporary files left: $t"
}
unchanged() {
	cmp -s a.srt a.orig && ok || bad "$1: the input a.srt was changed"
}

expect_fail same-path 2 "refusing to overwrite the input a.srt" -- \
	"$TANDEM" convert a.srt -o a.srt
unchanged same-path

expect_fail same-path-other-format 2 "refusing to overwrite the input" -- \
	"$TANDEM" convert -t json a.srt -o ./a.srt
unchanged same-path-other-format

ln -s a.srt link.srt
expect_fail symlink 2 "refusing to overwrite the input a.srt" -- \
	"$TANDEM" convert a.srt -o link.srt
[ -L link.srt ] && ok || bad "symlink: link.srt is no longer a symlink"
unchanged symlink

ln a.srt hard.srt
expect_fail hardlink 2 "refusing to overwrite the input a.srt" -- \
	"$TANDEM" convert a.srt -o hard.srt
unchanged hardlink

mkdir sub
expect_fail dotdot 2 "refusing to overwrite the input" -- \
	"$TANDEM" convert sub/../a.srt -o "$work/safe/sub/../a.srt"
unchanged dotdot

printf 'keep me\n' >out.json
expect_fail bad-input-keeps-output 2 "no srt segments found" -- \
	"$TANDEM" convert bad.srt -o out.json
[ "$(cat out.json)" = "keep me" ] && ok || bad "bad-input-keeps-output: out.json changed"

printf '\x89PNG\r\n\x1a\n\x00\x00' >bin.srt
expect_fail binary-keeps-output 2 "[binary-input]" -- \
	"$TANDEM" convert bin.srt -o out.json
[ "$(cat out.json)" = "keep me" ] && ok || bad "binary-keeps-output: out.json changed"

expect_fail missing-input 2 "nope.srt: error: cannot read: No such file or directory [io-read]" -- \
	"$TANDEM" convert nope.srt -o nope.json
[ ! -e nope.json ] && ok || bad "missing-input: nope.json written"

expect_fail directory-input 2 "cannot read: Is a directory" -- \
	"$TANDEM" convert sub -o sub.json
[ ! -e sub.json ] && ok || bad "directory-input: sub.json written"

expect_fail stdin-garbage 2 "<stdin>: error: no srt segments found in this input [no-segments]" -- \
	bash -c "printf 'not a subtitle\n' | \"\$0\" convert -f srt - -o stdin.json" "$TANDEM"
[ ! -e stdin.json ] && ok || bad "stdin-garbage: stdin.json written"

expect_fail unknown-output-format 2 "cannot tell the output format" -- \
	"$TANDEM" convert a.srt -o a.xyz-unknown
[ ! -e a.xyz-unknown ] && ok || bad "unknown-output-format: file written"

# A batch skips the bad file, converts the rest, and exits 1.
mkdir batch-out
expect_fail batch-one-bad 1 "converted 1 of 2 files to json in batch-out; 1 failed" -- \
	"$TANDEM" convert -t json -d batch-out a.srt bad.srt
[ -s batch-out/a.json ] && ok || bad "batch-one-bad: a.json missing"
[ ! -e batch-out/bad.json ] && ok || bad "batch-one-bad: bad.json written"

# A batch whose output would be its own input refuses that file.
expect_fail batch-onto-input 1 "refusing to overwrite the input" -- \
	"$TANDEM" convert -t srt -d . a.srt
unchanged batch-onto-input

# Success replaces an existing output whole, through a temporary file.
printf 'old\n' >good.json
"$TANDEM" convert a.srt -o good.json 2>"$work/stderr" && ok || bad "convert a good file"
grep -q '"text": "Hello."' good.json && ok || bad "good.json not replaced"
no_temp "after all runs"

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" = 0 ]
