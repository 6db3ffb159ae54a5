/* The verifier front door: CMW decoding, dispatch by media type, policy, the final decision. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atea/cca.h"
#include "atea/cmw.h"
#include "atea/sim.h"
#include "atea/tpm.h"
#include "atea/tsm.h"
#include "atea/verify.h"
#include "atea_test.h"

#define TDX_V4_REPORT_DATA                                                                         \
    "6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d1eed313b987a467da"  \
    "cead6f0c87a6d766c66f6f29f8acb281f1113"
#define AT_2026 1767225600 /* 2026-01-01: inside the sample certificates' validity */

typedef struct fixture {
    char dir[64];
    char policy_text[512];
    atea_binding binding;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    strcpy(f->dir, "/tmp/atea-verifier-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    uint8_t root[32];
    char hex[65];
    EXPECT_OK(atea_sim_root_sha256(f->dir, 0, root));
    EXPECT_OK(atea_hex_encode(root, 32, hex, sizeof(hex)));
    snprintf(f->policy_text, sizeof(f->policy_text),
             "{\"platforms\": {\"sim\": {\"trusted\": true, \"root_sha256\": [\"%s\"]}}}", hex);
    memset(f->binding.binder, 0xb1, 32);
    memset(f->binding.aik_hash, 0xa1, 32);
    f->binding.binder_len = 32;
    f->binding.aik_hash_len = 32;
    memcpy(f->binding.report_data, f->binding.binder, 32);
    memcpy(f->binding.report_data + 32, f->binding.aik_hash, 32);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static atea_policy *load_policy(const char *text)
{
    atea_policy *p = NULL;
    EXPECT_OK(atea_policy_load_mem(text, strlen(text), "policy.json", NULL, &p, NULL));
    return p;
}

static atea_verifier *new_verifier(const atea_policy *policy, int allow_sim, int64_t now)
{
    atea_verify_opts o;
    atea_verify_opts_default(&o);
    o.policy = policy;
    o.allow_sim = allow_sim;
    o.now = now;
    atea_verifier *v = NULL;
    EXPECT_OK(atea_verifier_new(&o, &v));
    return v;
}

static atea_buf sim_cmw(const fixture *f)
{
    atea_sim_opts so;
    atea_sim_opts_default(&so);
    so.dir = f->dir;
    atea_attester *att = NULL;
    EXPECT_OK(atea_sim_attester_new(&so, &att));
    atea_buf cmw = {0};
    EXPECT_OK(atea_attester_attest(att, &f->binding, &cmw));
    atea_attester_free(att);
    return cmw;
}

/* Run one verification; returns its code and leaves the appraisal in *pa (or frees it). */
static atea_err run(atea_verifier *v, int raw, const uint8_t *data, size_t len,
                    const atea_binding *b, atea_appraisal **pa)
{
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    atea_err err = raw ? atea_verify_raw(v, data, len, b, a) : atea_verify_cmw(v, data, len, b, a);
    if (err == ATEA_OK) {
        assert_true(atea_appraisal_status(a) == ATEA_EAR_AFFIRMING ||
                    atea_appraisal_status(a) == ATEA_EAR_WARNING);
    } else {
        assert_true(atea_appraisal_has_reason(a, err));
    }
    if (pa != NULL) {
        *pa = a;
    } else {
        atea_appraisal_free(a);
    }
    return err;
}

static void test_sim_needs_two_opt_ins(void **state)
{
    fixture *f = *state;
    atea_buf cmw = sim_cmw(f);
    atea_policy *trusting = load_policy(f->policy_text);
    atea_verifier *no_sim = new_verifier(trusting, 0, 0);
    EXPECT_ERR(run(no_sim, 0, cmw.data, cmw.len, &f->binding, NULL), ATEA_ERR_SIM_NOT_ALLOWED);
    atea_verifier *default_policy = new_verifier(NULL, 1, 0);
    EXPECT_ERR(run(default_policy, 0, cmw.data, cmw.len, &f->binding, NULL),
               ATEA_ERR_SIM_NOT_TRUSTED);
    atea_verifier *v = new_verifier(trusting, 1, 0);
    atea_appraisal *a = NULL;
    EXPECT_OK(run(v, 0, cmw.data, cmw.len, &f->binding, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    assert_true(atea_appraisal_is_simulated(a));
    atea_appraisal_free(a);
    /* a wrong binder is the sim verifier's code, returned as the decision */
    atea_binding other = f->binding;
    other.binder[0] ^= 1;
    EXPECT_ERR(run(v, 0, cmw.data, cmw.len, &other, NULL), ATEA_ERR_SIM_NONCE_MISMATCH);

    /* raw (no CMW) sim evidence, and the CMW given to verify_raw */
    atea_cmw *tree = NULL;
    EXPECT_OK(atea_cmw_decode(cmw.data, cmw.len, NULL, &tree));
    EXPECT_OK(run(v, 1, tree->value.data, tree->value.len, &f->binding, NULL));
    EXPECT_OK(run(v, 1, cmw.data, cmw.len, &f->binding, NULL));
    atea_cmw_free(tree);
    atea_verifier_free(v);
    atea_verifier_free(default_policy);
    atea_verifier_free(no_sim);
    atea_policy_free(trusting);
    atea_buf_free(&cmw);
}

/* The verifier keeps the trusted sim root decoded between appraisals (src/verify/sim.c): the
 * decisions are those of a fresh verifier, whatever came before. */
static void test_sim_root_reused_across_appraisals(void **state)
{
    fixture *f = *state;
    char other_dir[64] = "/tmp/atea-verifier-other-XXXXXX";
    assert_non_null(mkdtemp(other_dir));
    atea_buf cmw = sim_cmw(f);
    fixture other = *f;
    memcpy(other.dir, other_dir, sizeof(other_dir));
    atea_buf foreign = sim_cmw(&other);
    atea_policy *trusting = load_policy(f->policy_text);
    atea_verifier *v = new_verifier(trusting, 1, 0);
    EXPECT_ERR(run(v, 0, foreign.data, foreign.len, &f->binding, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    for (int i = 0; i < 3; i++) {
        EXPECT_OK(run(v, 0, cmw.data, cmw.len, &f->binding, NULL));
    }
    /* Another store's root after the trusted one was cached, then the trusted one again. */
    EXPECT_ERR(run(v, 0, foreign.data, foreign.len, &f->binding, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    EXPECT_OK(run(v, 0, cmw.data, cmw.len, &f->binding, NULL));
    atea_binding wrong = f->binding;
    wrong.aik_hash[5] ^= 1;
    EXPECT_ERR(run(v, 0, cmw.data, cmw.len, &wrong, NULL), ATEA_ERR_SIM_AIK_HASH_MISMATCH);
    atea_verifier_free(v);
    atea_policy_free(trusting);
    atea_buf_free(&foreign);
    atea_buf_free(&cmw);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", other_dir);
    assert_int_equal(system(cmd), 0);
}

static void test_warning_decision(void **state)
{
    fixture *f = *state;
    atea_buf cmw = sim_cmw(f);
    atea_policy *strict = load_policy(f->policy_text);
    char lenient_text[600];
    snprintf(lenient_text, sizeof(lenient_text), "{\"accept_warning\": true,%s",
             f->policy_text + 1);
    atea_policy *lenient = load_policy(lenient_text);
    atea_verifier *vs = new_verifier(strict, 1, 0);
    atea_verifier *vl = new_verifier(lenient, 1, 0);
    /* no expected binding: a warning (the evidence could be replayed) */
    atea_appraisal *a = NULL;
    EXPECT_ERR(run(vs, 0, cmw.data, cmw.len, NULL, &a), ATEA_ERR_POLICY_WARNING);
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_BINDING_MISSING));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    EXPECT_OK(run(vl, 0, cmw.data, cmw.len, NULL, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
    atea_verifier_free(vs);
    atea_verifier_free(vl);
    atea_policy_free(strict);
    atea_policy_free(lenient);
    atea_buf_free(&cmw);
}

static atea_buf record(const char *type, const uint8_t *data, size_t len)
{
    atea_cmw *c = NULL;
    EXPECT_OK(atea_cmw_new_record(type, data, len, ATEA_CMW_IND_EVIDENCE, &c));
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_encode_cbor(c, &out));
    atea_cmw_free(c);
    return out;
}

static void test_unknown_types_named(void **state)
{
    (void)state;
    atea_verifier *v = new_verifier(NULL, 0, 0);
    const uint8_t junk[] = {1, 2, 3};
    atea_buf c = record("application/x-made-up", junk, sizeof(junk));
    atea_appraisal *a = NULL;
    EXPECT_ERR(run(v, 0, c.data, c.len, NULL, &a), ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    assert_non_null(strstr(atea_appraisal_reason_at(a, 0)->message, "application/x-made-up"));
    assert_null(atea_appraisal_reason_at(a, 0)->submod);
    atea_appraisal_free(a);
    atea_buf_free(&c);

    /* an EAR record goes to the EAR verifier (tests/unit/verify_ear_test.c), which refuses junk */
    c = record("application/eat+jwt; eat_profile=\"tag:ietf.org,2026:rats/ear#03\"", junk, 3);
    EXPECT_ERR(run(v, 0, c.data, c.len, NULL, NULL), ATEA_ERR_EAR_MALFORMED);
    assert_non_null(strstr(atea_err_last()->detail, "EAT Attestation Result"));
    atea_buf_free(&c);

    atea_cmw *tag = NULL;
    EXPECT_OK(atea_cmw_new_tag(1000, junk, sizeof(junk), &tag));
    EXPECT_OK(atea_cmw_encode_cbor(tag, &c));
    atea_cmw_free(tag);
    EXPECT_ERR(run(v, 0, c.data, c.len, NULL, NULL), ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    assert_non_null(strstr(atea_err_last()->detail, "CBOR tag"));
    atea_buf_free(&c);

    /* bytes that are neither known evidence nor a CMW */
    EXPECT_ERR(run(v, 1, junk, sizeof(junk), NULL, NULL), ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    /* a malformed CMW fails with the CMW decoder's code, recorded in the appraisal */
    const uint8_t bad_cmw[] = {0x83, 0x01};
    atea_err err = run(v, 0, bad_cmw, sizeof(bad_cmw), NULL, NULL);
    assert_int_equal(atea_err_class_of(err), ATEA_ERR_CLASS_DECODE);
    atea_verifier_free(v);
}

static void test_composite_collection(void **state)
{
    fixture *f = *state;
    atea_buf sim = sim_cmw(f);
    atea_cmw *sim_tree = NULL;
    EXPECT_OK(atea_cmw_decode(sim.data, sim.len, NULL, &sim_tree));
    atea_cmw *coll = NULL;
    EXPECT_OK(atea_cmw_new_collection(NULL, &coll));
    EXPECT_OK(atea_cmw_add(coll, "cpu", sim_tree));
    atea_cmw *gpu = NULL;
    const uint8_t junk[] = {9};
    EXPECT_OK(atea_cmw_new_record("application/vnd.example.gpu", junk, 1, 4, &gpu));
    EXPECT_OK(atea_cmw_add(coll, "gpu", gpu));
    atea_buf c = {0};
    EXPECT_OK(atea_cmw_encode_cbor(coll, &c));
    atea_policy *p = load_policy(f->policy_text);
    atea_verifier *v = new_verifier(p, 1, 0);
    atea_appraisal *a = NULL;
    /* the sim piece is affirmed, the unknown piece refuses the whole */
    EXPECT_ERR(run(v, 0, c.data, c.len, &f->binding, &a), ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    assert_int_equal(atea_appraisal_submod_status(a, "sim"), ATEA_EAR_AFFIRMING);
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    atea_verifier_free(v);
    atea_policy_free(p);
    atea_cmw_free(coll);
    atea_buf_free(&c);
    atea_buf_free(&sim);
}

static void test_tdx_dispatch(void **state)
{
    (void)state;
    atea_buf quote = atea_test_read_file(
        atea_test_shared_path("testdata/evidence/tdx/tdx_prod_quote_SPR_E4.dat"));
    atea_binding b = {0};
    atea_buf rd = atea_test_hex(TDX_V4_REPORT_DATA);
    memcpy(b.report_data, rd.data, 64);
    atea_buf_free(&rd);
    atea_policy *lenient = load_policy("{\"accept_warning\": true}");
    atea_verifier *v = new_verifier(lenient, 0, AT_2026);
    atea_appraisal *a = NULL;
    atea_err err = run(v, 1, quote.data, quote.len, &b, &a);
    assert_non_null(atea_appraisal_find_claim(a, "tdx", "mrtd"));
    /* no collateral: TCB status unknown is a warning, which this policy accepts */
    EXPECT_OK(err);
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
    /* the same quote in a CMW record, with another report_data: the TDX verifier's refusal */
    atea_buf c = record("application/vnd.intel.tdx.quote", quote.data, quote.len);
    b.report_data[0] ^= 1;
    err = run(v, 0, c.data, c.len, &b, &a);
    assert_int_equal(atea_err_class_of(err), ATEA_ERR_CLASS_EVIDENCE);
    assert_int_equal(atea_appraisal_submod_status(a, "tdx"), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    atea_buf_free(&c);
    atea_verifier_free(v);
    atea_policy_free(lenient);
    atea_buf_free(&quote);
}

static void test_snp_dispatch(void **state)
{
    (void)state;
    atea_buf report =
        atea_test_read_file(atea_test_shared_path("testdata/evidence/sev-snp/gsg_attestation.bin"));
    char vcek[512];
    char chain[512];
    snprintf(vcek, sizeof(vcek), "%s",
             atea_test_shared_path("testdata/evidence/sev-snp/gsg_vcek.der"));
    snprintf(chain, sizeof(chain), "%s",
             atea_test_shared_path("testdata/evidence/sev-snp/ask_ark_milan.pem"));
    const char *files[] = {vcek, chain};
    atea_verify_opts o;
    atea_verify_opts_default(&o);
    o.cert_files = files;
    o.cert_file_count = 2;
    o.now = AT_2026;
    atea_verifier *v = NULL;
    EXPECT_OK(atea_verifier_new(&o, &v));
    atea_binding b = {0};
    b.report_data[0] = 1;
    b.report_data[1] = 2;
    b.report_data[2] = 3;
    b.report_data[3] = 4;
    b.report_data[4] = 5;
    atea_appraisal *a = NULL;
    /* the sample allows debugging: the default policy forbids it */
    EXPECT_ERR(run(v, 1, report.data, report.len, &b, &a), ATEA_ERR_POLICY_DEBUG);
    assert_non_null(atea_appraisal_find_claim(a, "snp", "measurement"));
    atea_appraisal_free(a);
    atea_verifier_free(v);
    atea_buf_free(&report);
}

static void test_cca_dispatch(void **state)
{
    (void)state;
    atea_buf token = atea_test_read_file(
        atea_test_shared_path("testdata/evidence/cca/veraison_tf-rmm_cca_token.cbor"));
    char text[700];
    snprintf(text, sizeof(text), "{\"platforms\": {\"cca\": {\"cpak_pem\": \"%s\"}}}",
             atea_test_shared_path("testdata/evidence/cca/cpak_pub.pem"));
    atea_policy *p = load_policy(text);
    atea_verifier *v = new_verifier(p, 0, AT_2026);
    atea_binding b = {0};
    memset(b.report_data, 0xab, 64); /* the sample's realm challenge */
    atea_appraisal *a = NULL;
    EXPECT_OK(run(v, 1, token.data, token.len, &b, &a));
    assert_int_equal(atea_appraisal_submod_status(a, "cca"), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    /* in a CMW record too; another challenge is the CCA verifier's refusal */
    atea_buf c = record("application/eat-collection; profile=\"http://arm.com/CCA-SSD/1.0.0\"",
                        token.data, token.len);
    b.report_data[5] = 0;
    atea_err err = run(v, 0, c.data, c.len, &b, &a);
    assert_int_equal(err, ATEA_ERR_CCA_REALM_CHALLENGE);
    atea_appraisal_free(a);
    /* a policy that lists only tdx refuses CCA evidence */
    atea_policy *tdx_only = load_policy("{\"platforms\": {\"tdx\": {}}}");
    atea_verifier *v2 = new_verifier(tdx_only, 0, AT_2026);
    memset(b.report_data, 0xab, 64);
    EXPECT_ERR(run(v2, 0, c.data, c.len, &b, NULL), ATEA_ERR_CCA_NO_CPAK);
    atea_verifier_free(v2);
    atea_policy_free(tdx_only);
    atea_buf_free(&c);
    atea_verifier_free(v);
    atea_policy_free(p);
    atea_buf_free(&token);
}

/* A TPM quote collection reaches the TPM verifier (garbage parts: its parser refuses them). */
static void test_tpm_dispatch(void **state)
{
    (void)state;
    const uint8_t junk[] = {0xff, 0x54, 0x43, 0x47};
    atea_cmw *coll = NULL;
    EXPECT_OK(atea_cmw_new_collection(NULL, &coll));
    const char *labels[] = {"quote", "sig", "pcrs", "ak"};
    const char *types[] = {"application/vnd.tcg.tpm2.quote",
                           "application/vnd.tcg.tpm2.tpmt-signature",
                           "application/vnd.atea.tpm2.pcr-values", "application/vnd.atea.spki+der"};
    for (int i = 0; i < 4; i++) {
        atea_cmw *r = NULL;
        EXPECT_OK(atea_cmw_new_record(types[i], junk, sizeof(junk), 4, &r));
        EXPECT_OK(atea_cmw_add(coll, labels[i], r));
    }
    atea_buf c = {0};
    EXPECT_OK(atea_cmw_encode_cbor(coll, &c));
    atea_cmw_free(coll);
    atea_verifier *v = new_verifier(NULL, 0, 0);
    atea_appraisal *a = NULL;
    atea_err err = run(v, 0, c.data, c.len, NULL, &a);
    assert_int_not_equal(err, ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    assert_int_equal(atea_appraisal_submod_status(a, "tpm"), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    atea_buf_free(&c);
    /* the quote record alone is not enough */
    atea_buf lone = record("application/vnd.tcg.tpm2.quote", junk, sizeof(junk));
    EXPECT_ERR(run(v, 0, lone.data, lone.len, NULL, NULL), ATEA_ERR_TPM_MISSING_PART);
    atea_buf_free(&lone);
    atea_verifier_free(v);
}

static void test_options(void **state)
{
    (void)state;
    atea_verify_opts o;
    atea_verify_opts_default(&o);
    atea_verifier *v = NULL;
    o.version = 7;
    EXPECT_ERR(atea_verifier_new(&o, &v), ATEA_ERR_VERIFY_OPTS_VERSION);
    atea_verify_opts_default(&o);
    o.cert_file_count = ATEA_VERIFY_MAX_CERT_FILES + 1;
    const char *files[ATEA_VERIFY_MAX_CERT_FILES + 1] = {0};
    o.cert_files = files;
    EXPECT_ERR(atea_verifier_new(&o, &v), ATEA_ERR_INVALID_ARG);
    atea_verify_opts_default(&o);
    o.policy_file = "/nonexistent/policy.json";
    EXPECT_ERR(atea_verifier_new(&o, &v), ATEA_ERR_POLICY_READ);
    assert_null(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sim_needs_two_opt_ins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sim_root_reused_across_appraisals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_warning_decision, setup, teardown),
        cmocka_unit_test(test_unknown_types_named),
        cmocka_unit_test_setup_teardown(test_composite_collection, setup, teardown),
        cmocka_unit_test(test_tdx_dispatch),
        cmocka_unit_test(test_snp_dispatch),
        cmocka_unit_test(test_cca_dispatch),
        cmocka_unit_test(test_tpm_dispatch),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
