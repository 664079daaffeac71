#!/usr/bin/env python3
"""Counts test results from Meson testlog.json files: every TAP test point
(Criterion unit tests, the hostile and redact suites) counts once, every
other test counts once; a skipped test or TAP point counts as skipped. Prints
'N passed, N failed' (', N skipped' when some were) and exits 1 if anything
failed or nothing ran."""
import json
import re
import sys

TAP = re.compile(r'^(not ok|ok)\b(.*)$')
PLAN = re.compile(r'^1\.\.\d+\n')


def count(path, names):
    """The passed, failed and skipped tests of one testlog.json; failed names go to names."""
    passed = failed = skipped = 0
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            result = t.get('result')
            if result in ('SKIP',):
                skipped += 1
                continue
            points = []
            tap_skips = 0
            out = t.get('stdout') or ''
            # TAP output: Criterion's says so; the Python suites start with their plan
            if t.get('protocol') == 'tap' or 'TAP' in out[:200] or PLAN.match(out):
                for l in (t.get('stdout') or '').splitlines():
                    m = TAP.match(l.strip())
                    if m and '# SKIP' in m.group(2):
                        tap_skips += 1
                    elif m:
                        points.append(m.group(1) == 'ok')
            skipped += tap_skips
            if points and result == 'OK':
                passed += sum(points)
                failed += len(points) - sum(points)
            elif points:
                passed += sum(points)
                bad = len(points) - sum(points)
                failed += bad if bad else 1
                names.append(t['name'])
            elif result == 'OK' and tap_skips:
                pass  # every point was skipped
            elif result == 'OK' or result == 'EXPECTEDFAIL':
                passed += 1
            else:
                failed += 1
                names.append(t['name'])
    return passed, failed, skipped


def main():
    passed = failed = skipped = 0
    names = []
    for path in sys.argv[1:]:
        p, f, s = count(path, names)
        passed += p
        failed += f
        skipped += s
    for n in names:
        print('failed: %s' % n)
    print('%d passed, %d failed%s' % (passed, failed,
                                       ', %d skipped' % skipped if skipped else ''))
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main())
