/*
 * atea_tls: what Exported Authenticators (RFC 9261) need from a live TLS connection, as a small
 * table of operations (style.md P5). src/backend/ossl implements it over an OpenSSL `SSL *`;
 * tests/testlib implements it from a raw exporter_master_secret (fixed vectors); an application
 * may plug in its own TLS stack. Nothing above this interface includes a TLS library's headers.
 */
#ifndef ATEA_TLS_H
#define ATEA_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_TLS_VERSION_1_3 0x0304

typedef enum atea_tls_role {
    ATEA_TLS_CLIENT = 0,
    ATEA_TLS_SERVER = 1,
} atea_tls_role;

/* The negotiated cipher suite's hash ("authenticator hash", RFC 9261 §5.1). */
typedef enum atea_hash {
    ATEA_HASH_SHA256 = 1,
    ATEA_HASH_SHA384 = 2,
    ATEA_HASH_SHA512 = 3,
} atea_hash;

#define ATEA_HASH_MAX_LEN 64

/* Output length of a hash (32, 48, 64), or 0 for an unknown value. */
size_t atea_hash_len(atea_hash hash);

/* Most peers offer far fewer; more is refused rather than truncated. */
#define ATEA_TLS_MAX_SIGALGS 64
#define ATEA_TLS_MAX_EXTENSIONS 64

typedef struct atea_tls_ops {
    /* TLS-Exporter(label, context, out_len) of RFC 8446 §7.5 over exporter_master_secret.
     * context_len may be 0: that is an empty context, as RFC 9261 §5.1 requires. */
    atea_err (*exporter)(void *impl, const char *label, size_t label_len, const uint8_t *context,
                         size_t context_len, uint8_t *out, size_t out_len);
    /* 0x0304 for TLS 1.3. */
    atea_err (*version)(void *impl, uint16_t *version);
    atea_err (*suite_hash)(void *impl, atea_hash *hash);
    atea_err (*role)(void *impl, atea_tls_role *role);
    /* 1 once the handshake is complete, including (on a server) verification of the client's
     * Finished (RFC 9261 §9). */
    atea_err (*handshake_done)(void *impl, int *done);
    /* The signature_algorithms the peer offered in its ClientHello (server side; for
     * spontaneous authenticators) or in its CertificateRequest (client side), in its order. */
    atea_err (*peer_sigalgs)(void *impl, uint16_t *out, size_t cap, size_t *n);
    /* The extension types of the peer's ClientHello (server side only; RFC 9261 §5.2.1: a
     * spontaneous authenticator carries only extensions the ClientHello had). */
    atea_err (*peer_hello_extensions)(void *impl, uint16_t *out, size_t cap, size_t *n);
    /* The peer's end-entity certificate from the handshake, DER; fails if it sent none. */
    atea_err (*peer_certificate)(void *impl, atea_buf *der);
} atea_tls_ops;

/* A TLS connection as seen by atea: the ops plus the backend's handle. Caller-owned. */
typedef struct atea_tls {
    const atea_tls_ops *ops;
    void *impl;
} atea_tls;

/* Checked wrappers: validate arguments, refuse TLS below 1.3 (ATEA_ERR_TLS_VERSION). */
atea_err atea_tls_exporter(const atea_tls *tls, const char *label, const uint8_t *context,
                           size_t context_len, uint8_t *out, size_t out_len) ATEA_MUST_USE;
atea_err atea_tls_require_13(const atea_tls *tls) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
