/*
 * Collateral appraisal for one verification (evidence-formats.md §2.5 B): validity windows at
 * env->now, the QE identity and its TCB level, the platform TCB level, the converged status and
 * advisories. Missing or stale collateral is a WARNING; the policy decides what it accepts.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/check.h"
#include "verify/tdx_verify.h"

/* "2026-02-10T00:00:00Z" */
static void iso_time(int64_t t, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        snprintf(out, 32, "%lld", (long long)t);
    }
}

static atea_err check_window(tdx_verify_ctx *v, const char *what, int64_t from, int64_t until)
{
    atea_err err = ATEA_OK;
    int64_t now = v->env->now;
    char f[32];
    char u[32];
    char n[32];
    if (now < from || now > until) {
        iso_time(from, f);
        iso_time(until, u);
        iso_time(now, n);
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_STALE,
                                  "%s is valid from %s to %s, not at %s: fetch current "
                                  "collateral from Intel PCS",
                                  what, f, u, n));
    }
out:
    return err;
}

static atea_err claim_status(tdx_verify_ctx *v, const char *name, const tdx_tcb_result *r)
{
    return atea_appraisal_claim_str(v->out, TDX_SUBMOD, name, atea__tdx_tcb_status_name(r->status));
}

static void join_advisories(const tdx_advisories *a, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < a->count && used + 1 < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? "," : "", a->ids[i]);
        used += n > 0 ? (size_t)n : 0;
    }
}

/* QE identity: masks, signer, product, then its TCB level. */
static atea_err appraise_qe(tdx_verify_ctx *v, const atea_tdx_quote *q, tdx_tcb_result *qe_res,
                            int *have_qe)
{
    atea_err err = ATEA_OK;
    const tdx_qe_identity *qe = &v->coll->qe_identity;
    *have_qe = 0;
    if (!v->coll->has_qe_identity) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_MISSING,
                                  "no QE identity: the QE was checked against the pinned TD QE "
                                  "signer only, its TCB level was not evaluated"));
        goto out;
    }
    ATEA_TRY(check_window(v, "the QE identity", qe->issue_date, qe->next_update));
    ATEA_TRY(atea__tdx_qe_evaluate(qe, &q->qe_report, qe_res));
    ATEA_TRY(claim_status(v, "qe_tcb_status", qe_res));
    *have_qe = 1;
out:
    return err;
}

/* The platform's status: AFFIRMING if UpToDate, hard failure if Revoked, else WARNING. */
static atea_err report_status(tdx_verify_ctx *v, const tdx_tcb_result *r, const char *adv)
{
    atea_err err = ATEA_OK;
    const char *name = atea__tdx_tcb_status_name(r->status);
    switch (r->status) {
    case TDX_TCB_UP_TO_DATE:
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_AFFIRMING, ATEA_OK, "TCB status UpToDate"));
        ATEA_TRY(atea_appraisal_tvector(v->out, TDX_SUBMOD, "hardware", ATEA_EAR_AFFIRMING));
        break;
    case TDX_TCB_REVOKED:
        ATEA_FAIL(ATEA_ERR_TDX_TCB_STATUS, "TCB status Revoked (advisories: %s)", adv);
    case TDX_TCB_SW_HARDENING_NEEDED:
    case TDX_TCB_CONFIGURATION_NEEDED:
    case TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED:
    case TDX_TCB_OUT_OF_DATE:
    case TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED:
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_TCB_STATUS,
                                  "TCB status %s (advisories: %s)", name, adv[0] ? adv : "none"));
        ATEA_TRY(atea_appraisal_tvector(v->out, TDX_SUBMOD, "hardware", ATEA_EAR_WARNING));
        break;
    }
out:
    return err;
}

static atea_err appraise_tcb(tdx_verify_ctx *v, const atea_tdx_quote *q,
                             const tdx_tcb_result *qe_res, int have_qe)
{
    atea_err err = ATEA_OK;
    const tdx_tcb_info *info = &v->coll->tcb_info;
    const tdx_pck_info *pck = &v->pck->info;
    tdx_tcb_result res;
    char adv[TDX_MAX_ADVISORIES * TDX_ADVISORY_ID_MAX * 2];
    if (!v->coll->has_tcb_info) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_MISSING,
                                  "no TCB info: the platform's TCB status was not evaluated"));
        goto out;
    }
    if (memcmp(info->fmspc, pck->fmspc, 6) != 0 || memcmp(info->pceid, pck->pceid, 2) != 0) {
        ATEA_TRY(atea__tdx_reason(
            v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_MISMATCH,
            "the TCB info is for FMSPC %02x%02x%02x%02x%02x%02x, this platform has "
            "%02x%02x%02x%02x%02x%02x: TCB status not evaluated",
            info->fmspc[0], info->fmspc[1], info->fmspc[2], info->fmspc[3], info->fmspc[4],
            info->fmspc[5], pck->fmspc[0], pck->fmspc[1], pck->fmspc[2], pck->fmspc[3],
            pck->fmspc[4], pck->fmspc[5]));
        goto out;
    }
    ATEA_TRY(check_window(v, "the TCB info", info->issue_date, info->next_update));
    ATEA_TRY(atea__tdx_tcb_evaluate(info, pck, &q->body, &res));
    if (have_qe) {
        res.status = atea__tdx_converge_qe(res.status, qe_res->status);
        atea__tdx_merge_advisories(&res.advisories, &qe_res->advisories);
    }
    join_advisories(&res.advisories, adv, sizeof(adv));
    ATEA_TRY(claim_status(v, "tcb_status", &res));
    ATEA_TRY(atea_appraisal_claim_str(v->out, TDX_SUBMOD, "advisory_ids", adv));
    ATEA_TRY(report_status(v, &res, adv));
out:
    return err;
}

atea_err atea__tdx_appraise_collateral(tdx_verify_ctx *v, const atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    tdx_tcb_result qe_res;
    int have_qe = 0;
    memset(&qe_res, 0, sizeof(qe_res));
    if (v->coll == NULL || (!v->coll->has_tcb_info && !v->coll->has_qe_identity)) {
        ATEA_TRY(atea__tdx_reason(v, ATEA_EAR_WARNING, ATEA_ERR_TDX_COLLATERAL_MISSING,
                                  "no TCB info or QE identity collateral: the TCB status was not "
                                  "evaluated (see docs/evidence/TDX.md)"));
        ATEA_TRY(atea_appraisal_tvector(v->out, TDX_SUBMOD, "hardware", ATEA_EAR_WARNING));
        goto out;
    }
    if (v->coll->signing_cert.present) {
        ATEA_TRY(check_window(v, "the Intel SGX TCB Signing certificate",
                              v->coll->signing_cert.from, v->coll->signing_cert.until));
    }
    ATEA_TRY(appraise_qe(v, q, &qe_res, &have_qe));
    ATEA_TRY(appraise_tcb(v, q, &qe_res, have_qe));
out:
    return err;
}
