/* The passport model's EAR (include/atea/ear.h): sign and verify round trips, and every check
 * failing with its exact code: JWS structure, algorithms, keys, signature, claims, nonce,
 * validity, caps; then through atea_verify_cmw with a policy. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "atea/cmw.h"
#include "atea/ear.h"
#include "atea/policy.h"
#include "atea/verify.h"
#include "atea_test.h"
#include "cmw/cmw_internal.h"
#include "core/wr.h"
#include "verify/ear_internal.h"

#define NOW 1800000000

typedef struct fixture {
    EVP_PKEY *p256;
    EVP_PKEY *p384;
    EVP_PKEY *other;      /* a P-256 key nobody trusts */
    uint8_t trusted[64];  /* SHA-256 of p256, then p384 */
    atea_ear_trust trust; /* both keys */
    atea_binding binding;
    atea_verify_env env;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->p256 = EVP_EC_gen("P-256");
    f->p384 = EVP_EC_gen("P-384");
    f->other = EVP_EC_gen("P-256");
    assert_true(f->p256 != NULL && f->p384 != NULL && f->other != NULL);
    EXPECT_OK(atea_ear_key_sha256(f->p256, f->trusted));
    EXPECT_OK(atea_ear_key_sha256(f->p384, f->trusted + 32));
    f->trust.key_sha256 = f->trusted;
    f->trust.count = 2;
    memset(f->binding.binder, 0xb1, 32);
    f->binding.binder_len = 32;
    memset(f->binding.aik_hash, 0xa1, 32);
    f->binding.aik_hash_len = 32;
    f->env.now = NOW;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    EVP_PKEY_free(f->p256);
    EVP_PKEY_free(f->p384);
    EVP_PKEY_free(f->other);
    free(f);
    return 0;
}

/* An appraisal of one "tdx" submodule at the given tier. */
static atea_appraisal *appraisal_at(atea_ear_status tier)
{
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_appraisal_claim_str(a, "tdx", "tcb_status", "UpToDate"));
    EXPECT_OK(atea_appraisal_add_reason(
        a, "tdx", tier, tier == ATEA_EAR_AFFIRMING ? ATEA_OK : ATEA_ERR_POLICY_DEBUG,
        "test reason"));
    return a;
}

static atea_buf sign_with(EVP_PKEY *key, atea_ear_status tier, const uint8_t *nonce, size_t n,
                          int64_t now)
{
    atea_appraisal *a = appraisal_at(tier);
    atea_buf jwt = {0};
    EXPECT_OK(atea_ear_sign(a, nonce, n, key, ATEA_EAR_ALG_AUTO, now, &jwt));
    atea_appraisal_free(a);
    return jwt;
}

static atea_buf good_jwt(fixture *f, EVP_PKEY *key)
{
    return sign_with(key, ATEA_EAR_AFFIRMING, f->binding.binder, f->binding.binder_len, NOW);
}

static atea_err verify_jwt(fixture *f, const atea_ear_trust *trust, const atea_buf *jwt,
                           atea_appraisal **pa)
{
    EXPECT_OK(atea_appraisal_new(pa));
    return atea_ear_verify(&f->env, trust, &f->binding, jwt->data, jwt->len, *pa);
}

static void expect_verify(fixture *f, const atea_buf *jwt, atea_err code, const char *detail)
{
    atea_appraisal *a = NULL;
    EXPECT_ERR(verify_jwt(f, &f->trust, jwt, &a), code);
    if (detail != NULL && strstr(atea_err_last()->detail, detail) == NULL) {
        fail_msg("detail \"%s\" lacks \"%s\"", atea_err_last()->detail, detail);
    }
    /* the failure is recorded in the appraisal too */
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    assert_true(atea_appraisal_has_reason(a, code));
    atea_appraisal_free(a);
}

/* ---- JWS surgery: decode, change, re-encode (and re-sign, so only the change is judged) ---- */

typedef struct parts {
    json_t *header;
    json_t *payload;
    atea_buf sig;
} parts;

static json_t *decode_json(atea_slice s)
{
    atea_buf text = {0};
    EXPECT_OK(atea__b64url_decode((const char *)s.data, s.len, &text));
    json_t *v = json_loadb((const char *)text.data, text.len, 0, NULL);
    assert_non_null(v);
    atea_buf_free(&text);
    return v;
}

static void split_jwt(const atea_buf *jwt, parts *p)
{
    ear_jws jws;
    EXPECT_OK(atea__ear_jws_split(jwt->data, jwt->len, &jws));
    p->header = decode_json(jws.header_b64);
    p->payload = decode_json(jws.payload_b64);
    EXPECT_OK(
        atea__b64url_decode((const char *)jws.signature_b64.data, jws.signature_b64.len, &p->sig));
}

static void b64_json(atea_wr *wr, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_non_null(text);
    EXPECT_OK(atea__b64url_encode((const uint8_t *)text, strlen(text), wr));
    free(text);
}

/* Re-encode; with key, sign anew (ECDSA with the digest of the key's curve). */
static atea_buf join_jwt(parts *p, EVP_PKEY *key)
{
    atea_wr wr;
    atea_buf out = {0};
    EXPECT_OK(atea_wr_init_growable(&wr, 1024, 4u * ATEA_EAR_MAX_JWT));
    b64_json(&wr, p->header);
    EXPECT_OK(atea_wr_u8(&wr, '.'));
    b64_json(&wr, p->payload);
    if (key != NULL) {
        const ear_alg_info *a = atea__ear_alg_of_key(key);
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        unsigned char der[160];
        size_t der_len = sizeof(der);
        assert_true(EVP_DigestSignInit(md, NULL, a->md(), NULL, key) == 1);
        assert_true(EVP_DigestSign(md, der, &der_len, atea_wr_data(&wr), atea_wr_len(&wr)) == 1);
        const unsigned char *q = der;
        ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &q, (long)der_len);
        atea_buf_free(&p->sig);
        p->sig.data = calloc(1, 2 * a->scalar_len);
        p->sig.len = 2 * a->scalar_len;
        BN_bn2binpad(ECDSA_SIG_get0_r(s), p->sig.data, (int)a->scalar_len);
        BN_bn2binpad(ECDSA_SIG_get0_s(s), p->sig.data + a->scalar_len, (int)a->scalar_len);
        ECDSA_SIG_free(s);
        EVP_MD_CTX_free(md);
    }
    EXPECT_OK(atea_wr_u8(&wr, '.'));
    EXPECT_OK(atea__b64url_encode(p->sig.data, p->sig.len, &wr));
    EXPECT_OK(atea_wr_u8(&wr, '\0')); /* printable; not part of the JWT */
    EXPECT_OK(atea_wr_take(&wr, &out));
    out.len--;
    atea_wr_dispose(&wr);
    return out;
}

static void parts_free(parts *p)
{
    json_decref(p->header);
    json_decref(p->payload);
    atea_buf_free(&p->sig);
}

/* A good JWT of key, with header or payload member `name` replaced (value NULL: removed), and
 * re-signed by key. */
static atea_buf edited(fixture *f, EVP_PKEY *key, int in_header, const char *name, json_t *value)
{
    atea_buf jwt = good_jwt(f, key);
    parts p = {0};
    split_jwt(&jwt, &p);
    json_t *obj = in_header ? p.header : p.payload;
    if (value != NULL) {
        json_object_set_new(obj, name, value);
    } else {
        json_object_del(obj, name);
    }
    atea_buf out = join_jwt(&p, key);
    parts_free(&p);
    atea_buf_free(&jwt);
    return out;
}

static void expect_edit(fixture *f, int in_header, const char *name, json_t *value, atea_err code,
                        const char *detail)
{
    atea_buf jwt = edited(f, f->p256, in_header, name, value);
    expect_verify(f, &jwt, code, detail);
    atea_buf_free(&jwt);
}

/* ---- round trips ---- */

static void round_trip(fixture *f, EVP_PKEY *key, const char *alg)
{
    atea_buf jwt = good_jwt(f, key);
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    assert_string_equal(atea_appraisal_submod_platform(a, 0), "ear");
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "alg")->str, alg);
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "tdx.status")->str, "affirming");
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "tdx.platform")->str, "intel-tdx");
    assert_int_equal(atea_appraisal_find_claim(a, "ear", "iat")->i, NOW);
    assert_int_equal(atea_appraisal_find_claim(a, "ear", "exp")->i,
                     NOW + ATEA_EAR_DEFAULT_LIFETIME);
    const atea_claim *nonce = atea_appraisal_find_claim(a, "ear", "nonce");
    assert_int_equal(nonce->bytes.len, f->binding.binder_len);
    assert_memory_equal(nonce->bytes.data, f->binding.binder, f->binding.binder_len);
    assert_null(atea_appraisal_find_claim(a, "ear", "simulated"));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

static void test_round_trip_es256(void **state)
{
    round_trip(*state, ((fixture *)*state)->p256, "ES256");
}

static void test_round_trip_es384(void **state)
{
    fixture *f = *state;
    f->binding.binder_len = 48; /* a SHA-384 suite's binder */
    memset(f->binding.binder, 0xb2, 48);
    round_trip(f, f->p384, "ES384");
}

/* The payload is the -03 claims-set with the names the draft gives (specs.md §5.2). */
static void test_claims_names(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    parts p = {0};
    split_jwt(&jwt, &p);
    assert_string_equal(json_string_value(json_object_get(p.payload, "eat_profile")),
                        ATEA_EAR_PROFILE_03);
    assert_string_equal(json_string_value(json_object_get(p.header, "alg")), "ES256");
    json_t *sub = json_object_get(json_object_get(p.payload, "submods"), "tdx");
    assert_string_equal(json_string_value(json_object_get(sub, "ear_status")), "affirming");
    assert_true(json_is_array(json_object_get(sub, "ear_appraisal_policy_ids")));
    assert_true(json_is_object(json_object_get(p.payload, "ear_verifier_id")));
    /* base64url of 32 bytes: 43 characters (EAR: 12..88) */
    assert_int_equal(strlen(json_string_value(json_object_get(p.payload, "eat_nonce"))), 43);
    parts_free(&p);
    atea_buf_free(&jwt);
}

/* ---- keys, algorithms, signature ---- */

static void test_untrusted_key(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->other);
    expect_verify(f, &jwt, ATEA_ERR_EAR_SIGNATURE, "not among the 2");
    atea_ear_trust none = {0};
    atea_appraisal *a = NULL;
    EXPECT_ERR(verify_jwt(f, &none, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

static void test_alg_not_accepted(void **state)
{
    fixture *f = *state;
    f->binding.binder_len = 48;
    atea_buf jwt = good_jwt(f, f->p384);
    atea_ear_trust only256 = f->trust;
    only256.algs = ATEA_EAR_ALG_BIT(ATEA_EAR_ALG_ES256);
    atea_appraisal *a = NULL;
    EXPECT_ERR(verify_jwt(f, &only256, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    assert_non_null(strstr(atea_err_last()->detail, "ES384"));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

static void test_alg_refused(void **state)
{
    fixture *f = *state;
    const char *refused[] = {"none", "HS256", "RS256", "PS256", "ES512", "EdDSA", "es256"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        expect_edit(f, 1, "alg", json_string(refused[i]), ATEA_ERR_EAR_MALFORMED, "is refused");
    }
    expect_edit(f, 1, "alg", NULL, ATEA_ERR_EAR_MALFORMED, "no \"alg\"");
    expect_edit(f, 1, "alg", json_integer(-7), ATEA_ERR_EAR_MALFORMED, "no \"alg\"");
}

/* "alg": "none" with an empty signature, the classic downgrade (RFC 8725 §2.1). */
static void test_alg_none_unsigned(void **state)
{
    fixture *f = *state;
    atea_buf jwt = edited(f, f->p256, 1, "alg", json_string("none"));
    char *last_dot = strrchr((char *)jwt.data, '.');
    assert_non_null(last_dot);
    jwt.len = (size_t)(last_dot - (char *)jwt.data) + 1;
    expect_verify(f, &jwt, ATEA_ERR_EAR_MALFORMED, "signature is empty");
    atea_buf_free(&jwt);
}

static void test_header_checks(void **state)
{
    fixture *f = *state;
    expect_edit(f, 1, "jwk", NULL, ATEA_ERR_EAR_MALFORMED, "no \"jwk\"");
    expect_edit(f, 1, "crit", json_pack("[s]", "exp"), ATEA_ERR_EAR_MALFORMED, "crit");
    expect_edit(f, 1, "typ", json_integer(1), ATEA_ERR_EAR_MALFORMED, "\"typ\"");
    expect_edit(f, 1, "kid", json_true(), ATEA_ERR_EAR_MALFORMED, "\"kid\"");
    /* the jwk itself */
    expect_edit(f, 1, "jwk", json_pack("{s:s,s:s}", "kty", "RSA", "n", "AQAB"),
                ATEA_ERR_EAR_MALFORMED, "not an EC key");
    expect_edit(f, 1, "jwk",
                json_pack("{s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-384", "x", "AA", "y", "AA"),
                ATEA_ERR_EAR_MALFORMED, "not P-256");
    expect_edit(f, 1, "jwk",
                json_pack("{s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256", "x",
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "y",
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                ATEA_ERR_EAR_MALFORMED, "not on curve");
    expect_edit(f, 1, "jwk",
                json_pack("{s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256", "x", "AA", "y", "AA"),
                ATEA_ERR_EAR_MALFORMED, "needs 32");
}

/* A jwk carrying the private scalar: refused even though everything else is right. */
static void test_header_private_key(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    parts p = {0};
    split_jwt(&jwt, &p);
    json_object_set_new(json_object_get(p.header, "jwk"), "d", json_string("AAAA"));
    atea_buf bad = join_jwt(&p, f->p256);
    expect_verify(f, &bad, ATEA_ERR_EAR_MALFORMED, "private key");
    parts_free(&p);
    atea_buf_free(&bad);
    atea_buf_free(&jwt);
}

static void test_signature_bit_flip(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    parts p = {0};
    split_jwt(&jwt, &p);
    p.sig.data[5] ^= 0x01;
    atea_buf bad = join_jwt(&p, NULL);
    expect_verify(f, &bad, ATEA_ERR_EAR_SIGNATURE, "does not verify");
    atea_buf_free(&bad);
    /* a changed claim under the original signature */
    p.sig.data[5] ^= 0x01;
    json_object_set_new(p.payload, "iat", json_integer(NOW - 1));
    bad = join_jwt(&p, NULL);
    expect_verify(f, &bad, ATEA_ERR_EAR_SIGNATURE, "does not verify");
    atea_buf_free(&bad);
    /* a signature of the wrong size (DER instead of R || S, say) */
    p.sig.len = 63;
    bad = join_jwt(&p, NULL);
    expect_verify(f, &bad, ATEA_ERR_EAR_MALFORMED, "R || S");
    atea_buf_free(&bad);
    parts_free(&p);
    atea_buf_free(&jwt);
}

/* The key in the header is swapped for another trusted key: the signature no longer verifies. */
static void test_key_substitution(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    atea_buf other = good_jwt(f, f->other);
    parts p = {0};
    parts q = {0};
    split_jwt(&jwt, &p);
    split_jwt(&other, &q);
    /* the untrusted signer claims the trusted key */
    json_object_set(q.header, "jwk", json_object_get(p.header, "jwk"));
    atea_buf bad = join_jwt(&q, NULL);
    expect_verify(f, &bad, ATEA_ERR_EAR_SIGNATURE, "does not verify");
    atea_buf_free(&bad);
    parts_free(&p);
    parts_free(&q);
    atea_buf_free(&other);
    atea_buf_free(&jwt);
}

/* ---- claims ---- */

static void test_nonce_mismatch(void **state)
{
    fixture *f = *state;
    uint8_t other[48];
    memset(other, 0xb1, sizeof(other));
    other[31] ^= 0x80;
    atea_buf jwt = sign_with(f->p256, ATEA_EAR_AFFIRMING, other, 32, NOW);
    expect_verify(f, &jwt, ATEA_ERR_EAR_NONCE_MISMATCH, "binder of this connection");
    atea_buf_free(&jwt);
    /* same prefix, other length */
    other[31] ^= 0x80;
    jwt = sign_with(f->p256, ATEA_EAR_AFFIRMING, other, 48, NOW);
    expect_verify(f, &jwt, ATEA_ERR_EAR_NONCE_MISMATCH, "48 bytes");
    atea_buf_free(&jwt);
    /* not base64url, too short, missing */
    expect_edit(f, 0, "eat_nonce", json_string("sGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGw="),
                ATEA_ERR_EAR_MALFORMED, "eat_nonce");
    expect_edit(f, 0, "eat_nonce", json_string("AAAAAAAA"), ATEA_ERR_EAR_MALFORMED, "8..64");
    expect_edit(f, 0, "eat_nonce", NULL, ATEA_ERR_EAR_MALFORMED, "eat_nonce");
}

static void test_binding_missing(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_ear_verify(&f->env, &f->trust, NULL, jwt.data, jwt.len, a),
               ATEA_ERR_BINDING_MISSING);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

static void test_validity(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    f->env.now = NOW + ATEA_EAR_DEFAULT_LIFETIME; /* exp reached */
    expect_verify(f, &jwt, ATEA_ERR_EAR_EXPIRED, "expired");
    f->env.now = NOW + ATEA_EAR_DEFAULT_LIFETIME - 1; /* last valid second */
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    atea_appraisal_free(a);
    f->env.now = NOW - ATEA_EAR_MAX_CLOCK_SKEW; /* iat at the edge of the skew */
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    atea_appraisal_free(a);
    f->env.now = NOW - ATEA_EAR_MAX_CLOCK_SKEW - 1; /* iat too far in the future */
    expect_verify(f, &jwt, ATEA_ERR_EAR_EXPIRED, "clock skew");
    f->env.now = NOW;
    atea_buf_free(&jwt);
    /* no exp at all is valid; a floating-point iat or exp is not */
    jwt = edited(f, f->p256, 0, "exp", NULL);
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_null(atea_appraisal_find_claim(a, "ear", "exp"));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    expect_edit(f, 0, "iat", json_real(NOW), ATEA_ERR_EAR_MALFORMED, "not an integer");
    expect_edit(f, 0, "exp", json_real(NOW + 10.5), ATEA_ERR_EAR_MALFORMED, "not an integer");
    expect_edit(f, 0, "iat", NULL, ATEA_ERR_EAR_MALFORMED, "no \"iat\"");
}

static void test_wrong_profile(void **state)
{
    fixture *f = *state;
    expect_edit(f, 0, "eat_profile", json_string("tag:github.com,2023:veraison/ear"),
                ATEA_ERR_EAR_MALFORMED, "is not tag:ietf.org,2026:rats/ear#03");
    expect_edit(f, 0, "eat_profile", NULL, ATEA_ERR_EAR_MALFORMED, "eat_profile");
}

static void test_claim_shapes(void **state)
{
    fixture *f = *state;
    expect_edit(f, 0, "ear_verifier_id", NULL, ATEA_ERR_EAR_MALFORMED, "ear_verifier_id");
    expect_edit(f, 0, "ear_verifier_id", json_pack("{s:s}", "developer", "x"),
                ATEA_ERR_EAR_MALFORMED, "\"build\"");
    expect_edit(f, 0, "submods", json_object(), ATEA_ERR_EAR_MALFORMED, "submods");
    expect_edit(f, 0, "submods", json_pack("{s:i}", "tdx", 2), ATEA_ERR_EAR_MALFORMED,
                "not an object");
    expect_edit(f, 0, "submods", json_pack("{s:{s:i}}", "tdx", "ear_status", 2),
                ATEA_ERR_EAR_MALFORMED, "ear_status");
    expect_edit(f, 0, "submods", json_pack("{s:{s:s}}", "tdx", "ear_status", "fine"),
                ATEA_ERR_EAR_MALFORMED, "\"fine\"");
    expect_edit(f, 0, "ear_status", json_string("great"), ATEA_ERR_EAR_MALFORMED, "\"great\"");
}

/* Unknown claims are ignored (draft-ietf-rats-ear-03: "A receiver MUST ignore any unknown
 * claim"); odd submod names get a generic claim name. */
static void test_unknown_claims_ignored(void **state)
{
    fixture *f = *state;
    atea_buf jwt = edited(
        f, f->p256, 0, "submods",
        json_pack("{s:{s:s,s:i}}", "PSA Platform!", "ear_status", "affirming", "x-unknown", 5));
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "submod0.status")->str, "affirming");
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

static void test_status_tiers(void **state)
{
    fixture *f = *state;
    const struct {
        atea_ear_status in;
        atea_ear_status out;
    } cases[] = {{ATEA_EAR_WARNING, ATEA_EAR_WARNING},
                 {ATEA_EAR_CONTRAINDICATED, ATEA_EAR_CONTRAINDICATED}};
    for (size_t i = 0; i < 2; i++) {
        atea_buf jwt = sign_with(f->p256, cases[i].in, f->binding.binder, 32, NOW);
        atea_appraisal *a = NULL;
        /* authentic and bound: ATEA_OK; the verdict is in the appraisal */
        EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
        assert_int_equal(atea_appraisal_status(a), cases[i].out);
        assert_true(atea_appraisal_has_reason(a, ATEA_ERR_NOT_AFFIRMED));
        atea_appraisal_free(a);
        atea_buf_free(&jwt);
    }
    /* "none" (nothing appraised) is never accepted */
    atea_buf jwt =
        edited(f, f->p256, 0, "submods", json_pack("{s:{s:s}}", "tdx", "ear_status", "none"));
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    /* a top-level status worse than the submods lowers the result */
    jwt = edited(f, f->p256, 0, "ear_status", json_string("warning"));
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

/* ---- structure and caps ---- */

static void expect_text(fixture *f, const char *text, atea_err code, const char *detail)
{
    atea_buf jwt = {(uint8_t *)(uintptr_t)text, strlen(text)};
    expect_verify(f, &jwt, code, detail);
}

static void test_malformed_structure(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    char *text = calloc(1, jwt.len + 8);
    memcpy(text, jwt.data, jwt.len);
    char *dot2 = strrchr(text, '.');
    expect_text(f, "", ATEA_ERR_EAR_MALFORMED, "header is empty");
    expect_text(f, "eyJhbGciOiJFUzI1NiJ9", ATEA_ERR_EAR_MALFORMED, "three parts");
    *dot2 = '\0'; /* two parts */
    expect_text(f, text, ATEA_ERR_EAR_MALFORMED, "three parts");
    *dot2 = '.';
    strcat(text, ".AAAA"); /* four parts */
    expect_text(f, text, ATEA_ERR_EAR_MALFORMED, "follow the JWS signature");
    text[jwt.len] = '='; /* padding */
    text[jwt.len + 1] = '\0';
    expect_text(f, text, ATEA_ERR_EAR_MALFORMED, "follow the JWS signature");
    text[jwt.len] = ' '; /* trailing whitespace */
    expect_text(f, text, ATEA_ERR_EAR_MALFORMED, "follow the JWS signature");
    text[jwt.len] = '\0';
    text[3] = '+'; /* base64 (not url) alphabet */
    expect_text(f, text, ATEA_ERR_EAR_MALFORMED, "neither base64url nor '.'");
    memcpy(text, jwt.data, jwt.len);
    text[0] = 'A'; /* header no longer decodes to JSON */
    expect_text(f, text, ATEA_ERR_EAR_MALFORMED, "not JSON");
    expect_text(f, "W10.e30.AAAA", ATEA_ERR_EAR_MALFORMED, "not a JSON object"); /* [] */
    expect_text(f, "e30.e30.AAAA", ATEA_ERR_EAR_MALFORMED, "no \"alg\"");        /* {} */
    /* non-canonical base64url: unused bits set in the last character */
    expect_text(f, "e31.e30.AAAA", ATEA_ERR_EAR_MALFORMED, "header");
    free(text);
    atea_buf_free(&jwt);
}

static void test_duplicate_header_key(void **state)
{
    fixture *f = *state;
    atea_wr wr;
    atea_buf jwt = {0};
    const char *dup = "{\"alg\":\"ES256\",\"alg\":\"none\"}";
    EXPECT_OK(atea_wr_init_growable(&wr, 64, 256));
    EXPECT_OK(atea__b64url_encode((const uint8_t *)dup, strlen(dup), &wr));
    EXPECT_OK(atea_wr_bytes(&wr, ".e30.AAAA", 9));
    EXPECT_OK(atea_wr_take(&wr, &jwt));
    expect_verify(f, &jwt, ATEA_ERR_EAR_MALFORMED, "duplicate");
    atea_buf_free(&jwt);
    atea_wr_dispose(&wr);
}

static void test_caps(void **state)
{
    fixture *f = *state;
    /* the whole JWT */
    atea_buf big = {calloc(1, ATEA_EAR_MAX_JWT + 1), ATEA_EAR_MAX_JWT + 1};
    memset(big.data, 'A', big.len);
    expect_verify(f, &big, ATEA_ERR_TOO_LARGE, "exceeds");
    atea_buf_free(&big);
    /* a header over its cap */
    char pad[ATEA_EAR_MAX_HEADER + 1];
    memset(pad, 'x', sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    expect_edit(f, 1, "x-pad", json_string(pad), ATEA_ERR_TOO_LARGE, "header");
    /* nesting at the cap (8 levels) passes, one deeper does not */
    json_t *deep = json_integer(1);
    for (int i = 0; i < 6; i++) {
        deep = json_pack("[o]", deep);
    }
    atea_buf jwt = edited(f, f->p256, 0, "x-deep", deep); /* payload(1) + 7 */
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    deep = json_integer(1);
    for (int i = 0; i < 8; i++) {
        deep = json_pack("[o]", deep);
    }
    expect_edit(f, 0, "x-deep", deep, ATEA_ERR_TOO_LARGE, "deeper");
    /* submods: 16 pass, 17 do not */
    json_t *subs = json_object();
    char name[16];
    for (unsigned i = 0; i < ATEA_EAR_MAX_SUBMODS; i++) {
        snprintf(name, sizeof(name), "s%u", i);
        json_object_set_new(subs, name, json_pack("{s:s}", "ear_status", "affirming"));
    }
    jwt = edited(f, f->p256, 0, "submods", json_deep_copy(subs));
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    json_object_set_new(subs, "s16", json_pack("{s:s}", "ear_status", "affirming"));
    expect_edit(f, 0, "submods", subs, ATEA_ERR_TOO_LARGE, "17 submods");
}

/* The decoded claims-set and signature have caps of their own; so has a nonce. */
static void test_part_caps(void **state)
{
    fixture *f = *state;
    /* claims-set: at the cap it is judged on its content, one byte over it is refused */
    atea_buf jwt = good_jwt(f, f->p256);
    parts p = {0};
    split_jwt(&jwt, &p);
    char *text = json_dumps(p.payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
    size_t base = strlen(text) + strlen(",\"x-pad\":\"\"");
    free(text);
    size_t pad_len = ATEA_EAR_MAX_PAYLOAD - base;
    char *pad = malloc(pad_len + 2);
    memset(pad, 'x', pad_len + 1);
    pad[pad_len] = '\0';
    json_object_set_new(p.payload, "x-pad", json_string(pad));
    atea_buf at_cap = join_jwt(&p, f->p256);
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &at_cap, &a));
    atea_appraisal_free(a);
    pad[pad_len] = 'x';
    pad[pad_len + 1] = '\0';
    json_object_set_new(p.payload, "x-pad", json_string(pad));
    atea_buf over = join_jwt(&p, f->p256);
    expect_verify(f, &over, ATEA_ERR_TOO_LARGE, "payload");
    free(pad);
    /* signature: more than any curve's R || S */
    atea_buf_free(&p.sig);
    p.sig.data = calloc(1, 2 * 66 + 4);
    p.sig.len = 2 * 66 + 4;
    json_object_del(p.payload, "x-pad");
    atea_buf long_sig = join_jwt(&p, NULL);
    expect_verify(f, &long_sig, ATEA_ERR_TOO_LARGE, "signature");
    parts_free(&p);
    atea_buf_free(&long_sig);
    atea_buf_free(&over);
    atea_buf_free(&at_cap);
    atea_buf_free(&jwt);
    /* a nonce of 65 bytes (88 base64url characters) */
    expect_edit(
        f, 0, "eat_nonce",
        json_string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                    "AAAAAAAAAAAAAAAA"),
        ATEA_ERR_TOO_LARGE, "eat_nonce");
    /* a jwk without its y coordinate */
    expect_edit(f, 1, "jwk",
                json_pack("{s:s,s:s,s:s}", "kty", "EC", "crv", "P-256", "x",
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                ATEA_ERR_EAR_MALFORMED, "no \"y\"");
}

/* An appraisal whose EAR would exceed the claims-set cap is refused when signing. */
static void test_sign_too_large(void **state)
{
    fixture *f = *state;
    atea_appraisal *a = appraisal_at(ATEA_EAR_AFFIRMING);
    static uint8_t blob[ATEA_APPRAISAL_MAX_CLAIM_BYTES];
    char name[32];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "blob%d", i);
        EXPECT_OK(atea_appraisal_claim_bytes(a, "tdx", name, blob, sizeof(blob)));
    }
    atea_buf jwt = {0};
    EXPECT_ERR(atea_ear_sign(a, f->binding.binder, 32, f->p256, ATEA_EAR_ALG_AUTO, NOW, &jwt),
               ATEA_ERR_TOO_LARGE);
    assert_null(jwt.data);
    atea_appraisal_free(a);
}

/* ---- issuing ---- */

static void test_sign_errors(void **state)
{
    fixture *f = *state;
    atea_appraisal *a = appraisal_at(ATEA_EAR_AFFIRMING);
    atea_appraisal *empty = NULL;
    atea_buf jwt = {0};
    EVP_PKEY *rsa = EVP_RSA_gen(2048);
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    EVP_PKEY *p521 = EVP_EC_gen("P-521");
    EXPECT_ERR(atea_ear_sign(a, f->binding.binder, 32, rsa, ATEA_EAR_ALG_AUTO, NOW, &jwt),
               ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ear_sign(a, f->binding.binder, 32, ed, ATEA_EAR_ALG_AUTO, NOW, &jwt),
               ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ear_sign(a, f->binding.binder, 32, p521, ATEA_EAR_ALG_AUTO, NOW, &jwt),
               ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ear_sign(a, f->binding.binder, 32, f->p256, ATEA_EAR_ALG_ES384, NOW, &jwt),
               ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ear_sign(a, f->binding.binder, 7, f->p256, ATEA_EAR_ALG_AUTO, NOW, &jwt),
               ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ear_sign(a, f->binding.binder, 65, f->p256, ATEA_EAR_ALG_AUTO, NOW, &jwt),
               ATEA_ERR_INVALID_ARG);
    EXPECT_OK(atea_appraisal_new(&empty));
    EXPECT_ERR(atea_ear_sign(empty, f->binding.binder, 32, f->p256, ATEA_EAR_ALG_AUTO, NOW, &jwt),
               ATEA_ERR_INVALID_ARG);
    EXPECT_OK(atea_ear_sign(a, f->binding.binder, 8, f->p256, ATEA_EAR_ALG_ES256, NOW, &jwt));
    assert_int_equal(strlen((const char *)jwt.data), jwt.len);
    atea_buf_free(&jwt);
    atea_appraisal_free(empty);
    atea_appraisal_free(a);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ed);
    EVP_PKEY_free(p521);
}

/* An EAR made by another implementation (Python "cryptography", the seed
 * fuzz/corpus/verify_eat_ear/es256_affirming): binder 32 x 0x11, iat 1800000000. */
static const char foreign_jwt[] =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImp3ayI6eyJrdHkiOiJFQyIsImNydiI6IlAtMjU2IiwieCI6IkVn"
    "ZEZjbVVUenowV3JKcHV0ZExXX2lMc1EwSUUzUzZ0dGJXalVvYURXQzQiLCJ5IjoiVVhMTmdiOUUzWVVLVmNRVzFx"
    "eEJ6bnE2dV9Wa01HSDB2S252LUdvR3lOSSJ9fQ.eyJlYXRfcHJvZmlsZSI6InRhZzppZXRmLm9yZywyMDI2OnJhd"
    "HMvZWFyIzAzIiwiaWF0IjoxODAwMDAwMDAwLCJleHAiOjE4MDAwMDAzMDAsImVhcl9zdGF0dXMiOiJhZmZpcm1pb"
    "mciLCJlYXJfdmVyaWZpZXJfaWQiOnsiZGV2ZWxvcGVyIjoiaHR0cHM6Ly9naXRodWIuY29tL2F0ZWEiLCJidWlsZ"
    "CI6ImF0ZWEgMC4xLjAifSwiZWF0X25vbmNlIjoiRVJFUkVSRVJFUkVSRVJFUkVSRVJFUkVSRVJFUkVSRVJFUkVSR"
    "VJFUkVSRSIsInN1Ym1vZHMiOnsic2ltIjp7ImVhcl9zdGF0dXMiOiJhZmZpcm1pbmciLCJlYXJfdHJ1c3R3b3J0a"
    "GluZXNzX3ZlY3RvciI6eyJpbnN0YW5jZS1pZGVudGl0eSI6Mn0sImVhcl9hcHByYWlzYWxfcG9saWN5X2lkcyI6W"
    "yJhdGVhOmZ1enoiXSwiYXRlYS5wbGF0Zm9ybSI6InNpbSJ9fX0.dk15zeZczqU_A6QvVrCmIzaI_llPZm9r3h-dm"
    "y7IwGz77wYwilWLlFLruEYQXwgeMPZMrOogu8mXeCdZWgV8Fg";

static void test_foreign_ear(void **state)
{
    fixture *f = *state;
    atea_buf jwt = {(uint8_t *)(uintptr_t)foreign_jwt, sizeof(foreign_jwt) - 1};
    parts p = {0};
    split_jwt(&jwt, &p);
    ear_jws_header h;
    EXPECT_OK(atea__ear_jws_header_read(p.header, &h));
    atea_ear_trust trust = {h.key_sha256, 1, 0};
    memset(f->binding.binder, 0x11, 32);
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &trust, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    assert_int_equal(atea_appraisal_find_claim(a, "ear", "simulated")->i, 1);
    atea_appraisal_free(a);
    atea__ear_jws_header_dispose(&h);
    parts_free(&p);
}

/* ---- through the verifier and a policy ---- */

static atea_policy *ear_policy(const char *ear_section)
{
    char text[1024];
    atea_policy *p = NULL;
    snprintf(text, sizeof(text), "{\"platforms\": {\"ear\": %s}}", ear_section);
    EXPECT_OK(atea_policy_load_mem(text, strlen(text), "policy.json", NULL, &p, NULL));
    return p;
}

static atea_err verify_cmw_with(fixture *f, const atea_policy *p, const atea_buf *jwt,
                                atea_appraisal **pa)
{
    atea_cmw *cmw = NULL;
    atea_buf bytes = {0};
    atea_verifier *v = NULL;
    atea_verify_opts o;
    atea_verify_opts_default(&o);
    o.policy = p;
    o.now = f->env.now;
    EXPECT_OK(atea_verifier_new(&o, &v));
    EXPECT_OK(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_EAR_JWT), jwt->data,
                                  jwt->len, ATEA_CMW_IND_ATTESTATION_RESULTS, &cmw));
    EXPECT_OK(atea_cmw_encode_cbor(cmw, &bytes));
    EXPECT_OK(atea_appraisal_new(pa));
    atea_err err = atea_verify_cmw(v, bytes.data, bytes.len, &f->binding, *pa);
    atea_buf_free(&bytes);
    atea_cmw_free(cmw);
    atea_verifier_free(v);
    return err;
}

static void test_verify_cmw_policy(void **state)
{
    fixture *f = *state;
    char hex[65];
    char section[512];
    atea_appraisal *a = NULL;
    atea_buf jwt = good_jwt(f, f->p256);
    EXPECT_OK(atea_hex_encode(f->trusted, 32, hex, sizeof(hex)));
    snprintf(section, sizeof(section), "{\"verifier_key_sha256\": [\"%s\"]}", hex);
    atea_policy *trusting = ear_policy(section);
    EXPECT_OK(verify_cmw_with(f, trusting, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    /* the default policy trusts no EAR verifier */
    atea_policy *dflt = NULL;
    EXPECT_OK(atea_policy_new_default(&dflt));
    EXPECT_ERR(verify_cmw_with(f, dflt, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    /* the policy accepts only ES384 */
    snprintf(section, sizeof(section),
             "{\"verifier_key_sha256\": [\"%s\"], \"algorithms\": [\"ES384\"]}", hex);
    atea_policy *only384 = ear_policy(section);
    EXPECT_ERR(verify_cmw_with(f, only384, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    /* policy rules apply to the EAR's claims: the tdx submodule must be affirming */
    snprintf(section, sizeof(section),
             "{\"verifier_key_sha256\": [\"%s\"], \"reference_values\": {\"tdx.status\": "
             "[\"warning\"]}}",
             hex);
    atea_policy *ref = ear_policy(section);
    EXPECT_ERR(verify_cmw_with(f, ref, &jwt, &a), ATEA_ERR_POLICY_REFERENCE_VALUE);
    atea_appraisal_free(a);
    /* a contraindicated EAR is refused */
    atea_buf bad = sign_with(f->p256, ATEA_EAR_CONTRAINDICATED, f->binding.binder, 32, NOW);
    EXPECT_ERR(verify_cmw_with(f, trusting, &bad, &a), ATEA_ERR_NOT_AFFIRMED);
    atea_appraisal_free(a);
    /* a policy listing platforms without "ear" refuses EARs */
    atea_policy *tdx_only = NULL;
    const char *tdx_text = "{\"platforms\": {\"tdx\": {}}}";
    EXPECT_OK(atea_policy_load_mem(tdx_text, strlen(tdx_text), "p.json", NULL, &tdx_only, NULL));
    EXPECT_ERR(verify_cmw_with(f, tdx_only, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    atea_policy_free(tdx_only);
    atea_buf_free(&bad);
    atea_policy_free(ref);
    atea_policy_free(only384);
    atea_policy_free(dflt);
    atea_policy_free(trusting);
    atea_buf_free(&jwt);
}

static void test_policy_pem_and_errors(void **state)
{
    fixture *f = *state;
    char path[] = "/tmp/atea-ear-key-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_true(PEM_write_PUBKEY(fp, f->p384) == 1);
    fclose(fp);
    char section[512];
    snprintf(section, sizeof(section), "{\"verifier_key_pem\": [\"%s\"]}", path);
    atea_policy *p = ear_policy(section);
    f->binding.binder_len = 48;
    atea_buf jwt = good_jwt(f, f->p384);
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_cmw_with(f, p, &jwt, &a));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    jwt = good_jwt(f, f->p256); /* trusted by the fixture, not by this policy */
    EXPECT_ERR(verify_cmw_with(f, p, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    atea_policy_free(p);
    unlink(path);
    /* loading errors */
    const struct {
        const char *text;
        atea_err code;
    } bad[] = {
        {"{\"platforms\": {\"ear\": {\"verifier_keys\": []}}}", ATEA_ERR_POLICY_UNKNOWN_KEY},
        {"{\"platforms\": {\"ear\": {\"algorithms\": [\"RS256\"]}}}", ATEA_ERR_POLICY_VALUE},
        {"{\"platforms\": {\"ear\": {\"algorithms\": []}}}", ATEA_ERR_POLICY_VALUE},
        {"{\"platforms\": {\"ear\": {\"verifier_key_sha256\": [\"abcd\"]}}}",
         ATEA_ERR_POLICY_VALUE},
        {"{\"platforms\": {\"ear\": {\"verifier_key_pem\": [\"/nonexistent.pem\"]}}}",
         ATEA_ERR_POLICY_READ},
        {"{\"platforms\": {\"sim\": {\"verifier_key_sha256\": []}}}", ATEA_ERR_POLICY_UNKNOWN_KEY},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        atea_policy *q = NULL;
        EXPECT_ERR(atea_policy_load_mem(bad[i].text, strlen(bad[i].text), "p.json", NULL, &q, NULL),
                   bad[i].code);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_es256, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip_es384, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claims_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_untrusted_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alg_not_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alg_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alg_none_unsigned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_private_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signature_bit_flip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_substitution, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nonce_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binding_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_claims_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_tiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_header_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_part_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_ear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_cmw_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_pem_and_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
