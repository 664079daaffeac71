#!/bin/sh
# Throughput and memory of "ikescope lex" on synthetic logs of growing size.
# usage: tools/bench.sh [IKESCOPE] [SIZES_MB...]   (default: build binary, 10 100)
# Prints one line per size: MB, seconds, MB/s, peak RSS. Memory must stay
# flat as the input grows (the lexer streams).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build/src/cli/ikescope}
[ $# -gt 0 ] && shift
sizes=${*:-10 100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unit="$tmp/unit.log"
cat "$top/samples/asa/anyconnect-eap-success.log" "$top/samples/dart/anyconnect-eap-success.txt" >"$unit"
printf '%8s %9s %8s %12s %10s\n' MB seconds MB/s peak-RSS-KB records
for mb in $sizes; do
	log="$tmp/$mb.log"
	want=$((mb * 1048576))
	: >"$log"
	# doubling keeps generation fast
	cp "$unit" "$log"
	while [ "$(stat -c %s "$log")" -lt "$want" ]; do
		cat "$log" "$log" >"$log.2" && mv "$log.2" "$log"
	done
	truncate -s "$want" "$log"
	python3 - "$bin" "$log" "$mb" <<'PY'
import subprocess, sys, time
bin, log, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = time.monotonic()
p = subprocess.Popen([bin, '--stats', 'lex', log], stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE, text=True)
peak = 0
# VmHWM belongs to the process image after exec: the true peak of ikescope
while p.poll() is None:
    try:
        with open('/proc/%d/status' % p.pid) as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.01)
err = p.stderr.read()
dt = time.monotonic() - t
if p.returncode != 0:
    sys.exit('ikescope failed: %s' % err[-500:])
records = [l for l in err.splitlines() if l.startswith('lines:')][-1].split(',')[1].split()[-1]
print('%8d %9.2f %8.1f %12d %10s' % (mb, dt, mb / dt, peak, records))
PY
done
