#!/bin/sh
# make check: build with -Wall -Wextra -Werror, run every test under ASan+UBSan, replay and
# briefly run every fuzz target, run the EA tests under valgrind, and print the ctest summary.
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
status=0

echo "== build: clang, ASan+UBSan, libFuzzer targets"
cmake -S . -B build/check -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
    -DATEA_SANITIZE=ON -DATEA_FUZZ=ON >/dev/null
ninja -C build/check

echo "== build: gcc -O2, no sanitizers (for valgrind; the configuration make demo and make bench use)"
cmake -S . -B build/valgrind -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc >/dev/null
ninja -C build/valgrind

echo "== tests under ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build/check && ctest -j"$JOBS" --output-on-failure) >build/check/ctest.log 2>&1 || status=1

echo "== fuzz targets, ${FUZZ_SECONDS}s each"
./scripts/fuzz.sh build/check || status=1

echo "== core and EA tests under valgrind"
export ATEA_SHARED_DIR="$(pwd)/../shared" ATEA_SOURCE_DIR="$(pwd)"
for t in build/valgrind/tests/core_*_test build/valgrind/tests/ea_*_test; do
    [ -x "$t" ] || continue
    if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$t" >"$t.valgrind.log" 2>&1; then
        echo "valgrind $(basename "$t"): clean"
    else
        echo "valgrind $(basename "$t"): FAILED, see $t.valgrind.log"
        tail -n 30 "$t.valgrind.log"
        status=1
    fi
done

echo "== ctest summary (ASan+UBSan)"
grep -E "tests passed|tests failed|FAILED|Failed|Timeout|\*\*\*" build/check/ctest.log || true
if [ "$status" != 0 ]; then
    echo "make check: FAILED (logs: build/check/ctest.log, build/check/fuzz/, build/valgrind/memcheck.log)"
    sed -n '/The following tests FAILED/,$p' build/check/ctest.log
    exit 1
fi
echo "make check: OK"
