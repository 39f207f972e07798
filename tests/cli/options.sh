#!/usr/bin/env bash
# Numeric options out of their range (issue 16 item 10): each is a usage
# error (exit 2) naming the option, before any work, writing nothing; each
# range is in the command's --help; the bounds themselves are accepted.
. "$(dirname "$0")/lib.sh"
cd "$WORK" || exit 2
printf '1\n00:00:01,000 --> 00:00:02,000\nHello.\n' >a.srt
printf '1\n00:00:01,000 --> 00:00:02,000\n你好。\n' >b.srt
printf 'Hello.\n' >a.txt
sum0=$(md5sum a.srt b.srt a.txt)

# bad CMD OPTION VALUE ARGS...: refused, naming OPTION, nothing written.
bad_value() {
  local cmd=$1 opt=$2 val=$3
  shift 3
  run "$TANDEM" "$cmd" "$opt" "$val" "$@"
  expect_rc 2 "$cmd $opt $val"
  expect_err "tandem $cmd: $opt takes" "$cmd $opt $val: names the option"
  expect_err "Try 'tandem $cmd --help'" "$cmd $opt $val: usage hint"
  expect_no_file out.srt "$cmd $opt $val: no output"
  expect_no_file out.md "$cmd $opt $val: no output"
}
# The range is documented: the option's entry in --help (its line and the
# lines continuing it) holds the range as given.
documented() {
  run "$TANDEM" "$1" --help
  local entry
  entry=$(awk -v opt="$2" '!on && /^ +-/ && index($0, opt " ") { on = 1; print; next }
    on && /^ +-/ { exit } on { print }' <<<"$out" | tr -s ' \n' ' ')
  [[ $entry == *"$3"* ]] && ok || bad "$1 --help: no '$3' for $2 in: $entry"
}

for v in 0 257 x; do bad_value convert -j "$v" -t srt -d outdir a.srt; done
for v in 0 100001 1000000000000 -5 ''; do bad_value convert --para-chars "$v" a.srt -o out.md; done
for v in 512 2T 1X -1K; do bad_value convert --max-input "$v" a.srt -o out.srt; done
for v in 101h -360000001ms 1000000:00:00; do bad_value convert --shift "$v" a.srt -o out.srt; done
for v in 0:25 25:1001 25 x:y; do bad_value convert --fps "$v" a.srt -o out.srt; done
for v in 0 100001; do bad_value align --band "$v" a.srt b.srt -o out.srt; done
for v in 9 10001; do bad_value retime --min-pause "$v" a.txt --audio a.srt -o out.srt; done
for v in 0 1001 nan; do bad_value retime --rate "$v" --estimate a.txt -o out.srt; done
for v in 0 86401 inf; do bad_value sync --max-offset "$v" a.srt -r b.srt -o out.srt; done
for v in -1.5 2; do bad_value sync --min-score "$v" a.srt -r b.srt -o out.srt; done
for v in 0.4 3 1/0; do bad_value sync --ratio "$v" a.srt -r b.srt -o out.srt; done
for v in -1 17; do  # an optional argument: --splits=N, one word
  run "$TANDEM" sync "--splits=$v" a.srt -r b.srt -o out.srt
  expect_rc 2 "sync --splits=$v"; expect_err "tandem sync: --splits takes" "--splits=$v: names it"
  expect_no_file out.srt "sync --splits=$v: no output"
done
for v in 0 3601; do bad_value sync --split-penalty "$v" a.srt -r b.srt -o out.srt; done
for v in -1 3600001 x; do bad_value check --tolerance "$v" a.srt; done
[[ $(md5sum a.srt b.srt a.txt) == "$sum0" ]] && ok || bad "an input changed"

documented convert --shift "at most 100h either way"
documented convert --fps "each more than 0 and at most 1000"
documented convert --jobs "1 to 256"
documented convert --para-chars "1 to 100000"
documented convert --max-input "1K to 1T"
documented align --band "1 to 100000"
documented retime --min-pause "10 to 10000"
documented retime --rate "more than 0, at most 1000"
documented sync --max-offset "more than 0, at most 86400"
documented sync --min-score "-1 to 1"
documented sync --ratio "0.5 to 2"
documented sync "--splits[=N]" "0 to 16"
documented sync --split-penalty "more than 0, at most 3600"
documented check --tolerance "0 to 3600000"
for c in align retime sync check info; do documented "$c" --max-input "1K to 1T"; done

# The bounds are in the range.
run "$TANDEM" convert --para-chars 100000 -t post a.srt -o out.md; expect_rc 0 "--para-chars 100000"
run "$TANDEM" convert --max-input 1K -f srt - -o out.srt <a.srt; expect_rc 0 "--max-input 1K"
run "$TANDEM" convert --max-input 1T a.srt -o out.srt; expect_rc 0 "--max-input 1T"
run "$TANDEM" convert -j 256 -t vtt -d outdir a.srt; expect_rc 0 "-j 256"
run "$TANDEM" convert --shift 100h a.srt -o out.srt; expect_rc 0 "--shift 100h"
run "$TANDEM" convert --fps 1000:0.5 a.srt -o out.srt; expect_rc 0 "--fps 1000:0.5"
run "$TANDEM" check --tolerance 3600000 a.srt; expect_rc 0 "--tolerance 3600000"
finish
