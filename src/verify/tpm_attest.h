/*
 * Parsers for the TPM 2.0 structures of a quote (TPM 2.0 Library Part 2, big-endian "TPM
 * marshalling"), all through atea_rd: TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE, TPMT_SIGNATURE,
 * and atea's PCR-values part (include/atea/tpm.h). Every parser consumes its input exactly
 * (ATEA_ERR_TRAILING otherwise) and returns slices borrowed from it.
 */
#ifndef ATEA_VERIFY_TPM_ATTEST_H
#define ATEA_VERIFY_TPM_ATTEST_H

#include <stddef.h>
#include <stdint.h>

#include "atea/tpm.h"
#include "atea/types.h"

/* TPM 2.0 Part 2 constants (§6.2 TPM_GENERATED, §6.9 TPM_ST, §6.3 TPM_ALG_ID). */
#define ATEA_TPM_GENERATED_VALUE 0xff544347u
#define ATEA_TPM_ST_ATTEST_QUOTE 0x8018u
#define ATEA_TPM_ALG_SHA1 0x0004u
#define ATEA_TPM_ALG_SHA256 0x000bu
#define ATEA_TPM_ALG_SHA384 0x000cu
#define ATEA_TPM_ALG_SHA512 0x000du
#define ATEA_TPM_ALG_RSASSA 0x0014u
#define ATEA_TPM_ALG_RSAPSS 0x0016u
#define ATEA_TPM_ALG_ECDSA 0x0018u

/* Caps from Part 2: TPM2B_NAME holds sizeof(TPMU_NAME) = 2 + 64; TPM2B_DATA and TPM2B_DIGEST at
 * most a SHA-512 digest (+2 for TPMT_HA in TPM2B_DATA); TPM2B_ECC_PARAMETER up to P-521 (66);
 * TPM2B_PUBLIC_KEY_RSA up to 4096 bits. */
#define ATEA_TPM_MAX_NAME 66
#define ATEA_TPM_MAX_DATA 66
#define ATEA_TPM_MAX_ECC_PARAM 66
#define ATEA_TPM_MAX_RSA_SIG 512
/* PCR values in one part: 32 PCRs in each of ATEA_TPM_MAX_BANKS banks. */
#define ATEA_TPM_MAX_PCR_VALUES ((ATEA_TPM_MAX_PCR_INDEX + 1) * ATEA_TPM_MAX_BANKS)

typedef struct atea_tpm_pcr_bank {
    uint16_t hash;
    uint8_t size_of_select;
    uint8_t select[ATEA_TPM_MAX_SELECT_BYTES];
} atea_tpm_pcr_bank;

/* TPML_PCR_SELECTION (Part 2 §10.9.7). raw = its exact encoding. */
typedef struct atea_tpm_pcr_selection {
    uint32_t count;
    atea_tpm_pcr_bank banks[ATEA_TPM_MAX_BANKS];
    atea_slice raw;
} atea_tpm_pcr_selection;

/* TPMS_ATTEST with TPMS_QUOTE_INFO (Part 2 §10.12.12, §10.12.4). */
typedef struct atea_tpm_attest {
    atea_slice qualified_signer; /* TPM2B_NAME body */
    atea_slice extra_data;       /* TPM2B_DATA body: the qualifyingData of TPM2_Quote */
    uint64_t clock;              /* TPMS_CLOCK_INFO */
    uint32_t reset_count;
    uint32_t restart_count;
    uint8_t safe;
    uint64_t firmware_version;
    atea_tpm_pcr_selection pcr_select;
    atea_slice pcr_digest;
} atea_tpm_attest;

/* TPMT_SIGNATURE (Part 2 §11.3.4) for RSASSA, RSAPSS and ECDSA. */
typedef struct atea_tpm_signature {
    uint16_t sig_alg;
    uint16_t hash_alg;
    atea_slice rsa_sig; /* RSASSA / RSAPSS */
    atea_slice ecc_r;   /* ECDSA */
    atea_slice ecc_s;
} atea_tpm_signature;

/* The "pcrs" part: the selection and one digest per selected PCR, in selection order. */
typedef struct atea_tpm_pcr_values {
    atea_tpm_pcr_selection selection;
    size_t count;
    atea_slice digests[ATEA_TPM_MAX_PCR_VALUES];
} atea_tpm_pcr_values;

/* Digest size of a TPM hash algorithm, 0 if unknown; its OpenSSL name or NULL. */
size_t atea__tpm_alg_digest_size(uint16_t alg);
const char *atea__tpm_alg_name(uint16_t alg);

/* 1 if PCR i is selected in bank. */
int atea__tpm_pcr_selected(const atea_tpm_pcr_bank *bank, unsigned i);

/* Errors: ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING, ATEA_ERR_VEC_LENGTH, ATEA_ERR_TOO_LARGE,
 * ATEA_ERR_TPM_BAD_MAGIC, ATEA_ERR_TPM_NOT_QUOTE, ATEA_ERR_TPM_UNSUPPORTED_ALG (a PCR bank hash
 * atea does not know). */
atea_err atea__tpm_attest_parse(const uint8_t *data, size_t len,
                                atea_tpm_attest *out) ATEA_MUST_USE;

/* Errors: decode codes, ATEA_ERR_TPM_UNSUPPORTED_ALG (not RSASSA/RSAPSS/ECDSA with SHA-1/2). */
atea_err atea__tpm_signature_parse(const uint8_t *data, size_t len,
                                   atea_tpm_signature *out) ATEA_MUST_USE;

/* Errors: decode codes, ATEA_ERR_TPM_UNSUPPORTED_ALG, ATEA_ERR_TPM_PCR_SELECTION (the digest
 * count is not the number of selected PCRs, or a digest is not its bank's size). */
atea_err atea__tpm_pcr_values_parse(const uint8_t *data, size_t len,
                                    atea_tpm_pcr_values *out) ATEA_MUST_USE;

#endif
