/* The EAR claims-set (include/atea/ear.h, docs/evidence/EAR.md): nonce = binder, validity,
 * profile, claim shapes, statuses, and EARs through atea_verify_cmw with a policy; each check
 * failing with its exact code. JWS checks: verify_ear_test.c. */
#include <unistd.h>

#include <openssl/pem.h>

#include "verify_ear_fixture.h"

/* ---- claims ---- */

static void test_nonce_mismatch(void **state)
{
    fixture *f = *state;
    uint8_t other[48];
    memset(other, 0xb1, sizeof(other));
    other[31] ^= 0x80;
    atea_buf jwt = sign_with(f->p256, ATEA_EAR_AFFIRMING, other, 32, NOW);
    expect_verify(f, &jwt, ATEA_ERR_EAR_NONCE_MISMATCH, "binder of this connection");
    atea_buf_free(&jwt);
    /* same prefix, other length */
    other[31] ^= 0x80;
    jwt = sign_with(f->p256, ATEA_EAR_AFFIRMING, other, 48, NOW);
    expect_verify(f, &jwt, ATEA_ERR_EAR_NONCE_MISMATCH, "48 bytes");
    atea_buf_free(&jwt);
    /* not base64url, too short, missing */
    expect_edit(f, 0, "eat_nonce", json_string("sGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGw="),
                ATEA_ERR_EAR_MALFORMED, "eat_nonce");
    expect_edit(f, 0, "eat_nonce", json_string("AAAAAAAA"), ATEA_ERR_EAR_MALFORMED, "8..64");
    expect_edit(f, 0, "eat_nonce", NULL, ATEA_ERR_EAR_MALFORMED, "carries no eat_nonce");
    expect_edit(f, 0, "eat_nonce", json_pack("[ss]", "AAAAAAAAAAA", "AAAAAAAAAAA"),
                ATEA_ERR_EAR_MALFORMED, "not text");
}

/* The per-submod eat_nonce ("the nonce extracted from Evidence", -03 §3) is accepted in place of
 * the top-level one, and checked when both are there. */
static void test_submod_nonce(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    parts p = {0};
    split_jwt(&jwt, &p);
    json_t *tdx = json_object_get(json_object_get(p.payload, "submods"), "tdx");
    json_object_set(tdx, "eat_nonce", json_object_get(p.payload, "eat_nonce"));
    json_object_del(p.payload, "eat_nonce");
    atea_buf only_submod = join_jwt(&p, f->p256);
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &only_submod, &a));
    assert_int_equal(atea_appraisal_find_claim(a, "ear", "nonce")->bytes.len, 32);
    atea_appraisal_free(a);
    /* top level right, submod wrong */
    atea_buf good = good_jwt(f, f->p256);
    parts q = {0};
    split_jwt(&good, &q);
    json_object_set_new(json_object_get(json_object_get(q.payload, "submods"), "tdx"), "eat_nonce",
                        json_string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    atea_buf mixed = join_jwt(&q, f->p256);
    expect_verify(f, &mixed, ATEA_ERR_EAR_NONCE_MISMATCH, "submod \"tdx\"");
    json_object_set_new(json_object_get(json_object_get(q.payload, "submods"), "tdx"), "eat_nonce",
                        json_integer(7));
    atea_buf_free(&mixed);
    mixed = join_jwt(&q, f->p256);
    expect_verify(f, &mixed, ATEA_ERR_EAR_MALFORMED, "not text");
    atea_buf_free(&mixed);
    parts_free(&q);
    atea_buf_free(&good);
    parts_free(&p);
    atea_buf_free(&only_submod);
    atea_buf_free(&jwt);
}

static void test_binding_missing(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_ear_verify(&f->env, &f->trust, NULL, jwt.data, jwt.len, a),
               ATEA_ERR_BINDING_MISSING);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

static void test_validity(void **state)
{
    fixture *f = *state;
    atea_buf jwt = good_jwt(f, f->p256);
    f->env.now = NOW + ATEA_EAR_DEFAULT_LIFETIME; /* exp reached */
    expect_verify(f, &jwt, ATEA_ERR_EAR_EXPIRED, "expired");
    f->env.now = NOW + ATEA_EAR_DEFAULT_LIFETIME - 1; /* last valid second */
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    atea_appraisal_free(a);
    f->env.now = NOW - ATEA_EAR_MAX_CLOCK_SKEW; /* iat at the edge of the skew */
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    atea_appraisal_free(a);
    f->env.now = NOW - ATEA_EAR_MAX_CLOCK_SKEW - 1; /* iat too far in the future */
    expect_verify(f, &jwt, ATEA_ERR_EAR_EXPIRED, "clock skew");
    f->env.now = NOW;
    atea_buf_free(&jwt);
    /* no exp at all is valid; a floating-point iat or exp is not */
    jwt = edited(f, f->p256, 0, "exp", NULL);
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_null(atea_appraisal_find_claim(a, "ear", "exp"));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    expect_edit(f, 0, "iat", json_real(NOW), ATEA_ERR_EAR_MALFORMED, "not an integer");
    expect_edit(f, 0, "exp", json_real(NOW + 10.5), ATEA_ERR_EAR_MALFORMED, "not an integer");
    expect_edit(f, 0, "iat", NULL, ATEA_ERR_EAR_MALFORMED, "no \"iat\"");
}

static void test_wrong_profile(void **state)
{
    fixture *f = *state;
    expect_edit(f, 0, "eat_profile", json_string("tag:github.com,2023:veraison/ear"),
                ATEA_ERR_EAR_MALFORMED, "is not tag:ietf.org,2026:rats/ear#03");
    expect_edit(f, 0, "eat_profile", NULL, ATEA_ERR_EAR_MALFORMED, "eat_profile");
}

static void test_claim_shapes(void **state)
{
    fixture *f = *state;
    expect_edit(f, 0, "ear_verifier_id", NULL, ATEA_ERR_EAR_MALFORMED, "ear_verifier_id");
    expect_edit(f, 0, "ear_verifier_id", json_pack("{s:s}", "developer", "x"),
                ATEA_ERR_EAR_MALFORMED, "\"build\"");
    expect_edit(f, 0, "submods", json_object(), ATEA_ERR_EAR_MALFORMED, "submods");
    expect_edit(f, 0, "submods", json_pack("{s:i}", "tdx", 2), ATEA_ERR_EAR_MALFORMED,
                "not an object");
    expect_edit(f, 0, "submods", json_pack("{s:{s:i}}", "tdx", "ear_status", 2),
                ATEA_ERR_EAR_MALFORMED, "ear_status");
    expect_edit(f, 0, "submods", json_pack("{s:{s:s}}", "tdx", "ear_status", "fine"),
                ATEA_ERR_EAR_MALFORMED, "\"fine\"");
    expect_edit(f, 0, "ear_status", json_string("great"), ATEA_ERR_EAR_MALFORMED, "\"great\"");
}

/* Unknown claims are ignored (draft-ietf-rats-ear-03: "A receiver MUST ignore any unknown
 * claim"); odd submod names get a generic claim name. */
static void test_unknown_claims_ignored(void **state)
{
    fixture *f = *state;
    atea_buf jwt = edited(
        f, f->p256, 0, "submods",
        json_pack("{s:{s:s,s:i}}", "PSA Platform!", "ear_status", "affirming", "x-unknown", 5));
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "submod0.status")->str, "affirming");
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

static void test_status_tiers(void **state)
{
    fixture *f = *state;
    const struct {
        atea_ear_status in;
        atea_ear_status out;
    } cases[] = {{ATEA_EAR_WARNING, ATEA_EAR_WARNING},
                 {ATEA_EAR_CONTRAINDICATED, ATEA_EAR_CONTRAINDICATED}};
    for (size_t i = 0; i < 2; i++) {
        atea_buf jwt = sign_with(f->p256, cases[i].in, f->binding.binder, 32, NOW);
        atea_appraisal *a = NULL;
        /* authentic and bound: ATEA_OK; the verdict is in the appraisal */
        EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
        assert_int_equal(atea_appraisal_status(a), cases[i].out);
        assert_true(atea_appraisal_has_reason(a, ATEA_ERR_NOT_AFFIRMED));
        atea_appraisal_free(a);
        atea_buf_free(&jwt);
    }
    /* "none" (nothing appraised) is never accepted */
    atea_buf jwt =
        edited(f, f->p256, 0, "submods", json_pack("{s:{s:s}}", "tdx", "ear_status", "none"));
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    /* a top-level status worse than the submods lowers the result */
    jwt = edited(f, f->p256, 0, "ear_status", json_string("warning"));
    EXPECT_OK(verify_jwt(f, &f->trust, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
}

/* ---- through the verifier and a policy ---- */

static atea_policy *ear_policy(const char *ear_section)
{
    char text[1024];
    atea_policy *p = NULL;
    snprintf(text, sizeof(text), "{\"platforms\": {\"ear\": %s}}", ear_section);
    EXPECT_OK(atea_policy_load_mem(text, strlen(text), "policy.json", NULL, &p, NULL));
    return p;
}

static atea_err verify_cmw_with(fixture *f, const atea_policy *p, const atea_buf *jwt,
                                atea_appraisal **pa)
{
    atea_cmw *cmw = NULL;
    atea_buf bytes = {0};
    atea_verifier *v = NULL;
    atea_verify_opts o;
    atea_verify_opts_default(&o);
    o.policy = p;
    o.now = f->env.now;
    EXPECT_OK(atea_verifier_new(&o, &v));
    EXPECT_OK(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_EAR_JWT), jwt->data,
                                  jwt->len, ATEA_CMW_IND_ATTESTATION_RESULTS, &cmw));
    EXPECT_OK(atea_cmw_encode_cbor(cmw, &bytes));
    EXPECT_OK(atea_appraisal_new(pa));
    atea_err err = atea_verify_cmw(v, bytes.data, bytes.len, &f->binding, *pa);
    atea_buf_free(&bytes);
    atea_cmw_free(cmw);
    atea_verifier_free(v);
    return err;
}

static void test_verify_cmw_policy(void **state)
{
    fixture *f = *state;
    char hex[65];
    char section[512];
    atea_appraisal *a = NULL;
    atea_buf jwt = good_jwt(f, f->p256);
    EXPECT_OK(atea_hex_encode(f->trusted, 32, hex, sizeof(hex)));
    snprintf(section, sizeof(section), "{\"verifier_key_sha256\": [\"%s\"]}", hex);
    atea_policy *trusting = ear_policy(section);
    EXPECT_OK(verify_cmw_with(f, trusting, &jwt, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    /* the default policy trusts no EAR verifier */
    atea_policy *dflt = NULL;
    EXPECT_OK(atea_policy_new_default(&dflt));
    EXPECT_ERR(verify_cmw_with(f, dflt, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    /* the policy accepts only ES384 */
    snprintf(section, sizeof(section),
             "{\"verifier_key_sha256\": [\"%s\"], \"algorithms\": [\"ES384\"]}", hex);
    atea_policy *only384 = ear_policy(section);
    EXPECT_ERR(verify_cmw_with(f, only384, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    /* policy rules apply to the EAR's claims: the tdx submodule must be affirming */
    snprintf(section, sizeof(section),
             "{\"verifier_key_sha256\": [\"%s\"], \"reference_values\": {\"tdx.status\": "
             "[\"warning\"]}}",
             hex);
    atea_policy *ref = ear_policy(section);
    EXPECT_ERR(verify_cmw_with(f, ref, &jwt, &a), ATEA_ERR_POLICY_REFERENCE_VALUE);
    atea_appraisal_free(a);
    /* a contraindicated EAR is refused */
    atea_buf bad = sign_with(f->p256, ATEA_EAR_CONTRAINDICATED, f->binding.binder, 32, NOW);
    EXPECT_ERR(verify_cmw_with(f, trusting, &bad, &a), ATEA_ERR_NOT_AFFIRMED);
    atea_appraisal_free(a);
    /* a policy listing platforms without "ear" refuses EARs */
    atea_policy *tdx_only = NULL;
    const char *tdx_text = "{\"platforms\": {\"tdx\": {}}}";
    EXPECT_OK(atea_policy_load_mem(tdx_text, strlen(tdx_text), "p.json", NULL, &tdx_only, NULL));
    EXPECT_ERR(verify_cmw_with(f, tdx_only, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    atea_policy_free(tdx_only);
    atea_buf_free(&bad);
    atea_policy_free(ref);
    atea_policy_free(only384);
    atea_policy_free(dflt);
    atea_policy_free(trusting);
    atea_buf_free(&jwt);
}

static void test_policy_pem_and_errors(void **state)
{
    fixture *f = *state;
    char path[] = "/tmp/atea-ear-key-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_true(PEM_write_PUBKEY(fp, f->p384) == 1);
    fclose(fp);
    char section[512];
    snprintf(section, sizeof(section), "{\"verifier_key_pem\": [\"%s\"]}", path);
    atea_policy *p = ear_policy(section);
    f->binding.binder_len = 48;
    atea_buf jwt = good_jwt(f, f->p384);
    atea_appraisal *a = NULL;
    EXPECT_OK(verify_cmw_with(f, p, &jwt, &a));
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    jwt = good_jwt(f, f->p256); /* trusted by the fixture, not by this policy */
    EXPECT_ERR(verify_cmw_with(f, p, &jwt, &a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    atea_buf_free(&jwt);
    atea_policy_free(p);
    unlink(path);
    /* loading errors */
    const struct {
        const char *text;
        atea_err code;
    } bad[] = {
        {"{\"platforms\": {\"ear\": {\"verifier_keys\": []}}}", ATEA_ERR_POLICY_UNKNOWN_KEY},
        {"{\"platforms\": {\"ear\": {\"algorithms\": [\"RS256\"]}}}", ATEA_ERR_POLICY_VALUE},
        {"{\"platforms\": {\"ear\": {\"algorithms\": []}}}", ATEA_ERR_POLICY_VALUE},
        {"{\"platforms\": {\"ear\": {\"verifier_key_sha256\": [\"abcd\"]}}}",
         ATEA_ERR_POLICY_VALUE},
        {"{\"platforms\": {\"ear\": {\"verifier_key_pem\": [\"/nonexistent.pem\"]}}}",
         ATEA_ERR_POLICY_READ},
        {"{\"platforms\": {\"sim\": {\"verifier_key_sha256\": []}}}", ATEA_ERR_POLICY_UNKNOWN_KEY},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        atea_policy *q = NULL;
        EXPECT_ERR(atea_policy_load_mem(bad[i].text, strlen(bad[i].text), "p.json", NULL, &q, NULL),
                   bad[i].code);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nonce_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submod_nonce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binding_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_claims_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_tiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_cmw_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_pem_and_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
