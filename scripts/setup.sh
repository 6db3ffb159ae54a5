#!/bin/sh
# atea setup: installs, by Debian package name, exactly what atea needs to build, test,
# fuzz and benchmark today (libevent, ngtcp2 and GnuTLS join when the proxy and QUIC land).
# Idempotent: a second run installs nothing and exits quickly.
set -eu

PACKAGES="
  build-essential cmake ninja-build pkg-config clang llvm libclang-rt-14-dev clang-format git
  libssl-dev openssl
  libjansson-dev
  libcmocka-dev valgrind
  libtss2-dev swtpm swtpm-tools
  xxd
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "atea setup: all packages present"
    exit 0
fi

echo "atea setup: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
