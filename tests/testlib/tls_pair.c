/* In-memory TLS pair over a BIO pair, configured through the OpenSSL backend. */
#include "tls_pair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "core/check.h"

/* A TLS 1.3 handshake takes 2 flights each way, TLS 1.2 a few more; anything beyond this is a
 * stall, not a slow peer. */
#define ATEA_TEST_PAIR_MAX_ROUNDS 32
#define ATEA_TEST_PAIR_DEFAULT_SUITE "TLS_AES_128_GCM_SHA256"
/* Caps what the message callback keeps of a ClientHello. */
#define ATEA_TEST_PAIR_MAX_HELLO 65536

/* The oldest queued OpenSSL error, for a detail line. */
static const char *ossl_error_text(char *buf, size_t size)
{
    unsigned long e = ERR_peek_error();
    if (e == 0) {
        snprintf(buf, size, "no OpenSSL error queued");
    } else {
        ERR_error_string_n(e, buf, size);
    }
    return buf;
}

/* Watches the client's handshake messages (RFC 8446 §4: type || uint24 length || body). */
static void client_msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
                          SSL *ssl, void *arg)
{
    (void)version;
    (void)ssl;
    atea_test_tls_pair *pair = arg;
    const uint8_t *msg = buf;
    if (content_type != SSL3_RT_HANDSHAKE || len < 4) {
        return;
    }
    if (!write_p && msg[0] == SSL3_MT_NEWSESSION_TICKET) {
        pair->client_tickets_received++;
    }
    if (write_p && msg[0] == SSL3_MT_CLIENT_HELLO && len <= ATEA_TEST_PAIR_MAX_HELLO) {
        if (atea_buf_set(&pair->client_hello, msg, len) != ATEA_OK) {
            atea_buf_free(&pair->client_hello);
        }
    }
}

static atea_err ctx_trust(SSL_CTX *ctx, const atea_test_identity *id, int mode)
{
    atea_err err = ATEA_OK;
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    ATEA_ENSURE_MSG(X509_STORE_add_cert(store, id->ca) == 1, ATEA_ERR_TLS_CONFIG,
                    "cannot trust the %s CA", atea_test_keytype_name(id->type));
    SSL_CTX_set_verify(ctx, mode, NULL);
out:
    return err;
}

static atea_err ctx_use_identity(SSL_CTX *ctx, const atea_test_identity *id)
{
    atea_err err = ATEA_OK;
    char why[256];
    ATEA_ENSURE_MSG(SSL_CTX_use_certificate(ctx, id->leaf) == 1 &&
                        SSL_CTX_use_PrivateKey(ctx, id->key) == 1 &&
                        SSL_CTX_check_private_key(ctx) == 1,
                    ATEA_ERR_TLS_CONFIG, "the %s identity is refused: %s",
                    atea_test_keytype_name(id->type), ossl_error_text(why, sizeof(why)));
out:
    return err;
}

/* One end's SSL_CTX: backend first (as every atea connection does), then the test's knobs. */
static atea_err make_ctx(const atea_test_tls_pair_opts *opts, int server, SSL_CTX **pctx)
{
    atea_err err = ATEA_OK;
    char why[256];
    atea_ossl_ctx_opts bo;
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    ATEA_ENSURE_ALLOC(ctx);
    atea_ossl_ctx_opts_default(&bo);
    bo.attested = opts->attested;
    bo.allow_tls12 = opts->allow_tls12 || (opts->tls12 && !server);
    bo.keylog_path = opts->keylog_path;
    if (!(server && opts->server_unprepared)) {
        ATEA_TRY(atea_ossl_ctx_prepare(ctx, &bo));
    }
    const char *suite =
        opts->ciphersuite != NULL ? opts->ciphersuite : ATEA_TEST_PAIR_DEFAULT_SUITE;
    ATEA_ENSURE_MSG(SSL_CTX_set_ciphersuites(ctx, suite) == 1, ATEA_ERR_TLS_CONFIG,
                    "cipher suite %s refused: %s", suite, ossl_error_text(why, sizeof(why)));
    if (opts->tls12_ciphers != NULL) {
        ATEA_ENSURE_MSG(SSL_CTX_set_cipher_list(ctx, opts->tls12_ciphers) == 1, ATEA_ERR_TLS_CONFIG,
                        "TLS 1.2 cipher list %s refused: %s", opts->tls12_ciphers,
                        ossl_error_text(why, sizeof(why)));
    }
    const char *sigalgs = server ? opts->server_sigalgs : opts->client_sigalgs;
    if (sigalgs != NULL) {
        ATEA_ENSURE_MSG(SSL_CTX_set1_sigalgs_list(ctx, sigalgs) == 1, ATEA_ERR_TLS_CONFIG,
                        "sigalgs list %s refused: %s", sigalgs, ossl_error_text(why, sizeof(why)));
    }
    if (!server && opts->tls12) {
        ATEA_ENSURE_MSG(SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) == 1,
                        ATEA_ERR_TLS_CONFIG, "cannot cap the client at TLS 1.2");
    }
    if (server) {
        ATEA_TRY(ctx_use_identity(ctx, opts->server_id));
        if (opts->client_id != NULL) {
            ATEA_TRY(
                ctx_trust(ctx, opts->client_id, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT));
        }
    } else {
        ATEA_TRY(ctx_trust(ctx, opts->server_id, SSL_VERIFY_PEER));
        if (opts->client_id != NULL) {
            ATEA_TRY(ctx_use_identity(ctx, opts->client_id));
        }
    }
    *pctx = ctx;
    ctx = NULL;
out:
    SSL_CTX_free(ctx);
    return err;
}

static atea_err connect_ends(atea_test_tls_pair *pair)
{
    atea_err err = ATEA_OK;
    BIO *client_bio = NULL;
    BIO *server_bio = NULL;
    pair->client = SSL_new(pair->client_ctx);
    pair->server = SSL_new(pair->server_ctx);
    ATEA_ENSURE_ALLOC(pair->client);
    ATEA_ENSURE_ALLOC(pair->server);
    ATEA_ENSURE_MSG(BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) == 1, ATEA_ERR_NO_MEMORY,
                    "BIO_new_bio_pair failed");
    SSL_set_bio(pair->client, client_bio, client_bio);
    SSL_set_bio(pair->server, server_bio, server_bio);
    SSL_set_connect_state(pair->client);
    SSL_set_accept_state(pair->server);
    SSL_set_msg_callback(pair->client, client_msg_cb);
    SSL_set_msg_callback_arg(pair->client, pair);
    ATEA_TRY(atea_ossl_tls_init(&pair->client_state, pair->client, &pair->client_tls));
    ATEA_TRY(atea_ossl_tls_init(&pair->server_state, pair->server, &pair->server_tls));
out:
    return err;
}

atea_err atea_test_tls_pair_start(atea_test_tls_pair **ppair, const atea_test_tls_pair_opts *opts)
{
    atea_err err = ATEA_OK;
    atea_test_tls_pair *pair = NULL;
    ATEA_ENSURE(ppair != NULL && opts != NULL && opts->server_id != NULL, ATEA_ERR_INVALID_ARG);
    *ppair = NULL;
    pair = calloc(1, sizeof(*pair));
    ATEA_ENSURE_ALLOC(pair);
    ATEA_TRY(make_ctx(opts, 0, &pair->client_ctx));
    ATEA_TRY(make_ctx(opts, 1, &pair->server_ctx));
    ATEA_TRY(connect_ends(pair));
    *ppair = pair;
    pair = NULL;
out:
    atea_test_tls_pair_free(pair);
    return err;
}

/* 1 done, 0 wants I/O, -1 failed. */
static int step(SSL *ssl)
{
    int r = SSL_do_handshake(ssl);
    if (r == 1) {
        return 1;
    }
    int e = SSL_get_error(ssl, r);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

atea_err atea_test_tls_pair_handshake(atea_test_tls_pair *pair)
{
    atea_err err = ATEA_OK;
    char why[256];
    ATEA_ENSURE(pair != NULL, ATEA_ERR_INVALID_ARG);
    ERR_clear_error();
    for (int round = 0; round < ATEA_TEST_PAIR_MAX_ROUNDS; round++) {
        /* The error queue is per thread, shared by both ends: read it before the other end
         * adds its view of the failure (the alert it received). */
        int c = step(pair->client);
        ATEA_ENSURE_MSG(c >= 0, ATEA_ERR_TLS_HANDSHAKE, "client failed: %s",
                        ossl_error_text(why, sizeof(why)));
        int s = step(pair->server);
        ATEA_ENSURE_MSG(s >= 0, ATEA_ERR_TLS_HANDSHAKE, "server failed: %s",
                        ossl_error_text(why, sizeof(why)));
        if (c == 1 && s == 1) {
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_TLS_HANDSHAKE, "no completion after %d rounds", ATEA_TEST_PAIR_MAX_ROUNDS);
out:
    return err;
}

atea_err atea_test_tls_pair_new(atea_test_tls_pair **ppair, const atea_test_tls_pair_opts *opts)
{
    atea_err err = ATEA_OK;
    atea_test_tls_pair *pair = NULL;
    ATEA_TRY(atea_test_tls_pair_start(&pair, opts));
    ATEA_TRY(atea_test_tls_pair_handshake(pair));
    *ppair = pair;
    pair = NULL;
out:
    atea_test_tls_pair_free(pair);
    return err;
}

atea_err atea_test_tls_pair_transfer(atea_test_tls_pair *pair, int from_client, const uint8_t *data,
                                     size_t len, uint8_t *out)
{
    atea_err err = ATEA_OK;
    char why[256];
    size_t written = 0;
    size_t got = 0;
    ATEA_ENSURE(pair != NULL && data != NULL && out != NULL && len > 0, ATEA_ERR_INVALID_ARG);
    SSL *from = from_client ? pair->client : pair->server;
    SSL *to = from_client ? pair->server : pair->client;
    ERR_clear_error();
    ATEA_ENSURE_MSG(SSL_write_ex(from, data, len, &written) == 1 && written == len,
                    ATEA_ERR_TLS_HANDSHAKE, "SSL_write of %zu bytes failed: %s", len,
                    ossl_error_text(why, sizeof(why)));
    for (int round = 0; round < ATEA_TEST_PAIR_MAX_ROUNDS && got < len; round++) {
        size_t n = 0;
        if (SSL_read_ex(to, out + got, len - got, &n) == 1) {
            got += n;
            continue;
        }
        int e = SSL_get_error(to, 0);
        ATEA_ENSURE_MSG(e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE,
                        ATEA_ERR_TLS_HANDSHAKE, "SSL_read failed (%d): %s", e,
                        ossl_error_text(why, sizeof(why)));
    }
    ATEA_ENSURE_MSG(got == len, ATEA_ERR_TLS_HANDSHAKE, "read %zu of %zu bytes", got, len);
out:
    return err;
}

atea_err atea_test_tls_pair_pump(atea_test_tls_pair *pair)
{
    atea_err err = ATEA_OK;
    static const uint8_t ping[4] = {'p', 'i', 'n', 'g'};
    static const uint8_t pong[4] = {'p', 'o', 'n', 'g'};
    uint8_t got[4];
    ATEA_TRY(atea_test_tls_pair_transfer(pair, 1, ping, sizeof(ping), got));
    ATEA_ENSURE_MSG(memcmp(got, ping, sizeof(ping)) == 0, ATEA_ERR_INTERNAL,
                    "the server read other bytes than the client wrote");
    ATEA_TRY(atea_test_tls_pair_transfer(pair, 0, pong, sizeof(pong), got));
    ATEA_ENSURE_MSG(memcmp(got, pong, sizeof(pong)) == 0, ATEA_ERR_INTERNAL,
                    "the client read other bytes than the server wrote");
out:
    return err;
}

void atea_test_tls_pair_free(atea_test_tls_pair *pair)
{
    if (pair == NULL) {
        return;
    }
    SSL_free(pair->client);
    SSL_free(pair->server);
    SSL_CTX_free(pair->client_ctx);
    SSL_CTX_free(pair->server_ctx);
    atea_buf_free(&pair->client_hello);
    free(pair);
}
