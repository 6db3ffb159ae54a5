#!/bin/sh
# Run every libFuzzer target for FUZZ_SECONDS seconds, starting from its seed corpus.
# New inputs go to build/.../fuzz/<target>/ so that the committed seeds stay small.
set -eu
BUILD=${1:-build/check}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
cd "$(dirname "$0")/.."
status=0
targets=$(cat "$BUILD/fuzz-targets.txt" 2>/dev/null || true)
for t in $targets; do
    work="$BUILD/fuzz/$t"
    mkdir -p "$work"
    seeds="fuzz/corpus/$t"
    [ -d "$seeds" ] || seeds=""
    if "$BUILD/fuzz/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=0 -artifact_prefix="$work/" "$work" $seeds >"$work/log" 2>&1; then
        echo "fuzz $t: ok ($(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/log" | tail -1) runs)"
    else
        echo "fuzz $t: FAILED, see $work/log"
        tail -n 30 "$work/log"
        status=1
    fi
done
exit $status
