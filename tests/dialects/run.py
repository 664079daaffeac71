#!/usr/bin/env python3
"""Dialects: each sample and corpus log (when ../shared is there) is read as
the dialect that printed it, and naming that dialect with --dialect changes
nothing in the analysis; naming another leaves the lines of its own
dialect unrecognized. TAP.

usage: run.py IKESCOPE   (run from the source root)
"""
import glob
import os
import re
import subprocess
import sys

IKESCOPE = os.path.abspath(sys.argv[1])
ENV = {"LC_ALL": "C", "TZ": "UTC", "PATH": "/usr/bin:/bin"}


def run(args):
    p = subprocess.run([IKESCOPE] + args, capture_output=True, env=ENV,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def expected(path):
    """The dialect of a log, from where it is kept (none: not one known yet)."""
    base = os.path.basename(path)
    if "mixed" in base:
        return "strongswan"  # its first lines; the others are read by their own dialects
    if "/strongswan/" in path or base.startswith("strongswan-"):
        return "strongswan"
    if "/libreswan/" in path or base.startswith("libreswan-"):
        return "libreswan"
    if "/fortigate/" in path or base.startswith("fortigate-"):
        return "fortigate"
    if "/dart/" in path:
        return "dart"
    if base.startswith("show-"):
        return "show"
    if "/ios" in path or base.startswith("ios-"):
        return "ios"
    if "/asa/" in path or base.startswith("asa"):
        return "asa"
    return "none"


def stats(args):
    rc, out, err = run(["--stats"] + args)
    d = re.search(r"^  dialect: (\S+)", err, re.M)
    u = re.search(r"unrecognized: (\d+)", err)
    return (d.group(1) if d else "?"), int(u.group(1)) if u else -1


def main():
    inputs = sorted(glob.glob("samples/*/*.log") + glob.glob("samples/*/*.txt"))
    shared = os.path.isdir("../shared/corpus")
    inputs += sorted(glob.glob("../shared/corpus/*.log") + glob.glob("../shared/corpus/*/*.log"))
    results = []
    for path in inputs:
        want = expected(path)
        got, _ = stats(["sessions", path])
        ok = got == want
        results.append((ok, "%s is read as %s" % (path, want),
                        "" if ok else "detected: %s" % got))
        # (a file of several daemons read as one of them leaves the others' lines out)
        if got in ("asa", "ios", "dart", "show", "strongswan", "libreswan", "fortigate") and \
                "mixed" not in path:
            a = run(["--json", "sessions", path])
            b = run(["--dialect", got, "--json", "sessions", path])
            results.append((a[:2] == b[:2], "%s: --dialect %s changes nothing" % (path, got),
                            "" if a[:2] == b[:2] else "exit %d against %d" % (a[0], b[0])))
    # another dialect named: the ASA's own lines go unrecognized
    asa = "samples/asa/anyconnect-eap-success.log"
    _, u_auto = stats(["sessions", asa])
    d, u_ios = stats(["--dialect", "ios", "sessions", asa])
    ok = d == "ios" and u_ios > u_auto
    results.append((ok, "%s read as ios leaves the ASA's lines unrecognized" % asa,
                    "unrecognized %d against %d (%s)" % (u_ios, u_auto, d)))
    n = len(results) + (0 if shared else 1)
    print("1..%d" % n)
    for i, (ok, name, why) in enumerate(results, 1):
        print("%s %d - %s%s" % ("ok" if ok else "not ok", i, name, "" if ok else ": " + why))
    if not shared:
        print("ok %d - corpus logs # SKIP ../shared/corpus is not there" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
