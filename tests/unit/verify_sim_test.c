/* The simulated TEE end to end: attester -> CMW -> verifier -> policy, and every rejection. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atea/cmw.h"
#include "atea/policy.h"
#include "atea/sim.h"
#include "atea_test.h"
#include "core/cbor.h"
#include "core/wr.h"
#include "verify/sim_internal.h"

typedef struct fixture {
    char dir[64];
    char other_dir[64];
    atea_policy *policy; /* trusts the root of dir */
    atea_binding binding;
    atea_verify_env env;
    atea_sim_root_cache *cache; /* NULL, or the root cache every verify() uses */
} fixture;

static void rm_store(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static atea_policy *policy_trusting(const uint8_t root[32], const char *extra)
{
    char hex[65];
    char text[1024];
    EXPECT_OK(atea_hex_encode(root, 32, hex, sizeof(hex)));
    snprintf(text, sizeof(text),
             "{\"platforms\": {\"sim\": {\"trusted\": true, \"root_sha256\": [\"%s\"]%s}}}", hex,
             extra);
    atea_policy *p = NULL;
    EXPECT_OK(atea_policy_load_mem(text, strlen(text), "policy.json", NULL, &p, NULL));
    return p;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    strcpy(f->dir, "/tmp/atea-sim-XXXXXX");
    strcpy(f->other_dir, "/tmp/atea-sim-other-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_non_null(mkdtemp(f->other_dir));
    uint8_t root[32];
    EXPECT_OK(atea_sim_root_sha256(f->dir, 0, root));
    f->policy = policy_trusting(root, "");
    atea_test_rng rng = {.state = 42};
    atea_test_rng_fill(&rng, f->binding.binder, 32);
    atea_test_rng_fill(&rng, f->binding.aik_hash, 32);
    f->binding.binder_len = 32;
    f->binding.aik_hash_len = 32;
    memcpy(f->binding.report_data, f->binding.binder, 32);
    memcpy(f->binding.report_data + 32, f->binding.aik_hash, 32);
    f->env.now = (int64_t)time(NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    atea_policy_free(f->policy);
    atea__sim_root_cache_free(f->cache);
    rm_store(f->dir);
    rm_store(f->other_dir);
    free(f);
    return 0;
}

/* Evidence (bare COSE_Sign1) from identity `name` of store `dir`. */
static atea_buf make_evidence(const char *dir, const char *name, const atea_binding *b)
{
    atea_sim_opts opts;
    atea_sim_opts_default(&opts);
    opts.dir = dir;
    opts.identity = name;
    atea_attester *att = NULL;
    EXPECT_OK(atea_sim_attester_new(&opts, &att));
    atea_buf ev = {0};
    EXPECT_OK(atea_sim_attester_evidence(att, b, &ev));
    atea_attester_free(att);
    return ev;
}

/* Verify and return the code; the appraisal goes to *pa (caller frees) when pa is not NULL. */
static atea_err verify(fixture *f, const atea_policy *p, const atea_binding *b, const atea_buf *ev,
                       atea_appraisal **pa)
{
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    atea_err err = f->cache != NULL
                       ? atea__sim_verify_cached(&f->env, p, b, ev->data, ev->len, f->cache, a)
                       : atea_sim_verify(&f->env, p, b, ev->data, ev->len, a);
    if (err != ATEA_OK) {
        /* the failure is recorded as a contraindicated reason with the same code */
        assert_true(atea_appraisal_has_reason(a, err));
        assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    }
    if (pa != NULL) {
        *pa = a;
    } else {
        atea_appraisal_free(a);
    }
    return err;
}

static void test_round_trip_through_cmw(void **state)
{
    fixture *f = *state;
    atea_sim_opts opts;
    atea_sim_opts_default(&opts);
    opts.dir = f->dir;
    atea_attester *att = NULL;
    EXPECT_OK(atea_sim_attester_new(&opts, &att));
    assert_string_equal(att->platform, "sim");
    atea_buf cmw_bytes = {0};
    EXPECT_OK(atea_attester_attest(att, &f->binding, &cmw_bytes));
    atea_attester_free(att);

    atea_cmw *cmw = NULL;
    EXPECT_OK(atea_cmw_decode(cmw_bytes.data, cmw_bytes.len, NULL, &cmw));
    assert_int_equal(cmw->kind, ATEA_CMW_RECORD);
    assert_string_equal(cmw->media_type, ATEA_SIM_MEDIA_TYPE);
    assert_int_equal(cmw->ind, ATEA_CMW_IND_EVIDENCE);

    atea_appraisal *a = NULL;
    EXPECT_OK(verify(f, f->policy, &f->binding, &cmw->value, &a));
    EXPECT_OK(atea_policy_apply(f->policy, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    assert_true(atea_appraisal_is_simulated(a));
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_SIMULATED_TEE));
    const atea_claim *nonce = atea_appraisal_find_claim(a, "sim", "nonce");
    assert_non_null(nonce);
    assert_memory_equal(nonce->bytes.data, f->binding.binder, 32);
    const atea_claim *m = atea_appraisal_find_claim(a, "sim", "measurement");
    assert_non_null(m);
    assert_int_equal(m->bytes.len, 48);
    assert_string_equal(atea_appraisal_find_claim(a, "sim", "identity")->str, "default");
    assert_int_equal(atea_appraisal_find_claim(a, "sim", "debug")->i, 0);
    assert_int_equal(atea_appraisal_find_claim(a, "sim", "svn")->i, 1);
    atea_appraisal_free(a);
    atea_cmw_free(cmw);
    atea_buf_free(&cmw_bytes);
}

static void test_rejected_unless_root_trusted(void **state)
{
    fixture *f = *state;
    atea_buf ev = make_evidence(f->dir, "default", &f->binding);
    atea_policy *def = NULL;
    EXPECT_OK(atea_policy_new_default(&def));
    EXPECT_ERR(verify(f, def, &f->binding, &ev, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    EXPECT_ERR(verify(f, NULL, &f->binding, &ev, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    atea_policy_free(def);
    /* trusted simulator, but another root: evidence from a second store is refused */
    atea_buf other = make_evidence(f->other_dir, "default", &f->binding);
    EXPECT_ERR(verify(f, f->policy, &f->binding, &other, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    assert_non_null(strstr(atea_err_last()->detail, "is not listed in the policy"));
    atea_buf_free(&other);
    atea_buf_free(&ev);
}

static void test_binding_mismatches(void **state)
{
    fixture *f = *state;
    atea_buf ev = make_evidence(f->dir, "default", &f->binding);
    atea_binding wrong = f->binding;
    wrong.binder[31] ^= 1;
    EXPECT_ERR(verify(f, f->policy, &wrong, &ev, NULL), ATEA_ERR_SIM_NONCE_MISMATCH);
    wrong = f->binding;
    wrong.binder_len = 48;
    EXPECT_ERR(verify(f, f->policy, &wrong, &ev, NULL), ATEA_ERR_SIM_NONCE_MISMATCH);
    wrong = f->binding;
    wrong.aik_hash[0] ^= 0x80;
    EXPECT_ERR(verify(f, f->policy, &wrong, &ev, NULL), ATEA_ERR_SIM_AIK_HASH_MISMATCH);

    /* only report_data known: binder || aik_hash must make it up */
    atea_binding rd_only = {0};
    memcpy(rd_only.report_data, f->binding.report_data, 64);
    EXPECT_OK(verify(f, f->policy, &rd_only, &ev, NULL));
    rd_only.report_data[63] ^= 1;
    EXPECT_ERR(verify(f, f->policy, &rd_only, &ev, NULL), ATEA_ERR_SIM_NONCE_MISMATCH);

    /* no binding at all: a warning, which the default acceptance refuses */
    atea_appraisal *a = NULL;
    EXPECT_OK(verify(f, f->policy, NULL, &ev, &a));
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_BINDING_MISSING));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    atea_appraisal_free(a);
    atea_buf_free(&ev);
}

static void test_report_data_mode(void **state)
{
    fixture *f = *state;
    atea_binding rd_only = {0};
    memset(rd_only.report_data, 0x5a, 64);
    atea_buf ev = make_evidence(f->dir, "default", &rd_only);
    atea_sim_evidence parsed;
    EXPECT_OK(atea_sim_evidence_parse(ev.data, ev.len, &parsed));
    assert_int_equal(parsed.nonce.len, 64);
    assert_int_equal(parsed.aik_hash.len, 0);
    EXPECT_OK(verify(f, f->policy, &rd_only, &ev, NULL));
    rd_only.report_data[0] = 0;
    EXPECT_ERR(verify(f, f->policy, &rd_only, &ev, NULL), ATEA_ERR_SIM_NONCE_MISMATCH);
    /* a verifier that expects a binder refuses report_data-only evidence */
    EXPECT_ERR(verify(f, f->policy, &f->binding, &ev, NULL), ATEA_ERR_SIM_NONCE_MISMATCH);
    atea_buf_free(&ev);
}

/* Re-encode a COSE_Sign1 from parts, so that tests can swap any one of them. */
static atea_buf reassemble(atea_slice prot, atea_slice id_cert, atea_slice root_cert,
                           atea_slice payload, atea_slice sig)
{
    atea_wr wr;
    EXPECT_OK(atea_wr_init_growable(&wr, 256, 16384));
    EXPECT_OK(atea_cbor_wr_tag(&wr, 18));
    EXPECT_OK(atea_cbor_wr_array(&wr, 4));
    EXPECT_OK(atea_cbor_wr_bstr(&wr, prot.data, prot.len));
    EXPECT_OK(atea_cbor_wr_map(&wr, 1));
    EXPECT_OK(atea_cbor_wr_uint(&wr, 33));
    EXPECT_OK(atea_cbor_wr_array(&wr, 2));
    EXPECT_OK(atea_cbor_wr_bstr(&wr, id_cert.data, id_cert.len));
    EXPECT_OK(atea_cbor_wr_bstr(&wr, root_cert.data, root_cert.len));
    EXPECT_OK(atea_cbor_wr_bstr(&wr, payload.data, payload.len));
    EXPECT_OK(atea_cbor_wr_bstr(&wr, sig.data, sig.len));
    atea_buf out = {0};
    EXPECT_OK(atea_wr_take(&wr, &out));
    atea_wr_dispose(&wr);
    return out;
}

static void test_tampering(void **state)
{
    fixture *f = *state;
    atea_buf ev = make_evidence(f->dir, "default", &f->binding);
    atea_sim_evidence p;
    EXPECT_OK(atea_sim_evidence_parse(ev.data, ev.len, &p));

    /* a flipped signature bit */
    uint8_t sig[64];
    memcpy(sig, p.signature.data, 64);
    sig[10] ^= 1;
    atea_buf t =
        reassemble(p.protected_hdr, p.identity_cert, p.root_cert, p.payload, (atea_slice){sig, 64});
    EXPECT_ERR(verify(f, f->policy, &f->binding, &t, NULL), ATEA_ERR_SIM_SIGNATURE);
    atea_buf_free(&t);

    /* a changed claim: the last byte of the payload is inside aik_hash */
    uint8_t *payload = malloc(p.payload.len);
    assert_non_null(payload);
    memcpy(payload, p.payload.data, p.payload.len);
    payload[p.payload.len - 1] ^= 1;
    t = reassemble(p.protected_hdr, p.identity_cert, p.root_cert,
                   (atea_slice){payload, p.payload.len}, p.signature);
    EXPECT_ERR(verify(f, f->policy, &f->binding, &t, NULL), ATEA_ERR_SIM_SIGNATURE);
    atea_buf_free(&t);
    free(payload);

    /* an identity of another store presented under this (trusted) root */
    atea_buf other = make_evidence(f->other_dir, "default", &f->binding);
    atea_sim_evidence q;
    EXPECT_OK(atea_sim_evidence_parse(other.data, other.len, &q));
    t = reassemble(q.protected_hdr, q.identity_cert, p.root_cert, q.payload, q.signature);
    EXPECT_ERR(verify(f, f->policy, &f->binding, &t, NULL), ATEA_ERR_SIM_CHAIN);
    atea_buf_free(&t);
    atea_buf_free(&other);

    /* certificates checked at the verification time */
    f->env.now = 4102444800; /* 2100-01-01 */
    EXPECT_ERR(verify(f, f->policy, &f->binding, &ev, NULL), ATEA_ERR_SIM_CHAIN);
    f->env.now = 946684800; /* 2000-01-01 */
    EXPECT_ERR(verify(f, f->policy, &f->binding, &ev, NULL), ATEA_ERR_SIM_CHAIN);
    f->env.now = (int64_t)time(NULL);

    /* structure: truncation, trailing bytes, wrong algorithm */
    atea_buf cut = {ev.data, ev.len - 1};
    EXPECT_ERR(verify(f, f->policy, &f->binding, &cut, NULL), ATEA_ERR_TRUNCATED);
    atea_buf longer = {0};
    EXPECT_OK(atea_buf_set(&longer, ev.data, ev.len));
    uint8_t *grown = realloc(longer.data, ev.len + 1);
    assert_non_null(grown);
    grown[ev.len] = 0;
    longer.data = grown;
    longer.len = ev.len + 1;
    EXPECT_ERR(verify(f, f->policy, &f->binding, &longer, NULL), ATEA_ERR_TRAILING);
    atea_buf_free(&longer);
    const uint8_t es384[] = {0xa1, 0x01, 0x38, 0x22};
    t = reassemble((atea_slice){es384, sizeof(es384)}, p.identity_cert, p.root_cert, p.payload,
                   p.signature);
    EXPECT_ERR(verify(f, f->policy, &f->binding, &t, NULL), ATEA_ERR_SIM_MALFORMED);
    atea_buf_free(&t);
    atea_buf_free(&ev);
}

/* The verifier's root cache (src/verify/sim.c) skips the decode and self-signature check of a
 * root already seen, never the policy's trust, the identity's chain or the validity: every
 * rejection above holds with a warm cache, and only a trusted, self-signed root is cached. */
static void test_root_cache(void **state)
{
    fixture *f = *state;
    atea_buf ev = make_evidence(f->dir, "default", &f->binding);
    atea_buf other = make_evidence(f->other_dir, "default", &f->binding);
    atea_appraisal *cold = NULL;
    atea_appraisal *warm = NULL;
    EXPECT_OK(atea__sim_root_cache_new(&f->cache));
    /* A root the policy does not trust is not cached. */
    EXPECT_ERR(verify(f, f->policy, &f->binding, &other, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    EXPECT_ERR(verify(f, f->policy, &f->binding, &other, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    assert_int_equal(atea__sim_root_cache_hits(f->cache), 0);
    /* The trusted one is, and the second appraisal records the same claims and reasons. */
    EXPECT_OK(verify(f, f->policy, &f->binding, &ev, &cold));
    assert_int_equal(atea__sim_root_cache_hits(f->cache), 0);
    EXPECT_OK(verify(f, f->policy, &f->binding, &ev, &warm));
    assert_int_equal(atea__sim_root_cache_hits(f->cache), 1);
    assert_int_equal(atea_appraisal_reason_count(warm), atea_appraisal_reason_count(cold));
    for (size_t i = 0; i < atea_appraisal_reason_count(cold); i++) {
        assert_string_equal(atea_appraisal_reason_at(warm, i)->message,
                            atea_appraisal_reason_at(cold, i)->message);
    }
    const atea_claim *root_cold = atea_appraisal_find_claim(cold, "sim", "root_sha256");
    const atea_claim *root_warm = atea_appraisal_find_claim(warm, "sim", "root_sha256");
    assert_non_null(root_warm);
    assert_memory_equal(root_warm->bytes.data, root_cold->bytes.data, 32);
    atea_appraisal_free(cold);
    atea_appraisal_free(warm);
    /* The cached root, trusted by f->policy, under a policy that does not trust it. */
    atea_policy *def = NULL;
    EXPECT_OK(atea_policy_new_default(&def));
    EXPECT_ERR(verify(f, def, &f->binding, &ev, NULL), ATEA_ERR_SIM_NOT_TRUSTED);
    atea_policy_free(def);
    assert_int_equal(atea__sim_root_cache_hits(f->cache), 2);
    /* Every other rejection, with the root taken from the cache. */
    test_rejected_unless_root_trusted(state);
    test_binding_mismatches(state);
    test_tampering(state);
    assert_true(atea__sim_root_cache_hits(f->cache) > 2);
    atea_buf_free(&other);
    atea_buf_free(&ev);
}

static void test_claims_strictness(void **state)
{
    (void)state;
    /* unknown, duplicate and missing claims, each in an otherwise valid envelope */
    const uint8_t prot[] = {0xa1, 0x01, 0x26};
    const uint8_t cert[] = {0x30, 0x00};
    uint8_t sig[64] = {0};
    const char *payload_hex[] = {
        "a16362616401",                   /* {"bad": 1} */
        "a2656465627567f4656465627567f4", /* {"debug": false, "debug": false} */
        "a1656465627567f4",               /* {"debug": false}: required claims missing */
    };
    for (size_t i = 0; i < 3; i++) {
        atea_buf payload = atea_test_hex(payload_hex[i]);
        atea_buf t = reassemble((atea_slice){prot, sizeof(prot)}, (atea_slice){cert, 2},
                                (atea_slice){cert, 2}, (atea_slice){payload.data, payload.len},
                                (atea_slice){sig, 64});
        atea_sim_evidence e;
        atea_err err = atea_sim_evidence_parse(t.data, t.len, &e);
        if (i == 0) {
            EXPECT_ERR(err, ATEA_ERR_SIM_MALFORMED);
            assert_non_null(strstr(atea_err_last()->detail, "unknown claim 'bad'"));
        } else if (i == 1) {
            EXPECT_ERR(err, ATEA_ERR_SIM_MALFORMED);
            assert_non_null(strstr(atea_err_last()->detail, "appears twice"));
        } else {
            EXPECT_ERR(err, ATEA_ERR_SIM_MALFORMED);
            assert_non_null(strstr(atea_err_last()->detail, "lacks required claims"));
        }
        atea_buf_free(&t);
        atea_buf_free(&payload);
    }
}

/* Diversion: a second identity (another "machine", another measurement) under the same trusted
 * root is refused by a policy that pins the first identity's measurement. */
static void test_pinned_measurement_rejects_other_identity(void **state)
{
    fixture *f = *state;
    atea_buf good = make_evidence(f->dir, "default", &f->binding);
    atea_sim_evidence p;
    EXPECT_OK(atea_sim_evidence_parse(good.data, good.len, &p));
    char mhex[2 * ATEA_SIM_MAX_MEASUREMENT + 1];
    EXPECT_OK(atea_hex_encode(p.measurement.data, p.measurement.len, mhex, sizeof(mhex)));
    char extra[256];
    snprintf(extra, sizeof(extra), ", \"reference_values\": {\"measurement\": [\"%s\"]}", mhex);
    uint8_t root[32];
    EXPECT_OK(atea_sim_root_sha256(f->dir, 0, root));
    atea_policy *pinned = policy_trusting(root, extra);

    atea_appraisal *a = NULL;
    EXPECT_OK(verify(f, pinned, &f->binding, &good, &a));
    EXPECT_OK(atea_policy_apply(pinned, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);

    atea_buf diverted = make_evidence(f->dir, "mallory", &f->binding);
    EXPECT_OK(verify(f, pinned, &f->binding, &diverted, &a));
    EXPECT_OK(atea_policy_apply(pinned, a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_REFERENCE_VALUE));
    assert_string_equal(atea_appraisal_find_claim(a, "sim", "identity")->str, "mallory");
    atea_appraisal_free(a);
    atea_buf_free(&diverted);
    atea_buf_free(&good);
    atea_policy_free(pinned);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_through_cmw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected_unless_root_trusted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binding_mismatches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_data_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_cache, setup, teardown),
        cmocka_unit_test(test_claims_strictness),
        cmocka_unit_test_setup_teardown(test_pinned_measurement_rejects_other_identity, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
