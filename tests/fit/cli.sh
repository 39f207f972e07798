#!/usr/bin/env bash
# CLI runs of --fit and retime --estimate on the podcast transcript.
set -euo pipefail
t=${TANDEM:?} src=${TANDEM_SOURCE_DIR:?}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pod=$src/fixtures/seeds/003_a154d282383bb464.txt
# Estimated timings over the claimed 82 min, fitted to netflix, said as estimates.
"$t" retime "$pod" --estimate --fit netflix -o "$out/podcast.srt" 2>"$out/err"
grep -q 'retime-estimate' "$out/err"
last=$(grep -- '-->' "$out/podcast.srt" | tail -1 | sed 's/.*--> //')
case $last in 01:2[01]:*|01:22:00,000) ;; *) echo "last cue ends at $last, not about 82 min" >&2; exit 1 ;; esac
# The layout rules hold on the WebVTT (its sides are tagged, so none is guessed).
"$t" retime "$pod" --estimate --fit netflix -o "$out/podcast.vtt" -q
"$t" check --profile netflix "$out/podcast.vtt" >"$out/check" || true
for rule in overlap min-gap too-long; do
  n=$(grep -c "\[$rule\]" "$out/check" || true)
  [[ $n -eq 0 ]] || { echo "$n $rule findings" >&2; exit 1; }
done
n=$(grep -cE '\[(line-length|too-many-lines)\]' "$out/check" || true)
[[ $n -le 3 ]] || { echo "$n layout findings" >&2; exit 1; }
# Chinese cuts inside a word, by jieba (a different segmenter than ICU).
/usr/bin/python3 "$src/tests/fit/jieba_cuts.py" "$out/podcast.vtt"
# --fit on convert, --fit-config overrides as check --config.
"$t" convert "$src/fixtures/bilingual/lecture1-dual-double.srt" --fit netflix -o "$out/l.ass" -q
grep -q '\\N' "$out/l.ass"
printf 'zh.line_chars: 12\n' >"$out/rules.yaml"
"$t" convert "$src/fixtures/demo/podcast.en.srt" --fit netflix --fit-config "$out/rules.yaml" -o "$out/p.srt" -q
"$t" convert --help | grep -q -- '--fit PROFILE'
"$t" retime --help | grep -q -- '--estimate'
if "$t" convert "$pod" --fit nosuch -o "$out/x.srt" 2>/dev/null; then exit 1; fi
echo "1 passed, 0 failed"
