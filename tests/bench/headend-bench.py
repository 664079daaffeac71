#!/usr/bin/env python3
"""Speed, memory and first-output latency of ikescope on head-end logs.

For each log (made by headend.py, or gen.py for the rejected-heavy one), in
the same run and on the same file in the page cache:
  grep -cE 'RECV PKT|SENT PKT|SM Trace|Exchange type'   (writing to a pipe)
  ikescope sessions
  ikescope --json sessions
each with its standard output read from a pipe. Printed per command: seconds,
MB/s, the ratio to grep, peak resident memory (the child's ru_maxrss), the
time to the first byte of output, and whether the sessions counted by
outcome are exactly those the generator wrote. Each command runs --repeat
times (default 3) and the fastest run counts: timings on a shared machine
wander by a tenth or more.

usage: headend-bench.py [--bin IKESCOPE] [--quick | --check] [--keep DIR] [--repeat N]
  --quick   one 100 MB AnyConnect log at 200 in flight, and the rejected one
  --check   no timing: small logs of each workload at 20 and 2,000 in flight,
            and a failure unless the counts by outcome are exact (a test)
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(TOP, 'tests', 'bench')
sys.path.insert(0, os.path.join(TOP, 'tools'))
import measure  # noqa: E402  (tools/measure.py: the peak of a running process)
GREP = ['grep', '-cE', 'RECV PKT|SENT PKT|SM Trace|Exchange type']
ROW = re.compile(rb'^\s*\d+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+\d+\s+(\S+)')


def run(cmd, keep=False):
    """(seconds, peak RSS in KB, seconds to first output byte, output, status).

    The peak is the child's VmHWM, read from /proc while it runs (its
    ru_maxrss would count this script's own memory, which it inherits at
    exec). The output is kept only when asked for."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    state = {'first': None, 'chunks': []}

    def reader():
        while True:
            b = p.stdout.read1(1 << 16)
            if not b:
                break
            if state['first'] is None:
                state['first'] = time.monotonic() - t0
            if keep:
                state['chunks'].append(b)

    th = threading.Thread(target=reader)
    th.start()
    peak = measure.peak_kb(p, 0.005)
    dt = time.monotonic() - t0
    th.join()
    first = state['first'] if state['first'] is not None else dt
    return dt, peak, first, b''.join(state['chunks']), p.returncode


def best(n, cmd, keep=False):
    """The fastest of n runs (this machine's timings wander), with the highest peak."""
    runs = [run(cmd, keep) for _ in range(n)]
    fast = min(runs, key=lambda r: r[0])
    return (fast[0], max(r[1] for r in runs), min(r[2] for r in runs)) + fast[3:]


def outcomes(text):
    c = collections.Counter()
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            c[m.group(1).decode()] += 1
    c['sessions'] = sum(c.values())
    return c


def expected(path):
    c = collections.Counter()
    try:
        with open(path + '.expect') as f:
            for line in f:
                k, v = line.split()
                c[k] = int(v)
    except OSError:
        return None
    return c


def make(tmp, kind, mb, in_flight):
    path = os.path.join(tmp, '%s-%g-%d.log' % (kind, mb, in_flight))
    if os.path.exists(path):
        return path
    if kind == 'rejected':
        # gen.py's shape: 70% refused at IKE_SA_INIT, lines that repeat
        sessions = max(1, int(mb * 1e6 / 25000))
        subprocess.run([sys.executable, os.path.join(BENCH, 'gen.py'), '--sessions',
                        str(sessions), '--concurrent', str(in_flight), path], check=True)
    else:
        cmd = [sys.executable, os.path.join(BENCH, 'headend.py'), '--workload', kind,
               '--mb', str(mb), '--in-flight', str(in_flight), path]
        if kind == 'anyconnect':
            cmd.insert(-1, '--stamps')
        subprocess.run(cmd, check=True)
    return path


def check(a):
    bad = 0
    with tempfile.TemporaryDirectory(prefix='ikescope-counts-') as tmp:
        for kind, sessions, flight in (('anyconnect', 120, 20), ('anyconnect', 300, 2000),
                                       ('s2s', 300, 20), ('s2s', 600, 2000)):
            path = os.path.join(tmp, '%s-%d.log' % (kind, flight))
            cmd = [sys.executable, os.path.join(BENCH, 'headend.py'), '--workload', kind,
                   '--sessions', str(sessions), '--in-flight', str(flight), path]
            if kind == 'anyconnect':
                cmd.insert(-1, '--stamps')
            subprocess.run(cmd, check=True)
            out = subprocess.run([a.bin, 'sessions', path], stdout=subprocess.PIPE).stdout
            got, want = outcomes(out), expected(path)
            ok = got == want
            bad += not ok
            print('%s %s, %d in flight: %s, expected %s' %
                  ('ok' if ok else 'WRONG', kind, flight, dict(got), dict(want)))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', default=os.path.join(TOP, 'build', 'src', 'cli', 'ikescope'))
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--keep', help='keep the generated logs in this directory')
    ap.add_argument('--check', action='store_true')
    ap.add_argument('--repeat', type=int, default=3, help='runs per command (the fastest counts)')
    a = ap.parse_args()
    if a.check:
        return check(a)
    if a.quick:
        plan = [('anyconnect', 100, 200), ('rejected', 100, 40)]
    else:
        plan = [('anyconnect', 100, 20), ('anyconnect', 100, 200), ('anyconnect', 100, 2000),
                ('anyconnect', 10, 200), ('anyconnect', 1000, 200),
                ('s2s', 100, 200), ('rejected', 100, 40)]
    tmp = a.keep or tempfile.mkdtemp(prefix='ikescope-bench-')
    os.makedirs(tmp, exist_ok=True)
    print('%-10s %6s %6s  %-17s %8s %8s %7s %8s %9s  %s' %
          ('workload', 'flight', 'MB', 'command', 'seconds', 'MB/s', 'x grep', 'RSS MB',
           'first ms', 'counts'))
    bad = 0
    for kind, mb, flight in plan:
        path = make(tmp, kind, mb, flight)
        size = os.path.getsize(path) / 1e6
        subprocess.run(['cat', path], stdout=subprocess.DEVNULL)  # into the page cache
        want = expected(path)
        g = best(a.repeat, GREP + [path])
        rows = [('grep -cE', g)]
        for label, cmd in (('sessions', [a.bin, 'sessions', path]),
                           ('--json sessions', [a.bin, '--json', 'sessions', path])):
            rows.append((label, best(a.repeat, cmd, keep=label == 'sessions')))
        for label, (dt, rss, first, out, rc) in rows:
            counts = ''
            if label == 'sessions':
                got = outcomes(out)
                if want is None:
                    counts = '%d sessions' % got['sessions']
                elif got == want:
                    counts = 'exact (%d)' % got['sessions']
                else:
                    counts = 'WRONG: %s, expected %s' % (dict(got), dict(want))
                    bad += 1
            if label != 'grep -cE' and rc not in (0, 1):
                counts += ' exit %d' % rc
                bad += 1
            print('%-10s %6d %6.0f  %-17s %8.2f %8.1f %7.1f %8.1f %9.0f  %s' %
                  (kind, flight, size, label, dt, size / dt, dt / g[0], rss / 1024,
                   first * 1000, counts), flush=True)
        if not a.keep:
            os.unlink(path)
            if os.path.exists(path + '.expect'):
                os.unlink(path + '.expect')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
