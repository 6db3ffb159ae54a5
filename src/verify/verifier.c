/*
 * The verifier front door (include/atea/verify.h): CMW in, appraisal and decision out.
 * Dispatch is by media type through one table (profile.md §5); the decision is made only from
 * the appraisal, after the policy ran, so that what is printed is what was decided.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atea/cmw.h"
#include "atea/sim.h"
#include "atea/snp.h"
#include "atea/tdx.h"
#include "atea/tsm.h"
#include "atea/verify.h"
#include "atea/verify_env.h"
#include "core/check.h"
#include "core/rd.h"
#include "verify/dispatch.h"

struct atea_verifier {
    atea_policy *owned_policy;
    const atea_policy *policy;
    int64_t now;
    char *collateral_dir;
    /* Loaded from collateral_dir on the first TDX evidence, then reused: the files are read and
     * their signatures checked once, and verified PCK chains are cached in it (dispatch.c). */
    atea_tdx_collateral *tdx_collateral;
    char *cert_files[ATEA_VERIFY_MAX_CERT_FILES];
    size_t cert_file_count;
    int allow_sim;
    atea_log log;
    atea_sim_root_cache *sim_cache; /* the trusted sim root, decoded once (sim.c) */
};

void atea_verify_opts_default_versioned(unsigned version, atea_verify_opts *opts)
{
    if (opts == NULL) {
        return;
    }
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
}

static atea_err copy_text(const char *in, char **out)
{
    atea_err err = ATEA_OK;
    *out = NULL;
    if (in != NULL) {
        *out = strdup(in);
        ATEA_ENSURE_ALLOC(*out);
    }
out:
    return err;
}

atea_err atea_verifier_new(const atea_verify_opts *opts, atea_verifier **pverifier)
{
    atea_err err = ATEA_OK;
    atea_verifier *v = NULL;
    ATEA_ENSURE(opts != NULL && pverifier != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(opts->version == ATEA_VERIFY_OPTS_V1, ATEA_ERR_VERIFY_OPTS_VERSION,
                    "atea_verify_opts version %u", opts->version);
    ATEA_ENSURE_MSG(opts->cert_file_count <= ATEA_VERIFY_MAX_CERT_FILES &&
                        (opts->cert_files != NULL || opts->cert_file_count == 0),
                    ATEA_ERR_INVALID_ARG, "%zu certificate files (at most %d)",
                    opts->cert_file_count, ATEA_VERIFY_MAX_CERT_FILES);
    v = calloc(1, sizeof(*v));
    ATEA_ENSURE_ALLOC(v);
    v->now = opts->now;
    v->allow_sim = opts->allow_sim != 0;
    v->log = opts->log;
    if (v->allow_sim) {
        ATEA_TRY(atea__sim_root_cache_new(&v->sim_cache));
    }
    ATEA_TRY(copy_text(opts->collateral_dir, &v->collateral_dir));
    for (size_t i = 0; i < opts->cert_file_count; i++) {
        ATEA_ENSURE(opts->cert_files[i] != NULL, ATEA_ERR_INVALID_ARG);
        ATEA_TRY(copy_text(opts->cert_files[i], &v->cert_files[i]));
        v->cert_file_count++;
    }
    if (opts->policy != NULL) {
        v->policy = opts->policy;
    } else if (opts->policy_file != NULL) {
        ATEA_TRY(atea_policy_load_file(opts->policy_file, &v->owned_policy, NULL));
        v->policy = v->owned_policy;
    } else {
        ATEA_TRY(atea_policy_new_default(&v->owned_policy));
        v->policy = v->owned_policy;
    }
    *pverifier = v;
    v = NULL;
out:
    atea_verifier_free(v);
    return err;
}

void atea_verifier_free(atea_verifier *v)
{
    if (v == NULL) {
        return;
    }
    atea_policy_free(v->owned_policy);
    atea__sim_root_cache_free(v->sim_cache);
    free(v->collateral_dir);
    atea_tdx_collateral_free(v->tdx_collateral);
    for (size_t i = 0; i < v->cert_file_count; i++) {
        free(v->cert_files[i]);
    }
    free(v);
}

const atea_policy *atea_verifier_policy(const atea_verifier *v)
{
    return v != NULL ? v->policy : NULL;
}

static void dispatch_init(atea_verifier *v, const atea_binding *expected, atea_appraisal *out,
                          atea_dispatch *d)
{
    memset(d, 0, sizeof(*d));
    d->policy = v->policy;
    d->allow_sim = v->allow_sim;
    d->sim_cache = v->sim_cache;
    d->expected = expected;
    d->out = out;
    d->log = v->log;
    d->env.expected_report_data = expected != NULL ? expected->report_data : NULL;
    d->env.now = v->now != 0 ? v->now : (int64_t)time(NULL);
    d->env.collateral_dir = v->collateral_dir;
    d->tdx_collateral = &v->tdx_collateral;
    d->env.cert_files = (const char *const *)v->cert_files;
    d->env.cert_file_count = v->cert_file_count;
    d->env.cca_cpak_pem_file = atea_policy_cca_cpak_pem(v->policy);
}

/* Turn the appraisal into the return code (include/atea/verify.h). */
static atea_err decide(const atea_dispatch *d)
{
    atea_err err = ATEA_OK;
    atea_ear_status status = atea_appraisal_status(d->out);
    if (status == ATEA_EAR_AFFIRMING ||
        (status == ATEA_EAR_WARNING && atea_policy_accepts_warning(d->policy))) {
        goto out;
    }
    if (d->first_failure != ATEA_OK) {
        ATEA_FAIL(d->first_failure, "%s", d->first_failure_detail);
    }
    for (size_t i = 0; i < atea_appraisal_reason_count(d->out); i++) {
        const atea_appraisal_reason *r = atea_appraisal_reason_at(d->out, i);
        if (r->tier == ATEA_EAR_CONTRAINDICATED && r->code != ATEA_OK) {
            ATEA_FAIL(r->code, "%s%s%s", r->submod != NULL ? r->submod : "",
                      r->submod != NULL ? ": " : "", r->message);
        }
    }
    ATEA_ENSURE_MSG(d->appraised > 0, ATEA_ERR_NOTHING_APPRAISED,
                    "the CMW held no evidence atea could appraise");
    ATEA_FAIL(ATEA_ERR_NOT_AFFIRMED, "the appraisal ended in '%s'", atea_ear_status_name(status));
out:
    return err;
}

static atea_err finish(atea_dispatch *d)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_policy_apply(d->policy, d->out));
    ATEA_TRY(decide(d));
out:
    return err;
}

atea_err atea_verify_cmw(atea_verifier *v, const uint8_t *cmw_bytes, size_t len,
                         const atea_binding *expected, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    atea_cmw *cmw = NULL;
    atea_dispatch d;
    ATEA_ENSURE(v != NULL && out != NULL && (cmw_bytes != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    dispatch_init(v, expected, out, &d);
    err = atea_cmw_decode(cmw_bytes, len, NULL, &cmw);
    if (err != ATEA_OK) {
        /* Malformed CMW: recorded like any failure, so the appraisal explains the refusal. */
        ATEA_TRY(atea__dispatch_failed(&d, "CMW", err));
    } else {
        ATEA_TRY(atea__dispatch_cmw(&d, cmw, 0));
    }
    ATEA_TRY(finish(&d));
out:
    atea_cmw_free(cmw);
    return err;
}

/* What raw evidence is, from its first bytes (evidence-formats.md §1.1, §2.1, §3.1, §4). */
static atea_cmw_mt sniff(const uint8_t *data, size_t len)
{
    static const uint8_t tdx_v4[8] = {0x04, 0x00, 0x02, 0x00, 0x81, 0x00, 0x00, 0x00};
    static const uint8_t tdx_v5[8] = {0x05, 0x00, 0x02, 0x00, 0x81, 0x00, 0x00, 0x00};
    static const uint8_t cca_399[3] = {0xd9, 0x01, 0x8f};
    static const uint8_t cca_907[3] = {0xd9, 0x03, 0x8b};
    atea_rd rd;
    const uint8_t *head = NULL;
    uint32_t version = 0;
    atea_rd_init(&rd, data, len);
    if (atea_rd_bytes(&rd, 8, &head) == ATEA_OK &&
        (memcmp(head, tdx_v4, 8) == 0 || memcmp(head, tdx_v5, 8) == 0)) {
        return ATEA_CMW_MT_TDX_QUOTE;
    }
    atea_rd_init(&rd, data, len);
    if (len == ATEA_SNP_REPORT_SIZE && atea_rd_u32le(&rd, &version) == ATEA_OK && version >= 2 &&
        version <= 5) {
        return ATEA_CMW_MT_SNP_REPORT;
    }
    atea_rd_init(&rd, data, len);
    if (atea_rd_bytes(&rd, 3, &head) == ATEA_OK &&
        (memcmp(head, cca_399, 3) == 0 || memcmp(head, cca_907, 3) == 0)) {
        return ATEA_CMW_MT_CCA_TOKEN;
    }
    atea_rd_init(&rd, data, len);
    if (atea_rd_bytes(&rd, 2, &head) == ATEA_OK && head[0] == 0xd2 && head[1] == 0x84) {
        return ATEA_CMW_MT_SIM_EVIDENCE; /* COSE_Sign1 (tag 18) of 4 elements */
    }
    return ATEA_CMW_MT_UNKNOWN;
}

atea_err atea_verify_raw(atea_verifier *v, const uint8_t *evidence, size_t len,
                         const atea_binding *expected, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    atea_dispatch d;
    ATEA_ENSURE(v != NULL && out != NULL && (evidence != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    atea_cmw_mt mt = sniff(evidence, len);
    if (mt == ATEA_CMW_MT_UNKNOWN && atea_cmw_demux(evidence, len) != ATEA_CMW_FORM_UNKNOWN) {
        ATEA_TRY(atea_verify_cmw(v, evidence, len, expected, out));
        goto out;
    }
    dispatch_init(v, expected, out, &d);
    ATEA_TRY(atea__dispatch_bytes(&d, mt, "raw evidence", evidence, len, NULL));
    ATEA_TRY(finish(&d));
out:
    return err;
}
