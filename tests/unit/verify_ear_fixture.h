/* Shared fixture of the EAR tests (verify_ear_test.c, verify_ear_claims_test.c): keys, a
 * binding, signing helpers and JWS surgery (decode, change, re-encode, re-sign). Header-only. */
#ifndef ATEA_VERIFY_EAR_FIXTURE_H
#define ATEA_VERIFY_EAR_FIXTURE_H

#include <stdio.h>
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

static inline int setup(void **state)
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

static inline int teardown(void **state)
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

static inline atea_buf sign_with(EVP_PKEY *key, atea_ear_status tier, const uint8_t *nonce,
                                 size_t n, int64_t now)
{
    atea_appraisal *a = appraisal_at(tier);
    atea_buf jwt = {0};
    EXPECT_OK(atea_ear_sign(a, nonce, n, key, ATEA_EAR_ALG_AUTO, now, &jwt));
    atea_appraisal_free(a);
    return jwt;
}

static inline atea_buf good_jwt(fixture *f, EVP_PKEY *key)
{
    return sign_with(key, ATEA_EAR_AFFIRMING, f->binding.binder, f->binding.binder_len, NOW);
}

static inline atea_err verify_jwt(fixture *f, const atea_ear_trust *trust, const atea_buf *jwt,
                                  atea_appraisal **pa)
{
    EXPECT_OK(atea_appraisal_new(pa));
    return atea_ear_verify(&f->env, trust, &f->binding, jwt->data, jwt->len, *pa);
}

static inline void expect_verify(fixture *f, const atea_buf *jwt, atea_err code, const char *detail)
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

static inline void split_jwt(const atea_buf *jwt, parts *p)
{
    ear_jws jws;
    EXPECT_OK(atea__ear_jws_split(jwt->data, jwt->len, &jws));
    p->header = decode_json(jws.header_b64);
    p->payload = decode_json(jws.payload_b64);
    EXPECT_OK(
        atea__b64url_decode((const char *)jws.signature_b64.data, jws.signature_b64.len, &p->sig));
}

static inline void b64_json(atea_wr *wr, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_non_null(text);
    EXPECT_OK(atea__b64url_encode((const uint8_t *)text, strlen(text), wr));
    free(text);
}

/* Re-encode; with key, sign anew (ECDSA with the digest of the key's curve). */
static inline atea_buf join_jwt(parts *p, EVP_PKEY *key)
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

static inline void parts_free(parts *p)
{
    json_decref(p->header);
    json_decref(p->payload);
    atea_buf_free(&p->sig);
}

/* A good JWT of key, with header or payload member `name` replaced (value NULL: removed), and
 * re-signed by key. */
static inline atea_buf edited(fixture *f, EVP_PKEY *key, int in_header, const char *name,
                              json_t *value)
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

static inline void expect_edit(fixture *f, int in_header, const char *name, json_t *value,
                               atea_err code, const char *detail)
{
    atea_buf jwt = edited(f, f->p256, in_header, name, value);
    expect_verify(f, &jwt, code, detail);
    atea_buf_free(&jwt);
}

#endif
