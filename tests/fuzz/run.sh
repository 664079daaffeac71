#!/bin/sh
# Runs one libFuzzer harness for a while on its corpus, seeded from the
# project's samples; a crash leaves its input in OUT/crashes and fails.
# usage: run.sh NAME FUZZER SECONDS SOURCE_ROOT OUT
set -eu
name=$1 fuzzer=$2 seconds=$3 src=$4 out=$5
corpus=$out/corpus-$name
mkdir -p "$corpus" "$out/crashes"
case $name in
pipeline|redact) seeds="$src/samples/asa/*.log $src/samples/ios/*.log $src/samples/dart/*.txt $src/samples/asa/*.txt $src/samples/excerpt/*.txt $src/tests/golden/hostile/*.log $src/tests/fuzz/seeds/*.log" ;;
xml) seeds="$src/samples/profile/*.xml $src/tests/fuzz/seeds/*.xml" ;;
config) seeds="$src/samples/config/*.cfg $src/tests/golden/verify/*.cfg $src/tests/fuzz/seeds/*.cfg" ;;
*) echo "run.sh: no harness $name" >&2; exit 2 ;;
esac
for f in $seeds; do
	[ -f "$f" ] && cp -n "$f" "$corpus/" 2>/dev/null || true
done
# short inputs mutate fast; the seeds are cut to this length
case $name in
pipeline|redact) maxlen=8192 ;;
*) maxlen=4096 ;;
esac
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$maxlen" \
	-dict="$src/tests/fuzz/ike.dict" -artifact_prefix="$out/crashes/$name-" \
	-print_final_stats=1 "$corpus"
