#!/bin/sh
# The EA part of `make demo`: requested, spontaneous and refused authenticators over real TLS 1.3.
set -eu
: "${ATEA:?}"
out=$(timeout 60 "$ATEA" demo 2>&1) || { echo "$out"; echo "FAIL: atea demo exited $?"; exit 1; }
for want in "requested authenticator: VALID" "spontaneous authenticator: VALID" \
            "the server refused, authenticated by its Finished MAC" "EA demo complete"; do
    echo "$out" | grep -q "$want" || { echo "$out"; echo "FAIL: missing '$want'"; exit 1; }
done
echo "demo: ok"
