/*
 * Error codes of the ea layer (RFC 9261 Exported Authenticators, src/ea/). See atea/error.h for
 * the ranges this layer may use: -210..-239 (decode and protocol), -320..-349 (crypto).
 *
 * Every RFC 9261 validation rule has its own code (docs/EA.md lists them with the rule and the
 * TLS alert a peer would send). Malformed bytes also use the core decode codes
 * (ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING, ATEA_ERR_VEC_LENGTH).
 */
#ifndef ATEA_ERRORS_EA_H
#define ATEA_ERRORS_EA_H

#define ATEA_ERRORS_EA(X)                                                                          \
    X(ATEA_ERR_EA_MSG_TYPE, -210,                                                                  \
      "unexpected handshake message type where an Exported Authenticator message belongs")         \
    X(ATEA_ERR_EA_WRONG_DIRECTION, -211,                                                           \
      "the request type does not match its sender (servers send CertificateRequest, clients "      \
      "ClientCertificateRequest)")                                                                 \
    X(ATEA_ERR_EA_DUP_EXTENSION, -212, "an extension type appears twice in one extension list")    \
    X(ATEA_ERR_EA_TOO_MANY_EXTENSIONS, -213,                                                       \
      "an extension list has more entries than atea accepts")                                      \
    X(ATEA_ERR_EA_NO_SIGALGS, -214,                                                                \
      "the authenticator request has no signature_algorithms extension (RFC 9261 section 4)")      \
    X(ATEA_ERR_EA_BAD_SIGALGS, -215, "the signature_algorithms extension is malformed")            \
    X(ATEA_ERR_EA_UNKNOWN_CONTEXT, -216,                                                           \
      "the certificate_request_context matches no authenticator request sent on this connection")  \
    X(ATEA_ERR_EA_CONTEXT_ANSWERED, -217,                                                          \
      "an authenticator for this certificate_request_context was already created or validated")    \
    X(ATEA_ERR_EA_CONTEXT_REUSED, -218,                                                            \
      "the certificate_request_context was already used on this connection (in either "            \
      "direction)")                                                                                \
    X(ATEA_ERR_EA_CONTEXT_MISMATCH, -219,                                                          \
      "the authenticator's certificate_request_context differs from the request's")                \
    X(ATEA_ERR_EA_UNREQUESTED_EXTENSION, -220,                                                     \
      "the Certificate carries an extension that the authenticator request did not")               \
    X(ATEA_ERR_EA_UNREQUESTED_CMW, -221,                                                           \
      "the Certificate carries cmw_attestation but the request did not offer it "                  \
      "(alert unsupported_extension)")                                                             \
    X(ATEA_ERR_EA_CMW_NOT_FIRST, -222,                                                             \
      "cmw_attestation appears in a CertificateEntry other than the first (end-entity) one")       \
    X(ATEA_ERR_EA_BAD_CMW, -223,                                                                   \
      "the cmw_attestation extension is not a non-empty uint16-length-prefixed CMW")               \
    X(ATEA_ERR_EA_EMPTY_CERT_LIST, -224,                                                           \
      "the Certificate has no entries although a CertificateVerify follows")                       \
    X(ATEA_ERR_EA_TOO_MANY_CERTS, -225, "the certificate chain has more entries than allowed")     \
    X(ATEA_ERR_EA_MESSAGE_TOO_LARGE, -226,                                                         \
      "the authenticator or request exceeds the configured size limit")                            \
    X(ATEA_ERR_EA_BAD_CERT, -227, "a certificate in the chain is not a well-formed X.509 DER")     \
    X(ATEA_ERR_EA_EXT_NOT_ALLOWED, -228,                                                           \
      "an extension appears in a message where TLS 1.3 does not allow it")                         \
    X(ATEA_ERR_EA_NOT_SERVER, -229, "only a TLS server may send a spontaneous authenticator")      \
    X(ATEA_ERR_EA_UNSOLICITED, -230,                                                               \
      "an authenticator arrived but no request of this side is open (a client may not "            \
      "authenticate unasked, RFC 9261 section 3)")                                                 \
    X(ATEA_ERR_EA_TOO_MANY_CONTEXTS, -231,                                                         \
      "the connection has used more certificate_request_contexts than the configured limit")       \
    X(ATEA_ERR_EA_NO_CONTEXT, -232,                                                                \
      "the message carries no certificate_request_context (an empty authenticator)")               \
    X(ATEA_ERR_EA_SCHEME_NOT_OFFERED, -320,                                                        \
      "the CertificateVerify signature scheme was not offered in signature_algorithms")            \
    X(ATEA_ERR_EA_SCHEME_INVALID, -321,                                                            \
      "the signature scheme is not valid for TLS 1.3 (e.g. RSASSA-PKCS1-v1_5) or is unknown")      \
    X(ATEA_ERR_EA_SCHEME_KEY_MISMATCH, -322,                                                       \
      "the signature scheme does not fit the end-entity certificate's key")                        \
    X(ATEA_ERR_EA_BAD_SIGNATURE, -323,                                                             \
      "the CertificateVerify signature does not verify (wrong key, transcript or connection)")     \
    X(ATEA_ERR_EA_BAD_FINISHED, -324,                                                              \
      "the authenticator's Finished MAC does not match this connection and request")               \
    X(ATEA_ERR_EA_CHAIN, -325,                                                                     \
      "the certificate chain does not validate against the trusted certificates")                  \
    X(ATEA_ERR_EA_NO_COMMON_SCHEME, -326,                                                          \
      "no offered signature scheme fits the signing key; no authenticator can be built")           \
    X(ATEA_ERR_EA_SIGN, -327, "signing the CertificateVerify failed")                              \
    X(ATEA_ERR_EA_REFUSED, -328,                                                                   \
      "the peer refused: it answered the request with an empty authenticator")                     \
    X(ATEA_ERR_EA_KEY_MISMATCH, -329,                                                              \
      "the signing key does not match the end-entity certificate's public key")                    \
    X(ATEA_ERR_EA_CRYPTO, -330, "a hash or HMAC computation failed in libcrypto")                  \
    X(ATEA_ERR_EA_RNG, -331, "the random number generator failed")

#endif
