/*
 * The TPM quote verifier on synthetic quotes: TPMS_ATTEST built here byte by byte (TPM 2.0
 * Part 2 §10.12.12), signed with OpenSSL keys, so that every algorithm, cap and malformation
 * the real swtpm never produces is covered (evidence_tpm_test.c covers real quotes).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "atea/appraisal.h"
#include "atea/tpm.h"
#include "atea_test.h"
#include "core/wr.h"
#include "verify/tpm_attest.h"

#define MAX_TEST_BANKS 6

typedef struct quote_spec {
    uint32_t magic;
    uint16_t type;
    size_t extra_len;
    uint8_t safe;
    uint64_t firmware;
    uint32_t bank_count;
    uint16_t bank_hash[MAX_TEST_BANKS];
    uint8_t select_size[MAX_TEST_BANKS];
    uint8_t select[MAX_TEST_BANKS][6];
    uint16_t sig_alg;
    uint16_t sig_hash;
    size_t pcr_digest_skew; /* bytes of pcrs count to add (count mismatch) */
    size_t name_len;        /* qualifiedSigner size (default 34: SHA-256 name) */
    size_t digest_len;      /* pcrDigest size written (0: the real digest's) */
} quote_spec;

typedef struct built {
    atea_buf attest;
    atea_buf sig;
    atea_buf pcrs;
    atea_buf spki;
    uint8_t ak_hash[32];
} built;

typedef struct keys {
    EVP_PKEY *ec;
    EVP_PKEY *rsa;
    EVP_PKEY *ed;
} keys;

static const uint8_t REPORT_DATA[64] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static quote_spec default_spec(void)
{
    quote_spec s = {
        .magic = ATEA_TPM_GENERATED_VALUE,
        .type = ATEA_TPM_ST_ATTEST_QUOTE,
        .extra_len = 64,
        .safe = 1,
        .firmware = 0x2000100000000ull,
        .bank_count = 1,
        .bank_hash = {ATEA_TPM_ALG_SHA256},
        .select_size = {3},
        .select = {{0x83, 0x00, 0x01}}, /* PCRs 0, 1, 7, 16 */
        .sig_alg = ATEA_TPM_ALG_ECDSA,
        .sig_hash = ATEA_TPM_ALG_SHA256,
    };
    return s;
}

static const EVP_MD *md_of(uint16_t alg)
{
    const char *name = atea__tpm_alg_name(alg);
    return name != NULL ? EVP_get_digestbyname(name) : EVP_sha256();
}

/* PCR i of bank b holds bytes 0x10*b + i. Writes the pcrs part and hashes the values. */
static void write_pcrs(const quote_spec *s, atea_wr *pcrs, EVP_MD_CTX *digest)
{
    uint32_t count = 0;
    EXPECT_OK(atea_wr_u32(pcrs, s->bank_count));
    for (uint32_t b = 0; b < s->bank_count; b++) {
        EXPECT_OK(atea_wr_u16(pcrs, s->bank_hash[b]));
        EXPECT_OK(atea_wr_vec(pcrs, 1, s->select[b], s->select_size[b]));
        for (unsigned i = 0; i < 8u * s->select_size[b]; i++) {
            count += (s->select[b][i / 8] >> (i % 8)) & 1;
        }
    }
    EXPECT_OK(atea_wr_u32(pcrs, count + (uint32_t)s->pcr_digest_skew));
    for (uint32_t b = 0; b < s->bank_count; b++) {
        size_t size = atea__tpm_alg_digest_size(s->bank_hash[b]);
        for (unsigned i = 0; i < 8u * s->select_size[b]; i++) {
            if ((s->select[b][i / 8] >> (i % 8)) & 1) {
                uint8_t v[64];
                memset(v, (int)(0x10 * b + i), sizeof(v));
                EXPECT_OK(atea_wr_vec(pcrs, 2, v, size));
                EVP_DigestUpdate(digest, v, size);
            }
        }
    }
}

static void write_attest(const quote_spec *s, const uint8_t *pcr_digest, unsigned digest_len,
                         atea_wr *w)
{
    uint8_t name[80] = {0x00, 0x0b, 0xaa};
    uint8_t digest[80] = {0};
    uint8_t extra[80];
    memset(extra, 0, sizeof(extra));
    memcpy(extra, REPORT_DATA, sizeof(REPORT_DATA));
    EXPECT_OK(atea_wr_u32(w, s->magic));
    EXPECT_OK(atea_wr_u16(w, s->type));
    EXPECT_OK(atea_wr_vec(w, 2, name, s->name_len != 0 ? s->name_len : 34));
    EXPECT_OK(atea_wr_vec(w, 2, extra, s->extra_len));
    EXPECT_OK(atea_wr_u64(w, 123456789)); /* clock */
    EXPECT_OK(atea_wr_u32(w, 3));         /* resetCount */
    EXPECT_OK(atea_wr_u32(w, 4));         /* restartCount */
    EXPECT_OK(atea_wr_u8(w, s->safe));
    EXPECT_OK(atea_wr_u64(w, s->firmware));
    EXPECT_OK(atea_wr_u32(w, s->bank_count));
    for (uint32_t b = 0; b < s->bank_count; b++) {
        EXPECT_OK(atea_wr_u16(w, s->bank_hash[b]));
        EXPECT_OK(atea_wr_vec(w, 1, s->select[b], s->select_size[b]));
    }
    memcpy(digest, pcr_digest, digest_len);
    EXPECT_OK(atea_wr_vec(w, 2, digest, s->digest_len != 0 ? s->digest_len : digest_len));
}

/* TPMT_SIGNATURE over attest with key, in the TPM's encoding. */
static void write_signature(const quote_spec *s, EVP_PKEY *key, const atea_buf *attest, atea_wr *w)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    uint8_t sig[1024];
    size_t sig_len = sizeof(sig);

    assert_int_equal(EVP_DigestSignInit(ctx, &pctx, md_of(s->sig_hash), NULL, key), 1);
    if (s->sig_alg == ATEA_TPM_ALG_RSAPSS) {
        assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
        assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
    }
    assert_int_equal(EVP_DigestSign(ctx, sig, &sig_len, attest->data, attest->len), 1);
    EXPECT_OK(atea_wr_u16(w, s->sig_alg));
    EXPECT_OK(atea_wr_u16(w, s->sig_hash));
    if (EVP_PKEY_is_a(key, "EC")) {
        const uint8_t *p = sig;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)sig_len);
        uint8_t r[32];
        uint8_t sv[32];
        assert_non_null(es);
        BN_bn2binpad(ECDSA_SIG_get0_r(es), r, 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(es), sv, 32);
        EXPECT_OK(atea_wr_vec(w, 2, r, 32));
        EXPECT_OK(atea_wr_vec(w, 2, sv, 32));
        ECDSA_SIG_free(es);
    } else {
        EXPECT_OK(atea_wr_vec(w, 2, sig, sig_len));
    }
    EVP_MD_CTX_free(ctx);
}

static void build(const quote_spec *s, EVP_PKEY *key, built *out)
{
    atea_wr w;
    EVP_MD_CTX *digest = EVP_MD_CTX_new();
    uint8_t pcr_digest[64];
    unsigned digest_len = 0;
    uint8_t *der = NULL;
    int der_len = 0;

    memset(out, 0, sizeof(*out));
    assert_int_equal(EVP_DigestInit_ex(digest, md_of(s->sig_hash), NULL), 1);
    EXPECT_OK(atea_wr_init_growable(&w, 256, 1 << 16));
    write_pcrs(s, &w, digest);
    EXPECT_OK(atea_wr_take(&w, &out->pcrs));
    assert_int_equal(EVP_DigestFinal_ex(digest, pcr_digest, &digest_len), 1);
    write_attest(s, pcr_digest, digest_len, &w);
    EXPECT_OK(atea_wr_take(&w, &out->attest));
    write_signature(s, key, &out->attest, &w);
    EXPECT_OK(atea_wr_take(&w, &out->sig));
    atea_wr_dispose(&w);
    der_len = i2d_PUBKEY(key, &der);
    assert_true(der_len > 0);
    EXPECT_OK(atea_buf_set(&out->spki, der, (size_t)der_len));
    SHA256(der, (size_t)der_len, out->ak_hash);
    OPENSSL_free(der);
    EVP_MD_CTX_free(digest);
}

static void built_free(built *b)
{
    atea_buf_free(&b->attest);
    atea_buf_free(&b->sig);
    atea_buf_free(&b->pcrs);
    atea_buf_free(&b->spki);
}

static atea_tpm_evidence evidence_of(const built *b)
{
    atea_tpm_evidence ev = {
        .attest = {b->attest.data, b->attest.len},
        .signature = {b->sig.data, b->sig.len},
        .pcrs = {b->pcrs.data, b->pcrs.len},
        .ak_spki = {b->spki.data, b->spki.len},
    };
    return ev;
}

static atea_appraisal *verify_ev(const atea_tpm_evidence *ev, const uint8_t *trust, atea_err want)
{
    atea_appraisal *a = NULL;
    atea_verify_env env = {.expected_report_data = REPORT_DATA};
    atea_tpm_trust t = {.ak_sha256 = trust, .count = 1};
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_tpm_verify(&env, &t, ev, a), want);
    return a;
}

/* Build from spec with key, verify, expect want; returns the appraisal (caller frees). */
static atea_appraisal *run(const quote_spec *s, EVP_PKEY *key, atea_err want)
{
    built b;
    build(s, key, &b);
    atea_tpm_evidence ev = evidence_of(&b);
    atea_appraisal *a = verify_ev(&ev, b.ak_hash, want);
    built_free(&b);
    return a;
}

static void expect(const quote_spec *s, EVP_PKEY *key, atea_err want)
{
    atea_appraisal_free(run(s, key, want));
}

static int setup(void **state)
{
    keys *k = calloc(1, sizeof(*k));
    assert_non_null(k);
    k->ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    k->rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    k->ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_true(k->ec != NULL && k->rsa != NULL && k->ed != NULL);
    *state = k;
    return 0;
}

static int teardown(void **state)
{
    keys *k = *state;
    EVP_PKEY_free(k->ec);
    EVP_PKEY_free(k->rsa);
    EVP_PKEY_free(k->ed);
    free(k);
    return 0;
}

static void test_algorithms_verify(void **state)
{
    keys *k = *state;
    quote_spec s = default_spec();
    atea_appraisal *a = run(&s, k->ec, ATEA_OK);
    const atea_claim *c = atea_appraisal_find_claim(a, "tpm", "pcr16");
    assert_non_null(c);
    assert_int_equal(c->bytes.len, 32);
    assert_int_equal(c->bytes.data[0], 16);
    assert_null(atea_appraisal_find_claim(a, "tpm", "pcr2"));
    assert_int_equal(atea_appraisal_find_claim(a, "tpm", "clock")->i, 123456789);
    assert_int_equal(atea_appraisal_find_claim(a, "tpm", "safe")->i, 1);
    assert_int_equal(atea_appraisal_find_claim(a, "tpm", "firmware_version")->i, 0x2000100000000ll);
    atea_appraisal_free(a);

    s.sig_hash = ATEA_TPM_ALG_SHA384;
    expect(&s, k->ec, ATEA_OK);
    s.sig_alg = ATEA_TPM_ALG_RSASSA;
    expect(&s, k->rsa, ATEA_OK);
    s.sig_alg = ATEA_TPM_ALG_RSAPSS;
    s.sig_hash = ATEA_TPM_ALG_SHA512;
    expect(&s, k->rsa, ATEA_OK);
    /* A SHA-384 PCR bank quoted with a SHA-256 key: pcrDigest uses the signing hash. */
    s = default_spec();
    s.bank_hash[0] = ATEA_TPM_ALG_SHA384;
    a = run(&s, k->ec, ATEA_OK);
    assert_string_equal(atea_appraisal_find_claim(a, "tpm", "pcr_bank")->str, "sha384");
    assert_int_equal(atea_appraisal_find_claim(a, "tpm", "pcr0")->bytes.len, 48);
    atea_appraisal_free(a);
}

/* Verify ev (a copy of one quote with one part swapped) trusting trust, expecting want. */
static void expect_ev(const atea_tpm_evidence *ev, const uint8_t *trust, atea_err want)
{
    atea_appraisal_free(verify_ev(ev, trust, want));
}

static void test_algorithm_rejections(void **state)
{
    keys *k = *state;
    quote_spec s = default_spec();
    built ec;
    built rsa;
    atea_tpm_evidence ev;

    /* SHA-1 signatures are refused whatever the key. */
    s.sig_hash = ATEA_TPM_ALG_SHA1;
    expect(&s, k->ec, ATEA_ERR_TPM_UNSUPPORTED_ALG);
    /* A signature of one family presented with an AK of the other. */
    s = default_spec();
    build(&s, k->ec, &ec);
    s.sig_alg = ATEA_TPM_ALG_RSASSA;
    build(&s, k->rsa, &rsa);
    ev = evidence_of(&ec);
    ev.ak_spki = (atea_slice){rsa.spki.data, rsa.spki.len};
    expect_ev(&ev, rsa.ak_hash, ATEA_ERR_TPM_SIGNATURE);
    ev = evidence_of(&rsa);
    ev.ak_spki = (atea_slice){ec.spki.data, ec.spki.len};
    expect_ev(&ev, ec.ak_hash, ATEA_ERR_TPM_SIGNATURE);
    /* Unknown signature scheme (TPM_ALG_ECDAA 0x001a). */
    ec.sig.data[1] = 0x1a;
    ev = evidence_of(&ec);
    expect_ev(&ev, ec.ak_hash, ATEA_ERR_TPM_UNSUPPORTED_ALG);
    built_free(&ec);
    built_free(&rsa);
    /* Unknown PCR bank hash (TPM_ALG_SM3_256 0x0012). */
    s = default_spec();
    s.bank_hash[0] = 0x0012;
    expect(&s, k->ec, ATEA_ERR_TPM_UNSUPPORTED_ALG);
}

static void test_bad_ak_encodings(void **state)
{
    keys *k = *state;
    quote_spec s = default_spec();
    built b;
    uint8_t garbage[16] = {0x30, 0x0e};
    uint8_t hash[32];
    uint8_t *der = NULL;
    int der_len = i2d_PUBKEY(k->ed, &der);

    build(&s, k->ec, &b);
    atea_tpm_evidence ev = evidence_of(&b);
    /* An Ed25519 key is not something a TPM has. */
    assert_true(der_len > 0);
    ev.ak_spki = (atea_slice){der, (size_t)der_len};
    SHA256(der, (size_t)der_len, hash);
    expect_ev(&ev, hash, ATEA_ERR_TPM_BAD_AK);
    /* Not DER at all. */
    ev.ak_spki = (atea_slice){garbage, sizeof(garbage)};
    SHA256(garbage, sizeof(garbage), hash);
    expect_ev(&ev, hash, ATEA_ERR_TPM_BAD_AK);
    OPENSSL_free(der);
    built_free(&b);
}

static void test_field_values(void **state)
{
    keys *k = *state;
    quote_spec s = default_spec();
    atea_appraisal *a = NULL;

    s.safe = 2; /* TPMI_YES_NO */
    expect(&s, k->ec, ATEA_ERR_TPM_NOT_QUOTE);
    s = default_spec();
    s.extra_len = 32; /* a 32-byte nonce is not report_data */
    expect(&s, k->ec, ATEA_ERR_TPM_REPORT_DATA);
    s.extra_len = 67; /* over TPM2B_DATA's 66 */
    expect(&s, k->ec, ATEA_ERR_VEC_LENGTH);
    s = default_spec();
    s.firmware = 0x8000000000000001ull; /* beyond int64: reported as bytes */
    a = run(&s, k->ec, ATEA_OK);
    const atea_claim *c = atea_appraisal_find_claim(a, "tpm", "firmware_version");
    assert_int_equal(c->type, ATEA_CLAIM_BYTES);
    atea_test_assert_hex(c->bytes.data, c->bytes.len, "8000000000000001");
    atea_appraisal_free(a);
}

static void test_pcr_selection_rules(void **state)
{
    keys *k = *state;
    quote_spec s = default_spec();
    atea_appraisal *a = NULL;

    /* No PCR selected: verifies, no PCR claims. */
    s.select[0][0] = s.select[0][2] = 0;
    a = run(&s, k->ec, ATEA_OK);
    assert_null(atea_appraisal_find_claim(a, "tpm", "pcr0"));
    atea_appraisal_free(a);
    s.bank_count = 0;
    a = run(&s, k->ec, ATEA_OK);
    assert_null(atea_appraisal_find_claim(a, "tpm", "pcr_bank"));
    atea_appraisal_free(a);
    /* Two banks: parsed, but atea appraises one. */
    s = default_spec();
    s.bank_count = 2;
    s.bank_hash[1] = ATEA_TPM_ALG_SHA1;
    s.select_size[1] = 3;
    s.select[1][0] = 0x01;
    expect(&s, k->ec, ATEA_ERR_TPM_PCR_SELECTION);
    /* The same bank twice. */
    s.bank_hash[1] = ATEA_TPM_ALG_SHA256;
    expect(&s, k->ec, ATEA_ERR_TPM_PCR_SELECTION);
    /* Banks: at the cap (4) parses; cap + 1 is refused. */
    s.bank_count = ATEA_TPM_MAX_BANKS;
    s.bank_hash[1] = ATEA_TPM_ALG_SHA1;
    s.bank_hash[2] = ATEA_TPM_ALG_SHA384;
    s.bank_hash[3] = ATEA_TPM_ALG_SHA512;
    s.select_size[2] = s.select_size[3] = 1;
    expect(&s, k->ec, ATEA_ERR_TPM_PCR_SELECTION);
    s.bank_count = ATEA_TPM_MAX_BANKS + 1;
    s.bank_hash[4] = ATEA_TPM_ALG_SHA256;
    expect(&s, k->ec, ATEA_ERR_TOO_LARGE);
    /* sizeofSelect: 4 (32 PCRs) at the cap, 5 over. */
    s = default_spec();
    s.select_size[0] = 4;
    s.select[0][3] = 0x80; /* PCR 31 */
    a = run(&s, k->ec, ATEA_OK);
    assert_non_null(atea_appraisal_find_claim(a, "tpm", "pcr31"));
    atea_appraisal_free(a);
    s.select_size[0] = 5;
    expect(&s, k->ec, ATEA_ERR_VEC_LENGTH);
    /* More digests announced than PCRs selected. */
    s = default_spec();
    s.pcr_digest_skew = 1;
    expect(&s, k->ec, ATEA_ERR_TPM_PCR_SELECTION);
}

static void test_pcr_digest_size_and_caps(void **state)
{
    keys *k = *state;
    quote_spec s = default_spec();
    built b;
    build(&s, k->ec, &b);
    atea_tpm_evidence ev = evidence_of(&b);
    atea_tpm_attest parsed;
    uint8_t big[ATEA_TPM_MAX_ATTEST + 1];

    /* A 20-byte digest in the SHA-256 bank: the part is malformed for its selection. */
    atea_tpm_pcr_values values;
    uint8_t pcrs[] = {0, 0, 0, 1, 0x00, 0x0b, 3, 0x01, 0,  0,  0,  0,  0,  1,  0x00, 20, 1,  2,
                      3, 4, 5, 6, 7,    8,    9, 10,   11, 12, 13, 14, 15, 16, 17,   18, 19, 20};
    EXPECT_ERR(atea__tpm_pcr_values_parse(pcrs, sizeof(pcrs), &values), ATEA_ERR_TPM_PCR_SELECTION);
    /* Caps: one byte over each part's cap is refused before parsing. */
    memset(big, 0, sizeof(big));
    EXPECT_ERR(atea__tpm_attest_parse(big, sizeof(big), &parsed), ATEA_ERR_TOO_LARGE);
    memcpy(big, b.attest.data, b.attest.len);
    EXPECT_ERR(atea__tpm_attest_parse(big, ATEA_TPM_MAX_ATTEST, &parsed), ATEA_ERR_TRAILING);
    ev.signature = (atea_slice){big, ATEA_TPM_MAX_SIGNATURE + 1};
    expect_ev(&ev, b.ak_hash, ATEA_ERR_TOO_LARGE);
    ev = evidence_of(&b);
    uint8_t *huge = calloc(1, ATEA_TPM_MAX_PCRS + 1);
    assert_non_null(huge);
    ev.pcrs = (atea_slice){huge, ATEA_TPM_MAX_PCRS + 1};
    expect_ev(&ev, b.ak_hash, ATEA_ERR_TOO_LARGE);
    ev = evidence_of(&b);
    ev.ak_spki = (atea_slice){huge, ATEA_TPM_MAX_AK_SPKI + 1};
    expect_ev(&ev, b.ak_hash, ATEA_ERR_TOO_LARGE);
    free(huge);
    /* Missing parts. */
    ev = evidence_of(&b);
    ev.ak_spki.len = 0;
    expect_ev(&ev, b.ak_hash, ATEA_ERR_TPM_MISSING_PART);
    built_free(&b);
}

/* Each TPM2B has its Part 2 maximum: at the cap it parses (the quote then fails a later check
 * or verifies), one over is ATEA_ERR_VEC_LENGTH. */
static void test_tpm2b_caps(void **state)
{
    keys *k = *state;
    quote_spec s = default_spec();
    atea_tpm_signature sig;
    uint8_t buf[600];
    atea_wr w;

    s.name_len = ATEA_TPM_MAX_NAME;
    expect(&s, k->ec, ATEA_OK);
    s.name_len = ATEA_TPM_MAX_NAME + 1;
    expect(&s, k->ec, ATEA_ERR_VEC_LENGTH);
    s = default_spec();
    s.digest_len = ATEA_TPM_MAX_DIGEST; /* a 64-byte pcrDigest for a SHA-256 quote */
    expect(&s, k->ec, ATEA_ERR_TPM_PCR_DIGEST);
    s.digest_len = ATEA_TPM_MAX_DIGEST + 1;
    expect(&s, k->ec, ATEA_ERR_VEC_LENGTH);
    /* TPMT_SIGNATURE: ECDSA parameters up to 66 bytes, RSA signatures up to 512. */
    memset(buf, 0x5a, sizeof(buf));
    for (size_t extra = 0; extra < 2; extra++) {
        atea_wr_init_fixed(&w, buf, sizeof(buf));
        EXPECT_OK(atea_wr_u16(&w, ATEA_TPM_ALG_ECDSA));
        EXPECT_OK(atea_wr_u16(&w, ATEA_TPM_ALG_SHA256));
        EXPECT_OK(atea_wr_u16(&w, (uint16_t)(ATEA_TPM_MAX_ECC_PARAM + extra)));
        EXPECT_OK(atea_wr_reserve(&w, ATEA_TPM_MAX_ECC_PARAM + extra, &(uint8_t *){NULL}));
        EXPECT_OK(atea_wr_vec(&w, 2, buf, 1));
        EXPECT_ERR(atea__tpm_signature_parse(buf, atea_wr_len(&w), &sig),
                   extra == 0 ? ATEA_OK : ATEA_ERR_VEC_LENGTH);
        atea_wr_init_fixed(&w, buf, sizeof(buf));
        EXPECT_OK(atea_wr_u16(&w, ATEA_TPM_ALG_RSAPSS));
        EXPECT_OK(atea_wr_u16(&w, ATEA_TPM_ALG_SHA256));
        EXPECT_OK(atea_wr_u16(&w, (uint16_t)(ATEA_TPM_MAX_RSA_SIG + extra)));
        EXPECT_OK(atea_wr_reserve(&w, ATEA_TPM_MAX_RSA_SIG + extra, &(uint8_t *){NULL}));
        EXPECT_ERR(atea__tpm_signature_parse(buf, atea_wr_len(&w), &sig),
                   extra == 0 ? ATEA_OK : ATEA_ERR_VEC_LENGTH);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_algorithms_verify),   cmocka_unit_test(test_algorithm_rejections),
        cmocka_unit_test(test_bad_ak_encodings),    cmocka_unit_test(test_field_values),
        cmocka_unit_test(test_pcr_selection_rules), cmocka_unit_test(test_pcr_digest_size_and_caps),
        cmocka_unit_test(test_tpm2b_caps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
