#!/usr/bin/env bash
# Subtitles made from an annotated post (issue 15 item 9): the paragraphs'
# Markdown becomes plain text, --drop-glosses drops term glosses, and
# --speakers change|every|none decides which cues carry "Name: " (SRT) or a
# voice (WebVTT); the post itself still writes back byte for byte.
. "$(dirname "$0")/lib.sh"
F=$TANDEM_SOURCE_DIR/fixtures
P=$F/post/markdown-speakers.txt

# --- the default: plain text, a label on a change of speaker ---
run "$TANDEM" convert "$P" -t srt -o "$WORK/default.srt"; expect_rc 0 "post to srt"
cat > "$WORK/default.want" <<'WANT'
1
00:00:01,000 --> 00:00:03,000
Diogo: If the models can do it end to end, that is huge progress.
如果模型能够实现端到端（End-to-End: 从开始到结束的整个过程）的运作，那将是巨大的进步。

2
00:00:03,000 --> 00:00:05,000
I am the CIO of Eli Lilly and Company, in charge of IT and digital.
我是礼来公司（Eli Lilly and Company: 一家全球性的制药公司）的首席信息官，负责IT与*数字*业务 & 更多。

3
00:00:05,000 --> 00:00:07,000
Dario: Thanks for having me. Anthropic is glad to be here.
感谢邀请。Anthropic（一家人工智能公司）很高兴来到这里。

4
00:00:07,000 --> 00:00:09,000
Let's talk about accuracy.
我们谈谈__准确性__。

WANT
expect_same "$WORK/default.srt" "$WORK/default.want" "post to srt: no Markdown, labels on a change"
# (**x** and *x* go, a link keeps its text, a code span its content, \* is a
# star and &amp; an ampersand; an intraword __x__ stays, as CommonMark renders it.)
run "$TANDEM" convert "$P" -t srt --speakers change -o "$WORK/change.srt"; expect_rc 0 "--speakers change"
expect_same "$WORK/change.srt" "$WORK/default.srt" "change is the default"

# --- every cue labelled, glosses dropped ---
run "$TANDEM" convert "$P" -t srt --speakers every --drop-glosses -o "$WORK/every.srt"
expect_rc 0 "--speakers every --drop-glosses"
cat > "$WORK/every.want" <<'WANT'
1
00:00:01,000 --> 00:00:03,000
Diogo: If the models can do it end to end, that is huge progress.
如果模型能够实现端到端的运作，那将是巨大的进步。

2
00:00:03,000 --> 00:00:05,000
Diogo: I am the CIO of Eli Lilly and Company, in charge of IT and digital.
我是礼来公司的首席信息官，负责IT与*数字*业务 & 更多。

3
00:00:05,000 --> 00:00:07,000
Dario: Thanks for having me. Anthropic is glad to be here.
感谢邀请。Anthropic（一家人工智能公司）很高兴来到这里。

4
00:00:07,000 --> 00:00:09,000
Dario: Let's talk about accuracy.
我们谈谈__准确性__。

WANT
expect_same "$WORK/every.srt" "$WORK/every.want" "every cue labelled, glosses (not other parentheses) dropped"

# --- WebVTT: voices on every cue by default (not shown as text), none drops them ---
run "$TANDEM" convert "$P" -t vtt --side translation -o -; expect_rc 0 "post to vtt"
want=$'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Diogo>如果模型能够实现端到端（End-to-End: 从开始到结束的整个过程）的运作，那将是巨大的进步。\n\n00:00:03.000 --> 00:00:05.000\n<v Diogo>我是礼来公司（Eli Lilly and Company: 一家全球性的制药公司）的首席信息官，负责IT与*数字*业务 &amp; 更多。\n\n00:00:05.000 --> 00:00:07.000\n<v Dario>感谢邀请。Anthropic（一家人工智能公司）很高兴来到这里。\n\n00:00:07.000 --> 00:00:09.000\n<v Dario>我们谈谈__准确性__。'
[[ $out == "$want" ]] && ok || bad "vtt translation side: got $(diff <(echo "$out") <(echo "$want") | head -6)"
run "$TANDEM" convert "$P" -t vtt --speakers none --drop-glosses -o -; expect_rc 0 "vtt --speakers none"
[[ $out != *"<v "* && $out == *"<lang.translation zh>如果模型能够实现端到端的运作，那将是巨大的进步。</lang>"* ]] \
  && ok || bad "vtt --speakers none: no voice, gloss dropped (got ${out:0:400})"
run "$TANDEM" convert "$P" -t srt --speakers none -o -; expect_rc 0 "srt --speakers none"
[[ $out != *"Diogo"* && $out != *"Dario:"* ]] && ok || bad "srt --speakers none: no label (got ${out:0:300})"

# --- ASS and lines: plain text too; ASS keeps its Name field ---
run "$TANDEM" convert "$P" -t ass -o -; expect_rc 0 "post to ass"
expect_out "Dialogue: 0,0:00:07.00,0:00:09.00,Translation,Dario,0,0,0,,我们谈谈__准确性__。" "ass keeps Name"
expect_out ",Translation,Diogo,0,0,0,,如果模型能够实现端到端（End-to-End" "ass: no Markdown"
run "$TANDEM" convert "$P" -t lines --side translation --drop-glosses -o -; expect_rc 0 "post to lines"
want=$'如果模型能够实现端到端的运作，那将是巨大的进步。\n我是礼来公司的首席信息官，负责IT与*数字*业务 & 更多。\n感谢邀请。Anthropic（一家人工智能公司）很高兴来到这里。\n我们谈谈__准确性__。'
[[ $out == "$want" ]] && ok || bad "lines: got ${out:0:400}"

# --- the post itself keeps its Markdown, whatever the options ---
run "$TANDEM" convert "$P" -t post --timings --drop-glosses --speakers none -o "$WORK/back.txt"
expect_rc 0 "post to post"; expect_same "$WORK/back.txt" "$P" "post writes back byte for byte"
run "$TANDEM" convert "$P" -t json -o -; expect_out '"translation": "如果模型能够实现**端到端**' "json keeps the Markdown"

# --- SRT in: runs of a speaker ---
printf '1\n00:00:01,000 --> 00:00:02,000\nAnn: one\n\n2\n00:00:02,000 --> 00:00:03,000\nAnn: two\n\n3\n00:00:03,000 --> 00:00:04,000\nBob: three\n\n4\n00:00:04,000 --> 00:00:05,000\nAnn: four\n\n' > "$WORK/runs.srt"
run "$TANDEM" convert "$WORK/runs.srt" -t srt -o -; expect_rc 0 "srt runs"
want=$'1\n00:00:01,000 --> 00:00:02,000\nAnn: one\n\n2\n00:00:02,000 --> 00:00:03,000\ntwo\n\n3\n00:00:03,000 --> 00:00:04,000\nBob: three\n\n4\n00:00:04,000 --> 00:00:05,000\nAnn: four'
[[ $out == "$want" ]] && ok || bad "srt runs, change: got ${out:0:400}"
run "$TANDEM" convert "$WORK/runs.srt" -t srt --speakers every -o "$WORK/runs.out"; expect_rc 0 "every"
expect_same "$WORK/runs.out" "$WORK/runs.srt" "--speakers every keeps every label"

# --- a bad value ---
run "$TANDEM" convert "$P" -t srt --speakers sometimes -o "$WORK/bad.srt"; expect_rc 2 "bad --speakers"
expect_err "--speakers takes change, every or none" "says which"; expect_no_file "$WORK/bad.srt" "nothing written"

finish
