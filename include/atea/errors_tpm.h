/*
 * Error codes of the TPM 2.0 attester (src/evidence/tpm*.c) and verifier (src/verify/tpm*.c).
 * See atea/error.h for this file's ranges (-145..-149, -490..-499). Malformed TPM structures are
 * reported with the core decode codes (ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING, ATEA_ERR_TOO_LARGE,
 * ATEA_ERR_VEC_LENGTH); everything else has its own code below.
 */
#ifndef ATEA_ERRORS_TPM_H
#define ATEA_ERRORS_TPM_H

#define ATEA_ERRORS_TPM(X)                                                                         \
    X(ATEA_ERR_TPM_CONFIG, -145,                                                                   \
      "the TPM attester configuration is invalid (TCTI string, PCR selection or AK settings)")     \
    X(ATEA_ERR_TPM_NO_TRUSTED_AK, -146,                                                            \
      "no trusted TPM attestation key is configured: put the AK's SPKI SHA-256 in the policy")     \
    X(ATEA_ERR_TPM_MISSING_PART, -147,                                                             \
      "the TPM evidence lacks a required part (quote, signature, PCR values or AK public key), "   \
      "or a part is not a record of its media type")                                               \
    X(ATEA_ERR_TPM_UNAVAILABLE, -148,                                                              \
      "cannot reach the TPM through the configured TCTI (device or simulator not available)")      \
    X(ATEA_ERR_TPM_COMMAND, -490,                                                                  \
      "a TPM command failed (see the detail for the TPM response code)")                           \
    X(ATEA_ERR_TPM_BAD_MAGIC, -491,                                                                \
      "the TPMS_ATTEST does not start with TPM_GENERATED_VALUE: the TPM did not produce it")       \
    X(ATEA_ERR_TPM_NOT_QUOTE, -492,                                                                \
      "the TPMS_ATTEST is not a well-formed quote (type is not TPM_ST_ATTEST_QUOTE, or a field "   \
      "has a value TPM 2.0 Part 2 does not allow)")                                                \
    X(ATEA_ERR_TPM_AK_UNTRUSTED, -493,                                                             \
      "the TPM attestation key is not one of the policy's trusted AKs (SPKI SHA-256 unknown)")     \
    X(ATEA_ERR_TPM_SIGNATURE, -494, "the TPM quote signature does not verify with the AK")         \
    X(ATEA_ERR_TPM_REPORT_DATA, -495,                                                              \
      "TPM quote qualifyingData does not match the binder for this connection")                    \
    X(ATEA_ERR_TPM_PCR_DIGEST, -496, "the PCR values do not hash to the pcrDigest the TPM signed") \
    X(ATEA_ERR_TPM_PCR_SELECTION, -497,                                                            \
      "the PCR values do not cover exactly the PCR selection of the quote (or it has several "     \
      "banks)")                                                                                    \
    X(ATEA_ERR_TPM_UNSUPPORTED_ALG, -498,                                                          \
      "the TPM evidence uses a hash or signature algorithm atea does not verify")                  \
    X(ATEA_ERR_TPM_BAD_AK, -499,                                                                   \
      "the TPM attestation key is not a usable DER SubjectPublicKeyInfo (EC P-256/384 or RSA)")

#endif
