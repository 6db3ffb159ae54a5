#!/bin/sh
# make bench: run every benchmark program built from bench/*.c. Each prints its own baseline,
# measured in the same run on the same machine, and the ratio to it: machines here are noisy, so
# only same-run ratios mean anything. Results are appended to build/bench-results.txt.
set -eu
BUILD=${1:-build/release}
cd "$(dirname "$0")/.."
out="$BUILD/bench-results.txt"
: >"$out"
echo "atea benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m)" | tee -a "$out"
for b in "$BUILD"/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")" | tee -a "$out"
    "$b" | tee -a "$out"
done
echo "results: $out"
