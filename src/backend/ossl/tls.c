/*
 * The atea_tls operations over an OpenSSL SSL (include/atea/tls.h). Each reads a fact of the
 * live connection; none changes it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/ossl.h"
#include "backend/ossl/ossl_internal.h"
#include "core/check.h"

/* A certificate in a TLS 1.3 Certificate message is opaque cert_data<1..2^24-1>. */
#define ATEA_OSSL_MAX_CERT_DER ((1u << 24) - 1)

static SSL *tls_ssl(void *impl)
{
    return impl != NULL ? ((atea_ossl_tls *)impl)->ssl : NULL;
}

/* RFC 8446 §7.5 TLS-Exporter; RFC 9261 §5.1 wants an empty (not absent) context, which in
 * TLS 1.3 is the same thing, and on TLS 1.2 is the RFC 5705 "empty context" form. */
static atea_err tls_exporter(void *impl, const char *label, size_t label_len,
                             const uint8_t *context, size_t context_len, uint8_t *out,
                             size_t out_len)
{
    atea_err err = ATEA_OK;
    static const uint8_t empty_context[1] = {0};
    SSL *ssl = tls_ssl(impl);
    ATEA_ENSURE_MSG(ssl != NULL && label != NULL && out != NULL && out_len > 0 &&
                        (context != NULL || context_len == 0),
                    ATEA_ERR_INVALID_ARG, "exporter: NULL argument or zero output length");
    /* RFC 9261 §9: no exporter output before the handshake (and, on a server, the client's
     * Finished) is complete; OpenSSL itself would answer from a half-built key schedule. */
    ATEA_ENSURE_MSG(SSL_is_init_finished(ssl), ATEA_ERR_TLS_NOT_READY,
                    "exporter \"%.*s\" asked before the TLS handshake completed",
                    (int)(label_len > 64 ? 64 : label_len), label);
    if (SSL_export_keying_material(ssl, out, out_len, label, label_len,
                                   context_len > 0 ? context : empty_context, context_len,
                                   1) != 1) {
        atea_wipe(out, out_len);
        ATEA_FAIL(ATEA_ERR_TLS_EXPORTER,
                  "SSL_export_keying_material failed for label of %zu bytes, context of %zu "
                  "bytes, %zu output bytes",
                  label_len, context_len, out_len);
    }
out:
    return err;
}

static atea_err tls_version(void *impl, uint16_t *version)
{
    atea_err err = ATEA_OK;
    SSL *ssl = tls_ssl(impl);
    ATEA_ENSURE(ssl != NULL && version != NULL, ATEA_ERR_INVALID_ARG);
    int v = SSL_version(ssl);
    ATEA_ENSURE_MSG(v > 0 && v <= 0xffff, ATEA_ERR_INTERNAL, "SSL_version returned %d", v);
    *version = (uint16_t)v;
out:
    return err;
}

static atea_err tls_suite_hash(void *impl, atea_hash *hash)
{
    atea_err err = ATEA_OK;
    SSL *ssl = tls_ssl(impl);
    ATEA_ENSURE(ssl != NULL && hash != NULL, ATEA_ERR_INVALID_ARG);
    const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);
    ATEA_ENSURE_MSG(cipher != NULL, ATEA_ERR_TLS_NOT_READY, "no cipher suite negotiated yet");
    const EVP_MD *md = SSL_CIPHER_get_handshake_digest(cipher);
    switch (md != NULL ? EVP_MD_get_type(md) : NID_undef) {
    case NID_sha256:
        *hash = ATEA_HASH_SHA256;
        break;
    case NID_sha384:
        *hash = ATEA_HASH_SHA384;
        break;
    case NID_sha512:
        *hash = ATEA_HASH_SHA512;
        break;
    default:
        ATEA_FAIL(ATEA_ERR_TLS_UNKNOWN_SUITE, "cipher suite %s has handshake digest %s",
                  SSL_CIPHER_get_name(cipher), md != NULL ? EVP_MD_get0_name(md) : "(none)");
    }
out:
    return err;
}

static atea_err tls_role(void *impl, atea_tls_role *role)
{
    atea_err err = ATEA_OK;
    SSL *ssl = tls_ssl(impl);
    ATEA_ENSURE(ssl != NULL && role != NULL, ATEA_ERR_INVALID_ARG);
    *role = SSL_is_server(ssl) ? ATEA_TLS_SERVER : ATEA_TLS_CLIENT;
out:
    return err;
}

/* A TLS 1.3 server completes only after it has verified the client's Finished, which is what
 * RFC 9261 §9 asks for before any authenticator is sent or accepted. */
static atea_err tls_handshake_done(void *impl, int *done)
{
    atea_err err = ATEA_OK;
    SSL *ssl = tls_ssl(impl);
    ATEA_ENSURE(ssl != NULL && done != NULL, ATEA_ERR_INVALID_ARG);
    *done = SSL_is_init_finished(ssl) ? 1 : 0;
out:
    return err;
}

static atea_err copy_u16_list(const uint16_t *src, size_t count, uint16_t *out, size_t cap,
                              size_t *n, const char *what)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(count <= cap, ATEA_ERR_BUFFER_TOO_SMALL,
                    "the peer's %s has %zu entries; the buffer holds %zu", what, count, cap);
    if (count > 0) {
        memcpy(out, src, count * sizeof(*src));
    }
    *n = count;
out:
    return err;
}

static const atea_ossl_hello *tls_hello(SSL *ssl)
{
    return SSL_is_server(ssl) ? atea__ossl_hello_get(ssl) : NULL;
}

/* Client side: the signature_algorithms of the server's CertificateRequest, which OpenSSL keeps
 * (SSL_get_sigalgs); the ClientHello record does not exist there. */
static atea_err client_peer_sigalgs(SSL *ssl, uint16_t *out, size_t cap, size_t *n)
{
    atea_err err = ATEA_OK;
    int count = SSL_get_sigalgs(ssl, -1, NULL, NULL, NULL, NULL, NULL);
    ATEA_ENSURE_MSG(count >= 0 && (size_t)count <= ATEA_TLS_MAX_SIGALGS,
                    ATEA_ERR_TLS_TOO_MANY_SIGALGS,
                    "the server's CertificateRequest offered %d signature algorithms; at most %d "
                    "are accepted",
                    count, ATEA_TLS_MAX_SIGALGS);
    ATEA_ENSURE_MSG((size_t)count <= cap, ATEA_ERR_BUFFER_TOO_SMALL,
                    "the peer's signature_algorithms has %d entries; the buffer holds %zu", count,
                    cap);
    for (int i = 0; i < count; i++) {
        unsigned char rsig = 0;
        unsigned char rhash = 0;
        ATEA_ENSURE_MSG(SSL_get_sigalgs(ssl, i, NULL, NULL, NULL, &rsig, &rhash) == count,
                        ATEA_ERR_INTERNAL, "SSL_get_sigalgs(%d) failed", i);
        out[i] = (uint16_t)((rhash << 8) | rsig);
    }
    *n = (size_t)count;
out:
    return err;
}

static atea_err tls_peer_sigalgs(void *impl, uint16_t *out, size_t cap, size_t *n)
{
    atea_err err = ATEA_OK;
    SSL *ssl = tls_ssl(impl);
    ATEA_ENSURE(ssl != NULL && n != NULL && (out != NULL || cap == 0), ATEA_ERR_INVALID_ARG);
    *n = 0;
    if (!SSL_is_server(ssl)) {
        ATEA_TRY(client_peer_sigalgs(ssl, out, cap, n));
        goto out;
    }
    const atea_ossl_hello *h = tls_hello(ssl);
    ATEA_ENSURE_MSG(h != NULL, ATEA_ERR_TLS_NO_CLIENT_HELLO, "%s",
                    "this server's SSL_CTX was not prepared by atea_ossl_ctx_prepare");
    ATEA_ENSURE_MSG(h->sigalgs_err == ATEA_OK, h->sigalgs_err,
                    "while recording the ClientHello: %s", h->sigalgs_detail);
    ATEA_TRY(copy_u16_list(h->sigalgs, h->n_sigalgs, out, cap, n, "signature_algorithms"));
out:
    return err;
}

static atea_err tls_peer_hello_extensions(void *impl, uint16_t *out, size_t cap, size_t *n)
{
    atea_err err = ATEA_OK;
    SSL *ssl = tls_ssl(impl);
    ATEA_ENSURE(ssl != NULL && n != NULL && (out != NULL || cap == 0), ATEA_ERR_INVALID_ARG);
    *n = 0;
    const atea_ossl_hello *h = tls_hello(ssl);
    ATEA_ENSURE_MSG(h != NULL, ATEA_ERR_TLS_NO_CLIENT_HELLO, "%s",
                    SSL_is_server(ssl)
                        ? "this server's SSL_CTX was not prepared by atea_ossl_ctx_prepare"
                        : "a client has no peer ClientHello");
    ATEA_ENSURE_MSG(h->exts_err == ATEA_OK, h->exts_err, "while recording the ClientHello: %s",
                    h->exts_detail);
    ATEA_TRY(copy_u16_list(h->exts, h->n_exts, out, cap, n, "ClientHello extension list"));
out:
    return err;
}

static atea_err tls_peer_certificate(void *impl, atea_buf *der)
{
    atea_err err = ATEA_OK;
    SSL *ssl = tls_ssl(impl);
    uint8_t *buf = NULL;
    ATEA_ENSURE(ssl != NULL && der != NULL, ATEA_ERR_INVALID_ARG);
    X509 *cert = SSL_get0_peer_certificate(ssl);
    ATEA_ENSURE(cert != NULL, ATEA_ERR_TLS_NO_PEER_CERT);
    int len = i2d_X509(cert, NULL);
    ATEA_ENSURE_MSG(len > 0 && (unsigned)len <= ATEA_OSSL_MAX_CERT_DER, ATEA_ERR_INTERNAL,
                    "i2d_X509 of the peer certificate returned %d", len);
    buf = malloc((size_t)len);
    ATEA_ENSURE_ALLOC(buf);
    uint8_t *p = buf;
    ATEA_ENSURE_MSG(i2d_X509(cert, &p) == len, ATEA_ERR_INTERNAL,
                    "i2d_X509 wrote a different length the second time");
    atea_buf_free(der);
    der->data = buf;
    der->len = (size_t)len;
    buf = NULL;
out:
    free(buf);
    return err;
}

static const atea_tls_ops atea_ossl_ops = {
    .exporter = tls_exporter,
    .version = tls_version,
    .suite_hash = tls_suite_hash,
    .role = tls_role,
    .handshake_done = tls_handshake_done,
    .peer_sigalgs = tls_peer_sigalgs,
    .peer_hello_extensions = tls_peer_hello_extensions,
    .peer_certificate = tls_peer_certificate,
};

const atea_tls_ops *atea_ossl_tls_ops(void)
{
    return &atea_ossl_ops;
}

atea_err atea_ossl_tls_init(atea_ossl_tls *t, SSL *ssl, atea_tls *out)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(t != NULL && ssl != NULL && out != NULL, ATEA_ERR_INVALID_ARG,
                    "atea_ossl_tls_init needs a state, an SSL and an output");
    t->ssl = ssl;
    out->ops = &atea_ossl_ops;
    out->impl = t;
out:
    return err;
}
