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
printf '%9s %8s %-15s %9s %8s %12s\n' sessions MB command seconds MB/s peak-RSS-KB
for n in $counts; do
	log="$tmp/$n.log"
	python3 "$top/tests/bench/gen.py" --sessions "$n" "$log"
	for mode in sessions json; do
		if [ "$mode" = json ]; then
			set -- --json sessions "$log"
			label='sessions --json'
		else
			set -- sessions "$log"
			label=sessions
		fi
		set -- $(python3 "$top/tools/measure.py" "$tmp/err" "$bin" "$@")
		# 1: a session failed, as the generated log has failures
		if [ "$3" != 0 ] && [ "$3" != 1 ]; then
			echo "ikescope failed with status $3" >&2
			exit 1
		fi
		bytes=$(stat -c %s "$log")
		awk -v n="$n" -v bytes="$bytes" -v label="$label" -v s="$1" -v kb="$2" \
			'BEGIN { printf "%9s %8.0f %-15s %9.2f %8.1f %12d\n", n, bytes / 1e6, label, s, bytes / 1e6 / s, kb }'
	done
done
