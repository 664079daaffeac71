#!/bin/sh
# usage: run.sh EXPECTED STATUS -- COMMAND [ARGS...]
# Runs COMMAND with LC_ALL=C TZ=UTC and compares its standard output with
# EXPECTED, and its exit status with STATUS; standard input is /dev/null
# (a piped one would be read when no file is named). GOLDEN_STDERR=1 compares stdout
# and stderr together, GOLDEN_STDERR=only stderr alone. UPDATE_GOLDEN=1
# rewrites EXPECTED instead (only when the exit status is the expected one).
set -eu
expected=$1 status=$2
shift 3
# a case that reads the corpus beside the project skips in a clone of the project alone
case "$*" in
*../shared/*)
	[ -d ../shared/corpus ] || { echo "../shared/corpus is not there: skipped"; exit 77; } ;;
esac
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
case "${GOLDEN_STDERR:-0}" in
1) LC_ALL=C TZ=UTC "$@" >"$out" 2>&1 </dev/null || rc=$? ;;
only) LC_ALL=C TZ=UTC "$@" 2>"$out" >/dev/null </dev/null || rc=$? ;;
*) LC_ALL=C TZ=UTC "$@" >"$out" </dev/null || rc=$? ;;
esac
if [ "$rc" != "$status" ]; then
	# never record the output of a run that went wrong
	cat "$out" >&2
	echo "exit status $rc, expected $status" >&2
	exit 1
fi
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$out" "$expected"
elif ! diff -u "$expected" "$out"; then
	exit 1
fi
