#!/usr/bin/env python3
"""The three JSON layouts hold the same data: on every sample, --compact is
--json without indentation (one line, the same value) and --jsonl gives the
sessions of the document, one per line, and nothing else; --jsonl writes
each session when it ends, where --json keeps the order of first lines.

usage: json-layouts.py IKESCOPE SAMPLES_DIR"""
import glob
import json
import os
import subprocess
import sys
import tempfile


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
    # diff writes one document: --compact and --jsonl put it on one line
    for args in (['diff', os.path.join(samples, 'asa', 'anyconnect-eap-success.log'),
                  os.path.join(samples, 'asa', 'anyconnect-eap-failure.log')],
                 ['diff', '--ends', os.path.join(samples, 'asa', 's2s-ts-unacceptable-initiator.log'),
                  os.path.join(samples, 'strongswan', 's2s-ts-unacceptable-responder.log')]):
        checked += 1
        want = json.loads(out(binary, '--json', *args))
        for layout in ('--compact', '--jsonl'):
            got = out(binary, layout, *args)
            if got.count('\n') != 1 or json.loads(got) != want:
                print('%s %s: not the --json document on one line' % (layout, ' '.join(args[:2])))
                bad += 1
    bad += ended_first(binary, samples)
    print('%d documents checked, %d with a problem' % (checked, bad))
    return 1 if bad or not checked else 0


def ended_first(binary, samples):
    """--jsonl writes a session once it ends; --json keeps the order of first
    lines: a negotiation the log never ends, then one that ends, then other
    traffic. 1 if that does not hold."""
    a = open(os.path.join(samples, 'asa', 'anyconnect-eap-success.log')).read().splitlines()
    a = [l.replace('58AFF71141BA436B', '1111111111111111').replace(
        '58aff71141ba436b', '1111111111111111').replace('(6)', '(7)').replace(
        '192.168.1.1', '192.168.1.9') for l in a[:218]]
    b = open(os.path.join(samples, 'asa', 'anyconnect-eap-failure.log')).read().splitlines()
    noise = ['%%ASA-6-302013: Built outbound TCP connection %d for outside:192.0.2.1/443 '
             '(192.0.2.1/443) to inside:10.0.0.5/%d (10.0.0.5/%d)' % (i, i, i)
             for i in range(1, 700)]
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.write('\n'.join(a + b + noise) + '\n')
        path = f.name
    try:
        doc = json.loads(out(binary, '--json', 'sessions', path))['sessions']
        lines = [json.loads(x) for x in out(binary, '--jsonl', 'sessions', path).splitlines()]
    finally:
        os.unlink(path)
    firsts = [s['first_line'] for s in doc]
    ended = [s['first_line'] for s in lines]
    if firsts != [1, 219] or ended != [219, 1]:
        print('first lines: --json %s (want [1, 219]), --jsonl %s (want [219, 1])' %
              (firsts, ended))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
