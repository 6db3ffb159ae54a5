#!/bin/sh
# atea server attesting with a real software TPM (swtpm), atea client pinning its attestation key;
# then diversion: genuine evidence from ANOTHER TPM, whose AK the policy does not pin, is refused.
. "$(dirname "$0")/lib.inc"
. "$ATEA_SOURCE_DIR/scripts/swtpm.inc"
command -v swtpm >/dev/null && command -v swtpm_setup >/dev/null ||
    fail "swtpm and swtpm_setup are required (scripts/setup.sh installs them)"
cleanup_tpm() { swtpm_stop; cleanup; }
trap cleanup_tpm EXIT

swtpm_start "$T/tpm1" || fail "cannot start swtpm"
TPM1=$SWTPM_TCTI
TPM1_PID=$SWTPM_PID
tpm_ak_policy "$T/tpm1.json" "$TPM1" || fail "cannot read the AK of the first TPM"
swtpm_start "$T/tpm2" || fail "cannot start a second swtpm"
TPM2=$SWTPM_TCTI

# 1. the server quotes with TPM 1; the client pins TPM 1's AK: accepted, data flows.
printf 'from the TPM-attested server\n' >"$T/s1.in"
start_server s1 --attest --platform tpm --tpm "$TPM1" --naccept 1 --timeout 20
(printf 'from the client\n'; sleep 2) | timeout 60 "$ATEA" client --connect "127.0.0.1:$PORT" \
    --verify-peer --policy "$T/tpm1.json" --timeout 20 -v >"$T/c1.out" 2>"$T/c1.err" ||
    fail "TPM attestation refused: client exit $?"
wait "$SERVER_PID" || fail "server exited $?"
grep -qx "from the TPM-attested server" "$T/c1.out" || fail "no data from the server"
grep -q "appraisal: affirming: tpm (tpm2)" "$T/c1.err" || fail "no affirming TPM appraisal"

# 2. diversion: the server quotes with TPM 2 (genuine, but not the one the policy pins).
start_server s2 --attest --platform tpm --tpm "$TPM2" --naccept 1 --timeout 20
set +e
echo hi | timeout 60 "$ATEA" client --connect "127.0.0.1:$PORT" --verify-peer \
    --policy "$T/tpm1.json" --timeout 20 >"$T/c2.out" 2>"$T/c2.err"
rc=$?
set -e
wait "$SERVER_PID" || true
[ "$rc" = 4 ] || fail "diverted TPM evidence: client exit $rc, want 4"
grep -q "ATEA_ERR_TPM_AK_UNTRUSTED" "$T/c2.err" || fail "diversion not named"
[ ! -s "$T/c2.out" ] || fail "data flowed from an unattested server"
kill "$TPM1_PID" 2>/dev/null || true
echo "attested_tpm: ok"
