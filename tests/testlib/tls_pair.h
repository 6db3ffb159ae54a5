/*
 * An in-memory TLS client and server over a BIO pair (no sockets), both configured through
 * atea_ossl_ctx_prepare and exposed as ready atea_tls handles (picotls test_handshake style).
 * The client verifies the server's leaf against its CA; with a client identity, the server
 * requests, requires and verifies a client certificate.
 */
#ifndef ATEA_TEST_TLS_PAIR_H
#define ATEA_TEST_TLS_PAIR_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "atea/ossl.h"
#include "atea/tls.h"
#include "atea/types.h"
#include "test_certs.h"

typedef struct atea_test_tls_pair_opts {
    /* TLS 1.3 suite on both ends; NULL: TLS_AES_128_GCM_SHA256. */
    const char *ciphersuite;
    const atea_test_identity *server_id; /* required */
    /* NULL: the server sends no CertificateRequest. */
    const atea_test_identity *client_id;
    /* SSL_set1_sigalgs_list: the server's (its CertificateRequest's) and the client's (its
     * ClientHello's) signature algorithms. NULL: OpenSSL's defaults. */
    const char *server_sigalgs;
    const char *client_sigalgs;
    /* Both backends allow TLS 1.2 (atea_ossl_ctx_opts.allow_tls12). */
    int allow_tls12;
    /* The client allows and speaks at most TLS 1.2; the server accepts that only with
     * allow_tls12 (without it, the handshake must fail: TLS 1.3 is atea's minimum). */
    int tls12;
    /* TLS 1.2 cipher list on both ends (SSL_CTX_set_cipher_list); NULL: OpenSSL's default. */
    const char *tls12_ciphers;
    /* atea_ossl_ctx_opts.attested on both ends. */
    int attested;
    /* atea_ossl_ctx_opts.keylog_path on both ends (NULL: SSLKEYLOGFILE, if set). */
    const char *keylog_path;
    /* Do not run atea_ossl_ctx_prepare on the server's SSL_CTX (negative tests). */
    int server_unprepared;
} atea_test_tls_pair_opts;

typedef struct atea_test_tls_pair {
    SSL_CTX *client_ctx;
    SSL_CTX *server_ctx;
    SSL *client;
    SSL *server;
    atea_ossl_tls client_state;
    atea_ossl_tls server_state;
    atea_tls client_tls; /* the backend's ops over client / server */
    atea_tls server_tls;
    /* What the client's message callback saw: NewSessionTicket messages received, and the
     * last ClientHello it sent (full handshake message, 4-byte header included). */
    unsigned client_tickets_received;
    atea_buf client_hello;
} atea_test_tls_pair;

/* Create both ends, connected, without starting the handshake. ATEA_ERR_TLS_CONFIG if an
 * identity or an option is refused by OpenSSL; backend errors from atea_ossl_ctx_prepare. */
atea_err atea_test_tls_pair_start(atea_test_tls_pair **ppair,
                                  const atea_test_tls_pair_opts *opts) ATEA_MUST_USE;

/* Drive both ends until both report the handshake complete. ATEA_ERR_TLS_HANDSHAKE (detail: the
 * OpenSSL error) if either fails or the exchange does not finish. */
atea_err atea_test_tls_pair_handshake(atea_test_tls_pair *pair) ATEA_MUST_USE;

/* start + handshake. On failure *ppair is NULL and everything is freed. */
atea_err atea_test_tls_pair_new(atea_test_tls_pair **ppair,
                                const atea_test_tls_pair_opts *opts) ATEA_MUST_USE;

/* Send len bytes from one end and read exactly them at the other (into out, len bytes).
 * Post-handshake messages in front of the data (NewSessionTicket) are processed on the way. */
atea_err atea_test_tls_pair_transfer(atea_test_tls_pair *pair, int from_client, const uint8_t *data,
                                     size_t len, uint8_t *out) ATEA_MUST_USE;

/* One application-data round trip (client to server, server to client), so that whatever the
 * server sent after the handshake has reached the client. */
atea_err atea_test_tls_pair_pump(atea_test_tls_pair *pair) ATEA_MUST_USE;

void atea_test_tls_pair_free(atea_test_tls_pair *pair);

#endif
