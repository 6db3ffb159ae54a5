/*
 * The OpenSSL 3.0 backend of the TLS adapter (include/atea/tls.h, style.md P5).
 *
 * Two steps, both required for an atea connection:
 *   1. atea_ossl_ctx_prepare(ctx, &opts) on every SSL_CTX, before its first SSL_new: TLS 1.3
 *      minimum, no tickets and no 0-RTT on attested connections (profile.md §3), the ClientHello
 *      recorder that spontaneous server authenticators need (RFC 9261 §5.2.1, §5.2.2), and
 *      SSLKEYLOGFILE.
 *   2. atea_ossl_tls_init(&t, ssl, &tls) on each connection: fills an atea_tls whose operations
 *      read that SSL. It borrows ssl; the caller keeps both t and ssl alive while tls is used.
 *
 * This header declares OpenSSL's handles through <openssl/types.h> only; it does not pull in
 * <openssl/ssl.h>.
 */
#ifndef ATEA_OSSL_H
#define ATEA_OSSL_H

#include <openssl/types.h>

#include "atea/error.h"
#include "atea/tls.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_OSSL_CTX_OPTS_V1 1
#define ATEA_OSSL_CTX_OPTS_VERSION ATEA_OSSL_CTX_OPTS_V1

/* Name of the environment variable read by atea_ossl_ctx_prepare (the NSS key log convention
 * that curl, Firefox and Wireshark share). */
#define ATEA_OSSL_KEYLOG_ENV "SSLKEYLOGFILE"

/* Options of atea_ossl_ctx_prepare. Fill with atea_ossl_ctx_opts_default(); fields are only ever
 * appended, and `version` tells the library which fields the caller knows. */
typedef struct atea_ossl_ctx_opts {
    unsigned version; /* ATEA_OSSL_CTX_OPTS_VERSION */
    /* 1 (default): the server sends no NewSessionTicket, the SSL_CTX keeps no sessions and
     * accepts and offers no early data (profile.md §3: attested connections are never
     * resumed and carry no 0-RTT). 0: leave OpenSSL's session and ticket defaults alone. */
    int attested;
    /* 0 (default): TLS 1.3 is the minimum version. 1: allow TLS 1.2 too. Only tests use this,
     * to prove that the layers above refuse a TLS 1.2 connection (ATEA_ERR_TLS_VERSION). */
    int allow_tls12;
    /* Append NSS key log lines to this file (created with mode 0600). NULL (default): use the
     * SSLKEYLOGFILE environment variable if keylog_from_env is set and the variable is not
     * empty. The path is copied. */
    const char *keylog_path;
    /* 1 (default): honour SSLKEYLOGFILE when keylog_path is NULL (never in a set-user-ID or
     * set-group-ID process, as secure_getenv). 0: ignore the environment. */
    int keylog_from_env;
    /* Where key-log write failures are reported (the callback cannot fail the handshake).
     * log.user must outlive the SSL_CTX. */
    atea_log log;
} atea_ossl_ctx_opts;

void atea_ossl_ctx_opts_default_versioned(unsigned version, atea_ossl_ctx_opts *opts);
#define atea_ossl_ctx_opts_default(opts)                                                           \
    atea_ossl_ctx_opts_default_versioned(ATEA_OSSL_CTX_OPTS_VERSION, (opts))

/*
 * Configure ctx for atea. Call once per SSL_CTX, before any SSL is created from it; a second
 * call replaces the key-log configuration of the first.
 *
 * - Minimum protocol version TLS 1.3 (TLS 1.2 with opts->allow_tls12).
 * - Installs a ClientHello callback (SSL_CTX_set_client_hello_cb; it replaces any callback the
 *   application set) that records, per SSL, the peer's signature_algorithms and the types of
 *   its ClientHello extensions, in wire order. The record lives in the SSL's ex_data under an
 *   index that atea allocates once per process (CRYPTO_get_ex_new_index under
 *   CRYPTO_THREAD_run_once, the way OpenSSL applications do it); it is freed with the SSL.
 * - opts->attested: SSL_CTX_set_num_tickets(0), SSL_OP_NO_TICKET, session cache off,
 *   max_early_data and recv_max_early_data 0.
 * - Key log: if a path is configured (see keylog_path), installs SSL_CTX_set_keylog_callback,
 *   replacing any callback the application set. Each line is appended with one write to a file
 *   opened O_APPEND|O_CREAT with mode 0600, and closed again (no FILE* kept anywhere). The file
 *   is opened once here so that an unusable path fails now rather than silently later.
 *
 * Errors: ATEA_ERR_INVALID_ARG (NULL ctx or opts, unknown opts->version),
 * ATEA_ERR_TLS_CTX_SETUP (OpenSSL refused a setting), ATEA_ERR_TLS_KEYLOG (the key log file
 * cannot be opened for appending), ATEA_ERR_NO_MEMORY, ATEA_ERR_INTERNAL (no ex_data index).
 */
atea_err atea_ossl_ctx_prepare(SSL_CTX *ctx, const atea_ossl_ctx_opts *opts) ATEA_MUST_USE;

/* The adapter state for one connection. Caller-embeddable; nothing to free. */
typedef struct atea_ossl_tls {
    SSL *ssl; /* borrowed */
} atea_ossl_tls;

/*
 * Make *out an atea_tls over ssl (out->impl = t). The operations:
 *  - exporter: SSL_export_keying_material with use_context=1 and the given (possibly empty)
 *    context. Refused with ATEA_ERR_TLS_NOT_READY until the handshake is complete (RFC 9261 §9:
 *    on a server, after the client Finished is verified); ATEA_ERR_TLS_EXPORTER if OpenSSL fails
 *    (label longer than 249 bytes, output too long); the output is wiped on failure.
 *  - version: SSL_version (0x0304 for TLS 1.3, 0x0303 for TLS 1.2; this adapter only reports).
 *  - suite_hash: the handshake digest of the negotiated suite; ATEA_ERR_TLS_NOT_READY before a
 *    suite is negotiated, ATEA_ERR_TLS_UNKNOWN_SUITE if it is not SHA-256/384/512.
 *  - role: SSL_is_server.   handshake_done: SSL_is_init_finished.
 *  - peer_sigalgs: server side, the ClientHello's signature_algorithms as recorded by the
 *    callback of atea_ossl_ctx_prepare (ATEA_ERR_TLS_NO_CLIENT_HELLO without it,
 *    ATEA_ERR_TLS_BAD_SIGALGS / ATEA_ERR_TLS_TOO_MANY_SIGALGS / a core decode code if the
 *    extension could not be recorded); client side, the signature_algorithms of the server's
 *    CertificateRequest (SSL_get_sigalgs), none if the server sent no CertificateRequest.
 *    ATEA_ERR_BUFFER_TOO_SMALL if cap is too small.
 *  - peer_hello_extensions: server side only, the ClientHello's extension types in wire order
 *    (ATEA_ERR_TLS_NO_CLIENT_HELLO on a client, ATEA_ERR_TLS_TOO_MANY_EXTENSIONS,
 *    ATEA_ERR_BUFFER_TOO_SMALL). OpenSSL 3.0 shows a ClientHello callback only the types it
 *    knows: built-in ones and those registered on the SSL_CTX with SSL_CTX_add_custom_ext. The
 *    list may therefore miss a private type (register it to see it, e.g. cmw_attestation), but
 *    never holds one the ClientHello lacked, so RFC 9261 §5.2.1 checks against it fail safe.
 *  - peer_certificate: DER of SSL_get0_peer_certificate (ATEA_ERR_TLS_NO_PEER_CERT if none).
 * Errors of this function: ATEA_ERR_INVALID_ARG (a NULL argument).
 */
atea_err atea_ossl_tls_init(atea_ossl_tls *t, SSL *ssl, atea_tls *out) ATEA_MUST_USE;

/* The operations table used by atea_ossl_tls_init (impl must be an atea_ossl_tls *). */
const atea_tls_ops *atea_ossl_tls_ops(void);

#ifdef __cplusplus
}
#endif
#endif
