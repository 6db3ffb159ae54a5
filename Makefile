# atea: the two commands that matter are `make demo` and `make check` (see README.md).
# Each sets the machine up (scripts/setup.sh, idempotent), builds, and runs.

FUZZ_SECONDS ?= 10
LONG_FUZZ_SECONDS ?= 600

.PHONY: all setup build demo check fuzz bench clean format

all: build

setup:
	@./scripts/setup.sh

# Optimised build with gcc, warnings as errors: what `demo` and `bench` run.
build: setup
	@cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc >/dev/null
	@ninja -C build/release

demo: build
	@./scripts/demo.sh build/release

# Every test under ASan+UBSan (clang), each fuzz target briefly, the EA tests under valgrind (gcc).
check: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/check.sh

# Long fuzzing runs of every target (the same instrumented ASan+UBSan build as `check`).
fuzz: setup
	@cmake -S . -B build/check -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	    -DATEA_SANITIZE=ON -DATEA_FUZZ=ON >/dev/null
	@ninja -C build/check
	@FUZZ_SECONDS=$(LONG_FUZZ_SECONDS) ./scripts/fuzz.sh build/check

bench: build
	@./bench/run.sh build/release

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
