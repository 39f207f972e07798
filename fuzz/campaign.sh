#!/usr/bin/env bash
# fuzz/campaign.sh - a long fuzz campaign: every target in turn, one at a
# time and at the lowest priority, so it can run beside other work.
#   fuzz/campaign.sh SECONDS_PER_TARGET LOGDIR [TARGET...]
#   fuzz/campaign.sh --summary LOGDIR TARGET    (the summary line of a past run)
# Expects the libFuzzer build in build-fuzz/ (scripts/fuzz.sh makes it, or
#   CC=clang cmake -S . -B build-fuzz -DTANDEM_LIBFUZZER=ON -DTANDEM_SANITIZE=ON).
# Seeds are the corpora the replay tests read (fixtures/, tests/conformance/);
# each target's corpus grows in build-fuzz/corpus/<target>/, crashes land in
# build-fuzz/crashes/<target>/, and LOGDIR/<target>.log holds libFuzzer's
# output.  LOGDIR/summary.tsv gets a line per target: executions, exec/s,
# final cov: and ft:, corpus size, crash files.  FUZZ_TIMEOUT (default 60)
# is libFuzzer's per-input timeout: it counts wall-clock time, and a process
# at nice 19 on a busy machine can wait seconds for a core, so the usual 10 s
# reports starvation as hangs.
set -uo pipefail
cd "$(dirname "$0")/.."

# One summary line from LOGDIR/TARGET.log: target seconds rc.
summary() {
	local t=$1 took=$2 rc=$3 log=$logs/$1.log
	local execs rate last cov ft ncorp ncrash
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	ncorp=$(find "build-fuzz/corpus/$t" -type f | wc -l)
	ncrash=$(find "build-fuzz/crashes/$t" -type f | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$took" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "$ncorp" "$ncrash" "$rc" >>"$logs/summary.tsv"
	tail -1 "$logs/summary.tsv"
}

if [[ ${1:-} == --summary ]]; then
	logs=$2
	summary "$3" "${4:-?}" "${5:-?}"
	exit
fi
secs=${1:?seconds per target}
logs=${2:?log directory}
shift 2
mkdir -p "$logs"
targets=("$@")
if ((${#targets[@]} == 0)); then
	for f in fuzz/fuzz_*.c; do
		n=$(basename "$f" .c)
		[[ $n == fuzz_main ]] || targets+=("$n")
	done
fi
[[ -s $logs/summary.tsv ]] ||
	printf 'target\tseconds\texecs\texec_per_s\tcov\tft\tcorpus\tcrashes\trc\n' >"$logs/summary.tsv"
for t in "${targets[@]}"; do
	corpus=build-fuzz/corpus/$t
	crashes=build-fuzz/crashes/$t
	mkdir -p "$corpus" "$crashes"
	echo "== $t ($secs s) $(date -u +%H:%M:%S)"
	start=$(date +%s)
	nice -n 19 build-fuzz/"$t" -max_total_time="$secs" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-60}" \
		-rss_limit_mb=2048 -artifact_prefix="$crashes/" -print_final_stats=1 \
		"$corpus" fixtures tests/conformance >"$logs/$t.log" 2>&1
	rc=$?
	summary "$t" $(($(date +%s) - start)) "$rc"
done
