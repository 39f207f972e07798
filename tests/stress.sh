#!/usr/bin/env bash
# Pathological inputs under a ctest timeout (tests/stress.test.cmake): each case
# reads or converts one input that tests/stress_gen.c wrote into $STRESS_DIR and
# checks a real property of the result.  The timeouts are what catches a reader
# or writer that went quadratic; the checks catch one that gave up early.
#   stress.sh CASE
. "$(dirname "$0")/cli/lib.sh"
: "${STRESS_DIR:?STRESS_DIR must name the directory stress_gen wrote}"
S=$STRESS_DIR
case_=${1:?usage: stress.sh CASE}

# segments FILE [FORMAT]: the segment count `tandem info --json` gives, or "".
segments() {
  local from=()
  [[ -n ${2:-} ]] && from=(-f "$2")
  "$TANDEM" info -q --json "${from[@]}" "$1" 2>/dev/null |
    sed -n 's/.*"segments":\([0-9]*\).*/\1/p'
}
expect_segments() {
  local got
  got=$(segments "$1" "${3:-}")
  [[ $got == "$2" ]] && ok || bad "$1: $got segments, want $2"
}

# 100k cues (half of them on two lines) through one writer and back: the
# count read back is the cues', or their lines' for lines, one a line.
convert_many() {
  local in=$S/many.$1 to=$2 want=100000 opts=()
  [[ $to == lines ]] && want=150000
  [[ $to == post ]] && opts=(--para-chars 1)
  run "$TANDEM" convert -q "${opts[@]}" -t "$to" "$in" -o "$WORK/out.$to"
  expect_rc 0 "$1 -> $to"
  expect_segments "$WORK/out.$to" "$want" "$to"
}

case $case_ in
  read-srt) expect_segments "$S/many.srt" 100000 ;;
  read-vtt) expect_segments "$S/many.vtt" 100000 ;;
  srt-to-*|vtt-to-*) convert_many "${case_%%-to-*}" "${case_#*-to-}" ;;
  long-line)
    for f in long.srt:srt long.vtt:vtt long.lines:lines long.transcript.txt:transcript \
             long.post.txt:post long.md:md; do
      expect_segments "$S/${f%%:*}" 1 "${f#*:}"
    done
    # The line survives whole through a writer too.
    run "$TANDEM" convert -q -t srt "$S/long.vtt" -o "$WORK/long.srt"; expect_rc 0 "long vtt -> srt"
    n=$(sed -n 3p "$WORK/long.srt" | wc -c)
    ((n > 1048576)) && ok || bad "long line cut to $n bytes" ;;
  notes)
    expect_segments "$S/notes.vtt" 1
    run "$TANDEM" convert -q -t vtt "$S/notes.vtt" -o "$WORK/notes.vtt"; expect_rc 0 "notes -> vtt"
    n=$(grep -c '^NOTE comment' "$WORK/notes.vtt")
    [[ $n == 100000 ]] && ok || bad "NOTE blocks written: $n, want 100000" ;;
  regions)
    expect_segments "$S/regions.vtt" 100000
    run "$TANDEM" info "$S/regions.vtt"; expect_rc 0 "regions"
    [[ $err != *vtt-settings* && $err != *"no REGION"* ]] && ok || bad "region ids not found: ${err:0:200}" ;;
  markup)
    expect_segments "$S/nested.vtt" 2
    expect_segments "$S/unclosed.vtt" 2
    expect_segments "$S/unclosed.srt" 2
    for f in nested.vtt unclosed.vtt unclosed.srt; do
      for to in srt vtt ass json post; do
        run "$TANDEM" convert -q -t "$to" "$S/$f" -o "$WORK/$f.$to"; expect_rc 0 "$f -> $to"
      done
    done
    # 10^5 nested <b> leave the plain text "deep".
    run "$TANDEM" convert -q -t lines "$S/nested.vtt" -o -; expect_rc 0 "nested -> lines"
    [[ $(head -1 <<<"$out") == deep ]] && ok || bad "nested text: ${out:0:80}" ;;
  deep-json)
    for f in deep-array.json deep-object.json; do
      run "$TANDEM" info -f json "$S/$f"; expect_rc 2 "$f"
      expect_err "nesting too deep" "$f: clean error"
    done ;;
  random)
    run "$TANDEM" info "$S/random.bin"; expect_rc 2 "random bytes"
    expect_err "[binary-input]" "random bytes: binary-input"
    run "$TANDEM" convert -t srt "$S/random.bin" -o "$WORK/random.srt"; expect_rc 2 "convert random"
    expect_no_file "$WORK/random.srt" "no output from random bytes" ;;
  *) echo "stress.sh: unknown case $case_" >&2; exit 2 ;;
esac
finish
