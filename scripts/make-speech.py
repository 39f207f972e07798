#!/usr/bin/python3
"""make-speech.py - ground truth for retime and sync, synthesised here.

Each segment's text is spoken by espeak-ng (-z drops its trailing pause;
Mandarin uses the cmn-latn-pinyin voice, which reads Han characters with
its Mandarin dictionary).  sox joins the segments with silences of known
length, some of them zero (segments that run into each other), so every
true boundary is known from sample counts: a segment starts at its first
sample above -54 dBFS and ends after its last one.

  make-speech.py synth --lang en|zh --count N --seed S [--zero F] DIR
      DIR/speech.wav  the joined speech (22050 Hz mono, 16 bit)
      DIR/text.txt    one segment per line (untimed, the `lines` format)
      DIR/truth.srt   the true times
  make-speech.py noise --snr DB IN OUT        white noise at DB below the speech
  make-speech.py shift --by SEC IN OUT        pad (SEC > 0) or trim (SEC < 0) the start
  make-speech.py speed --factor F IN OUT      sox speed F (times scale by 1/F)
  make-speech.py cut --start A --end B IN OUT remove [A, B) seconds
  make-speech.py score TRUTH.srt GOT.srt [--shift SEC] [--factor F]
        [--cut A B] [--median-max MS] [--p95-max MS] [--within MS --min-frac F]
      compares boundaries after applying the same transforms to the truth;
      prints the figures and exits 1 when a bound is missed.

Only the Python standard library is used; espeak-ng and sox must be on PATH.
"""
import argparse
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import wave

RATE = 22050
THRESH = 64  # about -54 dBFS

EN = {
    "subj": ["The old man", "My sister", "Our neighbour", "The teacher", "A young girl",
             "The doctor", "Everyone in the village", "The small dog", "His brother",
             "The manager", "A tired farmer", "The children"],
    "verb": ["walked to", "looked at", "talked about", "cleaned", "painted", "visited",
             "remembered", "forgot", "bought", "found", "carried", "described"],
    "obj": ["the red house", "a quiet garden", "the river bank", "an old bicycle",
            "the morning train", "the city library", "a box of apples", "the blue mountains",
            "the new kitchen", "a letter from home", "the broken window", "a warm coat"],
    "tail": ["yesterday", "before dinner", "in the rain", "after school", "with great care",
             "last summer", "every Sunday", "without a word", "at noon", "for a long time"],
}
ZH = {
    "subj": ["我的朋友", "老师", "那个孩子", "我们", "他的妈妈", "小王", "医生", "邻居",
             "这位先生", "学生们"],
    "verb": ["喜欢", "看见了", "买了", "打扫了", "想起了", "找到了", "参观了", "讨论了",
             "画了", "带来了"],
    "obj": ["一本新书", "那座大山", "公园里的花", "火车站", "一杯热茶", "学校的图书馆",
            "红色的房子", "很多苹果", "一封家信", "旧自行车"],
    "tail": ["昨天下午", "在雨中", "每个星期天", "吃饭以前", "很长时间", "非常认真地",
             "去年夏天", "一句话也没说"],
}


def sentence(rng, lang):
    w = EN if lang == "en" else ZH
    s, v, o, t = (rng.choice(w[k]) for k in ("subj", "verb", "obj", "tail"))
    if lang == "en":
        text = f"{s} {v} {o} {t}"
        if rng.random() < 0.3:
            text += f", and then {rng.choice(w['verb'])} {rng.choice(w['obj'])}"
        return text + "."
    text = f"{s}{t}{v}{o}"
    if rng.random() < 0.3:
        text += f"，然后{rng.choice(w['verb'])}{rng.choice(w['obj'])}"
    return text + "。"


def segment_text(rng, lang):
    n = rng.choice([1, 1, 1, 2, 2, 3])
    sep = " " if lang == "en" else ""
    return sep.join(sentence(rng, lang) for _ in range(n))


def read_wav(path):
    with wave.open(path) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, path
        n = w.getnframes()
        return w.getframerate(), struct.unpack("<%dh" % n, w.readframes(n))


def extent(samples):
    first = next((i for i, x in enumerate(samples) if abs(x) > THRESH), 0)
    last = next((i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > THRESH),
                len(samples) - 1)
    return first, last + 1


def srt_time(ms):
    ms = int(round(ms))
    return "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)


def write_srt(path, cues):
    with open(path, "w", encoding="utf-8") as f:
        for i, (s, e, text) in enumerate(cues, 1):
            f.write(f"{i}\n{srt_time(s)} --> {srt_time(e)}\n{text}\n\n")


def parse_time(s):
    h, m, rest = s.strip().replace(".", ",").split(":")
    sec, ms = rest.split(",")
    return ((int(h) * 60 + int(m)) * 60 + int(sec)) * 1000 + int(ms)


def read_srt(path):
    text = open(path, encoding="utf-8-sig").read().replace("\r\n", "\n")
    cues = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        for k, line in enumerate(lines):
            if "-->" in line:
                a, b = line.split("-->")
                cues.append((parse_time(a), parse_time(b.split()[0]), "\n".join(lines[k + 1:])))
                break
    return cues


def run(cmd):
    subprocess.run(cmd, check=True)


def synth(args):
    rng = random.Random(args.seed)
    voice = "en" if args.lang == "en" else "cmn-latn-pinyin"
    os.makedirs(args.dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="speech-", dir=args.dir)
    parts, cues, texts = [], [], []
    pos = 0
    for i in range(args.count):
        text = segment_text(rng, args.lang)
        seg = os.path.join(tmp, f"s{i:04d}.wav")
        run(["espeak-ng", "-z", "-v", voice, "-w", seg, text])
        rate, x = read_wav(seg)
        assert rate == RATE, rate
        a, b = extent(x)
        if i:
            gap = 0 if rng.random() < args.zero else rng.randint(300, 1500)
            n = gap * RATE // 1000
            if n:
                sil = os.path.join(tmp, f"p{i:04d}.wav")
                run(["sox", "-D", "-r", str(RATE), "-c", "1", "-n", "-r", str(RATE), "-c",
                     "1", "-b", "16", sil, "trim", "0", f"{n}s"])
                parts.append(sil)
                pos += n
        parts.append(seg)
        cues.append(((pos + a) * 1000 / RATE, (pos + b) * 1000 / RATE, text))
        texts.append(text)
        pos += len(x)
    out = os.path.join(args.dir, "speech.wav")
    if len(parts) == 1:
        run(["sox", parts[0], out])
    else:
        run(["sox", "-D"] + parts + [out])
    with wave.open(out) as w:
        assert w.getnframes() == pos, (w.getnframes(), pos)
    for p in parts:
        os.unlink(p)
    os.rmdir(tmp)
    with open(os.path.join(args.dir, "text.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
    write_srt(os.path.join(args.dir, "truth.srt"), cues)


def speech_rms(path):
    _, x = read_wav(path)
    act = [v for v in x if abs(v) > THRESH]
    return (sum(v * v for v in act) / max(1, len(act))) ** 0.5 / 32768


def noise(args):
    rms = speech_rms(args.input)
    amp = rms / 10 ** (args.snr / 20)
    with wave.open(args.input) as w:
        dur = w.getnframes() / w.getframerate()
        rate = w.getframerate()
    tmp = args.output + ".noise.wav"
    # sox's whitenoise at vol 1 has an RMS of about 0.577 (uniform in -1..1).
    run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", tmp, "synth", "%.3f" % dur,
         "whitenoise", "vol", "%.6f" % (amp / 0.577)])
    run(["sox", "-m", "-v", "1", args.input, "-v", "1", tmp, args.output])
    os.unlink(tmp)


def shift(args):
    if args.by >= 0:
        run(["sox", args.input, args.output, "pad", "%.4f" % args.by])
    else:
        run(["sox", args.input, args.output, "trim", "%.4f" % -args.by])


def speed(args):
    run(["sox", args.input, args.output, "speed", repr(args.factor)])


def cut(args):
    run(["sox", args.input, args.output, "trim", "0", "=%.4f" % args.start, "=%.4f" % args.end])


def transform(t, a):
    """Where a time of the original recording lands after the transforms."""
    if a.cut:
        ca, cb = a.cut[0] * 1000, a.cut[1] * 1000
        if ca <= t < cb:
            return None
        if t >= cb:
            t -= cb - ca
    if a.factor:
        t /= a.factor
    if a.shift:
        t += a.shift * 1000
    return t


def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return 0
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def score(args):
    truth = read_srt(args.truth)
    if args.got.endswith(".json"):
        got = [(s["start"], s["end"], "") for s in json.load(open(args.got))["segments"]]
    else:
        got = read_srt(args.got)
    if len(truth) != len(got):
        print(f"score: {len(got)} cues, want {len(truth)}")
        return 1
    errs = []
    for (ts, te, _), (gs, ge, _) in zip(truth, got):
        s, e = transform(ts, args), transform(te, args)
        if s is None or e is None or s < 0:
            continue
        errs += [abs(gs - s), abs(ge - e)]
    med, p95 = percentile(errs, 0.5), percentile(errs, 0.95)
    line = f"boundaries {len(errs)}  median {med:.0f} ms  p95 {p95:.0f} ms  max {max(errs):.0f} ms"
    bad = False
    if args.within is not None:
        frac = sum(1 for x in errs if x <= args.within) / len(errs)
        line += f"  within {args.within:.0f} ms {100 * frac:.1f}%"
        bad |= frac < args.min_frac
    print(line)
    if args.median_max is not None and med > args.median_max:
        bad = True
    if args.p95_max is not None and p95 > args.p95_max:
        bad = True
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sp = p.add_subparsers(dest="cmd", required=True)
    s = sp.add_parser("synth")
    s.add_argument("--lang", choices=["en", "zh"], default="en")
    s.add_argument("--count", type=int, default=20)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--zero", type=float, default=0.2, help="share of joins with no pause")
    s.add_argument("dir")
    for name, fn in (("noise", noise), ("shift", shift), ("speed", speed), ("cut", cut)):
        q = sp.add_parser(name)
        if name == "noise":
            q.add_argument("--snr", type=float, required=True)
        if name == "shift":
            q.add_argument("--by", type=float, required=True)
        if name == "speed":
            q.add_argument("--factor", type=float, required=True)
        if name == "cut":
            q.add_argument("--start", type=float, required=True)
            q.add_argument("--end", type=float, required=True)
        q.add_argument("input")
        q.add_argument("output")
        q.set_defaults(fn=fn)
    sc = sp.add_parser("score")
    sc.add_argument("truth")
    sc.add_argument("got")
    sc.add_argument("--shift", type=float, default=0)
    sc.add_argument("--factor", type=float, default=0)
    sc.add_argument("--cut", type=float, nargs=2)
    sc.add_argument("--median-max", type=float)
    sc.add_argument("--p95-max", type=float)
    sc.add_argument("--within", type=float)
    sc.add_argument("--min-frac", type=float, default=0.99)
    a = p.parse_args()
    if a.cmd == "synth":
        synth(a)
    elif a.cmd == "score":
        sys.exit(score(a))
    else:
        a.fn(a)


if __name__ == "__main__":
    main()
