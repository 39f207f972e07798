#!/usr/bin/env bash
# CLI behaviour of `tandem`, `tandem convert` and `tandem info`: help, exit
# codes, stdin/stdout, batches (with -j), and never losing or half-writing a file.
. "$(dirname "$0")/lib.sh"
F=$TANDEM_SOURCE_DIR/fixtures

# --- top level and --help for every command ---
run "$TANDEM" --help; expect_rc 0 "--help"; expect_out "Commands:" "--help lists commands"
run "$TANDEM"; expect_rc 2 "no command"
run "$TANDEM" frobnicate; expect_rc 2 "unknown command"; expect_err "unknown command 'frobnicate'" "names it"
run "$TANDEM" --version; expect_rc 0 "--version"; expect_out "tandem " "version"
cmds=$("$TANDEM" --help | awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{exit}')
[[ -n $cmds ]] && ok || bad "no commands parsed from --help"
for c in $cmds; do
  run "$TANDEM" "$c" --help; expect_rc 0 "$c --help"; expect_out "usage: tandem $c" "$c --help usage"
  run "$TANDEM" "$c" --no-such-option; expect_rc 2 "$c bad option"
done

# --- single file, stdin/stdout ---
printf 'first line\n\n  second line  \n第三行\n' > "$WORK/a.txt"
run "$TANDEM" convert -f lines "$WORK/a.txt" -o "$WORK/a.lines"; expect_rc 0 "lines to lines"
printf 'first line\nsecond line\n第三行\n' > "$WORK/a.want"
expect_same "$WORK/a.lines" "$WORK/a.want" "lines output"
out=$(printf 'x\ny\n' | "$TANDEM" convert -f lines -t lines - -o -) && rc=0 || rc=$?
[[ $rc -eq 0 && $out == $'x\ny' ]] && ok || bad "stdin to stdout: rc=$rc out=$out"
run "$TANDEM" convert "$WORK/a.txt" -o -; expect_rc 2 "stdout needs -t"; expect_err "give -t FORMAT" "says so"
run "$TANDEM" convert "$WORK/a.txt"; expect_rc 2 "no -o"
run "$TANDEM" convert -t nosuch "$WORK/a.txt" -o -; expect_rc 2 "unknown format"
expect_err "cannot write format 'nosuch'" "names format"
run "$TANDEM" convert "$WORK/missing.srt" -o "$WORK/m.lines"; expect_rc 2 "missing input"
expect_err "missing.srt" "names the missing file"; expect_no_file "$WORK/m.lines" "no output for missing input"

# --- never overwrite an input ---
cp "$WORK/a.txt" "$WORK/keep.lines"
run "$TANDEM" convert "$WORK/keep.lines" -o "$WORK/keep.lines"; expect_rc 2 "refuse same file"
expect_err "refusing to overwrite the input" "says why"
expect_same "$WORK/keep.lines" "$WORK/a.txt" "input untouched"
ln -s keep.lines "$WORK/alias.lines"
run "$TANDEM" convert "$WORK/keep.lines" -o "$WORK/alias.lines"; expect_rc 2 "refuse via symlink"
expect_same "$WORK/keep.lines" "$WORK/a.txt" "input untouched via symlink"

# --- outputs that are not plain files: devices are written in place, links followed ---
printf '1\n00:00:01,000 --> 00:00:02,000\nhi\n' > "$WORK/one.srt"
run "$TANDEM" convert -q "$WORK/one.srt" -o /dev/null -t vtt; expect_rc 0 "write to /dev/null"
[[ -c /dev/null ]] && ok || bad "/dev/null was replaced by a file"
ln -s target.vtt "$WORK/dangling.vtt"
run "$TANDEM" convert -q "$WORK/one.srt" -o "$WORK/dangling.vtt"; expect_rc 0 "write through a dangling link"
[[ -L $WORK/dangling.vtt && -f $WORK/target.vtt ]] && ok || bad "link replaced instead of followed"
run "$TANDEM" convert -q "$WORK/one.srt" -o "$WORK/dangling.vtt"; expect_rc 0 "write through a link"
[[ -L $WORK/dangling.vtt ]] && ok || bad "link replaced on the second write"
out=$("$TANDEM" convert -q "$WORK/one.srt" -o /dev/stdout -t srt) && rc=0 || rc=$?
[[ $rc -eq 0 && $out == *"00:00:01,000 --> 00:00:02,000"* ]] && ok || bad "write to /dev/stdout: $rc $out"

# --- a bad input leaves an existing output untouched ---
printf 'previous\n' > "$WORK/prev.lines"
printf 'bin\0ary' > "$WORK/bin.txt"
run "$TANDEM" convert "$WORK/bin.txt" -o "$WORK/prev.lines"; expect_rc 2 "binary input"
expect_err "binary" "binary named"
[[ $(cat "$WORK/prev.lines") == previous ]] && ok || bad "existing output overwritten by a failed run"
expect_no_temps "$WORK" "after failures"

# --- batch ---
mkdir -p "$WORK/in/sub" "$WORK/out"
printf 'one\n' > "$WORK/in/a.txt"
printf 'two\n' > "$WORK/in/sub/b.txt"
printf 'bad\0' > "$WORK/in/c.txt"
printf 'ignored\n' > "$WORK/in/notes.xyz"
run "$TANDEM" convert -t lines -d "$WORK/out" "$WORK/in"; expect_rc 1 "batch with a bad file"
expect_file "$WORK/out/a.lines" "batch output a"; expect_file "$WORK/out/sub/b.lines" "batch keeps subdirs"
expect_no_file "$WORK/out/c.lines" "no output for the bad file"
expect_no_file "$WORK/out/notes.lines" "unknown extensions skipped in a directory"
expect_err "converted 2 of 3 files" "summary"; expect_err "1 failed" "summary counts failures"
expect_err "c.txt" "bad file named"
rm -rf "$WORK/out2"
run "$TANDEM" convert -j 3 -t lines -d "$WORK/out2" "$WORK/in"; expect_rc 1 "parallel batch"
expect_same "$WORK/out/a.lines" "$WORK/out2/a.lines" "parallel same result"
expect_same "$WORK/out/sub/b.lines" "$WORK/out2/sub/b.lines" "parallel same result (subdir)"
rm "$WORK/in/c.txt"
run "$TANDEM" convert -t lines -d "$WORK/out3" "$WORK/in/a.txt" "$WORK/in/sub/b.txt"; expect_rc 0 "batch of files"
expect_file "$WORK/out3/a.lines" "file batch a"; expect_file "$WORK/out3/b.lines" "file batch b"
printf 'three\n' > "$WORK/in/a.lines"
run "$TANDEM" convert -t lines -d "$WORK/out4" "$WORK/in/a.txt" "$WORK/in/a.lines"; expect_rc 2 "collision"
expect_err "would both be written to" "collision named"
run "$TANDEM" convert -t lines -d "$WORK/in" "$WORK/in/a.lines"; expect_rc 1 "batch onto its own input"
expect_err "refusing to overwrite the input" "batch refuses"
[[ $(cat "$WORK/in/a.lines") == three ]] && ok || bad "batch overwrote its input"
run "$TANDEM" convert -d "$WORK/o5" "$WORK/in"; expect_rc 2 "batch needs -t"
expect_no_temps "$WORK" "after batches"

# --- info ---
run "$TANDEM" info "$WORK/a.txt"; expect_rc 0 "info"
expect_out "segments:    3 (0 timed" "info counts"; expect_out "format:      lines" "info format"
run "$TANDEM" info --json "$WORK/a.txt" "$WORK/missing.txt"; expect_rc 2 "info with a missing file"
echo "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); f=d["files"]; assert f[0]["segments"]==3 and f[0]["scripts"]["text"]["latin"]==2 and "error" in f[1], d' \
  && ok || bad "info --json shape: $out"

# --- a post is named post whatever its extension; tandem's own reads back quietly ---
printf '1\n00:00:01,000 --> 00:00:02,000\nHello there.\n你好。\n\n2\n00:00:03,000 --> 00:00:04,000\nNobody translated this.\n\n3\n00:00:05,000 --> 00:00:06,000\nGoodbye.\n再见。\n' > "$WORK/bi.srt"
run "$TANDEM" convert -q "$WORK/bi.srt" -t post -o "$WORK/bi.md"; expect_rc 0 "srt to post"
for ext in md markdown txt; do
  cp "$WORK/bi.md" "$WORK/post.$ext"
  run "$TANDEM" info "$WORK/post.$ext"; expect_rc 0 "info post.$ext"
  expect_out "format:      post" "post.$ext named post"
done
run "$TANDEM" convert --strict "$WORK/bi.md" -t json -o "$WORK/bi.json"; expect_rc 0 "own post reads back strictly"
[[ -z $err ]] && ok || bad "own post read back with messages: $err"
grep -q "Nobody translated this." "$WORK/bi.json" && ok || bad "untranslated English lost"

# --- info and check read stdin when no file is named and something is piped in ---
out=$(printf '1\n00:00:01,000 --> 00:00:02,000\nHello.\n' | "$TANDEM" info) && rc=0 || rc=$?
[[ $rc -eq 0 && $out == *"segments:    1 (1 timed"* ]] && ok || bad "info from stdin: rc=$rc out=$out"
out=$(printf '1\n00:00:01,000 --> 00:00:02,000\nHello.\n' | "$TANDEM" check) && rc=0 || rc=$?
[[ $rc -eq 0 && $out == "<stdin>: 1 segments (1 timed), 0 errors"* ]] && ok || bad "check from stdin: rc=$rc out=$out"

finish
