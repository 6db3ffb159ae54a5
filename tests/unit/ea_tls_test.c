/* The checked atea_tls wrappers (src/ea/tls.c): argument checks, TLS 1.3 only, exporter
 * failures reported as such with the output wiped. */
#include <string.h>

#include "atea/tls.h"
#include "atea_test.h"
#include "tls_secret.h"

static atea_err failing_exporter(void *impl, const char *label, size_t label_len,
                                 const uint8_t *context, size_t context_len, uint8_t *out,
                                 size_t out_len)
{
    (void)impl;
    (void)label;
    (void)label_len;
    (void)context;
    (void)context_len;
    memset(out, 0xaa, out_len); /* a half-written output must not survive */
    return ATEA_ERR_INTERNAL;
}

static void test_hash_len(void **state)
{
    (void)state;
    assert_int_equal(atea_hash_len(ATEA_HASH_SHA256), 32);
    assert_int_equal(atea_hash_len(ATEA_HASH_SHA384), 48);
    assert_int_equal(atea_hash_len(ATEA_HASH_SHA512), 64);
    assert_int_equal(atea_hash_len((atea_hash)0), 0);
}

static void test_require_13_and_exporter(void **state)
{
    (void)state;
    uint8_t secret[32] = {0};
    atea_test_tls_secret t;
    atea_tls tls;
    uint8_t out[32];
    char long_label[251];
    EXPECT_OK(atea_test_tls_secret_init(&t, secret, ATEA_HASH_SHA256, ATEA_TLS_CLIENT, &tls));
    EXPECT_OK(atea_tls_require_13(&tls));
    EXPECT_OK(atea_tls_exporter(&tls, "Attestation", NULL, 0, out, sizeof(out)));
    t.version = 0x0303;
    EXPECT_ERR(atea_tls_require_13(&tls), ATEA_ERR_TLS_VERSION);
    EXPECT_ERR(atea_tls_exporter(&tls, "Attestation", NULL, 0, out, sizeof(out)),
               ATEA_ERR_TLS_VERSION);
    t.version = ATEA_TLS_VERSION_1_3;
    /* "tls13 " + label must fit 255 bytes. */
    memset(long_label, 'x', sizeof(long_label) - 1);
    long_label[sizeof(long_label) - 1] = '\0';
    EXPECT_ERR(atea_tls_exporter(&tls, long_label, NULL, 0, out, sizeof(out)),
               ATEA_ERR_INVALID_ARG);
    long_label[249] = '\0';
    EXPECT_OK(atea_tls_exporter(&tls, long_label, NULL, 0, out, sizeof(out)));
    EXPECT_ERR(atea_tls_exporter(&tls, "x", NULL, 3, out, sizeof(out)), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_tls_exporter(&tls, "x", NULL, 0, out, 0), ATEA_ERR_INVALID_ARG);
    /* An adapter without the operation, or whose exporter fails. */
    atea_tls_ops ops = *tls.ops;
    atea_tls bare = {&ops, &t};
    ops.exporter = NULL;
    EXPECT_ERR(atea_tls_exporter(&bare, "x", NULL, 0, out, sizeof(out)), ATEA_ERR_TLS_NO_OPS);
    ops.exporter = failing_exporter;
    EXPECT_ERR(atea_tls_exporter(&bare, "x", NULL, 0, out, sizeof(out)), ATEA_ERR_TLS_EXPORTER);
    for (size_t i = 0; i < sizeof(out); i++) {
        assert_int_equal(out[i], 0);
    }
    ops.version = NULL;
    EXPECT_ERR(atea_tls_require_13(&bare), ATEA_ERR_TLS_NO_OPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_len),
        cmocka_unit_test(test_require_13_and_exporter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
