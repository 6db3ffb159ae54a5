/* The attestation binder: specs.md Appendix A.2 byte for byte, SPKI taken from the certificate
 * as is (RSA-PSS), the SHA-384 layout, and every relying-party check failing with its code. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "atea/binder.h"
#include "atea_test.h"
#include "session_secret_tls.h"

/* specs.md Appendix A.2 */
#define A2_EMS "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50"
#define A2_CRC "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define A2_EXPORTED "de6655915cadff0d4fe781e255b3cc28cf8cc5c647de58a1e38a59e40bc4ee39"
#define A2_EXPORTED_ALT "6e8ad2ee1b8518ca980c01fa45a763ba5232af047a70ef3bceea8786cc74eedb"
#define A2_SPKI                                                                                    \
    "302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define A2_AIK "06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9"
#define A2_BINDER "0a7f5753e0281bceac080433479a33ea27a15bf195f0dea469c230074762276c"
/* RFC 8032 §7.1 test 1 secret key: its public key is the one in A2_SPKI. */
#define RFC8032_T1_SK "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"

/* A self-signed certificate over key, DER. */
static atea_buf self_signed(EVP_PKEY *key, const EVP_MD *md)
{
    X509 *x = X509_new();
    assert_non_null(x);
    assert_int_equal(X509_set_version(x, 2), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 7), 1);
    X509_NAME *name = X509_get_subject_name(x);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)"atea binder test", -1, -1,
                                                0),
                     1);
    assert_int_equal(X509_set_issuer_name(x, name), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
    assert_int_equal(X509_set_pubkey(x, key), 1);
    assert_true(X509_sign(x, key, md) > 0);
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    assert_true(n > 0);
    atea_buf out = {0};
    EXPECT_OK(atea_buf_set(&out, der, (size_t)n));
    OPENSSL_free(der);
    X509_free(x);
    return out;
}

static void test_a2_vectors_from_parts(void **state)
{
    (void)state;
    atea_buf exported = atea_test_hex(A2_EXPORTED);
    atea_buf spki = atea_test_hex(A2_SPKI);
    atea_binder_profile profile;
    atea_binding b;
    atea_binder_profile_default(&profile);
    assert_string_equal(profile.label, "Attestation");
    EXPECT_OK(atea_binder_from_exported(ATEA_HASH_SHA256, &profile, exported.data, exported.len,
                                        spki.data, spki.len, &b));
    atea_test_assert_hex(b.aik_hash, b.aik_hash_len, A2_AIK);
    atea_test_assert_hex(b.binder, b.binder_len, A2_BINDER);
    atea_test_assert_hex(b.report_data, 64, A2_BINDER A2_AIK);
    atea_buf_free(&exported);
    atea_buf_free(&spki);
}

/* The same vectors through the TLS exporter and a real certificate whose key is the vector's. */
static void test_a2_vectors_from_connection(void **state)
{
    (void)state;
    atea_buf ems = atea_test_hex(A2_EMS);
    atea_buf crc = atea_test_hex(A2_CRC);
    atea_buf sk = atea_test_hex(RFC8032_T1_SK);
    session_secret_tls t;
    atea_tls tls;
    session_secret_tls_init(&t, &tls, ATEA_HASH_SHA256, ems.data);
    uint8_t out[32];
    EXPECT_OK(atea_tls_exporter(&tls, "Attestation", crc.data, crc.len, out, 32));
    atea_test_assert_hex(out, 32, A2_EXPORTED);
    EXPECT_OK(atea_tls_exporter(&tls, ATEA_BINDER_LABEL_ALT, crc.data, crc.len, out, 32));
    atea_test_assert_hex(out, 32, A2_EXPORTED_ALT);

    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sk.data, sk.len);
    assert_non_null(key);
    atea_buf cert = self_signed(key, NULL);
    atea_slice spki;
    EXPECT_OK(atea_cert_spki(cert.data, cert.len, &spki));
    atea_test_assert_hex(spki.data, spki.len, A2_SPKI);

    atea_binder_profile profile;
    atea_binding b;
    atea_binder_profile_default(&profile);
    EXPECT_OK(atea_binder_compute(&tls, &profile, crc.data, crc.len, cert.data, cert.len, &b));
    atea_test_assert_hex(b.binder, b.binder_len, A2_BINDER);
    atea_test_assert_hex(b.aik_hash, b.aik_hash_len, A2_AIK);

    /* The alternative label changes the binder, not the key hash. */
    atea_binding alt;
    profile.label = ATEA_BINDER_LABEL_ALT;
    EXPECT_OK(atea_binder_compute(&tls, &profile, crc.data, crc.len, cert.data, cert.len, &alt));
    assert_memory_not_equal(alt.binder, b.binder, 32);
    assert_memory_equal(alt.aik_hash, b.aik_hash, 32);

    /* TLS 1.2 is refused before any exporter is used. */
    t.version = 0x0303;
    EXPECT_ERR(atea_binder_compute(&tls, &profile, crc.data, crc.len, cert.data, cert.len, &b),
               ATEA_ERR_TLS_VERSION);
    EVP_PKEY_free(key);
    atea_buf_free(&cert);
    atea_buf_free(&ems);
    atea_buf_free(&crc);
    atea_buf_free(&sk);
}

/* RSA-PSS: the SPKI carries id-RSASSA-PSS with parameters; the binder must hash those exact
 * bytes (a re-encoding as rsaEncryption would change it). */
static void test_rsa_pss_spki_is_taken_verbatim(void **state)
{
    (void)state;
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA_PSS, NULL);
    EVP_PKEY *key = NULL;
    assert_non_null(kctx);
    assert_int_equal(EVP_PKEY_keygen_init(kctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(kctx, 2048), 1);
    assert_true(EVP_PKEY_CTX_set_rsa_pss_keygen_md(kctx, EVP_sha256()) > 0);
    assert_int_equal(EVP_PKEY_keygen(kctx, &key), 1);
    EVP_PKEY_CTX_free(kctx);
    atea_buf cert = self_signed(key, EVP_sha256());

    atea_slice spki;
    EXPECT_OK(atea_cert_spki(cert.data, cert.len, &spki));
    assert_true(spki.data > cert.data && spki.data + spki.len <= cert.data + cert.len);
    /* id-RSASSA-PSS 1.2.840.113549.1.1.10 is in the algorithm identifier */
    const uint8_t pss_oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
    assert_memory_equal(spki.data + 4 + 2, pss_oid, sizeof(pss_oid));
    const unsigned char *p = spki.data;
    EVP_PKEY *parsed = d2i_PUBKEY(NULL, &p, (long)spki.len);
    assert_non_null(parsed);
    assert_ptr_equal(p, spki.data + spki.len);
    assert_true(EVP_PKEY_is_a(parsed, "RSA-PSS"));
    EVP_PKEY_free(parsed);

    /* binder = SHA-256(spki bytes || exported), checked independently */
    uint8_t exported[32];
    memset(exported, 0x5a, sizeof(exported));
    atea_binder_profile profile;
    atea_binding b;
    atea_binder_profile_default(&profile);
    EXPECT_OK(atea_binder_from_exported(ATEA_HASH_SHA256, &profile, exported, 32, spki.data,
                                        spki.len, &b));
    uint8_t want[32];
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestInit_ex(md, EVP_sha256(), NULL), 1);
    assert_int_equal(EVP_DigestUpdate(md, spki.data, spki.len), 1);
    assert_int_equal(EVP_DigestUpdate(md, exported, 32), 1);
    assert_int_equal(EVP_DigestFinal_ex(md, want, NULL), 1);
    EVP_MD_CTX_free(md);
    assert_memory_equal(b.binder, want, 32);
    EVP_PKEY_free(key);
    atea_buf_free(&cert);
}

static void test_sha384_and_hashed_layouts(void **state)
{
    (void)state;
    atea_buf spki = atea_test_hex(A2_SPKI);
    uint8_t exported[32];
    memset(exported, 0x11, sizeof(exported));
    atea_binder_profile profile;
    atea_binding b;
    atea_binder_profile_default(&profile);
    EXPECT_OK(atea_binder_from_exported(ATEA_HASH_SHA384, &profile, exported, 32, spki.data,
                                        spki.len, &b));
    assert_int_equal(b.binder_len, 48);
    assert_int_equal(b.aik_hash_len, 48);
    uint8_t aik[48];
    assert_int_equal(EVP_Digest(spki.data, spki.len, aik, NULL, EVP_sha384(), NULL), 1);
    assert_memory_equal(b.aik_hash, aik, 48);
    /* 48 bytes of binder, then the first 16 of aik_hash (profile.md §3) */
    assert_memory_equal(b.report_data, b.binder, 48);
    assert_memory_equal(b.report_data + 48, aik, 16);
    EXPECT_OK(atea_binder_check_report_data(&b, ATEA_BINDER_LAYOUT_CONCAT, b.report_data, 64));

    atea_binding h;
    profile.layout = ATEA_BINDER_LAYOUT_HASHED;
    EXPECT_OK(atea_binder_from_exported(ATEA_HASH_SHA384, &profile, exported, 32, spki.data,
                                        spki.len, &h));
    uint8_t both[96];
    uint8_t want[64];
    memcpy(both, h.binder, 48);
    memcpy(both + 48, h.aik_hash, 48);
    assert_int_equal(EVP_Digest(both, 96, want, NULL, EVP_sha512(), NULL), 1);
    assert_memory_equal(h.report_data, want, 64);
    EXPECT_OK(atea_binder_check_report_data(&h, ATEA_BINDER_LAYOUT_HASHED, h.report_data, 64));
    want[0] ^= 1;
    EXPECT_ERR(atea_binder_check_report_data(&h, ATEA_BINDER_LAYOUT_HASHED, want, 64),
               ATEA_ERR_REPORT_DATA_MISMATCH);

    /* SHA-512 fills report_data with the binder alone. */
    profile.layout = ATEA_BINDER_LAYOUT_CONCAT;
    EXPECT_OK(atea_binder_from_exported(ATEA_HASH_SHA512, &profile, exported, 32, spki.data,
                                        spki.len, &b));
    assert_memory_equal(b.report_data, b.binder, 64);
    EXPECT_ERR(
        atea_binder_from_exported((atea_hash)9, &profile, exported, 32, spki.data, spki.len, &b),
        ATEA_ERR_TLS_UNKNOWN_SUITE);
    EXPECT_ERR(atea_binder_from_exported(ATEA_HASH_SHA256, &profile, exported, 31, spki.data,
                                         spki.len, &b),
               ATEA_ERR_INVALID_ARG);
    atea_buf_free(&spki);
}

static void test_relying_party_checks(void **state)
{
    (void)state;
    atea_buf exported = atea_test_hex(A2_EXPORTED);
    atea_buf spki = atea_test_hex(A2_SPKI);
    atea_binder_profile profile;
    atea_binding b;
    atea_binder_profile_default(&profile);
    EXPECT_OK(atea_binder_from_exported(ATEA_HASH_SHA256, &profile, exported.data, 32, spki.data,
                                        spki.len, &b));
    uint8_t rd[64];
    memcpy(rd, b.report_data, 64);
    EXPECT_OK(atea_binder_check_report_data(&b, ATEA_BINDER_LAYOUT_CONCAT, rd, 64));
    rd[31] ^= 0x80; /* last binder byte */
    EXPECT_ERR(atea_binder_check_report_data(&b, ATEA_BINDER_LAYOUT_CONCAT, rd, 64),
               ATEA_ERR_BINDER_MISMATCH);
    rd[31] ^= 0x80;
    rd[32] ^= 0x01; /* first aik_hash byte */
    EXPECT_ERR(atea_binder_check_report_data(&b, ATEA_BINDER_LAYOUT_CONCAT, rd, 64),
               ATEA_ERR_AIK_HASH_MISMATCH);
    EXPECT_ERR(atea_binder_check_report_data(&b, ATEA_BINDER_LAYOUT_CONCAT, rd, 63),
               ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_binder_check_report_data(&b, (atea_binder_layout)7, b.report_data, 64),
               ATEA_ERR_BINDER_PROFILE);

    EXPECT_OK(atea_binder_check_parts(&b, b.binder, 32, b.aik_hash, 32));
    EXPECT_OK(atea_binder_check_parts(&b, b.binder, 32, NULL, 0));
    EXPECT_ERR(atea_binder_check_parts(&b, b.binder, 31, b.aik_hash, 32), ATEA_ERR_BINDER_MISMATCH);
    EXPECT_ERR(atea_binder_check_parts(&b, b.binder, 32, b.binder, 32), ATEA_ERR_AIK_HASH_MISMATCH);
    EXPECT_ERR(atea_binder_check_parts(&b, NULL, 0, NULL, 0), ATEA_ERR_INVALID_ARG);

    uint8_t c1[32];
    uint8_t c2[32];
    memset(c1, 1, 32);
    memset(c2, 1, 32);
    EXPECT_OK(atea_binder_check_context(c1, 32, c2, 32));
    c2[5] = 2;
    EXPECT_ERR(atea_binder_check_context(c1, 32, c2, 32), ATEA_ERR_CONTEXT_MISMATCH);
    EXPECT_ERR(atea_binder_check_context(c1, 32, c1, 31), ATEA_ERR_CONTEXT_MISMATCH);
    atea_buf_free(&exported);
    atea_buf_free(&spki);
}

static void test_profile_checks(void **state)
{
    (void)state;
    char label[ATEA_BINDER_LABEL_MAX + 2];
    atea_binder_profile p = {.label = label, .layout = ATEA_BINDER_LAYOUT_CONCAT};
    memset(label, 'a', ATEA_BINDER_LABEL_MAX);
    label[ATEA_BINDER_LABEL_MAX] = '\0';
    EXPECT_OK(atea_binder_profile_check(&p)); /* at the cap */
    label[ATEA_BINDER_LABEL_MAX] = 'a';
    label[ATEA_BINDER_LABEL_MAX + 1] = '\0';
    EXPECT_ERR(atea_binder_profile_check(&p), ATEA_ERR_BINDER_PROFILE); /* cap + 1 */
    p.label = "";
    EXPECT_ERR(atea_binder_profile_check(&p), ATEA_ERR_BINDER_PROFILE);
    p.label = NULL;
    EXPECT_ERR(atea_binder_profile_check(&p), ATEA_ERR_BINDER_PROFILE);
    p.label = "Attestation";
    p.layout = (atea_binder_layout)0;
    EXPECT_ERR(atea_binder_profile_check(&p), ATEA_ERR_BINDER_PROFILE);
}

static void test_spki_walk_rejects_malformed(void **state)
{
    (void)state;
    atea_buf sk = atea_test_hex(RFC8032_T1_SK);
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sk.data, sk.len);
    atea_buf cert = self_signed(key, NULL);
    atea_slice spki;
    uint8_t buf[1024];
    assert_true(cert.len + 1 <= sizeof(buf));

    /* every truncation fails cleanly */
    for (size_t n = 0; n < cert.len; n++) {
        EXPECT_ERR(atea_cert_spki(cert.data, n, &spki), ATEA_ERR_SPKI_MALFORMED);
    }
    /* a trailing byte */
    memcpy(buf, cert.data, cert.len);
    buf[cert.len] = 0;
    EXPECT_ERR(atea_cert_spki(buf, cert.len + 1, &spki), ATEA_ERR_SPKI_MALFORMED);
    /* not a SEQUENCE */
    buf[0] = 0x31;
    EXPECT_ERR(atea_cert_spki(buf, cert.len, &spki), ATEA_ERR_SPKI_MALFORMED);
    assert_non_null(strstr(atea_err_last()->detail, "Certificate"));
    /* a non-minimal length: 0x81 0x05 for a short body */
    const uint8_t nonminimal[] = {0x30, 0x81, 0x03, 0x30, 0x01, 0x00};
    EXPECT_ERR(atea_cert_spki(nonminimal, sizeof(nonminimal), &spki), ATEA_ERR_SPKI_MALFORMED);
    assert_non_null(strstr(atea_err_last()->detail, "non-minimal length"));
    /* a length of more bytes than a certificate can need */
    const uint8_t huge[] = {0x30, 0x84, 0x00, 0x00, 0x00, 0x01, 0x00};
    EXPECT_ERR(atea_cert_spki(huge, sizeof(huge), &spki), ATEA_ERR_SPKI_MALFORMED);
    EXPECT_ERR(atea_cert_spki(NULL, 0, &spki), ATEA_ERR_INVALID_ARG);
    EVP_PKEY_free(key);
    atea_buf_free(&cert);
    atea_buf_free(&sk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a2_vectors_from_parts),
        cmocka_unit_test(test_a2_vectors_from_connection),
        cmocka_unit_test(test_rsa_pss_spki_is_taken_verbatim),
        cmocka_unit_test(test_sha384_and_hashed_layouts),
        cmocka_unit_test(test_relying_party_checks),
        cmocka_unit_test(test_profile_checks),
        cmocka_unit_test(test_spki_walk_rejects_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
