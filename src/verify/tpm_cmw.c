/*
 * Reading the TPM quote collection (include/atea/tpm.h; written by src/evidence/tpm_cmw.c):
 * find the collection whose "quote" entry is an application/vnd.tcg.tpm2.quote record and take
 * its four parts. Entries with other labels are left alone (RFC 9999 collections are open: a
 * later atea may add an AK certificate or an event log).
 */
#include <string.h>

#include "atea/cmw.h"
#include "atea/tpm.h"
#include "core/check.h"
#include "verify/tpm_internal.h"

/* Labelled entry `label` of coll, which must be a record of media type `type`. */
static atea_err tpm_cmw_part(const atea_cmw *coll, const char *label, const char *type,
                             atea_slice *part)
{
    atea_err err = ATEA_OK;
    const atea_cmw *rec = atea_cmw_find(coll, label);

    ATEA_ENSURE_MSG(rec != NULL, ATEA_ERR_TPM_MISSING_PART,
                    "the TPM quote collection has no \"%s\" entry", label);
    ATEA_ENSURE_MSG(rec->kind == ATEA_CMW_RECORD && rec->media_type != NULL &&
                        strcmp(rec->media_type, type) == 0,
                    ATEA_ERR_TPM_MISSING_PART,
                    "entry \"%s\" of the TPM quote collection is not a %s record", label, type);
    part->data = rec->value.data;
    part->len = rec->value.len;
out:
    return err;
}

static int tpm_cmw_is_quote_collection(const atea_cmw *cmw)
{
    const atea_cmw *quote = NULL;
    if (cmw->kind != ATEA_CMW_COLLECTION) {
        return 0;
    }
    quote = atea_cmw_find(cmw, ATEA_TPM_LABEL_ATTEST);
    return quote != NULL && quote->kind == ATEA_CMW_RECORD && quote->media_type != NULL &&
           atea_cmw_media_type_lookup(quote->media_type, strlen(quote->media_type)) ==
               ATEA_CMW_MT_TPM2_QUOTE;
}

/* Depth-first search; the decoder already bounds the depth (ATEA_CMW_MAX_DEPTH). */
static const atea_cmw *tpm_cmw_find_collection(const atea_cmw *cmw)
{
    if (tpm_cmw_is_quote_collection(cmw)) {
        return cmw;
    }
    for (size_t i = 0; cmw->kind == ATEA_CMW_COLLECTION && i < cmw->n_entries; i++) {
        const atea_cmw *found = tpm_cmw_find_collection(cmw->entries[i].cmw);
        if (found != NULL) {
            return found;
        }
    }
    return NULL;
}

atea_err atea_tpm_evidence_from_cmw(const atea_cmw *cmw, atea_tpm_evidence *evidence)
{
    atea_err err = ATEA_OK;
    const atea_cmw *coll = NULL;

    ATEA_ENSURE(cmw != NULL && evidence != NULL, ATEA_ERR_INVALID_ARG);
    memset(evidence, 0, sizeof(*evidence));
    coll = tpm_cmw_find_collection(cmw);
    ATEA_ENSURE_MSG(coll != NULL, ATEA_ERR_TPM_MISSING_PART,
                    "no collection with a \"%s\" entry of type %s", ATEA_TPM_LABEL_ATTEST,
                    ATEA_TPM_CMW_TYPE);
    ATEA_TRY(tpm_cmw_part(coll, ATEA_TPM_LABEL_ATTEST, ATEA_TPM_CMW_TYPE, &evidence->attest));
    ATEA_TRY(
        tpm_cmw_part(coll, ATEA_TPM_LABEL_SIGNATURE, ATEA_TPM_MT_SIGNATURE, &evidence->signature));
    ATEA_TRY(tpm_cmw_part(coll, ATEA_TPM_LABEL_PCRS, ATEA_TPM_MT_PCRS, &evidence->pcrs));
    ATEA_TRY(tpm_cmw_part(coll, ATEA_TPM_LABEL_AK, ATEA_TPM_MT_AK_SPKI, &evidence->ak_spki));
out:
    return err;
}

static atea_err tpm_cmw_extract(const uint8_t *cmw, size_t len, atea_cmw **tree,
                                atea_tpm_evidence *evidence)
{
    atea_err err = ATEA_OK;

    ATEA_TRY(atea_cmw_decode(cmw, len, NULL, tree));
    ATEA_TRY(atea_tpm_evidence_from_cmw(*tree, evidence));
out:
    return err;
}

atea_err atea_tpm_verify_cmw(const atea_verify_env *env, const atea_tpm_trust *trust,
                             const uint8_t *cmw, size_t len, atea_appraisal *out)
{
    atea_err err = ATEA_OK;
    atea_cmw *tree = NULL;
    atea_tpm_evidence evidence;

    ATEA_ENSURE(env != NULL && cmw != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__tpm_recorded(out, tpm_cmw_extract(cmw, len, &tree, &evidence)));
    ATEA_TRY(atea_tpm_verify(env, trust, &evidence, out));
out:
    atea_cmw_free(tree);
    return err;
}
