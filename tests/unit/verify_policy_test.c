/* The policy: every rule (pass and violation), every bad-policy case with its code and line. */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atea/appraisal.h"
#include "atea/policy.h"
#include "atea_test.h"

#define MRTD_A "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"
#define MRTD_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

static const char *good_policy =
    "{\n"
    "  \"version\": 1,\n"
    "  \"description\": \"test\",\n"
    "  \"accept_warning\": false,\n"
    "  \"platforms\": {\n"
    "    \"tdx\": {\n"
    "      \"reference_values\": { \"mrtd\": [\"" MRTD_A "\", \"" MRTD_B "\"],\n"
    "                            \"product\": [\"alpha\"], \"svn\": [7] },\n"
    "      \"minimum_values\": { \"tcb_svn\": 3 },\n"
    "      \"required_claims\": [\"report_data\"],\n"
    "      \"tcb_statuses\": [\"UpToDate\", \"SWHardeningNeeded\"]\n"
    "    },\n"
    "    \"snp\": { \"debug_forbidden\": false }\n"
    "  }\n"
    "}\n";

static atea_policy *load(const char *text)
{
    atea_policy *p = NULL;
    atea_policy_diag diag;
    EXPECT_OK(atea_policy_load_mem(text, strlen(text), "policy.json", NULL, &p, &diag));
    return p;
}

/* Load must fail with `code`, report `line` and mention `needle` in the detail. */
static void expect_bad(const char *text, atea_err code, int line, const char *needle)
{
    atea_policy *p = NULL;
    atea_policy_diag diag;
    EXPECT_ERR(atea_policy_load_mem(text, strlen(text), "policy.json", NULL, &p, &diag), code);
    assert_null(p);
    if (diag.line != line) {
        fail_msg("expected line %d, got %d (%s)", line, diag.line, atea_err_last()->detail);
    }
    if (strstr(atea_err_last()->detail, needle) == NULL) {
        fail_msg("detail '%s' does not mention '%s'", atea_err_last()->detail, needle);
    }
}

static atea_appraisal *tdx_appraisal(const char *mrtd_hex, int64_t tcb_svn, const char *status,
                                     int debug)
{
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_AFFIRMING, ATEA_OK, "signature ok"));
    atea_buf m = atea_test_hex(mrtd_hex);
    EXPECT_OK(atea_appraisal_claim_bytes(a, "tdx", "mrtd", m.data, m.len));
    atea_buf_free(&m);
    EXPECT_OK(atea_appraisal_claim_int(a, "tdx", "tcb_svn", tcb_svn));
    EXPECT_OK(atea_appraisal_claim_str(a, "tdx", "tcb_status", status));
    EXPECT_OK(atea_appraisal_claim_bool(a, "tdx", "debug", debug));
    EXPECT_OK(atea_appraisal_claim_str(a, "tdx", "product", "alpha"));
    EXPECT_OK(atea_appraisal_claim_int(a, "tdx", "svn", 7));
    uint8_t rd[64] = {0};
    EXPECT_OK(atea_appraisal_claim_bytes(a, "tdx", "report_data", rd, sizeof(rd)));
    return a;
}

/* The message of the first reason with this code, or fail. */
static const char *reason_message(const atea_appraisal *a, atea_err code)
{
    for (size_t i = 0; i < atea_appraisal_reason_count(a); i++) {
        if (atea_appraisal_reason_at(a, i)->code == code) {
            return atea_appraisal_reason_at(a, i)->message;
        }
    }
    fail_msg("no reason %s", atea_err_name(code));
    return NULL;
}

static void test_all_rules_pass(void **state)
{
    (void)state;
    atea_policy *p = load(good_policy);
    atea_appraisal *a = tdx_appraisal(MRTD_B, 3, "UpToDate", 0);
    EXPECT_OK(atea_policy_apply(p, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    /* one affirming reason per rule: debug, required, 3 reference values, minimum, tcb status */
    assert_int_equal(atea_appraisal_reason_count(a), 1 + 7);
    assert_string_equal(atea_policy_id(p), "file:policy.json");
    atea_buf json = {0};
    EXPECT_OK(atea_appraisal_to_json(a, 0, &json));
    assert_non_null(
        strstr((const char *)json.data, "\"ear.appraisal-policy-id\": \"file:policy.json\""));
    assert_non_null(
        strstr((const char *)json.data, "matches reference value 2 of 2 in policy.json"));
    atea_buf_free(&json);
    atea_appraisal_free(a);
    atea_policy_free(p);
}

static void test_reference_value_violation(void **state)
{
    (void)state;
    atea_policy *p = load(good_policy);
    atea_appraisal *a = tdx_appraisal("00112233445566778899aabbccddeeff", 3, "UpToDate", 0);
    EXPECT_OK(atea_policy_apply(p, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    assert_string_equal(reason_message(a, ATEA_ERR_POLICY_REFERENCE_VALUE),
                        "mrtd 0011223344556677\xe2\x80\xa6 is not one of the 2 reference values in "
                        "policy.json");
    atea_appraisal_free(a);
    atea_policy_free(p);
}

static void test_minimum_debug_tcb_violations(void **state)
{
    (void)state;
    atea_policy *p = load(good_policy);
    atea_appraisal *a = tdx_appraisal(MRTD_A, 2, "OutOfDate", 1);
    EXPECT_OK(atea_policy_apply(p, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    assert_string_equal(reason_message(a, ATEA_ERR_POLICY_MIN_VALUE),
                        "tcb_svn 2 is below the minimum 3 in policy.json");
    assert_non_null(strstr(reason_message(a, ATEA_ERR_POLICY_DEBUG), "debug mode"));
    assert_non_null(strstr(reason_message(a, ATEA_ERR_POLICY_TCB_STATUS), "'OutOfDate'"));
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_REFERENCE_VALUE));
    atea_appraisal_free(a);
    atea_policy_free(p);
}

static void test_missing_claims_fail(void **state)
{
    (void)state;
    atea_policy *p = load(good_policy);
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_AFFIRMING, ATEA_OK, "sig ok"));
    EXPECT_OK(atea_policy_apply(p, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    assert_non_null(strstr(reason_message(a, ATEA_ERR_POLICY_REQUIRED_CLAIM), "report_data"));
    /* every rule about an absent claim (required, 3 reference, 1 minimum, tcb) is a violation */
    size_t missing = 0;
    for (size_t i = 0; i < atea_appraisal_reason_count(a); i++) {
        missing += atea_appraisal_reason_at(a, i)->code == ATEA_ERR_POLICY_REQUIRED_CLAIM;
    }
    assert_int_equal(missing, 6);
    atea_appraisal_free(a);
    atea_policy_free(p);
}

static void test_failed_evidence_gets_no_rule_reasons(void **state)
{
    (void)state;
    atea_policy *p = load(good_policy);
    atea_appraisal *a = tdx_appraisal("00", 0, "Revoked", 1);
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_CONTRAINDICATED, ATEA_ERR_POLICY_DEBUG,
                                        "signature does not verify"));
    size_t before = atea_appraisal_reason_count(a);
    EXPECT_OK(atea_policy_apply(p, a));
    assert_int_equal(atea_appraisal_reason_count(a), before);
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_MIN_VALUE));
    atea_appraisal_free(a);
    atea_policy_free(p);
}

static void test_claim_type_mismatch(void **state)
{
    (void)state;
    const char *text = "{\"platforms\": {\"tdx\": {\"reference_values\": {\"mrtd\": [\"not-hex\"], "
                       "\"tcb_svn\": [\"3\"]}, \"minimum_values\": {\"product\": 1}}}}";
    atea_policy *p = load(text);
    atea_appraisal *a = tdx_appraisal(MRTD_A, 3, "UpToDate", 0);
    EXPECT_OK(atea_policy_apply(p, a));
    size_t n = 0;
    for (size_t i = 0; i < atea_appraisal_reason_count(a); i++) {
        n += atea_appraisal_reason_at(a, i)->code == ATEA_ERR_POLICY_CLAIM_TYPE;
    }
    assert_int_equal(n, 3);
    assert_non_null(strstr(reason_message(a, ATEA_ERR_POLICY_CLAIM_TYPE), "hex strings"));
    atea_appraisal_free(a);
    atea_policy_free(p);
}

static void test_debug_allowed_per_platform(void **state)
{
    (void)state;
    atea_policy *p = load(good_policy);
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "snp", "amd-sev-snp"));
    EXPECT_OK(atea_appraisal_claim_bool(a, "snp", "debug", 1));
    EXPECT_OK(atea_policy_apply(p, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_DEBUG));
    atea_appraisal_free(a);
    atea_policy_free(p);
}

static void test_warning_acceptance(void **state)
{
    (void)state;
    atea_policy *strict = load(good_policy);
    atea_policy *lenient = load("{\"accept_warning\": true}");
    for (int pass = 0; pass < 2; pass++) {
        atea_appraisal *a = tdx_appraisal(MRTD_A, 3, "SWHardeningNeeded", 0);
        EXPECT_OK(
            atea_appraisal_add_reason(a, "tdx", ATEA_EAR_WARNING, ATEA_OK, "collateral is stale"));
        EXPECT_OK(atea_policy_apply(pass == 0 ? strict : lenient, a));
        if (pass == 0) {
            assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
            assert_true(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_WARNING));
        } else {
            assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
            assert_false(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_WARNING));
        }
        atea_appraisal_free(a);
    }
    assert_false(atea_policy_accepts_warning(strict));
    assert_true(atea_policy_accepts_warning(lenient));
    atea_policy_free(strict);
    atea_policy_free(lenient);
}

static void test_platforms_allowed(void **state)
{
    (void)state;
    atea_policy *p = load(good_policy);
    atea_policy *def = NULL;
    EXPECT_OK(atea_policy_new_default(&def));
    assert_true(atea_policy_platform_allowed(p, "tdx"));
    assert_false(atea_policy_platform_allowed(p, "cca")); /* not listed */
    assert_false(atea_policy_platform_allowed(p, "sim"));
    assert_true(atea_policy_platform_allowed(def, "cca"));
    assert_false(atea_policy_platform_allowed(def, "sim")); /* never by default */
    assert_false(atea_policy_platform_allowed(def, "nope"));
    assert_string_equal(atea_policy_id(def), "atea:default-policy");

    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "cca", "arm-cca"));
    EXPECT_OK(atea_appraisal_add_submod(a, "sim", "sim"));
    EXPECT_OK(atea_appraisal_add_reason(a, "cca", ATEA_EAR_AFFIRMING, ATEA_OK, "ok"));
    EXPECT_OK(atea_appraisal_add_reason(a, "sim", ATEA_EAR_AFFIRMING, ATEA_OK, "ok"));
    EXPECT_OK(atea_policy_apply(p, a));
    assert_int_equal(atea_appraisal_submod_status(a, "cca"), ATEA_EAR_CONTRAINDICATED);
    assert_int_equal(atea_appraisal_submod_status(a, "sim"), ATEA_EAR_CONTRAINDICATED);
    assert_non_null(strstr(reason_message(a, ATEA_ERR_POLICY_PLATFORM), "arm-cca"));
    atea_appraisal_free(a);
    atea_policy_free(def);
    atea_policy_free(p);
}

static void test_bad_policies_name_the_line(void **state)
{
    (void)state;
    expect_bad("{\n  \"version\": 1,\n  \"platforms\": {\n    \"tdx\": {,}\n  }\n}",
               ATEA_ERR_POLICY_SYNTAX, 4, "policy.json:4:");
    expect_bad("{\n \"version\": 1,\n \"version\": 1\n}", ATEA_ERR_POLICY_SYNTAX, 3, "duplicate");
    expect_bad("{\n  \"version\": 1,\n  \"acept_warning\": true\n}", ATEA_ERR_POLICY_UNKNOWN_KEY, 3,
               "policy.json:3: acept_warning: unknown key 'acept_warning'");
    expect_bad("{\n\"platforms\": {\n  \"tdx\": {\n    \"reference_value\": {}\n  }\n}\n}",
               ATEA_ERR_POLICY_UNKNOWN_KEY, 4, "platforms.tdx.reference_value");
    expect_bad("{\"platforms\": {\n \"tdx\": {\n  \"roots\": [\"x\"]}}}",
               ATEA_ERR_POLICY_UNKNOWN_KEY, 3, "vendor roots are pinned");
    expect_bad("{\"platforms\": {\n \"snp\": {\n  \"cpak_pem\": \"x\"}}}",
               ATEA_ERR_POLICY_UNKNOWN_KEY, 3, "for platform snp");
    expect_bad("{\"platforms\": {\n \"sgx\": {}}}", ATEA_ERR_POLICY_UNKNOWN_KEY, 2,
               "unknown platform 'sgx'");
    expect_bad("{\"version\": 1,\n\"platforms\": {\"tdx\": {\"minimum_values\": {\n"
               "  \"tcb_svn\": \"3\"}}}}",
               ATEA_ERR_POLICY_VALUE, 3,
               "platforms.tdx.minimum_values.tcb_svn: expected an integer");
    expect_bad("{\"platforms\": {\"tdx\": {\"reference_values\": {\n"
               "  \"mrtd\": [\"aa\",\n     null]}}}}",
               ATEA_ERR_POLICY_VALUE, 3, "platforms.tdx.reference_values.mrtd[1]");
    expect_bad("{\"platforms\": {\"tdx\": {\"reference_values\": {\n \"mrtd\": []}}}}",
               ATEA_ERR_POLICY_VALUE, 2, "the list is empty");
    expect_bad("{\"platforms\": {\"tdx\": {\"required_claims\": [\n \"MRTD\"]}}}",
               ATEA_ERR_POLICY_VALUE, 2, "is not a claim name");
    expect_bad("{\n\"version\": 2}", ATEA_ERR_POLICY_VALUE, 2, "version 2 is not supported");
    expect_bad("{\n\"accept_warning\": \"yes\"}", ATEA_ERR_POLICY_VALUE, 2,
               "expected true or false");
    expect_bad("[1]", ATEA_ERR_POLICY_VALUE, 0, "expected an object");
    expect_bad("{\"platforms\": {\n\"sim\": {\"trusted\": true}}}", ATEA_ERR_POLICY_VALUE, 2,
               "names the sim root");
    expect_bad("{\"platforms\": {\"sim\": {\"trusted\": true,\n \"root_sha256\": [\"abcd\"]}}}",
               ATEA_ERR_POLICY_VALUE, 2, "64 hex digits");
    expect_bad(
        "{\"platforms\": {\"sim\": {\"trusted\": true,\n \"root_pem\": [\"/nonexistent/r.pem\"]}}}",
        ATEA_ERR_POLICY_READ, 2, "cannot read /nonexistent/r.pem");
    expect_bad("{\"platforms\": {\"cca\": {\n\"cpak_pem\": \"/etc/hostname-not-here\"}}}",
               ATEA_ERR_POLICY_READ, 2, "cannot read");
    expect_bad("{\"platforms\": {\"cca\": {\n\"cpak_pem\": \"/dev/zero\"}}}", ATEA_ERR_POLICY_READ,
               2, "not a regular file");
    expect_bad("{\"platforms\": {\"cca\": {\n\"cpak_pem\": \"/tmp\"}}}", ATEA_ERR_POLICY_READ, 2,
               "not a regular file");
}

static void test_caps(void **state)
{
    (void)state;
    /* ATEA_POLICY_MAX_VALUES values: ok; one more: too large */
    char *text = malloc(64 * 1024);
    assert_non_null(text);
    for (int extra = 0; extra < 2; extra++) {
        size_t off =
            (size_t)sprintf(text, "{\"platforms\": {\"tdx\": {\"reference_values\": {\"svn\": [");
        for (int i = 0; i < ATEA_POLICY_MAX_VALUES + extra; i++) {
            off += (size_t)sprintf(text + off, "%s%d", i ? "," : "", i);
        }
        sprintf(text + off, "]}}}}");
        atea_policy *p = NULL;
        if (extra == 0) {
            EXPECT_OK(atea_policy_load_mem(text, strlen(text), "p.json", NULL, &p, NULL));
            atea_policy_free(p);
        } else {
            EXPECT_ERR(atea_policy_load_mem(text, strlen(text), "p.json", NULL, &p, NULL),
                       ATEA_ERR_POLICY_TOO_LARGE);
        }
    }
    free(text);
    /* size cap and cap+1 (whitespace padding keeps it valid JSON) */
    size_t big = ATEA_POLICY_MAX_BYTES + 1;
    text = malloc(big);
    assert_non_null(text);
    memset(text, ' ', big);
    text[0] = '{';
    text[ATEA_POLICY_MAX_BYTES - 1] = '}';
    atea_policy *p = NULL;
    EXPECT_OK(atea_policy_load_mem(text, ATEA_POLICY_MAX_BYTES, "p.json", NULL, &p, NULL));
    atea_policy_free(p);
    p = NULL;
    EXPECT_ERR(atea_policy_load_mem(text, big, "p.json", NULL, &p, NULL),
               ATEA_ERR_POLICY_TOO_LARGE);
    free(text);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_files_and_anchors(void **state)
{
    (void)state;
    char dir[] = "/tmp/atea-policy-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    char pem[256];
    char policy_text[1024];

    /* a sim root key, referenced relative to the policy file */
    EVP_PKEY *key = EVP_EC_gen("P-256");
    assert_non_null(key);
    snprintf(pem, sizeof(pem), "%s/root.pem", dir);
    FILE *f = fopen(pem, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_PUBKEY(f, key), 1);
    fclose(f);
    unsigned char *der = NULL;
    int der_len = i2d_PUBKEY(key, &der);
    assert_true(der_len > 0);
    uint8_t digest[32];
    assert_int_equal(EVP_Digest(der, (size_t)der_len, digest, NULL, EVP_sha256(), NULL), 1);
    OPENSSL_free(der);
    EVP_PKEY_free(key);

    snprintf(policy_text, sizeof(policy_text),
             "{\"id\": \"lab-policy-7\", \"platforms\": {\"sim\": {\"trusted\": true, "
             "\"root_pem\": [\"root.pem\"]}, \"tpm\": {\"ak_spki_sha256\": [\"%s\", \"%s\"]}, "
             "\"cca\": {\"cpak_pem\": \"%s\"}}}",
             MRTD_A, MRTD_B, atea_test_shared_path("testdata/evidence/cca/cpak_pub.pem"));
    snprintf(path, sizeof(path), "%s/policy.json", dir);
    write_text(path, policy_text);
    atea_policy *p = NULL;
    EXPECT_OK(atea_policy_load_file(path, &p, NULL));
    assert_string_equal(atea_policy_id(p), "lab-policy-7");
    assert_true(atea_policy_platform_allowed(p, "sim"));
    assert_true(atea_policy_sim_root_trusted(p, digest));
    digest[0] ^= 1;
    assert_false(atea_policy_sim_root_trusted(p, digest));
    size_t count = 0;
    const uint8_t *aks = atea_policy_tpm_ak_sha256(p, &count);
    assert_int_equal(count, 2);
    atea_test_assert_hex(aks + 32, 32, MRTD_B);
    assert_non_null(strstr(atea_policy_cca_cpak_pem(p), "cpak_pub.pem"));
    atea_policy_free(p);

    /* a file that does not exist, and one that is too large */
    p = NULL;
    snprintf(path, sizeof(path), "%s/absent.json", dir);
    EXPECT_ERR(atea_policy_load_file(path, &p, NULL), ATEA_ERR_POLICY_READ);
    unlink(pem);
    snprintf(path, sizeof(path), "%s/policy.json", dir);
    EXPECT_ERR(atea_policy_load_file(path, &p, NULL), ATEA_ERR_POLICY_READ);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_rules_pass),
        cmocka_unit_test(test_reference_value_violation),
        cmocka_unit_test(test_minimum_debug_tcb_violations),
        cmocka_unit_test(test_missing_claims_fail),
        cmocka_unit_test(test_failed_evidence_gets_no_rule_reasons),
        cmocka_unit_test(test_claim_type_mismatch),
        cmocka_unit_test(test_debug_allowed_per_platform),
        cmocka_unit_test(test_warning_acceptance),
        cmocka_unit_test(test_platforms_allowed),
        cmocka_unit_test(test_bad_policies_name_the_line),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_files_and_anchors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
