/*
 * The TDX verifier (include/atea/tdx.h): evidence-formats.md §2.5 A steps 1-7 on a parsed quote,
 * then the collateral (tdx_appraise.c). Every check leaves a reason in the appraisal; a hard
 * failure is recorded as CONTRAINDICATED with its detail and returned.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "atea/errors_verify.h"
#include "core/check.h"
#include "verify/tdx_verify.h"

/* Intel's TD quoting enclave (evidence-formats.md §2.5 A.6; Intel's TD_QE identity). */
static const uint8_t TD_QE_MRSIGNER[32] = {
    0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34, 0xa7, 0xfc, 0x43, 0xed, 0x03,
    0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba, 0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5};
#define TD_QE_ISVPRODID 2

atea_err atea__tdx_reason(tdx_verify_ctx *v, atea_ear_status tier, atea_err code, const char *fmt,
                          ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return atea_appraisal_add_reason(v->out, TDX_SUBMOD, tier, code, "%s", msg);
}

typedef struct body_claim {
    const char *name;
    size_t off;
    size_t len;
} body_claim;

#define BODY_FIELD(name, field)                                                                    \
    {                                                                                              \
        name, offsetof(atea_tdx_td_body, field), sizeof(((atea_tdx_td_body *)0)->field)            \
    }

static const body_claim BODY_CLAIMS[] = {
    BODY_FIELD("mrtd", mrtd),
    {"rtmr0", offsetof(atea_tdx_td_body, rtmr) + 0 * ATEA_TDX_MR_LEN, ATEA_TDX_MR_LEN},
    {"rtmr1", offsetof(atea_tdx_td_body, rtmr) + 1 * ATEA_TDX_MR_LEN, ATEA_TDX_MR_LEN},
    {"rtmr2", offsetof(atea_tdx_td_body, rtmr) + 2 * ATEA_TDX_MR_LEN, ATEA_TDX_MR_LEN},
    {"rtmr3", offsetof(atea_tdx_td_body, rtmr) + 3 * ATEA_TDX_MR_LEN, ATEA_TDX_MR_LEN},
    BODY_FIELD("mrconfigid", mrconfigid),
    BODY_FIELD("mrowner", mrowner),
    BODY_FIELD("mrownerconfig", mrownerconfig),
    BODY_FIELD("mrseam", mrseam),
    BODY_FIELD("mrsignerseam", mrsignerseam),
    BODY_FIELD("td_attributes", td_attributes),
    BODY_FIELD("xfam", xfam),
    BODY_FIELD("tee_tcb_svn", tee_tcb_svn),
    BODY_FIELD("report_data", report_data),
};

static const body_claim BODY_CLAIMS_TDX15[] = {
    BODY_FIELD("tee_tcb_svn2", tee_tcb_svn2),
    BODY_FIELD("mrservicetd", mrservicetd),
};

static atea_err add_body_claims(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    const uint8_t *body = (const uint8_t *)&q->body;
    ATEA_TRY(atea_appraisal_claim_int(v->out, TDX_SUBMOD, "version", q->version));
    ATEA_TRY(atea_appraisal_claim_int(v->out, TDX_SUBMOD, "body_type", q->body_type));
    for (size_t i = 0; i < ATEA_ARRAY_LEN(BODY_CLAIMS); i++) {
        ATEA_TRY(atea_appraisal_claim_bytes(v->out, TDX_SUBMOD, BODY_CLAIMS[i].name,
                                            body + BODY_CLAIMS[i].off, BODY_CLAIMS[i].len));
    }
    for (size_t i = 0; q->body.is_tdx15 && i < ATEA_ARRAY_LEN(BODY_CLAIMS_TDX15); i++) {
        ATEA_TRY(atea_appraisal_claim_bytes(v->out, TDX_SUBMOD, BODY_CLAIMS_TDX15[i].name,
                                            body + BODY_CLAIMS_TDX15[i].off,
                                            BODY_CLAIMS_TDX15[i].len));
    }
    /* TEE_TCB_SVN[0] = TDX module SVN, [1] = its major version: integers for minimum_values */
    ATEA_TRY(atea_appraisal_claim_int(v->out, TDX_SUBMOD, "tee_tcb_svn_0", q->body.tee_tcb_svn[0]));
    ATEA_TRY(atea_appraisal_claim_int(v->out, TDX_SUBMOD, "tee_tcb_svn_1", q->body.tee_tcb_svn[1]));
    /* TDATTRIBUTES bit 0 = DEBUG (Intel TDX module ABI, TD attributes). */
    ATEA_TRY(atea_appraisal_claim_bool(v->out, TDX_SUBMOD, "debug", q->body.td_attributes[0] & 1));
out:
    return err;
}

/* §2.5 A.3: the QE report is signed by the PCK key. The bytes last verified with this PCK
 * chain are kept in its cache entry: identical bytes need no second verification. */
static atea_err check_qe_signature(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    int valid = 0;
    uint8_t *seen = v->pck->qe_report_and_sig;
    if (v->pck->qe_verified && memcmp(seen, q->qe_report_raw.data, 384) == 0 &&
        memcmp(seen + 384, q->qe_report_signature, 64) == 0) {
        goto out;
    }
    v->pck->qe_verified = 0;
    ATEA_TRY(atea__tdx_p256_verify(v->pck->leaf_key, q->qe_report_signature, q->qe_report_raw.data,
                                   q->qe_report_raw.len, &valid));
    ATEA_ENSURE_MSG(valid && q->qe_report_raw.len == 384, ATEA_ERR_TDX_QE_REPORT_SIGNATURE,
                    "the QE report signature does not verify with the PCK certificate's key");
    memcpy(seen, q->qe_report_raw.data, 384);
    memcpy(seen + 384, q->qe_report_signature, 64);
    v->pck->qe_verified = 1;
out:
    return err;
}

/* The attestation key as an EVP_PKEY, decoded once per key (kept in the PCK cache entry). */
static atea_err attestation_key(tdx_verify_ctx *v, const atea_tdx_quote *q, EVP_PKEY **ak)
{
    atea_err err = ATEA_OK;
    tdx_pck_cache_entry *e = v->pck;
    if (e->ak == NULL || memcmp(e->ak_raw, q->attestation_key, sizeof(e->ak_raw)) != 0) {
        EVP_PKEY_free(e->ak);
        e->ak = NULL;
        ATEA_TRY(atea__tdx_p256_key(q->attestation_key, &e->ak));
        memcpy(e->ak_raw, q->attestation_key, sizeof(e->ak_raw));
    }
    *ak = e->ak;
out:
    return err;
}

/* §2.5 A.6: without QE identity collateral, at least Intel's TD QE is pinned. */
atea_err atea__tdx_qe_pinned(const atea_tdx_qe_report *qe)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(memcmp(qe->mrsigner, TD_QE_MRSIGNER, sizeof(TD_QE_MRSIGNER)) == 0 &&
                        qe->isvprodid == TD_QE_ISVPRODID,
                    ATEA_ERR_TDX_QE_IDENTITY,
                    "QE MRSIGNER %02x%02x%02x%02x.. ISVPRODID %u is not Intel's TD QE "
                    "(dc9e2a7c.., 2)",
                    qe->mrsigner[0], qe->mrsigner[1], qe->mrsigner[2], qe->mrsigner[3],
                    qe->isvprodid);
out:
    return err;
}

/* §2.5 A.3, A.4, A.6: the QE report is signed by the PCK key, commits to the attestation key
 * and QE auth data, and comes from Intel's TD QE. */
static atea_err check_qe(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    uint8_t expect[64] = {0};
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    const atea_tdx_qe_report *qe = &q->qe_report;
    ATEA_ENSURE_ALLOC(md);
    ATEA_TRY(check_qe_signature(v, q));
    ATEA_ENSURE(EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
                    EVP_DigestUpdate(md, q->attestation_key, sizeof(q->attestation_key)) == 1 &&
                    EVP_DigestUpdate(md, q->qe_auth_data.data, q->qe_auth_data.len) == 1 &&
                    EVP_DigestFinal_ex(md, expect, NULL) == 1,
                ATEA_ERR_INTERNAL);
    ATEA_ENSURE_MSG(atea_ct_equal(expect, qe->report_data, sizeof(expect)), ATEA_ERR_TDX_QE_BINDING,
                    "QE REPORTDATA is not SHA-256(attestation key || %zu bytes of QE auth data) "
                    "|| 32 zero bytes",
                    q->qe_auth_data.len);
    ATEA_TRY(atea__tdx_qe_pinned(qe));
    ATEA_TRY(atea_appraisal_claim_bytes(v->out, TDX_SUBMOD, "qe_mrsigner", qe->mrsigner,
                                        sizeof(qe->mrsigner)));
    ATEA_TRY(atea_appraisal_claim_int(v->out, TDX_SUBMOD, "qe_isvsvn", qe->isvsvn));
    ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_AFFIRMING, ATEA_OK,
                              "QE report signed by the PCK key, bound to the attestation key, "
                              "from Intel's TD QE (ISVSVN %u)",
                              qe->isvsvn));
out:
    EVP_MD_CTX_free(md);
    return err;
}

/* §2.5 A.5: the attestation key signs header || body exactly as they appear in the quote. */
static atea_err check_quote_signature(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    EVP_PKEY *ak = NULL;
    int valid = 0;
    ATEA_TRY(attestation_key(v, q, &ak));
    ATEA_TRY(atea__tdx_p256_verify(ak, q->signature, q->signed_region.data, q->signed_region.len,
                                   &valid));
    ATEA_ENSURE_MSG(valid, ATEA_ERR_TDX_QUOTE_SIGNATURE,
                    "the quote signature over bytes 0..%zu does not verify with the attestation "
                    "key",
                    q->signed_region.len - 1);
    ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_AFFIRMING, ATEA_OK,
                              "quote signature verified (%zu signed bytes)", q->signed_region.len));
out:
    return err;
}

/* §2.5 A.7: REPORTDATA must carry this connection's binder (profile.md §3). */
static atea_err check_report_data(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    if (v->env->expected_report_data == NULL) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_BINDING_MISSING,
                                  "no expected REPORTDATA was given: the quote is not shown to "
                                  "belong to this connection"));
        goto out;
    }
    ATEA_ENSURE_MSG(
        atea_ct_equal(q->body.report_data, v->env->expected_report_data, ATEA_TDX_REPORT_DATA_LEN),
        ATEA_ERR_TDX_REPORT_DATA,
        "REPORTDATA does not match the binder for this connection (quote has "
        "%02x%02x%02x%02x..)",
        q->body.report_data[0], q->body.report_data[1], q->body.report_data[2],
        q->body.report_data[3]);
    ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_AFFIRMING, ATEA_OK,
                              "REPORTDATA matches the binder for this connection"));
out:
    return err;
}

/* A debug TD or non-zero SEAM attributes: reported, the policy decides. */
atea_err atea__tdx_check_attributes(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    static const uint8_t zero[8] = {0};
    if (q->body.td_attributes[0] & 1) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_TD_ATTRIBUTES,
                                  "the TD runs in debug mode (TDATTRIBUTES.DEBUG = 1): its memory "
                                  "and registers are readable by the host"));
    }
    if (memcmp(q->body.seam_attributes, zero, sizeof(zero)) != 0) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_TD_ATTRIBUTES,
                                  "SEAMATTRIBUTES are not zero (a debug TDX module?)"));
    }
out:
    return err;
}

static atea_err verify_steps(tdx_verify_ctx *v, const uint8_t *quote, size_t len)
{
    atea_err err = ATEA_OK;
    atea_tdx_quote q;
    ATEA_TRY(atea_tdx_quote_parse(quote, len, &q));
    ATEA_TRY(add_body_claims(v, &q));
    if (q.trailing_len > 0) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_AFFIRMING, ATEA_OK,
                                  "%zu unsigned bytes after the signature data were ignored",
                                  q.trailing_len));
    }
    ATEA_TRY(atea__tdx_pck_chain(v, &q));
    ATEA_TRY(atea_appraisal_claim_bytes(v->out, TDX_SUBMOD, "fmspc", v->pck->info.fmspc,
                                        sizeof(v->pck->info.fmspc)));
    ATEA_TRY(atea_appraisal_claim_int(v->out, TDX_SUBMOD, "pce_svn", v->pck->info.pcesvn));
    ATEA_TRY(check_qe(v, &q));
    ATEA_TRY(check_quote_signature(v, &q));
    ATEA_TRY(check_report_data(v, &q));
    ATEA_TRY(atea__tdx_check_attributes(v, &q));
    ATEA_TRY(atea__tdx_appraise_collateral(v, &q));
out:
    return err;
}

/* Record a hard failure as a CONTRAINDICATED reason. The failure is what the caller needs: a
 * failure to record it is secondary, and recording may replace the thread's failure detail, so
 * the detail is put back. */
void atea__tdx_record_failure(atea_appraisal *out, atea_err failure, const char *prefix,
                              const char *tvector_category)
{
    char detail[sizeof(atea_err_last()->detail)];
    snprintf(detail, sizeof(detail), "%s", atea_err_detail(failure));
    atea_err recorded = atea_appraisal_add_reason(out, TDX_SUBMOD, ATEA_EAR_CONTRAINDICATED,
                                                  failure, "%s%s", prefix, detail);
    if (recorded == ATEA_OK && tvector_category != NULL) {
        recorded =
            atea_appraisal_tvector(out, TDX_SUBMOD, tvector_category, ATEA_EAR_CONTRAINDICATED);
    }
    (void)recorded;
    (void)atea__err_set(failure, __FILE__, __LINE__, "%s", detail);
}

/* Run the checks on a declared submodule; a failure becomes a CONTRAINDICATED reason. */
static atea_err verify_declared(tdx_verify_ctx *v, const uint8_t *quote, size_t len)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(verify_steps(v, quote, len));
out:
    if (err != ATEA_OK) {
        atea__tdx_record_failure(v->out, err, "", "hardware");
    }
    atea__tdx_pck_entry_clear(&v->local_pck);
    return err;
}

atea_err atea_tdx_verify_with(const atea_verify_env *env, atea_tdx_collateral *coll,
                              const uint8_t *quote, size_t len, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    tdx_verify_ctx v;
    ATEA_ENSURE(env != NULL && quote != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    memset(&v, 0, sizeof(v));
    v.env = env;
    v.coll = coll;
    v.out = out;
    ATEA_TRY(atea_appraisal_add_submod(out, TDX_SUBMOD, "intel-tdx"));
    ATEA_TRY(verify_declared(&v, quote, len));
out:
    return err;
}

/* Collateral from env->collateral_dir into *pcoll (NULL when there is none to use). A JSON
 * document without its signing chain means "no usable collateral" (WARNING); anything else
 * wrong with the directory is a hard failure recorded in the appraisal. */
static atea_err load_env_collateral(tdx_verify_ctx *v, atea_tdx_collateral **pcoll)
{
    atea_err err = ATEA_OK;
    atea_tdx_collateral *coll = NULL;
    *pcoll = NULL;
    if (v->env->collateral_dir == NULL) {
        goto out;
    }
    ATEA_TRY(atea_tdx_collateral_new(&coll));
    atea_err loaded = atea_tdx_collateral_load_dir(coll, v->env->collateral_dir, NULL);
    if (loaded == ATEA_ERR_TDX_COLLATERAL_MISSING) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, loaded, "%s", atea_err_detail(loaded)));
        goto out;
    }
    if (loaded != ATEA_OK) {
        /* the detail lives in the buffer ATEA_FAIL writes: copy it first */
        char detail[sizeof(atea_err_last()->detail)];
        snprintf(detail, sizeof(detail), "%s", atea_err_detail(loaded));
        atea__tdx_record_failure(v->out, loaded, "collateral directory: ", NULL);
        ATEA_FAIL(loaded, "collateral in %s: %s", v->env->collateral_dir, detail);
    }
    *pcoll = coll;
    coll = NULL;
out:
    atea_tdx_collateral_free(coll);
    return err;
}

atea_err atea_tdx_verify(const atea_verify_env *env, const uint8_t *quote, size_t len,
                         atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    tdx_verify_ctx v;
    ATEA_ENSURE(env != NULL && quote != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    memset(&v, 0, sizeof(v));
    v.env = env;
    v.out = out;
    ATEA_TRY(atea_appraisal_add_submod(out, TDX_SUBMOD, "intel-tdx"));
    ATEA_TRY(load_env_collateral(&v, &v.coll));
    ATEA_TRY(verify_declared(&v, quote, len));
out:
    atea_tdx_collateral_free(v.coll);
    return err;
}
