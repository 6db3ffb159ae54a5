/*
 * The OpenSSL adapter over real in-memory handshakes: every key type and both TLS 1.3 suites,
 * the four RFC 9261 §5.1 exporters on both ends, suite hash, role, handshake state, peer
 * certificate, TLS 1.2 reporting, and the argument and state checks of each operation.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "atea/ossl.h"
#include "atea_test.h"
#include "test_certs.h"
#include "tls_pair.h"

#define SUITE_SHA256 "TLS_AES_128_GCM_SHA256"
#define SUITE_SHA384 "TLS_AES_256_GCM_SHA384"

/* RFC 9261 §5.1: the four exporters, labelled by who sends the authenticator. */
static const char *const ea_labels[4] = {
    "EXPORTER-client authenticator handshake context",
    "EXPORTER-client authenticator finished key",
    "EXPORTER-server authenticator handshake context",
    "EXPORTER-server authenticator finished key",
};

static atea_err export(const atea_tls *tls, const char *label, uint8_t *out, size_t len)
{
    return tls->ops->exporter(tls->impl, label, strlen(label), NULL, 0, out, len);
}

/* The four EA exporters with an empty context and Hash.length output: equal on both ends,
 * pairwise different. Returns them (client's view) in out[4][64]. */
static void check_ea_exporters(const atea_test_tls_pair *pair, size_t len, uint8_t out[4][64])
{
    for (size_t i = 0; i < 4; i++) {
        uint8_t server_view[64];
        EXPECT_OK(export(&pair->client_tls, ea_labels[i], out[i], len));
        EXPECT_OK(export(&pair->server_tls, ea_labels[i], server_view, len));
        assert_memory_equal(out[i], server_view, len);
        for (size_t j = 0; j < i; j++) {
            assert_memory_not_equal(out[i], out[j], len);
        }
    }
}

static void check_facts(const atea_test_tls_pair *pair, atea_hash want_hash)
{
    const atea_tls *ends[2] = {&pair->client_tls, &pair->server_tls};
    for (int i = 0; i < 2; i++) {
        uint16_t version = 0;
        atea_hash hash = 0;
        atea_tls_role role = 0;
        int done = 0;
        EXPECT_OK(ends[i]->ops->version(ends[i]->impl, &version));
        EXPECT_OK(ends[i]->ops->suite_hash(ends[i]->impl, &hash));
        EXPECT_OK(ends[i]->ops->role(ends[i]->impl, &role));
        EXPECT_OK(ends[i]->ops->handshake_done(ends[i]->impl, &done));
        assert_int_equal(version, ATEA_TLS_VERSION_1_3);
        assert_int_equal(hash, want_hash);
        assert_int_equal(role, i == 0 ? ATEA_TLS_CLIENT : ATEA_TLS_SERVER);
        assert_int_equal(done, 1);
    }
}

static void check_peer_cert(const atea_tls *tls, const atea_test_identity *peer)
{
    atea_buf der = {0};
    EXPECT_OK(tls->ops->peer_certificate(tls->impl, &der));
    assert_int_equal(der.len, peer->leaf_der.len);
    assert_memory_equal(der.data, peer->leaf_der.data, der.len);
    atea_buf_free(&der);
}

/* len: the suite hash's output length (RFC 9261 §5.1: the exporters' length). */
static void run_suite_for_every_key(atea_test_identities *ids, const char *suite, atea_hash want,
                                    size_t len)
{
    uint8_t first[4][64];
    for (int t = 0; t < ATEA_TEST_KEY_COUNT; t++) {
        const atea_test_identity *id = atea_test_identities_get(ids, (atea_test_keytype)t);
        /* The client uses the other key type of the pair, so both directions vary. */
        const atea_test_identity *client_id =
            atea_test_identities_get(ids, (atea_test_keytype)((t + 1) % ATEA_TEST_KEY_COUNT));
        atea_test_tls_pair_opts o = {
            .ciphersuite = suite, .server_id = id, .client_id = client_id, .attested = 1};
        atea_test_tls_pair *pair = NULL;
        uint8_t keys[4][64];
        EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
        check_facts(pair, want);
        check_ea_exporters(pair, len, keys);
        check_peer_cert(&pair->client_tls, id);
        check_peer_cert(&pair->server_tls, client_id);
        if (t == 0) {
            memcpy(first, keys, sizeof(first));
        } else {
            /* A different connection has a different exporter_master_secret. */
            for (size_t i = 0; i < 4; i++) {
                assert_memory_not_equal(keys[i], first[i], len);
            }
        }
        atea_test_tls_pair_free(pair);
    }
}

static void test_every_key_type_sha256(void **state)
{
    run_suite_for_every_key(*state, SUITE_SHA256, ATEA_HASH_SHA256, 32);
}

static void test_every_key_type_sha384(void **state)
{
    run_suite_for_every_key(*state, SUITE_SHA384, ATEA_HASH_SHA384, 48);
}

/* RFC 9261 §9: a server must not export before the client's Finished is verified. Step the
 * handshake by hand to stand between the client's completion and the server's. */
static void test_handshake_done_and_exporter_gating(void **state)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    atea_test_tls_pair_opts o = {.server_id = id, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    uint8_t out[32];
    int done = -1;
    atea_hash hash = 0;
    atea_buf der = {0};
    EXPECT_OK(atea_test_tls_pair_start(&pair, &o));
    EXPECT_OK(pair->server_tls.ops->handshake_done(pair->server_tls.impl, &done));
    assert_int_equal(done, 0);
    EXPECT_ERR(export(&pair->client_tls, ea_labels[0], out, sizeof(out)), ATEA_ERR_TLS_NOT_READY);
    EXPECT_ERR(pair->client_tls.ops->suite_hash(pair->client_tls.impl, &hash),
               ATEA_ERR_TLS_NOT_READY);
    EXPECT_ERR(pair->client_tls.ops->peer_certificate(pair->client_tls.impl, &der),
               ATEA_ERR_TLS_NO_PEER_CERT);

    assert_int_equal(SSL_do_handshake(pair->client), -1); /* ClientHello */
    assert_int_equal(SSL_do_handshake(pair->server), -1); /* ServerHello .. Finished */
    assert_int_equal(SSL_do_handshake(pair->client), 1);  /* client Finished */
    EXPECT_OK(pair->client_tls.ops->handshake_done(pair->client_tls.impl, &done));
    assert_int_equal(done, 1);
    EXPECT_OK(pair->server_tls.ops->handshake_done(pair->server_tls.impl, &done));
    assert_int_equal(done, 0);
    EXPECT_ERR(export(&pair->server_tls, ea_labels[2], out, sizeof(out)), ATEA_ERR_TLS_NOT_READY);
    EXPECT_OK(export(&pair->client_tls, ea_labels[2], out, sizeof(out)));

    EXPECT_OK(atea_test_tls_pair_handshake(pair));
    EXPECT_OK(pair->server_tls.ops->handshake_done(pair->server_tls.impl, &done));
    assert_int_equal(done, 1);
    uint8_t server_view[32];
    EXPECT_OK(export(&pair->server_tls, ea_labels[2], server_view, sizeof(server_view)));
    assert_memory_equal(out, server_view, sizeof(out));
    atea_test_tls_pair_free(pair);
}

static void test_exporter_context_and_arguments(void **state)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_ED25519);
    atea_test_tls_pair_opts o = {.server_id = id, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    const atea_tls *c = NULL;
    uint8_t empty_ctx[32];
    uint8_t with_ctx[32];
    uint8_t peer[32];
    const uint8_t context[3] = {1, 2, 3};
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    c = &pair->client_tls;
    EXPECT_OK(c->ops->exporter(c->impl, "Attestation", 11, NULL, 0, empty_ctx, 32));
    EXPECT_OK(c->ops->exporter(c->impl, "Attestation", 11, context, 3, with_ctx, 32));
    EXPECT_OK(pair->server_tls.ops->exporter(pair->server_tls.impl, "Attestation", 11, context, 3,
                                             peer, 32));
    assert_memory_not_equal(empty_ctx, with_ctx, 32);
    assert_memory_equal(with_ctx, peer, 32);

    /* "tls13 " + label must fit in 255 bytes (RFC 8446 §7.1): 249 is the longest label. */
    char long_label[251];
    memset(long_label, 'x', sizeof(long_label));
    EXPECT_OK(c->ops->exporter(c->impl, long_label, 249, NULL, 0, with_ctx, 32));
    memset(with_ctx, 0xaa, sizeof(with_ctx));
    EXPECT_ERR(c->ops->exporter(c->impl, long_label, 250, NULL, 0, with_ctx, 32),
               ATEA_ERR_TLS_EXPORTER);
    static const uint8_t zeros[32] = {0};
    assert_memory_equal(with_ctx, zeros, 32); /* wiped on failure */

    EXPECT_ERR(c->ops->exporter(c->impl, NULL, 0, NULL, 0, with_ctx, 32), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(c->ops->exporter(c->impl, "x", 1, NULL, 0, with_ctx, 0), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(c->ops->exporter(c->impl, "x", 1, NULL, 3, with_ctx, 32), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(c->ops->exporter(NULL, "x", 1, NULL, 0, with_ctx, 32), ATEA_ERR_INVALID_ARG);
    atea_test_tls_pair_free(pair);
}

static void test_tls12_is_reported_not_refused(void **state)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    atea_test_tls_pair_opts o = {.server_id = id, .tls12 = 1, .allow_tls12 = 1, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    uint16_t version = 0;
    atea_hash hash = 0;
    uint8_t a[32];
    uint8_t b[32];
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    EXPECT_OK(pair->client_tls.ops->version(pair->client_tls.impl, &version));
    assert_int_equal(version, 0x0303);
    EXPECT_OK(pair->server_tls.ops->version(pair->server_tls.impl, &version));
    assert_int_equal(version, 0x0303);
    EXPECT_OK(pair->server_tls.ops->suite_hash(pair->server_tls.impl, &hash));
    assert_true(hash == ATEA_HASH_SHA256 || hash == ATEA_HASH_SHA384);
    EXPECT_OK(export(&pair->client_tls, ea_labels[0], a, sizeof(a)));
    EXPECT_OK(export(&pair->server_tls, ea_labels[0], b, sizeof(b)));
    assert_memory_equal(a, b, sizeof(a));
    atea_test_tls_pair_free(pair);

    /* A TLS 1.2 suite whose PRF hash is MD5+SHA-1 has no authenticator hash. */
    o.tls12_ciphers = "ECDHE-ECDSA-AES128-SHA";
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    EXPECT_ERR(pair->client_tls.ops->suite_hash(pair->client_tls.impl, &hash),
               ATEA_ERR_TLS_UNKNOWN_SUITE);
    assert_non_null(strstr(atea_err_last()->detail, "ECDHE-ECDSA-AES128-SHA"));
    atea_test_tls_pair_free(pair);
}

/* Without allow_tls12, atea_ossl_ctx_prepare makes TLS 1.3 the minimum: a TLS 1.2-only client
 * cannot connect. */
static void test_tls12_refused_by_default(void **state)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    atea_test_tls_pair_opts o = {.server_id = id, .tls12 = 1, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    EXPECT_ERR(atea_test_tls_pair_new(&pair, &o), ATEA_ERR_TLS_HANDSHAKE);
    assert_null(pair);

    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    atea_ossl_ctx_opts bo;
    atea_ossl_ctx_opts_default(&bo);
    assert_non_null(ctx);
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_int_equal(SSL_CTX_get_min_proto_version(ctx), TLS1_3_VERSION);
    bo.allow_tls12 = 1;
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_int_equal(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
    SSL_CTX_free(ctx);
}

static void test_no_client_certificate(void **state)
{
    const atea_test_identity *id = atea_test_identities_get(*state, ATEA_TEST_KEY_P384);
    atea_test_tls_pair_opts o = {.server_id = id, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    atea_buf der = {0};
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    EXPECT_ERR(pair->server_tls.ops->peer_certificate(pair->server_tls.impl, &der),
               ATEA_ERR_TLS_NO_PEER_CERT);
    assert_null(der.data);
    check_peer_cert(&pair->client_tls, id);
    atea_test_tls_pair_free(pair);
}

/* test_certs' fixed-key identities (what valgrind-run tests use instead of RSA key generation)
 * chain to their issuer's CA: the client's verification would fail the handshake otherwise. */
static void test_issued_identity_handshake(void **state)
{
    const atea_test_identity *ca = atea_test_identities_get(*state, ATEA_TEST_KEY_P256);
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    BIO *mem = BIO_new(BIO_s_mem());
    char *pem = NULL;
    assert_non_null(key);
    assert_non_null(mem);
    assert_int_equal(PEM_write_bio_PrivateKey(mem, key, NULL, NULL, 0, NULL, NULL), 1);
    long pem_len = BIO_get_mem_data(mem, &pem);
    assert_true(pem_len > 0);
    char *pem_text = calloc(1, (size_t)pem_len + 1);
    assert_non_null(pem_text);
    memcpy(pem_text, pem, (size_t)pem_len);
    atea_test_identity *id = atea_test_identity_issue(ATEA_TEST_KEY_ED25519, pem_text, ca);
    assert_int_equal(EVP_PKEY_eq(id->key, key), 1);
    assert_ptr_equal(id->ca, ca->ca);
    assert_int_equal(id->sigalg, 0x0807);

    atea_test_tls_pair_opts o = {.server_id = id, .attested = 1};
    atea_test_tls_pair *pair = NULL;
    EXPECT_OK(atea_test_tls_pair_new(&pair, &o));
    check_peer_cert(&pair->client_tls, id);
    atea_test_tls_pair_free(pair);
    /* A client that trusts another CA refuses the leaf. */
    o.server_id = id;
    atea_test_identity *other = atea_test_identity_new(ATEA_TEST_KEY_ED25519);
    EXPECT_OK(atea_test_tls_pair_start(&pair, &o));
    X509_STORE *store = X509_STORE_new();
    assert_non_null(store);
    assert_int_equal(X509_STORE_add_cert(store, other->ca), 1);
    SSL_CTX_set_cert_store(pair->client_ctx, store);
    EXPECT_ERR(atea_test_tls_pair_handshake(pair), ATEA_ERR_TLS_HANDSHAKE);
    assert_non_null(strstr(atea_err_last()->detail, "client failed: ") &&
                    strstr(atea_err_last()->detail, "certificate verify failed"));
    atea_test_tls_pair_free(pair);
    atea_test_identity_free(other);
    atea_test_identity_free(id);
    free(pem_text);
    BIO_free(mem);
    EVP_PKEY_free(key);
}

static void test_init_and_prepare_arguments(void **state)
{
    (void)state;
    atea_ossl_tls t;
    atea_tls tls;
    atea_ossl_ctx_opts bo;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    assert_non_null(ctx);
    SSL *ssl = SSL_new(ctx);
    assert_non_null(ssl);
    EXPECT_ERR(atea_ossl_tls_init(NULL, ssl, &tls), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ossl_tls_init(&t, NULL, &tls), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ossl_tls_init(&t, ssl, NULL), ATEA_ERR_INVALID_ARG);
    EXPECT_OK(atea_ossl_tls_init(&t, ssl, &tls));
    assert_ptr_equal(tls.ops, atea_ossl_tls_ops());
    assert_ptr_equal(tls.impl, &t);

    atea_ossl_ctx_opts_default(&bo);
    EXPECT_ERR(atea_ossl_ctx_prepare(NULL, &bo), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_ossl_ctx_prepare(ctx, NULL), ATEA_ERR_INVALID_ARG);
    bo.version = ATEA_OSSL_CTX_OPTS_VERSION + 1;
    EXPECT_ERR(atea_ossl_ctx_prepare(ctx, &bo), ATEA_ERR_INVALID_ARG);
    /* A context capped below atea's minimum could never complete a handshake. */
    atea_ossl_ctx_opts_default(&bo);
    assert_int_equal(SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION), 1);
    EXPECT_ERR(atea_ossl_ctx_prepare(ctx, &bo), ATEA_ERR_TLS_CTX_SETUP);
    assert_non_null(strstr(atea_err_last()->detail, "0x0303"));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_type_sha256),
        cmocka_unit_test(test_every_key_type_sha384),
        cmocka_unit_test(test_handshake_done_and_exporter_gating),
        cmocka_unit_test(test_exporter_context_and_arguments),
        cmocka_unit_test(test_tls12_is_reported_not_refused),
        cmocka_unit_test(test_tls12_refused_by_default),
        cmocka_unit_test(test_no_client_certificate),
        cmocka_unit_test(test_issued_identity_handshake),
        cmocka_unit_test(test_init_and_prepare_arguments),
    };
    return cmocka_run_group_tests(tests, atea_test_identities_group_setup,
                                  atea_test_identities_state_free);
}
