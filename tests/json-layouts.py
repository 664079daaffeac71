#!/usr/bin/env python3
"""The three JSON layouts hold the same data: on every sample, --compact is
--json without indentation (one line, the same value) and --jsonl gives the
sessions of the document, one per line, and nothing else.

usage: json-layouts.py IKESCOPE SAMPLES_DIR"""
import glob
import json
import os
import subprocess
import sys


def out(binary, *args):
    return subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          check=False).stdout.decode('ascii')


def main():
    binary, samples = sys.argv[1], sys.argv[2]
    files = sorted(f for f in glob.glob(os.path.join(samples, '*', '*')) if os.path.isfile(f)
                   and not f.endswith('.md'))
    bad = checked = 0
    for f in files:
        for cmd in ('sessions', 'timeline', 'verify'):
            doc = out(binary, '--json', cmd, f)
            if not doc.strip():
                continue
            checked += 1
            want = json.loads(doc)
            compact = out(binary, '--compact', cmd, f)
            lines = out(binary, '--jsonl', cmd, f).splitlines()
            problems = []
            if compact.count('\n') != 1 or not compact.endswith('\n'):
                problems.append('--compact is not one line')
            elif json.loads(compact) != want:
                problems.append('--compact holds other data than --json')
            got = [json.loads(x) for x in lines]
            if got != want['sessions']:
                problems.append('--jsonl: %d lines, not the %d sessions of --json' %
                                (len(got), len(want['sessions'])))
            for p in problems:
                print('%s %s: %s' % (f, cmd, p))
            bad += bool(problems)
    print('%d documents checked, %d with a problem' % (checked, bad))
    return 1 if bad or not checked else 0


if __name__ == '__main__':
    sys.exit(main())
