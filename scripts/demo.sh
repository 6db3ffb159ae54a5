#!/bin/sh
# make demo: the main job of atea, over loopback.
set -eu
BUILD=${1:-build/release}
cd "$(dirname "$0")/.."
exec "$BUILD/atea" demo
