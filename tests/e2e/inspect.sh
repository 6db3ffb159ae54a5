#!/bin/sh
# atea inspect: decodes RFC 9261 messages given as hex or binary, and names the fault and its
# offset in malformed ones (exit 5), never crashing.
set -eu
: "${ATEA:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# specs.md Appendix A.2: a server's CertificateRequest with signature_algorithms and an empty
# cmw_attestation (placeholder codepoint 0xFFFF).
cr=0d00003120000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f000e000d0006000408070403ffff0000
echo "$cr" >"$tmp/cr.hex"
"$ATEA" inspect --cmw-ext 65535 "$tmp/cr.hex" >"$tmp/out" || fail "valid request rejected"
grep -q "CertificateRequest (13)" "$tmp/out" || fail "no CertificateRequest in: $(cat "$tmp/out")"
grep -q "ed25519 (0x0807)" "$tmp/out" || fail "sigalgs not decoded"
grep -qi "cmw_attestation" "$tmp/out" || fail "cmw_attestation not named"

# the same bytes in binary on stdin
printf '%s' "$cr" | xxd -r -p | "$ATEA" inspect --cmw-ext 65535 - >"$tmp/out2" || fail "binary stdin"
grep -q "CertificateRequest (13)" "$tmp/out2" || fail "binary input not decoded"

# truncated: exit 5 and an offset in the diagnostic
echo "${cr%????}" >"$tmp/trunc.hex"
set +e
"$ATEA" inspect "$tmp/trunc.hex" >"$tmp/out3" 2>"$tmp/err3"
rc=$?
set -e
[ "$rc" = 5 ] || fail "truncated input: exit $rc, want 5"
grep -q "offset" "$tmp/err3" || fail "no offset in: $(cat "$tmp/err3")"
grep -q "ATEA_ERR_" "$tmp/err3" || fail "no error name in: $(cat "$tmp/err3")"

# trailing garbage
echo "${cr}00" >"$tmp/trail.hex"
set +e
"$ATEA" inspect "$tmp/trail.hex" >/dev/null 2>"$tmp/err4"
rc=$?
set -e
[ "$rc" = 5 ] || fail "trailing byte: exit $rc, want 5"

# not hex, not a message
printf 'hello world' >"$tmp/junk"
set +e
"$ATEA" inspect "$tmp/junk" >/dev/null 2>"$tmp/err5"
rc=$?
set -e
[ "$rc" = 5 ] || fail "junk: exit $rc, want 5"
grep -q "ATEA_ERR_CLI_UNRECOGNISED" "$tmp/err5" || fail "junk not reported: $(cat "$tmp/err5")"

# a file that does not exist: exit 2
set +e
"$ATEA" inspect "$tmp/nope" >/dev/null 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "missing file: exit $rc, want 2"
# raw evidence from ../shared, read in place: recognised, decoded, never called verified
ev="${ATEA_SHARED_DIR:-$ATEA_SOURCE_DIR/../shared}/testdata/evidence"
"$ATEA" inspect "$ev/tdx/tdx_prod_quote_SPR_E4.dat" >"$tmp/tdx" || fail "TDX quote not decoded"
grep -q "Intel TDX quote v4" "$tmp/tdx" || fail "TDX quote not recognised"
grep -q "not verified" "$tmp/tdx" || fail "inspect must not look like verification"
"$ATEA" inspect "$ev/sev-snp/gsg_attestation.bin" >"$tmp/snp" || fail "SNP report not decoded"
grep -q "DEBUG: 1" "$tmp/snp" || fail "SNP debug policy bit not shown"
# truncated evidence: exit 5, fault named
head -c 700 "$ev/tdx/tdx_prod_quote_SPR_E4.dat" >"$tmp/short.dat"
set +e
"$ATEA" inspect --type tdx "$tmp/short.dat" >/dev/null 2>"$tmp/err6"
rc=$?
set -e
[ "$rc" = 5 ] || fail "truncated quote: exit $rc, want 5"
grep -q "ATEA_ERR_TRUNCATED" "$tmp/err6" || fail "truncation not named: $(cat "$tmp/err6")"
echo "inspect: ok"
