/*
 * A test-only atea_tls computed from a raw exporter_master_secret: TLS-Exporter of RFC 8446 §7.5
 * (Derive-Secret, then HKDF-Expand-Label "exporter" over Hash(context)) through libcrypto's HKDF.
 * It lets the EA layer run against the specs.md Appendix A vectors without a live connection,
 * and lets fuzz targets run deterministically. Every fact (version, role, handshake state,
 * ClientHello sigalgs and extensions) is a plain field that a test may change.
 */
#ifndef ATEA_TEST_TLS_SECRET_H
#define ATEA_TEST_TLS_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "atea/ea.h"
#include "atea/tls.h"
#include "atea/types.h"
#include "test_certs.h"

typedef struct atea_test_tls_secret {
    uint8_t secret[ATEA_HASH_MAX_LEN]; /* exporter_master_secret, hash-length bytes */
    atea_hash hash;
    atea_tls_role role;
    uint16_t version;   /* ATEA_TLS_VERSION_1_3 unless a test says otherwise */
    int handshake_done; /* 1 */
    size_t n_sigalgs;   /* peer_sigalgs */
    uint16_t sigalgs[ATEA_TLS_MAX_SIGALGS];
    size_t n_hello_extensions; /* peer_hello_extensions */
    uint16_t hello_extensions[ATEA_TLS_MAX_EXTENSIONS];
} atea_test_tls_secret;

/* Set up t (TLS 1.3, handshake done, the default ClientHello sigalgs of atea and no hello
 * extensions) and point tls at it. secret has atea_hash_len(hash) bytes. */
atea_err atea_test_tls_secret_init(atea_test_tls_secret *t, const uint8_t *secret, atea_hash hash,
                                   atea_tls_role role, atea_tls *tls) ATEA_MUST_USE;

/* TLS-Exporter(label, context, out_len) over secret (RFC 8446 §7.5). */
atea_err atea_test_tls_export(atea_hash hash, const uint8_t *secret, const char *label,
                              size_t label_len, const uint8_t *context, size_t context_len,
                              uint8_t *out, size_t out_len) ATEA_MUST_USE;

/* An rng for atea_ea_opts that hands out fixed contexts: call k returns bytes
 * first + k*len, first + k*len + 1, ... (mod 256), so that the Appendix A contexts 00..1f and
 * 20..3f come out in that order from first = 0. repeat = 1 returns the same bytes every call
 * (tests of context reuse). */
typedef struct atea_test_ctx_rng {
    uint8_t first;
    int repeat;
    unsigned calls;
} atea_test_ctx_rng;

atea_err atea_test_ctx_rng_fill(void *user, uint8_t *out, size_t len);

/* Both ends of one connection over one exporter_master_secret (every byte = seed), each with an
 * atea_ea whose contexts come from an atea_test_ctx_rng (client from 0x40, server from 0xc0).
 * opts may be NULL (defaults); its rng fields are replaced. Keep the struct in place while used. */
typedef struct atea_test_ea_conn {
    atea_test_tls_secret client_secret;
    atea_test_tls_secret server_secret;
    atea_tls client_tls;
    atea_tls server_tls;
    atea_test_ctx_rng client_rng;
    atea_test_ctx_rng server_rng;
    atea_ea *client;
    atea_ea *server;
} atea_test_ea_conn;

atea_err atea_test_ea_conn_init(atea_test_ea_conn *c, atea_hash hash, uint8_t seed,
                                const atea_ea_opts *opts) ATEA_MUST_USE;
void atea_test_ea_conn_dispose(atea_test_ea_conn *c);

/* A credential for an identity: chain = leaf, CA (or the leaf alone), the leaf key, and cmw. */
typedef struct atea_test_ea_cred {
    atea_ea_cert_in chain[2];
    atea_ea_credential cred;
} atea_test_ea_cred;

void atea_test_ea_cred_init(atea_test_ea_cred *c, const atea_test_identity *id, int with_ca,
                            const uint8_t *cmw, size_t cmw_len);

/* The certificate_request_context of an encoded request; aborts the test if it does not parse.
 * A slice of req. */
atea_slice atea_test_ea_req_context(const atea_buf *req);

#endif
