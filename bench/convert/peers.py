#!/usr/bin/env python3
"""The peers a user would otherwise run for SRT -> WebVTT, as Debian packages them.

usage: peers.py srt|webvtt IN.srt OUT.vtt
  srt     Python's srt: parse every cue and compose them back (it has no
          WebVTT writer, so this is the parse + compose cost of the same job)
  webvtt  webvtt-py: webvtt.from_srt(IN).save(OUT)
"""
import sys

which, src, dst = sys.argv[1:4]
if which == "srt":
    import srt
    with open(src, encoding="utf-8") as fp:
        subs = list(srt.parse(fp.read()))
    with open(dst, "w", encoding="utf-8") as fp:
        fp.write(srt.compose(subs))
elif which == "webvtt":
    import webvtt
    webvtt.from_srt(src).save(dst)
else:
    sys.exit("unknown peer " + which)
