/* The AMD KDS extensions of VCEK/VLEK certificates (snp_kds.c) and the endorsement checks that
 * come before the chain (snp_endorse.c), on certificates made here with chosen extensions: every
 * malformed, missing or repeated extension has its code. The real certificates are exercised in
 * verify_snp_verify_test.c. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "atea/snp.h"
#include "atea_test.h"
#include "core/check.h"
#include "verify/snp_internal.h"

#define ARC "1.3.6.1.4.1.3704.1."

typedef struct ext {
    const char *oid; /* NULL ends the list */
    const uint8_t *value;
    size_t len;
} ext;

static const uint8_t PRODUCT_MILAN[] = {0x16, 0x08, 'M', 'i', 'l', 'a', 'n', '-', 'B', '0'};
static const uint8_t PRODUCT_TURIN[] = {0x16, 0x05, 'T', 'u', 'r', 'i', 'n'};
static const uint8_t SPL_2[] = {0x02, 0x01, 0x02};
static const uint8_t SPL_0[] = {0x02, 0x01, 0x00};
static const uint8_t SPL_217[] = {0x02, 0x02, 0x00, 0xd9};
static const uint8_t HWID[64] = {0x3a, 0xc3, 0xfe, 0x21};

/* A self-signed certificate with CN `cn`, key `key` and the given raw extensions. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, const ext *exts)
{
    X509 *x = X509_new();
    assert_non_null(x);
    assert_int_equal(X509_set_version(x, 2), 1);
    X509_NAME *name = X509_get_subject_name(x);
    assert_int_equal(
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0),
        1);
    assert_int_equal(X509_set_issuer_name(x, name), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    assert_int_equal(X509_set_pubkey(x, key), 1);
    for (const ext *e = exts; e->oid != NULL; e++) {
        ASN1_OBJECT *obj = OBJ_txt2obj(e->oid, 1);
        ASN1_OCTET_STRING *data = ASN1_OCTET_STRING_new();
        assert_true(obj != NULL && data != NULL);
        assert_int_equal(ASN1_OCTET_STRING_set(data, e->value, (int)e->len), 1);
        X509_EXTENSION *xe = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, data);
        assert_non_null(xe);
        assert_int_equal(X509_add_ext(x, xe, -1), 1);
        X509_EXTENSION_free(xe);
        ASN1_OBJECT_free(obj);
        ASN1_OCTET_STRING_free(data);
    }
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    return x;
}

static EVP_PKEY *p384(void)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    assert_non_null(k);
    return k;
}

static atea_err decode(const ext *exts, atea_snp_kds *kds)
{
    EVP_PKEY *k = p384();
    X509 *x = make_cert("SEV-VCEK", k, exts);
    atea_err err = atea__snp_kds_decode(x, kds);
    X509_free(x);
    EVP_PKEY_free(k);
    return err;
}

/* A complete Milan VCEK extension set; tests replace one entry. */
static void milan_exts(ext *e)
{
    const ext base[] = {
        {ARC "2", PRODUCT_MILAN, sizeof(PRODUCT_MILAN)},
        {ARC "3.1", SPL_2, sizeof(SPL_2)},
        {ARC "3.2", SPL_0, sizeof(SPL_0)},
        {ARC "3.3", SPL_2, sizeof(SPL_2)},
        {ARC "3.8", SPL_217, sizeof(SPL_217)},
        {ARC "4", HWID, sizeof(HWID)},
        {NULL, NULL, 0},
    };
    memcpy(e, base, sizeof(base));
}

static void test_decode_milan(void **state)
{
    (void)state;
    ext e[8];
    atea_snp_kds kds;
    milan_exts(e);
    EXPECT_OK(decode(e, &kds));
    assert_string_equal(kds.product_name, "Milan-B0");
    assert_int_equal(kds.product, ATEA_SNP_PRODUCT_MILAN);
    assert_int_equal(kds.tcb.bootloader, 2);
    assert_int_equal(kds.tcb.tee, 0);
    assert_int_equal(kds.tcb.snp, 2);
    assert_int_equal(kds.tcb.microcode, 217);
    assert_int_equal(kds.hwid_len, 64);
}

static void test_missing_and_repeated(void **state)
{
    (void)state;
    ext e[8];
    atea_snp_kds kds;
    for (size_t drop = 0; drop < 5; drop++) { /* product and the four SPLs are required */
        milan_exts(e);
        memmove(&e[drop], &e[drop + 1], sizeof(ext) * (6 - drop));
        EXPECT_ERR(decode(e, &kds), ATEA_ERR_SNP_CERT);
    }
    milan_exts(e);
    e[6] = (ext){ARC "3.1", SPL_0, sizeof(SPL_0)}; /* blSPL twice */
    e[7] = (ext){NULL, NULL, 0};
    EXPECT_ERR(decode(e, &kds), ATEA_ERR_SNP_CERT);
}

static void test_malformed_values(void **state)
{
    (void)state;
    static const uint8_t not_integer[] = {0x04, 0x01, 0x02};
    static const uint8_t negative[] = {0x02, 0x01, 0x80};
    static const uint8_t too_big[] = {0x02, 0x02, 0x01, 0x00};
    static const uint8_t trailing[] = {0x02, 0x01, 0x02, 0x00};
    static const uint8_t short_int[] = {0x02, 0x01};
    static const uint8_t not_ia5[] = {0x0c, 0x05, 'M', 'i', 'l', 'a', 'n'};
    static const uint8_t unknown_product[] = {0x16, 0x05, 'S', 'i', 'e', 'n', 'a'};
    static const uint8_t control_char[] = {0x16, 0x05, 'M', 'i', 'l', 0x01, 'n'};
    const struct {
        size_t index;
        ext value;
        atea_err code;
    } cases[] = {
        {1, {ARC "3.1", not_integer, sizeof(not_integer)}, ATEA_ERR_SNP_CERT},
        {1, {ARC "3.1", negative, sizeof(negative)}, ATEA_ERR_SNP_CERT},
        {1, {ARC "3.1", too_big, sizeof(too_big)}, ATEA_ERR_SNP_CERT},
        {1, {ARC "3.1", trailing, sizeof(trailing)}, ATEA_ERR_TRAILING},
        {1, {ARC "3.1", short_int, sizeof(short_int)}, ATEA_ERR_TRUNCATED},
        {0, {ARC "2", not_ia5, sizeof(not_ia5)}, ATEA_ERR_SNP_CERT},
        {0, {ARC "2", unknown_product, sizeof(unknown_product)}, ATEA_ERR_SNP_PRODUCT},
        {0, {ARC "2", control_char, sizeof(control_char)}, ATEA_ERR_SNP_CERT},
        {5, {ARC "4", HWID, 63}, ATEA_ERR_SNP_CERT},
        /* only Turin VCEKs carry the short hwID: on Milan it would match CHIP_ID on 8 bytes */
        {5, {ARC "4", HWID, 8}, ATEA_ERR_SNP_CERT},
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(cases); i++) {
        ext e[8];
        atea_snp_kds kds;
        milan_exts(e);
        e[cases[i].index] = cases[i].value;
        atea_err err = decode(e, &kds);
        if (err != cases[i].code) {
            fail_msg("case %zu: expected %s, got %s (%s)", i, atea_err_name(cases[i].code),
                     atea_err_name(err), atea_err_detail(err));
        }
    }
}

static void test_turin_needs_fmc(void **state)
{
    (void)state;
    ext e[8];
    atea_snp_kds kds;
    milan_exts(e);
    e[0] = (ext){ARC "2", PRODUCT_TURIN, sizeof(PRODUCT_TURIN)};
    e[5] = (ext){ARC "4", HWID, 8};
    EXPECT_ERR(decode(e, &kds), ATEA_ERR_SNP_CERT);
    e[6] = (ext){ARC "3.9", SPL_2, sizeof(SPL_2)};
    e[7] = (ext){NULL, NULL, 0};
    EXPECT_OK(decode(e, &kds));
    assert_int_equal(kds.product, ATEA_SNP_PRODUCT_TURIN);
    assert_int_equal(kds.tcb.fmc, 2);
    assert_int_equal(kds.hwid_len, 8);
}

/* Write certs as PEM to a temp file; returns its path (caller unlinks and frees). */
static char *write_pem(X509 *cert)
{
    char *path = strdup("/tmp/atea-snp-kds-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_X509(f, cert), 1);
    fclose(f);
    return path;
}

static atea_err endorse_with(X509 *cert)
{
    char *path = write_pem(cert);
    const char *files[] = {path};
    atea_verify_env env = {.now = 0, .cert_files = files, .cert_file_count = 1};
    atea_snp_endorsement *e = NULL;
    atea_err err = atea_snp_endorsement_new(&env, NULL, ATEA_SNP_KEY_VCEK, &e);
    atea_snp_endorsement_free(e);
    unlink(path);
    free(path);
    return err;
}

static void test_endorsement_key_and_hwid(void **state)
{
    (void)state;
    ext e[8];
    /* A VCEK whose key is P-256: the report signature is P-384. */
    EVP_PKEY *k256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(k256);
    milan_exts(e);
    X509 *x = make_cert("SEV-VCEK", k256, e);
    EXPECT_ERR(endorse_with(x), ATEA_ERR_SNP_CERT);
    X509_free(x);
    EVP_PKEY_free(k256);
    /* A VCEK without hwID. */
    EVP_PKEY *k = p384();
    e[5] = (ext){NULL, NULL, 0};
    x = make_cert("SEV-VCEK", k, e);
    EXPECT_ERR(endorse_with(x), ATEA_ERR_SNP_CERT);
    X509_free(x);
    /* A well-formed VCEK that is its own (unpinned) root. */
    milan_exts(e);
    x = make_cert("SEV-VCEK", k, e);
    EXPECT_ERR(endorse_with(x), ATEA_ERR_SNP_ROOT);
    X509_free(x);
    EVP_PKEY_free(k);
}

static void test_certificate_count_and_file_caps(void **state)
{
    (void)state;
    /* ask_ark_milan.pem holds 2 certificates: 2 VCEKs + 7 bundles reach ATEA_SNP_MAX_CERTS (16),
     * one more bundle passes it. */
    char *pem = strdup(atea_test_shared_path("testdata/evidence/sev-snp/ask_ark_milan.pem"));
    char *vcek = strdup(atea_test_shared_path("testdata/evidence/sev-snp/gsg_vcek.der"));
    const char *files[10];
    atea_snp_endorsement *e = NULL;
    files[0] = vcek;
    files[1] = vcek;
    for (size_t i = 2; i < 10; i++) {
        files[i] = pem;
    }
    atea_verify_env env = {.now = 1748736000, .cert_files = files, .cert_file_count = 9};
    EXPECT_OK(atea_snp_endorsement_new(&env, NULL, ATEA_SNP_KEY_VCEK, &e)); /* 2 + 14 */
    atea_snp_endorsement_free(e);
    env.cert_file_count = 10; /* 2 + 16 */
    EXPECT_ERR(atea_snp_endorsement_new(&env, NULL, ATEA_SNP_KEY_VCEK, &e), ATEA_ERR_TOO_LARGE);
    /* A certificate file over ATEA_SNP_CERT_FILE_MAX_SIZE. */
    char big[] = "/tmp/atea-snp-big-XXXXXX";
    int fd = mkstemp(big);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    for (size_t i = 0; i <= ATEA_SNP_CERT_FILE_MAX_SIZE; i++) {
        fputc('\n', f);
    }
    fclose(f);
    const char *one[] = {big};
    atea_verify_env env_big = {.now = 1748736000, .cert_files = one, .cert_file_count = 1};
    EXPECT_ERR(atea_snp_endorsement_new(&env_big, NULL, ATEA_SNP_KEY_VCEK, &e), ATEA_ERR_SNP_CERT);
    unlink(big);
    free(pem);
    free(vcek);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_milan),
        cmocka_unit_test(test_missing_and_repeated),
        cmocka_unit_test(test_malformed_values),
        cmocka_unit_test(test_turin_needs_fmc),
        cmocka_unit_test(test_endorsement_key_and_hwid),
        cmocka_unit_test(test_certificate_count_and_file_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
