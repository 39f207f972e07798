#!/usr/bin/env bash
# run.sh - the aligner benchmark: strict link F1 and untranslated recall /
# precision at several perturbation levels, against a Gale-Church baseline,
# on the seed 003 podcast pairs and two real lecture subtitle pairs; then
# speed (566 segments end to end through the CLI) and scale (100,000
# segments, peak RSS from /usr/bin/time -v).
#
#   bench/align/run.sh [BUILD_DIR]      (default: build)
# Writes bench/align/RESULTS.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
B=$BUILD/bench_align
T=$BUILD/tandem
OUT=$ROOT/bench/align/RESULTS.md
PAIRS=$ROOT/fixtures/seeds/003_a154d282383bb464.txt
LEX=$ROOT/bench/align/common.lex
[[ -x $B && -x $T ]] || { echo "build bench_align and tandem in $BUILD first" >&2; exit 2; }

row() { # label, args...: mean over seeds 1..5 of F1, untranslated R/P, and GC F1
  local label=$1; shift
  local f=0 ur=0 up=0 g=0 gur=0 ms=0 n=0
  for seed in 1 2 3 4 5; do
    local o; o=$("$B" --seed "$seed" --baseline "$@")
    local t; t=$(grep 'tandem:' <<<"$o"); local b; b=$(grep 'Gale-Church:' <<<"$o")
    f=$(awk -v a="$f" -v l="$t" 'BEGIN{split(l,x," "); print a + x[3]}')
    ur=$(awk -v a="$ur" -v l="$t" 'BEGIN{n=split(l,x," "); for(i=1;i<=n;i++) if(x[i]=="R" && x[i-1]=="untranslated") print a + x[i+1]}')
    up=$(awk -v a="$up" -v l="$t" 'BEGIN{n=split(l,x," "); for(i=1;i<=n;i++) if(x[i]=="P" && x[i-2]=="R" && x[i-3]=="untranslated") print a + x[i+1]}')
    ms=$(awk -v a="$ms" -v l="$t" 'BEGIN{n=split(l,x," "); for(i=1;i<=n;i++) if(x[i]=="ms") print a + x[i-1]}')
    g=$(awk -v a="$g" -v l="$b" 'BEGIN{split(l,x," "); print a + x[3]}')
    gur=$(awk -v a="$gur" -v l="$b" 'BEGIN{n=split(l,x," "); for(i=1;i<=n;i++) if(x[i]=="R" && x[i-1]=="untranslated") print a + x[i+1]}')
    n=$((n + 1))
  done
  awk -v l="$label" -v f="$f" -v ur="$ur" -v up="$up" -v g="$g" -v gur="$gur" -v ms="$ms" -v n="$n" \
    'BEGIN{printf "| %s | %.4f | %.3f | %.3f | %.4f | %.3f | %.1f |\n", l, f/n, ur/n, up/n, g/n, gur/n, ms/n}'
}

{
  echo "# Aligner benchmark results"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (shared); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Command: \`bench/align/run.sh $BUILD\`. Each row is the mean of seeds 1-5."
  echo "Level 1 = merge 10%, split 6%, drop 4%, insert 2% of the Chinese lines; level 0.5 and 2 scale all rates."
  echo "F1 is strict link F1; untr R/P is recall/precision of the dropped lines reported untranslated;"
  echo "ms is the aligner's CPU time (tandem_align_run only)."
  echo
  echo "| data, level | tandem F1 | untr R | untr P | Gale-Church F1 | GC untr R | ms |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for lv in 0.5 1 2; do row "podcast 566, level $lv" --pairs "$PAIRS" --level "$lv"; done
  for lv in 1; do row "podcast 566, level $lv, --lexicon common.lex" --pairs "$PAIRS" --level "$lv" --lexicon "$LEX"; done
  for d in polyu_comp5521_lecture1 polyu_comp5521_lecture2; do
    for lv in 0.5 1 2; do row "${d#polyu_comp5521_} (zh untimed), level $lv" --srt "$ROOT/fixtures/align/corpus/$d" --level "$lv"; done
    row "${d#polyu_comp5521_} (zh timed), level 1" --srt "$ROOT/fixtures/align/corpus/$d" --level 1 --timed-translation
  done
  echo
  echo "Unrelated translation (podcast English vs. lecture 2 Chinese):"
  echo '```'
  "$B" --pairs "$PAIRS" --unrelated "$ROOT/fixtures/align/corpus/polyu_comp5521_lecture2" || true
  echo '```'
  echo
  echo "End to end through the CLI: the 566-segment podcast as a timed English SRT and its perturbed"
  echo "Chinese as plain lines (level 1, seed 1) -> bilingual SRT + report; and \`tandem --version\` for the"
  echo "process start-up alone (the media libraries are opened only when a command needs them), hyperfine:"
  echo '```'
  mkdir -p /tmp/tandem-bench-in
  "$B" --pairs "$PAIRS" --level 1 --seed 1 --write-inputs /tmp/tandem-bench-in | grep tandem:
  if command -v hyperfine >/dev/null; then
    hyperfine -N -i --warmup 3 --runs 30 --style basic \
      "$T align -q /tmp/tandem-bench-in/source.srt /tmp/tandem-bench-in/translation.txt -o /tmp/tandem-bench.srt --report /tmp/tandem-bench.json" \
      "$T --version" 2>&1 | grep -E 'Benchmark|Time|Range' || true
  fi
  echo '```'
  echo
  echo "Scale: 100,000 source segments (the podcast cycled) against its perturbed translation:"
  echo '```'
  /usr/bin/time -v "$B" --pairs "$PAIRS" --scale 100000 --seed 1 2> /tmp/tandem-bench.time
  grep -E 'Elapsed|Maximum resident|User time' /tmp/tandem-bench.time
  echo '```'
} > "$OUT"
cat "$OUT"
