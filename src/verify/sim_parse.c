/*
 * Strict parser of simulated-TEE evidence (docs/evidence/SIM.md "Wire format"):
 *
 *   COSE_Sign1 = #6.18([ protected: bstr .cbor {1: -7}, unprotected: {33: [bstr, bstr]},
 *                        payload: bstr .cbor claims, signature: bstr .size 64 ])
 *
 * Everything is read through the bounded CBOR decoder; every shape deviation is
 * ATEA_ERR_SIM_MALFORMED naming the offset, every claim key is known and appears once, nothing
 * trails. No cryptography here (src/verify/sim.c does it).
 */
#include <string.h>

#include "atea/sim.h"
#include "core/cbor.h"
#include "core/check.h"

#define COSE_TAG_SIGN1 18
#define COSE_HDR_ALG 1
#define COSE_HDR_X5CHAIN 33
#define COSE_ALG_ES256 (-7)
#define SIM_CLAIMS_MAX 8
#define SIM_NONCE_MIN 8
#define SIM_NONCE_MAX 64

/* The protected header is exactly {1: -7}: ES256 is the only algorithm the sim uses, and a
 * verifier that accepted others would invite downgrade games. */
static atea_err parse_protected(atea_cbor_rd *c, atea_sim_evidence *out)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd hdr;
    size_t n = 0;
    uint64_t label = 0;
    int64_t alg = 0;
    size_t at = atea_cbor_pos(c);
    ATEA_TRY(atea_cbor_open_bstr(c, &hdr));
    out->protected_hdr.data = atea_rd_ptr(&hdr.rd);
    out->protected_hdr.len = atea_cbor_left(&hdr);
    ATEA_TRY(atea_cbor_read_map(&hdr, &n));
    ATEA_ENSURE_MSG(n == 1, ATEA_ERR_SIM_MALFORMED,
                    "protected header at offset %zu has %zu entries, expected only alg", at, n);
    ATEA_TRY(atea_cbor_read_uint(&hdr, &label));
    ATEA_TRY(atea_cbor_read_int(&hdr, &alg));
    ATEA_ENSURE_MSG(label == COSE_HDR_ALG && alg == COSE_ALG_ES256, ATEA_ERR_SIM_MALFORMED,
                    "protected header at offset %zu: label %llu alg %lld, expected 1: -7 (ES256)",
                    at, (unsigned long long)label, (long long)alg);
    ATEA_TRY(atea_cbor_end(&hdr));
out:
    return err;
}

static atea_err read_cert(atea_cbor_rd *c, atea_slice *cert)
{
    atea_err err = ATEA_OK;
    size_t at = atea_cbor_pos(c);
    ATEA_TRY(atea_cbor_read_bstr(c, cert));
    ATEA_ENSURE_MSG(cert->len >= 1 && cert->len <= ATEA_SIM_MAX_CERT, ATEA_ERR_SIM_MALFORMED,
                    "certificate at offset %zu is %zu bytes (1..%d)", at, cert->len,
                    ATEA_SIM_MAX_CERT);
out:
    return err;
}

/* Unprotected header: exactly {33: [identity certificate, root certificate]} (RFC 9360 x5chain,
 * leaf first). */
static atea_err parse_unprotected(atea_cbor_rd *c, atea_sim_evidence *out)
{
    atea_err err = ATEA_OK;
    size_t n = 0;
    uint64_t label = 0;
    size_t at = atea_cbor_pos(c);
    ATEA_TRY(atea_cbor_read_map(c, &n));
    ATEA_ENSURE_MSG(n == 1, ATEA_ERR_SIM_MALFORMED,
                    "unprotected header at offset %zu has %zu entries, expected only x5chain", at,
                    n);
    ATEA_TRY(atea_cbor_read_uint(c, &label));
    ATEA_ENSURE_MSG(label == COSE_HDR_X5CHAIN, ATEA_ERR_SIM_MALFORMED,
                    "unprotected header label %llu at offset %zu, expected 33 (x5chain)",
                    (unsigned long long)label, at);
    ATEA_TRY(atea_cbor_read_array(c, &n));
    ATEA_ENSURE_MSG(n == 2, ATEA_ERR_SIM_MALFORMED,
                    "x5chain has %zu certificates, expected 2 (identity, root)", n);
    ATEA_TRY(read_cert(c, &out->identity_cert));
    ATEA_TRY(read_cert(c, &out->root_cert));
out:
    return err;
}

/* A byte-string claim of min..max bytes. */
static atea_err read_bytes_claim(atea_cbor_rd *c, const char *name, size_t min, size_t max,
                                 atea_slice *out)
{
    atea_err err = ATEA_OK;
    size_t at = atea_cbor_pos(c);
    ATEA_TRY(atea_cbor_read_bstr(c, out));
    ATEA_ENSURE_MSG(out->len >= min && out->len <= max, ATEA_ERR_SIM_MALFORMED,
                    "claim %s at offset %zu is %zu bytes (%zu..%zu)", name, at, out->len, min, max);
out:
    return err;
}

enum {
    SEEN_PROFILE = 1u << 0,
    SEEN_IDENTITY = 1u << 1,
    SEEN_MEASUREMENT = 1u << 2,
    SEEN_PLATFORM_ID = 1u << 3,
    SEEN_DEBUG = 1u << 4,
    SEEN_SVN = 1u << 5,
    SEEN_NONCE = 1u << 6,
    SEEN_AIK_HASH = 1u << 7,
    SEEN_REQUIRED = (1u << 7) - 1u,
};

static int key_is(const atea_slice *key, const char *name)
{
    return key->len == strlen(name) && memcmp(key->data, name, key->len) == 0;
}

static atea_err parse_claim(atea_cbor_rd *c, const atea_slice *key, unsigned *seen,
                            atea_sim_evidence *out)
{
    atea_err err = ATEA_OK;
    unsigned bit = 0;
    atea_slice text;
    size_t at = atea_cbor_pos(c);
    if (key_is(key, ATEA_SIM_CLAIM_PROFILE)) {
        bit = SEEN_PROFILE;
        ATEA_TRY(atea_cbor_read_tstr(c, &text));
        ATEA_ENSURE_MSG(text.len == strlen(ATEA_SIM_PROFILE) &&
                            memcmp(text.data, ATEA_SIM_PROFILE, text.len) == 0,
                        ATEA_ERR_SIM_MALFORMED, "eat_profile at offset %zu is not %s", at,
                        ATEA_SIM_PROFILE);
    } else if (key_is(key, ATEA_SIM_CLAIM_IDENTITY)) {
        bit = SEEN_IDENTITY;
        ATEA_TRY(atea_cbor_read_tstr(c, &out->identity));
        ATEA_ENSURE_MSG(out->identity.len >= 1 && out->identity.len <= ATEA_SIM_MAX_IDENTITY_NAME,
                        ATEA_ERR_SIM_MALFORMED, "identity at offset %zu is %zu bytes", at,
                        out->identity.len);
    } else if (key_is(key, ATEA_SIM_CLAIM_MEASUREMENT)) {
        bit = SEEN_MEASUREMENT;
        ATEA_TRY(read_bytes_claim(c, ATEA_SIM_CLAIM_MEASUREMENT, 1, ATEA_SIM_MAX_MEASUREMENT,
                                  &out->measurement));
    } else if (key_is(key, ATEA_SIM_CLAIM_PLATFORM_ID)) {
        bit = SEEN_PLATFORM_ID;
        ATEA_TRY(read_bytes_claim(c, ATEA_SIM_CLAIM_PLATFORM_ID, 32, 32, &out->platform_id));
    } else if (key_is(key, ATEA_SIM_CLAIM_DEBUG)) {
        bit = SEEN_DEBUG;
        ATEA_TRY(atea_cbor_read_bool(c, &out->debug));
    } else if (key_is(key, ATEA_SIM_CLAIM_SVN)) {
        bit = SEEN_SVN;
        ATEA_TRY(atea_cbor_read_uint(c, &out->svn));
        ATEA_ENSURE_MSG(out->svn <= UINT32_MAX, ATEA_ERR_SIM_MALFORMED,
                        "svn at offset %zu exceeds 32 bits", at);
    } else if (key_is(key, ATEA_SIM_CLAIM_NONCE)) {
        bit = SEEN_NONCE;
        ATEA_TRY(
            read_bytes_claim(c, ATEA_SIM_CLAIM_NONCE, SIM_NONCE_MIN, SIM_NONCE_MAX, &out->nonce));
    } else if (key_is(key, ATEA_SIM_CLAIM_AIK_HASH)) {
        bit = SEEN_AIK_HASH;
        ATEA_TRY(read_bytes_claim(c, ATEA_SIM_CLAIM_AIK_HASH, SIM_NONCE_MIN, SIM_NONCE_MAX,
                                  &out->aik_hash));
    } else {
        ATEA_FAIL(ATEA_ERR_SIM_MALFORMED, "unknown claim '%.*s' before offset %zu",
                  (int)(key->len > 32 ? 32 : key->len), (const char *)key->data, at);
    }
    ATEA_ENSURE_MSG((*seen & bit) == 0, ATEA_ERR_SIM_MALFORMED,
                    "claim '%.*s' appears twice (offset %zu)", (int)key->len,
                    (const char *)key->data, at);
    *seen |= bit;
out:
    return err;
}

static atea_err parse_claims(atea_cbor_rd *c, atea_sim_evidence *out)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd claims;
    size_t n = 0;
    unsigned seen = 0;
    size_t at = atea_cbor_pos(c);
    ATEA_TRY(atea_cbor_open_bstr(c, &claims));
    out->payload.data = atea_rd_ptr(&claims.rd);
    out->payload.len = atea_cbor_left(&claims);
    ATEA_TRY(atea_cbor_read_map(&claims, &n));
    ATEA_ENSURE_MSG(n <= SIM_CLAIMS_MAX, ATEA_ERR_SIM_MALFORMED,
                    "payload at offset %zu has %zu claims, at most %d", at, n, SIM_CLAIMS_MAX);
    for (size_t i = 0; i < n; i++) {
        atea_slice key;
        ATEA_TRY(atea_cbor_read_tstr(&claims, &key));
        ATEA_TRY(parse_claim(&claims, &key, &seen, out));
    }
    ATEA_ENSURE_MSG((seen & SEEN_REQUIRED) == SEEN_REQUIRED, ATEA_ERR_SIM_MALFORMED,
                    "payload at offset %zu lacks required claims (have mask 0x%02x, need 0x%02x)",
                    at, seen, (unsigned)SEEN_REQUIRED);
    ATEA_TRY(atea_cbor_end(&claims));
out:
    return err;
}

atea_err atea_sim_evidence_parse(const uint8_t *data, size_t len, atea_sim_evidence *out)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd c;
    uint64_t tag = 0;
    size_t n = 0;
    ATEA_ENSURE(data != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_SIM_MAX_EVIDENCE, ATEA_ERR_TOO_LARGE,
                    "sim evidence of %zu bytes exceeds %d", len, ATEA_SIM_MAX_EVIDENCE);
    memset(out, 0, sizeof(*out));
    atea_cbor_rd_init(&c, data, len);
    ATEA_TRY(atea_cbor_read_tag(&c, &tag));
    ATEA_ENSURE_MSG(tag == COSE_TAG_SIGN1, ATEA_ERR_SIM_MALFORMED,
                    "tag %llu at offset 0, expected 18 (COSE_Sign1)", (unsigned long long)tag);
    ATEA_TRY(atea_cbor_read_array(&c, &n));
    ATEA_ENSURE_MSG(n == 4, ATEA_ERR_SIM_MALFORMED, "COSE_Sign1 has %zu elements, expected 4", n);
    ATEA_TRY(parse_protected(&c, out));
    ATEA_TRY(parse_unprotected(&c, out));
    ATEA_TRY(parse_claims(&c, out));
    size_t at = atea_cbor_pos(&c);
    ATEA_TRY(atea_cbor_read_bstr(&c, &out->signature));
    ATEA_ENSURE_MSG(out->signature.len == 64, ATEA_ERR_SIM_MALFORMED,
                    "signature at offset %zu is %zu bytes, expected 64 (ES256 r || s)", at,
                    out->signature.len);
    ATEA_TRY(atea_cbor_end(&c));
out:
    return err;
}
