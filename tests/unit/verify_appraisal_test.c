/* The appraisal result: status aggregation, bounds, lookups and the EAR-shaped JSON. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "atea/appraisal.h"
#include "atea_test.h"

static atea_appraisal *new_appraisal(void)
{
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    return a;
}

static void test_nothing_appraised_is_none(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_NONE);
    /* A declared submodule without a reason is NONE, never AFFIRMING. */
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_appraisal_claim_int(a, "tdx", "svn", 3));
    EXPECT_OK(atea_appraisal_tvector(a, "tdx", "hardware", 2));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_NONE);
    assert_int_equal(atea_appraisal_submod_status(a, "tdx"), ATEA_EAR_NONE);
    atea_appraisal_free(a);
}

static void test_status_is_worst_reason(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_AFFIRMING, ATEA_OK, "signature ok"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_WARNING, ATEA_ERR_POLICY_TCB_STATUS,
                                        "tcb out of date"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_AFFIRMING, ATEA_OK, "later pass"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_CONTRAINDICATED, ATEA_ERR_POLICY_DEBUG,
                                        "debug on"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_DEBUG));
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_MIN_VALUE));
    atea_appraisal_free(a);
}

static void test_unappraised_submod_is_worse_than_warning(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_appraisal_add_submod(a, "gpu", "sim"));
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_WARNING, ATEA_ERR_POLICY_TCB_STATUS,
                                        "old tcb"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_NONE);
    EXPECT_OK(atea_appraisal_add_reason(a, "gpu", ATEA_EAR_AFFIRMING, ATEA_OK, "ok"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
}

static void test_tvector_and_toplevel_reasons_lower_status(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    EXPECT_OK(atea_appraisal_add_submod(a, "snp", "amd-sev-snp"));
    EXPECT_OK(atea_appraisal_add_reason(a, "snp", ATEA_EAR_AFFIRMING, ATEA_OK, "ok"));
    EXPECT_OK(atea_appraisal_tvector(a, "snp", "configuration", 32));
    assert_int_equal(atea_appraisal_submod_status(a, "snp"), ATEA_EAR_WARNING);
    EXPECT_OK(atea_appraisal_tvector(a, "snp", "configuration", 0)); /* none range: no effect */
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    EXPECT_OK(atea_appraisal_tvector(a, "snp", "hardware", 99));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    EXPECT_OK(atea_appraisal_tvector(a, "snp", "hardware", 2));
    EXPECT_OK(atea_appraisal_add_reason(a, NULL, ATEA_EAR_CONTRAINDICATED,
                                        ATEA_ERR_EVIDENCE_TYPE_UNKNOWN, "unknown type x/y"));
    assert_int_equal(atea_appraisal_submod_status(a, "snp"), ATEA_EAR_AFFIRMING);
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    EXPECT_ERR(atea_appraisal_tvector(a, "snp", "hardwar", 2), ATEA_ERR_APPRAISAL_NAME);
    EXPECT_ERR(atea_appraisal_tvector(a, "snp", "hardware", 128), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_appraisal_tvector(a, "snp", "hardware", -129), ATEA_ERR_INVALID_ARG);
    EXPECT_OK(atea_appraisal_tvector(a, "snp", "hardware", -128));
    atea_appraisal_free(a);
}

static void test_tier_ranges(void **state)
{
    (void)state;
    assert_int_equal(atea_ear_tier_of_value(-1), ATEA_EAR_NONE);
    assert_int_equal(atea_ear_tier_of_value(1), ATEA_EAR_NONE);
    assert_int_equal(atea_ear_tier_of_value(2), ATEA_EAR_AFFIRMING);
    assert_int_equal(atea_ear_tier_of_value(31), ATEA_EAR_AFFIRMING);
    assert_int_equal(atea_ear_tier_of_value(-32), ATEA_EAR_AFFIRMING);
    assert_int_equal(atea_ear_tier_of_value(32), ATEA_EAR_WARNING);
    assert_int_equal(atea_ear_tier_of_value(-33), ATEA_EAR_WARNING);
    assert_int_equal(atea_ear_tier_of_value(95), ATEA_EAR_WARNING);
    assert_int_equal(atea_ear_tier_of_value(96), ATEA_EAR_CONTRAINDICATED);
    assert_int_equal(atea_ear_tier_of_value(-97), ATEA_EAR_CONTRAINDICATED);
    assert_string_equal(atea_ear_status_name(ATEA_EAR_WARNING), "warning");
    assert_string_equal(atea_ear_status_name(ATEA_EAR_NONE), "none");
}

static void test_names_submods_duplicates(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    EXPECT_ERR(atea_appraisal_claim_int(a, "tdx", "svn", 1), ATEA_ERR_APPRAISAL_NO_SUBMOD);
    EXPECT_ERR(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_AFFIRMING, ATEA_OK, "x"),
               ATEA_ERR_APPRAISAL_NO_SUBMOD);
    EXPECT_ERR(atea_appraisal_add_submod(a, "TDX", "intel-tdx"), ATEA_ERR_APPRAISAL_NAME);
    EXPECT_ERR(atea_appraisal_add_submod(a, "", "intel-tdx"), ATEA_ERR_APPRAISAL_NAME);
    EXPECT_ERR(atea_appraisal_add_submod(a, "tdx", "intel tdx"), ATEA_ERR_APPRAISAL_NAME);
    EXPECT_ERR(atea_appraisal_add_submod(a, NULL, "x"), ATEA_ERR_INVALID_ARG);
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_ERR(atea_appraisal_add_submod(a, "tdx", "intel-tdx"), ATEA_ERR_APPRAISAL_DUPLICATE);
    EXPECT_OK(atea_appraisal_claim_int(a, "tdx", "svn", 1));
    EXPECT_ERR(atea_appraisal_claim_int(a, "tdx", "svn", 2), ATEA_ERR_APPRAISAL_DUPLICATE);
    EXPECT_ERR(atea_appraisal_claim_int(a, "tdx", "Svn", 2), ATEA_ERR_APPRAISAL_NAME);
    EXPECT_ERR(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_NONE, ATEA_OK, "x"),
               ATEA_ERR_INVALID_ARG);

    /* name at the cap and one past it */
    char name[ATEA_APPRAISAL_MAX_NAME + 2];
    memset(name, 'a', sizeof(name));
    name[ATEA_APPRAISAL_MAX_NAME] = '\0';
    EXPECT_OK(atea_appraisal_claim_bool(a, "tdx", name, 1));
    name[ATEA_APPRAISAL_MAX_NAME] = 'a';
    name[ATEA_APPRAISAL_MAX_NAME + 1] = '\0';
    EXPECT_ERR(atea_appraisal_claim_bool(a, "tdx", name, 1), ATEA_ERR_APPRAISAL_NAME);

    /* submodule count at the cap and one past it */
    for (int i = 1; i < ATEA_APPRAISAL_MAX_SUBMODS; i++) {
        char sm[16];
        snprintf(sm, sizeof(sm), "s%d", i);
        EXPECT_OK(atea_appraisal_add_submod(a, sm, "sim"));
    }
    EXPECT_ERR(atea_appraisal_add_submod(a, "one-more", "sim"), ATEA_ERR_APPRAISAL_FULL);
    assert_int_equal(atea_appraisal_submod_count(a), ATEA_APPRAISAL_MAX_SUBMODS);
    assert_string_equal(atea_appraisal_submod_name(a, 0), "tdx");
    assert_string_equal(atea_appraisal_submod_platform(a, 0), "intel-tdx");
    assert_null(atea_appraisal_submod_name(a, ATEA_APPRAISAL_MAX_SUBMODS));
    atea_appraisal_free(a);
}

static void test_claim_caps_and_lookup(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    EXPECT_OK(atea_appraisal_add_submod(a, "sim", "sim"));
    uint8_t *big = calloc(1, ATEA_APPRAISAL_MAX_CLAIM_BYTES + 1);
    assert_non_null(big);
    EXPECT_OK(atea_appraisal_claim_bytes(a, "sim", "at-cap", big, ATEA_APPRAISAL_MAX_CLAIM_BYTES));
    EXPECT_ERR(
        atea_appraisal_claim_bytes(a, "sim", "over", big, ATEA_APPRAISAL_MAX_CLAIM_BYTES + 1),
        ATEA_ERR_TOO_LARGE);
    free(big);
    char *text = malloc(ATEA_APPRAISAL_MAX_CLAIM_STR + 2);
    assert_non_null(text);
    memset(text, 'x', ATEA_APPRAISAL_MAX_CLAIM_STR + 1);
    text[ATEA_APPRAISAL_MAX_CLAIM_STR + 1] = '\0';
    EXPECT_ERR(atea_appraisal_claim_str(a, "sim", "long", text), ATEA_ERR_TOO_LARGE);
    text[ATEA_APPRAISAL_MAX_CLAIM_STR] = '\0';
    EXPECT_OK(atea_appraisal_claim_str(a, "sim", "long", text));
    free(text);

    /* claim count: fill to the cap, then one more fails; earlier pointers stay valid */
    const atea_claim *first = atea_appraisal_find_claim(a, "sim", "at-cap");
    assert_non_null(first);
    size_t have = atea_appraisal_claim_count(a);
    for (size_t i = have; i < ATEA_APPRAISAL_MAX_CLAIMS; i++) {
        char n[16];
        snprintf(n, sizeof(n), "c%zu", i);
        EXPECT_OK(atea_appraisal_claim_int(a, "sim", n, (int64_t)i));
    }
    EXPECT_ERR(atea_appraisal_claim_int(a, "sim", "extra", 1), ATEA_ERR_APPRAISAL_FULL);
    assert_ptr_equal(first, atea_appraisal_find_claim(a, "sim", "at-cap"));
    assert_int_equal(first->bytes.len, ATEA_APPRAISAL_MAX_CLAIM_BYTES);
    const atea_claim *c = atea_appraisal_find_claim(a, "sim", "c100");
    assert_non_null(c);
    assert_int_equal(c->type, ATEA_CLAIM_INT);
    assert_int_equal(c->i, 100);
    assert_string_equal(c->submod, "sim");
    assert_null(atea_appraisal_find_claim(a, "sim", "absent"));
    assert_null(atea_appraisal_find_claim(a, "tdx", "c100"));
    assert_ptr_equal(atea_appraisal_claim_at(a, 0), first);
    assert_null(atea_appraisal_claim_at(a, ATEA_APPRAISAL_MAX_CLAIMS));

    /* reasons: cap and cap+1; long messages are truncated, not refused */
    char msg[ATEA_APPRAISAL_MAX_MESSAGE * 2];
    memset(msg, 'm', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    for (size_t i = 0; i < ATEA_APPRAISAL_MAX_REASONS; i++) {
        EXPECT_OK(atea_appraisal_add_reason(a, "sim", ATEA_EAR_AFFIRMING, ATEA_OK, "%s", msg));
    }
    EXPECT_ERR(atea_appraisal_add_reason(a, "sim", ATEA_EAR_AFFIRMING, ATEA_OK, "x"),
               ATEA_ERR_APPRAISAL_FULL);
    const atea_appraisal_reason *r = atea_appraisal_reason_at(a, 0);
    assert_int_equal(strlen(r->message), ATEA_APPRAISAL_MAX_MESSAGE - 1);
    assert_int_equal(atea_appraisal_reason_count(a), ATEA_APPRAISAL_MAX_REASONS);
    atea_appraisal_free(a);
}

static json_t *to_json(const atea_appraisal *a)
{
    atea_buf out = {0};
    EXPECT_OK(atea_appraisal_to_json(a, 1700000000, &out));
    assert_int_equal(strlen((const char *)out.data), out.len);
    json_error_t jerr;
    json_t *root = json_loadb((const char *)out.data, out.len, 0, &jerr);
    if (root == NULL) {
        fail_msg("appraisal JSON does not parse: %s", jerr.text);
    }
    atea_buf_free(&out);
    return root;
}

static void test_json_shape(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    const uint8_t mrtd[] = {0x1a, 0x2b, 0xff};
    EXPECT_OK(atea_appraisal_claim_bytes(a, "tdx", "mrtd", mrtd, sizeof(mrtd)));
    EXPECT_OK(atea_appraisal_claim_int(a, "tdx", "svn", -7));
    EXPECT_OK(atea_appraisal_claim_str(a, "tdx", "tcb_status", "Up\nToDate\xff"));
    EXPECT_OK(atea_appraisal_claim_bool(a, "tdx", "debug", 0));
    EXPECT_OK(atea_appraisal_tvector(a, "tdx", "hardware", 2));
    EXPECT_OK(atea_appraisal_set_policy_id(a, "file:policy.json"));
    EXPECT_OK(atea_appraisal_add_reason(a, "tdx", ATEA_EAR_WARNING, ATEA_ERR_POLICY_TCB_STATUS,
                                        "tcb %s", "OutOfDate"));
    EXPECT_OK(atea_appraisal_add_reason(a, NULL, ATEA_EAR_AFFIRMING, ATEA_OK, "top"));

    json_t *root = to_json(a);
    assert_string_equal(json_string_value(json_object_get(root, "eat_profile")),
                        "tag:github.com,2023:veraison/ear");
    assert_int_equal(json_integer_value(json_object_get(root, "iat")), 1700000000);
    assert_string_equal(json_string_value(json_object_get(root, "ear.status")), "warning");
    json_t *vid = json_object_get(root, "ear.verifier-id");
    assert_non_null(json_object_get(vid, "developer"));
    assert_non_null(json_object_get(vid, "build"));
    assert_null(json_object_get(root, "atea.simulated"));
    json_t *sm = json_object_get(json_object_get(root, "submods"), "tdx");
    assert_non_null(sm);
    assert_string_equal(json_string_value(json_object_get(sm, "ear.status")), "warning");
    assert_string_equal(json_string_value(json_object_get(sm, "ear.appraisal-policy-id")),
                        "file:policy.json");
    assert_string_equal(json_string_value(json_object_get(sm, "atea.platform")), "intel-tdx");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(sm, "ear.trustworthiness-vector"), "hardware")),
                     2);
    json_t *claims = json_object_get(sm, "atea.claims");
    assert_string_equal(json_string_value(json_object_get(claims, "mrtd")), "1a2bff");
    assert_int_equal(json_integer_value(json_object_get(claims, "svn")), -7);
    /* control bytes scrubbed, invalid UTF-8 replaced: the output is always valid JSON */
    assert_string_equal(json_string_value(json_object_get(claims, "tcb_status")), "Up?ToDate?");
    assert_true(json_is_false(json_object_get(claims, "debug")));
    json_t *reasons = json_object_get(sm, "atea.reasons");
    assert_int_equal(json_array_size(reasons), 1);
    json_t *r0 = json_array_get(reasons, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "code")),
                        "ATEA_ERR_POLICY_TCB_STATUS");
    assert_int_equal(json_integer_value(json_object_get(r0, "value")), ATEA_ERR_POLICY_TCB_STATUS);
    assert_string_equal(json_string_value(json_object_get(r0, "tier")), "warning");
    assert_string_equal(json_string_value(json_object_get(r0, "message")), "tcb OutOfDate");
    json_t *top = json_object_get(root, "atea.reasons");
    assert_int_equal(json_array_size(top), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(top, 0), "code")),
                        "ATEA_OK");
    json_decref(root);
    atea_appraisal_free(a);
}

static void test_json_empty_and_simulated(void **state)
{
    (void)state;
    atea_appraisal *a = new_appraisal();
    json_t *root = to_json(a);
    assert_string_equal(json_string_value(json_object_get(root, "ear.status")), "none");
    assert_int_equal(json_object_size(json_object_get(root, "submods")), 0);
    json_decref(root);
    assert_false(atea_appraisal_is_simulated(a));
    EXPECT_OK(atea_appraisal_add_submod(a, "sim", "sim"));
    assert_true(atea_appraisal_is_simulated(a));
    root = to_json(a);
    assert_true(json_is_true(json_object_get(root, "atea.simulated")));
    json_t *sm = json_object_get(json_object_get(root, "submods"), "sim");
    assert_string_equal(json_string_value(json_object_get(sm, "ear.status")), "none");
    assert_null(json_object_get(sm, "ear.trustworthiness-vector"));
    assert_string_equal(json_string_value(json_object_get(sm, "ear.appraisal-policy-id")),
                        "atea:no-policy");
    json_decref(root);
    atea_buf out = {0};
    EXPECT_ERR(atea_appraisal_to_json(NULL, 0, &out), ATEA_ERR_INVALID_ARG);
    char long_id[ATEA_APPRAISAL_MAX_POLICY_ID + 2];
    memset(long_id, 'p', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    EXPECT_ERR(atea_appraisal_set_policy_id(a, long_id), ATEA_ERR_TOO_LARGE);
    atea_appraisal_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_appraised_is_none),
        cmocka_unit_test(test_status_is_worst_reason),
        cmocka_unit_test(test_unappraised_submod_is_worse_than_warning),
        cmocka_unit_test(test_tvector_and_toplevel_reasons_lower_status),
        cmocka_unit_test(test_tier_ranges),
        cmocka_unit_test(test_names_submods_duplicates),
        cmocka_unit_test(test_claim_caps_and_lookup),
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_json_empty_and_simulated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
