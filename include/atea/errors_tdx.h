/*
 * Error codes of the Intel TDX verifier, of the shared X.509 chain helper (src/verify/chain.c,
 * ATEA_ERR_CHAIN_*, used by every platform verifier) and of the CCEL / TCG2 event-log replay
 * (ATEA_ERR_EVENTLOG_*). See atea/error.h for this file's ranges (-295..-299, -440..-459).
 */
#ifndef ATEA_ERRORS_TDX_H
#define ATEA_ERRORS_TDX_H

#define ATEA_ERRORS_TDX(X)                                                                         \
    X(ATEA_ERR_TDX_BAD_HEADER, -295,                                                               \
      "the quote is not a TDX ECDSA-P256 quote of version 4 or 5 (header or body type)")           \
    X(ATEA_ERR_TDX_BAD_CERT_DATA, -296,                                                            \
      "the quote's certification data is not QE report data (type 6) wrapping a PCK chain "        \
      "(type 5), or its sizes are inconsistent")                                                   \
    X(ATEA_ERR_TDX_BAD_COLLATERAL, -297,                                                           \
      "a collateral file (TCB info, QE identity, CRL) is malformed or lacks a required field")     \
    X(ATEA_ERR_EVENTLOG_MALFORMED, -298,                                                           \
      "the event log is not a TCG2 crypto-agile log with a SHA-384 bank")                          \
    X(ATEA_ERR_CHAIN_MALFORMED_CERT, -299, "a certificate is not valid PEM or DER X.509")          \
    X(ATEA_ERR_CHAIN_UNTRUSTED_ROOT, -440,                                                         \
      "the certificate chain does not end at a pinned vendor root")                                \
    X(ATEA_ERR_CHAIN_BAD_SIGNATURE, -441,                                                          \
      "a certificate in the chain is not signed by its issuer")                                    \
    X(ATEA_ERR_CHAIN_VALIDITY, -442,                                                               \
      "a certificate in the chain is expired or not yet valid at the verification time")           \
    X(ATEA_ERR_CHAIN_REVOKED, -443, "a certificate in the chain is revoked by its issuer's CRL")   \
    X(ATEA_ERR_CHAIN_CRL, -444,                                                                    \
      "a CRL is unusable: bad signature, wrong issuer, or outside its validity window")            \
    X(ATEA_ERR_CHAIN_INVALID, -445,                                                                \
      "the certificate chain is invalid (path, CA constraints or key usage)")                      \
    X(ATEA_ERR_TDX_QUOTE_SIGNATURE, -446,                                                          \
      "the quote signature does not verify with the quote's attestation key")                      \
    X(ATEA_ERR_TDX_QE_REPORT_SIGNATURE, -447,                                                      \
      "the quoting enclave report is not signed by the PCK certificate's key")                     \
    X(ATEA_ERR_TDX_QE_BINDING, -448,                                                               \
      "the quoting enclave report does not commit to the attestation key and QE auth data")        \
    X(ATEA_ERR_TDX_QE_IDENTITY, -449,                                                              \
      "the quoting enclave is not Intel's TD QE (MRSIGNER, ISVPRODID or attributes differ)")       \
    X(ATEA_ERR_TDX_REPORT_DATA, -450, "REPORTDATA does not match the binder for this connection")  \
    X(ATEA_ERR_TDX_PCK_EXTENSION, -451,                                                            \
      "the PCK certificate lacks a well-formed Intel SGX extension (FMSPC, TCB, PCE-ID)")          \
    X(ATEA_ERR_TDX_COLLATERAL_SIGNATURE, -452,                                                     \
      "a collateral document's signature does not verify with the TCB signing certificate")        \
    X(ATEA_ERR_TDX_COLLATERAL_STALE, -453,                                                         \
      "collateral (TCB info, QE identity, CRL or its signing certificate) is outside its "         \
      "validity window at the verification time")                                                  \
    X(ATEA_ERR_TDX_COLLATERAL_MISSING, -454,                                                       \
      "collateral needed for TCB status or revocation was not supplied")                           \
    X(ATEA_ERR_TDX_COLLATERAL_MISMATCH, -455,                                                      \
      "the collateral does not describe this platform (id, FMSPC, PCE-ID or TDX module)")          \
    X(ATEA_ERR_TDX_TCB_NO_MATCH, -456, "no TCB level in the TCB info matches the platform's SVNs") \
    X(ATEA_ERR_TDX_TCB_STATUS, -457, "the platform's TCB status is not UpToDate")                  \
    X(ATEA_ERR_TDX_TD_ATTRIBUTES, -458,                                                            \
      "the TD runs in debug mode or with non-zero SEAM attributes")                                \
    X(ATEA_ERR_EVENTLOG_MISMATCH, -459,                                                            \
      "replaying the event log does not reproduce the RTMRs in the quote")

#endif
