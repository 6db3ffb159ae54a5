/*
 * libFuzzer target for the TPM quote verifier: the TPMS_ATTEST, TPMT_SIGNATURE and PCR-values
 * parsers and the CMW entry point on the raw input, then atea_tpm_verify with a fixed, trusted AK
 * (the swtpm AK that signed the seeds), so that inputs that keep a valid signature reach the
 * report_data and PCR checks.
 * Input: UINT16 attest_len || attest || UINT16 sig_len || sig || pcrs (the rest).
 * Deterministic: no clock, no randomness.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/sha.h>

#include "atea/appraisal.h"
#include "atea/tpm.h"
#include "core/rd.h"
#include "verify/tpm_attest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* DER SPKI of the P-256 AK of the swtpm that produced fuzz/corpus/verify_tpm_quote/valid_*. */
static const uint8_t AK_SPKI[] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0xbf, 0xf6, 0xac, 0xac, 0x1f,
    0x35, 0x04, 0xb1, 0x5d, 0xba, 0x92, 0x4b, 0x08, 0xc1, 0xec, 0xc1, 0x9f, 0xe2, 0xf9, 0xa3, 0x87,
    0xf6, 0xbf, 0xc3, 0x21, 0x14, 0xbb, 0x05, 0x23, 0x04, 0xc4, 0x4b, 0xb9, 0xfd, 0xf6, 0x8c, 0xb7,
    0xde, 0xba, 0x09, 0xf0, 0xeb, 0xc7, 0x39, 0xfb, 0x34, 0x91, 0x6f, 0x2c, 0xb7, 0x5e, 0x8a, 0x12,
    0x90, 0x58, 0xb6, 0x74, 0x1e, 0x17, 0x12, 0x24, 0x73, 0xe6, 0xad,
};

static void parse_alone(const uint8_t *data, size_t size)
{
    atea_tpm_attest attest;
    atea_tpm_signature sig;
    static atea_tpm_pcr_values pcrs; /* large; the target is single-threaded */
    (void)atea__tpm_attest_parse(data, size, &attest);
    (void)atea__tpm_signature_parse(data, size, &sig);
    (void)atea__tpm_pcr_values_parse(data, size, &pcrs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_rd rd;
    atea_rd attest;
    atea_rd sig;
    uint8_t report_data[ATEA_REPORT_DATA_LEN];
    uint8_t ak_hash[SHA256_DIGEST_LENGTH];
    atea_appraisal *appraisal = NULL;

    for (size_t i = 0; i < sizeof(report_data); i++) {
        report_data[i] = (uint8_t)i;
    }
    SHA256(AK_SPKI, sizeof(AK_SPKI), ak_hash);
    atea_verify_env env = {.expected_report_data = report_data};
    atea_tpm_trust trust = {.ak_sha256 = ak_hash, .count = 1};

    parse_alone(data, size);
    if (atea_appraisal_new(&appraisal) == ATEA_OK) {
        (void)atea_tpm_verify_cmw(&env, &trust, data, size, appraisal);
        atea_appraisal_free(appraisal);
        appraisal = NULL;
    }
    atea_rd_init(&rd, data, size);
    if (atea_rd_vec(&rd, 2, 0, 65535, &attest) != ATEA_OK ||
        atea_rd_vec(&rd, 2, 0, 65535, &sig) != ATEA_OK) {
        return 0;
    }
    atea_tpm_evidence ev = {
        .attest = {atea_rd_ptr(&attest), atea_rd_left(&attest)},
        .signature = {atea_rd_ptr(&sig), atea_rd_left(&sig)},
        .pcrs = {atea_rd_ptr(&rd), atea_rd_left(&rd)},
        .ak_spki = {AK_SPKI, sizeof(AK_SPKI)},
    };
    if (atea_appraisal_new(&appraisal) == ATEA_OK) {
        (void)atea_tpm_verify(&env, &trust, &ev, appraisal);
        atea_appraisal_free(appraisal);
    }
    return 0;
}
