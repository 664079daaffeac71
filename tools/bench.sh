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
	set -- $(python3 "$top/tools/measure.py" "$tmp/err" "$bin" --stats lex "$log")
	if [ "$3" != 0 ]; then
		echo "ikescope failed with status $3:" >&2
		tail -c 500 "$tmp/err" >&2
		exit 1
	fi
	records=$(grep '^lines:' "$tmp/err" | tail -1 | sed 's/.*records: \([0-9]*\).*/\1/')
	awk -v mb="$mb" -v s="$1" -v kb="$2" -v r="$records" \
		'BEGIN { printf "%8d %9.2f %8.1f %12d %10s\n", mb, s, mb / s, kb, r }'
done
