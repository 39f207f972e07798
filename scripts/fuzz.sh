#!/usr/bin/env bash
# Run every fuzz target under libFuzzer (clang, ASan+UBSan) for a while.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, all targets)
# Seeds come from fixtures/ and tests/conformance/; crashes are written to
# build-fuzz/crashes/<target>/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
scripts/install-deps.sh --test
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_SANITIZE=ON \
  -DTANDEM_LIBFUZZER=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in fuzz/fuzz_*.c; do
    n=$(basename "$f" .c)
    [[ $n == fuzz_main ]] || targets+=("$n")
  done
fi
status=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  echo "== $t ($secs s)"
  if ! build-fuzz/"$t" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" fixtures tests/conformance \
       2>build-fuzz/$t.log; then
    echo "$t: FAILED, see build-fuzz/$t.log and $crashes/" >&2
    status=1
  fi
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' build-fuzz/$t.log | tr '\n' ' '; echo
done
exit $status
