#!/usr/bin/env bash
# Benchmark: --fit netflix on a 100,000-segment bilingual SRT (the podcast's
# pairs repeated by bench/convert/gen_srt.py, cut at cue 100,000) against the
# plain conversion of the same file, both to WebVTT.  Reports wall time and
# peak RSS from /usr/bin/time -v, median of RUNS (default 3).
#   bench/fit/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/bench/out/fit
mkdir -p "$out"
[[ -x $top/build-bench/tandem ]] || {
  cmake -S "$top" -B "$top/build-bench" -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF >/dev/null
}
cmake --build "$top/build-bench" -j"$(nproc)" >/dev/null
tandem=$top/build-bench/tandem
in=$out/big100k.srt
if [[ ! -f $in ]]; then
  /usr/bin/python3 "$top/bench/convert/gen_srt.py" "$top/fixtures/seeds/003_a154d282383bb464.txt" \
    "$out/gen.srt" 45 >&2
  # Keep the first 100,000 cues.
  awk 'BEGIN{RS="";ORS="\n\n"} NR<=100000' "$out/gen.srt" >"$in"
  rm -f "$out/gen.srt"
fi
n=$(grep -c -- '-->' "$in")
runs=${RUNS:-3}
once() { # label args...: "seconds rss_kb cpu_seconds"
  local label=$1; shift
  /usr/bin/time -v "$tandem" convert "$in" -o "$out/$label.vtt" -q "$@" 2>"$out/$label.time" >/dev/null
  awk -F': ' '/Elapsed \(wall clock\)/{split($2,a,":"); t=a[1]*60+a[2]} /Maximum resident/{r=$2}
    /User time/{u=$2} /System time/{s=$2} END{print t, r, u+s}' "$out/$label.time"
}
median() { sort -n | awk '{v[NR]=$0} END{print v[int((NR+1)/2)]}'; }
declare -A T R C
for label in plain fit; do
  ts=() rs=() cs=()
  for ((k = 0; k < runs; k++)); do
    if [[ $label == fit ]]; then read -r t r c < <(once fit --fit netflix); else read -r t r c < <(once plain); fi
    ts+=("$t") rs+=("$r") cs+=("$c")
  done
  T[$label]=$(printf '%s\n' "${ts[@]}" | median)
  R[$label]=$(printf '%s\n' "${rs[@]}" | median)
  C[$label]=$(printf '%s\n' "${cs[@]}" | median)
done
cues=$(grep -c -- '-->' "$out/fit.vtt")
echo "input: $n segments, $(stat -c %s "$in" | awk '{printf "%.1f MB", $1/1048576}'); fitted: $cues cues"
echo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: CPU seconds are the steadier figure)"
echo
echo "| run | wall seconds | CPU seconds | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
for label in plain fit; do
  printf '| %s | %s | %s | %s MB |\n' "$([[ $label == fit ]] && echo 'convert --fit netflix' || echo 'convert')" \
    "${T[$label]}" "${C[$label]}" "$(awk -v r="${R[$label]}" 'BEGIN{printf "%.0f", r/1024}')"
done
