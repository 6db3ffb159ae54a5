/*
 * TPM 2.0 quote evidence (profile.md §5, docs/evidence/TPM.md).
 *
 * Attester (src/evidence/tpm*.c, tpm2-tss ESYS): a restricted signing attestation key (AK) under
 * the endorsement hierarchy signs TPM2_Quote over a PCR selection with qualifyingData =
 * report_data (all 64 bytes, profile.md §3); the PCR values are read back with TPM2_PCR_Read.
 * The evidence is a CMW collection (RFC 9999 §3.3, no __cmwc_t) of four records:
 *
 *   "quote": [ATEA_TPM_CMW_TYPE, TPMS_ATTEST exactly as the TPM marshalled it (the signed
 *             bytes), ind evidence]
 *   "sig"  : [ATEA_TPM_MT_SIGNATURE, TPMT_SIGNATURE (TPM 2.0 Part 2 §11.3.4), ind evidence]
 *   "pcrs" : [ATEA_TPM_MT_PCRS, TPML_PCR_SELECTION || UINT32 count || TPM2B_DIGEST[count],
 *             big-endian, digests in selection order (bank by bank, PCR index ascending),
 *             ind evidence]
 *   "ak"   : [ATEA_TPM_MT_AK_SPKI, the AK public key as DER SubjectPublicKeyInfo]
 *
 * A relying party finds the evidence by the "quote" record's media type, which is the profile's
 * TPM type (atea_cmw_find_media_type(cmw, ATEA_CMW_MT_TPM2_QUOTE)).
 *
 * Verifier (src/verify/tpm*.c): parses TPMS_ATTEST with the bounded reader, checks the AK is
 * trusted (its SPKI SHA-256 is one the caller pins), the signature, extraData == report_data
 * (constant time), and the PCR digest, and reports claims under submodule "tpm", platform "tpm2".
 */
#ifndef ATEA_TPM_H
#define ATEA_TPM_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/cmw.h"
#include "atea/error.h"
#include "atea/evidence.h"
#include "atea/types.h"
#include "atea/verify_env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CMW media types (profile.md §5; atea's choices where no registry value exists). */
#define ATEA_TPM_CMW_TYPE "application/vnd.tcg.tpm2.quote"
#define ATEA_TPM_MT_ATTEST "application/vnd.tcg.tpm2.tpms-attest"
#define ATEA_TPM_MT_SIGNATURE "application/vnd.tcg.tpm2.tpmt-signature"
#define ATEA_TPM_MT_PCRS "application/vnd.atea.tpm2.pcr-values"
#define ATEA_TPM_MT_AK_SPKI "application/vnd.atea.spki+der"

/* Collection labels. */
#define ATEA_TPM_LABEL_ATTEST "quote"
#define ATEA_TPM_LABEL_SIGNATURE "sig"
#define ATEA_TPM_LABEL_PCRS "pcrs"
#define ATEA_TPM_LABEL_AK "ak"

/* Size caps of the four parts (ATEA_ERR_TOO_LARGE above them). A quote TPMS_ATTEST is at most
 * ~450 bytes; an RSA-4096 TPMT_SIGNATURE is 518; 24 SHA-512 PCRs are ~1.6 KiB. */
#define ATEA_TPM_MAX_ATTEST 1024
#define ATEA_TPM_MAX_SIGNATURE 1024
#define ATEA_TPM_MAX_PCRS 4096
#define ATEA_TPM_MAX_AK_SPKI 1024

/* Structural caps: PCR banks in one TPML_PCR_SELECTION (TPM HASH_COUNT), bytes of one PCR
 * bitmap (PCR_SELECT_MAX: 32 PCRs), size of a digest (SHA-512). */
#define ATEA_TPM_MAX_BANKS 4
#define ATEA_TPM_MAX_SELECT_BYTES 4
#define ATEA_TPM_MAX_PCR_INDEX 31
#define ATEA_TPM_MAX_DIGEST 64

/* The qualifyingData the attester passes to TPM2_Quote: report_data itself, all 64 bytes
 * (profile.md §3). TPM2B_DATA holds up to sizeof(TPMT_HA) bytes (Part 2 §10.4.3: 66 on a TPM
 * with SHA-512; tpm2-tss's host type holds 64); swtpm 0.7.1 accepts 64 (docs/evidence/TPM.md).
 * A TPM without SHA-512 rejects it (ATEA_ERR_TPM_COMMAND, TPM_RC_SIZE): atea never shortens or
 * hashes report_data, so the verifier always compares all 64 bytes of extraData. */
#define ATEA_TPM_QUALIFYING_DATA_LEN ATEA_REPORT_DATA_LEN

/* ---------------------------------------------------------------- attester (evidence layer) */

typedef enum atea_tpm_ak_alg {
    ATEA_TPM_AK_ECC_P256 = 0, /* ECDSA P-256 / SHA-256 (default) */
    ATEA_TPM_AK_RSA_PSS = 1,  /* RSA-2048 RSASSA-PSS / SHA-256 */
    ATEA_TPM_AK_RSA_SSA = 2,  /* RSA-2048 RSASSA-PKCS1-v1_5 / SHA-256 */
} atea_tpm_ak_alg;

typedef struct atea_tpm_attester_opts {
    /* TCTI configuration for Tss2_TctiLdr_Initialize: "swtpm:host=127.0.0.1,port=2321",
     * "device:/dev/tpmrm0"; NULL lets tpm2-tss pick its default. */
    const char *tcti;
    /* PCR selection "bank:list", list = comma-separated indices or ranges ("sha256:0-7",
     * "sha256:0,2,4-7"); NULL means ATEA_TPM_DEFAULT_PCRS. One bank. */
    const char *pcrs;
    atea_tpm_ak_alg ak_alg;
    /* 0: create the AK as a primary key in the endorsement hierarchy (deterministic for a given
     * TPM and template: the same AK every time). Otherwise the persistent handle
     * (0x81000000-0x81ffffff) of an existing restricted signing key, used with an empty auth value.
     */
    uint32_t ak_handle;
    /* 1: attest() writes the CMW as JSON (RFC 9999 §3.3 json-collection); 0: CBOR. */
    int cmw_json;
    atea_log log;
} atea_tpm_attester_opts;

#define ATEA_TPM_DEFAULT_PCRS "sha256:0-7"

void atea_tpm_attester_opts_default(atea_tpm_attester_opts *opts);

/* Connect to the TPM and make the AK ready. The attester's attest() produces the CMW
 * collection above (CBOR) from binding->report_data.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_TPM_CONFIG (bad PCR selection or AK handle),
 * ATEA_ERR_TPM_UNAVAILABLE (TCTI cannot be loaded or connected), ATEA_ERR_TPM_COMMAND
 * (CreatePrimary / ReadPublic refused; detail has the decoded TPM response code),
 * ATEA_ERR_TPM_UNSUPPORTED_ALG (the AK is not ECC P-256/384 or RSA), ATEA_ERR_NO_MEMORY. */
atea_err atea_tpm_attester_new(const atea_tpm_attester_opts *opts,
                               atea_attester **pattester) ATEA_MUST_USE;

/* The raw parts of one quote (owned; release with atea_tpm_quote_free). */
typedef struct atea_tpm_quote {
    atea_buf attest;
    atea_buf signature;
    atea_buf pcrs;
    atea_buf ak_spki;
} atea_tpm_quote;

void atea_tpm_quote_free(atea_tpm_quote *quote);

/* Quote with qualifyingData = report_data and read the PCR values. `attester` must come from
 * atea_tpm_attester_new. Retries (up to 3 times) when a PCR changes between the quote and the
 * read. Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_TPM_COMMAND, ATEA_ERR_TPM_PCR_SELECTION (PCRs kept
 * changing), ATEA_ERR_TOO_LARGE, ATEA_ERR_NO_MEMORY. */
atea_err atea_tpm_attester_quote(atea_attester *attester,
                                 const uint8_t report_data[ATEA_REPORT_DATA_LEN],
                                 atea_tpm_quote *quote) ATEA_MUST_USE;

/* Wrap the parts into the CMW collection above, CBOR (json = 0) or JSON (json = 1).
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_CMW_BASE64URL (JSON with an empty part),
 * ATEA_ERR_TOO_LARGE, ATEA_ERR_NO_MEMORY. */
atea_err atea_tpm_quote_to_cmw(const atea_tpm_quote *quote, int json, atea_buf *cmw) ATEA_MUST_USE;

/* ---------------------------------------------------------------- verifier (verify layer) */

/* The four parts, borrowed (e.g. from a decoded CMW collection). */
typedef struct atea_tpm_evidence {
    atea_slice attest;
    atea_slice signature;
    atea_slice pcrs;
    atea_slice ak_spki;
} atea_tpm_evidence;

/* The AKs the relying party trusts: `count` SHA-256 digests of DER SubjectPublicKeyInfo,
 * 32 bytes each, back to back in ak_sha256 (from the policy's tpm trust anchors). */
typedef struct atea_tpm_trust {
    const uint8_t *ak_sha256;
    size_t count;
} atea_tpm_trust;

/*
 * Appraise a TPM quote. Adds submodule "tpm" (platform "tpm2") to `out`, with claims
 *   ak_hash (bytes, SHA-256 of the AK SPKI), report_data (bytes, the quote's extraData),
 *   pcr_bank (str, "sha1"/"sha256"/"sha384"/"sha512"; absent when no PCR is selected),
 *   pcr<N> (bytes, one per selected PCR), clock (int, ms), reset_count, restart_count (int),
 *   safe (bool), firmware_version (int; bytes if it exceeds INT64_MAX),
 * and a reason for every check. Checks, in order: every part parses (core decode codes,
 * ATEA_ERR_TPM_BAD_MAGIC, ATEA_ERR_TPM_NOT_QUOTE, ATEA_ERR_TPM_UNSUPPORTED_ALG,
 * ATEA_ERR_TPM_BAD_AK), the AK is trusted (ATEA_ERR_TPM_NO_TRUSTED_AK if trust is empty,
 * ATEA_ERR_TPM_AK_UNTRUSTED), the signature (ATEA_ERR_TPM_SIGNATURE), extraData equals
 * env->expected_report_data (ATEA_ERR_TPM_REPORT_DATA; a WARNING reason when env gives none),
 * the PCR values cover the quoted selection (ATEA_ERR_TPM_PCR_SELECTION) and hash to pcrDigest
 * (ATEA_ERR_TPM_PCR_DIGEST). A failure returns its code and records it as CONTRAINDICATED.
 * Also ATEA_ERR_INVALID_ARG, ATEA_ERR_TPM_MISSING_PART (an empty part), appraisal codes.
 */
atea_err atea_tpm_verify(const atea_verify_env *env, const atea_tpm_trust *trust,
                         const atea_tpm_evidence *evidence, atea_appraisal *out) ATEA_MUST_USE;

/* The four parts of the TPM quote collection in a decoded CMW: cmw itself or the first
 * collection under it (depth first) whose "quote" entry is an ATEA_TPM_CMW_TYPE record. The
 * slices borrow from the tree. Entries with other labels are ignored.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_TPM_MISSING_PART (no such collection, or one of the
 * four entries is absent or not a record of its media type). */
atea_err atea_tpm_evidence_from_cmw(const atea_cmw *cmw, atea_tpm_evidence *evidence) ATEA_MUST_USE;

/* Decode a CMW (CBOR or JSON), take the TPM quote collection out of it and atea_tpm_verify it.
 * A failure before atea_tpm_verify is recorded in `out` like its own failures.
 * Errors: the CMW decoder's codes, those of atea_tpm_evidence_from_cmw and atea_tpm_verify. */
atea_err atea_tpm_verify_cmw(const atea_verify_env *env, const atea_tpm_trust *trust,
                             const uint8_t *cmw, size_t len, atea_appraisal *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
