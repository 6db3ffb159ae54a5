#!/bin/sh
# .clang-format is enforced: every C file in the repository is formatted as clang-format says.
set -eu
: "${ATEA_SOURCE_DIR:?}"
cd "$ATEA_SOURCE_DIR"
command -v clang-format >/dev/null || { echo "clang-format is missing (scripts/setup.sh installs it)"; exit 1; }
bad=""
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find src include tools tests fuzz bench -name '*.[ch]'); do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
    echo "not formatted (run 'make format'):$bad"
    exit 1
fi
