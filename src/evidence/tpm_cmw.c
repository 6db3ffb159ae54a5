/*
 * The TPM quote as a CMW collection (RFC 9999 §3.3, profile.md §5): one CBOR record per part,
 * each [media-type, bytes, indicator]. This file is the only place that knows the wrapping.
 */
#include <string.h>

#include "core/cbor.h"
#include "core/check.h"
#include "core/wr.h"
#include "evidence/tpm_internal.h"

/* RFC 9999 §3.1: CMW indicator bit 2 = Evidence (value 4). */
#define TPM_CMW_IND_EVIDENCE 4
#define TPM_CMW_MAX (ATEA_TPM_MAX_ATTEST + ATEA_TPM_MAX_SIGNATURE + ATEA_TPM_MAX_PCRS +          \
                     ATEA_TPM_MAX_AK_SPKI + 512)

static atea_err tpm_cmw_record(atea_wr *wr, const char *label, const char *media_type,
                               const atea_buf *value, int evidence)
{
    atea_err err = ATEA_OK;

    ATEA_TRY(atea_cbor_wr_tstr_z(wr, label));
    ATEA_TRY(atea_cbor_wr_array(wr, evidence ? 3 : 2));
    ATEA_TRY(atea_cbor_wr_tstr_z(wr, media_type));
    ATEA_TRY(atea_cbor_wr_bstr(wr, value->data, value->len));
    if (evidence) {
        ATEA_TRY(atea_cbor_wr_uint(wr, TPM_CMW_IND_EVIDENCE));
    }
out:
    return err;
}

atea_err atea_tpm_quote_to_cmw(const atea_tpm_quote *quote, atea_buf *cmw)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};

    ATEA_ENSURE(quote != NULL && cmw != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_wr_init_growable(&wr, 1024, TPM_CMW_MAX));
    ATEA_TRY(atea_cbor_wr_map(&wr, 5));
    ATEA_TRY(atea_cbor_wr_tstr_z(&wr, "__cmwc_t"));
    ATEA_TRY(atea_cbor_wr_tstr_z(&wr, ATEA_TPM_CMW_TYPE));
    ATEA_TRY(tpm_cmw_record(&wr, ATEA_TPM_LABEL_ATTEST, ATEA_TPM_MT_ATTEST, &quote->attest, 1));
    ATEA_TRY(tpm_cmw_record(&wr, ATEA_TPM_LABEL_SIGNATURE, ATEA_TPM_MT_SIGNATURE,
                            &quote->signature, 1));
    ATEA_TRY(tpm_cmw_record(&wr, ATEA_TPM_LABEL_PCRS, ATEA_TPM_MT_PCRS, &quote->pcrs, 1));
    ATEA_TRY(tpm_cmw_record(&wr, ATEA_TPM_LABEL_AK, ATEA_TPM_MT_AK_SPKI, &quote->ak_spki, 0));
    ATEA_TRY(atea_wr_take(&wr, cmw));
out:
    atea_wr_dispose(&wr);
    return err;
}
