/*
 * Describing a TPM 2.0 quote collection (include/atea/tpm.h; TPM 2.0 Library Part 2): the
 * TPMS_ATTEST the TPM signed (§10.12.12), the TPMT_SIGNATURE (§11.3.4), atea's PCR-values part
 * and the AK's SubjectPublicKeyInfo. Each part goes through the verifier's own parsers
 * (src/verify/tpm_attest.c); a part that does not parse ends the description with its code.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/cmw.h"
#include "atea/tpm.h"
#include "core/check.h"
#include "verify/describe_internal.h"
#include "verify/tpm_attest.h"

#define TPM_PCR_LIST_TEXT 160

static const char *alg_name(uint16_t alg)
{
    const char *hash = atea__tpm_alg_name(alg);
    if (hash != NULL) {
        return hash;
    }
    switch (alg) {
    case ATEA_TPM_ALG_RSASSA:
        return "RSASSA";
    case ATEA_TPM_ALG_RSAPSS:
        return "RSAPSS";
    case ATEA_TPM_ALG_ECDSA:
        return "ECDSA";
    default:
        return "unknown";
    }
}

/* "sha256: 0,1,2,7" */
static atea_err describe_selection(atea__describe *d, const atea_tpm_pcr_selection *sel)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea__describe_line(d, 0, "pcrSelect: %u bank(s)", (unsigned)sel->count));
    for (size_t b = 0; b < sel->count && b < ATEA_TPM_MAX_BANKS; b++) {
        const atea_tpm_pcr_bank *bank = &sel->banks[b];
        char list[TPM_PCR_LIST_TEXT];
        size_t used = 0;
        list[0] = '\0';
        for (unsigned i = 0; i <= ATEA_TPM_MAX_PCR_INDEX; i++) {
            if (atea__tpm_pcr_selected(bank, i) && used + 4 < sizeof(list)) {
                used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%u",
                                         used > 0 ? "," : "", i);
            }
        }
        ATEA_TRY(atea__describe_line(d, 1, "%s (0x%04x): PCRs %s", alg_name(bank->hash), bank->hash,
                                     used > 0 ? list : "none"));
    }
out:
    return err;
}

static atea_err describe_attest(atea__describe *d, atea_slice part)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_tpm_attest a;
    ATEA_TRY(atea__describe_line(d, 0, "\"%s\": TPMS_ATTEST, %zu bytes", ATEA_TPM_LABEL_ATTEST,
                                 part.len));
    d->indent++;
    ATEA_TRY(atea__tpm_attest_parse(part.data, part.len, &a));
    /* The parser accepts only these two values; they are shown for the reader. */
    ATEA_TRY(
        atea__describe_line(d, 0, "magic: 0x%08x (TPM_GENERATED_VALUE)", ATEA_TPM_GENERATED_VALUE));
    ATEA_TRY(
        atea__describe_line(d, 0, "type: 0x%04x (TPM_ST_ATTEST_QUOTE)", ATEA_TPM_ST_ATTEST_QUOTE));
    ATEA_TRY(
        atea__describe_hex(d, "qualifiedSigner", a.qualified_signer.data, a.qualified_signer.len));
    ATEA_TRY(atea__describe_hex(d, "extraData", a.extra_data.data, a.extra_data.len));
    ATEA_TRY(atea__describe_line(d, 1, "(qualifyingData of TPM2_Quote: report_data)"));
    ATEA_TRY(atea__describe_line(d, 0,
                                 "clockInfo: clock %llu ms, resetCount %u, restartCount %u, "
                                 "safe %u",
                                 (unsigned long long)a.clock, a.reset_count, a.restart_count,
                                 (unsigned)a.safe));
    ATEA_TRY(atea__describe_line(d, 0, "firmwareVersion: 0x%016llx",
                                 (unsigned long long)a.firmware_version));
    ATEA_TRY(describe_selection(d, &a.pcr_select));
    ATEA_TRY(atea__describe_hex(d, "pcrDigest", a.pcr_digest.data, a.pcr_digest.len));
out:
    d->indent = indent;
    return err;
}

static atea_err describe_signature(atea__describe *d, atea_slice part)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_tpm_signature s;
    ATEA_TRY(atea__describe_line(d, 0, "\"%s\": TPMT_SIGNATURE, %zu bytes",
                                 ATEA_TPM_LABEL_SIGNATURE, part.len));
    d->indent++;
    ATEA_TRY(atea__tpm_signature_parse(part.data, part.len, &s));
    ATEA_TRY(atea__describe_line(d, 0, "sigAlg: %s (0x%04x), hash %s (0x%04x)", alg_name(s.sig_alg),
                                 s.sig_alg, alg_name(s.hash_alg), s.hash_alg));
    if (s.sig_alg == ATEA_TPM_ALG_ECDSA) {
        ATEA_TRY(atea__describe_hex(d, "signatureR", s.ecc_r.data, s.ecc_r.len));
        ATEA_TRY(atea__describe_hex(d, "signatureS", s.ecc_s.data, s.ecc_s.len));
    } else {
        ATEA_TRY(atea__describe_hex(d, "sig", s.rsa_sig.data, s.rsa_sig.len));
    }
out:
    d->indent = indent;
    return err;
}

static atea_err describe_pcrs(atea__describe *d, atea_slice part)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_tpm_pcr_values *v = OPENSSL_zalloc(sizeof(*v));
    size_t k = 0;
    ATEA_ENSURE_ALLOC(v);
    ATEA_TRY(
        atea__describe_line(d, 0, "\"%s\": PCR values, %zu bytes", ATEA_TPM_LABEL_PCRS, part.len));
    d->indent++;
    ATEA_TRY(atea__tpm_pcr_values_parse(part.data, part.len, v));
    ATEA_TRY(describe_selection(d, &v->selection));
    /* Digests come bank by bank, PCR index ascending (include/atea/tpm.h). */
    for (size_t b = 0; b < v->selection.count && b < ATEA_TPM_MAX_BANKS; b++) {
        const atea_tpm_pcr_bank *bank = &v->selection.banks[b];
        for (unsigned i = 0; i <= ATEA_TPM_MAX_PCR_INDEX && k < v->count; i++) {
            if (!atea__tpm_pcr_selected(bank, i)) {
                continue;
            }
            char name[48];
            (void)snprintf(name, sizeof(name), "%s PCR%u", alg_name(bank->hash), i);
            ATEA_TRY(atea__describe_hex(d, name, v->digests[k].data, v->digests[k].len));
            k++;
        }
    }
out:
    OPENSSL_free(v);
    d->indent = indent;
    return err;
}

static atea_err describe_ak(atea__describe *d, atea_slice part)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    const unsigned char *p = part.data;
    EVP_PKEY *key = NULL;
    uint8_t digest[32];
    ATEA_TRY(atea__describe_line(d, 0, "\"%s\": AK SubjectPublicKeyInfo, %zu bytes",
                                 ATEA_TPM_LABEL_AK, part.len));
    d->indent++;
    key = d2i_PUBKEY(NULL, &p, (long)part.len);
    if (key == NULL || p != part.data + part.len) {
        ATEA_TRY(atea__describe_line(d, 0, "(not a DER SubjectPublicKeyInfo)"));
        goto out;
    }
    ATEA_TRY(atea__describe_line(d, 0, "key: %s, %d bits", EVP_PKEY_get0_type_name(key),
                                 EVP_PKEY_get_bits(key)));
    ATEA_ENSURE(EVP_Digest(part.data, part.len, digest, NULL, EVP_sha256(), NULL) == 1,
                ATEA_ERR_INTERNAL);
    /* What a policy pins (platforms.tpm): SHA-256 of the SPKI DER. */
    ATEA_TRY(atea__describe_hex(d, "ak_hash (SHA-256 of the SPKI)", digest, sizeof(digest)));
out:
    EVP_PKEY_free(key);
    d->indent = indent;
    return err;
}

static atea_err describe_parts(atea__describe *d, const atea_tpm_evidence *ev)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(describe_attest(d, ev->attest));
    ATEA_TRY(describe_signature(d, ev->signature));
    ATEA_TRY(describe_pcrs(d, ev->pcrs));
    ATEA_TRY(describe_ak(d, ev->ak_spki));
out:
    return err;
}

atea_err atea__describe_tpm(atea__describe *d, const struct atea_cmw *cmw)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_tpm_evidence ev;
    ATEA_TRY(atea__describe_banner(d, "TPM 2.0 quote collection"));
    d->indent++;
    atea_err parts = atea_tpm_evidence_from_cmw(cmw, &ev);
    if (parts == ATEA_OK) {
        parts = describe_parts(d, &ev);
    }
    if (parts != ATEA_OK) {
        /* A missing part, or the first part that does not parse (its detail is current). */
        ATEA_TRY(atea__describe_malformed(d, parts));
    }
out:
    d->indent = indent;
    return err;
}
