/* The certificate walk to the SubjectPublicKeyInfo: the exact bytes OpenSSL finds, and
 * ATEA_ERR_DER_MALFORMED for anything that is not a well-formed DER certificate. */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "atea_test.h"
#include "core/der.h"
#include "test_certs.h"

static void test_spki_bytes_are_openssls(void **state)
{
    (void)state;
    const atea_test_keytype types[] = {ATEA_TEST_KEY_P256, ATEA_TEST_KEY_ED25519,
                                       ATEA_TEST_KEY_P521};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        atea_test_identity *id = atea_test_identity_new(types[t]);
        atea_slice spki = {0};
        EXPECT_OK(atea_der_cert_spki(id->leaf_der.data, id->leaf_der.len, &spki));
        unsigned char *want = NULL;
        int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(id->leaf), &want);
        assert_true(n > 0);
        assert_int_equal(spki.len, (size_t)n);
        assert_memory_equal(spki.data, want, spki.len);
        OPENSSL_free(want);
        atea_test_identity_free(id);
    }
}

static void test_malformed_certificates(void **state)
{
    (void)state;
    atea_test_identity *id = atea_test_identity_new(ATEA_TEST_KEY_P256);
    const atea_buf *der = &id->leaf_der;
    atea_slice spki;
    uint8_t *copy = malloc(der->len + 1);
    assert_non_null(copy);
    /* every truncation */
    for (size_t len = 0; len < der->len; len++) {
        memcpy(copy, der->data, len);
        EXPECT_ERR(atea_der_cert_spki(copy, len, &spki), ATEA_ERR_DER_MALFORMED);
    }
    /* a trailing byte */
    memcpy(copy, der->data, der->len);
    copy[der->len] = 0;
    EXPECT_ERR(atea_der_cert_spki(copy, der->len + 1, &spki), ATEA_ERR_DER_MALFORMED);
    assert_non_null(strstr(atea_err_last()->detail, "follow the certificate"));
    /* not a SEQUENCE */
    copy[0] = 0x31;
    EXPECT_ERR(atea_der_cert_spki(copy, der->len, &spki), ATEA_ERR_DER_MALFORMED);
    assert_non_null(strstr(atea_err_last()->detail, "Certificate"));
    /* a non-minimal length: 0x81 0x05 for a 5-byte body */
    static const uint8_t short_form_in_long[] = {0x30, 0x81, 0x05, 0x30, 0x03, 0x02, 0x01, 0x01};
    EXPECT_ERR(atea_der_cert_spki(short_form_in_long, sizeof(short_form_in_long), &spki),
               ATEA_ERR_DER_MALFORMED);
    assert_non_null(strstr(atea_err_last()->detail, "non-minimal length"));
    /* a 4-byte length: larger than any certificate TLS can carry */
    static const uint8_t four_byte_len[] = {0x30, 0x84, 0x00, 0x01, 0x00, 0x00};
    EXPECT_ERR(atea_der_cert_spki(four_byte_len, sizeof(four_byte_len), &spki),
               ATEA_ERR_DER_MALFORMED);
    EXPECT_ERR(atea_der_cert_spki(NULL, 5, &spki), ATEA_ERR_INVALID_ARG);
    free(copy);
    atea_test_identity_free(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spki_bytes_are_openssls),
        cmocka_unit_test(test_malformed_certificates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
