#!/usr/bin/env bash
# Benchmark: convert a 100 MB bilingual SRT to WebVTT with tandem and with the
# peers (ffmpeg, Python's srt, webvtt-py), side by side in one run: each tool
# runs RUNS times (default 5), in turns, and its median time is reported, so
# a moment of load on a shared machine weighs on no tool alone.
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

runs=${RUNS:-5}

once() { # name cmd...: one run, "seconds rss_kb" (or NA)
  local name=$1; shift
  local t0 t1
  rm -f "$out/$name.vtt"
  # The previous tool's 100 MB output is written back to disk first, so that
  # no tool pays for another's writeback on this machine's two cores.
  sync
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/$name.rss" "$@" >/dev/null 2>"$out/$name.err" || {
    echo "$name failed: $(tail -3 "$out/$name.err")" >&2; echo "NA NA"; return; }
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $(cat "$out/$name.rss")"
}

tools=(tandem ffmpeg python-srt webvtt-py)
run_tool() { # name
  case $1 in
    tandem) once tandem "$tandem" convert -q "$in" -o "$out/tandem.vtt" ;;
    ffmpeg) once ffmpeg ffmpeg -nostdin -loglevel error -y -i "$in" "$out/ffmpeg.vtt" ;;
    python-srt) once python-srt $py "$here/peers.py" srt "$in" "$out/python-srt.vtt" ;;
    webvtt-py) once webvtt-py $py "$here/peers.py" webvtt "$in" "$out/webvtt-py.vtt" ;;
  esac
}

for t in "${tools[@]}"; do : > "$out/$t.times"; done
for ((k = 0; k < runs; k++)); do
  for t in "${tools[@]}"; do run_tool "$t" >> "$out/$t.times"; done
done
{
  for t in "${tools[@]}"; do
    if grep -q NA "$out/$t.times"; then echo "$t NA NA"; continue; fi
    # median seconds; the largest peak RSS of the runs
    sort -n "$out/$t.times" | awk -v n="$t" '{s[NR]=$1; if ($2 > r) r=$2}
      END {printf "%s %s %s\n", n, s[int((NR+1)/2)], r}'
  done
} > "$out/results.txt"
all_times=$(for t in "${tools[@]}"; do printf '%s: %s\n' "$t" "$(cut -d' ' -f1 "$out/$t.times" | awk '{printf "%s%.2f", (NR>1?", ":""), $1}')"; done | paste -sd ';' | sed 's/;/; /g')

cues_t=$(grep -c -- '-->' "$out/tandem.vtt" || true)
cues_f=$(grep -c -- '-->' "$out/ffmpeg.vtt" 2>/dev/null || true)
echo "Input: $mb MB bilingual SRT, $cues_t cues (ffmpeg wrote $cues_f). Machine: $(nproc) cores, $(uname -m), $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. Commit: $(git -C "$top" rev-parse --short HEAD). Median of $runs runs each, taken in turns."
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
echo
echo "Every run, in seconds: $all_times."
