#!/bin/bash
# biround.sh - bilingual SRT and WebVTT that tandem writes read back into the
# same segments, translations included (issue 15, items 4 and 5):
#  - the podcast aligned (tandem align) to JSON, SRT and WebVTT, in both
#    orders: each read back gives the JSON's segments, and `check` finds the
#    same missing translations in all of them;
#  - the issue's cue ("The release of Mythos was such an" / "Mythos"): its
#    SRT bytes with the mark, read back with its translation, in both orders;
#  - tandem's own marked fixtures convert to themselves byte for byte;
#  - lecture 2's echoed pair (cue 221) is one cue, reported identical-translation.
. "$(dirname "$0")/lib.sh"
F=$TANDEM_SOURCE_DIR/fixtures
PY=/usr/bin/python3

# segs A B: do two JSON documents hold the same segments (times, text, translation, speaker)?
segs() {
  $PY - "$1" "$2" <<'PY'
import json, sys
def load(p):
    return [(s["start_ms"], s["end_ms"], s["text"], s["translation"], s["speaker"])
            for s in json.load(open(p))["segments"]]
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = [(i + 1, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y]
if len(a) != len(b) or bad:
    print(len(a), len(b), bad[:2])
    sys.exit(1)
print(len(a))
PY
}
# missing FILE: how many missing-translation findings `check` has for FILE.
missing() {
  "$TANDEM" check --json "$1" 2>/dev/null | $PY -c 'import json,sys
print(sum(x["rule"] == "missing-translation" for x in json.load(sys.stdin)["files"][0]["findings"]))'
}

run "$TANDEM" align -q "$F/demo/podcast.en.srt" "$F/demo/podcast.zh.txt" -o "$WORK/pod.json"
expect_rc 1 "align to JSON (exit 1: untranslated segments)"
want_missing=$(missing "$WORK/pod.json")
[[ $want_missing -gt 0 ]] && ok || bad "the podcast has untranslated segments ($want_missing)"
for order in source-first translation-first; do
  for ext in srt vtt; do
    run "$TANDEM" align -q --order $order "$F/demo/podcast.en.srt" "$F/demo/podcast.zh.txt" \
      -o "$WORK/pod.$order.$ext"
    expect_rc 1 "align to $ext, $order"
    run "$TANDEM" convert -q "$WORK/pod.$order.$ext" -o "$WORK/back.$order.$ext.json"
    expect_rc 0 "read back $ext, $order"
    run segs "$WORK/pod.json" "$WORK/back.$order.$ext.json"
    [[ $rc -eq 0 && $out == 566 ]] && ok || bad "podcast $ext $order: segments differ: $out"
    got=$(missing "$WORK/pod.$order.$ext")
    [[ $got == "$want_missing" ]] && ok || bad "check $ext $order: $got missing translations, align left $want_missing"
  done
done
# The issue's cue, whatever the aligner makes of the podcast: an English
# translation of an English line is marked, and only it.
cat > "$WORK/mythos.json" <<'JSON'
{"segments": [
 {"id": "1", "start_ms": 3600645, "end_ms": 3602460, "text": "The release of Mythos was such an", "translation": "Mythos", "speaker": null},
 {"id": "2", "start_ms": 3602610, "end_ms": 3612345, "text": "interesting moment for us.", "translation": "对我们来说是一个有意思的时刻。", "speaker": null}
]}
JSON
run "$TANDEM" convert "$WORK/mythos.json" -o "$WORK/mythos.srt"
expect_rc 0 "Mythos to SRT"
expect_err 'info: 1 translation(s) marked <font class="translation">' "the mark is said"
expect_err '[srt-translation-mark]' "with its rule"
printf -v want '%s\n' 1 '01:00:00,645 --> 01:00:02,460' 'The release of Mythos was such an' \
  '<font class="translation">Mythos</font>' '' 2 '01:00:02,610 --> 01:00:12,345' \
  'interesting moment for us.' '对我们来说是一个有意思的时刻。'
[[ $(cat "$WORK/mythos.srt"; echo x) == "$want"$'\n'x ]] && ok || bad "Mythos SRT bytes: $(cat "$WORK/mythos.srt")"
run "$TANDEM" convert -q "$WORK/mythos.srt" -o "$WORK/mythos.back.json"
run segs "$WORK/mythos.json" "$WORK/mythos.back.json"
[[ $rc -eq 0 && $out == 2 ]] && ok || bad "Mythos SRT reads back: $out"
[[ $(missing "$WORK/mythos.srt") == 0 ]] && ok || bad "check finds no missing translation in the Mythos SRT"
run "$TANDEM" convert -q --order translation-first "$WORK/mythos.json" -o "$WORK/mythos.tf.srt"
grep -q -x '<font class="translation">Mythos</font>' "$WORK/mythos.tf.srt" && ok || bad "translation first: marked"
run "$TANDEM" convert -q "$WORK/mythos.tf.srt" -o "$WORK/mythos.tf.json"
run segs "$WORK/mythos.json" "$WORK/mythos.tf.json"
[[ $rc -eq 0 ]] && ok || bad "translation first reads back: $out"
# align's own SRT output (the golden) reads back too.
run "$TANDEM" convert -q "$F/align/cli/podcast.out.srt" -o "$WORK/golden.srt"
expect_same "$WORK/golden.srt" "$F/align/cli/podcast.out.srt" "align's golden SRT converts to itself"

# tandem's own marked files: converted to themselves, the translations kept.
for f in marked.srt marked-translation-first.srt marked-few.srt marked.vtt; do
  order=source-first
  [[ $f == *translation-first* ]] && order=translation-first
  run "$TANDEM" convert -q --order $order "$F/bilingual/$f" -o "$WORK/$f"
  expect_rc 0 "convert $f"
  expect_same "$WORK/$f" "$F/bilingual/$f" "$f converts to itself"
done
run "$TANDEM" convert "$F/bilingual/marked.srt" -t json -o -
expect_out '"text": "The release of Mythos was such an", "translation": "Mythos"' "Mythos read as the translation"
expect_out '"text": "Are we good?", "translation": "OK", "speaker": "Anna"' "OK, with its speaker"
expect_out '"text": "", "translation": "只有翻译。"' "a translation without text"
run "$TANDEM" convert "$F/bilingual/marked.srt" -o "$WORK/m.vtt"
grep -q -x '<lang.translation zh>Mythos</lang>' "$WORK/m.vtt" && ok || bad "WebVTT names the translation span"
[[ $(grep -c 'font' "$WORK/m.vtt") == 0 ]] && ok || bad "no <font> in WebVTT"

# Lecture 2, upstream cue 221: English on both sides of a doubled pair.
L2=$F/align/corpus/polyu_comp5521_lecture2/zh-CN-dual-double.srt
run "$TANDEM" convert "$L2" -t json -o "$WORK/l2.json"
expect_rc 0 "lecture 2 reads"
[[ $err != *bilingual-unpaired* ]] && ok || bad "no 'no same-timed partner' warning: ${err:0:300}"
expect_err "zh-CN-dual-double.srt:1761:1: info: folded 1 same-timed pair(s) whose two cues hold the same text" "the echo is said at its line"
$PY - "$WORK/l2.json" <<'PY' && ok || bad "lecture 2: cue 221 is one cue with its English as the translation"
import json, sys
s = json.load(open(sys.argv[1]))["segments"]
c = [x for x in s if x["id"] == "221"]
assert len(s) == 328 and len(c) == 1 and c[0]["translation"] == c[0]["text"], (len(s), c)
PY
run "$TANDEM" check "$L2"
[[ $out == *"zh-CN-dual-double.srt:1761:1: warning: the translation is the source text (not translated) [identical-translation]"* ]] &&
  ok || bad "check reports identical-translation at cue 221 (got: $(echo "$out" | grep -m2 1761))"
finish
