#!/usr/bin/env bash
# bench/check/run.sh [TANDEM] - the two figures of `tandem check`:
#
#  1. The duration of a two-hour MP3 (VBR, no Xing header: the case where
#     libavformat only estimates), in one hyperfine run: tandem's header
#     value (the estimate), tandem's exact scan of every packet, and
#     `ffprobe -show_entries format=duration`; then the three values side by
#     side with the true length (120 copies of a 60 s piece: 120 times the
#     piece's frame count).
#  2. `tandem check` over 10,000 generated bilingual SRT files in one batch.
#
# Needs sox, lame, ffmpeg/ffprobe, hyperfine (scripts/install-deps.sh --bench).
# Inputs are made under ${BENCH_DIR:-/tmp/tandem-bench-check} and kept
# between runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
T=$(realpath "${1:-$here/../../build/tandem}")
dir=${BENCH_DIR:-/tmp/tandem-bench-check}
mkdir -p "$dir"
cd "$dir"

# --- 1. a two-hour MP3 ---------------------------------------------------
if [[ ! -f two-hours.mp3 ]]; then
  # 60 s that a VBR encoder must work at: speech-like bursts of noise
  # between quieter tones, so frame sizes vary.
  sox -n -r 44100 -c 2 -b 16 .a.wav synth 5 whitenoise vol 0.3
  sox -n -r 44100 -c 2 -b 16 .b.wav synth 10 sine 300 vol 0.2
  sox .a.wav .b.wav .a.wav .b.wav .a.wav .b.wav .a.wav .b.wav .piece.wav
  lame --quiet -V 4 -t .piece.wav piece.mp3
  for _ in $(seq 120); do cat piece.mp3; done > two-hours.mp3
  rm -f .a.wav .b.wav .piece.wav
fi
# The truth, independently: ffprobe counts the piece's frames (1152 samples each).
frames=$(ffprobe -v error -select_streams a -count_packets -show_entries stream=nb_read_packets \
         -of csv=p=0 piece.mp3)
rate=$(ffprobe -v error -select_streams a -show_entries stream=sample_rate -of csv=p=0 piece.mp3)
echo "== duration of a two-hour VBR MP3 without a Xing header ($(du -h two-hours.mp3 | cut -f1))"
hyperfine -N --warmup 1 --runs 10 \
  -n "tandem header" "$T check --audio two-hours.mp3 --media-method header" \
  -n "tandem scan" "$T check --audio two-hours.mp3 --media-method scan" \
  -n "ffprobe" "ffprobe -v error -show_entries format=duration -of csv=p=0 two-hours.mp3"
hdr=$("$T" check --json --audio two-hours.mp3 --media-method header | sed -n 's/.*"duration_ms":\([0-9]*\).*/\1/p')
scan=$("$T" check --json --audio two-hours.mp3 | sed -n 's/.*"duration_ms":\([0-9]*\).*/\1/p')
ffp=$(ffprobe -v error -show_entries format=duration -of csv=p=0 two-hours.mp3)
echo "true length: 120 x ${frames} frames x 1152 / ${rate} Hz = $(( (120 * frames * 1152 * 1000 + rate / 2) / rate )) ms"
echo "tandem header: ${hdr} ms   tandem scan (auto picks it): ${scan} ms   ffprobe: ${ffp} s"

# --- 2. 10,000 subtitle files -------------------------------------------
if [[ ! -d srt || $(ls srt | wc -l) -ne 10000 ]]; then
  rm -rf srt
  mkdir srt
  # 60 bilingual cues a file; every 7th file has a cue without translation,
  # every 5th an overlap.
  awk 'BEGIN {
    srand(42);
    for (f = 0; f < 10000; f++) {
      path = sprintf("srt/%05d.srt", f);
      t = 1000;
      for (c = 1; c <= 60; c++) {
        d = 1200 + int(rand() * 3000);
        s = t;
        if (f % 5 == 0 && c == 30) s -= 400;
        printf "%d\n%02d:%02d:%02d,%03d --> %02d:%02d:%02d,%03d\n", c,
          int(s/3600000), int(s/60000)%60, int(s/1000)%60, s%1000,
          int((s+d)/3600000), int((s+d)/60000)%60, int((s+d)/1000)%60, (s+d)%1000 > path;
        printf "Line %d of file %d, said at a comfortable pace.\n", c, f > path;
        if (!(f % 7 == 0 && c == 20))
          printf "第%d行，文件%d，语速适中。\n", c, f > path;
        printf "\n" > path;
        t = s + d + 200 + int(rand() * 800);
      }
      close(path);
    }
  }'
fi
echo "== tandem check over 10,000 SRT files (60 bilingual cues each)"
# The shell expands the glob: 10,000 paths are too long for one argument.
hyperfine -i --warmup 1 --runs 5 -n "tandem check 10k files" "$T check -q srt/*.srt > /dev/null"
"$T" check -q srt/*.srt | tail -1 || true
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
