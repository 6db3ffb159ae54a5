#!/bin/sh
# make demo: the main job of atea, over loopback.
#  1. RFC 9261 exported authenticators over TLS 1.3 (`atea demo`): requested, spontaneous, refused.
#  2. An attested session (`atea server` / `atea client`): the server attests with the simulated
#     TEE (or a real software TPM through swtpm, when swtpm is installed and ATEA_DEMO_TPM=1), the
#     client appraises the evidence bound to this very connection, prints the appraisal, a line
#     goes each way, and the client has the server re-attest once.
set -eu
BUILD=${1:-build/release}
cd "$(dirname "$0")/.."
ATEA="$BUILD/atea"
"$ATEA" demo

T=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$T"' EXIT
SIM="$T/sim"
echo
echo "== attested TLS: the server attests (simulated TEE), the client verifies"
printf 'hello from the attested server\n' >"$T/server.in"
(cat "$T/server.in"; sleep 4) | "$ATEA" server --accept 127.0.0.1:0 --attest --platform sim \
    --sim-dir "$SIM" --naccept 1 --timeout 15 >"$T/server.out" 2>"$T/server.err" &
SERVER=$!
PORT=""
i=0
while [ -z "$PORT" ] && [ $i -lt 100 ]; do
    sleep 0.1
    PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/server.err")
    i=$((i + 1))
done
[ -n "$PORT" ] || { cat "$T/server.err"; echo "demo: the server did not start"; exit 1; }
cat >"$T/policy.json" <<JSON
{
  "version": 1,
  "id": "atea-demo",
  "platforms": { "sim": { "trusted": true, "root_pem": ["$SIM/root.crt"] } }
}
JSON
echo "policy: trust the demo's simulated TEE root ($SIM/root.crt), nothing else"
(printf 'hello from the relying client\n'; sleep 3) | "$ATEA" client --connect "127.0.0.1:$PORT" \
    --verify-peer --policy "$T/policy.json" --reattest-after 1 --timeout 15 -v >"$T/client.out" \
    2>"$T/client.err" || { cat "$T/client.err"; echo "demo: the client failed"; exit 1; }
wait $SERVER || { cat "$T/server.err"; echo "demo: the server failed"; exit 1; }
echo "--- client (stderr: attestation and appraisal)"
cat "$T/client.err"
echo "--- client received: $(cat "$T/client.out")"
echo "--- server (stderr)"
cat "$T/server.err"
echo "--- server received: $(cat "$T/server.out")"
echo "== attested TLS demo complete"
