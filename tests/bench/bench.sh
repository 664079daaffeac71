#!/bin/sh
# Speed and memory of "ikescope sessions" (text and --json) on synthetic ASA
# logs of N interleaved sessions made by gen.py.
# usage: tests/bench/bench.sh [IKESCOPE] [SESSIONS...]   (default: build binary, 2000 20000)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/build/src/cli/ikescope}
[ $# -gt 0 ] && shift
counts=${*:-2000 20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%9s %8s %-14s %9s %8s %12s\n' sessions MB command seconds MB/s peak-RSS-KB
for n in $counts; do
	log="$tmp/$n.log"
	python3 "$top/tests/bench/gen.py" --sessions "$n" "$log"
	for mode in sessions json; do
		python3 - "$bin" "$log" "$n" "$mode" <<'PY'
import os, subprocess, sys, time
bin, log, n, mode = sys.argv[1:5]
args = [bin, '--json', 'sessions', log] if mode == 'json' else [bin, 'sessions', log]
mb = os.path.getsize(log) / 1e6
t = time.monotonic()
p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    try:
        with open('/proc/%d/status' % p.pid) as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.02)
dt = time.monotonic() - t
if p.returncode not in (0, 1):
    sys.exit('ikescope failed with status %d' % p.returncode)
print('%9s %8.0f %-14s %9.2f %8.1f %12d' % (n, mb, 'sessions' if mode == 'sessions' else
                                               'sessions --json', dt, mb / dt, peak))
PY
	done
done
