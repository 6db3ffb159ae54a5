/*
 * src/ea/spki.c: the SubjectPublicKeyInfo found by walking a certificate (no X509 decode) and
 * the check that a signing key is the leaf's key (atea_ea_authenticate, ATEA_ERR_EA_KEY_MISMATCH).
 * The walk is compared with OpenSSL's own encoding of the decoded certificate's key; every
 * malformation is refused with ATEA_ERR_EA_BAD_CERT; the key check gives EVP_PKEY_eq's answer,
 * also when the certificate encodes the key differently from the key object (compressed point).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "atea_test.h"
#include "core/check.h"
#include "ea/ea_internal.h"
#include "test_certs.h"

/* The walk finds exactly the bytes OpenSSL encodes for the decoded certificate's key. */
static void expect_spki_as_openssl(const atea_buf *der, X509 *cert)
{
    atea_slice spki = {0};
    unsigned char *expected = NULL;
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &expected);
    assert_true(len > 0);
    EXPECT_OK(atea_ea_cert_spki(atea_test_slice(der), 0, &spki));
    assert_int_equal(spki.len, (size_t)len);
    assert_memory_equal(spki.data, expected, (size_t)len);
    /* It is a slice of the certificate, not a copy. */
    assert_true(spki.data > der->data && spki.data + spki.len <= der->data + der->len);
    OPENSSL_free(expected);
}

static void test_spki_walk_matches_openssl(void **state)
{
    atea_test_identities *ids = *state;
    static const atea_test_keytype types[] = {ATEA_TEST_KEY_P256, ATEA_TEST_KEY_ED25519};
    for (size_t i = 0; i < ATEA_ARRAY_LEN(types); i++) {
        const atea_test_identity *id = atea_test_identities_get(ids, types[i]);
        expect_spki_as_openssl(&id->leaf_der, id->leaf);
        expect_spki_as_openssl(&id->ca_der, id->ca);
    }
}

static atea_err walk(const uint8_t *der, size_t len)
{
    atea_slice spki;
    return atea_ea_cert_spki((atea_slice){der, len}, 0, &spki);
}

static void test_spki_walk_refuses_malformed(void **state)
{
    atea_test_identities *ids = *state;
    const atea_buf *leaf = &atea_test_identities_get(ids, ATEA_TEST_KEY_P256)->leaf_der;
    static const uint8_t empty_seq[] = {0x30, 0x00};
    static const uint8_t not_seq[] = {0x31, 0x00};
    /* 0x84: a 4-byte length, beyond any certificate an authenticator can carry. */
    static const uint8_t long_len[] = {0x30, 0x84, 0x00, 0x00, 0x00, 0x01, 0x00};
    /* 0x81 0x05: a long form for a length that fits the short form (not DER). */
    static const uint8_t non_minimal[] = {0x30, 0x81, 0x05, 0x02, 0x01, 0x00, 0x30, 0x00};
    uint8_t *copy = malloc(leaf->len + 1);
    assert_non_null(copy);
    EXPECT_ERR(walk(NULL, 0), ATEA_ERR_EA_BAD_CERT);
    EXPECT_ERR(walk(empty_seq, sizeof(empty_seq)), ATEA_ERR_EA_BAD_CERT);
    EXPECT_ERR(walk(not_seq, sizeof(not_seq)), ATEA_ERR_EA_BAD_CERT);
    EXPECT_ERR(walk(long_len, sizeof(long_len)), ATEA_ERR_EA_BAD_CERT);
    EXPECT_ERR(walk(non_minimal, sizeof(non_minimal)), ATEA_ERR_EA_BAD_CERT);
    memcpy(copy, leaf->data, leaf->len);
    copy[leaf->len] = 0x00;
    EXPECT_ERR(walk(copy, leaf->len + 1), ATEA_ERR_EA_BAD_CERT); /* trailing byte */
    EXPECT_ERR(walk(copy, leaf->len - 1), ATEA_ERR_EA_BAD_CERT); /* truncated */
    /* The tbsCertificate's first byte after its header: serialNumber (or version [0]). Any other
     * tag there shifts the walk and must be refused, not skipped. */
    EXPECT_OK(walk(copy, leaf->len));
    size_t tbs = 4 + 4; /* Certificate and tbsCertificate headers, both 0x30 0x82 xx xx */
    assert_int_equal(copy[tbs], 0xa0);
    copy[tbs] = 0x04;
    EXPECT_ERR(walk(copy, leaf->len), ATEA_ERR_EA_BAD_CERT);
    free(copy);
}

static EVP_PKEY *keygen(const char *type, const char *param)
{
    EVP_PKEY *k = param != NULL ? EVP_PKEY_Q_keygen(NULL, NULL, type, param)
                                : EVP_PKEY_Q_keygen(NULL, NULL, type);
    assert_non_null(k);
    return k;
}

static void test_key_match(void **state)
{
    atea_test_identities *ids = *state;
    const atea_test_identity *p256 = atea_test_identities_get(ids, ATEA_TEST_KEY_P256);
    const atea_test_identity *ed = atea_test_identities_get(ids, ATEA_TEST_KEY_ED25519);
    EVP_PKEY *other_p256 = keygen("EC", "P-256");
    EVP_PKEY *other_ed = keygen("ED25519", NULL);
    EXPECT_OK(atea_ea_key_matches_cert(p256->key, atea_test_slice(&p256->leaf_der)));
    EXPECT_OK(atea_ea_key_matches_cert(ed->key, atea_test_slice(&ed->leaf_der)));
    /* Another type, another key of the same type, the issuer's key. */
    EXPECT_ERR(atea_ea_key_matches_cert(ed->key, atea_test_slice(&p256->leaf_der)),
               ATEA_ERR_EA_KEY_MISMATCH);
    EXPECT_ERR(atea_ea_key_matches_cert(other_p256, atea_test_slice(&p256->leaf_der)),
               ATEA_ERR_EA_KEY_MISMATCH);
    EXPECT_ERR(atea_ea_key_matches_cert(other_ed, atea_test_slice(&ed->leaf_der)),
               ATEA_ERR_EA_KEY_MISMATCH);
    EXPECT_ERR(atea_ea_key_matches_cert(p256->ca_key, atea_test_slice(&p256->leaf_der)),
               ATEA_ERR_EA_KEY_MISMATCH);
    EXPECT_ERR(atea_ea_key_matches_cert(p256->key, (atea_slice){NULL, 0}), ATEA_ERR_EA_BAD_CERT);
    EVP_PKEY_free(other_p256);
    EVP_PKEY_free(other_ed);
}

/* PEM of key with its EC point in compressed form. */
static char *compressed_pem(EVP_PKEY *key)
{
    EVP_PKEY *copy = EVP_PKEY_dup(key);
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL;
    assert_non_null(copy);
    assert_non_null(bio);
    assert_int_equal(EVP_PKEY_set_utf8_string_param(
                         copy, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed"),
                     1);
    assert_int_equal(PEM_write_bio_PrivateKey(bio, copy, NULL, NULL, 0, NULL, NULL), 1);
    long n = BIO_get_mem_data(bio, &data);
    char *pem = calloc(1, (size_t)n + 1);
    assert_non_null(pem);
    memcpy(pem, data, (size_t)n);
    BIO_free(bio);
    EVP_PKEY_free(copy);
    return pem;
}

/* A leaf whose SubjectPublicKeyInfo holds the compressed point: the bytes differ from the
 * uncompressed key object's, and the exact comparison still says "same key". */
static void test_key_match_other_encoding(void **state)
{
    atea_test_identities *ids = *state;
    const atea_test_identity *p256 = atea_test_identities_get(ids, ATEA_TEST_KEY_P256);
    EVP_PKEY *key = keygen("EC", "P-256");
    char *pem = compressed_pem(key);
    atea_test_identity *leaf = atea_test_identity_issue(ATEA_TEST_KEY_P256, pem, p256);
    atea_slice spki = {0};
    EXPECT_OK(atea_ea_cert_spki(atea_test_slice(&leaf->leaf_der), 0, &spki));
    assert_int_equal(spki.len, 59); /* 91 with the 65-byte uncompressed point */
    EXPECT_OK(atea_ea_key_matches_cert(key, atea_test_slice(&leaf->leaf_der)));
    EXPECT_ERR(atea_ea_key_matches_cert(p256->key, atea_test_slice(&leaf->leaf_der)),
               ATEA_ERR_EA_KEY_MISMATCH);
    atea_test_identity_free(leaf);
    free(pem);
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spki_walk_matches_openssl),
        cmocka_unit_test(test_spki_walk_refuses_malformed),
        cmocka_unit_test(test_key_match),
        cmocka_unit_test(test_key_match_other_encoding),
    };
    /* The group state is a set of identities. */
    return cmocka_run_group_tests(tests, atea_test_identities_group_setup,
                                  atea_test_identities_state_free);
}
