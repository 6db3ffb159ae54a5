#!/bin/sh
# Layering rules (docs/ARCHITECTURE.md) that the compiler cannot see:
# only the OpenSSL backend and the transport include libssl; nothing in the library prints.
set -eu
: "${ATEA_SOURCE_DIR:?}"
cd "$ATEA_SOURCE_DIR"
fail=0
bad=$(grep -rlE '#include <(openssl/ssl|openssl/tls1|gnutls/)' src include \
      | grep -vE '^(src/backend/|src/transport/|include/atea/ossl\.h|include/atea/transport)' || true)
if [ -n "$bad" ]; then
    echo "TLS library headers outside src/backend and src/transport:"; echo "$bad"; fail=1
fi
bad=$(grep -rnE '\b(printf|fprintf|puts|perror)\(' src | grep -v 'snprintf' || true)
if [ -n "$bad" ]; then
    echo "the library must not print (use the log callback):"; echo "$bad"; fail=1
fi
bad=$(grep -rnE '\bassert\(' src || true)
if [ -n "$bad" ]; then
    echo "no assert() in the library (validate input and return a code):"; echo "$bad"; fail=1
fi
exit $fail
