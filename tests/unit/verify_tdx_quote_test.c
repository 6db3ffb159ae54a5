/* TDX quote v4/v5: parsing, signatures, QE, PCK chain, REPORTDATA; real quotes, exact codes. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "atea/appraisal.h"
#include "atea/tdx.h"
#include "atea_test.h"
#include "tdx_samples.h"
#include "core/rd.h"
#include "verify/tdx_internal.h"
#include "verify/tdx_verify.h"

#define T_2030 1893456000LL /* after the v4 PCK leaf's notAfter (2029-09-20) */
#define T_2021 1609459200LL /* before its notBefore (2022-09-20) */

#define QE_AUTH_DATA "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

typedef struct fixture {
    atea_buf quote;
    atea_buf expected_rd;
    atea_verify_env env;
    atea_appraisal *a;
} fixture;

static void fixture_init(fixture *f, const char *file, const char *rd_hex, int64_t now)
{
    memset(f, 0, sizeof(*f));
    f->quote = atea_test_read_file(atea_test_shared_path(file));
    f->expected_rd = atea_test_hex(rd_hex);
    f->env.expected_report_data = f->expected_rd.data;
    f->env.now = now;
    EXPECT_OK(atea_appraisal_new(&f->a));
}

static void fixture_reset_appraisal(fixture *f)
{
    atea_appraisal_free(f->a);
    EXPECT_OK(atea_appraisal_new(&f->a));
}

static void fixture_free(fixture *f)
{
    atea_appraisal_free(f->a);
    atea_buf_free(&f->quote);
    atea_buf_free(&f->expected_rd);
}

static void assert_claim_hex(const atea_appraisal *a, const char *name, const char *hex)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "tdx", name);
    assert_non_null(c);
    assert_int_equal(c->type, ATEA_CLAIM_BYTES);
    atea_test_assert_hex(c->bytes.data, c->bytes.len, hex);
}

static int64_t claim_int(const atea_appraisal *a, const char *name)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "tdx", name);
    assert_non_null(c);
    return c->i;
}

/* Verify a copy of f->quote with byte `off` xored by `mask`; return the code. */
static atea_err verify_flipped(fixture *f, size_t off, uint8_t mask)
{
    uint8_t *copy = malloc(f->quote.len);
    assert_non_null(copy);
    memcpy(copy, f->quote.data, f->quote.len);
    copy[off] ^= mask;
    fixture_reset_appraisal(f);
    atea_err err = atea_tdx_verify_with(&f->env, NULL, copy, f->quote.len, f->a);
    free(copy);
    return err;
}

/* Rebuild a quote around a different PCK chain (the certification data sizes follow). */
static atea_buf rebuild_with_chain(const atea_buf *orig, const uint8_t *pem, size_t pem_len)
{
    atea_tdx_quote q;
    EXPECT_OK(atea_tdx_quote_parse(orig->data, orig->len, &q));
    size_t sig_at = q.signed_region.len + 4;
    size_t qe_part = 384 + 64 + 2 + q.qe_auth_data.len; /* type-6 content before the type-5 block */
    size_t outer_len = qe_part + 6 + pem_len;
    size_t sig_len = 128 + 6 + outer_len;
    atea_buf b = {malloc(sig_at + sig_len), sig_at + sig_len};
    assert_non_null(b.data);
    memcpy(b.data, orig->data, sig_at + 128 + 2); /* signed part, len, sig, AK, outer type */
    uint8_t *p = b.data;
    for (int i = 0; i < 4; i++) {
        p[sig_at - 4 + i] = (uint8_t)(sig_len >> (8 * i));
        p[sig_at + 130 + i] = (uint8_t)(outer_len >> (8 * i));
    }
    memcpy(p + sig_at + 134, orig->data + sig_at + 134, qe_part + 2); /* QE part, inner type */
    size_t inner = sig_at + 134 + qe_part + 2;
    for (int i = 0; i < 4; i++) {
        p[inner + i] = (uint8_t)(pem_len >> (8 * i));
    }
    memcpy(p + inner + 4, pem, pem_len);
    return b;
}

static void test_parse_v4(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    atea_tdx_quote q;
    EXPECT_OK(atea_tdx_quote_parse(f.quote.data, f.quote.len, &q));
    assert_int_equal(q.version, 4);
    assert_int_equal(q.att_key_type, 2);
    assert_int_equal(q.tee_type, 0x81);
    assert_int_equal(q.body_type, 2);
    assert_false(q.body.is_tdx15);
    atea_test_assert_hex(q.qe_vendor_id, 16, "939a7233f79c4ca9940a0db3957f0607");
    assert_int_equal(q.signed_region.len, 0x278);
    assert_int_equal(q.trailing_len, 39);
    atea_test_assert_hex(q.body.report_data, 64, TDX_V4_REPORTDATA);
    atea_test_assert_hex(q.body.mrtd, 48, TDX_V4_MRTD);
    atea_test_assert_hex(q.body.td_attributes, 8, "0000004000000000");
    atea_test_assert_hex(q.body.xfam, 8, "e71a060000000000");
    atea_test_assert_hex(q.body.tee_tcb_svn, 16, "03000400000000000000000000000000");
    atea_test_assert_hex(q.qe_auth_data.data, q.qe_auth_data.len, QE_AUTH_DATA);
    assert_int_equal(q.qe_report.isvprodid, 2);
    assert_int_equal(q.qe_report.isvsvn, 4);
    atea_test_assert_hex(q.qe_report.mrsigner, 32,
                         "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
    assert_int_equal(q.pck_chain_pem.len, 3677);
    fixture_free(&f);
}

static void test_parse_v5_tdx15_body(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V5_QUOTE, TDX_V5_REPORTDATA, TDX_T_V5);
    atea_tdx_quote q;
    EXPECT_OK(atea_tdx_quote_parse(f.quote.data, f.quote.len, &q));
    assert_int_equal(q.version, 5);
    assert_int_equal(q.body_type, 3);
    assert_true(q.body.is_tdx15);
    assert_int_equal(q.signed_region.len, 0x2be);
    assert_int_equal(q.trailing_len, 0);
    atea_test_assert_hex(q.body.report_data, 64, TDX_V5_REPORTDATA);
    atea_test_assert_hex(q.body.tee_tcb_svn, 16, "0b010400000000000000000000000000");
    atea_test_assert_hex(q.body.tee_tcb_svn2, 16, "0d010400000000000000000000000000");
    atea_test_assert_hex(q.body.td_attributes, 8, "0000001000000000");
    static const uint8_t zero48[48] = {0};
    assert_memory_equal(q.body.mrservicetd, zero48, 48);
    /* the chain's trailing NUL is not part of the PEM */
    assert_int_equal(q.pck_chain_pem.len, 3677);
    assert_int_equal(q.pck_chain_pem.data[q.pck_chain_pem.len - 1], '\n');
    fixture_free(&f);
}

static void test_verify_v4_without_collateral(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    EXPECT_OK(atea_tdx_verify_with(&f.env, NULL, f.quote.data, f.quote.len, f.a));
    assert_int_equal(atea_appraisal_status(f.a), ATEA_EAR_WARNING);
    assert_true(atea_appraisal_has_reason(f.a, ATEA_ERR_TDX_COLLATERAL_MISSING));
    assert_false(atea_appraisal_has_reason(f.a, ATEA_ERR_BINDING_MISSING));
    assert_claim_hex(f.a, "report_data", TDX_V4_REPORTDATA);
    assert_claim_hex(f.a, "mrtd", TDX_V4_MRTD);
    assert_claim_hex(f.a, "td_attributes", "0000004000000000");
    assert_claim_hex(f.a, "xfam", "e71a060000000000");
    assert_claim_hex(f.a, "tee_tcb_svn", "03000400000000000000000000000000");
    assert_claim_hex(f.a, "fmspc", "50806f000000");
    assert_claim_hex(f.a, "rtmr0",
                     "2927da70461cd63266f43230cc1849c03ef25ebe490062a801d8fcc80af42976823adf08f833c"
                     "1e50b51779c6593f32a");
    assert_int_equal(claim_int(f.a, "pce_svn"), 11);
    assert_int_equal(claim_int(f.a, "qe_isvsvn"), 4);
    assert_int_equal(claim_int(f.a, "version"), 4);
    assert_int_equal(claim_int(f.a, "debug"), 0);
    assert_null(atea_appraisal_find_claim(f.a, "tdx", "tcb_status"));
    assert_null(atea_appraisal_find_claim(f.a, "tdx", "mrservicetd"));
    fixture_free(&f);
}

static void test_verify_v5_without_collateral(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V5_QUOTE, TDX_V5_REPORTDATA, TDX_T_V5);
    EXPECT_OK(atea_tdx_verify_with(&f.env, NULL, f.quote.data, f.quote.len, f.a));
    assert_int_equal(atea_appraisal_status(f.a), ATEA_EAR_WARNING);
    assert_claim_hex(f.a, "report_data", TDX_V5_REPORTDATA);
    assert_claim_hex(f.a, "fmspc", "90c06f000000");
    assert_claim_hex(f.a, "tee_tcb_svn2", "0d010400000000000000000000000000");
    assert_int_equal(claim_int(f.a, "pce_svn"), 13);
    assert_int_equal(claim_int(f.a, "tee_tcb_svn_0"), 11);
    assert_int_equal(claim_int(f.a, "tee_tcb_svn_1"), 1);
    assert_int_equal(claim_int(f.a, "version"), 5);
    assert_int_equal(claim_int(f.a, "body_type"), 3);
    fixture_free(&f);
}

static void test_report_data_binding(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    f.expected_rd.data[63] ^= 1;
    EXPECT_ERR(atea_tdx_verify_with(&f.env, NULL, f.quote.data, f.quote.len, f.a),
               ATEA_ERR_TDX_REPORT_DATA);
    assert_non_null(strstr(atea_err_last()->detail,
                           "REPORTDATA does not match the binder for this connection"));
    assert_int_equal(atea_appraisal_status(f.a), ATEA_EAR_CONTRAINDICATED);
    assert_true(atea_appraisal_has_reason(f.a, ATEA_ERR_TDX_REPORT_DATA));
    /* no binder given: verifies, but says so */
    fixture_reset_appraisal(&f);
    f.env.expected_report_data = NULL;
    EXPECT_OK(atea_tdx_verify_with(&f.env, NULL, f.quote.data, f.quote.len, f.a));
    assert_true(atea_appraisal_has_reason(f.a, ATEA_ERR_BINDING_MISSING));
    fixture_free(&f);
}

static void test_bit_flips_in_signed_region(void **state)
{
    (void)state;
    const char *files[2] = {TDX_V4_QUOTE, TDX_V5_QUOTE};
    const char *rds[2] = {TDX_V4_REPORTDATA, TDX_V5_REPORTDATA};
    const int64_t times[2] = {TDX_T_V4, TDX_T_V5};
    for (size_t k = 0; k < 2; k++) {
        fixture f;
        fixture_init(&f, files[k], rds[k], times[k]);
        f.env.expected_report_data = NULL; /* so REPORTDATA flips reach the signature check */
        atea_tdx_quote q;
        EXPECT_OK(atea_tdx_quote_parse(f.quote.data, f.quote.len, &q));
        /* bytes 0..7 and the v5 body type/size are format fields: checked as such */
        EXPECT_ERR(verify_flipped(&f, 0, 0x02), ATEA_ERR_TDX_BAD_HEADER);
        EXPECT_ERR(verify_flipped(&f, 2, 0x01), ATEA_ERR_TDX_BAD_HEADER);
        EXPECT_ERR(verify_flipped(&f, 4, 0x01), ATEA_ERR_TDX_BAD_HEADER);
        size_t first_body = q.version == 5 ? 0x36 : 0x30;
        for (size_t off = 8; off < q.signed_region.len; off += (off < first_body ? 1 : 23)) {
            if (off >= 0x30 && off < first_body) {
                continue;
            }
            atea_err err = verify_flipped(&f, off, 0x80);
            if (err != ATEA_ERR_TDX_QUOTE_SIGNATURE) {
                fail_msg("flip at %zu: %s", off, atea_err_name(err));
            }
        }
        assert_int_equal(atea_appraisal_status(f.a), ATEA_EAR_CONTRAINDICATED);
        fixture_free(&f);
    }
}

static void test_bit_flips_in_signature_data(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    const size_t sig = 0x27c;
    const size_t qe = sig + 134;
    EXPECT_ERR(verify_flipped(&f, sig + 5, 0x01), ATEA_ERR_TDX_QUOTE_SIGNATURE);  /* r */
    EXPECT_ERR(verify_flipped(&f, sig + 40, 0x01), ATEA_ERR_TDX_QUOTE_SIGNATURE); /* s */
    /* the attestation key is committed to by the QE report */
    EXPECT_ERR(verify_flipped(&f, sig + 64 + 10, 0x01), ATEA_ERR_TDX_QE_BINDING);
    EXPECT_ERR(verify_flipped(&f, qe + 258, 0x01), ATEA_ERR_TDX_QE_REPORT_SIGNATURE); /* ISVSVN */
    EXPECT_ERR(verify_flipped(&f, qe + 128, 0x01), ATEA_ERR_TDX_QE_REPORT_SIGNATURE); /* MRSIGNER */
    EXPECT_ERR(verify_flipped(&f, qe + 384 + 7, 0x01), ATEA_ERR_TDX_QE_REPORT_SIGNATURE);
    EXPECT_ERR(verify_flipped(&f, qe + 384 + 64 + 2 + 5, 0x01), ATEA_ERR_TDX_QE_BINDING); /* auth */
    /* certification data types and sizes */
    EXPECT_ERR(verify_flipped(&f, sig + 128, 0x03), ATEA_ERR_TDX_BAD_CERT_DATA); /* 6 -> 5 */
    EXPECT_ERR(verify_flipped(&f, sig + 130, 0x01), ATEA_ERR_TDX_BAD_CERT_DATA);
    EXPECT_ERR(verify_flipped(&f, qe + 384 + 64 + 2 + 32, 0x03), ATEA_ERR_TDX_BAD_CERT_DATA);
    EXPECT_ERR(verify_flipped(&f, qe + 384 + 64, 0x01), ATEA_ERR_TDX_BAD_CERT_DATA); /* auth len */
    /* a byte of the PCK leaf's signature (base64 text inside the PEM) */
    atea_tdx_quote q;
    EXPECT_OK(atea_tdx_quote_parse(f.quote.data, f.quote.len, &q));
    const uint8_t *end = NULL;
    for (size_t i = 0; i + 25 < q.pck_chain_pem.len && end == NULL; i++) {
        if (memcmp(q.pck_chain_pem.data + i, "-----END CERTIFICATE-----", 25) == 0) {
            end = q.pck_chain_pem.data + i;
        }
    }
    assert_non_null(end);
    size_t b64 = (size_t)(end - f.quote.data) - 12; /* inside the last line, before padding */
    assert_true((f.quote.data[b64] >= 'A' && f.quote.data[b64] <= 'Z') ||
                (f.quote.data[b64] >= 'a' && f.quote.data[b64] <= 'z'));
    EXPECT_ERR(verify_flipped(&f, b64, 0x01), ATEA_ERR_CHAIN_BAD_SIGNATURE);
    assert_non_null(strstr(atea_err_last()->detail, "Intel SGX PCK Certificate"));
    EXPECT_ERR(verify_flipped(&f, (size_t)(q.pck_chain_pem.data - f.quote.data) + 3, 0x01),
               ATEA_ERR_CHAIN_MALFORMED_CERT);
    fixture_free(&f);
}

static void test_truncation_everywhere(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    atea_tdx_quote q;
    size_t sig_end = 0x27c + 4299;
    for (size_t cut = 0; cut < f.quote.len; cut++) {
        atea_err err = atea_tdx_quote_parse(f.quote.data, cut, &q);
        if (cut < sig_end && err != ATEA_ERR_TRUNCATED) {
            fail_msg("cut at %zu: %s", cut, atea_err_name(err));
        }
        if (cut >= sig_end && err != ATEA_OK) {
            fail_msg("cut at %zu (in the unsigned tail): %s", cut, atea_err_name(err));
        }
    }
    for (size_t cut = 0; cut < sig_end; cut += 97) {
        fixture_reset_appraisal(&f);
        EXPECT_ERR(atea_tdx_verify_with(&f.env, NULL, f.quote.data, cut, f.a), ATEA_ERR_TRUNCATED);
    }
    fixture_free(&f);
}

static void test_header_and_size_fields(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V5_QUOTE, TDX_V5_REPORTDATA, TDX_T_V5);
    atea_tdx_quote q;
    uint8_t *c = malloc(f.quote.len);
    assert_non_null(c);
    memcpy(c, f.quote.data, f.quote.len);
    c[0x30] = 1; /* v5 body type 1 = SGX */
    EXPECT_ERR(atea_tdx_quote_parse(c, f.quote.len, &q), ATEA_ERR_TDX_BAD_HEADER);
    c[0x30] = 2; /* TDX 1.0 body type with the 1.5 size */
    EXPECT_ERR(atea_tdx_quote_parse(c, f.quote.len, &q), ATEA_ERR_TDX_BAD_HEADER);
    c[0x30] = 3;
    c[0x2be] -= 1; /* signature_data_len one short: the type-6 size no longer fits */
    EXPECT_ERR(atea_tdx_quote_parse(c, f.quote.len, &q), ATEA_ERR_TDX_BAD_CERT_DATA);
    c[0x2be] += 2; /* one long: runs past the input */
    EXPECT_ERR(atea_tdx_quote_parse(c, f.quote.len, &q), ATEA_ERR_TRUNCATED);
    c[0x2be] -= 1;
    c[0] = 3;
    EXPECT_ERR(atea_tdx_quote_parse(c, f.quote.len, &q), ATEA_ERR_TDX_BAD_HEADER);
    free(c);
    uint8_t *big = calloc(1, ATEA_TDX_MAX_QUOTE_SIZE + 1);
    assert_non_null(big);
    memcpy(big, f.quote.data, f.quote.len);
    EXPECT_OK(atea_tdx_quote_parse(big, ATEA_TDX_MAX_QUOTE_SIZE, &q));
    EXPECT_ERR(atea_tdx_quote_parse(big, ATEA_TDX_MAX_QUOTE_SIZE + 1, &q), ATEA_ERR_TOO_LARGE);
    free(big);
    fixture_free(&f);
}

/* A self-signed P-256 certificate named like the Intel root, as PEM text. */
static size_t impostor_root_pem(char *out, size_t cap)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    assert_non_null(k);
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"Intel SGX Root CA",
                               -1, -1, 0);
    X509_set_issuer_name(x, n);
    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)1500000000);
    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)2500000000LL);
    X509_set_pubkey(x, k);
    assert_true(X509_sign(x, k, EVP_sha256()) > 0);
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, x);
    int len = BIO_read(b, out, (int)cap);
    assert_true(len > 0);
    BIO_free(b);
    X509_free(x);
    EVP_PKEY_free(k);
    return (size_t)len;
}

static void test_chain_roots_and_time(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    atea_tdx_quote q;
    EXPECT_OK(atea_tdx_quote_parse(f.quote.data, f.quote.len, &q));
    /* leaf and CA only: the chain does not end at a root */
    const char *root_at = strstr((const char *)q.pck_chain_pem.data + 100, "-----BEGIN");
    root_at = strstr(root_at + 10, "-----BEGIN");
    size_t two = (size_t)((const uint8_t *)root_at - q.pck_chain_pem.data);
    atea_buf nb = rebuild_with_chain(&f.quote, q.pck_chain_pem.data, two);
    EXPECT_ERR(atea_tdx_verify_with(&f.env, NULL, nb.data, nb.len, f.a),
               ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    atea_buf_free(&nb);
    /* leaf, CA, and a self-signed impostor named "Intel SGX Root CA" */
    char pem[8192];
    memcpy(pem, q.pck_chain_pem.data, two);
    size_t n = two + impostor_root_pem(pem + two, sizeof(pem) - two);
    nb = rebuild_with_chain(&f.quote, (const uint8_t *)pem, n);
    fixture_reset_appraisal(&f);
    EXPECT_ERR(atea_tdx_verify_with(&f.env, NULL, nb.data, nb.len, f.a),
               ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    assert_non_null(strstr(atea_err_last()->detail, "not a pinned root"));
    atea_buf_free(&nb);
    /* text after the PEM blocks inside the type-5 data */
    memcpy(pem, q.pck_chain_pem.data, q.pck_chain_pem.len);
    memcpy(pem + q.pck_chain_pem.len, "junk\n", 5);
    nb = rebuild_with_chain(&f.quote, (const uint8_t *)pem, q.pck_chain_pem.len + 5);
    fixture_reset_appraisal(&f);
    EXPECT_ERR(atea_tdx_verify_with(&f.env, NULL, nb.data, nb.len, f.a), ATEA_ERR_TRAILING);
    atea_buf_free(&nb);
    /* the rebuild itself is faithful: the original chain verifies */
    nb = rebuild_with_chain(&f.quote, q.pck_chain_pem.data, q.pck_chain_pem.len);
    fixture_reset_appraisal(&f);
    EXPECT_OK(atea_tdx_verify_with(&f.env, NULL, nb.data, nb.len, f.a));
    atea_buf_free(&nb);
    /* validity: after the PCK leaf expired, before it was issued */
    f.env.now = T_2030;
    fixture_reset_appraisal(&f);
    EXPECT_ERR(atea_tdx_verify_with(&f.env, NULL, f.quote.data, f.quote.len, f.a),
               ATEA_ERR_CHAIN_VALIDITY);
    f.env.now = T_2021;
    fixture_reset_appraisal(&f);
    EXPECT_ERR(atea_tdx_verify_with(&f.env, NULL, f.quote.data, f.quote.len, f.a),
               ATEA_ERR_CHAIN_VALIDITY);
    /* today (no --at): the chain is still valid (leaf until 2029) */
    f.env.now = (int64_t)time(NULL);
    fixture_reset_appraisal(&f);
    EXPECT_OK(atea_tdx_verify_with(&f.env, NULL, f.quote.data, f.quote.len, f.a));
    fixture_free(&f);
}

static void test_extra_bytes_inside_signature_data(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V5_QUOTE, TDX_V5_REPORTDATA, TDX_T_V5);
    /* grow signature_data_len by 3 and append 3 bytes: nothing in the structure accounts for
     * them, so the type-6 size no longer matches what remains */
    atea_buf b = {malloc(f.quote.len + 3), f.quote.len + 3};
    assert_non_null(b.data);
    memcpy(b.data, f.quote.data, f.quote.len);
    memset(b.data + f.quote.len, 0, 3);
    b.data[0x2be] += 3;
    atea_tdx_quote q;
    EXPECT_ERR(atea_tdx_quote_parse(b.data, b.len, &q), ATEA_ERR_TDX_BAD_CERT_DATA);
    /* appended after the signature data instead: tolerated and reported */
    b.data[0x2be] -= 3;
    EXPECT_OK(atea_tdx_quote_parse(b.data, b.len, &q));
    assert_int_equal(q.trailing_len, 3);
    atea_buf_free(&b);
    fixture_free(&f);
}

static void test_pck_extension(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    atea_tdx_quote q;
    EXPECT_OK(atea_tdx_quote_parse(f.quote.data, f.quote.len, &q));
    BIO *b = BIO_new_mem_buf(q.pck_chain_pem.data, (int)q.pck_chain_pem.len);
    X509 *leaf = PEM_read_bio_X509(b, NULL, NULL, NULL);
    assert_non_null(leaf);
    tdx_pck_info info;
    EXPECT_OK(atea__tdx_pck_info(leaf, &info));
    atea_test_assert_hex(info.fmspc, 6, "50806f000000");
    atea_test_assert_hex(info.pceid, 2, "0000");
    assert_int_equal(info.pcesvn, 11);
    atea_test_assert_hex(info.cpusvn, 8, "0303020202010002");
    atea_test_assert_hex(info.sgx_comp, 8, "0303020202010002");
    /* the extension's DER, truncated or with a trailing byte */
    ASN1_OBJECT *obj = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
    ASN1_OCTET_STRING *ext =
        X509_EXTENSION_get_data(X509_get_ext(leaf, X509_get_ext_by_OBJ(leaf, obj, -1)));
    const uint8_t *der = ASN1_STRING_get0_data(ext);
    size_t len = (size_t)ASN1_STRING_length(ext);
    EXPECT_OK(atea__tdx_pck_info_der(der, len, &info));
    EXPECT_ERR(atea__tdx_pck_info_der(der, len - 1, &info), ATEA_ERR_TRUNCATED);
    uint8_t *more = malloc(len + 1);
    assert_non_null(more);
    memcpy(more, der, len);
    more[len] = 0;
    EXPECT_ERR(atea__tdx_pck_info_der(more, len + 1, &info), ATEA_ERR_TRAILING);
    more[0] = 0x31; /* SET instead of SEQUENCE */
    EXPECT_ERR(atea__tdx_pck_info_der(more, len, &info), ATEA_ERR_TDX_PCK_EXTENSION);
    free(more);
    ASN1_OBJECT_free(obj);
    X509_free(leaf);
    BIO_free(b);
    fixture_free(&f);
}

/* Checks that signed bytes keep the samples from reaching: exercised on the parsed structure. */
static void test_qe_pin_and_attributes(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, TDX_V4_QUOTE, TDX_V4_REPORTDATA, TDX_T_V4);
    atea_tdx_quote q;
    EXPECT_OK(atea_tdx_quote_parse(f.quote.data, f.quote.len, &q));
    EXPECT_OK(atea__tdx_qe_pinned(&q.qe_report));
    q.qe_report.mrsigner[31] ^= 1;
    EXPECT_ERR(atea__tdx_qe_pinned(&q.qe_report), ATEA_ERR_TDX_QE_IDENTITY);
    q.qe_report.mrsigner[31] ^= 1;
    q.qe_report.isvprodid = 1; /* the SGX QE, not the TD QE */
    EXPECT_ERR(atea__tdx_qe_pinned(&q.qe_report), ATEA_ERR_TDX_QE_IDENTITY);

    tdx_verify_ctx v;
    memset(&v, 0, sizeof(v));
    v.env = &f.env;
    v.out = f.a;
    EXPECT_OK(atea_appraisal_add_submod(f.a, "tdx", "intel-tdx"));
    EXPECT_OK(atea__tdx_check_attributes(&v, &q));
    assert_int_equal(atea_appraisal_reason_count(f.a), 0);
    q.body.td_attributes[0] |= 1; /* DEBUG */
    EXPECT_OK(atea__tdx_check_attributes(&v, &q));
    assert_true(atea_appraisal_has_reason(f.a, ATEA_ERR_TDX_TD_ATTRIBUTES));
    assert_int_equal(atea_appraisal_status(f.a), ATEA_EAR_WARNING);
    q.body.td_attributes[0] &= 0xfe;
    fixture_reset_appraisal(&f);
    v.out = f.a;
    EXPECT_OK(atea_appraisal_add_submod(f.a, "tdx", "intel-tdx"));
    q.body.seam_attributes[7] = 0x80;
    EXPECT_OK(atea__tdx_check_attributes(&v, &q));
    assert_true(atea_appraisal_has_reason(f.a, ATEA_ERR_TDX_TD_ATTRIBUTES));
    fixture_free(&f);
}

static void test_qe_auth_data_cap(void **state)
{
    (void)state;
    uint8_t buf[2 + ATEA_TDX_MAX_QE_AUTH_DATA + 1] = {0};
    atea_rd rd;
    atea_rd sub;
    buf[0] = (uint8_t)(ATEA_TDX_MAX_QE_AUTH_DATA & 0xff);
    buf[1] = (uint8_t)(ATEA_TDX_MAX_QE_AUTH_DATA >> 8);
    atea_rd_init(&rd, buf, 2 + ATEA_TDX_MAX_QE_AUTH_DATA);
    EXPECT_OK(atea__tdx_rd_vec_le16(&rd, ATEA_TDX_MAX_QE_AUTH_DATA, &sub));
    assert_int_equal(sub.len, ATEA_TDX_MAX_QE_AUTH_DATA);
    buf[0]++;
    atea_rd_init(&rd, buf, sizeof(buf));
    EXPECT_ERR(atea__tdx_rd_vec_le16(&rd, ATEA_TDX_MAX_QE_AUTH_DATA, &sub), ATEA_ERR_VEC_LENGTH);
    assert_int_equal(rd.off, 0);
    atea_rd_init(&rd, buf, 100);
    EXPECT_ERR(atea__tdx_rd_vec_le16(&rd, 4096, &sub), ATEA_ERR_TRUNCATED);
    assert_int_equal(rd.off, 0);
}

static void test_pck_extension_absent(void **state)
{
    (void)state;
    atea_buf pem =
        atea_test_read_file(atea_test_shared_path("testdata/evidence/tdx/intel_sgx_root_ca.pem"));
    BIO *b = BIO_new_mem_buf(pem.data, (int)pem.len);
    X509 *root = PEM_read_bio_X509(b, NULL, NULL, NULL);
    assert_non_null(root);
    tdx_pck_info info;
    EXPECT_ERR(atea__tdx_pck_info(root, &info), ATEA_ERR_TDX_PCK_EXTENSION);
    assert_non_null(strstr(atea_err_last()->detail, "no SGX extension"));
    X509_free(root);
    BIO_free(b);
    atea_buf_free(&pem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_v4),
        cmocka_unit_test(test_parse_v5_tdx15_body),
        cmocka_unit_test(test_verify_v4_without_collateral),
        cmocka_unit_test(test_verify_v5_without_collateral),
        cmocka_unit_test(test_report_data_binding),
        cmocka_unit_test(test_bit_flips_in_signed_region),
        cmocka_unit_test(test_bit_flips_in_signature_data),
        cmocka_unit_test(test_truncation_everywhere),
        cmocka_unit_test(test_header_and_size_fields),
        cmocka_unit_test(test_chain_roots_and_time),
        cmocka_unit_test(test_extra_bytes_inside_signature_data),
        cmocka_unit_test(test_pck_extension),
        cmocka_unit_test(test_qe_pin_and_attributes),
        cmocka_unit_test(test_qe_auth_data_cap),
        cmocka_unit_test(test_pck_extension_absent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
