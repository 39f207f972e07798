#!/usr/bin/python3
"""With audio: synthesised sentences (scripts/make-speech.py: espeak-ng, known
pauses, some of them none) given to tandem as a few long lines; `retime
--fit netflix` must put the fitted cue edges on the true sentence edges.
Each true sentence start is scored against the nearest cue start, each true
end against the nearest cue end (a sentence too long for one cue is cut
inside, at a comma or a word, where there is no true edge to score): median
<= 150 ms, 90th percentile <= 600 ms.  The reverse figure (each cue edge to
the nearest true edge, so mid-sentence cuts count) is printed too.

usage: speech_edges.py TANDEM SRC_DIR WORK_DIR [SEED]
"""
import re, subprocess, sys

tandem, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
seed = sys.argv[4] if len(sys.argv) > 4 else "21"
subprocess.run(["/usr/bin/python3", src + "/scripts/make-speech.py", "synth", "--lang", "en", "--count", "30",
                "--seed", seed, "--zero", "0.2", work], check=True, capture_output=True)
lines = open(work + "/text.txt", encoding="utf-8").read().split("\n")
lines = [l for l in lines if l.strip()]
groups = [" ".join(lines[k:k + 6]) for k in range(0, len(lines), 6)]
open(work + "/long.txt", "w", encoding="utf-8").write("\n".join(groups) + "\n")
subprocess.run([tandem, "retime", work + "/long.txt", "--audio", work + "/speech.wav", "--fit", "netflix",
                "-o", work + "/got.srt", "-q"], check=True)

def times(path):
    t = []
    for m in re.finditer(r"(\d+):(\d\d):(\d\d),(\d\d\d) --> (\d+):(\d\d):(\d\d),(\d\d\d)", open(path, encoding="utf-8").read()):
        g = [int(x) for x in m.groups()]
        t.append(((g[0] * 3600 + g[1] * 60 + g[2]) * 1000 + g[3], (g[4] * 3600 + g[5] * 60 + g[6]) * 1000 + g[7]))
    return t

truth, got = times(work + "/truth.srt"), times(work + "/got.srt")
starts, ends = [a for a, _ in truth], [b for _, b in truth]
gs, ge = [a for a, _ in got], [b for _, b in got]
err = sorted([min(abs(a - s) for a in gs) for s in starts] + [min(abs(b - e) for b in ge) for e in ends])
rev = sorted([min(abs(a - s) for s in starts) for a in gs] + [min(abs(b - e) for e in ends) for b in ge])
q = lambda v, f: v[min(len(v) - 1, int(f * len(v)))]
med, p90 = q(err, 0.5), q(err, 0.9)
print("%d sentences in %d long lines -> %d cues; true edges to cue edges: median %d ms, p90 %d ms; "
      "cue edges to true edges: median %d ms, p90 %d ms" % (len(truth), len(groups), len(got), med, p90,
                                                          q(rev, 0.5), q(rev, 0.9)))
ok = med <= 150 and p90 <= 600
print("%d passed, %d failed" % (1 if ok else 0, 0 if ok else 1))
sys.exit(0 if ok else 1)
