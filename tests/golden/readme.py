#!/usr/bin/env python3
"""Runs every README example ("$ ikescope ..." in a code block) and checks
that ikescope still prints what the README shows. A line "..." in a block
stands for lines left out; the shown parts must appear in that order.

usage: readme.py IKESCOPE README   (run from the source root)
"""
import os
import re
import subprocess
import sys

# names the README uses for corpus logs, which are not bundled
CORPUS = {
    "asa-dh-mismatch.log": "../shared/corpus/asa9-s2s-psk-ike-dh-mismatch-responder-06.log",
}


def main():
    ikescope, readme = sys.argv[1], sys.argv[2]
    text = open(readme, encoding="utf-8").read()
    blocks = re.findall(r"```\n\$ (ikescope[^\n]*)\n(.*?)```", text, re.S)
    failed = 0
    print("1..%d" % len(blocks))
    for n, (cmd, shown) in enumerate(blocks, 1):
        run = ikescope + cmd[len("ikescope"):]
        for short, path in CORPUS.items():
            run = run.replace(" " + short, " " + path)
        run = re.sub(r" (asa9-s2s-\S+\.log)", r" ../shared/corpus/\1", run)
        if "../shared/" in run and not os.path.isdir("../shared/corpus"):
            # a clone of the project alone has no corpus beside it
            print("ok %d - %s # SKIP ../shared/corpus is not there" % (n, cmd))
            continue
        res = subprocess.run(run, shell=True, capture_output=True, text=True,
                             env={"LC_ALL": "C", "TZ": "UTC", "PATH": "/usr/bin:/bin"})
        out = res.stdout + (res.stderr if ">/dev/null" in cmd else "")
        out = out.replace("../shared/corpus/asa9-s2s-psk-ike-dh-mismatch-responder-06.log",
                          "asa-dh-mismatch.log").replace("../shared/corpus/", "")
        pos, ok = 0, True
        for part in shown.split("...\n"):
            if not part:
                continue
            at = out.find(part, pos)
            if at < 0:
                ok = False
                print(f"README example '$ {cmd}' no longer shows:\n{part}", file=sys.stderr)
                break
            pos = at + len(part)
        if not shown.split("...\n")[0] == "" and not out.startswith(shown.split("...\n")[0]):
            ok = False
            print(f"README example '$ {cmd}' starts otherwise", file=sys.stderr)
        failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, cmd))
    print(f"# {len(blocks)} README examples, {failed} out of date")
    return 1 if failed or not blocks else 0


if __name__ == "__main__":
    sys.exit(main())
