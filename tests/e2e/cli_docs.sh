#!/bin/sh
# Every option of every atea command has docs/cli/<option>.md, whose "Help:" line is exactly the
# option's one-line help in the code, and every doc file names an option that exists (the curl
# test1478 idea: the two may not drift apart).
set -eu
: "${ATEA:?}" "${ATEA_SOURCE_DIR:?}"
docs="$ATEA_SOURCE_DIR/docs/cli"
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for cmd in $("$ATEA" --commands); do
    "$ATEA" "$cmd" --dump-options >>"$tmp"
done
while IFS="$(printf '\t')" read -r cmd opt help; do
    f="$docs/$opt.md"
    if [ ! -f "$f" ]; then
        echo "missing $f (option --$opt of 'atea $cmd')"
        fail=1
        continue
    fi
    doc_help=$(sed -n 's/^Help: //p' "$f")
    if [ "$doc_help" != "$help" ]; then
        echo "docs/cli/$opt.md Help: '$doc_help' differs from 'atea $cmd' help: '$help'"
        fail=1
    fi
done <"$tmp"
for f in "$docs"/*.md; do
    name=$(basename "$f" .md)
    case "$name" in EXIT-CODES|README) continue ;; esac
    if ! cut -f2 "$tmp" | grep -qx -- "$name"; then
        echo "docs/cli/$name.md documents an option no command has"
        fail=1
    fi
done
exit $fail
