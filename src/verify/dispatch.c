/*
 * From a CMW tree to platform verifiers (profile.md §5, docs/POLICY.md "Evidence types").
 * One table maps atea's media types to verifiers; collections are either a platform's own
 * (SNP report + certificate table, TPM quote parts) or composite evidence whose entries are
 * dispatched one by one. Anything else is refused with a reason that names its type.
 */
#include <stdio.h>
#include <string.h>

#include "atea/cca.h"
#include "atea/ear.h"
#include "atea/sim.h"
#include "atea/snp.h"
#include "atea/tdx.h"
#include "atea/tpm.h"
#include "atea/tsm.h"
#include "core/check.h"
#include "verify/dispatch.h"

typedef atea_err (*platform_fn)(atea_dispatch *d, const uint8_t *data, size_t len,
                                const atea_cmw *collection);

atea_err atea__dispatch_failed(atea_dispatch *d, const char *what, atea_err failure)
{
    atea_err err = ATEA_OK;
    char detail[sizeof(d->first_failure_detail)];
    (void)snprintf(detail, sizeof(detail), "%s%s%s", what != NULL ? what : "",
                   what != NULL ? ": " : "", atea_err_detail(failure));
    if (d->first_failure == ATEA_OK) {
        d->first_failure = failure;
        memcpy(d->first_failure_detail, detail, sizeof(detail));
    }
    atea_logf(&d->log, ATEA_LOG_INFO, "verify: %s (%s)", detail, atea_err_name(failure));
    if (!atea_appraisal_has_reason(d->out, failure)) {
        ATEA_TRY(atea_appraisal_add_reason(d->out, NULL, ATEA_EAR_CONTRAINDICATED, failure, "%s",
                                           detail));
    }
out:
    return err;
}

/* The verifier's collateral, loaded once (include/atea/verify.h). A directory that does not load
 * cleanly is not kept: *pcoll = NULL and atea_tdx_verify reads it again and reports why, on this
 * and every later call, until it is fixed. Without a directory the slot holds an empty object,
 * which appraises like no collateral and still caches verified PCK chains. */
static atea_err tdx_collateral(atea_dispatch *d, atea_tdx_collateral **pcoll)
{
    atea_err err = ATEA_OK;
    atea_tdx_collateral *coll = NULL;
    *pcoll = NULL;
    if (d->tdx_collateral == NULL || *d->tdx_collateral != NULL) {
        *pcoll = d->tdx_collateral != NULL ? *d->tdx_collateral : NULL;
        goto out;
    }
    ATEA_TRY(atea_tdx_collateral_new(&coll));
    if (d->env.collateral_dir != NULL) {
        atea_err loaded = atea_tdx_collateral_load_dir(coll, d->env.collateral_dir, NULL);
        if (loaded != ATEA_OK) {
            atea_logf(&d->log, ATEA_LOG_WARN, "verify: TDX collateral in %s not cached: %s (%s)",
                      d->env.collateral_dir, atea_err_detail(loaded), atea_err_name(loaded));
            goto out;
        }
    }
    *d->tdx_collateral = coll;
    *pcoll = coll;
    coll = NULL;
out:
    atea_tdx_collateral_free(coll);
    return err;
}

/* A platform's own collection (TDX quote and log, SNP report and certificates, TPM quote parts)
 * holds only the entries that platform defines: anything else would ride along unappraised, so
 * it is refused. NULL (a bare record) has no entries. */
static atea_err only_parts(const atea_cmw *collection, const char *platform,
                           const char *const *labels, size_t n)
{
    atea_err err = ATEA_OK;
    char names[96] = "";
    for (size_t k = 0; k < n; k++) {
        size_t used = strlen(names);
        (void)snprintf(names + used, sizeof(names) - used, "%s\"%s\"", k > 0 ? ", " : "",
                       labels[k]);
    }
    for (size_t i = 0; collection != NULL && i < collection->n_entries; i++) {
        const atea_cmw_label *l = &collection->entries[i].label;
        size_t k = 0;
        while (l->is_text && k < n && strcmp(l->text, labels[k]) != 0) {
            k++;
        }
        ATEA_ENSURE_MSG(l->is_text && k < n, ATEA_ERR_EVIDENCE_TYPE_UNKNOWN,
                        "entry %zu (\"%.64s\") of the %s collection is not one of its parts (%s)",
                        i, l->is_text ? l->text : "an integer label", platform, names);
    }
out:
    return err;
}

/* The event log that came with the quote, if the collection has one. */
static atea_err tdx_eventlog_of(const atea_cmw *collection, const atea_cmw **plog)
{
    atea_err err = ATEA_OK;
    static const char *const parts[] = {ATEA_TSM_TDX_LABEL_QUOTE, ATEA_TSM_TDX_LABEL_EVENTLOG};
    const atea_cmw *entry = NULL;
    *plog = NULL;
    ATEA_TRY(only_parts(collection, "TDX", parts, ATEA_ARRAY_LEN(parts)));
    if (collection == NULL) {
        goto out;
    }
    entry = atea_cmw_find(collection, ATEA_TSM_TDX_LABEL_EVENTLOG);
    if (entry == NULL) {
        goto out;
    }
    ATEA_ENSURE_MSG(
        entry->kind == ATEA_CMW_RECORD && entry->media_type != NULL &&
            atea_cmw_media_type_lookup(entry->media_type, strlen(entry->media_type)) ==
                ATEA_CMW_MT_TCG2_EVENTLOG,
        ATEA_ERR_EVIDENCE_TYPE_UNKNOWN, "entry \"%s\" of the TDX collection is not a %s record",
        ATEA_TSM_TDX_LABEL_EVENTLOG, atea_cmw_media_type_name(ATEA_CMW_MT_TCG2_EVENTLOG));
    *plog = entry;
out:
    return err;
}

/* Replay the log against the RTMRs of the quote just verified (evidence-formats.md §2.5 A.7):
 * eventlog_* claims and an AFFIRMING reason, or the failure as a CONTRAINDICATED one. */
static atea_err replay_eventlog(atea_dispatch *d, const uint8_t *quote, size_t len,
                                const atea_cmw *log)
{
    atea_err err = ATEA_OK;
    atea_tdx_quote q;
    ATEA_TRY(atea_tdx_quote_parse(quote, len, &q));
    ATEA_TRY(atea_tdx_eventlog_replay(log->value.data, log->value.len,
                                      (const uint8_t(*)[ATEA_TDX_MR_LEN])q.body.rtmr, NULL,
                                      d->out));
out:
    return err;
}

static atea_err verify_tdx(atea_dispatch *d, const uint8_t *data, size_t len,
                           const atea_cmw *collection)
{
    atea_err err = ATEA_OK;
    atea_tdx_collateral *coll = NULL;
    const atea_cmw *log = NULL;
    ATEA_TRY(tdx_eventlog_of(collection, &log));
    ATEA_TRY(tdx_collateral(d, &coll));
    if (coll != NULL) {
        ATEA_TRY(atea_tdx_verify_with(&d->env, coll, data, len, d->out));
    } else {
        ATEA_TRY(atea_tdx_verify(&d->env, data, len, d->out));
    }
    if (log != NULL) {
        ATEA_TRY(replay_eventlog(d, data, len, log));
    }
out:
    return err;
}

/* A log alone proves nothing: it is only checked against the RTMRs of a verified quote. */
static atea_err verify_orphan_eventlog(atea_dispatch *d, const uint8_t *data, size_t len,
                                       const atea_cmw *collection)
{
    atea_err err = ATEA_OK;
    (void)d;
    (void)data;
    (void)collection;
    ATEA_FAIL(ATEA_ERR_EVENTLOG_WITHOUT_QUOTE,
              "an event log of %zu bytes without a TDX quote under \"%s\" in its collection", len,
              ATEA_TSM_TDX_LABEL_QUOTE);
out:
    return err;
}

/* The certificate table that came with the report, if the collection has one. */
static atea_err snp_certs_of(const atea_cmw *collection, atea_snp_certs *certs, int *have)
{
    atea_err err = ATEA_OK;
    static const char *const parts[] = {ATEA_TSM_SNP_LABEL_REPORT, ATEA_TSM_SNP_LABEL_CERTS};
    const atea_cmw *entry = NULL;
    *have = 0;
    ATEA_TRY(only_parts(collection, "SEV-SNP", parts, ATEA_ARRAY_LEN(parts)));
    if (collection != NULL) {
        entry = atea_cmw_find(collection, ATEA_TSM_SNP_LABEL_CERTS);
    }
    if (entry == NULL) {
        goto out;
    }
    ATEA_ENSURE_MSG(entry->kind == ATEA_CMW_RECORD && entry->media_type != NULL &&
                        strcmp(entry->media_type, ATEA_TSM_SNP_MT_CERTS) == 0,
                    ATEA_ERR_EVIDENCE_TYPE_UNKNOWN,
                    "entry \"%s\" of the SNP collection is not a %s record",
                    ATEA_TSM_SNP_LABEL_CERTS, ATEA_TSM_SNP_MT_CERTS);
    ATEA_TRY(atea_snp_cert_table_parse(entry->value.data, entry->value.len, certs));
    *have = 1;
out:
    return err;
}

static atea_err verify_snp(atea_dispatch *d, const uint8_t *data, size_t len,
                           const atea_cmw *collection)
{
    atea_err err = ATEA_OK;
    atea_snp_certs certs;
    int have = 0;
    memset(&certs, 0, sizeof(certs));
    ATEA_TRY(snp_certs_of(collection, &certs, &have));
    ATEA_TRY(atea_snp_verify(&d->env, data, len, have ? &certs : NULL, d->out));
out:
    return err;
}

static atea_err verify_cca(atea_dispatch *d, const uint8_t *data, size_t len,
                           const atea_cmw *collection)
{
    (void)collection;
    return atea_cca_verify(&d->env, data, len, d->out);
}

/* A TPM quote is four parts in one collection (include/atea/tpm.h); the AKs come from the
 * policy. */
static atea_err verify_tpm(atea_dispatch *d, const uint8_t *data, size_t len,
                           const atea_cmw *collection)
{
    atea_err err = ATEA_OK;
    static const char *const parts[] = {ATEA_TPM_LABEL_ATTEST, ATEA_TPM_LABEL_SIGNATURE,
                                        ATEA_TPM_LABEL_PCRS, ATEA_TPM_LABEL_AK};
    atea_tpm_evidence ev;
    atea_tpm_trust trust = {0};
    (void)data;
    (void)len;
    ATEA_ENSURE_MSG(collection != NULL, ATEA_ERR_TPM_MISSING_PART,
                    "a TPM quote record outside its collection (quote, sig, pcrs, ak)");
    ATEA_TRY(only_parts(collection, "TPM", parts, ATEA_ARRAY_LEN(parts)));
    ATEA_TRY(atea_tpm_evidence_from_cmw(collection, &ev));
    trust.ak_sha256 = atea_policy_tpm_ak_sha256(d->policy, &trust.count);
    ATEA_TRY(atea_tpm_verify(&d->env, &trust, &ev, d->out));
out:
    return err;
}

/* Sim evidence is refused before parsing unless the verifier was told to allow it: a relying
 * party must opt in twice (here and in the policy) to be fooled by a simulator. */
static atea_err verify_sim(atea_dispatch *d, const uint8_t *data, size_t len,
                           const atea_cmw *collection)
{
    atea_err err = ATEA_OK;
    (void)collection;
    ATEA_ENSURE_MSG(d->allow_sim, ATEA_ERR_SIM_NOT_ALLOWED,
                    "simulated-TEE evidence refused: this verifier does not allow the simulator "
                    "(--allow-sim / atea_verify_opts.allow_sim)");
    ATEA_TRY(
        atea__sim_verify_cached(&d->env, d->policy, d->expected, data, len, d->sim_cache, d->out));
out:
    return err;
}

/* The passport model: an EAT Attestation Result signed by a verifier the policy trusts
 * (include/atea/ear.h). Sim-backed EARs need no allow_sim: the relying party trusts the EAR
 * verifier's key, and the EAR says when it appraised a simulator. */
static atea_err verify_ear(atea_dispatch *d, const uint8_t *data, size_t len,
                           const atea_cmw *collection)
{
    atea_err err = ATEA_OK;
    atea_ear_trust trust;
    (void)collection;
    ATEA_TRY(atea_policy_ear_trust(d->policy, &trust));
    ATEA_TRY(atea_ear_verify(&d->env, &trust, d->expected, data, len, d->out));
out:
    return err;
}

static const struct {
    atea_cmw_mt mt;
    platform_fn fn;
} platforms[] = {
    {ATEA_CMW_MT_TDX_QUOTE, verify_tdx},    {ATEA_CMW_MT_SNP_REPORT, verify_snp},
    {ATEA_CMW_MT_CCA_TOKEN, verify_cca},    {ATEA_CMW_MT_TPM2_QUOTE, verify_tpm},
    {ATEA_CMW_MT_SIM_EVIDENCE, verify_sim}, {ATEA_CMW_MT_TCG2_EVENTLOG, verify_orphan_eventlog},
    {ATEA_CMW_MT_EAR_JWT, verify_ear},
};

static atea_err unknown_type(atea_dispatch *d, const char *type_name, const char *why)
{
    atea_err err = ATEA_OK;
    (void)atea__err_set(ATEA_ERR_EVIDENCE_TYPE_UNKNOWN, __FILE__, __LINE__,
                        "evidence of type '%.200s' %s (atea verifies TDX quotes, SNP reports, CCA "
                        "tokens, TPM quotes, sim evidence and EAR attestation results)",
                        type_name, why);
    ATEA_TRY(atea__dispatch_failed(d, NULL, ATEA_ERR_EVIDENCE_TYPE_UNKNOWN));
out:
    return err;
}

atea_err atea__dispatch_bytes(atea_dispatch *d, atea_cmw_mt mt, const char *type_name,
                              const uint8_t *data, size_t len, const atea_cmw *collection)
{
    atea_err err = ATEA_OK;
    for (size_t i = 0; i < ATEA_ARRAY_LEN(platforms); i++) {
        if (platforms[i].mt != mt) {
            continue;
        }
        d->appraised++;
        atea_err failure = platforms[i].fn(d, data, len, collection);
        if (failure != ATEA_OK) {
            ATEA_TRY(atea__dispatch_failed(d, atea_cmw_media_type_desc(mt), failure));
        }
        goto out;
    }
    ATEA_TRY(unknown_type(d, type_name, "is not one atea can verify"));
out:
    return err;
}

/* A collection that is one platform's evidence: its `label` entry is a record of type mt. */
static const atea_cmw *platform_entry(const atea_cmw *collection, const char *label, atea_cmw_mt mt)
{
    const atea_cmw *e = atea_cmw_find(collection, label);
    if (e == NULL || e->kind != ATEA_CMW_RECORD || e->media_type == NULL) {
        return NULL;
    }
    return atea_cmw_media_type_lookup(e->media_type, strlen(e->media_type)) == mt ? e : NULL;
}

static atea_err dispatch_collection(atea_dispatch *d, const atea_cmw *cmw, unsigned depth)
{
    atea_err err = ATEA_OK;
    const atea_cmw *tdx = platform_entry(cmw, ATEA_TSM_TDX_LABEL_QUOTE, ATEA_CMW_MT_TDX_QUOTE);
    if (tdx != NULL) {
        ATEA_TRY(atea__dispatch_bytes(d, ATEA_CMW_MT_TDX_QUOTE, tdx->media_type, tdx->value.data,
                                      tdx->value.len, cmw));
        goto out;
    }
    const atea_cmw *snp = platform_entry(cmw, ATEA_TSM_SNP_LABEL_REPORT, ATEA_CMW_MT_SNP_REPORT);
    if (snp != NULL) {
        ATEA_TRY(atea__dispatch_bytes(d, ATEA_CMW_MT_SNP_REPORT, snp->media_type, snp->value.data,
                                      snp->value.len, cmw));
        goto out;
    }
    const atea_cmw *tpm = platform_entry(cmw, ATEA_TPM_LABEL_ATTEST, ATEA_CMW_MT_TPM2_QUOTE);
    if (tpm != NULL) {
        ATEA_TRY(atea__dispatch_bytes(d, ATEA_CMW_MT_TPM2_QUOTE, tpm->media_type, tpm->value.data,
                                      tpm->value.len, cmw));
        goto out;
    }
    /* Composite evidence (specs.md §4.10): every entry is a piece of its own. */
    for (size_t i = 0; i < cmw->n_entries; i++) {
        ATEA_TRY(atea__dispatch_cmw(d, cmw->entries[i].cmw, depth + 1));
    }
out:
    return err;
}

atea_err atea__dispatch_cmw(atea_dispatch *d, const atea_cmw *cmw, unsigned depth)
{
    atea_err err = ATEA_OK;
    char name[48];
    ATEA_ENSURE(cmw != NULL && depth <= ATEA_CMW_MAX_DEPTH, ATEA_ERR_INVALID_ARG);
    switch (cmw->kind) {
    case ATEA_CMW_COLLECTION:
        ATEA_TRY(dispatch_collection(d, cmw, depth));
        break;
    case ATEA_CMW_RECORD:
        if (cmw->media_type == NULL) {
            (void)snprintf(name, sizeof(name), "Content-Format %u", cmw->content_format);
            ATEA_TRY(unknown_type(d, name, "is not one atea can verify"));
            break;
        }
        ATEA_TRY(atea__dispatch_bytes(
            d, atea_cmw_media_type_lookup(cmw->media_type, strlen(cmw->media_type)),
            cmw->media_type, cmw->value.data, cmw->value.len, NULL));
        break;
    case ATEA_CMW_TAG:
        (void)snprintf(name, sizeof(name), "CBOR tag %llu", (unsigned long long)cmw->tag);
        ATEA_TRY(unknown_type(d, name, "is not one atea can verify"));
        break;
    }
out:
    return err;
}
