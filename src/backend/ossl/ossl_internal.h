/* Internals of the OpenSSL backend shared by its files (not part of the API). */
#ifndef ATEA_BACKEND_OSSL_INTERNAL_H
#define ATEA_BACKEND_OSSL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "atea/error.h"
#include "atea/tls.h"

/* What the server saw in the peer's ClientHello (RFC 9261 §5.2.1/§5.2.2: a spontaneous server
 * authenticator may use only the ClientHello's extensions and signature algorithms). A field
 * whose *_err is not ATEA_OK could not be recorded; the query reports that error and detail. */
typedef struct atea_ossl_hello {
    atea_err sigalgs_err;
    size_t n_sigalgs;
    uint16_t sigalgs[ATEA_TLS_MAX_SIGALGS];
    char sigalgs_detail[320];
    atea_err exts_err;
    size_t n_exts;
    uint16_t exts[ATEA_TLS_MAX_EXTENSIONS];
    char exts_detail[320];
} atea_ossl_hello;

/* Per-SSL_CTX state that OpenSSL callbacks without a user argument need (the key log). */
typedef struct atea_ossl_ctx_data {
    char *keylog_path;
    atea_log log;
} atea_ossl_ctx_data;

/* The ex_data indices of the backend: allocated once per process (CRYPTO_THREAD_run_once), never
 * changed afterwards. ATEA_ERR_INTERNAL if OpenSSL cannot allocate them. */
typedef struct atea_ossl_indices {
    int ssl_hello; /* SSL: atea_ossl_hello * */
    int ctx_data;  /* SSL_CTX: atea_ossl_ctx_data * */
} atea_ossl_indices;

atea_err atea__ossl_indices(atea_ossl_indices *out) ATEA_MUST_USE;

/*
 * Parse the body of a signature_algorithms extension (RFC 8446 §4.2.3):
 *     SignatureScheme supported_signature_algorithms<2..2^16-2>;
 * into out[0..*n), in the peer's order. Errors: ATEA_ERR_TRUNCATED, ATEA_ERR_VEC_LENGTH,
 * ATEA_ERR_TRAILING (core decode codes), ATEA_ERR_TLS_BAD_SIGALGS (odd length),
 * ATEA_ERR_TLS_TOO_MANY_SIGALGS (more than cap entries).
 */
atea_err atea__ossl_parse_sigalgs(const uint8_t *ext, size_t ext_len, uint16_t *out, size_t cap,
                                  size_t *n) ATEA_MUST_USE;

/* SSL_CTX_set_client_hello_cb callback: fills the SSL's atea_ossl_hello. */
int atea__ossl_client_hello_cb(SSL *ssl, int *alert, void *arg);

/* The record for ssl, or NULL if no ClientHello was recorded. */
const atea_ossl_hello *atea__ossl_hello_get(const SSL *ssl);

/* ex_data callbacks (registered with the indices). */
void atea__ossl_hello_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                           void *argp);
int atea__ossl_hello_dup(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d, int idx,
                         long argl, void *argp);
void atea__ossl_ctx_data_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                              void *argp);

/* Install the key log on ctx, appending to path (copied). Opens the file once to fail early. */
atea_err atea__ossl_keylog_install(SSL_CTX *ctx, const char *path,
                                   const atea_log *log) ATEA_MUST_USE;

/* Undo atea__ossl_keylog_install (no-op if it was never called on ctx). */
atea_err atea__ossl_keylog_remove(SSL_CTX *ctx) ATEA_MUST_USE;

#endif
