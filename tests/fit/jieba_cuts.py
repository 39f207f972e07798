#!/usr/bin/env python3
"""Share of Chinese cuts that fall inside a word, as jieba segments the text.

Reads the fitted WebVTT (its translation cues, in order), joins each run of
cues back into the input's text, and counts the piece boundaries that jieba
does not also put a word boundary at.  Fails when the share is 3% or more.
"""
import re, sys
import jieba

jieba.setLogLevel(60)
cues = re.findall(r"<lang\.translation [^>]*>(.*?)</lang>", open(sys.argv[1], encoding="utf-8").read(), re.S)
pieces = [re.sub(r"\s+", "", c) for c in cues]
text = "".join(pieces)
bounds, at = set(), 0
for w in jieba.cut(text, HMM=False):
    at += len(w)
    bounds.add(at)
cuts, at = [], 0
for p in pieces[:-1]:
    at += len(p)
    cuts.append(at)
inside = [c for c in cuts if c not in bounds]
share = len(inside) / max(1, len(cuts))
print("chinese cuts: %d, inside a jieba word: %d (%.2f%%)" % (len(cuts), len(inside), share * 100))
for c in inside[:10]:
    print("  ...%s|%s..." % (text[max(0, c - 6):c], text[c:c + 6]))
sys.exit(0 if share < 0.03 else 1)
