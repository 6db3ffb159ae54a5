/* The passport model's EAR (include/atea/ear.h): sign and verify round trips, and every JWS
 * check failing with its exact code: structure, algorithms, header, keys, signature, caps.
 * Claims, nonce, validity and policies: verify_ear_claims_test.c. */
#include "verify_ear_fixture.h"

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
    assert_false(atea_appraisal_is_simulated(a));
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
        cmocka_unit_test_setup_teardown(test_malformed_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_header_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_part_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_ear, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
