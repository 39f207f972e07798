#!/usr/bin/env bash
# Timing edits and output encodings on every writing command (--shift,
# --fps, sync --ratio alone, --out-encoding, --bom), the CLI habits (stdin
# and stdout by default, -V, one line for a bad option) and batch progress
# on a terminal (under script(1)) with --summary.  Issue 15 items 1-3, 10, 11.
. "$(dirname "$0")/lib.sh"
T=$TANDEM
W=$WORK

cat > "$W/a.srt" <<'EOF'
1
00:00:01,000 --> 00:00:02,000
Hello there, this is the first cue

2
00:00:02,000 --> 00:00:04,000
你好

3
00:01:00,000 --> 00:01:02,500
Later on
EOF

# want NAME: the expected bytes on stdin, compared with $out (stdout, exact).
want() { cat > "$W/want.$1"; printf '%s\n' "$out" > "$W/got.$1"; expect_same "$W/got.$1" "$W/want.$1" "$1"; }

# --- 1. --shift ---
run "$T" convert "$W/a.srt" -t srt --shift 2.5s; expect_rc 0 "shift 2.5s"
want shift-plus <<'EOF'
1
00:00:03,500 --> 00:00:04,500
Hello there, this is the first cue

2
00:00:04,500 --> 00:00:06,500
你好

3
00:01:02,500 --> 00:01:05,000
Later on
EOF
[[ -z $err ]] && ok || bad "a plain shift says nothing (got: $err)"
run "$T" convert "$W/a.srt" -t srt --shift +00:00:01,200
want shift-clock <<'EOF'
1
00:00:02,200 --> 00:00:03,200
Hello there, this is the first cue

2
00:00:03,200 --> 00:00:05,200
你好

3
00:01:01,200 --> 00:01:03,700
Later on
EOF
# -1.5s: cue 1 ends at 0.5 s, its start is clamped; cue 2 moves back.
run "$T" convert "$W/a.srt" -t srt --shift -1.5s; expect_rc 0 "shift -1.5s"
want shift-clamp <<'EOF'
1
00:00:00,000 --> 00:00:00,500
Hello there, this is the first cue

2
00:00:00,500 --> 00:00:02,500
你好

3
00:00:58,500 --> 00:01:01,000
Later on
EOF
expect_err "1 cue would start before 0 after the shift; it starts at 0 [shift-clamped]" "clamp said"
[[ $(grep -c shift-clamped <<<"$err") -eq 1 ]] && ok || bad "clamp said once: $err"
# -1200ms and -00:00:01.200 are the same offset.
run "$T" convert "$W/a.srt" -t srt --shift -1200ms; ms_out=$out
run "$T" convert "$W/a.srt" -t srt --shift -00:00:01.200
[[ $out == "$ms_out" && $out == *"00:00:00,800 --> 00:00:02,800"* ]] && ok ||
  bad "-1200ms and -00:00:01.200: $out"
# -2s: cue 1 (ends at 2 s) drops, named; the rest keep their order.
run "$T" convert "$W/a.srt" -t srt --shift -2s; expect_rc 0 "shift -2s"
want shift-drop <<'EOF'
1
00:00:00,000 --> 00:00:02,000
你好

2
00:00:58,000 --> 00:01:00,500
Later on
EOF
expect_err "a.srt:1: warning: cue 1 ('Hello there, this is the first...') ends before 0 after the shift; dropped [shift-dropped]" "drop names the cue"
[[ $err != *shift-clamped* ]] && ok || bad "no clamp when the start lands on 0: $err"
for badv in 2.5 1.5x 00:61:00 '' ++1s; do
  run "$T" convert "$W/a.srt" -t srt --shift "$badv"; expect_rc 2 "--shift '$badv'"
done
expect_err "--shift takes an offset" "bad shift says so"
# WebVTT inline timestamps move with their cue.
printf 'WEBVTT\n\n00:00:10.000 --> 00:00:12.000\n<00:00:10.000>one <00:11.000>two\n' > "$W/k.vtt"
run "$T" convert "$W/k.vtt" -t vtt --shift 1s
want karaoke <<'EOF'
WEBVTT

00:00:11.000 --> 00:00:13.000
<00:00:11.000>one <00:12.000>two
EOF

# --- 2. --fps FROM:TO, sync --ratio alone ---
run "$T" convert "$W/a.srt" -t vtt --fps 25:23.976; expect_rc 0 "fps"
want fps <<'EOF'
WEBVTT

1
00:00:01.043 --> 00:00:02.085
Hello there, this is the first cue

2
00:00:02.085 --> 00:00:04.171
你好

3
00:01:02.563 --> 00:01:05.169
Later on
EOF
run "$T" convert "$W/a.srt" -t srt --fps 25 ; expect_rc 2 "--fps without TO"
run "$T" convert "$W/a.srt" -t srt --fps 0:25 ; expect_rc 2 "--fps 0"
run "$T" sync "$W/a.srt" --ratio 25/24 --shift 1s -o "$W/r.srt"; expect_rc 0 "sync --ratio alone"
expect_err "ratio 1.041667 applied" "sync says the ratio"
printf '1\n00:00:02,042 --> 00:00:03,083\nHello there, this is the first cue\n\n2\n00:00:03,083 --> 00:00:05,167\n你好\n\n3\n00:01:03,500 --> 00:01:06,104\nLater on\n\n' > "$W/r.want"
expect_same "$W/r.srt" "$W/r.want" "sync --ratio bytes"
run "$T" sync "$W/a.srt" -o "$W/r2.srt"; expect_rc 2 "sync with nothing to sync to"
expect_no_file "$W/r2.srt" "nothing written"

# --shift on the other writing commands: align, retime, sync.
printf '1\n00:00:05,000 --> 00:00:06,000\nGood morning.\n\n2\n00:00:07,000 --> 00:00:08,000\nThank you.\n' > "$W/en.srt"
printf '早上好。\n谢谢你。\n' > "$W/zh.lines"
run "$T" align "$W/en.srt" "$W/zh.lines" -o "$W/al.srt" --shift -4s
[[ $rc -le 1 ]] && ok || bad "align --shift: exit $rc: $err"
grep -q '^00:00:01,000 --> 00:00:02,000$' "$W/al.srt" && grep -q '^00:00:03,000 --> 00:00:04,000$' "$W/al.srt" &&
  ok || bad "align --shift: $(cat "$W/al.srt")"
printf 'one two three four five six seven eight nine ten\n' > "$W/u.txt"
run "$T" retime "$W/u.txt" -f lines --estimate -o "$W/u0.srt"; expect_rc 0 "retime --estimate"
run "$T" retime "$W/u.txt" -f lines --estimate -o "$W/u1.srt" --shift 10s; expect_rc 0 "retime --shift"
s0=$(sed -n 2p "$W/u0.srt"); s1=$(sed -n 2p "$W/u1.srt")
[[ ${s0:0:2} == "00" && $s1 == "00:00:1"* && $s1 != "$s0" ]] && ok || bad "retime --shift: '$s0' vs '$s1'"

# --- 3. --out-encoding, --bom ---
# plain.srt: the UTF-8 output, with no BOM and LF line ends.
"$T" convert "$W/a.srt" -t srt > "$W/plain.srt"
[[ $(head -c 3 "$W/plain.srt" | od -An -tx1 | tr -d ' ') == 310a30 ]] && ok || bad "default: no BOM"
! grep -q $'\r' "$W/plain.srt" && ok || bad "default: LF"
"$T" convert "$W/a.srt" -t srt --out-encoding GB18030 > "$W/gb.srt" && ok || bad "GB18030 exit"
iconv -f UTF-8 -t GB18030 "$W/plain.srt" > "$W/gb.want"
expect_same "$W/gb.srt" "$W/gb.want" "GB18030 bytes"
grep -q $'\xc4\xe3\xba\xc3' "$W/gb.srt" && ok || bad "你好 in GB18030 is C4E3 BAC3"
"$T" convert "$W/a.srt" -t srt --bom > "$W/bom.srt"
{ printf '\xef\xbb\xbf'; cat "$W/plain.srt"; } > "$W/bom.want"
expect_same "$W/bom.srt" "$W/bom.want" "--bom bytes"
"$T" convert "$W/a.srt" -t srt --out-encoding UTF-16LE --bom --crlf > "$W/u16.srt"
sed 's/$/\r/' "$W/plain.srt" | iconv -f UTF-8 -t UTF-16LE > "$W/u16.body"
{ printf '\xff\xfe'; cat "$W/u16.body"; } > "$W/u16.want"
expect_same "$W/u16.srt" "$W/u16.want" "UTF-16LE with BOM and CRLF"
# A character the target cannot hold: an error naming the cue, nothing written.
printf '1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03,000 --> 00:00:04,000\n我们 go\n' > "$W/s.srt"
echo keep > "$W/big5.srt"
run "$T" convert "$W/s.srt" --out-encoding BIG5 -o "$W/big5.srt"; expect_rc 2 "BIG5 cannot hold 们"
expect_err "big5.srt: error: cue 2 ('我们 go', input line 5): '们' (U+4EEC) cannot be written in BIG5; nothing written [out-encoding]" "names the cue"
[[ $(wc -l <<<"$err") -eq 1 ]] && ok || bad "one line for it: $err"
[[ $(cat "$W/big5.srt") == keep ]] && ok || bad "the old output is left as it was"
run "$T" convert "$W/s.srt" --out-encoding GBK --shift 1s -o "$W/gbk.srt"; expect_rc 0 "GBK holds 们"
run "$T" convert "$W/s.srt" --out-encoding NOSUCH -t srt; expect_rc 2 "unknown encoding"
expect_err "unknown encoding 'NOSUCH'" "names it"
# A streamed conversion (an SRT over 1 MB) takes the options too.
awk 'BEGIN { for (i = 1; i <= 24000; i++)
  printf "%d\n%02d:%02d:%02d,000 --> %02d:%02d:%02d,500\n第%d句 line %d of a long file to stream\n\n",
    i, i / 3600, i / 60 % 60, i % 60, i / 3600, i / 60 % 60, i % 60, i, i }' > "$W/long.srt"
[[ $(stat -c %s "$W/long.srt") -gt 1500000 ]] && ok || bad "long.srt is big enough to stream"
"$T" convert "$W/long.srt" -o "$W/long.out.srt" && ok || bad "long plain"
"$T" convert "$W/long.srt" -o "$W/long.gb.srt" --out-encoding GB18030 --bom && ok || bad "long GB18030"
{ printf '\xef\xbb\xbf'; cat "$W/long.out.srt"; } | iconv -f UTF-8 -t GB18030 > "$W/long.gb.want"
expect_same "$W/long.gb.srt" "$W/long.gb.want" "streamed conversion in GB18030 with BOM"

# --- help lists the options on every writing command ---
for c in convert align retime sync; do
  run "$T" "$c" --help
  for o in --shift --fps --out-encoding --bom; do expect_out "  $o " "$c --help lists $o"; done
done
run "$T" convert --help; expect_out "  --summary " "convert --help lists --summary"

# --- 10. stdin and stdout by default, -V, one line for a bad option ---
out=$("$T" convert -f srt -t vtt < "$W/a.srt") && rc=0 || rc=$?
[[ $rc -eq 0 && $out == $'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello there'* ]] && ok ||
  bad "stdin to stdout: rc=$rc out=${out:0:80}"
"$T" convert -f srt -t vtt < "$W/a.srt" > "$W/pipe.vtt"
"$T" convert "$W/a.srt" -o "$W/file.vtt"
expect_same "$W/pipe.vtt" "$W/file.vtt" "a pipe gives the same bytes"
out=$(printf '1\n00:00:01,000 --> 00:00:02,000\nhi\n' | "$T" sync -f srt --ratio 2 -t srt 2>/dev/null) && rc=0 || rc=$?
[[ $rc -eq 0 && $out == $'1\n00:00:02,000 --> 00:00:04,000\nhi' ]] && ok || bad "sync stdin: $rc $out"
run "$T" -V; expect_rc 0 "-V"; [[ $out =~ ^tandem\ [0-9]+\.[0-9]+\.[0-9]+$ ]] && ok || bad "-V: $out"
run "$T" --version; v2=$out; run "$T" -V; [[ $out == "$v2" ]] && ok || bad "-V is --version"
for c in convert align retime sync check info; do
  run "$T" "$c" --no-such-option
  expect_rc 2 "$c bad option"
  [[ $(grep -c "no-such-option" <<<"$err") -eq 1 && $err == "tandem $c: unknown option '--no-such-option'"$'\n'"Try 'tandem $c --help'." ]] &&
    ok || bad "$c: one line for an unknown option: $err"
done
run "$T" convert -Z "$W/a.srt"; [[ $err == "tandem convert: unknown option '-Z'"$'\n'* ]] && ok || bad "-Z: $err"
run "$T" convert "$W/a.srt" --shift; [[ $err == "tandem convert: option '--shift' needs a value"$'\n'* ]] && ok || bad "no value: $err"
run "$T" convert "$W/a.srt" -o; [[ $err == "tandem convert: option '-o' needs a value"$'\n'* ]] && ok || bad "-o: $err"

# --- 11. batch progress on a terminal, --summary ---
mkdir -p "$W/in"
for i in $(seq 1 80); do
  printf '1\n00:00:01,000 --> 00:00:02,000\nfile %d\n\n2\n00:00:05,000 --> 00:00:06,000\nsecond\n' "$i" > "$W/in/f$i.srt"
done
# --shift -3s drops cue 1 of every file: a warning per file while the counter runs.
script -qc "'$T' convert -t vtt -j 2 --shift -3s -d '$W/out' '$W/in'" /dev/null > "$W/tty.log" 2>&1 </dev/null
[[ $(ls "$W/out" | wc -l) -eq 80 ]] && ok || bad "batch wrote $(ls "$W/out" | wc -l) files"
grep -ao '\[[0-9]*/80\]' "$W/tty.log" | tr -d '[]' | cut -d/ -f1 > "$W/counts"
sort -n -c "$W/counts" 2>/dev/null && ok || bad "the counter went back: $(tr '\n' ' ' < "$W/counts" | head -c 300)"
[[ $(tail -1 "$W/counts") == 80 ]] && ok || bad "the counter ends at 80"
[[ $(grep -ac 'shift-dropped' "$W/tty.log") -eq 80 ]] && ok || bad "a warning per file"
# Each warning follows a clear (\r\e[K) and ends its line: it shares it with no counter.
esc=$'\e'
bad_lines=$(tr -d '\r' < "$W/tty.log" | grep -a 'shift-dropped' | grep -av "^\(.*${esc}\[K\)\?/[^${esc}]*\[shift-dropped\]\$" | head -3)
[[ -z $bad_lines ]] && ok || bad "a warning shares its line: $(printf '%q' "$bad_lines")"
grep -aq "${esc}\[K[^${esc}]*\[1/80\]" "$W/tty.log" || grep -aq "${esc}\[K\[1/80\]" "$W/tty.log" && ok || bad "progress drawn after a clear"
# --summary: one line per file, no finding printed.
run "$T" convert -t vtt -j 2 --summary --shift -3s -d "$W/out2" "$W/in"; expect_rc 0 "--summary"
[[ $err != *shift-dropped* ]] && ok || bad "--summary prints no finding"
[[ $(grep -c ': ok, 0 errors, 1 warning, 0 infos$' <<<"$err") -eq 80 ]] && ok || bad "a line per file: ${err:0:300}"
expect_err "$W/in/f7.srt: ok, 0 errors, 1 warning, 0 infos" "names the file"
printf 'not a subtitle at all\x01' > "$W/in/zz.srt"
run "$T" convert -t vtt --summary -d "$W/out3" "$W/in/zz.srt" "$W/in/f1.srt"; expect_rc 1 "--summary with a failure"
expect_err "zz.srt: failed, 1 error," "the failure counted"
[[ $err != *"error: "* ]] && ok || bad "the failure's finding is counted, not printed: $err"

finish
