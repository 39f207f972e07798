#!/usr/bin/env python3
"""layout-check.py - the limits the library's layout keeps (docs/layout.md).

  scripts/layout-check.py [--objects BUILD_DIR]

Checks, over the library's parts (core formats media align check timing fit)
and the CLI:
  - no library source file over 1,200 lines;
  - no function over 150 lines (a function: a line at column 0 that opens a
    definition, to its closing brace at column 0);
  - no private header is included by the CLI (cli/ sees include/ only);
  - with --objects: no circle of calls between files of two parts (from the
    symbols each object file defines and uses, as nm lists them).
Prints each breach and exits 1 if there is one.
"""
import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTS = ["core", "formats", "media", "align", "check", "timing", "fit"]
MAX_FILE = 1200
MAX_FUNC = 150

breaches = []


def sources(dirs, exts=(".c",)):
    for d in dirs:
        p = os.path.join(ROOT, d)
        if not os.path.isdir(p):
            continue
        for f in sorted(os.listdir(p)):
            if f.endswith(exts):
                yield os.path.join(d, f)


def functions(path):
    """(name, first line, length) of each function: the house style opens a
    function body with a "{" alone at column 0 and closes it with "}"."""
    lines = open(os.path.join(ROOT, path), encoding="utf-8").read().split("\n")
    out = []
    start = None
    name = None
    for i, line in enumerate(lines):
        if start is None and line == "{":
            k = i - 1  # back to the signature's first line
            while k > 0 and lines[k - 1].strip() and not lines[k - 1].rstrip().endswith((";", "}", "*/")) \
                    and not lines[k - 1].startswith("#"):
                k -= 1
            names = re.findall(r"(\w+)\s*\(", " ".join(lines[k:i]))
            name, start = (names[0] if names else "?"), k
        elif start is not None and line == "}":
            out.append((name, start + 1, i - start + 1))
            start = None
    return out


def check_sizes():
    for f in sources(PARTS, (".c", ".h")):
        n = open(os.path.join(ROOT, f), encoding="utf-8").read().count("\n")
        if n > MAX_FILE and f.endswith(".c"):
            breaches.append(f"{f}: {n} lines (limit {MAX_FILE})")
    for f in sources(PARTS + ["cli"]):
        for name, line, length in functions(f):
            if length > MAX_FUNC:
                breaches.append(f"{f}:{line}: {name}() is {length} lines (limit {MAX_FUNC})")


def check_cli_includes():
    private = set()
    for f in sources(PARTS, (".h",)):
        private.add(os.path.basename(f))
    for f in sources(["cli"], (".c", ".h")):
        for no, line in enumerate(open(os.path.join(ROOT, f), encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and os.path.basename(m.group(1)) in private:
                breaches.append(f"{f}:{no}: the CLI includes the private header {m.group(1)}")


def check_circles(build):
    objdir = os.path.join(build, "CMakeFiles", "tandem_obj.dir")
    defined, used = {}, collections.defaultdict(set)
    for part in PARTS:
        d = os.path.join(objdir, part)
        if not os.path.isdir(d):
            continue
        for o in sorted(os.listdir(d)):
            if not o.endswith(".o"):
                continue
            unit = f"{part}/{o[:-2]}"
            out = subprocess.run(["nm", os.path.join(d, o)], capture_output=True, text=True).stdout
            for line in out.splitlines():
                f = line.split()
                if len(f) == 3 and f[1] in "TDBR":
                    defined[f[2]] = unit
                elif len(f) == 2 and f[0] == "U":
                    used[unit].add(f[1])
    edges = collections.defaultdict(set)
    for unit, syms in used.items():
        for s in syms:
            if s in defined and defined[s] != unit:
                edges[unit].add(defined[s])
    # a cycle through files of two or more parts
    index, low, stack, onstack, sccs = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        onstack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in onstack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                onstack.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            strong(v)
    for comp in sccs:
        if len({c.split("/")[0] for c in comp}) > 1:
            breaches.append("a circle of calls across parts: " + " <-> ".join(sorted(comp)))


def main():
    args = sys.argv[1:]
    check_sizes()
    check_cli_includes()
    if args[:1] == ["--objects"] and len(args) > 1:
        check_circles(args[1])
    for b in breaches:
        print(b)
    if breaches:
        print(f"layout-check: {len(breaches)} breach(es)")
        return 1
    print("layout-check: the layout keeps its limits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
