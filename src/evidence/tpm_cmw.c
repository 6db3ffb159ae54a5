/*
 * The TPM quote as a CMW collection (RFC 9999 §3.3, profile.md §5): one record per part, the
 * TPMS_ATTEST under the type application/vnd.tcg.tpm2.quote so that a relying party finds the
 * evidence by its media type (atea_cmw_find_media_type). This file is the only place on the
 * attester side that knows the wrapping; src/verify/tpm_cmw.c is its reader.
 */
#include "atea/cmw.h"
#include "core/check.h"
#include "evidence/tpm_internal.h"

static atea_err tpm_cmw_add(atea_cmw *coll, const char *label, const char *media_type,
                            const atea_buf *value, uint32_t ind)
{
    atea_err err = ATEA_OK;
    atea_cmw *rec = NULL;

    ATEA_TRY(atea_cmw_new_record(media_type, value->data, value->len, ind, &rec));
    /* atea_cmw_add owns rec from here, on failure too. */
    ATEA_TRY(atea_cmw_add(coll, label, rec));
out:
    return err;
}

atea_err atea_tpm_quote_to_cmw(const atea_tpm_quote *quote, int json, atea_buf *cmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *coll = NULL;

    ATEA_ENSURE(quote != NULL && cmw != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_cmw_new_collection(NULL, &coll));
    ATEA_TRY(tpm_cmw_add(coll, ATEA_TPM_LABEL_ATTEST, ATEA_TPM_CMW_TYPE, &quote->attest,
                         ATEA_CMW_IND_EVIDENCE));
    ATEA_TRY(tpm_cmw_add(coll, ATEA_TPM_LABEL_SIGNATURE, ATEA_TPM_MT_SIGNATURE, &quote->signature,
                         ATEA_CMW_IND_EVIDENCE));
    ATEA_TRY(tpm_cmw_add(coll, ATEA_TPM_LABEL_PCRS, ATEA_TPM_MT_PCRS, &quote->pcrs,
                         ATEA_CMW_IND_EVIDENCE));
    ATEA_TRY(tpm_cmw_add(coll, ATEA_TPM_LABEL_AK, ATEA_TPM_MT_AK_SPKI, &quote->ak_spki, 0));
    if (json) {
        ATEA_TRY(atea_cmw_encode_json(coll, cmw));
    } else {
        ATEA_TRY(atea_cmw_encode_cbor(coll, cmw));
    }
out:
    atea_cmw_free(coll);
    return err;
}
