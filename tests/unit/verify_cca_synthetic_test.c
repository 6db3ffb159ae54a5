/* Arm CCA verification on tokens built here with keys generated here: other algorithms and key
 * encodings, malformed COSE_Sign1 structures, claim errors, binding errors, and every cap at
 * the cap and one past it. The public samples are in verify_cca_samples_test.c. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "atea/appraisal.h"
#include "atea/cca.h"
#include "atea/verify_env.h"
#include "atea_test.h"
#include "core/cbor.h"
#include "core/check.h"
#include "core/wr.h"

#define MAX_TOKEN (128 * 1024)

/* What to build. Defaults (tok_default) give a valid ES384 tag-399 token. */
typedef struct tok {
    uint64_t tag;        /* 399 or 907 */
    EVP_PKEY *rak;       /* signs the realm token */
    EVP_PKEY *cpak;      /* signs the platform token */
    int rak_as_cose_key; /* 44237 as COSE_Key instead of a raw point */
    int64_t realm_alg;   /* alg in the realm protected header */
    int64_t platform_alg;
    const char *realm_hash_alg;     /* 44236 */
    size_t rim_len;                 /* 44238 */
    uint64_t lifecycle;             /* 2395 */
    size_t sw_count;                /* 2399 entries */
    int sw_drop_measurement;        /* component 0 lacks claim 2 */
    int wrong_platform_challenge;   /* 10 is not Hash(RAK) */
    size_t realm_extra;             /* extra unknown claims in the realm map */
    unsigned realm_nesting;         /* one extra claim holding this many nested arrays */
    int realm_dup_challenge;        /* claim 10 twice */
    int realm_drop_rim;             /* no 44238 */
    const uint8_t *realm_protected; /* raw protected-header bytes (NULL: {1: realm_alg}) */
    size_t realm_protected_len;
    const uint8_t *realm_unprotected; /* raw unprotected header (NULL: {}) */
    size_t realm_unprotected_len;
    size_t realm_sig_trim; /* drop this many bytes from the realm signature */
    int realm_payload_nil; /* realm payload as CBOR null (detached) */
    int64_t rak_cose_crv;  /* COSE_Key crv override (0: the key's) */
    uint8_t challenge[64];
} tok;

typedef struct keys {
    EVP_PKEY *p384_a;
    EVP_PKEY *p384_b;
    EVP_PKEY *p256;
    char cpak_path[64]; /* PEM of p384_b's public key */
} keys;

static void tok_default(tok *t, const keys *k)
{
    memset(t, 0, sizeof(*t));
    t->tag = 399;
    t->rak = k->p384_a;
    t->cpak = k->p384_b;
    t->realm_alg = -35;
    t->platform_alg = -35;
    t->realm_hash_alg = "sha-256";
    t->rim_len = 32;
    t->lifecycle = 0x3000;
    t->sw_count = 2;
    memset(t->challenge, 0x5a, sizeof(t->challenge));
}

static void wr_tstr(atea_wr *wr, const char *s)
{
    EXPECT_OK(atea_cbor_wr_tstr_z(wr, s));
}

static void wr_fill(atea_wr *wr, uint8_t v, size_t n)
{
    uint8_t buf[128];
    assert_true(n <= sizeof(buf));
    memset(buf, v, n);
    EXPECT_OK(atea_cbor_wr_bstr(wr, buf, n));
}

/* The RAK as claim 44237 bytes: 0x04 || X || Y, or COSE_Key {1:2, -1:crv, -2:x, -3:y}. */
static atea_buf rak_bytes(const tok *t)
{
    uint8_t point[200];
    size_t len = 0;
    atea_buf out = {0};
    assert_int_equal(EVP_PKEY_get_octet_string_param(t->rak, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                     point, sizeof(point), &len),
                     1);
    if (!t->rak_as_cose_key) {
        EXPECT_OK(atea_buf_set(&out, point, len));
        return out;
    }
    size_t n = (len - 1) / 2;
    atea_wr wr;
    EXPECT_OK(atea_wr_init_growable(&wr, 256, 1024));
    EXPECT_OK(atea_cbor_wr_map(&wr, 4));
    EXPECT_OK(atea_cbor_wr_int(&wr, 1));
    EXPECT_OK(atea_cbor_wr_int(&wr, 2));
    EXPECT_OK(atea_cbor_wr_int(&wr, -1));
    EXPECT_OK(atea_cbor_wr_int(&wr, t->rak_cose_crv ? t->rak_cose_crv
                                    : n == 32       ? 1
                                    : n == 48       ? 2
                                                    : 3));
    EXPECT_OK(atea_cbor_wr_int(&wr, -2));
    EXPECT_OK(atea_cbor_wr_bstr(&wr, point + 1, n));
    EXPECT_OK(atea_cbor_wr_int(&wr, -3));
    EXPECT_OK(atea_cbor_wr_bstr(&wr, point + 1 + n, n));
    EXPECT_OK(atea_wr_take(&wr, &out));
    atea_wr_dispose(&wr);
    return out;
}

static void realm_payload(const tok *t, const atea_buf *rak, atea_wr *wr)
{
    size_t n = 7 - (t->realm_drop_rim ? 1 : 0) + t->realm_extra + (t->realm_nesting ? 1 : 0) +
               (t->realm_dup_challenge ? 1 : 0);
    EXPECT_OK(atea_cbor_wr_map(wr, n));
    EXPECT_OK(atea_cbor_wr_uint(wr, 10));
    EXPECT_OK(atea_cbor_wr_bstr(wr, t->challenge, 64));
    if (t->realm_dup_challenge) {
        EXPECT_OK(atea_cbor_wr_uint(wr, 10));
        EXPECT_OK(atea_cbor_wr_bstr(wr, t->challenge, 64));
    }
    EXPECT_OK(atea_cbor_wr_uint(wr, 44235));
    wr_fill(wr, 0x11, 64);
    EXPECT_OK(atea_cbor_wr_uint(wr, 44236));
    wr_tstr(wr, t->realm_hash_alg);
    EXPECT_OK(atea_cbor_wr_uint(wr, 44237));
    EXPECT_OK(atea_cbor_wr_bstr(wr, rak->data, rak->len));
    if (!t->realm_drop_rim) {
        EXPECT_OK(atea_cbor_wr_uint(wr, 44238));
        wr_fill(wr, 0x22, t->rim_len);
    }
    EXPECT_OK(atea_cbor_wr_uint(wr, 44239));
    EXPECT_OK(atea_cbor_wr_array(wr, 4));
    for (int i = 0; i < 4; i++) {
        wr_fill(wr, (uint8_t)(0x30 + i), t->rim_len);
    }
    EXPECT_OK(atea_cbor_wr_uint(wr, 44240));
    wr_tstr(wr, "sha-256");
    for (size_t i = 0; i < t->realm_extra; i++) {
        EXPECT_OK(atea_cbor_wr_uint(wr, 90000 + i)); /* claims of a future profile */
        EXPECT_OK(atea_cbor_wr_uint(wr, i));
    }
    if (t->realm_nesting) {
        EXPECT_OK(atea_cbor_wr_uint(wr, 80000));
        for (unsigned i = 0; i < t->realm_nesting; i++) {
            EXPECT_OK(atea_cbor_wr_array(wr, 1));
        }
        EXPECT_OK(atea_cbor_wr_uint(wr, 0));
    }
}

static void platform_payload(const tok *t, const atea_buf *rak, atea_wr *wr)
{
    uint8_t h[32];
    unsigned int hl = 0;
    assert_int_equal(EVP_Digest(rak->data, rak->len, h, &hl, EVP_sha256(), NULL), 1);
    h[0] ^= (uint8_t)(t->wrong_platform_challenge ? 1 : 0);
    EXPECT_OK(atea_cbor_wr_map(wr, 8));
    EXPECT_OK(atea_cbor_wr_uint(wr, 265));
    wr_tstr(wr, "tag:arm.com,2023:cca_platform#1.0.0");
    EXPECT_OK(atea_cbor_wr_uint(wr, 10));
    EXPECT_OK(atea_cbor_wr_bstr(wr, h, hl));
    EXPECT_OK(atea_cbor_wr_uint(wr, 2396));
    wr_fill(wr, 0x44, 32);
    EXPECT_OK(atea_cbor_wr_uint(wr, 256));
    uint8_t ueid[33];
    memset(ueid, 0x55, sizeof(ueid));
    ueid[0] = 0x01;
    EXPECT_OK(atea_cbor_wr_bstr(wr, ueid, sizeof(ueid)));
    EXPECT_OK(atea_cbor_wr_uint(wr, 2401));
    wr_fill(wr, 0xcf, 4);
    EXPECT_OK(atea_cbor_wr_uint(wr, 2395));
    EXPECT_OK(atea_cbor_wr_uint(wr, t->lifecycle));
    EXPECT_OK(atea_cbor_wr_uint(wr, 2402));
    wr_tstr(wr, "sha-256");
    EXPECT_OK(atea_cbor_wr_uint(wr, 2399));
    EXPECT_OK(atea_cbor_wr_array(wr, t->sw_count));
    for (size_t i = 0; i < t->sw_count; i++) {
        int drop = i == 0 && t->sw_drop_measurement;
        EXPECT_OK(atea_cbor_wr_map(wr, drop ? 2 : 3));
        EXPECT_OK(atea_cbor_wr_uint(wr, 1));
        wr_tstr(wr, "BL");
        if (!drop) {
            EXPECT_OK(atea_cbor_wr_uint(wr, 2));
            wr_fill(wr, (uint8_t)i, 32);
        }
        EXPECT_OK(atea_cbor_wr_uint(wr, 5));
        wr_fill(wr, 0x66, 32);
    }
}

/* COSE_Sign1 (tag 18) over payload with key, r||s of the key's scalar size. */
static void sign1(atea_wr *wr, const tok *t, int realm, const atea_wr *payload)
{
    EVP_PKEY *key = realm ? t->rak : t->cpak;
    int64_t alg = realm ? t->realm_alg : t->platform_alg;
    const uint8_t *prot = realm ? t->realm_protected : NULL;
    size_t prot_len = realm ? t->realm_protected_len : 0;
    const uint8_t *unprot = realm ? t->realm_unprotected : NULL;
    size_t unprot_len = realm ? t->realm_unprotected_len : 0;
    uint8_t prot_buf[8];
    if (prot == NULL) {
        atea_wr p;
        atea_wr_init_fixed(&p, prot_buf, sizeof(prot_buf));
        EXPECT_OK(atea_cbor_wr_map(&p, 1));
        EXPECT_OK(atea_cbor_wr_int(&p, 1));
        EXPECT_OK(atea_cbor_wr_int(&p, alg));
        prot = prot_buf;
        prot_len = atea_wr_len(&p);
    }
    atea_wr tbs;
    EXPECT_OK(atea_wr_init_growable(&tbs, 1024, MAX_TOKEN));
    EXPECT_OK(atea_cbor_wr_array(&tbs, 4));
    wr_tstr(&tbs, "Signature1");
    EXPECT_OK(atea_cbor_wr_bstr(&tbs, prot, prot_len));
    EXPECT_OK(atea_cbor_wr_bstr(&tbs, NULL, 0));
    EXPECT_OK(atea_cbor_wr_bstr(&tbs, atea_wr_data(payload), atea_wr_len(payload)));
    int bits = EVP_PKEY_get_bits(key);
    size_t n = (size_t)(bits + 7) / 8;
    const EVP_MD *md = n == 32 ? EVP_sha256() : n == 48 ? EVP_sha384() : EVP_sha512();
    uint8_t der[160];
    size_t der_len = sizeof(der);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(ctx, NULL, md, NULL, key), 1);
    assert_int_equal(EVP_DigestSign(ctx, der, &der_len, atea_wr_data(&tbs), atea_wr_len(&tbs)), 1);
    EVP_MD_CTX_free(ctx);
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    assert_non_null(sig);
    uint8_t rs[132];
    assert_true(BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs, (int)n) == (int)n);
    assert_true(BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs + n, (int)n) == (int)n);
    ECDSA_SIG_free(sig);
    atea_wr_dispose(&tbs);
    static const uint8_t empty_map[] = {0xa0};
    EXPECT_OK(atea_cbor_wr_tag(wr, 18));
    EXPECT_OK(atea_cbor_wr_array(wr, 4));
    EXPECT_OK(atea_cbor_wr_bstr(wr, prot, prot_len));
    if (unprot == NULL) {
        unprot = empty_map;
        unprot_len = sizeof(empty_map);
    }
    EXPECT_OK(atea_wr_bytes(wr, unprot, unprot_len));
    if (realm && t->realm_payload_nil) {
        EXPECT_OK(atea_cbor_wr_null(wr));
    } else {
        EXPECT_OK(atea_cbor_wr_bstr(wr, atea_wr_data(payload), atea_wr_len(payload)));
    }
    EXPECT_OK(atea_cbor_wr_bstr(wr, rs, 2 * n - (realm ? t->realm_sig_trim : 0)));
}

static void entry(atea_wr *out, const tok *t, uint64_t key, const atea_wr *cose)
{
    EXPECT_OK(atea_cbor_wr_uint(out, key));
    if (t->tag == 907) {
        EXPECT_OK(atea_cbor_wr_array(out, 2));
        EXPECT_OK(atea_cbor_wr_uint(out, 263));
    }
    EXPECT_OK(atea_cbor_wr_bstr(out, atea_wr_data(cose), atea_wr_len(cose)));
}

static atea_buf build(const tok *t)
{
    atea_buf rak = rak_bytes(t);
    atea_wr rp, pp, rc, pc, out;
    EXPECT_OK(atea_wr_init_growable(&rp, 1024, MAX_TOKEN));
    EXPECT_OK(atea_wr_init_growable(&pp, 1024, MAX_TOKEN));
    EXPECT_OK(atea_wr_init_growable(&rc, 1024, MAX_TOKEN));
    EXPECT_OK(atea_wr_init_growable(&pc, 1024, MAX_TOKEN));
    EXPECT_OK(atea_wr_init_growable(&out, 2048, MAX_TOKEN));
    realm_payload(t, &rak, &rp);
    platform_payload(t, &rak, &pp);
    sign1(&rc, t, 1, &rp);
    sign1(&pc, t, 0, &pp);
    EXPECT_OK(atea_cbor_wr_tag(&out, t->tag));
    EXPECT_OK(atea_cbor_wr_map(&out, 2));
    entry(&out, t, 44234, &pc);
    entry(&out, t, 44241, &rc);
    atea_buf b = {0};
    EXPECT_OK(atea_wr_take(&out, &b));
    atea_wr_dispose(&rp);
    atea_wr_dispose(&pp);
    atea_wr_dispose(&rc);
    atea_wr_dispose(&pc);
    atea_wr_dispose(&out);
    atea_buf_free(&rak);
    return b;
}

/* Build t, verify it with the CPAK file and t->challenge as the binder. */
static atea_err run(const tok *t, const keys *k, atea_appraisal **pa)
{
    atea_buf b = build(t);
    atea_verify_env env = {
        .expected_report_data = t->challenge, .now = 0, .cca_cpak_pem_file = k->cpak_path};
    EXPECT_OK(atea_appraisal_new(pa));
    atea_err err = atea_cca_verify(&env, b.data, b.len, *pa);
    atea_buf_free(&b);
    return err;
}

static void expect_ok(const tok *t, const keys *k)
{
    atea_appraisal *a = NULL;
    EXPECT_OK(run(t, k, &a));
    atea_appraisal_free(a);
}

static void expect_fail(const tok *t, const keys *k, atea_err code)
{
    atea_appraisal *a = NULL;
    EXPECT_ERR(run(t, k, &a), code);
    assert_true(atea_appraisal_has_reason(a, code));
    atea_appraisal_free(a);
}

static int setup(void **state)
{
    keys *k = calloc(1, sizeof(*k));
    assert_non_null(k);
    k->p384_a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    k->p384_b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    k->p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_true(k->p384_a && k->p384_b && k->p256);
    snprintf(k->cpak_path, sizeof(k->cpak_path), "/tmp/atea-cca-test-XXXXXX");
    int fd = mkstemp(k->cpak_path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_PUBKEY(f, k->p384_b), 1);
    fclose(f);
    *state = k;
    return 0;
}

static int teardown(void **state)
{
    keys *k = *state;
    unlink(k->cpak_path);
    EVP_PKEY_free(k->p384_a);
    EVP_PKEY_free(k->p384_b);
    EVP_PKEY_free(k->p256);
    free(k);
    return 0;
}

static void test_valid_variants(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    expect_ok(&t, k);
    t.tag = 907;
    expect_ok(&t, k);
    t.rak_as_cose_key = 1;
    expect_ok(&t, k);
    /* An ES256 realm token signed by a P-256 RAK, sha-512 measurements. */
    tok_default(&t, k);
    t.rak = k->p256;
    t.realm_alg = -7;
    t.rak_as_cose_key = 1;
    t.realm_hash_alg = "sha-512";
    t.rim_len = 64;
    expect_ok(&t, k);
    t.rak_as_cose_key = 0;
    expect_ok(&t, k);
}

static void test_wrong_alg(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    t.realm_alg = -7; /* ES256 header, P-384 key */
    expect_fail(&t, k, ATEA_ERR_CCA_COSE_ALG);
    t.realm_alg = -8; /* EdDSA */
    expect_fail(&t, k, ATEA_ERR_CCA_COSE_ALG);
    tok_default(&t, k);
    t.platform_alg = -36; /* ES512 header, P-384 CPAK */
    expect_fail(&t, k, ATEA_ERR_CCA_COSE_ALG);
}

static void test_malformed_cose_headers(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    static const uint8_t empty[] = {0};
    t.realm_protected = empty; /* zero-length protected header: alg unsigned */
    t.realm_protected_len = 0;
    expect_fail(&t, k, ATEA_ERR_CCA_COSE);
    static const uint8_t no_alg[] = {0xa1, 0x03, 0x00}; /* {3: 0} */
    t.realm_protected = no_alg;
    t.realm_protected_len = sizeof(no_alg);
    expect_fail(&t, k, ATEA_ERR_CCA_COSE);
    static const uint8_t crit[] = {0xa2, 0x01, 0x38, 0x22, 0x02, 0x81, 0x01}; /* {1:-35, 2:[1]} */
    t.realm_protected = crit;
    t.realm_protected_len = sizeof(crit);
    expect_fail(&t, k, ATEA_ERR_CCA_COSE);
    static const uint8_t twice[] = {0xa2, 0x01, 0x38, 0x22, 0x01, 0x38, 0x22};
    t.realm_protected = twice;
    t.realm_protected_len = sizeof(twice);
    expect_fail(&t, k, ATEA_ERR_CCA_COSE);
    static const uint8_t trailing[] = {0xa1, 0x01, 0x38, 0x22, 0x00};
    t.realm_protected = trailing;
    t.realm_protected_len = sizeof(trailing);
    expect_fail(&t, k, ATEA_ERR_TRAILING);
    tok_default(&t, k);
    static const uint8_t alg_unprotected[] = {0xa1, 0x01, 0x38, 0x22};
    t.realm_unprotected = alg_unprotected;
    t.realm_unprotected_len = sizeof(alg_unprotected);
    expect_fail(&t, k, ATEA_ERR_CCA_COSE);
    static const uint8_t not_a_map[] = {0x80};
    t.realm_unprotected = not_a_map;
    t.realm_unprotected_len = sizeof(not_a_map);
    expect_fail(&t, k, ATEA_ERR_CBOR_TYPE);
}

static void test_malformed_cose_structure(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    atea_buf good = build(&t);
    atea_verify_env env = {.expected_report_data = t.challenge, .cca_cpak_pem_file = k->cpak_path};
    /* The platform COSE_Sign1 starts right after the outer 399 tag, map head, key 44234 and the
     * bstr head: d9 01 8f a2 19 ac ca 59 xx xx | d2 84 ... */
    assert_int_equal(good.data[10], 0xd2);
    assert_int_equal(good.data[11], 0x84);
    const struct {
        size_t at;
        uint8_t value;
        atea_err code;
    } cases[] = {
        {10, 0xd1, ATEA_ERR_CCA_COSE}, /* tag 17 (COSE_Mac0) */
        {11, 0x83, ATEA_ERR_CCA_COSE}, /* array of 3 */
        {11, 0xa4, ATEA_ERR_CCA_COSE}, /* a map */
        {12, 0x40, ATEA_ERR_CCA_COSE}, /* protected header bstr of length 0 */
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(cases); i++) {
        atea_appraisal *a = NULL;
        uint8_t saved = good.data[cases[i].at];
        good.data[cases[i].at] = cases[i].value;
        EXPECT_OK(atea_appraisal_new(&a));
        atea_err err = atea_cca_verify(&env, good.data, good.len, a);
        if (err != cases[i].code) {
            fail_msg("case %zu: expected %s, got %s: %s", i, atea_err_name(cases[i].code),
                     atea_err_name(err), atea_err_detail(err));
        }
        atea_appraisal_free(a);
        good.data[cases[i].at] = saved;
    }
    /* Wrong outer tag. */
    good.data[2] = 0x90; /* tag 400 */
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_cca_verify(&env, good.data, good.len, a), ATEA_ERR_CCA_FORMAT);
    atea_appraisal_free(a);
    atea_buf_free(&good);
}

static void test_claim_errors(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    t.realm_drop_rim = 1;
    expect_fail(&t, k, ATEA_ERR_CCA_CLAIM);
    tok_default(&t, k);
    t.realm_dup_challenge = 1;
    expect_fail(&t, k, ATEA_ERR_CCA_CLAIM);
    tok_default(&t, k);
    t.rim_len = 48; /* sha-256 realm with 48-byte measurements */
    expect_fail(&t, k, ATEA_ERR_CCA_CLAIM);
    tok_default(&t, k);
    t.realm_hash_alg = "md5";
    expect_fail(&t, k, ATEA_ERR_CCA_HASH_ALG);
    tok_default(&t, k);
    t.sw_drop_measurement = 1;
    expect_fail(&t, k, ATEA_ERR_CCA_SW_COMPONENT);
    tok_default(&t, k);
    t.sw_count = 0;
    expect_fail(&t, k, ATEA_ERR_CCA_SW_COMPONENT);
}

static void test_binding_and_challenge(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    t.wrong_platform_challenge = 1;
    expect_fail(&t, k, ATEA_ERR_CCA_PLATFORM_CHALLENGE);
    /* The realm signed by another key than the RAK it names. */
    tok_default(&t, k);
    atea_buf b = build(&t);
    tok other;
    tok_default(&other, k);
    other.rak = k->p384_b;
    atea_buf o = build(&other);
    /* Same layout: swap the realm signatures (the last 96 bytes). */
    assert_int_equal(b.len, o.len);
    memcpy(b.data + b.len - 96, o.data + o.len - 96, 96);
    atea_verify_env env = {.expected_report_data = t.challenge, .cca_cpak_pem_file = k->cpak_path};
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_cca_verify(&env, b.data, b.len, a), ATEA_ERR_CCA_REALM_SIGNATURE);
    atea_appraisal_free(a);
    atea_buf_free(&b);
    atea_buf_free(&o);
}

static void test_lifecycle_debug(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    t.lifecycle = 0x4001;
    atea_appraisal *a = NULL;
    EXPECT_OK(run(&t, k, &a));
    const atea_claim *c = atea_appraisal_find_claim(a, "cca", "debug");
    assert_non_null(c);
    assert_int_equal(c->i, 1);
    c = atea_appraisal_find_claim(a, "cca", "platform_lifecycle_state");
    assert_non_null(c);
    assert_string_equal(c->str, "non-psa-rot-debug");
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_CCA_LIFECYCLE));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
    t.lifecycle = 0x10000; /* not a 16-bit lifecycle */
    expect_fail(&t, k, ATEA_ERR_CCA_CLAIM);
}

static void test_caps(void **state)
{
    const keys *k = *state;
    tok t;
    /* Software components: at the cap, and one more. */
    tok_default(&t, k);
    t.sw_count = ATEA_CCA_MAX_SW_COMPONENTS;
    expect_ok(&t, k);
    t.sw_count = ATEA_CCA_MAX_SW_COMPONENTS + 1;
    expect_fail(&t, k, ATEA_ERR_TOO_LARGE);
    /* Claims per map: the 7 realm claims + extras. */
    tok_default(&t, k);
    t.realm_extra = ATEA_CCA_MAX_CLAIMS - 7;
    expect_ok(&t, k);
    t.realm_extra = ATEA_CCA_MAX_CLAIMS - 6;
    expect_fail(&t, k, ATEA_ERR_TOO_LARGE);
    /* Nesting inside a claim: the map is level 1, so a value may nest MAX_DEPTH - 1 deep. */
    tok_default(&t, k);
    t.realm_nesting = ATEA_CCA_MAX_DEPTH - 1;
    expect_ok(&t, k);
    t.realm_nesting = ATEA_CCA_MAX_DEPTH;
    expect_fail(&t, k, ATEA_ERR_CBOR_DEPTH);
    /* Token size. */
    uint8_t *big = calloc(1, ATEA_CCA_TOKEN_MAX_SIZE + 1);
    assert_non_null(big);
    atea_verify_env env = {.cca_cpak_pem_file = k->cpak_path};
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_cca_verify(&env, big, ATEA_CCA_TOKEN_MAX_SIZE + 1, a), ATEA_ERR_TOO_LARGE);
    atea_appraisal_free(a);
    free(big);
}

static void test_bad_rak(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    atea_buf b = build(&t);
    /* The raw RAK point follows "19 ad cd 58 61 04" (key 44237, bstr of 97); break its X. */
    uint8_t *at = NULL;
    for (size_t i = 0; i + 6 <= b.len && at == NULL; i++) {
        static const uint8_t marker[] = {0x19, 0xac, 0xcd, 0x58, 0x61, 0x04};
        if (memcmp(b.data + i, marker, sizeof(marker)) == 0) {
            at = b.data + i + sizeof(marker);
        }
    }
    assert_non_null(at);
    at[0] ^= 0x01; /* almost surely no longer on the curve */
    atea_verify_env env = {.expected_report_data = t.challenge, .cca_cpak_pem_file = k->cpak_path};
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_cca_verify(&env, b.data, b.len, a), ATEA_ERR_CCA_RAK);
    atea_appraisal_free(a);
    atea_buf_free(&b);
}

/* Verify bytes with the test CPAK and t's challenge as the binder; expect code. */
static void expect_bytes_fail(const tok *t, const keys *k, const uint8_t *data, size_t len,
                              atea_err code)
{
    atea_verify_env env = {.expected_report_data = t->challenge, .cca_cpak_pem_file = k->cpak_path};
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_cca_verify(&env, data, len, a), code);
    assert_true(atea_appraisal_has_reason(a, code));
    atea_appraisal_free(a);
}

/* Overwrite the first occurrence of `from` in b with `to` (same length). */
static void patch(atea_buf *b, const uint8_t *from, const uint8_t *to, size_t n)
{
    for (size_t i = 0; i + n <= b->len; i++) {
        if (memcmp(b->data + i, from, n) == 0) {
            memcpy(b->data + i, to, n);
            return;
        }
    }
    fail_msg("pattern not found");
}

static void test_collection_format(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    t.tag = 907;
    atea_buf b = build(&t);
    /* content-format 263 -> 264 in the first entry */
    patch(&b, (const uint8_t[]){0x82, 0x19, 0x01, 0x07}, (const uint8_t[]){0x82, 0x19, 0x01, 0x08},
          4);
    expect_bytes_fail(&t, k, b.data, b.len, ATEA_ERR_CCA_FORMAT);
    atea_buf_free(&b);
    tok_default(&t, k);
    b = build(&t);
    b.data[3] = 0xa1; /* a map of one entry */
    expect_bytes_fail(&t, k, b.data, b.len, ATEA_ERR_CCA_FORMAT);
    b.data[3] = 0xa2;
    patch(&b, (const uint8_t[]){0x19, 0xac, 0xd1}, (const uint8_t[]){0x19, 0xac, 0xca}, 3);
    expect_bytes_fail(&t, k, b.data, b.len, ATEA_ERR_CCA_FORMAT); /* platform key twice */
    patch(&b, (const uint8_t[]){0x19, 0xac, 0xca}, (const uint8_t[]){0x19, 0xac, 0xcb}, 3);
    expect_bytes_fail(&t, k, b.data, b.len, ATEA_ERR_CCA_FORMAT); /* unknown key */
    atea_buf_free(&b);
}

static void test_cose_signature_and_payload_shape(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    t.realm_sig_trim = 1; /* 95-byte ES384 signature */
    expect_fail(&t, k, ATEA_ERR_CCA_COSE);
    tok_default(&t, k);
    t.realm_payload_nil = 1;
    expect_fail(&t, k, ATEA_ERR_CCA_COSE);
}

static void test_rak_cose_key_errors(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    t.rak_as_cose_key = 1;
    t.rak_cose_crv = 1; /* P-256 with 48-byte coordinates */
    expect_fail(&t, k, ATEA_ERR_CCA_RAK);
    t.rak_cose_crv = 7; /* not an EC2 curve atea knows */
    expect_fail(&t, k, ATEA_ERR_CCA_RAK);
}

static void test_claim_types(void **state)
{
    const keys *k = *state;
    tok t;
    tok_default(&t, k);
    atea_buf b = build(&t);
    /* The realm challenge as a text string of 64 'Z' (claim 10, bstr 64 -> tstr 64). */
    atea_buf c = {0};
    EXPECT_OK(atea_buf_set(&c, b.data, b.len));
    patch(&c, (const uint8_t[]){0x0a, 0x58, 0x40}, (const uint8_t[]){0x0a, 0x78, 0x40}, 3);
    expect_bytes_fail(&t, k, c.data, c.len, ATEA_ERR_CCA_CLAIM);
    /* The platform instance id with UEID type 0x02. */
    patch(&b, (const uint8_t[]){0x58, 0x21, 0x01, 0x55}, (const uint8_t[]){0x58, 0x21, 0x02, 0x55},
          4);
    expect_bytes_fail(&t, k, b.data, b.len, ATEA_ERR_CCA_CLAIM);
    atea_buf_free(&b);
    atea_buf_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_variants),
        cmocka_unit_test(test_wrong_alg),
        cmocka_unit_test(test_malformed_cose_headers),
        cmocka_unit_test(test_malformed_cose_structure),
        cmocka_unit_test(test_claim_errors),
        cmocka_unit_test(test_binding_and_challenge),
        cmocka_unit_test(test_lifecycle_debug),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_bad_rak),
        cmocka_unit_test(test_collection_format),
        cmocka_unit_test(test_cose_signature_and_payload_shape),
        cmocka_unit_test(test_rak_cose_key_errors),
        cmocka_unit_test(test_claim_types),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
