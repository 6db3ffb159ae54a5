/* X.509 chain verification to a pinned root: real Intel chains and generated ones. */
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "atea_test.h"
#include "verify/chain.h"

/* SHA-256(DER) of the Intel SGX Root CA (evidence-formats.md §2.6). */
static const uint8_t INTEL_ROOT_PIN[32] = {
    0x44, 0xa0, 0x19, 0x6b, 0x2b, 0x99, 0xf8, 0x89, 0xb8, 0xe1, 0x49, 0xe9, 0x5b, 0x80, 0x7a, 0x35,
    0x0e, 0x74, 0x24, 0x96, 0x43, 0x99, 0xe8, 0x85, 0xa7, 0xcb, 0xb8, 0xcc, 0xfa, 0xb6, 0x74, 0xd3};

#define T_2023_06_20 1687219200LL /* 2023-06-20T00:00:00Z: every v4 collateral window holds */
#define T_2026_11_28 1795824000LL /* 2026-11-28T00:00:00Z: after the CRLs' nextUpdate */
#define T_2026_02_10 1770681600LL

static size_t find(const uint8_t *hay, size_t n, const char *needle, size_t from)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= n; i++) {
        if (memcmp(hay + i, needle, k) == 0) {
            return i;
        }
    }
    return (size_t)-1;
}

/* The PEM chain embedded in a sample quote (test shortcut; the TDX parser does this properly). */
static size_t load_quote_chain(const char *rel, X509 **certs)
{
    atea_buf q = atea_test_read_file(atea_test_shared_path(rel));
    size_t begin = find(q.data, q.len, "-----BEGIN CERTIFICATE-----", 0);
    size_t end = begin;
    size_t next;
    while ((next = find(q.data, q.len, "-----END CERTIFICATE-----", end + 1)) != (size_t)-1) {
        end = next;
    }
    assert_true(begin != (size_t)-1 && end > begin);
    end += strlen("-----END CERTIFICATE-----");
    size_t n = 0;
    EXPECT_OK(atea_chain_parse_pem(q.data + begin, end - begin, certs, ATEA_CHAIN_MAX_CERTS, &n));
    atea_buf_free(&q);
    return n;
}

static size_t load_pem_file(const char *rel, X509 **certs)
{
    atea_buf f = atea_test_read_file(atea_test_shared_path(rel));
    size_t n = 0;
    EXPECT_OK(atea_chain_parse_pem(f.data, f.len, certs, ATEA_CHAIN_MAX_CERTS, &n));
    atea_buf_free(&f);
    return n;
}

static X509_CRL *load_crl(const char *rel)
{
    atea_buf f = atea_test_read_file(atea_test_shared_path(rel));
    X509_CRL *crl = NULL;
    EXPECT_OK(atea_chain_parse_crl(f.data, f.len, &crl));
    atea_buf_free(&f);
    return crl;
}

static atea_chain_opts intel_opts(int64_t now)
{
    atea_chain_opts o = {0};
    o.root_pins = &INTEL_ROOT_PIN;
    o.root_pin_count = 1;
    o.now = now;
    o.what = "test chain";
    return o;
}

static void test_real_pck_chains_verify_at_pinned_time(void **state)
{
    (void)state;
    X509 *c[ATEA_CHAIN_MAX_CERTS] = {0};
    size_t n = load_quote_chain("testdata/evidence/tdx/tdx_prod_quote_SPR_E4.dat", c);
    assert_int_equal(n, 3);
    atea_chain_opts o = intel_opts(T_2023_06_20);
    EXPECT_OK(atea_chain_verify(c, n, &o, NULL));
    /* before the PCK leaf's notBefore (2022-09-20) */
    o.now = 1609459200LL; /* 2021-01-01 */
    EXPECT_ERR(atea_chain_verify(c, n, &o, NULL), ATEA_ERR_CHAIN_VALIDITY);
    assert_non_null(strstr(atea_err_last()->detail, "Intel SGX PCK Certificate"));
    atea_chain_free_certs(c, n);

    n = load_quote_chain("testdata/evidence/tdx/quote_v5_sample.dat", c);
    assert_int_equal(n, 3);
    o.now = T_2026_02_10;
    EXPECT_OK(atea_chain_verify(c, n, &o, NULL));
    atea_chain_free_certs(c, n);
}

static void test_real_crls_revocation_and_staleness(void **state)
{
    (void)state;
    X509 *c[ATEA_CHAIN_MAX_CERTS] = {0};
    size_t n = load_quote_chain("testdata/evidence/tdx/tdx_prod_quote_SPR_E4.dat", c);
    X509_CRL *crls[2] = {load_crl("testdata/evidence/tdx/pckcrl"),
                         load_crl("testdata/evidence/tdx/rootcrl.der")};
    atea_chain_opts o = intel_opts(T_2023_06_20);
    o.crls = crls;
    o.crl_count = 2;
    o.flags = ATEA_CHAIN_CRL_CHECK_ALL;
    atea_chain_result r;
    EXPECT_OK(atea_chain_verify(c, n, &o, &r));
    assert_int_equal(r.crl_time_soft, 0);
    /* today the CRLs are past nextUpdate: strict fails, soft reports it */
    o.now = T_2026_11_28;
    EXPECT_ERR(atea_chain_verify(c, n, &o, NULL), ATEA_ERR_CHAIN_CRL);
    o.flags |= ATEA_CHAIN_SOFT_CRL_TIME;
    EXPECT_OK(atea_chain_verify(c, n, &o, &r));
    assert_int_equal(r.crl_time_soft, 1);
    assert_int_equal(r.cert_time_soft, 0);
    assert_non_null(strstr(r.soft_detail, "CRL has expired"));
    /* CHECK_ALL without the root CRL: the PCK CA has no CRL */
    o.crl_count = 1;
    o.flags = ATEA_CHAIN_CRL_CHECK_ALL;
    o.now = T_2023_06_20;
    EXPECT_ERR(atea_chain_verify(c, n, &o, NULL), ATEA_ERR_CHAIN_CRL);
    o.flags = 0; /* leaf only */
    EXPECT_OK(atea_chain_verify(c, n, &o, NULL));
    X509_CRL_free(crls[0]);
    X509_CRL_free(crls[1]);
    atea_chain_free_certs(c, n);
}

static void test_tcb_signing_chain_expired_today(void **state)
{
    (void)state;
    X509 *c[ATEA_CHAIN_MAX_CERTS] = {0};
    size_t n = load_pem_file("testdata/evidence/tdx/tcb_signing_chain.pem", c);
    assert_int_equal(n, 2);
    atea_chain_opts o = intel_opts(T_2023_06_20);
    EXPECT_OK(atea_chain_verify(c, n, &o, NULL));
    o.now = T_2026_11_28; /* the TCB Signing cert expired 2025-05-21 */
    EXPECT_ERR(atea_chain_verify(c, n, &o, NULL), ATEA_ERR_CHAIN_VALIDITY);
    assert_non_null(strstr(atea_err_last()->detail, "Intel SGX TCB Signing"));
    o.flags = ATEA_CHAIN_SOFT_CERT_TIME;
    atea_chain_result r;
    EXPECT_OK(atea_chain_verify(c, n, &o, &r));
    assert_int_equal(r.cert_time_soft, 1);
    assert_non_null(strstr(r.soft_detail, "Intel SGX TCB Signing"));
    atea_chain_free_certs(c, n);
}

static void test_wrong_pin_missing_root_and_anchor(void **state)
{
    (void)state;
    X509 *c[ATEA_CHAIN_MAX_CERTS] = {0};
    size_t n = load_quote_chain("testdata/evidence/tdx/tdx_prod_quote_SPR_E4.dat", c);
    atea_chain_opts o = intel_opts(T_2023_06_20);
    uint8_t other_pin[32];
    memcpy(other_pin, INTEL_ROOT_PIN, 32);
    other_pin[31] ^= 1;
    o.root_pins = (const uint8_t(*)[32])other_pin;
    EXPECT_ERR(atea_chain_verify(c, n, &o, NULL), ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    assert_non_null(strstr(atea_err_last()->detail, "Intel SGX Root CA"));
    /* the chain without its root and no anchor: ends at a non-self-signed CA */
    o = intel_opts(T_2023_06_20);
    EXPECT_ERR(atea_chain_verify(c, 2, &o, NULL), ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    /* ... with the root as explicit anchor it verifies, with or without the root in the list */
    o.anchor = c[2];
    EXPECT_OK(atea_chain_verify(c, 2, &o, NULL));
    EXPECT_OK(atea_chain_verify(c, 3, &o, NULL));
    /* anchor given but not pinned */
    o.anchor = c[1];
    EXPECT_ERR(atea_chain_verify(c, 1, &o, NULL), ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    atea_chain_free_certs(c, n);
}

static void test_bit_flip_in_pck_signature(void **state)
{
    (void)state;
    X509 *c[ATEA_CHAIN_MAX_CERTS] = {0};
    size_t n = load_quote_chain("testdata/evidence/tdx/tdx_prod_quote_SPR_E4.dat", c);
    unsigned char *der = NULL;
    int len = i2d_X509(c[0], &der);
    assert_true(len > 10);
    der[len - 3] ^= 0x01; /* inside the ECDSA signature's s integer */
    X509 *bad = NULL;
    EXPECT_OK(atea_chain_parse_der(der, (size_t)len, &bad));
    X509_free(c[0]);
    c[0] = bad;
    atea_chain_opts o = intel_opts(T_2023_06_20);
    EXPECT_ERR(atea_chain_verify(c, n, &o, NULL), ATEA_ERR_CHAIN_BAD_SIGNATURE);
    assert_non_null(strstr(atea_err_last()->detail, "Intel SGX PCK Certificate"));
    /* a flip in the DER framing makes it malformed */
    der[0] ^= 0x01;
    EXPECT_ERR(atea_chain_parse_der(der, (size_t)len, &bad), ATEA_ERR_CHAIN_MALFORMED_CERT);
    der[0] ^= 0x01;
    EXPECT_ERR(atea_chain_parse_der(der, (size_t)len - 1, &bad), ATEA_ERR_CHAIN_MALFORMED_CERT);
    OPENSSL_free(der);
    atea_chain_free_certs(c, n);
}

/* ---- generated certificates ---- */

static EVP_PKEY *gen_key(int rsa_pss)
{
    EVP_PKEY *k = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, rsa_pss ? "RSA-PSS" : "EC", NULL);
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
    if (rsa_pss) {
        assert_true(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) > 0);
    } else {
        assert_true(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) > 0);
    }
    assert_int_equal(EVP_PKEY_keygen(ctx, &k), 1);
    EVP_PKEY_CTX_free(ctx);
    return k;
}

static void sign_cert(X509 *x, EVP_PKEY *key, int rsa_pss)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    assert_int_equal(EVP_DigestSignInit(md, &pctx, EVP_sha384(), NULL, key), 1);
    if (rsa_pss) {
        assert_true(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0);
        assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) > 0);
    }
    assert_true(X509_sign_ctx(x, md) > 0);
    EVP_MD_CTX_free(md);
}

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                       int64_t not_before, int64_t not_after, int ca, int rsa_pss)
{
    X509 *x = X509_new();
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(not_before & 0xffff) + ca);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before);
    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after);
    X509_set_pubkey(x, key);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *bc =
        X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(bc);
    if (ca) {
        X509_EXTENSION *ku =
            X509V3_EXT_conf_nid(NULL, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
        X509_add_ext(x, ku, -1);
        X509_EXTENSION_free(ku);
    }
    sign_cert(x, issuer_key != NULL ? issuer_key : key, rsa_pss);
    return x;
}

typedef struct gen_chain {
    EVP_PKEY *keys[3];
    X509 *certs[3]; /* leaf, intermediate, root */
    uint8_t pin[32];
} gen_chain;

static void gen_chain_make(gen_chain *g, const char *prefix, int rsa_pss, int64_t leaf_not_after)
{
    char cn[3][64];
    snprintf(cn[0], sizeof(cn[0]), "%s Leaf", prefix);
    snprintf(cn[1], sizeof(cn[1]), "%s CA", prefix);
    snprintf(cn[2], sizeof(cn[2]), "%s Root", prefix);
    const int64_t nb = 1600000000LL; /* 2020-09-13 */
    const int64_t na = 2500000000LL; /* 2049 */
    for (int i = 0; i < 3; i++) {
        g->keys[i] = gen_key(rsa_pss);
    }
    g->certs[2] = make_cert(cn[2], g->keys[2], NULL, NULL, nb, na, 1, rsa_pss);
    g->certs[1] = make_cert(cn[1], g->keys[1], g->certs[2], g->keys[2], nb, na, 1, rsa_pss);
    g->certs[0] =
        make_cert(cn[0], g->keys[0], g->certs[1], g->keys[1], nb, leaf_not_after, 0, rsa_pss);
    EXPECT_OK(atea_chain_cert_sha256(g->certs[2], g->pin));
}

static void gen_chain_free(gen_chain *g)
{
    for (int i = 0; i < 3; i++) {
        X509_free(g->certs[i]);
        EVP_PKEY_free(g->keys[i]);
    }
}

static atea_chain_opts gen_opts(const gen_chain *g, int64_t now)
{
    atea_chain_opts o = {0};
    o.root_pins = &g->pin;
    o.root_pin_count = 1;
    o.now = now;
    o.what = "generated chain";
    return o;
}

static void test_generated_chain_expiry_now(void **state)
{
    (void)state;
    gen_chain g;
    gen_chain_make(&g, "Test", 0, 1700000000LL); /* leaf expires 2023-11-14 */
    atea_chain_opts o = gen_opts(&g, 1650000000LL);
    EXPECT_OK(atea_chain_verify(g.certs, 3, &o, NULL));
    o.now = (int64_t)time(NULL); /* no --at: today */
    EXPECT_ERR(atea_chain_verify(g.certs, 3, &o, NULL), ATEA_ERR_CHAIN_VALIDITY);
    assert_non_null(strstr(atea_err_last()->detail, "Test Leaf"));
    /* a root from another chain, pinned: the path does not reach it */
    gen_chain other;
    gen_chain_make(&other, "Other", 0, 2000000000LL);
    X509 *mixed[3] = {g.certs[0], g.certs[1], other.certs[2]};
    atea_chain_opts o2 = gen_opts(&other, 1650000000LL);
    EXPECT_ERR(atea_chain_verify(mixed, 3, &o2, NULL), ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    /* a pinned impostor root with the real root's name: the CA's signature fails under it */
    gen_chain twin;
    gen_chain_make(&twin, "Test", 0, 2000000000LL);
    X509 *impostor[3] = {g.certs[0], g.certs[1], twin.certs[2]};
    atea_chain_opts o3 = gen_opts(&twin, 1650000000LL);
    EXPECT_ERR(atea_chain_verify(impostor, 3, &o3, NULL), ATEA_ERR_CHAIN_BAD_SIGNATURE);
    assert_non_null(strstr(atea_err_last()->detail, "Test CA"));
    gen_chain_free(&twin);
    /* the right root, but pinned under another pin */
    o2 = gen_opts(&other, 1650000000LL);
    EXPECT_ERR(atea_chain_verify(g.certs, 3, &o2, NULL), ATEA_ERR_CHAIN_UNTRUSTED_ROOT);
    gen_chain_free(&other);
    gen_chain_free(&g);
}

static void test_generated_revocation(void **state)
{
    (void)state;
    gen_chain g;
    gen_chain_make(&g, "Test", 0, 2000000000LL);
    X509_CRL *crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(g.certs[1]));
    ASN1_TIME *t = ASN1_TIME_set(NULL, (time_t)1640000000LL);
    X509_CRL_set1_lastUpdate(crl, t);
    ASN1_TIME_set(t, (time_t)1660000000LL);
    X509_CRL_set1_nextUpdate(crl, t);
    X509_REVOKED *rev = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(rev, X509_get_serialNumber(g.certs[0]));
    ASN1_TIME_set(t, (time_t)1640000000LL);
    X509_REVOKED_set_revocationDate(rev, t);
    X509_CRL_add0_revoked(crl, rev);
    X509_CRL_sort(crl);
    assert_true(X509_CRL_sign(crl, g.keys[1], EVP_sha256()) > 0);
    ASN1_TIME_free(t);

    atea_chain_opts o = gen_opts(&g, 1650000000LL);
    o.crls = &crl;
    o.crl_count = 1;
    EXPECT_ERR(atea_chain_verify(g.certs, 3, &o, NULL), ATEA_ERR_CHAIN_REVOKED);
    assert_non_null(strstr(atea_err_last()->detail, "Test Leaf"));
    /* a CRL signed by the wrong key */
    assert_true(X509_CRL_sign(crl, g.keys[0], EVP_sha256()) > 0);
    EXPECT_ERR(atea_chain_verify(g.certs, 3, &o, NULL), ATEA_ERR_CHAIN_CRL);
    X509_CRL_free(crl);
    gen_chain_free(&g);
}

static void test_generated_rsa_pss_chain(void **state)
{
    (void)state;
    gen_chain g;
    gen_chain_make(&g, "Test", 1, 2000000000LL);
    atea_chain_opts o = gen_opts(&g, 1650000000LL);
    EXPECT_OK(atea_chain_verify(g.certs, 3, &o, NULL));
    /* intermediate signed by a stranger's key: bad signature in the chain */
    EVP_PKEY *stranger = gen_key(1);
    X509 *bad_ca =
        make_cert("Test CA", g.keys[1], g.certs[2], stranger, 1600000000LL, 2500000000LL, 1, 1);
    X509 *mixed[3] = {g.certs[0], bad_ca, g.certs[2]};
    EXPECT_ERR(atea_chain_verify(mixed, 3, &o, NULL), ATEA_ERR_CHAIN_BAD_SIGNATURE);
    assert_non_null(strstr(atea_err_last()->detail, "Test CA"));
    X509_free(bad_ca);
    EVP_PKEY_free(stranger);
    gen_chain_free(&g);
}

static void test_intermediate_not_a_ca(void **state)
{
    (void)state;
    gen_chain g;
    gen_chain_make(&g, "Test", 0, 2000000000LL);
    /* the same intermediate key and name, but basicConstraints CA:FALSE */
    X509 *not_ca =
        make_cert("Test CA", g.keys[1], g.certs[2], g.keys[2], 1600000000LL, 2500000000LL, 0, 0);
    X509 *chain[3] = {g.certs[0], not_ca, g.certs[2]};
    atea_chain_opts o = gen_opts(&g, 1650000000LL);
    EXPECT_ERR(atea_chain_verify(chain, 3, &o, NULL), ATEA_ERR_CHAIN_INVALID);
    assert_non_null(strstr(atea_err_last()->detail, "Test CA"));
    /* and too many certificates for the cap */
    X509 *many[ATEA_CHAIN_MAX_CERTS + 1];
    for (size_t i = 0; i < ATEA_CHAIN_MAX_CERTS + 1; i++) {
        many[i] = g.certs[0];
    }
    EXPECT_ERR(atea_chain_verify(many, ATEA_CHAIN_MAX_CERTS + 1, &o, NULL), ATEA_ERR_TOO_LARGE);
    X509_free(not_ca);
    gen_chain_free(&g);
}

static void test_pem_parsing_is_strict(void **state)
{
    (void)state;
    atea_buf f =
        atea_test_read_file(atea_test_shared_path("testdata/evidence/tdx/intel_sgx_root_ca.pem"));
    X509 *c[ATEA_CHAIN_MAX_CERTS] = {0};
    size_t n = 0;
    uint8_t buf[4096];
    assert_true(f.len + 8 < sizeof(buf));
    /* trailing NULs (v5 sample) are fine */
    memcpy(buf, f.data, f.len);
    memset(buf + f.len, 0, 3);
    EXPECT_OK(atea_chain_parse_pem(buf, f.len + 3, c, 1, &n));
    assert_int_equal(n, 1);
    uint8_t pin[32];
    EXPECT_OK(atea_chain_cert_sha256(c[0], pin));
    assert_memory_equal(pin, INTEL_ROOT_PIN, 32);
    atea_chain_free_certs(c, n);
    /* other text after the block */
    memcpy(buf + f.len, "junk", 4);
    EXPECT_ERR(atea_chain_parse_pem(buf, f.len + 4, c, 1, &n), ATEA_ERR_TRAILING);
    /* two certificates but room for one */
    memcpy(buf + f.len, f.data, f.len);
    EXPECT_ERR(atea_chain_parse_pem(buf, 2 * f.len, c, 1, &n), ATEA_ERR_TOO_LARGE);
    EXPECT_OK(atea_chain_parse_pem(buf, 2 * f.len, c, 2, &n));
    assert_int_equal(n, 2);
    atea_chain_free_certs(c, n);
    /* corrupted base64 */
    memcpy(buf, f.data, f.len);
    buf[100] = '!';
    EXPECT_ERR(atea_chain_parse_pem(buf, f.len, c, 1, &n), ATEA_ERR_CHAIN_MALFORMED_CERT);
    /* no END marker, empty input */
    EXPECT_ERR(atea_chain_parse_pem(f.data, f.len - 30, c, 1, &n), ATEA_ERR_CHAIN_MALFORMED_CERT);
    EXPECT_ERR(atea_chain_parse_pem((const uint8_t *)"\n\n", 2, c, 1, &n),
               ATEA_ERR_CHAIN_MALFORMED_CERT);
    /* CRL parsing: DER with trailing byte */
    atea_buf crl = atea_test_read_file(atea_test_shared_path("testdata/evidence/tdx/rootcrl.der"));
    uint8_t crlbuf[512];
    memcpy(crlbuf, crl.data, crl.len);
    crlbuf[crl.len] = 0;
    X509_CRL *x = NULL;
    EXPECT_ERR(atea_chain_parse_crl(crlbuf, crl.len + 1, &x), ATEA_ERR_CHAIN_CRL);
    atea_buf_free(&crl);
    atea_buf_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_pck_chains_verify_at_pinned_time),
        cmocka_unit_test(test_real_crls_revocation_and_staleness),
        cmocka_unit_test(test_tcb_signing_chain_expired_today),
        cmocka_unit_test(test_wrong_pin_missing_root_and_anchor),
        cmocka_unit_test(test_bit_flip_in_pck_signature),
        cmocka_unit_test(test_generated_chain_expiry_now),
        cmocka_unit_test(test_generated_revocation),
        cmocka_unit_test(test_generated_rsa_pss_chain),
        cmocka_unit_test(test_intermediate_not_a_ca),
        cmocka_unit_test(test_pem_parsing_is_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
