#!/usr/bin/python3
"""wpt-compare.py - WPT WebVTT cue counts: tandem next to ffmpeg and webvtt-py.

For each test in tests/conformance/wpt-webvtt/expected.json that asserts a
cue count (47 of 49), count the cues each tool finds and say how many tools
get right.  A tool that rejects the file counts 0 cues, which is right for
the 8 invalid-signature files.

  tandem:     `tandem info FILE` ("segments: N"; an error counts 0)
  ffmpeg:     `ffprobe -show_packets FILE` (one packet per cue)
  webvtt-py:  len(webvtt.read(FILE).captions) (Debian python3-webvtt;
              run with /usr/bin/python3, which has it)

Usage: scripts/wpt-compare.py [path/to/tandem]   (default build/tandem)
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "conformance", "wpt-webvtt")


def count_tandem(tandem, path):
    p = subprocess.run([tandem, "info", path], capture_output=True, text=True)
    m = re.search(r"segments:\s+(\d+)", p.stdout)
    return int(m.group(1)) if p.returncode == 0 and m else 0


def count_ffmpeg(path):
    p = subprocess.run(["ffprobe", "-v", "error", "-show_packets", "-of", "csv", path],
                       capture_output=True, text=True, errors="replace")
    if p.returncode != 0:
        return 0
    return sum(1 for line in p.stdout.splitlines() if line.startswith("packet,"))


def count_webvtt_py(path):
    try:
        import webvtt
        return len(webvtt.read(path).captions)
    except Exception:
        return 0


def main():
    tandem = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "tandem")
    with open(os.path.join(CORPUS, "expected.json"), encoding="utf-8") as f:
        tests = json.load(f)["tests"]
    tools = ["tandem", "ffmpeg", "webvtt-py"]
    right = dict.fromkeys(tools, 0)
    n = 0
    print("%-28s %6s %6s %6s %9s" % ("test", "want", "tandem", "ffmpeg", "webvtt-py"))
    for t in tests:
        want = t.get("expected_cue_count")
        if want is None:
            continue
        n += 1
        path = os.path.join(CORPUS, t["file"])
        got = {"tandem": count_tandem(tandem, path), "ffmpeg": count_ffmpeg(path),
               "webvtt-py": count_webvtt_py(path)}
        for k in tools:
            right[k] += got[k] == want
        print("%-28s %6d %6d %6d %9d" % (t["name"], want, got["tandem"], got["ffmpeg"],
                                         got["webvtt-py"]))
    print()
    for k in tools:
        print("%-10s %2d of %d WPT cue-count checks right" % (k, right[k], n))


if __name__ == "__main__":
    main()
