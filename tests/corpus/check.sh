#!/bin/sh
# usage: check.sh IKESCOPE LOG
# A real device log must lex without a crash or sanitizer report, with every
# line accounted for and no unrecognized line that carries IKE content.
# Skips (77) when the shared corpus is not there.
set -u
ikescope=$1 log=$2
[ -f "$log" ] || { echo "no $log: skipped"; exit 77; }
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$ikescope" --stats lex "$log" >/dev/null 2>"$err"
rc=$?
cat "$err" | sed -n '1,40p'
[ "$rc" = 0 ] || { echo "exit status $rc"; exit 1; }
grep -q 'with IKE content: 0)' "$err" || { echo "unrecognized lines with IKE content"; exit 1; }
grep -q '^lines: [0-9]*, records: [0-9]*, noise: [0-9]*, unrecognized: [0-9]*$' "$err" ||
	{ echo "no closing stats line"; exit 1; }
exit 0
