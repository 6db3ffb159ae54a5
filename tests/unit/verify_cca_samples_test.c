/* Arm CCA verification on the two public sample tokens (../shared/testdata/evidence/cca): they
 * verify with the test CPAK and carry the challenges of the README; every change to their bytes,
 * a wrong or missing CPAK, or another binder fails with its own code. Synthetic tokens (other
 * algorithms, malformed COSE, caps) are in verify_cca_synthetic_test.c. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "atea/appraisal.h"
#include "atea/cca.h"
#include "atea/verify_env.h"
#include "atea_test.h"
#include "core/check.h"
#include "verify/cca_internal.h"

#define CCA_DIR "testdata/evidence/cca"

static const char RMM_REALM_CHALLENGE[] =
    "abababababababababababababababababababababababababababababababab"
    "abababababababababababababababababababababababababababababababab";
static const char RMM_PLATFORM_CHALLENGE[] =
    "b5973cb68baa9fc55558786b7ec67f69e40df5ba5aa921cd0c27f40587a011ea";
static const char TFM_REALM_CHALLENGE[] =
    "6e86d6d97cc713bc6dd43dbce491a6b40311c027a8bf85a39da63e9ce44c132a"
    "8a119d296fae6a6999e9bf3e4471b0ce01245d889424c31e89793b3b1d6b1504";
static const char TFM_PLATFORM_CHALLENGE[] =
    "0d22e08a98469058486318283489bdb36f09dbefeb1864df433fa6e54ea2d711";

static char *sample_path(const char *name)
{
    return atea_test_shared_file(CCA_DIR, name);
}

static atea_buf read_sample(const char *name)
{
    return atea_test_read_shared(CCA_DIR, name);
}

/* Verify token bytes with a CPAK file (NULL: none) and a binder (NULL: none). */
static atea_err verify(const uint8_t *token, size_t len, const char *cpak_path,
                       const char *binder_hex, atea_appraisal **pa)
{
    atea_buf binder = {0};
    if (binder_hex != NULL) {
        binder = atea_test_hex(binder_hex);
    }
    atea_verify_env env = {
        .expected_report_data = binder.data, .now = 1795824000, .cca_cpak_pem_file = cpak_path};
    EXPECT_OK(atea_appraisal_new(pa));
    atea_err err = atea_cca_verify(&env, token, len, *pa);
    atea_buf_free(&binder);
    return err;
}

static void expect_claim_hex(const atea_appraisal *a, const char *name, const char *hex)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "cca", name);
    if (c == NULL) {
        fail_msg("claim %s missing", name);
    }
    assert_int_equal(c->type, ATEA_CLAIM_BYTES);
    atea_test_assert_hex(c->bytes.data, c->bytes.len, hex);
}

static void expect_claim_str(const atea_appraisal *a, const char *name, const char *v)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "cca", name);
    if (c == NULL) {
        fail_msg("claim %s missing", name);
    }
    assert_int_equal(c->type, ATEA_CLAIM_STR);
    assert_string_equal(c->str, v);
}

static void expect_claim_int(const atea_appraisal *a, const char *name, int64_t v)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "cca", name);
    if (c == NULL) {
        fail_msg("claim %s missing", name);
    }
    assert_int_equal(c->i, v);
}

/* Run a verification expected to fail with code, which must also be a CONTRAINDICATED reason. */
static void expect_fail(const uint8_t *token, size_t len, const char *cpak, const char *binder,
                        atea_err code)
{
    atea_appraisal *a = NULL;
    EXPECT_ERR(verify(token, len, cpak, binder, &a), code);
    assert_true(atea_appraisal_has_reason(a, code));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
}

static void test_tf_rmm_token_tag_399(void **state)
{
    (void)state;
    atea_buf t = read_sample("veraison_tf-rmm_cca_token.cbor");
    char *cpak = sample_path("cpak_pub.pem");
    atea_appraisal *a = NULL;
    EXPECT_OK(verify(t.data, t.len, cpak, RMM_REALM_CHALLENGE, &a));
    expect_claim_hex(a, "realm_challenge", RMM_REALM_CHALLENGE);
    expect_claim_hex(a, "platform_challenge", RMM_PLATFORM_CHALLENGE);
    expect_claim_hex(a, "rim", "0000000000000000000000000000000000000000000000000000000000000000");
    expect_claim_hex(a, "rem3", "0000000000000000000000000000000000000000000000000000000000000000");
    expect_claim_hex(a, "platform_implementation_id",
                     "7f454c4602010100000000000000000003003e00010000005058000000000000");
    expect_claim_hex(a, "platform_instance_id",
                     "0107060504030201000f0e0d0c0b0a090817161514131211101f1e1d1c1b1a1918");
    expect_claim_str(a, "platform_profile", "http://arm.com/CCA-SSD/1.0.0");
    expect_claim_str(a, "realm_hash_algo", "sha-256");
    expect_claim_str(a, "platform_lifecycle_state", "secured");
    expect_claim_int(a, "platform_lifecycle", 0x3003);
    expect_claim_int(a, "debug", 0);
    expect_claim_int(a, "sw_component_count", 4);
    expect_claim_str(a, "sw0_type", "BL");
    expect_claim_str(a, "sw0_version", "3.4.2");
    expect_claim_str(a, "sw3_type", "M3");
    assert_null(atea_appraisal_find_claim(a, "cca", "realm_profile")); /* legacy claim set */
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    free(cpak);
    atea_buf_free(&t);
}

static void test_tfm_token_tag_907(void **state)
{
    (void)state;
    atea_buf t = read_sample("tfm_cca_example_token.cbor");
    char *cpak = sample_path("cpak_pub.pem");
    atea_appraisal *a = NULL;
    EXPECT_OK(verify(t.data, t.len, cpak, TFM_REALM_CHALLENGE, &a));
    expect_claim_hex(a, "realm_challenge", TFM_REALM_CHALLENGE);
    expect_claim_hex(a, "platform_challenge", TFM_PLATFORM_CHALLENGE);
    expect_claim_hex(a, "rim", "311314ab73620350cf758834ae5c65d9e8c2dc7febe6e7d9654bbe864e300d49");
    expect_claim_hex(a, "rem0", "24d5b0a296cc05cbd8068c5067c5bd473b770dda6ae082fe3ba30abe3f9a6ab1");
    expect_claim_hex(a, "rem3", "32c6afc627e55585c03155359f331a0e225f6840db947dd96efab81be2671939");
    expect_claim_hex(a, "realm_personalization_value",
                     "54686520717569636b2062726f776e20666f78206a756d7073206f766572203133"
                     "206c617a7920646f67732e54686520717569636b2062726f776e20666f7820");
    expect_claim_str(a, "realm_profile", "tag:arm.com,2024:realm#2.0.0");
    expect_claim_str(a, "platform_profile", "tag:arm.com,2023:cca_platform#1.0.0");
    expect_claim_int(a, "sw_component_count", 13);
    expect_claim_str(a, "sw8_type", "RMM");
    expect_claim_hex(a, "sw8_measurement",
                     "a1fb50e6c86fae1679ef3351296fd6713411a08cf8dd1790a4fd05fae8688164");
    expect_claim_str(a, "platform_verification_service",
                     "https://veraison.example/.well-known/veraison/verification");
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    free(cpak);
    atea_buf_free(&t);
}

static void test_no_binder_is_a_warning(void **state)
{
    (void)state;
    atea_buf t = read_sample("tfm_cca_example_token.cbor");
    char *cpak = sample_path("cpak_pub.pem");
    atea_appraisal *a = NULL;
    EXPECT_OK(verify(t.data, t.len, cpak, NULL, &a));
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_BINDING_MISSING));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
    free(cpak);
    atea_buf_free(&t);
}

static void test_challenge_mismatch(void **state)
{
    (void)state;
    atea_buf t = read_sample("veraison_tf-rmm_cca_token.cbor");
    char *cpak = sample_path("cpak_pub.pem");
    expect_fail(t.data, t.len, cpak, TFM_REALM_CHALLENGE, ATEA_ERR_CCA_REALM_CHALLENGE);
    free(cpak);
    atea_buf_free(&t);
}

static void test_cpak_missing_wrong_unreadable(void **state)
{
    (void)state;
    atea_buf t = read_sample("veraison_tf-rmm_cca_token.cbor");
    /* No CPAK configured: the platform token cannot be verified. */
    expect_fail(t.data, t.len, NULL, RMM_REALM_CHALLENGE, ATEA_ERR_CCA_NO_CPAK);
    /* Another P-384 key. */
    char path[] = "/tmp/atea-cca-cpak-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    assert_non_null(other);
    assert_int_equal(PEM_write_PUBKEY(f, other), 1);
    fclose(f);
    expect_fail(t.data, t.len, path, RMM_REALM_CHALLENGE, ATEA_ERR_CCA_PLATFORM_SIGNATURE);
    /* A P-256 key cannot verify ES384. */
    EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(p256);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_PUBKEY(f, p256), 1);
    fclose(f);
    expect_fail(t.data, t.len, path, RMM_REALM_CHALLENGE, ATEA_ERR_CCA_COSE_ALG);
    /* The right key followed by other text, or twice: not a single PEM block. */
    atea_buf good = read_sample("cpak_pub.pem");
    const char *suffixes[] = {"trailing words\n", "-----BEGIN PUBLIC KEY-----\n"};
    for (size_t i = 0; i < 2; i++) {
        f = fopen(path, "w");
        assert_non_null(f);
        assert_int_equal(fwrite(good.data, 1, good.len, f), good.len);
        fputs(suffixes[i], f);
        fclose(f);
        expect_fail(t.data, t.len, path, RMM_REALM_CHALLENGE, ATEA_ERR_CCA_CPAK);
    }
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("\n  \n", f);
    assert_int_equal(fwrite(good.data, 1, good.len, f), good.len);
    fputs("\n\n", f);
    fclose(f);
    atea_appraisal *ok = NULL;
    EXPECT_OK(verify(t.data, t.len, path, RMM_REALM_CHALLENGE, &ok));
    atea_appraisal_free(ok);
    atea_buf_free(&good);
    /* Not a key at all; no file. */
    char *readme = sample_path("README.md");
    expect_fail(t.data, t.len, readme, RMM_REALM_CHALLENGE, ATEA_ERR_CCA_CPAK);
    expect_fail(t.data, t.len, "/nonexistent/cpak.pem", RMM_REALM_CHALLENGE, ATEA_ERR_CCA_CPAK);
    unlink(path);
    free(readme);
    EVP_PKEY_free(other);
    EVP_PKEY_free(p256);
    atea_buf_free(&t);
}

static void test_signature_bit_flips(void **state)
{
    (void)state;
    const char *files[] = {"veraison_tf-rmm_cca_token.cbor", "tfm_cca_example_token.cbor"};
    const char *binders[] = {RMM_REALM_CHALLENGE, TFM_REALM_CHALLENGE};
    char *cpak = sample_path("cpak_pub.pem");
    for (size_t i = 0; i < 2; i++) {
        atea_buf t = read_sample(files[i]);
        atea_cca_collection coll;
        EXPECT_OK(atea__cca_collection_parse(t.data, t.len, &coll));
        /* Each COSE_Sign1 ends with its 96-byte signature. */
        uint8_t *realm_sig_end = (uint8_t *)coll.realm.data + coll.realm.len - 1;
        uint8_t *platform_sig_end = (uint8_t *)coll.platform.data + coll.platform.len - 1;
        uint8_t *realm_sig_r = realm_sig_end - 95;
        realm_sig_end[0] ^= 0x01;
        expect_fail(t.data, t.len, cpak, binders[i], ATEA_ERR_CCA_REALM_SIGNATURE);
        realm_sig_end[0] ^= 0x01;
        realm_sig_r[0] ^= 0x80;
        expect_fail(t.data, t.len, cpak, binders[i], ATEA_ERR_CCA_REALM_SIGNATURE);
        realm_sig_r[0] ^= 0x80;
        platform_sig_end[0] ^= 0x01;
        expect_fail(t.data, t.len, cpak, binders[i], ATEA_ERR_CCA_PLATFORM_SIGNATURE);
        platform_sig_end[0] ^= 0x01;
        atea_appraisal *a = NULL;
        EXPECT_OK(verify(t.data, t.len, cpak, binders[i], &a));
        atea_appraisal_free(a);
        atea_buf_free(&t);
    }
    free(cpak);
}

static void test_signed_payload_flips(void **state)
{
    (void)state;
    atea_buf t = read_sample("veraison_tf-rmm_cca_token.cbor");
    char *cpak = sample_path("cpak_pub.pem");
    atea_cca_collection coll;
    EXPECT_OK(atea__cca_collection_parse(t.data, t.len, &coll));
    /* The last byte of the realm's 4th REM (signed by the RAK), then the platform's
     * verification service text (signed by the CPAK). */
    uint8_t *rem3_last = (uint8_t *)coll.realm.data + coll.realm.len - 96 - 3;
    *rem3_last ^= 0x01;
    expect_fail(t.data, t.len, cpak, RMM_REALM_CHALLENGE, ATEA_ERR_CCA_REALM_SIGNATURE);
    *rem3_last ^= 0x01;
    uint8_t *service = NULL;
    for (size_t i = 0; i + 12 <= t.len && service == NULL; i++) {
        if (memcmp(t.data + i, "whatever.com", 12) == 0) {
            service = t.data + i;
        }
    }
    assert_non_null(service);
    service[0] = 'W';
    expect_fail(t.data, t.len, cpak, RMM_REALM_CHALLENGE, ATEA_ERR_CCA_PLATFORM_SIGNATURE);
    free(cpak);
    atea_buf_free(&t);
}

static void test_trailing_and_truncation(void **state)
{
    (void)state;
    atea_buf t = read_sample("veraison_tf-rmm_cca_token.cbor");
    char *cpak = sample_path("cpak_pub.pem");
    uint8_t *longer = calloc(1, t.len + 1);
    assert_non_null(longer);
    memcpy(longer, t.data, t.len);
    expect_fail(longer, t.len + 1, cpak, RMM_REALM_CHALLENGE, ATEA_ERR_TRAILING);
    /* Every proper prefix is truncated. */
    for (size_t n = 0; n < t.len; n++) {
        expect_fail(t.data, n, cpak, RMM_REALM_CHALLENGE, ATEA_ERR_TRUNCATED);
    }
    free(longer);
    free(cpak);
    atea_buf_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tf_rmm_token_tag_399),
        cmocka_unit_test(test_tfm_token_tag_907),
        cmocka_unit_test(test_no_binder_is_a_warning),
        cmocka_unit_test(test_challenge_mismatch),
        cmocka_unit_test(test_cpak_missing_wrong_unreadable),
        cmocka_unit_test(test_signature_bit_flips),
        cmocka_unit_test(test_signed_payload_flips),
        cmocka_unit_test(test_trailing_and_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
