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
# (same path, symlink, hard link, batch output = input or a link to another
# input, stdin or stdout being the file, and every other file a command
# reads: --meta, --fit-config, --audio, --lexicon, --reference), leave an
# existing output untouched when the input is bad, leave no temporary file;
# and the limits: a 255-byte output name, /dev/zero, a pipe past
# --max-input, YAML 100,000 levels deep (in under 5 s).
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

# ---- issue 16: every file read counts as an input; limits ----
# snap DIR: the checksums of every file under DIR; same_snap NAME: none changed.
snap() { find "$1" -type f -print0 | sort -z | xargs -0 md5sum; }
same_snap() {
	[ "$(snap "$2")" = "$3" ] && ok || bad "$1: a file under $2 changed"
}
mkdir reads && cd reads || exit 2
printf '%s' "$good" >a.srt
printf '1\n00:00:01,000 --> 00:00:02,000\n你好。\n' >b.srt
printf 'title: Kept\n' >m.yaml
printf 'min_gap: 100\n' >r.yaml
printf 'not media, but a file all the same\n' >x.wav
before=$(snap .)

expect_fail stdin-is-output 2 "tandem: a.srt: refusing to overwrite the input <stdin>" -- \
	bash -c '"$0" convert -f srt - -o a.srt <a.srt' "$TANDEM"
same_snap stdin-is-output . "$before"
expect_fail stdout-is-input 2 "tandem: <stdout>: refusing to overwrite the input a.srt" -- \
	bash -c '"$0" convert -t srt a.srt -o - 1<>a.srt' "$TANDEM"
same_snap stdout-is-input . "$before"
expect_fail meta-is-output 2 "tandem: m.yaml: refusing to overwrite the input m.yaml" -- \
	"$TANDEM" convert -t post --meta m.yaml a.srt -o m.yaml
same_snap meta-is-output . "$before"
expect_fail fit-config-is-output 2 "tandem: r.yaml: refusing to overwrite the input r.yaml" -- \
	"$TANDEM" convert -t srt --fit default --fit-config r.yaml a.srt -o r.yaml
same_snap fit-config-is-output . "$before"
expect_fail audio-is-output 2 "tandem: x.wav: refusing to overwrite the input x.wav" -- \
	"$TANDEM" convert -t srt --fit default --audio x.wav a.srt -o x.wav
same_snap audio-is-output . "$before"
expect_fail lexicon-is-output 2 "tandem: m.yaml: refusing to overwrite the input m.yaml" -- \
	"$TANDEM" align -t srt --lexicon m.yaml a.srt b.srt -o m.yaml
same_snap lexicon-is-output . "$before"
expect_fail lexicon-is-report 2 "tandem: m.yaml: refusing to overwrite the input m.yaml" -- \
	"$TANDEM" align --lexicon m.yaml a.srt b.srt --report m.yaml
same_snap lexicon-is-report . "$before"
expect_fail reference-is-output 2 "tandem: b.srt: refusing to overwrite the input b.srt" -- \
	"$TANDEM" sync -r b.srt --max-offset 1 --min-score -1 a.srt -o b.srt
same_snap reference-is-output . "$before"
expect_fail report-is-input 2 "tandem: a.srt: refusing to overwrite the input a.srt" -- \
	"$TANDEM" retime a.srt --audio x.wav --report a.srt -o out.srt
expect_fail report-is-audio 2 "tandem: x.wav: refusing to overwrite the input x.wav" -- \
	"$TANDEM" retime a.srt --audio x.wav --report x.wav -o out.srt
same_snap report-is-input . "$before"
cd .. || exit 2

# A batch output that is a link (symbolic or hard) to another input of the batch.
mkdir -p lnk/in lnk/out
printf '%s' "$good" >lnk/in/a.srt
printf '%s' "$good" >lnk/in/c.srt
ln -s ../in/c.srt lnk/out/a.vtt
ln lnk/in/a.srt lnk/out/c.vtt
before=$(snap lnk/in)
expect_fail batch-symlink-to-input 1 "tandem: lnk/out/a.vtt: refusing to overwrite the input lnk/in/c.srt" -- \
	"$TANDEM" convert -t vtt -d lnk/out lnk/in
grep -qF "lnk/out/c.vtt: refusing to overwrite the input lnk/in/a.srt" "$work/stderr" && ok ||
	bad "batch-hardlink-to-input: $(cat "$work/stderr")"
grep -qF "converted 0 of 2 files" "$work/stderr" && ok || bad "batch-link: $(cat "$work/stderr")"
same_snap batch-link-to-input lnk/in "$before"
[ -L lnk/out/a.vtt ] && ok || bad "batch-symlink-to-input: the link was replaced"

# An output name of 255 bytes: the temporary beside it stays short.
long=$(printf 'a%.0s' $(seq 251)).srt
"$TANDEM" convert a.srt -o "$long" 2>"$work/stderr" && ok || bad "255-byte name: $(cat "$work/stderr")"
grep -q '^Hello\.$' "$long" && ok || bad "255-byte name: output lacks the cue"
rm -f "$long"

# A device that never ends: refused as binary from its start, at once.
expect_fail dev-zero 2 "/dev/zero:1:1: error: input holds NUL or control bytes" -- \
	timeout 5 "$TANDEM" convert /dev/zero -o zero.srt
[ ! -e zero.srt ] && ok || bad "dev-zero: zero.srt written"
# A pipe that never ends: read up to --max-input.
expect_fail pipe-limit 2 "<stdin>: error: input from a pipe or device is longer than the limit of 1 MiB (--max-input SIZE changes it) [input-too-big]" -- \
	timeout 10 bash -c 'yes | "$0" convert --max-input 1M -f srt - -o yes.srt' "$TANDEM"
[ ! -e yes.srt ] && ok || bad "pipe-limit: yes.srt written"
expect_fail max-input-range 2 "--max-input takes a size from 1K to 1T, not '2T'" -- \
	"$TANDEM" convert --max-input 2T a.srt -o mi.json
[ ! -e mi.json ] && ok || bad "max-input-range: mi.json written"

# YAML 100,000 levels deep: refused at level 1,001, in well under 5 s.
deep=$(printf '[%.0s' $(seq 100000))$(printf ']%.0s' $(seq 100000))
printf -- '---\ntitle: %s\n---\n\n## A\n\nHello.\n' "$deep" >deep.md
printf 'min_gap: %s\n' "$deep" >deep.yaml
printf 'title: %s\n' "$deep" >deep-meta.yaml
for c in "post-100k:deep.md:2:1007: error: front matter: nested more than 1000 levels deep [post-yaml]:convert -f post --strict deep.md -o deep.json" \
	"rules-100k:deep.yaml:1:1009: error: YAML nested more than 1000 levels deep [check-config]:check -c deep.yaml a.srt" \
	"meta-100k:deep-meta.yaml:1:1007: error: nested more than 1000 levels deep [post-meta]:convert -t post --meta deep-meta.yaml a.srt -o deep-out.md"; do
	name=${c%%:*} rest=${c#*:}
	msg=${rest%:*} cmd=${rest##*:}
	start=$(date +%s%N)
	read -r -a argv <<<"$cmd"
	expect_fail "$name" 2 "$msg" -- timeout 5 "$TANDEM" "${argv[@]}"
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -lt 5000 ] && ok || bad "$name: took $ms ms"
done
[ ! -e deep.json ] && [ ! -e deep-out.md ] && ok || bad "deep YAML: an output was written"
# Billion laughs: aliases are kept as references, never expanded.
{
	printf -- '---\ntitle: Laughs\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
	for i in 1 2 3 4 5 6 7 8 9; do
		p=$((i - 1))
		printf 'a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n' \
			"$i" "$i" "$p" "$p" "$p" "$p" "$p" "$p" "$p" "$p" "$p"
	done
	printf -- '---\n\n## A\n\nHello.\n\n<details>\n<summary>Original</summary>\n\nHello.\n\n</details>\n'
} >laughs.md
timeout 5 "$TANDEM" convert -q -f post laughs.md -o laughs.json 2>"$work/stderr" && ok ||
	bad "billion laughs: $(cat "$work/stderr")"
grep -q '"title": "Laughs"' laughs.json && ok || bad "billion laughs: title not read"

# SIGINT in the middle of a big conversion: the old output stays whole (or
# the new one is whole, if it finished first), and no temporary is left.
awk 'BEGIN { for (i = 1; i <= 300000; i++)
	printf "%d\n00:00:%02d,000 --> 00:00:%02d,500\nLine %d of a long file.\n\n", i, i % 60, i % 60, i }' >big.srt
printf 'old output\n' >big.json
"$TANDEM" convert big.srt -o big.json &
pid=$!
sleep 0.2
kill -INT "$pid" 2>/dev/null
wait "$pid"
if [ "$(cat big.json)" = "old output" ]; then ok
else tail -c 200 big.json | grep -q '^}' && ok || bad "sigint: big.json is neither old nor whole"; fi
no_temp sigint
rm -f big.srt big.json

# Success replaces an existing output whole, through a temporary file.
printf 'old\n' >good.json
"$TANDEM" convert a.srt -o good.json 2>"$work/stderr" && ok || bad "convert a good file"
grep -q '"text": "Hello."' good.json && ok || bad "good.json not replaced"
no_temp "after all runs"

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" = 0 ]
