/* Error codes of the AMD SEV-SNP verifier (src/verify/snp*.c). See atea/error.h for this file's
 * range: -460..-474. Malformed input also uses the core decode codes (ATEA_ERR_TRUNCATED,
 * ATEA_ERR_TRAILING); certificate-chain failures use the codes of the chain verifier. */
#ifndef ATEA_ERRORS_SNP_H
#define ATEA_ERRORS_SNP_H

#define ATEA_ERRORS_SNP(X)                                                                         \
    X(ATEA_ERR_SNP_VERSION, -460,                                                                  \
      "the SEV-SNP report version is not one atea verifies (2, 3 or 5)")                           \
    X(ATEA_ERR_SNP_SIG_ALGO, -461,                                                                 \
      "the SEV-SNP report is not signed with ECDSA P-384/SHA-384 (SIGNATURE_ALGO 1)")              \
    X(ATEA_ERR_SNP_RESERVED, -462,                                                                 \
      "a reserved field of the SEV-SNP report is not zero (or a must-be-one bit is clear)")        \
    X(ATEA_ERR_SNP_SIGNING_KEY, -463,                                                              \
      "the SEV-SNP report names no usable signing key (SIGNING_KEY is neither VCEK nor VLEK)")     \
    X(ATEA_ERR_SNP_SIGNATURE, -464,                                                                \
      "the SEV-SNP report signature does not verify with the VCEK/VLEK public key")                \
    X(ATEA_ERR_SNP_NO_CERT, -465,                                                                  \
      "a certificate needed to verify the SEV-SNP report (VCEK/VLEK, ASK/ASVK or ARK) is "         \
      "missing; supply the extended-report certificate table or the AMD KDS certificates")         \
    X(ATEA_ERR_SNP_KEY_MISMATCH, -466,                                                             \
      "the report's SIGNING_KEY (VCEK or VLEK) is not the kind of certificate supplied")           \
    X(ATEA_ERR_SNP_TCB_MISMATCH, -467,                                                             \
      "the VCEK/VLEK was issued for a different TCB than the report's REPORTED_TCB")               \
    X(ATEA_ERR_SNP_CHIP_ID_MISMATCH, -468,                                                         \
      "the VCEK hwID is not the report's CHIP_ID: the certificate belongs to another chip")        \
    X(ATEA_ERR_SNP_REPORT_DATA, -469, "REPORT_DATA does not match the binder for this connection") \
    X(ATEA_ERR_SNP_CERT_TABLE, -470,                                                               \
      "the SEV-SNP extended-report certificate table is malformed (GHCB spec 56421 4.1.8.1)")      \
    X(ATEA_ERR_SNP_CERT, -471,                                                                     \
      "an AMD certificate cannot be read or carries a malformed AMD KDS extension")                \
    X(ATEA_ERR_SNP_PRODUCT, -472,                                                                  \
      "the AMD product (Milan, Genoa, Turin) is unknown or the report and certificates disagree")  \
    X(ATEA_ERR_SNP_ROOT, -473,                                                                     \
      "no supplied certificate is the pinned AMD root key (ARK) for this product")                 \
    X(ATEA_ERR_SNP_DEBUG, -474,                                                                    \
      "the guest policy allows debugging (POLICY bit 19): its memory is not confidential")

#endif
