#!/usr/bin/env bash
# Benchmark: convert a 100 MB bilingual SRT to WebVTT with tandem and with the
# peers (ffmpeg, Python's srt, webvtt-py), one run each, side by side.
#   bench/convert/run.sh [SIZE_MB]      (default 100)
# Prints a Markdown table: seconds, MB/s, peak RSS, and ratios against tandem.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
size=${1:-100}
out=$top/bench/out/convert
mkdir -p "$out"
"$top/scripts/install-deps.sh" --bench
[[ -x $top/build-bench/tandem ]] || {
  cmake -S "$top" -B "$top/build-bench" -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF >/dev/null
}
cmake --build "$top/build-bench" -j"$(nproc)" >/dev/null
tandem=$top/build-bench/tandem
py=/usr/bin/python3
in=$out/big.srt
[[ -f $in ]] || $py "$here/gen_srt.py" "$top/fixtures/seeds/003_a154d282383bb464.txt" "$in" "$size" >&2
mb=$(stat -c %s "$in" | awk '{printf "%.1f", $1/1048576}')

measure() { # name cmd...
  local name=$1; shift
  local t0 t1
  rm -f "$out/$name.vtt"
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/$name.rss" "$@" >/dev/null 2>"$out/$name.err" || {
    echo "$name failed: $(tail -3 "$out/$name.err")" >&2; echo "$name NA NA" ; return; }
  t1=$(date +%s.%N)
  echo "$name $(echo "$t1 - $t0" | bc -l) $(cat "$out/$name.rss")"
}

{
  measure tandem "$tandem" convert -q "$in" -o "$out/tandem.vtt"
  measure ffmpeg ffmpeg -nostdin -loglevel error -y -i "$in" "$out/ffmpeg.vtt"
  measure python-srt $py "$here/peers.py" srt "$in" "$out/python-srt.vtt"
  measure webvtt-py $py "$here/peers.py" webvtt "$in" "$out/webvtt-py.vtt"
} > "$out/results.txt"

cues_t=$(grep -c -- '-->' "$out/tandem.vtt" || true)
cues_f=$(grep -c -- '-->' "$out/ffmpeg.vtt" 2>/dev/null || true)
echo "Input: $mb MB bilingual SRT, $cues_t cues (ffmpeg wrote $cues_f). Machine: $(nproc) cores, $(uname -m), $(date -u +%F). Commit: $(git -C "$top" rev-parse --short HEAD)."
echo
echo "| tool | seconds | MB/s | peak RSS (MB) | peak RSS / input | tandem is faster by |"
echo "|---|---|---|---|---|---|"
read -r _ tsec _ < <(grep '^tandem ' "$out/results.txt")
while read -r name sec rss; do
  if [[ $sec == NA ]]; then echo "| $name | failed | | | | |"; continue; fi
  awk -v n="$name" -v s="$sec" -v r="$rss" -v mb="$mb" -v ts="$tsec" 'BEGIN {
    printf "| %s | %.2f | %.1f | %.0f | %.2f | %s |\n", n, s, mb/s, r/1024, (r/1024)/mb,
      (n == "tandem") ? "-" : sprintf("%.1f×", s/ts) }'
done < "$out/results.txt"
