#!/usr/bin/env bash
# Benchmark: a corpus batch of small SRT files to WebVTT (docs/batch.md).
#   bench/batch/run.sh [FILES]        (default 10000)
# Rows, each the median of RUNS runs (default 3), taken in turns:
#   one process   tandem convert -j 2 --files-from LIST --jsonl J -d OUT
#   parallel      find | parallel --pipe -N 500 -j 2 tandem convert --files-from - ...
#                 (FILES/500 processes, two at a time)
#   resume        the first row again with --resume over its finished output
# then peak RSS of the one-process row for FILES/10, FILES and 4*FILES files.
# TANDEM=path picks the binary (default: a Release build in build-bench/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
files=${1:-10000}
runs=${RUNS:-3}
out=$top/bench/out/batch
mkdir -p "$out"
command -v parallel > /dev/null || "$top/scripts/install-deps.sh" --bench
if [[ -z ${TANDEM:-} ]]; then
  [[ -x $top/build-bench/tandem ]] ||
    cmake -S "$top" -B "$top/build-bench" -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF >/dev/null
  cmake --build "$top/build-bench" -j2 >/dev/null
  TANDEM=$top/build-bench/tandem
fi

# corpus N: N SRT files (the fixtures' small SRTs in turn), 100 to a folder.
corpus() {
  local n=$1 dir=$out/corpus-$1
  if [[ ! -f $dir.list ]]; then
    rm -rf "$dir"
    mapfile -t seeds < <(find "$top/fixtures/check" "$top/fixtures/bilingual" -name '*.srt' -size -40k | sort)
    for ((i = 0; i < n; i++)); do
      ((i % 100)) || mkdir -p "$dir/d$((i / 100))"
      cp "${seeds[i % ${#seeds[@]}]}" "$dir/d$((i / 100))/f$i.srt"
    done
    (cd "$out" && find "corpus-$n" -name '*.srt' | sort) > "$dir.list"
  fi
}

# once NAME CMD...: one run in $out, "seconds peak_rss_kb".
once() {
  local name=$1 t0 t1
  shift
  sync
  t0=$(date +%s.%N)
  (cd "$out" && /usr/bin/time -f %M -o "$name.rss" "$@" > "$name.jsonl" 2> "$name.err") || {
    echo "$name failed: $(tail -3 "$out/$name.err")" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $(cat "$out/$name.rss")"
}
one() { # OUTDIR N [--resume]
  once "one-$2" "$TANDEM" convert -q -j 2 -t vtt -d "$1" --files-from "corpus-$2.list" \
    --jsonl - --jsonl-no-time "${@:3}"
}
par() { # OUTDIR N: parallel's peak RSS is its own (perl); tandem's is the max of its children
  once "par-$2" bash -c "parallel --pipe -N 500 -j 2 '$TANDEM' convert -q -t vtt -d '$1' \
    --files-from - --jsonl - --jsonl-no-time < corpus-$2.list"
}
median() { sort -n | awk '{s[NR]=$1; if ($2 > r) r=$2} END {printf "%.2f %d\n", s[int((NR+1)/2)], r}'; }

corpus "$files"
: > "$out/one.times"; : > "$out/par.times"; : > "$out/resume.times"
for ((k = 0; k < runs; k++)); do
  rm -rf "$out/o1" "$out/op"
  one o1 "$files" >> "$out/one.times"
  par op "$files" >> "$out/par.times"
  one o1 "$files" --resume >> "$out/resume.times"
done
# The same outputs and, sorted, the same JSON lines, whichever way they ran.
diff -r -x .tandem-manifest "$out/o1" "$out/op" > /dev/null || { echo "outputs differ" >&2; exit 1; }
ok_lines=$(grep -c '"status":"ok"' "$out/par-$files.jsonl")
skipped=$(grep -c '"status":"skipped"' "$out/one-$files.jsonl")
read -r s1 r1 < <(median < "$out/one.times")
read -r s2 r2 < <(median < "$out/par.times")
read -r s3 r3 < <(median < "$out/resume.times")

mem=""
for n in $((files / 10)) "$files" $((files * 4)); do
  corpus "$n"
  rm -rf "$out/om"
  read -r _ rss < <(one om "$n")
  mem+="| $n | $(awk -v r="$rss" 'BEGIN {printf "%.1f", r/1024}') |"$'\n'
done

echo "Input: $files SRT files of $(du -sh "$out/corpus-$files" | cut -f1) in $((files / 100)) folders. Machine: $(nproc) cores, $(uname -m), $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. Commit: $(git -C "$top" rev-parse --short HEAD). Median of $runs runs each, taken in turns."
echo
echo "| run | seconds | files/s | peak RSS (MB) |"
echo "|---|---|---|---|"
for row in "one process, -j 2:$s1:$r1" "GNU parallel, $((files / 500)) processes of 500, -j 2:$s2:$r2" \
           "--resume of the finished run:$s3:$r3"; do
  IFS=: read -r name s r <<< "$row"
  awk -v n="$name" -v s="$s" -v r="$r" -v f="$files" \
    'BEGIN {printf "| %s | %.2f | %.0f | %.1f |\n", n, s, f/s, r/1024}'
done
echo
echo "parallel's JSON lines: $ok_lines ok; the resumed run's: $skipped skipped. Resume/first: $(echo "$s3 / $s1" | bc -l | cut -c1-5)."
echo
echo "Peak RSS of the one-process run by the number of files:"
echo
echo "| files | peak RSS (MB) |"
echo "|---|---|"
printf '%s' "$mem"
