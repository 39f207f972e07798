#!/usr/bin/env bash
# Micro-benchmark of the UTF-8 check and the script counts: MB/s of the old
# scalar code (the reference model in tests/test_textfast.c) against the
# new one on each path it has (AVX2, SSSE3/SSE2, plain C), on the 100 MB
# bilingual SRT of bench/convert (generated if missing).
#   bench/text/run.sh [BUILD_DIR] [REPS]   (default build-bench-text, 5)
# The script counts are taken line by line, as the bilingual reader asks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-$top/build-bench-text}
reps=${2:-5}
in=$top/bench/out/convert/big.srt
[[ -f $build/CMakeCache.txt ]] ||
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target test_textfast >/dev/null
if [[ ! -f $in ]]; then
  mkdir -p "$(dirname "$in")"
  /usr/bin/python3 "$top/bench/convert/gen_srt.py" "$top/fixtures/seeds/003_a154d282383bb464.txt" "$in" 100 >&2
fi
echo "Machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F). Commit: $(git -C "$top" rev-parse --short HEAD)."
"$build/test_textfast" --bench "$in" "$reps"
