#!/usr/bin/env python3
"""gen.py - the soak test's inputs: N small bilingual SRT files.

    gen.py DIR N

Writes DIR/dNNN/fNNNNNN.srt, a thousand files a folder, every name unique
(so a batch over several folders maps no two inputs to one output).  Each
file has 3 to 12 cues, an English line over a Chinese one, timed with
sane gaps and reading speeds; the content is deterministic (a fixed seed),
so a run reproduces exactly.
"""
import os
import random
import sys

EN = ("the tide was low when we reached the harbour",
      "nobody had told us the ferry would not run",
      "she kept the letter in her coat for a week",
      "we walked back along the old railway line",
      "it was the first warm evening of the year",
      "he said the bridge had been closed since May",
      "there is a café by the station that stays open late",
      "I remember the smell of the rain on the stones")
ZH = ("我们到港口时正是退潮", "没人告诉我们渡轮停了", "她把信在大衣里放了一周",
      "我们沿着旧铁路走回去", "那是今年第一个温暖的夜晚", "他说那座桥五月起就封了",
      "车站旁边有家咖啡馆开到很晚", "我记得雨落在石头上的气味")


def stamp(ms):
    h, ms = divmod(ms, 3600000)
    m, ms = divmod(ms, 60000)
    s, ms = divmod(ms, 1000)
    return "%02d:%02d:%02d,%03d" % (h, m, s, ms)


def one(rng):
    out, t = [], rng.randrange(0, 5000)
    for i in range(rng.randrange(3, 13)):
        k = rng.randrange(len(EN))
        dur = 1800 + 45 * len(EN[k]) + rng.randrange(400)
        out.append("%d\n%s --> %s\n%s\n%s\n" % (i + 1, stamp(t), stamp(t + dur), EN[k], ZH[k]))
        t += dur + 200 + rng.randrange(1500)
    return "\n".join(out)


def main():
    top, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(16)
    for i in range(n):
        d = os.path.join(top, "d%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f%06d.srt" % i), "w", encoding="utf-8") as f:
            f.write(one(rng))


if __name__ == "__main__":
    main()
