#!/usr/bin/env python3
"""Make the demo fixtures from the podcast transcript seed (deterministic).

  fixtures/demo/podcast.en.srt   the 566 English segments with timings
                                 (55 ms a character, 150 ms gaps: 82 minutes in all, as the seed claims)
  fixtures/demo/podcast.zh.txt   the Chinese side as plain lines, perturbed
                                 the way real translations come back: some
                                 lines merged, some split, a few dropped, a
                                 few stray lines added
  fixtures/demo/podcast.truth.txt  what was done, for the reader

usage: scripts/make-demo-fixtures.py   (run from the repository root)
"""
import random
import re

SEED = "fixtures/seeds/003_a154d282383bb464.txt"
rng = random.Random(20261123)
lines = open(SEED, encoding="utf-8").read().split("\n")[4:]
pairs = [(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2) if lines[i]]


def ts(ms):
    return "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)


t = 0
with open("fixtures/demo/podcast.en.srt", "w", encoding="utf-8", newline="\n") as fp:
    for n, (en, _) in enumerate(pairs, 1):
        dur = max(1200, len(en) * 55)
        fp.write("%d\n%s --> %s\n%s\n\n" % (n, ts(t), ts(t + dur), en))
        t += dur + 150

out, truth = [], []
i = 0
while i < len(pairs):
    zh = pairs[i][1]
    r = rng.random()
    if r < 0.04:
        truth.append("segment %d: translation dropped" % (i + 1))
    elif r < 0.12 and i + 1 < len(pairs):
        out.append(zh + pairs[i + 1][1])
        truth.append("segments %d-%d: translations merged into one line" % (i + 1, i + 2))
        i += 1
    elif r < 0.17 and re.search(r"[。，？！]", zh[:-1]):
        cuts = [m.end() for m in re.finditer(r"[。，？！]", zh[:-1])]
        c = cuts[len(cuts) // 2]
        out.extend([zh[:c], zh[c:]])
        truth.append("segment %d: translation split in two lines" % (i + 1))
    else:
        out.append(zh)
    if rng.random() < 0.02:
        out.append(rng.choice(["[音乐]", "（译者注：此处音频不清）", "[笑声]"]))
        truth.append("after segment %d: stray line added" % (i + 1))
    i += 1
with open("fixtures/demo/podcast.zh.txt", "w", encoding="utf-8", newline="\n") as fp:
    fp.write("\n".join(out) + "\n")
with open("fixtures/demo/podcast.truth.txt", "w", encoding="utf-8", newline="\n") as fp:
    fp.write("%d English segments; %d Chinese lines\n" % (len(pairs), len(out)))
    fp.write("\n".join(truth) + "\n")
print("%d English segments, %d Chinese lines, %d perturbations" % (len(pairs), len(out), len(truth)))
