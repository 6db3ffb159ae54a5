/* Internal helpers of the TPM attester (src/evidence/tpm*.c), shared between its files. */
#ifndef ATEA_EVIDENCE_TPM_INTERNAL_H
#define ATEA_EVIDENCE_TPM_INTERNAL_H

#include <tss2/tss2_tpm2_types.h>

#include "atea/tpm.h"
#include "atea/types.h"

/* Parse a PCR selection "sha256:0-7" / "sha384:0,2,4-7" (one bank, PCRs 0..23) into sel.
 * ATEA_ERR_TPM_CONFIG names the offending character. */
atea_err atea__tpm_pcrsel_parse(const char *text, TPML_PCR_SELECTION *sel) ATEA_MUST_USE;

/* Digest size of a TPM hash algorithm (TPM 2.0 Part 2 §6.3), 0 if atea does not know it. */
size_t atea__tpm_hash_size(TPM2_ALG_ID alg);

/* The AK's public area as DER SubjectPublicKeyInfo (EC P-256/P-384 or RSA).
 * ATEA_ERR_TPM_UNSUPPORTED_ALG for any other key. */
atea_err atea__tpm_public_to_spki(const TPMT_PUBLIC *pub, atea_buf *spki) ATEA_MUST_USE;

/* The "pcrs" part: TPML_PCR_SELECTION || UINT32 count || TPM2B_DIGEST[count]; values[b][i] is
 * PCR i of bank b of sel, digests in selection order. */
atea_err atea__tpm_pcrs_write(const TPML_PCR_SELECTION *sel,
                              const uint8_t values[][TPM2_MAX_PCRS][ATEA_TPM_MAX_DIGEST],
                              atea_buf *out) ATEA_MUST_USE;

/* Hash, with the signing scheme's hash (TPM 2.0 Part 3 §18.4: pcrDigest uses it), of the PCR
 * values of sel in selection order, as pcrs_write lays them out. */
atea_err atea__tpm_pcr_digest(TPM2_ALG_ID hash_alg, const TPML_PCR_SELECTION *sel,
                              const uint8_t values[][TPM2_MAX_PCRS][ATEA_TPM_MAX_DIGEST],
                              uint8_t *digest, size_t *digest_len) ATEA_MUST_USE;

#endif
