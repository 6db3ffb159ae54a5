#!/bin/sh
# make demo: the main job of atea, over loopback.
#  1. RFC 9261 exported authenticators over TLS 1.3 (`atea demo`): requested, spontaneous, refused.
#  2. An attested session (`atea server` / `atea client`): the server attests with the simulated
#     TEE, the client appraises the evidence bound to this very connection, prints the appraisal,
#     a line goes each way, and the client has the server re-attest once.
#  3. The same with a real software TPM 2.0 (swtpm), when swtpm is installed (setup installs it).
set -eu
BUILD=${1:-build/release}
cd "$(dirname "$0")/.."
ATEA="$BUILD/atea"
"$ATEA" demo

T=$(mktemp -d)
SERVER=""
. ./scripts/swtpm.inc
trap 'kill $SERVER 2>/dev/null || true; swtpm_stop; rm -rf "$T"' EXIT
SIM="$T/sim"
# attested_demo TITLE POLICY SERVER-ARGS...: one attested connection, printed.
attested_demo() {
    title=$1
    policy=$2
    shift 2
    echo
    echo "== attested TLS: $title"
    : >"$T/server.err"
    (printf 'hello from the attested server\n'; sleep 4) | "$ATEA" server --accept 127.0.0.1:0 \
        --attest "$@" --naccept 1 --timeout 15 >"$T/server.out" 2>"$T/server.err" &
    SERVER=$!
    PORT=""
    i=0
    while [ -z "$PORT" ] && [ $i -lt 100 ]; do
        sleep 0.1
        PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/server.err" 2>/dev/null || true)
        i=$((i + 1))
    done
    [ -n "$PORT" ] || { cat "$T/server.err"; echo "demo: the server did not start"; exit 1; }
    (printf 'hello from the relying client\n'; sleep 3) | "$ATEA" client --connect "127.0.0.1:$PORT" \
        --verify-peer --policy "$policy" --reattest-after 1 --timeout 15 -v >"$T/client.out" \
        2>"$T/client.err" || { cat "$T/client.err"; echo "demo: the client failed"; exit 1; }
    wait $SERVER || { cat "$T/server.err"; echo "demo: the server failed"; exit 1; }
    SERVER=""
    echo "--- client (stderr: attestation and appraisal)"
    cat "$T/client.err"
    echo "--- client received: $(cat "$T/client.out")"
    echo "--- server (stderr)"
    cat "$T/server.err"
    echo "--- server received: $(cat "$T/server.out")"
}

SIM="$T/sim"
"$ATEA" evidence --platform sim --sim-dir "$SIM" --report-data "$(printf '00%.0s' $(seq 64))" \
    -o "$T/sim-warmup.cmw" 2>/dev/null
cat >"$T/sim-policy.json" <<JSON
{
  "version": 1,
  "id": "atea-demo-sim",
  "platforms": { "sim": { "trusted": true, "root_pem": ["$SIM/root.crt"] } }
}
JSON
echo
echo "policy: trust the demo's simulated TEE root ($SIM/root.crt), nothing else"
attested_demo "the server attests (simulated TEE), the client verifies" "$T/sim-policy.json" \
    --platform sim --sim-dir "$SIM"

if command -v swtpm >/dev/null && command -v swtpm_setup >/dev/null; then
    swtpm_start "$T/tpm" || { echo "demo: cannot start swtpm"; exit 1; }
    tpm_ak_policy "$T/tpm-policy.json" "$SWTPM_TCTI" || { echo "demo: cannot read the TPM's AK"; exit 1; }
    echo
    echo "policy: trust the attestation key of the demo's software TPM ($SWTPM_TCTI), nothing else"
    attested_demo "the server attests with a TPM 2.0 quote (swtpm), the client verifies" \
        "$T/tpm-policy.json" --platform tpm --tpm "$SWTPM_TCTI"
else
    echo
    echo "(swtpm is not installed: skipping the TPM part of the demo; scripts/setup.sh installs it)"
fi
echo
echo "== attested TLS demo complete"
