/*
 * Session-test helper: an atea_tls computed from a raw exporter_master_secret (RFC 8446 §7.5),
 * so that the binder can be checked against the specs.md Appendix A vectors byte for byte
 * without a live connection. Header-only (static inline) so that it adds no link dependency to
 * atea_testlib.
 */
#ifndef ATEA_SESSION_SECRET_TLS_H
#define ATEA_SESSION_SECRET_TLS_H

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "atea/tls.h"

typedef struct session_secret_tls {
    uint8_t secret[ATEA_HASH_MAX_LEN];
    atea_hash hash;
    atea_tls_role role;
    uint16_t version;
} session_secret_tls;

static inline const char *session_secret_md(atea_hash hash)
{
    return hash == ATEA_HASH_SHA384 ? "SHA384" : hash == ATEA_HASH_SHA512 ? "SHA512" : "SHA256";
}

/* HKDF-Expand-Label(secret, label, ctx, out_len) of RFC 8446 §7.1. Returns 1 on success. */
static inline int session_secret_expand_label(atea_hash hash, const uint8_t *secret,
                                              const char *label, size_t label_len,
                                              const uint8_t *ctx, size_t ctx_len, uint8_t *out,
                                              size_t out_len)
{
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t n = 0;
    size_t hlen = atea_hash_len(hash);
    if (label_len + 6 > 255 || ctx_len > 255) {
        return 0;
    }
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(6 + label_len);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, label_len);
    n += label_len;
    info[n++] = (uint8_t)ctx_len;
    memcpy(info + n, ctx, ctx_len);
    n += ctx_len;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)session_secret_md(hash), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret, hlen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n),
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_end(),
    };
    int ok = kctx != NULL && EVP_KDF_derive(kctx, out, out_len, params) == 1;
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
    return ok;
}

static inline atea_err session_secret_exporter(void *impl, const char *label, size_t label_len,
                                               const uint8_t *context, size_t context_len,
                                               uint8_t *out, size_t out_len)
{
    session_secret_tls *t = impl;
    uint8_t empty_hash[ATEA_HASH_MAX_LEN];
    uint8_t ctx_hash[ATEA_HASH_MAX_LEN];
    uint8_t derived[ATEA_HASH_MAX_LEN];
    size_t hlen = atea_hash_len(t->hash);
    const EVP_MD *md = EVP_get_digestbyname(session_secret_md(t->hash));
    /* TLS-Exporter(label, context, L) = HKDF-Expand-Label(Derive-Secret(ems, label, ""),
     *                                                     "exporter", Hash(context), L) */
    if (EVP_Digest("", 0, empty_hash, NULL, md, NULL) != 1 ||
        EVP_Digest(context, context_len, ctx_hash, NULL, md, NULL) != 1 ||
        !session_secret_expand_label(t->hash, t->secret, label, label_len, empty_hash, hlen,
                                     derived, hlen) ||
        !session_secret_expand_label(t->hash, derived, "exporter", 8, ctx_hash, hlen, out,
                                     out_len)) {
        return ATEA_ERR_TLS_EXPORTER;
    }
    return ATEA_OK;
}

static inline atea_err session_secret_version(void *impl, uint16_t *version)
{
    *version = ((session_secret_tls *)impl)->version;
    return ATEA_OK;
}

static inline atea_err session_secret_suite_hash(void *impl, atea_hash *hash)
{
    *hash = ((session_secret_tls *)impl)->hash;
    return ATEA_OK;
}

static inline atea_err session_secret_role(void *impl, atea_tls_role *role)
{
    *role = ((session_secret_tls *)impl)->role;
    return ATEA_OK;
}

static inline atea_err session_secret_done(void *impl, int *done)
{
    (void)impl;
    *done = 1;
    return ATEA_OK;
}

static const atea_tls_ops session_secret_ops = {
    .exporter = session_secret_exporter,
    .version = session_secret_version,
    .suite_hash = session_secret_suite_hash,
    .role = session_secret_role,
    .handshake_done = session_secret_done,
};

/* secret_hex: the exporter_master_secret (hash-length bytes). */
static inline void session_secret_tls_init(session_secret_tls *t, atea_tls *tls, atea_hash hash,
                                           const uint8_t *secret)
{
    memset(t, 0, sizeof(*t));
    memcpy(t->secret, secret, atea_hash_len(hash));
    t->hash = hash;
    t->role = ATEA_TLS_CLIENT;
    t->version = ATEA_TLS_VERSION_1_3;
    tls->ops = &session_secret_ops;
    tls->impl = t;
}

#endif
