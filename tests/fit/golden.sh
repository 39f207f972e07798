#!/usr/bin/env bash
# golden.sh - --fit's output, byte for byte, on a part of the podcast and of a
# lecture (fixtures/fit, see its README), in SRT, WebVTT and ASS.
#
# A change that moves a cut, a line break or a time shows here as a diff.
# When the change is meant, regenerate the files and read the diff before
# committing it:  TANDEM_REGEN=1 TANDEM=build/tandem TANDEM_SOURCE_DIR=. bash tests/fit/golden.sh
set -u
: "${TANDEM_SOURCE_DIR:?}"
source "$TANDEM_SOURCE_DIR/tests/cli/lib.sh"
F=$TANDEM_SOURCE_DIR/fixtures/fit

# golden NAME ARGS...: runs tandem ARGS -o WORK/NAME and compares it with F/NAME.
golden() {
  local name=$1
  shift
  run "$TANDEM" "$@" -o "$WORK/$name" -q
  expect_rc 0 "$name"
  if [[ -n ${TANDEM_REGEN:-} ]]; then
    cp "$WORK/$name" "$F/$name"
    echo "regenerated $F/$name"
  fi
  expect_same "$WORK/$name" "$F/$name" "$name"
}

golden podcast.netflix.srt convert "$F/podcast.in.srt" --fit netflix
golden podcast.netflix.vtt convert "$F/podcast.in.srt" --fit netflix
golden podcast.netflix.ass convert "$F/podcast.in.srt" --fit netflix
golden podcast.bbc.srt convert "$F/podcast.in.srt" --fit bbc
golden lecture.netflix.srt convert "$F/lecture.in.srt" --fit netflix
golden lecture.netflix.vtt convert "$F/lecture.in.srt" --fit netflix
# Translation first: above the source in ASS too, as in SRT and WebVTT.
golden lecture.zh-first.ass convert "$F/lecture.in.srt" --fit netflix --order translation-first

# The goldens keep the layout rules they were made for.
for f in podcast.netflix.vtt lecture.netflix.vtt; do
  run "$TANDEM" check --profile netflix "$F/$f"
  [[ $out != *"[line-length]"* && $out != *"[too-many-lines]"* && $out != *"[too-long]"* &&
     $out != *"[overlap]"* && $out != *"[min-gap]"* ]] && ok || bad "$f breaks netflix layout: ${out:0:600}"
done
finish
