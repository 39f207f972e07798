#!/usr/bin/env python3
"""Render test: fitted bilingual ASS drawn by libass (ffmpeg's subtitles filter,
1920x1080); for sampled cues, no lit pixel within the outer 1% of the frame.

usage: render.py FILE.ass [SAMPLES]
"""
import re, subprocess, sys

ass, samples = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 12
W, H = 1920, 1080
times = []
for m in re.finditer(r"^Dialogue: 0,(\d+):(\d\d):(\d\d)\.(\d\d),(\d+):(\d\d):(\d\d)\.(\d\d)", open(ass, encoding="utf-8").read(), re.M):
    a = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) + int(m[4]) / 100
    b = int(m[5]) * 3600 + int(m[6]) * 60 + int(m[7]) + int(m[8]) / 100
    times.append((a + b) / 2)
times = sorted(set(times))
pick = [times[int(k * (len(times) - 1) / max(1, samples - 1))] for k in range(samples)] if times else []
mx, my = W // 100, H // 100
bad = 0
for t in pick:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=%dx%d:r=1:d=1" % (W, H),
                          "-vf", "settb=AVTB,setpts=PTS+%.2f/TB,subtitles=%s" % (t, ass), "-frames:v", "1",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
    assert len(raw) == W * H, len(raw)
    lit_inner = any(raw[y * W + x] > 40 for y in range(0, H, 4) for x in range(0, W, 4))
    edge = 0
    for y in range(H):
        row = raw[y * W:(y + 1) * W]
        if y < my or y >= H - my:
            edge += sum(1 for v in row if v > 40)
        else:
            edge += sum(1 for v in row[:mx] if v > 40) + sum(1 for v in row[W - mx:] if v > 40)
    print("t=%.2f s: %s, %d lit pixels in the outer 1%%" % (t, "text drawn" if lit_inner else "nothing drawn", edge))
    if edge or not lit_inner:
        bad += 1
print("%d passed, %d failed" % (len(pick) - bad, bad))
sys.exit(1 if bad or not pick else 0)
