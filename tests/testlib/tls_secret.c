/* tls_secret.h: TLS-Exporter from a raw exporter_master_secret (RFC 8446 §7.1, §7.5). */
#include "tls_secret.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "atea_test.h"
#include "core/check.h"
#include "core/wr.h"
#include "ea/ea_internal.h"

/* HKDF-Expand-Label(secret, label, context, out_len) = HKDF-Expand(secret, HkdfLabel, out_len),
 * HkdfLabel = uint16 length || opaque label<7..255> = "tls13 " + label || opaque context<0..255>.
 */
static atea_err expand_label(atea_hash hash, const uint8_t *secret, const char *label,
                             size_t label_len, const uint8_t *ctx, size_t ctx_len, uint8_t *out,
                             size_t out_len)
{
    atea_err err = ATEA_OK;
    uint8_t info[2 + 1 + 255 + 1 + 255];
    atea_wr wr;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *kctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
    int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    ATEA_ENSURE(kctx != NULL, ATEA_ERR_TLS_EXPORTER);
    ATEA_ENSURE(out_len <= 0xffff, ATEA_ERR_INVALID_ARG);
    atea_wr_init_fixed(&wr, info, sizeof(info));
    ATEA_TRY(atea_wr_u16(&wr, (uint16_t)out_len));
    ATEA_TRY(atea_wr_open_vec(&wr, 1));
    ATEA_TRY(atea_wr_bytes(&wr, "tls13 ", 6));
    ATEA_TRY(atea_wr_bytes(&wr, label, label_len));
    ATEA_TRY(atea_wr_close_vec(&wr));
    ATEA_TRY(atea_wr_vec(&wr, 1, ctx, ctx_len));
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)atea_ea_digest_name(hash),
                                         0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret, atea_hash_len(hash)),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, atea_wr_len(&wr)),
        OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
        OSSL_PARAM_construct_end(),
    };
    ATEA_ENSURE(EVP_KDF_derive(kctx, out, out_len, params) == 1, ATEA_ERR_TLS_EXPORTER);
out:
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
    ERR_clear_error();
    return err;
}

atea_err atea_test_tls_export(atea_hash hash, const uint8_t *secret, const char *label,
                              size_t label_len, const uint8_t *context, size_t context_len,
                              uint8_t *out, size_t out_len)
{
    atea_err err = ATEA_OK;
    uint8_t empty_hash[ATEA_HASH_MAX_LEN];
    uint8_t ctx_hash[ATEA_HASH_MAX_LEN];
    uint8_t derived[ATEA_HASH_MAX_LEN];
    size_t hlen = atea_hash_len(hash);
    const EVP_MD *md =
        atea_ea_digest_name(hash) != NULL ? EVP_get_digestbyname(atea_ea_digest_name(hash)) : NULL;
    ATEA_ENSURE(md != NULL && secret != NULL && label != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(context != NULL || context_len == 0, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(EVP_Digest("", 0, empty_hash, NULL, md, NULL) == 1 &&
                    EVP_Digest(context != NULL ? (const void *)context : "", context_len, ctx_hash,
                               NULL, md, NULL) == 1,
                ATEA_ERR_TLS_EXPORTER);
    /* Derive-Secret(Secret, label, "") = HKDF-Expand-Label(Secret, label, Hash(""), Hash.length) */
    ATEA_TRY(expand_label(hash, secret, label, label_len, empty_hash, hlen, derived, hlen));
    ATEA_TRY(expand_label(hash, derived, "exporter", 8, ctx_hash, hlen, out, out_len));
out:
    atea_wipe(derived, sizeof(derived));
    return err;
}

static atea_err op_exporter(void *impl, const char *label, size_t label_len, const uint8_t *context,
                            size_t context_len, uint8_t *out, size_t out_len)
{
    const atea_test_tls_secret *t = impl;
    return atea_test_tls_export(t->hash, t->secret, label, label_len, context, context_len, out,
                                out_len);
}

static atea_err op_version(void *impl, uint16_t *version)
{
    *version = ((const atea_test_tls_secret *)impl)->version;
    return ATEA_OK;
}

static atea_err op_suite_hash(void *impl, atea_hash *hash)
{
    *hash = ((const atea_test_tls_secret *)impl)->hash;
    return ATEA_OK;
}

static atea_err op_role(void *impl, atea_tls_role *role)
{
    *role = ((const atea_test_tls_secret *)impl)->role;
    return ATEA_OK;
}

static atea_err op_handshake_done(void *impl, int *done)
{
    *done = ((const atea_test_tls_secret *)impl)->handshake_done;
    return ATEA_OK;
}

static atea_err copy_list(const uint16_t *src, size_t n, uint16_t *out, size_t cap, size_t *pn)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(n <= cap, ATEA_ERR_BUFFER_TOO_SMALL);
    memcpy(out, src, n * sizeof(*src));
    *pn = n;
out:
    return err;
}

static atea_err op_peer_sigalgs(void *impl, uint16_t *out, size_t cap, size_t *n)
{
    const atea_test_tls_secret *t = impl;
    return copy_list(t->sigalgs, t->n_sigalgs, out, cap, n);
}

static atea_err op_peer_hello_extensions(void *impl, uint16_t *out, size_t cap, size_t *n)
{
    const atea_test_tls_secret *t = impl;
    return t->role == ATEA_TLS_SERVER
               ? copy_list(t->hello_extensions, t->n_hello_extensions, out, cap, n)
               : ATEA_ERR_TLS_NO_OPS;
}

static atea_err op_peer_certificate(void *impl, atea_buf *der)
{
    (void)impl;
    (void)der;
    return ATEA_ERR_TLS_NO_PEER_CERT;
}

static const atea_tls_ops secret_ops = {
    .exporter = op_exporter,
    .version = op_version,
    .suite_hash = op_suite_hash,
    .role = op_role,
    .handshake_done = op_handshake_done,
    .peer_sigalgs = op_peer_sigalgs,
    .peer_hello_extensions = op_peer_hello_extensions,
    .peer_certificate = op_peer_certificate,
};

atea_err atea_test_tls_secret_init(atea_test_tls_secret *t, const uint8_t *secret, atea_hash hash,
                                   atea_tls_role role, atea_tls *tls)
{
    atea_err err = ATEA_OK;
    static const uint16_t hello_sigalgs[] = {0x0807, 0x0403, 0x0503, 0x0603, 0x0808, 0x0804,
                                             0x0805, 0x0806, 0x0809, 0x080a, 0x080b};
    size_t hlen = atea_hash_len(hash);
    ATEA_ENSURE(t != NULL && secret != NULL && tls != NULL && hlen > 0, ATEA_ERR_INVALID_ARG);
    memset(t, 0, sizeof(*t));
    memcpy(t->secret, secret, hlen);
    t->hash = hash;
    t->role = role;
    t->version = ATEA_TLS_VERSION_1_3;
    t->handshake_done = 1;
    t->n_sigalgs = ATEA_ARRAY_LEN(hello_sigalgs);
    memcpy(t->sigalgs, hello_sigalgs, sizeof(hello_sigalgs));
    tls->ops = &secret_ops;
    tls->impl = t;
out:
    return err;
}

atea_err atea_test_ctx_rng_fill(void *user, uint8_t *out, size_t len)
{
    atea_test_ctx_rng *rng = user;
    size_t start = rng->repeat ? 0 : (size_t)rng->calls * len;
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)(rng->first + start + i);
    }
    rng->calls++;
    return ATEA_OK;
}

atea_err atea_test_ea_conn_init(atea_test_ea_conn *c, atea_hash hash, uint8_t seed,
                                const atea_ea_opts *opts)
{
    atea_err err = ATEA_OK;
    uint8_t secret[ATEA_HASH_MAX_LEN];
    atea_ea_opts o;
    ATEA_ENSURE(c != NULL, ATEA_ERR_INVALID_ARG);
    memset(c, 0, sizeof(*c));
    memset(secret, seed, sizeof(secret));
    ATEA_TRY(atea_test_tls_secret_init(&c->client_secret, secret, hash, ATEA_TLS_CLIENT,
                                       &c->client_tls));
    ATEA_TRY(atea_test_tls_secret_init(&c->server_secret, secret, hash, ATEA_TLS_SERVER,
                                       &c->server_tls));
    c->client_rng.first = 0x40;
    c->server_rng.first = 0xc0;
    if (opts != NULL) {
        o = *opts;
    } else {
        atea_ea_opts_default(&o);
    }
    o.rng = atea_test_ctx_rng_fill;
    o.rng_user = &c->client_rng;
    ATEA_TRY(atea_ea_new(&c->client_tls, &o, &c->client));
    o.rng_user = &c->server_rng;
    ATEA_TRY(atea_ea_new(&c->server_tls, &o, &c->server));
out:
    if (err != ATEA_OK && c != NULL) {
        atea_test_ea_conn_dispose(c);
    }
    return err;
}

void atea_test_ea_conn_dispose(atea_test_ea_conn *c)
{
    atea_ea_free(c->client);
    atea_ea_free(c->server);
    c->client = NULL;
    c->server = NULL;
}

void atea_test_ea_cred_init(atea_test_ea_cred *c, const atea_test_identity *id, int with_ca,
                            const uint8_t *cmw, size_t cmw_len)
{
    memset(c, 0, sizeof(*c));
    c->chain[0].der = (atea_slice){id->leaf_der.data, id->leaf_der.len};
    c->chain[1].der = (atea_slice){id->ca_der.data, id->ca_der.len};
    c->cred.chain = c->chain;
    c->cred.n_chain = with_ca ? 2 : 1;
    c->cred.key = id->key;
    c->cred.cmw = (atea_slice){cmw, cmw_len};
}

atea_slice atea_test_ea_req_context(const atea_buf *req)
{
    atea_ea_req r;
    EXPECT_OK(atea_ea_req_parse(req->data, req->len, &r));
    return r.context;
}
