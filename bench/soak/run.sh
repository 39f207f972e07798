#!/usr/bin/env bash
# bench/soak/run.sh - the soak test: many small files through a `-j 2`
# batch conversion and a check, watching that memory and descriptors stay
# flat as the count grows.
#   bench/soak/run.sh [BUILD_DIR]         (default build/, its ./tandem)
#   SOAK_COUNTS="1000 2000" bench/soak/run.sh   (a quick try of the script)
# Generates 100,000 small bilingual SRT files (gen.py, deterministic) under
# bench/out/soak/in/, then for 10k, 50k and 100k of them:
#   tandem convert -q -j 2 -t vtt -d OUT IN...   and   tandem check -q OUT
# each under /usr/bin/time -v (peak RSS, wall time), while a sampler reads
# the process's open descriptors (/proc/PID/fd), VmRSS and VmHWM every 0.5 s
# together with the files done so far.  Everything runs at nice 19.
# Writes bench/out/soak/results.tsv (one line per run) and
# bench/out/soak/samples-RUN.tsv (the time series); RESULTS.md is made from them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-$top/build}
tandem=$build/tandem
out=$top/bench/out/soak
total=100000
[[ -x $tandem ]] || { echo "soak: no $tandem (build first)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "soak: needs /usr/bin/time (GNU time)" >&2; exit 2; }
mkdir -p "$out"
if [[ ! -f $out/in/d099/f099999.srt ]]; then
	rm -rf "$out/in"
	nice -n 19 python3 "$here/gen.py" "$out/in" "$total"
fi

# sample PID PROGRESS_CMD FILE: every 0.5 s, "secs fds rss_kb hwm_kb done".
sample() {
	local pid=$1 progress=$2 file=$3 t0 now fds rss hwm
	t0=$(date +%s%N)
	printf 'secs\tfds\trss_kb\thwm_kb\tdone\n' >"$file"
	while [[ -d /proc/$pid ]]; do
		fds=$(ls /proc/"$pid"/fd 2>/dev/null | wc -l) || true
		rss=$(awk '/^VmRSS/ {print $2}' /proc/"$pid"/status 2>/dev/null) || true
		hwm=$(awk '/^VmHWM/ {print $2}' /proc/"$pid"/status 2>/dev/null) || true
		now=$(date +%s%N)
		[[ -n $rss ]] && printf '%s\t%s\t%s\t%s\t%s\n' "$(((now - t0) / 1000000000)).$(((now - t0) / 100000000 % 10))" "$fds" "$rss" \
			"$hwm" "$(eval "$progress")" >>"$file"
		sleep 0.5
	done
}

# run NAME PROGRESS_CMD CMD...: CMD under time -v and the sampler.
run() {
	local name=$1 progress=$2 tpid pid rc=0
	shift 2
	nice -n 19 /usr/bin/time -v -o "$out/time-$name.txt" "$@" >"$out/stdout-$name.txt" \
		2>"$out/stderr-$name.txt" &
	tpid=$!
	pid=
	while [[ -z $pid ]] && kill -0 "$tpid" 2>/dev/null; do
		pid=$(pgrep -P "$tpid" || true)
		[[ -n $pid ]] || sleep 0.05
	done
	[[ -n $pid ]] && sample "$pid" "$progress" "$out/samples-$name.tsv"
	wait "$tpid" || rc=$?
	local peak wall maxfd
	peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time-$name.txt")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time-$name.txt")
	maxfd=$(awk 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$out/samples-$name.tsv")
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rc" "$peak" "$maxfd" "$wall" | tee -a "$out/results.tsv"
}

printf 'run\texit\tpeak_rss_kb\tmax_fds\twall\n' >"$out/results.tsv"
for n in ${SOAK_COUNTS:-10000 50000 100000}; do
	dirs=()
	for ((d = 0; d < n / 1000; d++)); do
		dirs+=("$out/in/$(printf 'd%03d' "$d")")
	done
	o=$out/out-$n
	rm -rf "$o"
	mkdir -p "$o"
	# outputs are written beside a short-lived temporary; count the finished ones
	run "convert-$n" "find '$o' -maxdepth 1 -name '*.vtt' | wc -l" \
		"$tandem" convert -q -j 2 -t vtt -d "$o" "${dirs[@]}"
	got=$(find "$o" -maxdepth 1 -name '*.vtt' | wc -l)
	[[ $got == "$n" ]] || { echo "soak: convert-$n wrote $got of $n files" >&2; exit 1; }
	run "check-$n" "wc -l <'$out/stdout-check-$n.txt'" "$tandem" check -q "$o"
	tail -1 "$out/stdout-check-$n.txt"
	[[ $n == "$total" ]] || rm -rf "$o"
done
