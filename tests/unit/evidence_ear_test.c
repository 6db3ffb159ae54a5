/* The passport attester (include/atea/ear.h): sim evidence appraised by a local verifier, signed
 * as an EAR, wrapped in a CMW; a relying party that trusts only the EAR key accepts it, and every
 * way it can go wrong fails with its code. The sim key store lives in a fresh temporary
 * directory. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "atea/cmw.h"
#include "atea/ear.h"
#include "atea/policy.h"
#include "atea/sim.h"
#include "atea/verify.h"
#include "atea_test.h"
#include "verify_helpers.h"

#define NOW 1800000000

typedef struct fixture {
    char dir[64];
    EVP_PKEY *ear_key;
    atea_policy *issuer_policy; /* trusts the sim root */
    atea_verifier *issuer_verifier;
    atea_ear_local_issuer local;
    atea_ear_issuer issuer;
    atea_policy *rp_policy; /* trusts only the EAR key */
    atea_verifier *rp;
    atea_binding binding;
} fixture;

static atea_policy *rp_policy_for(EVP_PKEY *key)
{
    uint8_t digest[32];
    char hex[65];
    EXPECT_OK(atea_ear_key_sha256(key, digest));
    EXPECT_OK(atea_hex_encode(digest, sizeof(digest), hex, sizeof(hex)));
    return atea_test_policy_fmt("{\"platforms\": {\"ear\": {\"verifier_key_sha256\": [\"%s\"]}}}",
                                hex);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    uint8_t root[32];
    char hex[65];
    assert_non_null(f);
    strcpy(f->dir, "/tmp/atea-evidence-ear-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->ear_key = EVP_EC_gen("P-256");
    assert_non_null(f->ear_key);
    /* the sim store is created by the first attester; its root is what the issuer trusts */
    atea_sim_opts so;
    atea_sim_opts_default(&so);
    so.dir = f->dir;
    atea_attester *probe = NULL;
    EXPECT_OK(atea_sim_attester_new(&so, &probe));
    atea_attester_free(probe);
    EXPECT_OK(atea_sim_root_sha256(f->dir, 0, root));
    EXPECT_OK(atea_hex_encode(root, sizeof(root), hex, sizeof(hex)));
    f->issuer_policy = atea_test_policy_fmt(
        "{\"platforms\": {\"sim\": {\"trusted\": true, \"root_sha256\": [\"%s\"]}}}", hex);
    f->issuer_verifier = atea_test_verifier(f->issuer_policy, 1, NOW);
    f->local.verifier = f->issuer_verifier;
    f->local.key = f->ear_key;
    f->local.now = NOW;
    f->issuer.issue = atea_ear_issue_local;
    f->issuer.user = &f->local;
    f->rp_policy = rp_policy_for(f->ear_key);
    f->rp =
        atea_test_verifier(f->rp_policy, 0, NOW); /* the relying party never sees sim evidence */
    memset(f->binding.report_data, 0x5a, sizeof(f->binding.report_data));
    memset(f->binding.binder, 0xb1, 32);
    f->binding.binder_len = 32;
    memset(f->binding.aik_hash, 0xa1, 32);
    f->binding.aik_hash_len = 32;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    atea_verifier_free(f->rp);
    atea_policy_free(f->rp_policy);
    atea_verifier_free(f->issuer_verifier);
    atea_policy_free(f->issuer_policy);
    EVP_PKEY_free(f->ear_key);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static atea_attester *passport(fixture *f, int json)
{
    atea_sim_opts so;
    atea_attester *sim = NULL;
    atea_attester *ear = NULL;
    atea_sim_opts_default(&so);
    so.dir = f->dir;
    EXPECT_OK(atea_sim_attester_new(&so, &sim));
    EXPECT_OK(atea_ear_attester_new(sim, &f->issuer, json, &ear));
    assert_string_equal(ear->platform, "ear");
    return ear;
}

static atea_err rp_verify(fixture *f, const atea_buf *cmw, const atea_binding *expected,
                          atea_appraisal **pa)
{
    EXPECT_OK(atea_appraisal_new(pa));
    return atea_verify_cmw(f->rp, cmw->data, cmw->len, expected, *pa);
}

static void passport_accepted(fixture *f, int json)
{
    atea_attester *ear = passport(f, json);
    atea_buf cmw = {0};
    atea_appraisal *a = NULL;
    atea_cmw *decoded = NULL;
    EXPECT_OK(atea_attester_attest(ear, &f->binding, &cmw));
    /* a record of the EAR type, ind = attestation results */
    EXPECT_OK(atea_cmw_decode(cmw.data, cmw.len, NULL, &decoded));
    assert_int_equal(decoded->kind, ATEA_CMW_RECORD);
    assert_int_equal(atea_cmw_media_type_lookup(decoded->media_type, strlen(decoded->media_type)),
                     ATEA_CMW_MT_EAR_JWT);
    atea_cmw_free(decoded);
    EXPECT_OK(rp_verify(f, &cmw, &f->binding, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "sim.status")->str, "affirming");
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "sim.platform")->str, "sim");
    /* the relying party learns that a simulator, not a real TEE, backs the result */
    assert_int_equal(atea_appraisal_find_claim(a, "ear", "simulated")->i, 1);
    assert_true(atea_appraisal_is_simulated(a)); /* a sim-backed EAR warns like sim evidence */
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_SIMULATED_TEE));
    atea_appraisal_free(a);
    atea_buf_free(&cmw);
    atea_attester_free(ear);
}

static void test_passport_cbor(void **state)
{
    passport_accepted(*state, 0);
}

static void test_passport_json(void **state)
{
    passport_accepted(*state, 1);
}

/* An EAR produced for one connection, presented on another. */
static void test_other_connection(void **state)
{
    fixture *f = *state;
    atea_attester *ear = passport(f, 0);
    atea_buf cmw = {0};
    atea_appraisal *a = NULL;
    atea_binding other = f->binding;
    other.binder[0] ^= 0x01;
    EXPECT_OK(atea_attester_attest(ear, &f->binding, &cmw));
    EXPECT_ERR(rp_verify(f, &cmw, &other, &a), ATEA_ERR_EAR_NONCE_MISMATCH);
    atea_appraisal_free(a);
    atea_buf_free(&cmw);
    atea_attester_free(ear);
}

/* Without a binder (`atea evidence --report-data`), the report_data is the nonce, both ways. */
static void test_report_data_nonce(void **state)
{
    fixture *f = *state;
    atea_attester *ear = passport(f, 0);
    atea_buf cmw = {0};
    atea_appraisal *a = NULL;
    atea_binding rd_only = f->binding;
    rd_only.binder_len = 0;
    rd_only.aik_hash_len = 0;
    EXPECT_OK(atea_attester_attest(ear, &rd_only, &cmw));
    EXPECT_OK(rp_verify(f, &cmw, &rd_only, &a));
    assert_int_equal(atea_appraisal_find_claim(a, "ear", "nonce")->bytes.len, 64);
    atea_appraisal_free(a);
    rd_only.report_data[63] ^= 0x01;
    EXPECT_ERR(rp_verify(f, &cmw, &rd_only, &a), ATEA_ERR_EAR_NONCE_MISMATCH);
    assert_non_null(strstr(atea_err_last()->detail, "report_data"));
    atea_appraisal_free(a);
    atea_buf_free(&cmw);
    atea_attester_free(ear);
}

/* A relying party that trusts another EAR verifier. */
static void test_other_ear_key(void **state)
{
    fixture *f = *state;
    atea_attester *ear = passport(f, 0);
    atea_buf cmw = {0};
    atea_appraisal *a = NULL;
    EVP_PKEY *other = EVP_EC_gen("P-256");
    atea_policy *p = rp_policy_for(other);
    atea_verifier *rp = atea_test_verifier(p, 0, NOW);
    EXPECT_OK(atea_attester_attest(ear, &f->binding, &cmw));
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_verify_cmw(rp, cmw.data, cmw.len, &f->binding, a), ATEA_ERR_EAR_SIGNATURE);
    atea_appraisal_free(a);
    atea_verifier_free(rp);
    atea_policy_free(p);
    EVP_PKEY_free(other);
    atea_buf_free(&cmw);
    atea_attester_free(ear);
}

/* The issuer's verifier does not trust this sim root: the EAR says contraindicated, signed, and
 * the relying party refuses it. */
static void test_issuer_contraindicates(void **state)
{
    fixture *f = *state;
    atea_policy *p = atea_test_policy_fmt(
        "{\"platforms\": {\"sim\": {\"trusted\": true, \"root_sha256\": [\"%s\"]}}}",
        "0000000000000000000000000000000000000000000000000000000000000000");
    atea_verifier *v = atea_test_verifier(p, 1, NOW);
    f->local.verifier = v;
    atea_attester *ear = passport(f, 0);
    atea_buf cmw = {0};
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_attester_attest(ear, &f->binding, &cmw));
    EXPECT_ERR(rp_verify(f, &cmw, &f->binding, &a), ATEA_ERR_NOT_AFFIRMED);
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    assert_string_equal(atea_appraisal_find_claim(a, "ear", "sim.status")->str, "contraindicated");
    atea_appraisal_free(a);
    atea_buf_free(&cmw);
    atea_attester_free(ear);
    atea_verifier_free(v);
    atea_policy_free(p);
}

/* Evidence the issuer cannot appraise at all: no EAR, the issuer's code. */
static void test_issuer_refuses(void **state)
{
    fixture *f = *state;
    atea_verifier *v = atea_test_verifier(f->issuer_policy, 0, NOW); /* sim not allowed */
    f->local.verifier = v;
    atea_attester *ear = passport(f, 0);
    atea_buf cmw = {0};
    EXPECT_ERR(atea_attester_attest(ear, &f->binding, &cmw), ATEA_ERR_SIM_NOT_ALLOWED);
    assert_null(cmw.data);
    atea_attester_free(ear);
    atea_verifier_free(v);
}

static atea_err failing_attest(atea_attester *self, const atea_binding *b, atea_buf *cmw)
{
    (void)self;
    (void)b;
    (void)cmw;
    return ATEA_ERR_TSM_IO;
}

static void free_heap_attester(atea_attester *self)
{
    free(self);
}

static atea_attester *failing_attester(void)
{
    atea_attester *a = calloc(1, sizeof(*a));
    assert_non_null(a);
    a->platform = "test";
    a->attest = failing_attest;
    a->free = free_heap_attester;
    return a;
}

static void test_inner_failure_and_arguments(void **state)
{
    fixture *f = *state;
    atea_attester *ear = NULL;
    atea_buf cmw = {0};
    EXPECT_OK(atea_ear_attester_new(failing_attester(), &f->issuer, 0, &ear));
    EXPECT_ERR(atea_attester_attest(ear, &f->binding, &cmw), ATEA_ERR_TSM_IO);
    atea_attester_free(ear);
    /* bad arguments; the inner attester is freed all the same (ASan checks the leak) */
    atea_ear_issuer no_fn = {0};
    EXPECT_ERR(atea_ear_attester_new(failing_attester(), &no_fn, 0, &ear), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ear_attester_new(failing_attester(), NULL, 0, &ear), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ear_attester_new(NULL, &f->issuer, 0, &ear), ATEA_ERR_INVALID_ARG);
    /* the local issuer needs a binding to echo */
    EXPECT_ERR(atea_ear_issue_local(&f->local, (const uint8_t *)"x", 1, NULL, &cmw),
               ATEA_ERR_BINDING_MISSING);
    EXPECT_ERR(atea_ear_issue_local(NULL, (const uint8_t *)"x", 1, &f->binding, &cmw),
               ATEA_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_passport_cbor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passport_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_connection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_ear_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_data_nonce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issuer_contraindicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issuer_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inner_failure_and_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
