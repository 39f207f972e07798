#!/usr/bin/env bash
# bench/retime/run.sh - accuracy and speed of `tandem retime` and `tandem sync`
# on speech synthesised here (scripts/make-speech.py: espeak-ng + sox), so
# every true boundary is known from sample counts.
#
#   bench/retime/run.sh [TANDEM] [WORKDIR]
#
# TANDEM defaults to build/tandem, WORKDIR to /tmp/tandem-bench-retime.
# Prints a Markdown report (bench/retime/RESULTS.md holds the last one).
#
#  retime   100 English and 100 Mandarin segments (20% joined with no pause,
#           the rest 0.3-1.5 s apart), clean and with white noise at 20 and
#           10 dB below the speech: median and 95th percentile boundary error.
#  sync     100 trials of offsets drawn from -60..60 s: recovered within 40 ms;
#           every PAL/NTSC ratio (sox speed) with an offset; 10 files with one
#           cut of 10-40 s fixed with --splits (share of cues within 200 ms).
#  speed    an 84-minute recording (820 segments, MP3 64 kb/s): wall time and
#           peak RSS of retime and of sync (GNU time), and of a 20-minute one
#           to show how memory grows.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
T=${1:-$root/build/tandem}
W=${2:-/tmp/tandem-bench-retime}
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
MS="$PY $root/scripts/make-speech.py"
mkdir -p "$W"
T=$(cd "$(dirname "$T")" && pwd)/$(basename "$T")

echo "# retime and sync benchmark"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo),"\
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');"\
     "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown);"\
     "$(date -u +%Y-%m-%d)."
echo
echo "## retime: boundary error (ms), 100 segments each"
echo
echo "| speech | noise | median | p95 | max |"
echo "| --- | --- | ---: | ---: | ---: |"
for lang in en zh; do
  seed=101; [[ $lang == zh ]] && seed=102
  d=$W/$lang
  [[ -f $d/speech.wav ]] || $MS synth --lang $lang --count 100 --seed $seed "$d"
  for snr in clean 20 10; do
    wav=$d/speech.wav
    if [[ $snr != clean ]]; then
      wav=$d/noisy$snr.wav
      [[ -f $wav ]] || $MS noise --snr "$snr" "$d/speech.wav" "$wav" 2>/dev/null
    fi
    "$T" retime "$d/text.txt" --audio "$wav" -o "$W/out.srt" -q
    line=$($MS score "$d/truth.srt" "$W/out.srt")
    read -r med p95 mx <<<"$(sed -E 's/.*median ([0-9]+) ms +p95 ([0-9]+) ms +max ([0-9]+) ms.*/\1 \2 \3/' <<<"$line")"
    name=English; [[ $lang == zh ]] && name=Mandarin
    noise=none; [[ $snr != clean ]] && noise="white, SNR $snr dB"
    echo "| $name | $noise | $med | $p95 | $mx |"
  done
done

echo
echo "## sync"
echo
d=$W/en
ok=0; n=0; worst=0
for k in $(seq 1 100); do
  off=$($PY -c "import random; r=random.Random($k); print('%.3f' % r.uniform(-60, 60))")
  $MS shift --by "$off" "$d/speech.wav" "$W/shift.wav"
  rm -f "$W/out.srt"
  got=$("$T" sync "$d/truth.srt" --audio "$W/shift.wav" -o "$W/out.srt" 2>&1 | sed -nE 's/^offset ([-+][0-9.]+) s.*/\1/p')
  err=$($PY -c "print(round(abs(float('${got:-9999}') - ($off)) * 1000))")
  n=$((n + 1))
  ((err <= 40)) && ok=$((ok + 1))
  ((err > worst)) && worst=$err
done
echo "- offsets drawn from -60..60 s: $ok of $n recovered within 40 ms (worst $worst ms)."
for pair in "1.0427083 23.976/25" "0.95904 25/23.976" "1.0416667 24/25" "0.96 25/24" \
            "1.001 1000/1001" "0.999001 1001/1000"; do
  read -r f name <<<"$pair"
  $MS speed --factor "$f" "$d/speech.wav" "$W/speed.wav" 2>/dev/null
  $MS shift --by -17.5 "$W/speed.wav" "$W/moved.wav"
  rm -f "$W/out.srt"
  out=$("$T" sync "$d/truth.srt" --audio "$W/moved.wav" -o "$W/out.srt" 2>&1 || true)
  got=$(sed -nE 's/.*ratio ([^ ,]+).*/\1/p' <<<"$out" | head -1)
  sc=$([[ -f $W/out.srt ]] && $MS score "$d/truth.srt" "$W/out.srt" --factor "$f" --shift -17.5 --within 40 --min-frac 0.99 || true)
  echo "- sox speed $f (expect ratio $name): found $got; $(sed -E 's/.*(within 40 ms [0-9.]+%).*/\1/' <<<"$sc") of boundaries."
done
tot=0
for k in $(seq 1 10); do
  read -r a b off <<<"$($PY -c "import random; r=random.Random(1000+$k); a=r.uniform(120, 400); print('%.2f %.2f %.2f' % (a, a + r.uniform(10, 40), r.uniform(-20, 20)))")"
  $MS cut --start "$a" --end "$b" "$d/speech.wav" "$W/cut.wav"
  $MS shift --by "$off" "$W/cut.wav" "$W/cutshift.wav"
  rm -f "$W/out.srt"
  "$T" sync "$d/truth.srt" --audio "$W/cutshift.wav" -o "$W/out.srt" --splits -q || true
  sc=$([[ -f $W/out.srt ]] && $MS score "$d/truth.srt" "$W/out.srt" --cut "$a" "$b" --shift "$off" --within 200 --min-frac 0.95 || true)
  pct=$(sed -nE 's/.*within 200 ms ([0-9.]+)%.*/\1/p' <<<"$sc")
  echo "- cut [$a, $b) s, offset $off s, --splits: ${pct:-0}% of boundaries within 200 ms."
done

echo
echo "## speed and memory"
echo
L=$W/long
if [[ ! -f $L/speech.mp3 ]]; then
  $MS synth --lang en --count 820 --seed 301 "$L"
  ffmpeg -loglevel error -y -i "$L/speech.wav" -ac 1 -b:a 64k "$L/speech.mp3"
  ffmpeg -loglevel error -y -i "$L/speech.wav" -t 1200 -ac 1 -b:a 64k "$L/speech20.mp3"
  head -200 "$L/text.txt" > "$L/text20.txt"
fi
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$L/speech.mp3")
echo "Recording: $(printf '%.1f' "$($PY -c "print($dur/60)")") minutes of speech, MP3 64 kb/s mono."
echo
echo "| job | wall time | CPU (user+sys) | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
measure() {
  local label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$W/time.txt" "$@" >/dev/null 2>&1 || true
  read -r secs usr sys kb <"$W/time.txt"
  echo "| $label | $secs s | $($PY -c "print('%.2f' % ($usr + $sys))") s | $((kb / 1024)) MiB |"
}
measure "retime, 84 min, 820 segments" "$T" retime "$L/text.txt" --audio "$L/speech.mp3" -o "$W/long.srt" -q
measure "retime, 20 min, 200 segments" "$T" retime "$L/text20.txt" --audio "$L/speech20.mp3" -o "$W/long20.srt" -q
measure "sync, 84 min, 820 cues" "$T" sync "$L/truth.srt" --audio "$L/speech.mp3" -o "$W/sync.srt" -q
measure "decode only (ffmpeg to null), 84 min" ffmpeg -loglevel error -i "$L/speech.mp3" -ac 1 -ar 16000 -f null -
sc=$($MS score "$L/truth.srt" "$W/long.srt")
echo
echo "84-minute retime accuracy: $sc."
