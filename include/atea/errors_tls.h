/* Error codes of the TLS adapter layer (include/atea/tls.h, src/backend/). */
#ifndef ATEA_ERRORS_TLS_H
#define ATEA_ERRORS_TLS_H

#define ATEA_ERRORS_TLS(X)                                                                         \
    X(ATEA_ERR_TLS_NOT_READY, -110,                                                                \
      "the TLS handshake is not complete (on a server: client Finished not yet verified)")         \
    X(ATEA_ERR_TLS_NO_OPS, -111, "the TLS adapter does not provide this operation")                \
    X(ATEA_ERR_TLS_VERSION, -300,                                                                  \
      "the connection is not TLS 1.3; atea refuses TLS 1.2 and below for authenticators")          \
    X(ATEA_ERR_TLS_EXPORTER, -301, "the TLS exporter failed")                                      \
    X(ATEA_ERR_TLS_UNKNOWN_SUITE, -302,                                                            \
      "the negotiated cipher suite has no hash atea supports (SHA-256/384/512)")                   \
    X(ATEA_ERR_TLS_NO_PEER_CERT, -303, "the peer presented no certificate in the TLS handshake")   \
    X(ATEA_ERR_TLS_HANDSHAKE, -304, "the TLS handshake failed")                                    \
    X(ATEA_ERR_TLS_KEYLOG, -305, "cannot write the SSLKEYLOGFILE key log")                         \
    X(ATEA_ERR_TLS_CONFIG, -306, "the TLS configuration is invalid (certificate, key or CA file)") \
    X(ATEA_ERR_TLS_NO_CLIENT_HELLO, -112,                                                          \
      "no ClientHello was recorded for this connection (only a server records one, and only if "   \
      "its SSL_CTX went through atea_ossl_ctx_prepare)")                                           \
    X(ATEA_ERR_TLS_CTX_SETUP, -113,                                                                \
      "OpenSSL refused a setting atea needs on the SSL_CTX (see the detail)")                      \
    X(ATEA_ERR_TLS_BAD_SIGALGS, -307,                                                              \
      "the peer's signature_algorithms extension is malformed (odd length)")                       \
    X(ATEA_ERR_TLS_TOO_MANY_SIGALGS, -308,                                                         \
      "the peer offered more signature algorithms than atea accepts (ATEA_TLS_MAX_SIGALGS)")       \
    X(ATEA_ERR_TLS_TOO_MANY_EXTENSIONS, -309,                                                      \
      "the peer's ClientHello has more extensions than atea accepts (ATEA_TLS_MAX_EXTENSIONS)")

#endif
