#!/bin/sh
# atea server / atea client over loopback with the simulated TEE: attestation, a line each way,
# one re-attestation, mutual attestation, and the refusals (exit 4) a user must see.
. "$(dirname "$0")/lib.inc"

SIM="$T/sim"
# create the sim store and its root (the first attester creates it)
"$ATEA" evidence --platform sim --sim-dir "$SIM" --report-data "$(printf '%0128d' 0)" -o "$T/warmup.cmw" \
    2>/dev/null || fail "cannot create the sim store"
sim_policy "$T/trust-sim.json" "$SIM"
# an evidence source that is not there is a configuration error (exit 2), not a refusal
set +e
"$ATEA" evidence --platform tsm --tsm-root "$T/no-tsm" --report-data "$(printf '%0128d' 0)" \
    -o "$T/tsm.cmw" 2>"$T/tsm.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "evidence without configfs-tsm: exit $rc, want 2"
grep -q "ATEA_ERR_TSM_ROOT" "$T/tsm.err" || fail "evidence without configfs-tsm: no reason"
echo '{ "version": 1 }' >"$T/default.json"

# 1. server attests, client verifies; data both ways; the client re-attests the server once.
printf 'hello from server\n' >"$T/s1.in"
start_server s1 --attest --sim-dir "$SIM" --naccept 1 --timeout 10
(printf 'hello from client\n'; sleep 3) | timeout 30 "$ATEA" client --connect "127.0.0.1:$PORT" \
    --verify-peer --policy "$T/trust-sim.json" --reattest-after 1 --timeout 10 -v \
    >"$T/c1.out" 2>"$T/c1.err" || fail "client 1 exited $?"
wait "$SERVER_PID" || fail "server 1 exited $?"
grep -qx "hello from server" "$T/c1.out" || fail "client did not receive the server's line"
grep -qx "hello from client" "$T/s1.out" || fail "server did not receive the client's line"
grep -q "peer attested" "$T/c1.err" || fail "no attestation reported"
grep -q "peer re-attested" "$T/c1.err" || fail "no re-attestation reported"
grep -q "appraisal: affirming" "$T/c1.err" || fail "no appraisal printed with -v"
grep -q "SIMULATED TEE" "$T/c1.err" || fail "no warning that the sim is not a real TEE"

# 2. the relying party's policy does not trust the sim: exit 4 on both sides, reason shown.
start_server s2 --attest --sim-dir "$SIM" --naccept 1 --timeout 10
set +e
echo hi | timeout 30 "$ATEA" client --connect "127.0.0.1:$PORT" --verify-peer \
    --policy "$T/default.json" --timeout 10 >"$T/c2.out" 2>"$T/c2.err"
rc=$?
wait "$SERVER_PID"
src=$?
set -e
[ "$rc" = 4 ] || fail "untrusted sim: client exit $rc, want 4"
[ "$src" = 4 ] || fail "untrusted sim: server exit $src, want 4"
grep -q "ATEA_ERR_SIM_NOT_TRUSTED" "$T/c2.err" || fail "client does not name the reason"
grep -q "refused by the peer" "$T/s2.err" || fail "server not told why it was refused"
[ ! -s "$T/c2.out" ] || fail "application data flowed without attestation"

# 3. mutual attestation, two sim identities.
printf 'mutual server\n' >"$T/s3.in"
start_server s3 --mutual --sim-dir "$SIM" --sim-identity srv --policy "$T/trust-sim.json" \
    --naccept 1 --timeout 10
(printf 'mutual client\n'; sleep 2) | timeout 30 "$ATEA" client --connect "127.0.0.1:$PORT" --mutual \
    --sim-dir "$SIM" --sim-identity cli --policy "$T/trust-sim.json" --timeout 10 \
    >"$T/c3.out" 2>"$T/c3.err" || fail "mutual client exited $?"
wait "$SERVER_PID" || fail "mutual server exited $?"
grep -qx "mutual server" "$T/c3.out" || fail "mutual: client did not get data"
grep -qx "mutual client" "$T/s3.out" || fail "mutual: server did not get data"
grep -q "peer attested" "$T/s3.err" || fail "mutual: server did not attest the client"
grep -q "peer attested" "$T/c3.err" || fail "mutual: client did not attest the server"

# 4. a TLS 1.2 client is refused by the server's TLS stack.
start_server s4 --attest --sim-dir "$SIM" --naccept 1 --timeout 5
set +e
echo | timeout 10 openssl s_client -tls1_2 -connect "127.0.0.1:$PORT" >"$T/c4.out" 2>&1
wait "$SERVER_PID"
src=$?
set -e
[ "$src" = 3 ] || fail "TLS 1.2: server exit $src, want 3"
grep -q "ATEA_ERR_TLS_HANDSHAKE" "$T/s4.err" || fail "TLS 1.2: no handshake error reported"

# 5. a TLS 1.3 peer that does not speak atea (no ALPN atea/1) is refused.
start_server s5 --attest --sim-dir "$SIM" --naccept 1 --timeout 5
set +e
echo | timeout 10 openssl s_client -tls1_3 -alpn h2 -connect "127.0.0.1:$PORT" >"$T/c5.out" 2>&1
wait "$SERVER_PID"
src=$?
set -e
[ "$src" = 3 ] || fail "wrong ALPN: server exit $src, want 3"

# 6. a peer that completes TLS and then says nothing: the server gives up after --timeout.
start_server s6 --attest --sim-dir "$SIM" --naccept 1 --timeout 2
(sleep 5) | timeout 10 openssl s_client -tls1_3 -alpn atea/1 -connect "127.0.0.1:$PORT" \
    >"$T/c6.out" 2>&1 &
PIDS="$PIDS $!"
set +e
wait "$SERVER_PID"
src=$?
set -e
[ "$src" = 5 ] || fail "stalled peer: server exit $src, want 5"
grep -qi "timeout\|did not" "$T/s6.err" || fail "stalled peer: no timeout reported"
# 7. passport model: the server presents an EAT Attestation Result signed by an issuer key (its
#    evidence appraised by a local verifier standing in for a verification service); the client
#    trusts only that issuer key, not the sim. Another issuer key is refused (exit 4).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ear.pem" 2>/dev/null
openssl pkey -in "$T/ear.pem" -pubout -out "$T/ear.pub" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub" 2>/dev/null
cat >"$T/rp-ear.json" <<JSON
{ "version": 1, "platforms": { "ear": { "verifier_key_pem": ["$T/ear.pub"] } } }
JSON
cat >"$T/rp-other.json" <<JSON
{ "version": 1, "platforms": { "ear": { "verifier_key_pem": ["$T/other.pub"] } } }
JSON
printf 'passport server\n' >"$T/s7.in"
start_server s7 --attest --platform passport --ear-key "$T/ear.pem" --ear-policy "$T/trust-sim.json" \
    --sim-dir "$SIM" --naccept 2 --timeout 10
(printf 'passport client\n'; sleep 2) | timeout 30 "$ATEA" client --connect "127.0.0.1:$PORT" \
    --verify-peer --policy "$T/rp-ear.json" --timeout 10 -v >"$T/c7.out" 2>"$T/c7.err" ||
    fail "passport: client exited $?"
grep -qx "passport server" "$T/c7.out" || fail "passport: no data from the server"
grep -q "appraisal: affirming: ear (ear)" "$T/c7.err" || fail "passport: no EAR appraisal"
set +e
echo hi | timeout 30 "$ATEA" client --connect "127.0.0.1:$PORT" --verify-peer \
    --policy "$T/rp-other.json" --timeout 10 >"$T/c8.out" 2>"$T/c8.err"
rc=$?
wait "$SERVER_PID"
set -e
[ "$rc" = 4 ] || fail "passport with an untrusted issuer: client exit $rc, want 4"
grep -q "ATEA_ERR_EAR_SIGNATURE" "$T/c8.err" || fail "untrusted EAR issuer not named"
echo "attested_session: ok"
