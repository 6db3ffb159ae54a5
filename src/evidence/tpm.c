/*
 * TPM 2.0 attester through tpm2-tss ESYS (docs/evidence/TPM.md). The AK is a restricted signing
 * key in the endorsement hierarchy: TPM2_Quote with it can only sign TPM-generated structures
 * (TPM 2.0 Part 1 §25.2.2, "restricted signing keys"), so a verifier that trusts the AK trusts
 * the magic TPM_GENERATED_VALUE in what it signed.
 */
#include <stdlib.h>
#include <string.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "core/check.h"
#include "evidence/tpm_internal.h"

/* Quote, then read the PCRs; if an extend slipped in between, the values do not hash to the
 * quoted pcrDigest and we try again. */
#define TPM_QUOTE_ATTEMPTS 3

typedef struct tpm_attester {
    atea_attester base; /* first: atea_attester * and tpm_attester * convert */
    TSS2_TCTI_CONTEXT *tcti;
    ESYS_CONTEXT *esys;
    ESYS_TR ak;
    int ak_transient; /* 1: created here, flushed on free */
    TPML_PCR_SELECTION selection;
    int cmw_json;
    atea_buf ak_spki;
    atea_log log;
} tpm_attester;

/* One quote's TPM outputs (ESYS-allocated) and the PCR values read back. */
typedef struct tpm_quote_raw {
    TPM2B_ATTEST *quoted;
    TPMT_SIGNATURE *signature;
    TPMS_ATTEST attest;
    uint8_t values[ATEA_TPM_MAX_BANKS][TPM2_MAX_PCRS][ATEA_TPM_MAX_DIGEST];
} tpm_quote_raw;

static atea_err tpm_attest(atea_attester *self, const atea_binding *binding, atea_buf *cmw);
static void tpm_free(atea_attester *self);

#define TPM_CHECK_RC(rc, what)                                                                     \
    ATEA_ENSURE_MSG((rc) == TSS2_RC_SUCCESS, ATEA_ERR_TPM_COMMAND, "%s: %s (0x%x)", (what),        \
                    Tss2_RC_Decode(rc), (unsigned)(rc))

void atea_tpm_attester_opts_default(atea_tpm_attester_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->pcrs = ATEA_TPM_DEFAULT_PCRS;
    opts->ak_alg = ATEA_TPM_AK_ECC_P256;
}

/* The AK template (TCG EK Credential Profile §B.3 style attributes, restricted + sign). */
static atea_err tpm_ak_template(atea_tpm_ak_alg alg, TPM2B_PUBLIC *tmpl)
{
    atea_err err = ATEA_OK;
    TPMT_PUBLIC *p = &tmpl->publicArea;

    memset(tmpl, 0, sizeof(*tmpl));
    p->nameAlg = TPM2_ALG_SHA256;
    p->objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
                          TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH |
                          TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT;
    switch (alg) {
    case ATEA_TPM_AK_ECC_P256:
        p->type = TPM2_ALG_ECC;
        p->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
        p->parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
        p->parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
        p->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
        p->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
        break;
    case ATEA_TPM_AK_RSA_PSS:
    case ATEA_TPM_AK_RSA_SSA:
        p->type = TPM2_ALG_RSA;
        p->parameters.rsaDetail.symmetric.algorithm = TPM2_ALG_NULL;
        p->parameters.rsaDetail.scheme.scheme =
            alg == ATEA_TPM_AK_RSA_PSS ? TPM2_ALG_RSAPSS : TPM2_ALG_RSASSA;
        p->parameters.rsaDetail.scheme.details.anySig.hashAlg = TPM2_ALG_SHA256;
        p->parameters.rsaDetail.keyBits = 2048;
        break;
    default:
        ATEA_FAIL(ATEA_ERR_TPM_CONFIG, "unknown AK algorithm %d", (int)alg);
    }
out:
    return err;
}

static atea_err tpm_ak_create(tpm_attester *a, atea_tpm_ak_alg alg, TPM2B_PUBLIC **out_public)
{
    atea_err err = ATEA_OK;
    TPM2B_PUBLIC tmpl;
    TPM2B_SENSITIVE_CREATE sensitive = {0};
    TPM2B_DATA outside = {0};
    TPML_PCR_SELECTION creation_pcrs = {0};
    TPM2B_CREATION_DATA *creation_data = NULL;
    TPM2B_DIGEST *creation_hash = NULL;
    TPMT_TK_CREATION *ticket = NULL;
    TSS2_RC rc = 0;

    ATEA_TRY(tpm_ak_template(alg, &tmpl));
    rc = Esys_CreatePrimary(a->esys, ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD, ESYS_TR_NONE,
                            ESYS_TR_NONE, &sensitive, &tmpl, &outside, &creation_pcrs, &a->ak,
                            out_public, &creation_data, &creation_hash, &ticket);
    TPM_CHECK_RC(rc, "TPM2_CreatePrimary (AK in the endorsement hierarchy)");
    a->ak_transient = 1;
out:
    Esys_Free(creation_data);
    Esys_Free(creation_hash);
    Esys_Free(ticket);
    return err;
}

static atea_err tpm_ak_persistent(tpm_attester *a, uint32_t handle, TPM2B_PUBLIC **out_public)
{
    atea_err err = ATEA_OK;
    TPM2B_NAME *name = NULL;
    TPM2B_NAME *qname = NULL;
    TSS2_RC rc = 0;
    const TPMA_OBJECT need = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT;

    ATEA_ENSURE_MSG(handle >> 24 == TPM2_HT_PERSISTENT, ATEA_ERR_TPM_CONFIG,
                    "AK handle 0x%08x is not a persistent handle (0x81000000-0x81ffffff)", handle);
    rc = Esys_TR_FromTPMPublic(a->esys, handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &a->ak);
    TPM_CHECK_RC(rc, "loading the persistent AK handle");
    rc = Esys_ReadPublic(a->esys, a->ak, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, out_public,
                         &name, &qname);
    TPM_CHECK_RC(rc, "TPM2_ReadPublic (AK)");
    ATEA_ENSURE_MSG(((*out_public)->publicArea.objectAttributes & need) == need,
                    ATEA_ERR_TPM_CONFIG,
                    "key 0x%08x is not a restricted signing key, so it cannot be an AK", handle);
out:
    Esys_Free(name);
    Esys_Free(qname);
    return err;
}

static atea_err tpm_connect(tpm_attester *a, const char *tcti)
{
    atea_err err = ATEA_OK;
    TSS2_RC rc = Tss2_TctiLdr_Initialize(tcti, &a->tcti);

    ATEA_ENSURE_MSG(rc == TSS2_RC_SUCCESS, ATEA_ERR_TPM_UNAVAILABLE, "TCTI \"%s\": %s",
                    tcti != NULL ? tcti : "(default)", Tss2_RC_Decode(rc));
    rc = Esys_Initialize(&a->esys, a->tcti, NULL);
    ATEA_ENSURE_MSG(rc == TSS2_RC_SUCCESS, ATEA_ERR_TPM_UNAVAILABLE, "TCTI \"%s\": %s",
                    tcti != NULL ? tcti : "(default)", Tss2_RC_Decode(rc));
out:
    return err;
}

atea_err atea_tpm_attester_new(const atea_tpm_attester_opts *opts, atea_attester **pattester)
{
    atea_err err = ATEA_OK;
    tpm_attester *a = NULL;
    TPM2B_PUBLIC *ak_public = NULL;

    ATEA_ENSURE(opts != NULL && pattester != NULL, ATEA_ERR_INVALID_ARG);
    *pattester = NULL;
    a = calloc(1, sizeof(*a));
    ATEA_ENSURE_ALLOC(a);
    a->base.platform = "tpm";
    a->base.attest = tpm_attest;
    a->base.free = tpm_free;
    a->ak = ESYS_TR_NONE;
    a->log = opts->log;
    a->cmw_json = opts->cmw_json != 0;
    ATEA_TRY(atea__tpm_pcrsel_parse(opts->pcrs != NULL ? opts->pcrs : ATEA_TPM_DEFAULT_PCRS,
                                    &a->selection));
    ATEA_TRY(tpm_connect(a, opts->tcti));
    if (opts->ak_handle != 0) {
        ATEA_TRY(tpm_ak_persistent(a, opts->ak_handle, &ak_public));
    } else {
        ATEA_TRY(tpm_ak_create(a, opts->ak_alg, &ak_public));
    }
    ATEA_TRY(atea__tpm_public_to_spki(&ak_public->publicArea, &a->ak_spki));
    atea_logf(&a->log, ATEA_LOG_INFO, "tpm: AK ready (%s, %zu-byte SPKI)",
              opts->ak_handle != 0 ? "persistent" : "primary in the endorsement hierarchy",
              a->ak_spki.len);
    *pattester = &a->base;
    a = NULL;
out:
    Esys_Free(ak_public);
    if (a != NULL) {
        tpm_free(&a->base);
    }
    return err;
}

static void tpm_free(atea_attester *self)
{
    tpm_attester *a = (tpm_attester *)self;

    if (a == NULL) {
        return;
    }
    if (a->esys != NULL && a->ak != ESYS_TR_NONE) {
        /* Best effort: a transient AK would otherwise occupy a TPM object slot. */
        TSS2_RC rc =
            a->ak_transient ? Esys_FlushContext(a->esys, a->ak) : Esys_TR_Close(a->esys, &a->ak);
        if (rc != TSS2_RC_SUCCESS) {
            atea_logf(&a->log, ATEA_LOG_WARN, "tpm: releasing the AK: %s", Tss2_RC_Decode(rc));
        }
    }
    Esys_Finalize(&a->esys);
    Tss2_TctiLdr_Finalize(&a->tcti);
    atea_buf_free(&a->ak_spki);
    free(a);
}

/* Store the digests one TPM2_PCR_Read returned (in the order of its pcrSelectionOut, bank by
 * bank, index ascending: Part 3 §22.4) into q->values and clear them from want. */
static atea_err tpm_pcr_take(TPML_PCR_SELECTION *want, const TPML_PCR_SELECTION *got,
                             const TPML_DIGEST *values, tpm_quote_raw *q, uint32_t *taken)
{
    atea_err err = ATEA_OK;
    uint32_t k = 0;

    for (uint32_t g = 0; g < got->count; g++) {
        const TPMS_PCR_SELECTION *r = &got->pcrSelections[g];
        for (uint32_t b = 0; b < want->count; b++) {
            TPMS_PCR_SELECTION *w = &want->pcrSelections[b];
            for (unsigned i = 0; r->hash == w->hash && i / 8 < r->sizeofSelect; i++) {
                if (!((r->pcrSelect[i / 8] >> (i % 8)) & 1)) {
                    continue;
                }
                ATEA_ENSURE_MSG(k < values->count &&
                                    values->digests[k].size == atea__tpm_hash_size(w->hash),
                                ATEA_ERR_TPM_COMMAND,
                                "TPM2_PCR_Read returned %u digests that do not fit its selection",
                                values->count);
                memcpy(q->values[b][i], values->digests[k].buffer, values->digests[k].size);
                w->pcrSelect[i / 8] &= (uint8_t) ~(1u << (i % 8));
                k++;
            }
        }
    }
    *taken = k;
out:
    return err;
}

static int tpm_selection_empty(const TPML_PCR_SELECTION *sel)
{
    for (uint32_t b = 0; b < sel->count; b++) {
        for (unsigned j = 0; j < sel->pcrSelections[b].sizeofSelect; j++) {
            if (sel->pcrSelections[b].pcrSelect[j] != 0) {
                return 0;
            }
        }
    }
    return 1;
}

/* Read every PCR of sel; TPM2_PCR_Read returns at most 8 digests per call (TPML_DIGEST), so
 * ask again for what is left. Each round takes at least one PCR, so the loop ends. */
static atea_err tpm_pcr_read(tpm_attester *a, const TPML_PCR_SELECTION *sel, tpm_quote_raw *q)
{
    atea_err err = ATEA_OK;
    TPML_PCR_SELECTION want = *sel;
    TPML_PCR_SELECTION *got = NULL;
    TPML_DIGEST *values = NULL;

    while (!tpm_selection_empty(&want)) {
        uint32_t update_counter = 0;
        uint32_t taken = 0;
        TSS2_RC rc = Esys_PCR_Read(a->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &want,
                                   &update_counter, &got, &values);
        TPM_CHECK_RC(rc, "TPM2_PCR_Read");
        ATEA_TRY(tpm_pcr_take(&want, got, values, q, &taken));
        Esys_Free(got);
        Esys_Free(values);
        got = NULL;
        values = NULL;
        ATEA_ENSURE_MSG(taken > 0, ATEA_ERR_TPM_PCR_SELECTION,
                        "the TPM returns no value for some selected PCRs (bank not allocated?)");
    }
out:
    Esys_Free(got);
    Esys_Free(values);
    return err;
}

/* One TPM2_Quote (TPM 2.0 Part 3 §18.4) and the PCR values; *consistent = 1 when the values
 * hash to the quoted pcrDigest. */
static atea_err tpm_quote_once(tpm_attester *a, const uint8_t report_data[ATEA_REPORT_DATA_LEN],
                               tpm_quote_raw *q, int *consistent)
{
    atea_err err = ATEA_OK;
    TPM2B_DATA qualifying = {0};
    TPMT_SIG_SCHEME scheme = {.scheme = TPM2_ALG_NULL}; /* the AK's own scheme */
    const TPMS_QUOTE_INFO *info = &q->attest.attested.quote;
    uint8_t digest[ATEA_TPM_MAX_DIGEST];
    size_t digest_len = 0;
    TSS2_RC rc = 0;

    memcpy(qualifying.buffer, report_data, ATEA_TPM_QUALIFYING_DATA_LEN);
    qualifying.size = ATEA_TPM_QUALIFYING_DATA_LEN;
    rc = Esys_Quote(a->esys, a->ak, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &qualifying,
                    &scheme, &a->selection, &q->quoted, &q->signature);
    TPM_CHECK_RC(rc, "TPM2_Quote");
    rc = Tss2_MU_TPMS_ATTEST_Unmarshal(q->quoted->attestationData, q->quoted->size, NULL,
                                       &q->attest);
    TPM_CHECK_RC(rc, "unmarshalling the quote the TPM returned");
    ATEA_ENSURE_MSG(info->pcrSelect.count <= ATEA_TPM_MAX_BANKS, ATEA_ERR_TPM_COMMAND,
                    "the quote selects %u PCR banks", info->pcrSelect.count);
    /* Read what the TPM quoted: it drops PCRs of unallocated banks from the selection. */
    ATEA_TRY(tpm_pcr_read(a, &info->pcrSelect, q));
    ATEA_TRY(atea__tpm_pcr_digest(q->signature->signature.any.hashAlg, &info->pcrSelect,
                                  (const uint8_t(*)[TPM2_MAX_PCRS][ATEA_TPM_MAX_DIGEST])q->values,
                                  digest, &digest_len));
    *consistent = digest_len == info->pcrDigest.size &&
                  memcmp(digest, info->pcrDigest.buffer, digest_len) == 0;
out:
    return err;
}

static void tpm_quote_raw_release(tpm_quote_raw *q)
{
    Esys_Free(q->quoted);
    Esys_Free(q->signature);
    q->quoted = NULL;
    q->signature = NULL;
}

static atea_err tpm_signature_marshal(const TPMT_SIGNATURE *sig, atea_buf *out)
{
    atea_err err = ATEA_OK;
    uint8_t buf[sizeof(TPMT_SIGNATURE)];
    size_t len = 0;
    TSS2_RC rc = Tss2_MU_TPMT_SIGNATURE_Marshal(sig, buf, sizeof(buf), &len);

    TPM_CHECK_RC(rc, "marshalling the quote signature");
    ATEA_TRY(atea_buf_set(out, buf, len));
out:
    return err;
}

atea_err atea_tpm_attester_quote(atea_attester *attester,
                                 const uint8_t report_data[ATEA_REPORT_DATA_LEN],
                                 atea_tpm_quote *quote)
{
    atea_err err = ATEA_OK;
    tpm_attester *a = (tpm_attester *)attester;
    tpm_quote_raw *q = NULL;
    int consistent = 0;

    ATEA_ENSURE(quote != NULL, ATEA_ERR_INVALID_ARG);
    memset(quote, 0, sizeof(*quote));
    ATEA_ENSURE(attester != NULL && attester->attest == tpm_attest && report_data != NULL,
                ATEA_ERR_INVALID_ARG);
    q = calloc(1, sizeof(*q));
    ATEA_ENSURE_ALLOC(q);
    for (int attempt = 0; attempt < TPM_QUOTE_ATTEMPTS && !consistent; attempt++) {
        tpm_quote_raw_release(q);
        ATEA_TRY(tpm_quote_once(a, report_data, q, &consistent));
    }
    ATEA_ENSURE_MSG(consistent, ATEA_ERR_TPM_PCR_SELECTION,
                    "PCRs changed between TPM2_Quote and TPM2_PCR_Read %d times in a row",
                    TPM_QUOTE_ATTEMPTS);
    ATEA_ENSURE(q->quoted->size <= ATEA_TPM_MAX_ATTEST, ATEA_ERR_TOO_LARGE);
    ATEA_TRY(atea_buf_set(&quote->attest, q->quoted->attestationData, q->quoted->size));
    ATEA_TRY(tpm_signature_marshal(q->signature, &quote->signature));
    ATEA_TRY(atea__tpm_pcrs_write(&q->attest.attested.quote.pcrSelect,
                                  (const uint8_t(*)[TPM2_MAX_PCRS][ATEA_TPM_MAX_DIGEST])q->values,
                                  &quote->pcrs));
    ATEA_TRY(atea_buf_set(&quote->ak_spki, a->ak_spki.data, a->ak_spki.len));
out:
    if (q != NULL) {
        tpm_quote_raw_release(q);
        free(q);
    }
    if (err != ATEA_OK && quote != NULL) {
        atea_tpm_quote_free(quote);
    }
    return err;
}

void atea_tpm_quote_free(atea_tpm_quote *quote)
{
    if (quote == NULL) {
        return;
    }
    atea_buf_free(&quote->attest);
    atea_buf_free(&quote->signature);
    atea_buf_free(&quote->pcrs);
    atea_buf_free(&quote->ak_spki);
}

static atea_err tpm_attest(atea_attester *self, const atea_binding *binding, atea_buf *cmw)
{
    atea_err err = ATEA_OK;
    atea_tpm_quote quote = {0};

    ATEA_ENSURE(binding != NULL && cmw != NULL, ATEA_ERR_INVALID_ARG);
    /* profile.md §3: the TPM's 64-byte user-data field carries report_data itself. */
    ATEA_TRY(atea_tpm_attester_quote(self, binding->report_data, &quote));
    ATEA_TRY(atea_tpm_quote_to_cmw(&quote, ((tpm_attester *)self)->cmw_json, cmw));
out:
    atea_tpm_quote_free(&quote);
    return err;
}
