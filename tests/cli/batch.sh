#!/usr/bin/env bash
# Corpus-scale batches (cli/batch.c, docs/batch.md): --files-from (lines, -0,
# INPUT<TAB>MEDIA pairs), --jsonl (parsed with python3), --shard K/N (disjoint,
# union the whole list), --resume (skips what is up to date, redoes what is
# not), and the GNU parallel recipe of docs/batch.md.
. "$(dirname "$0")/lib.sh"
F=$TANDEM_SOURCE_DIR/fixtures
cd "$WORK"

# A small corpus: 30 SRT files in nested folders, one with a space in its name.
mkdir -p corpus/a/b corpus/c
srts=$(find "$F/check" "$F/bilingual" -name '*.srt' -size -40k | sort | head -6)
i=0
for k in 1 2 3 4 5; do
  for s in $srts; do
    i=$((i + 1))
    case $((i % 3)) in 0) d=corpus/a/b ;; 1) d=corpus/c ;; *) d=corpus ;; esac
    cp "$s" "$d/f$i.srt"
  done
done
mv corpus/c/f1.srt "corpus/c/f 1.srt"
find corpus -name '*.srt' | sort > list
n=$(wc -l < list)
[[ $n -ge 20 ]] && ok || bad "corpus: only $n files"

# jsonl_check FILE N STATUS: N objects, each with every field, all of STATUS.
jsonl_check() {
  python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = {"input", "media", "output", "status", "exit", "format", "encoding",
        "segments", "findings"}
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])
for r in rows:
    assert keys <= set(r), r
    assert r["status"] == sys.argv[3], r
    assert set(r["findings"]) == {"error", "warning", "info"}, r
' "$@" && ok || bad "jsonl $1: not $2 rows of status $3"
}

# --- convert --files-from, outputs under -d with their relative paths ---
run "$TANDEM" convert -t vtt -d out1 --files-from list --jsonl j1 --jsonl-no-time -q
expect_rc 0 "convert --files-from"
jsonl_check j1 "$n" ok
while read -r p; do
  expect_file "out1/${p%.srt}.vtt" "relative output of $p"
done < list
expect_file "out1/corpus/c/f 1.vtt" "a name with a space"
python3 -c '
import json, sys
rows = [json.loads(l) for l in open("j1")]
assert [r["input"] for r in rows] == open("list").read().split("\n")[:-1]
for r in rows:
    assert r["output"] == "out1/" + r["input"][:-4] + ".vtt", r
    assert r["format"] == "srt" and r["segments"] > 0 and r["exit"] == 0, r
    assert "ms" not in r, r
' && ok || bad "convert jsonl: inputs in list order, outputs, formats, counts"
# A file's record agrees with tandem info.
first=$(head -1 list)
segs=$("$TANDEM" info --json "$first" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["segments"])')
python3 -c "import json; r=json.loads(open('j1').readline()); assert r['segments']==$segs, r" \
  && ok || bad "segments as info counts them ($segs)"
run "$TANDEM" convert -t vtt -d out1t --files-from list --jsonl - -q
python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert len(rows) == '"$n"' and all(isinstance(r["ms"], int) and r["ms"] >= 0 for r in rows)
' <<< "$out" && ok || bad "--jsonl -: on stdout, with ms"

# Deterministic: -j 2 gives the same outputs and, sorted, the same lines.
run "$TANDEM" convert -t vtt -d out2 -j 2 --files-from - --jsonl j2 --jsonl-no-time -q < list
expect_rc 0 "convert -j 2 from stdin"
sed 's/"output":"out2\//"output":"out1\//' j2 | sort > j2s
sort j1 > j1s
expect_same j1s j2s "jsonl of -j 2 is -j 1's, line for line"
diff -r -x .tandem-manifest out1 out2 > /dev/null && ok || bad "-j 2 outputs differ from -j 1's"

# --- -0: NUL-separated, a newline in a name ---
cp "$(head -1 list)" $'corpus/new\nline.srt'
find corpus -name '*.srt' -print0 | sort -z > list0
run "$TANDEM" convert -t vtt -d out0 -0 --files-from list0 --jsonl j0 --jsonl-no-time -q
expect_rc 0 "convert -0"
jsonl_check j0 $((n + 1)) ok
expect_file $'out0/corpus/new\nline.vtt' "-0: a newline in a name"
rm $'corpus/new\nline.srt'

# --- --shard K/N: disjoint, their union the whole list ---
for k in 1 2 3; do
  run "$TANDEM" info --files-from list --shard "$k/3" --jsonl "s$k" --jsonl-no-time -q
  expect_rc 0 "info --shard $k/3"
done
python3 -c '
import json
shards = [[json.loads(l)["input"] for l in open("s%d" % k)] for k in (1, 2, 3)]
every = open("list").read().split("\n")[:-1]
sets = [set(s) for s in shards]
assert all(s for s in sets), "an empty shard"
assert sum(len(s) for s in shards) == len(every), "shards overlap"
assert set().union(*sets) == set(every), "shards miss inputs"
for s in shards:
    assert s == [p for p in every if p in set(s)], "shard out of list order"
' && ok || bad "shards disjoint, union the list"
for k in 1 2 3; do
  run "$TANDEM" convert -t vtt -d outs --files-from list --shard "$k/3" -q
done
diff -r -x .tandem-manifest out1 outs > /dev/null && ok || bad "convert shards together are the whole batch"
run "$TANDEM" check --files-from list --shard 2/3 --jsonl - --jsonl-no-time -q
[[ $(printf '%s\n' "$out" | wc -l) -eq $(wc -l < s2) ]] && ok || bad "check --shard 2/3: as many as info's"
for bad_shard in 0/3 4/3 3 x/2 1/0; do
  run "$TANDEM" info --files-from list --shard "$bad_shard"; expect_rc 2 "--shard $bad_shard"
done

# --- --resume ---
run "$TANDEM" convert -t vtt -d out1 --files-from list --resume --jsonl jr --jsonl-no-time -q
expect_rc 0 "resume of a finished run"
jsonl_check jr "$n" skipped
expect_file out1/.tandem-manifest "the manifest"
touch -d '2000-01-01' out1/corpus/f2.vtt  # an output older than its input
sleep 1; touch corpus/a/b/f3.srt          # an input changed since
rm "out1/corpus/c/f 1.vtt"                # an output missing
run "$TANDEM" convert -t vtt -d out1 --files-from list --resume --jsonl jr2 --jsonl-no-time -q
python3 -c '
import json
st = {json.loads(l)["input"]: json.loads(l)["status"] for l in open("jr2")}
redo = {"corpus/f2.srt", "corpus/a/b/f3.srt", "corpus/c/f 1.srt"}
assert {p for p, s in st.items() if s == "ok"} == redo, st
assert all(s == "skipped" for p, s in st.items() if p not in redo), st
' && ok || bad "resume redoes exactly the stale, changed and missing outputs"
expect_file "out1/corpus/c/f 1.vtt" "resume wrote the missing output"
run "$TANDEM" convert -t vtt -d out1 --crlf --files-from list --resume --jsonl jr3 --jsonl-no-time -q
jsonl_check jr3 "$n" ok
grep -q $'\r' out1/corpus/f2.vtt && ok || bad "other options: outputs written again"
# An interrupted batch: one shard done, then the whole list resumed.
run "$TANDEM" convert -t vtt -d outi --files-from list --shard 1/2 -q
run "$TANDEM" info --files-from list --shard 1/2 --jsonl h1 -q
run "$TANDEM" convert -t vtt -d outi --files-from list --resume --jsonl ji --jsonl-no-time -q
python3 -c '
import json
rows = [json.loads(l) for l in open("ji")]
shard1 = {json.loads(l)["input"] for l in open("h1")}
assert {r["input"] for r in rows if r["status"] == "skipped"} == shard1, rows
assert all(r["status"] == "ok" for r in rows if r["input"] not in shard1), rows
' && ok || bad "resume after shard 1/2 skips exactly that shard"
diff -r -x .tandem-manifest out2 outi > /dev/null && ok || bad "resumed batch complete and the same"
expect_no_temps outi "no temporary files after resume"
run "$TANDEM" check --files-from list --resume; expect_rc 2 "check --resume: no outputs"
expect_err "--resume needs an output directory" "says why"

# --- pairs: INPUT<TAB>MEDIA for retime and sync ---
mkdir -p tx
cp "$F/seeds/000_c84498d7aca169fa.txt" tx/a.txt
cp "$F/seeds/001_cc0133aad5618f96.txt" tx/b.txt
printf 'tx/a.txt\tnone/a.wav\ntx/b.txt\n' > pairs
run "$TANDEM" retime -t srt -d rt --files-from pairs --jsonl jp --jsonl-no-time -q
expect_rc 1 "retime pairs: some failed"
python3 -c '
import json
a, b = [json.loads(l) for l in open("jp")]
assert a["input"] == "tx/a.txt" and a["media"] == "none/a.wav", a
assert a["status"] == "failed" and a["exit"] == 2 and a["findings"]["error"] >= 1, a
assert b["media"] is None and b["status"] == "failed", b
assert a["output"] == "rt/tx/a.srt"
' && ok || bad "retime pairs: media from the second column, failures recorded"
expect_no_file rt/tx/a.srt "no output for a failed pair"
run "$TANDEM" retime -t srt -d rte --estimate --files-from pairs --jsonl jpe --jsonl-no-time -q
expect_rc 0 "retime --estimate over the list"
jsonl_check jpe 2 ok
expect_file rte/tx/b.srt "retime batch output"
run "$TANDEM" retime -t srt -d rte --estimate --files-from pairs --resume --jsonl jpr --jsonl-no-time -q
jsonl_check jpr 2 skipped
run "$TANDEM" sync -t srt -d sy --files-from pairs --jsonl js --jsonl-no-time -q
expect_rc 1 "sync pairs: failed"
python3 -c '
import json
rows = [json.loads(l) for l in open("js")]
assert [r["status"] for r in rows] == ["failed", "failed"], rows
' && ok || bad "sync pairs recorded"
printf 'tx/a.txt\n\tx.wav\n' > badpairs
run "$TANDEM" retime -t srt -d rtb --estimate --files-from badpairs
expect_rc 2 "a line with no input"; expect_err "badpairs:2:" "positioned at the line"
run "$TANDEM" retime --estimate --files-from pairs -o x.srt; expect_rc 2 "retime --files-from needs -d"
run "$TANDEM" convert -t vtt --files-from list; expect_rc 2 "convert --files-from needs -d"
run "$TANDEM" convert -t vtt -d o --files-from nosuch.list; expect_rc 2 "missing list"
expect_err "nosuch.list" "names the list"

# --- the recipe of docs/batch.md: GNU parallel, 4 processes of 8 ---
if command -v parallel > /dev/null; then
  find corpus -name '*.srt' | sort |
    parallel --pipe -N 8 -j 2 "$TANDEM" convert -t vtt -d outp --files-from - \
      --jsonl - --jsonl-no-time -q > jpar 2> perr && rc=0 || rc=$?
  err=$(cat perr)
  expect_rc 0 "parallel --pipe recipe"
  jsonl_check jpar "$n" ok
  sed 's/"output":"outp\//"output":"out1\//' jpar | sort > jpars
  expect_same j1s jpars "parallel's lines are one process's, sorted"
  diff -r -x .tandem-manifest out2 outp > /dev/null && ok || bad "parallel outputs differ"
else
  bad "GNU parallel missing (scripts/install-deps.sh --test installs it)"
fi

finish
