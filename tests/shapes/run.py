#!/usr/bin/env python3
"""Shapes change no answer: every sample, every corpus log (when ../shared is
there), the hex-word lines of this folder, and a copy of each where words are
made to look like hex numbers (host names such as beef1234, words such as
deadbeef1) give the same `lex --all --json` and `--json timeline` with the
shapes on (the default) and off (IKESCOPE_SHAPES=off). TAP.

usage: run.py IKESCOPE   (run from the source root)
"""
import glob
import os
import random
import re
import subprocess
import sys
import tempfile

IKESCOPE = os.path.abspath(sys.argv[1])
VIEWS = (["lex", "--all", "--json"], ["--json", "timeline"])
WORD = re.compile(rb"(?<![\w.])([A-Za-z][a-z]{2,})(?![\w])")
HEX = b"0123456789abcdef"
SEED = int(os.environ.get("SHAPES_SEED", "0"))  # another draw of the hex-looking words


def run(args, path, shapes):
    env = {"LC_ALL": "C", "TZ": "UTC", "PATH": "/usr/bin:/bin"}
    if not shapes:
        env["IKESCOPE_SHAPES"] = "off"
    p = subprocess.run([IKESCOPE] + args + [path], capture_output=True, env=env,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def hexlike(data, seed):
    """Some words of data turned into hex-looking words of 8 or more, a digit in each."""
    rnd = random.Random(seed)

    def one(m):
        if rnd.random() > 0.15:
            return m.group(1)
        n = rnd.choice((8, 9, 12, 16))
        w = bytes(rnd.choice(HEX) for _ in range(n - 1)) + bytes([rnd.choice(b"0123456789")])
        if rnd.random() < 0.5:
            w = bytes([rnd.choice(b"abcdef")]) + w[1:]
        if m.group(1)[:1].isupper():
            w = w.upper()
        return w
    return WORD.sub(one, data)


def main():
    inputs = sorted(glob.glob("samples/*/*.log") + glob.glob("samples/*/*.txt"))
    inputs += sorted(glob.glob("tests/shapes/*.log"))
    inputs += sorted(glob.glob("../shared/corpus/*.log") + glob.glob("../shared/corpus/*/*.log"))
    inputs += sorted(glob.glob("../shared/seed/*.txt"))
    cases = []
    with tempfile.TemporaryDirectory(prefix="ikescope-shapes-") as tmp:
        for i, path in enumerate(inputs):
            cases.append((path, path))
            copy = os.path.join(tmp, "%d-%s" % (i, os.path.basename(path)))
            with open(path, "rb") as f, open(copy, "wb") as g:
                g.write(hexlike(f.read(), i + SEED))
            cases.append((path + " (hex-looking words)", copy))
        print("1..%d" % len(cases))
        failed = 0
        for n, (name, path) in enumerate(cases, 1):
            problem = None
            for view in VIEWS:
                on, off = run(view, path, True), run(view, path, False)
                if on != off:
                    a, b = on[1].splitlines(), off[1].splitlines()
                    where = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]),
                                 min(len(a), len(b)))
                    problem = "%s: shapes on and off differ at output line %d:\n on: %s\noff: %s" % (
                        " ".join(view), where + 1,
                        a[where][:300].decode("utf-8", "replace") if where < len(a) else "(end)",
                        b[where][:300].decode("utf-8", "replace") if where < len(b) else "(end)")
                    if on[0] != off[0] or on[2] != off[2]:
                        problem += "\n(status %d/%d, stderr differs: %s)" % (
                            on[0], off[0], on[2] != off[2])
                    break
            if problem:
                failed += 1
                print("not ok %d - %s" % (n, name))
                for l in problem.splitlines():
                    print("# " + l)
            else:
                print("ok %d - %s" % (n, name))
        if not os.path.isdir("../shared/corpus"):
            print("# ../shared/corpus is not there: the corpus logs were left out")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
