#!/usr/bin/env bash
# tandem's main job on the bundled podcast: install what is missing, build,
# then align a timed English track with a Chinese translation that came back
# with lines merged, split, dropped and added, into bilingual SRT, WebVTT and
# an annotated post; print the coverage; check the result; and convert the
# fixtures into every output format.  Outputs go to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
t=build/tandem
out=demo-out
rm -rf "$out"
mkdir -p "$out/converted"
en=fixtures/demo/podcast.en.srt
zh=fixtures/demo/podcast.zh.txt

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "The inputs"
$t info -q "$en" "$zh"
head -2 fixtures/demo/podcast.truth.txt

step "Align: tandem align $en $zh -o $out/podcast.bi.srt --report $out/coverage.json"
# Exit 1 means "some segments have no translation": expected here, since the
# translation dropped lines.  The summary on stderr names them.
set +e
$t align "$en" "$zh" -o "$out/podcast.bi.srt" --report "$out/coverage.json"
rc=$?
set -e
[[ $rc -le 1 ]] || { echo "align failed ($rc)" >&2; exit "$rc"; }
$t align -q "$en" "$zh" -o "$out/podcast.bi.vtt" --vtt-style || [[ $? -eq 1 ]]
$t align -q "$en" "$zh" -o "$out/podcast.post.md" -t post --timings || [[ $? -eq 1 ]]
step "Subtitle-sized cues: tandem align $en $zh --fit netflix -o $out/podcast.fit.srt"
$t align -q "$en" "$zh" --fit netflix -o "$out/podcast.fit.srt" || [[ $? -eq 1 ]]
$t align -q "$en" "$zh" --fit netflix -o "$out/podcast.fit.ass" || [[ $? -eq 1 ]]
/usr/bin/env python3 - "$out/coverage.json" fixtures/demo/podcast.truth.txt <<'PY' || true
import json, re, sys
r = json.load(open(sys.argv[1]))
dropped = {int(m.group(1)) - 1 for m in
           re.finditer(r"^segment (\d+): translation dropped", open(sys.argv[2]).read(), re.M)}
c = r["coverage"]
shapes = {}
for l in r["links"]:
    k = "%d-%d" % (len(l["source"]), len(l["translation"]))
    shapes[k] = shapes.get(k, 0) + 1
print("report: %d of %d source segments translated; untranslated %s; unused translation lines %s"
      % (c["translated"], c["source_segments"], c["untranslated"], c["unused_translation"]))
print("link shapes: " + ", ".join("%s ×%d" % kv for kv in sorted(shapes.items())))
found = dropped & set(c["untranslated"])
print("against the truth: %d of the %d dropped translations reported untranslated, %d false alarms"
      % (len(found), len(dropped), len(set(c["untranslated"]) - dropped)))
PY
echo
head -12 "$out/podcast.bi.srt"

step "Check the bilingual result: the dropped translations are errors"
$t check -q "$out/podcast.bi.srt" | tail -4 || true

step "Convert the fixtures into every output format"
formats=$($t --help | sed -n 's/^Formats: //p')
n=0
for f in $formats; do
  [[ $f == *"(read)" ]] && continue
  f=${f%(write)}
  $t convert -q "$out/podcast.bi.srt" -o "$out/converted/podcast.$f" -t "$f" && n=$((n + 1))
done
$t convert -q -j 2 -t vtt -d "$out/batch" fixtures/srt/*.srt fixtures/samples/cdown_srt/*.srt 2>&1 | tail -1 || true
$t convert -q fixtures/seeds/003_a154d282383bb464.txt -o "$out/podcast.transcript.post.md" -t post
$t convert -q fixtures/seeds/000_c84498d7aca169fa.txt -o "$out/post.json"

step "Summary"
(cd "$out" && find . -type f | sort | xargs ls -l | awk '{printf "  %-44s %8d bytes\n", substr($9, 3), $5}') | head -40
echo "Wrote $n formats from the aligned podcast and converted a batch; outputs in $out/."
