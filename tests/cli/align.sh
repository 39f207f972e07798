#!/usr/bin/env bash
# CLI behaviour of `tandem align`: golden output and report for a timed
# English SRT and a perturbed Chinese translation, --merge, exit codes
# (0 full coverage, 1 incomplete or unrelated, 2 bad input), the summary,
# and never overwriting an input.
# The goldens in fixtures/align/cli are regenerated on purpose with
#   tandem align podcast.en.srt podcast.zh.txt -o podcast.out.srt --report podcast.report.json
#   tandem align --merge podcast.en.srt podcast.zh.txt -o podcast.merge.vtt
# and those of fixtures/align/shapes with TANDEM_REGENERATE=1 build/test_align.
. "$(dirname "$0")/lib.sh"
F=$TANDEM_SOURCE_DIR/fixtures/align
S=$F/shapes

run "$TANDEM" align --help; expect_rc 0 "--help"; expect_out "--report FILE" "help lists --report"
run "$TANDEM" align "$F/cli/podcast.en.srt"; expect_rc 2 "one input"; expect_err "give SOURCE and TRANSLATION" "says so"
run "$TANDEM" align --band 0 a b; expect_rc 2 "bad --band"

# --- golden: SRT + plain lines -> bilingual SRT and the report ---
run "$TANDEM" align "$F/cli/podcast.en.srt" "$F/cli/podcast.zh.txt" -o "$WORK/p.srt" --report "$WORK/p.json"
expect_rc 1 "one segment untranslated: exit 1"
expect_same "$WORK/p.srt" "$F/cli/podcast.out.srt" "bilingual SRT"
expect_same "$WORK/p.json" "$F/cli/podcast.report.json" "report"
expect_err "59 of 60 source segments translated (98.3%)" "summary counts"
expect_err "podcast.en.srt:49: untranslated: So, we look bottoms up." "names the untranslated segment and its line"
expect_err "podcast.zh.txt:30: unused translation: [音乐]" "names the unused line"
expect_err "0 doubtful links" "counts doubtful links"
expect_no_temps "$WORK" "no temporaries"

# --- --merge to WebVTT: merged cues span their sources ---
run "$TANDEM" align --merge "$F/cli/podcast.en.srt" "$F/cli/podcast.zh.txt" -o "$WORK/m.vtt" -q
expect_rc 1 "merge: still incomplete"
expect_same "$WORK/m.vtt" "$F/cli/podcast.merge.vtt" "merged WebVTT"
[[ -z $err ]] && ok || bad "-q prints nothing: $err"

# --- full coverage: exit 0; output to stdout ---
run "$TANDEM" align -f lines -F lines "$S/source.en.txt" "$S/2-1.zh.txt" -t lines -o -
expect_rc 0 "2-1 fully covered"
expect_out $'I\'d love you to just start by explaining what it\'s like to have to deal with that.\n我很想听你解释一下处理这个问题是什么感觉。\n' "the merged line is cut back"
expect_err "12 of 12 source segments translated (100.0%)" "summary"
run "$TANDEM" align -f lines -F lines "$S/source.en.txt" "$S/1-1.zh.txt" --report "$WORK/r.json" -q
expect_rc 0 "report only"
expect_same "$WORK/r.json" "$S/1-1.report.json" "report matches the library golden"

# --- stdin as the translation ---
out=$("$TANDEM" align -q -f lines -F lines -t lines "$S/source.en.txt" - -o - < "$S/1-0.zh.txt") && rc=0 || rc=$?
[[ $rc -eq 1 && $(printf '%s\n' "$out" | wc -l) -eq 23 ]] && ok || bad "stdin translation: rc=$rc lines=$(printf '%s\n' "$out" | wc -l)"

# --- bad inputs ---
: > "$WORK/empty.txt"
run "$TANDEM" align "$F/cli/podcast.en.srt" "$WORK/empty.txt" -o "$WORK/e.srt"
expect_rc 2 "empty translation"; expect_no_file "$WORK/e.srt" "no output"
head -c 3000 /dev/urandom | tr -d '\n' > "$WORK/bin.dat"; printf '\0\0' >> "$WORK/bin.dat"
run "$TANDEM" align "$F/cli/podcast.en.srt" "$WORK/bin.dat" -o "$WORK/b.srt"
expect_rc 2 "binary translation"; expect_no_file "$WORK/b.srt" "no output"
run "$TANDEM" align "$F/cli/podcast.en.srt" "$WORK/missing.txt"
expect_rc 2 "missing translation"; expect_err "missing.txt" "names it"
run "$TANDEM" align -F lines "$F/cli/podcast.en.srt" "$TANDEM_SOURCE_DIR/fixtures/seeds/002_a7702332fec17ca5.txt" --report "$WORK/u.json"
expect_rc 1 "a translation of something else"
expect_err "does not follow the source" "says the translation is unrelated"
expect_err "[align-unrelated]" "rule id"
grep -q '"translated":0,' "$WORK/u.json" && ok || bad "unrelated report: translated 0"

# --- never overwrite an input ---
cp "$S/1-1.zh.txt" "$WORK/zh.txt"
run "$TANDEM" align -f lines -F lines "$S/source.en.txt" "$WORK/zh.txt" -t lines -o "$WORK/zh.txt"
expect_rc 2 "refuse to overwrite the translation"; expect_same "$WORK/zh.txt" "$S/1-1.zh.txt" "translation untouched"
run "$TANDEM" align -f lines -F lines "$S/source.en.txt" "$WORK/zh.txt" --report "$WORK/zh.txt"
expect_rc 2 "refuse report over an input"; expect_same "$WORK/zh.txt" "$S/1-1.zh.txt" "still untouched"

# --- lexicon ---
printf '算力 @ compute\n芯片 @ chip\nnot a lexicon line\n' > "$WORK/lex.txt"
run "$TANDEM" align -f lines -F lines --lexicon "$WORK/lex.txt" "$S/source.en.txt" "$S/3-1.zh.txt" --report "$WORK/l.json"
expect_rc 0 "with a lexicon"; expect_err "[lexicon-line]" "bad lexicon line warned"
sed 's/"score":[0-9.]*//' "$WORK/l.json" > "$WORK/l.links"; sed 's/"score":[0-9.]*//' "$S/3-1.report.json" > "$WORK/g.links"
expect_same "$WORK/l.links" "$WORK/g.links" "same links with the lexicon"
run "$TANDEM" align --lexicon "$WORK/nolex.txt" "$S/source.en.txt" "$S/1-1.zh.txt"
expect_rc 2 "missing lexicon"

finish
