#!/usr/bin/env python3
"""Publication damage changes no analysis: every sample, and every corpus log
when ../shared is there, pasted as a numbered list ("  12. "), with wide
numbers ("1012."), in a table ("| ... |"), as bullets ("- ") and as a quote
("> "), gives the same `--json sessions` as the log itself (the input names
left out). TAP.

usage: run.py IKESCOPE   (run from the source root)
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

IKESCOPE = os.path.abspath(sys.argv[1])
INPUT = re.compile(rb'^\s*"inputs?": .*$', re.M)


def numbered(lines, base, width):
    out = []
    for i, l in enumerate(lines, 1):
        body = l.rstrip(b"\r")
        out.append(b"%*d.%s%s" % (width, base + i, b" " if body else b"", body))
    return out


STAMP = re.compile(rb"^\s*(?:<\d+>)?\*?(?:\d+: )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d+ (?:\d{4} )?\d\d:\d\d:\d\d(?:\.\d+)?")


def newest_first(lines):
    """A log pasted newest entry first: each stamped line with the lines after it, in reverse."""
    head, groups = [], []
    for l in lines:
        if STAMP.match(l):
            groups.append([l])
        elif groups:
            groups[-1].append(l)
        else:
            head.append(l)
    return head + [l for g in reversed(groups) for l in g]


def stamped(lines):
    """Logs with three times or more at line starts: only they can be put back in time order."""
    return len(set(m.group(0) for m in (STAMP.match(l) for l in lines) if m)) >= 3


DAMAGE = {
    "numbered": lambda ls: [b"  %d. %s" % (i, l) for i, l in enumerate(ls, 1)],
    "wide-numbers": lambda ls: numbered(ls, 1000, 5),
    "table": lambda ls: [b"| %s |" % l.rstrip(b"\r") for l in ls],
    "bullets": lambda ls: [b"- " + l for l in ls],
    "quoted": lambda ls: [b"> " + l for l in ls],
    "newest-first": newest_first,
}


def sessions(path):
    p = subprocess.run([IKESCOPE, "--json", "sessions", path], capture_output=True,
                       stdin=subprocess.DEVNULL, env={"LC_ALL": "C", "TZ": "UTC",
                                                      "PATH": "/usr/bin:/bin"})
    return p.returncode, INPUT.sub(b"", p.stdout)


def main():
    logs = sorted(glob.glob("samples/*/*.log") + glob.glob("samples/*/*.txt"))
    logs += sorted(glob.glob("../shared/corpus/*.log"))
    cases = []
    for l in logs:
        lines = open(l, "rb").read().split(b"\n")
        cases += [(l, d) for d in DAMAGE if d != "newest-first" or stamped(lines)]
    print("1..%d" % len(cases))
    failed = 0
    with tempfile.TemporaryDirectory(prefix="ikescope-damage-") as tmp:
        for n, (log, d) in enumerate(cases, 1):
            data = open(log, "rb").read()
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            lines = data.split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            copy = os.path.join(tmp, "%d.log" % n)
            open(copy, "wb").write(b"\n".join(DAMAGE[d](lines)) + b"\n")
            want, got = sessions(log), sessions(copy)
            if want == got:
                print("ok %d - %s %s" % (n, log, d))
                continue
            failed += 1
            a, b = want[1].splitlines(), got[1].splitlines()
            k = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            print("not ok %d - %s %s" % (n, log, d))
            print("# status %d / %d; first difference at output line %d:" % (want[0], got[0], k + 1))
            print("#  log:    %s" % (a[k][:200].decode("utf-8", "replace") if k < len(a) else "(end)"))
            print("#  pasted: %s" % (b[k][:200].decode("utf-8", "replace") if k < len(b) else "(end)"))
    if not os.path.isdir("../shared/corpus"):
        print("# ../shared/corpus is not there: the corpus logs were left out")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
