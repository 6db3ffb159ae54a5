#!/bin/sh
# atea verify on the real public evidence in ../shared/testdata/evidence (read in place; the TDX
# collateral is copied into a temp dir only to give it the index file atea reads): accepted at the
# samples' pinned times, refused (exit 4) with the reason a person can act on.
. "$(dirname "$0")/lib.inc"
E="${ATEA_SHARED_DIR:-$ATEA_SOURCE_DIR/../shared}/testdata/evidence"
[ -d "$E" ] || fail "no evidence samples at $E"
zeros() { printf '00%.0s' $(seq "$1"); }
refused() { # refused CODE ARGS...: atea verify must exit 4 naming CODE
    code=$1
    shift
    set +e
    "$ATEA" verify -q "$@" >/dev/null 2>"$T/refused.err"
    rc=$?
    set -e
    [ "$rc" = 4 ] || fail "expected exit 4 ($code), got $rc: $(cat "$T/refused.err")"
    grep -q "$code" "$T/refused.err" || fail "expected $code: $(cat "$T/refused.err")"
}

# Intel TDX quote v5 with its collateral at 2026-02-10 (README): verified; the stale collateral
# leaves a warning, which this policy accepts.
mkdir "$T/tdx"
for f in sample_tcbinfo_response_v5 sample_qeIdentity_response tcb_signing_chain.pem pckcrl rootcrl.der; do
    cp "$E/tdx/$f" "$T/tdx/"
done
printf 'tcb_info = sample_tcbinfo_response_v5\nqe_identity = sample_qeIdentity_response\ntcb_signing_chain = tcb_signing_chain.pem\npck_crl = pckcrl\nroot_crl = rootcrl.der\n' \
    >"$T/tdx/atea-collateral.index"
echo '{ "version": 1, "accept_warning": true, "platforms": { "tdx": {} } }' >"$T/tdx.json"
RD=945eaacf5abc1f719d8666a942fda03d1edcb4490277396093dc5a5289ab9f1e094aed63060cd4a4933a4dd537ed1255c9c79ecb3ed82cd1b486233e31c25c3a
"$ATEA" verify --policy "$T/tdx.json" --at 2026-02-10 --collateral "$T/tdx" --report-data "$RD" \
    "$E/tdx/quote_v5_sample.dat" >"$T/tdx.out" 2>"$T/tdx.err" || fail "TDX v5 sample refused"
grep -q '"atea.platform": "intel-tdx"' "$T/tdx.out" || fail "TDX appraisal does not name the platform"
grep -q "$RD" "$T/tdx.out" || fail "TDX appraisal lacks REPORTDATA"
grep -q '"tcb_status"' "$T/tdx.out" || fail "TDX appraisal lacks the TCB status"
refused ATEA_ERR_TDX_REPORT_DATA --policy "$T/tdx.json" --at 2026-02-10 --collateral "$T/tdx" \
    --report-data "$(zeros 64)" "$E/tdx/quote_v5_sample.dat"
# without --at, today: the collateral has expired
echo '{ "version": 1, "platforms": { "tdx": {} } }' >"$T/tdx-strict.json"
refused ATEA_ERR_ --policy "$T/tdx-strict.json" --collateral "$T/tdx" --report-data "$RD" \
    "$E/tdx/quote_v5_sample.dat"

# AMD SEV-SNP (VCEK, Milan): accepted; the go-sev-guest sample allows DEBUG: refused by policy.
echo '{ "version": 1, "platforms": { "snp": {} } }' >"$T/snp.json"
"$ATEA" verify -q --policy "$T/snp.json" --at 2025-06-01 --certs "$E/sev-snp/trustee_test-vcek.der" \
    --certs "$E/sev-snp/ask_ark_milan.pem" \
    --report-data "ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2$(zeros 32)" \
    "$E/sev-snp/trustee_test-report.bin" || fail "SNP trustee sample refused"
refused ATEA_ERR_POLICY_DEBUG --policy "$T/snp.json" --at 2025-06-01 \
    --certs "$E/sev-snp/gsg_vcek.der" --certs "$E/sev-snp/ask_ark_milan.pem" \
    --report-data "0102030405$(zeros 59)" "$E/sev-snp/gsg_attestation.bin"
# the wrong product's root: a Genoa ARK cannot vouch for a Milan VCEK
refused ATEA_ERR_ --policy "$T/snp.json" --at 2025-06-01 \
    --certs "$E/sev-snp/trustee_test-vcek.der" --certs "$E/sev-snp/ask_ark_genoa.pem" \
    --report-data "ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2$(zeros 32)" \
    "$E/sev-snp/trustee_test-report.bin"

# Arm CCA (tag 399) with the test CPAK from the policy; another CPAK is refused.
echo "{ \"version\": 1, \"platforms\": { \"cca\": { \"cpak_pem\": \"$E/cca/cpak_pub.pem\" } } }" >"$T/cca.json"
"$ATEA" verify -q --policy "$T/cca.json" --report-data "$(printf 'ab%.0s' $(seq 64))" \
    "$E/cca/veraison_tf-rmm_cca_token.cbor" || fail "CCA sample refused"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 2>/dev/null |
    openssl pkey -pubout -out "$T/other-cpak.pem" 2>/dev/null
echo "{ \"version\": 1, \"platforms\": { \"cca\": { \"cpak_pem\": \"$T/other-cpak.pem\" } } }" >"$T/cca-other.json"
refused ATEA_ERR_CCA --policy "$T/cca-other.json" --report-data "$(printf 'ab%.0s' $(seq 64))" \
    "$E/cca/veraison_tf-rmm_cca_token.cbor"
# Files the user names that cannot be used are configuration errors (exit 2) that name the
# option, reported before any evidence is appraised.
exits() { # exits RC PATTERN ARGS...: atea verify must exit RC with PATTERN on stderr
    want=$1
    pattern=$2
    shift 2
    set +e
    "$ATEA" verify -q "$@" >/dev/null 2>"$T/exits.err"
    rc=$?
    set -e
    [ "$rc" = "$want" ] || fail "expected exit $want ($pattern), got $rc: $(cat "$T/exits.err")"
    grep -q -- "$pattern" "$T/exits.err" || fail "expected '$pattern': $(cat "$T/exits.err")"
}
exits 2 "--collateral $T/no-such-dir" --policy "$T/tdx.json" --at 2026-02-10 \
    --collateral "$T/no-such-dir" --report-data "$RD" "$E/tdx/quote_v5_sample.dat"
exits 2 "--collateral $T/tdx.json: not a directory" --policy "$T/tdx.json" --at 2026-02-10 \
    --collateral "$T/tdx.json" --report-data "$RD" "$E/tdx/quote_v5_sample.dat"
exits 2 "--certs $T/no-such.pem" --policy "$T/snp.json" --at 2025-06-01 \
    --certs "$T/no-such.pem" --certs "$E/sev-snp/ask_ark_milan.pem" \
    --report-data "ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2$(zeros 32)" \
    "$E/sev-snp/trustee_test-report.bin"
echo "verify_samples: ok"
