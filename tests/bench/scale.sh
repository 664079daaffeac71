#!/bin/sh
# Time per MB and peak memory of "ikescope sessions" from about 10 MB to 1 GB
# (gen.py logs of 800, 8,000, 20,000 and 80,000 interleaved sessions, 96% of them
# rejected at IKE_SA_INIT), then on adversarial inputs: one million distinct
# SPIs that never complete, a 100 MB line, 100 MB of random bytes, and an
# EAP message holding an entity bomb.
# usage: tests/bench/scale.sh [IKESCOPE] [SESSIONS...]   (default: 800 8000 20000 80000)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/build/src/cli/ikescope}
[ $# -gt 0 ] && shift
counts=${*:-800 8000 20000 80000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

row() { # LABEL FILE ARGS...: one line of the table
	label=$1 file=$2
	shift 2
	# the log just written: on disk and in the page cache before the clock starts
	sync
	cat "$file" >/dev/null
	set -- $(python3 "$top/tools/measure.py" "$tmp/err" "$bin" "$@" "$file")
	if [ "$3" != 0 ] && [ "$3" != 1 ]; then
		echo "ikescope failed with status $3 on $label" >&2
		cat "$tmp/err" >&2
		exit 1
	fi
	bytes=$(stat -c %s "$file")
	awk -v label="$label" -v bytes="$bytes" -v s="$1" -v kb="$2" \
		'BEGIN { printf "%-34s %9.1f %8.2f %8.1f %9.1f %11.1f\n", label, bytes / 1e6, s, bytes / 1e6 / s, s * 1e6 / bytes * 1000, kb / 1024 }'
}

printf '%-34s %9s %8s %8s %9s %11s\n' input MB seconds MB/s ms/MB peak-RSS-MB
for n in $counts; do
	python3 "$top/tests/bench/gen.py" --sessions "$n" --fail-percent 96 "$tmp/$n.log"
	row "$n sessions" "$tmp/$n.log" sessions
	rm -f "$tmp/$n.log"
done

python3 - "$tmp" "$top" <<'EOF'
import os, random, sys
tmp = sys.argv[1]
recv = ("IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [192.0.2.%d]:500->[198.51.100.1]:500 "
        "InitSPI=0x%016x RespSPI=0x0000000000000000 MID=00000000\n")
with open(os.path.join(tmp, "spis.log"), "w") as f:
    for i in range(1000000):
        f.write(recv % (1 + i % 250, 0x1000000000000000 + i))
with open(os.path.join(tmp, "line.log"), "w") as f:
    f.write(recv % (1, 0x2000000000000000))
    f.write("A" * (100 << 20))
rnd = random.Random(1)
with open(os.path.join(tmp, "random.bin"), "wb") as f:
    for _ in range(100):
        f.write(rnd.randbytes(1 << 20))
sample = open(os.path.join(sys.argv[2], "samples/asa/anyconnect-eap-success.log")).read()
bomb = ['<!DOCTYPE config-auth [', '<!ENTITY a "lollollollollollollollollollol">']
bomb += ['<!ENTITY %s "%s">' % (chr(ord('a') + k), ("&%s;" % chr(ord('a') + k - 1)) * 10) for k in range(1, 9)]
bomb += [']>']
with open(os.path.join(tmp, "bomb.log"), "w") as f:
    f.write(sample.replace('<config-auth client="vpn" type="init">',
                           "\n".join(bomb) + '\n<config-auth client="vpn" type="init"><device-id>&i;</device-id>', 1))
EOF
row "1,000,000 distinct SPIs" "$tmp/spis.log" sessions
row "a 100 MB line" "$tmp/line.log" sessions
row "100 MB of random bytes" "$tmp/random.bin" sessions
row "entity bomb in an EAP message" "$tmp/bomb.log" sessions
