#!/usr/bin/env python3
"""Generate a large bilingual SRT from the podcast transcript seed.

usage: gen_srt.py SEED.txt OUT.srt SIZE_MB

Each transcript pair (English line, Chinese line) becomes one cue with both
lines; the pairs repeat, with timings that keep increasing, until the file
reaches SIZE_MB.  Durations follow the English length (about 15 characters
a second) so the file looks like real subtitles.  Deterministic.
"""
import sys


def main():
    seed, out, size_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    lines = open(seed, encoding="utf-8").read().split("\n")[4:]
    pairs = [(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2) if lines[i]]
    target = int(size_mb * 1024 * 1024)
    t = 0
    n = 0
    written = 0

    def ts(ms):
        return "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)

    with open(out, "w", encoding="utf-8", newline="\n") as fp:
        while written < target:
            for en, zh in pairs:
                n += 1
                dur = max(1000, min(7000, len(en) * 66))
                block = "%d\n%s --> %s\n%s\n%s\n\n" % (n, ts(t), ts(t + dur), en, zh)
                fp.write(block)
                written += len(block.encode("utf-8"))
                t += dur + 120
                if written >= target:
                    break
    print("%s: %d cues, %.1f MB" % (out, n, written / 1048576))


if __name__ == "__main__":
    main()
