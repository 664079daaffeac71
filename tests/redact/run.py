#!/usr/bin/env python3
"""ikescope redact on every sample and corpus log, as TAP. For each log:
(a) no original secret, user name or address survives in the redacted copy;
(b) `sessions --json` of the copy equals the original's once the map
    (original -> pseudonym, written by --map) is applied to it.

usage: run.py IKESCOPE CORPUS_DIR   (run from the source root)
"""
import difflib
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

IKESCOPE = os.path.abspath(sys.argv[1])
CORPUS = sys.argv[2]
ENV = {"LC_ALL": "C", "TZ": "UTC", "PATH": "/usr/bin:/bin"}
V4 = re.compile(r"(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w]|\.\d)")
NAME_CHAR = r"[A-Za-z0-9_\x80-\U0010ffff]"


def run(*args):
    p = subprocess.run([IKESCOPE] + list(args), capture_output=True, env=ENV)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def kept_v4(parts):
    a = 0
    for p in parts:
        a = a << 8 | int(p)
    inv = ~a & 0xFFFFFFFF
    return (inv & (inv + 1)) & 0xFFFFFFFF == 0 or (a & (a + 1)) & 0xFFFFFFFF == 0


def addresses(text):
    out = set()
    for m in V4.finditer(text):
        parts = m.groups()
        if all(int(p) <= 255 for p in parts) and not kept_v4(parts):
            out.add(m.group(0))
    return out


def secrets(path):
    """What --show-secrets shows where the default output masks."""
    _, shown, _ = run("--show-secrets", "lex", "--all", "--json", path)
    _, masked, _ = run("lex", "--all", "--json", path)
    found = set()
    for a, b in zip(shown.splitlines(), masked.splitlines()):
        if a == b:
            continue
        ta, tb = json.loads(a).get("text", ""), json.loads(b).get("text", "")
        sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op != "equal" and "*" in tb[j1:j2] and len(ta[i1:i2].strip()) >= 3:
                found.add(ta[i1:i2].strip())
    return found


def users(doc):
    found = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in ("user", "username") and isinstance(v, str) and v:
                    found.add(v)
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(doc)
    return found


def word(text, w):
    return re.search(r"(?<!%s)%s(?!%s)" % (NAME_CHAR, re.escape(w), NAME_CHAR), text,
                     re.IGNORECASE) is not None


def apply_map(text, mapping):
    nets = {}
    names = []
    for line in mapping.splitlines():
        kind, orig, pseudo = line.split("\t")
        if kind == "net":
            nets[orig.rsplit(".", 1)[0]] = pseudo.rsplit(".", 1)[0]
        elif kind != "net6":
            names.append((kind, orig, pseudo))

    def v4(m):
        net = ".".join(m.groups()[:3])
        return nets[net] + "." + m.group(4) if net in nets else m.group(0)
    text = V4.sub(v4, text)
    for kind, orig, pseudo in sorted(names, key=lambda x: -len(x[1])):
        # a connection's name is replaced in its own case only
        text = re.sub(r"(?<!%s)%s(?!%s)" % (NAME_CHAR, re.escape(orig), NAME_CHAR),
                      pseudo, text, flags=0 if kind == "conn" else re.IGNORECASE)
    return text


def check(path, tmp):
    red, mp = os.path.join(tmp, "red.log"), os.path.join(tmp, "map.tsv")
    status, _, err = run("redact", "--ips", "--names", "--map", mp, "-o", red, path)
    if status != 0:
        return "redact failed (%d): %s" % (status, err)
    original = open(path, "rb").read().decode("utf-8", "replace")
    redacted = open(red, "rb").read().decode("utf-8", "replace")
    mapping = open(mp).read()
    if original.count("\n") != redacted.count("\n"):
        return "line count changed: %d -> %d" % (original.count("\n"), redacted.count("\n"))
    # (a) nothing original survives
    for s in secrets(path):
        if s in redacted:
            return "secret survives: %r" % s
    _, shown, _ = run("--show-secrets", "--json", "sessions", path)
    for u in users(json.loads(shown)) if shown.strip() else ():
        if word(redacted, u):
            return "user name survives: %r" % u
    survivors = addresses(original) & addresses(redacted)
    if survivors:
        return "addresses survive: %s" % sorted(survivors)[:5]
    # (b) the same analysis, modulo the pseudonyms
    _, a, _ = run("--json", "sessions", path)
    _, b, _ = run("--json", "sessions", red)
    leaked = addresses(a) & addresses(b)
    if leaked:
        return "addresses the analysis read survive: %s" % sorted(leaked)[:5]
    # the input's name first: a name the map replaces may be part of it
    a = apply_map(a.replace(json.dumps(path)[1:-1], "INPUT"), mapping)
    b = b.replace(json.dumps(red)[1:-1], "INPUT")
    problem = same(json.loads(a), json.loads(b), "")
    if problem:
        return "sessions --json differs at %s" % problem
    return None


def same(a, b, where):
    """None, or where a and b differ. Texts cut at a fixed length may be cut
    elsewhere once names change length: one must then begin the other."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return "%s: keys %s / %s" % (where, sorted(a), sorted(b))
        for k in a:
            p = same(a[k], b[k], where + "." + k)
            if p:
                return p
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return "%s: %d / %d items" % (where, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            p = same(x, y, "%s[%d]" % (where, i))
            if p:
                return p
        return None
    if where.endswith(".text") and isinstance(a, str) and isinstance(b, str) and \
            len(a) >= 200 and len(b) >= 200 and (a.startswith(b) or b.startswith(a)):
        return None
    return None if a == b else "%s: %r / %r" % (where, a, b)


def main():
    logs = sorted(glob.glob("samples/*/*.log") + glob.glob("samples/*/*.txt"))
    logs += sorted(glob.glob(os.path.join(CORPUS, "*.log")) + glob.glob(os.path.join(CORPUS, "*", "*.log")))
    results = []
    with tempfile.TemporaryDirectory(prefix="ikescope-redact-") as tmp:
        for path in logs:
            try:
                problem = check(path, tmp)
            except Exception as e:
                problem = "%s: %s" % (type(e).__name__, e)
            results.append((path, problem))
    # the corpus is not in a clone of the project alone: say so, counted as skipped
    skip = not os.path.isdir(CORPUS)
    print("1..%d" % (len(results) + skip))
    failed = 0
    for i, (path, problem) in enumerate(results, 1):
        if problem:
            failed += 1
            print("not ok %d - %s" % (i, path))
            for l in problem.splitlines():
                print("# " + l)
        else:
            print("ok %d - %s" % (i, path))
    if skip:
        print("ok %d - %s # SKIP not there" % (len(results) + 1, CORPUS))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
