/*
 * RFC 9261 end to end over real TLS 1.3 connections (an in-memory OpenSSL client and server,
 * tests/testlib/tls_pair.h): for every signature scheme and both suite hashes, requested
 * authenticators in both directions, spontaneous server authenticators and empty
 * authenticators validate; the validated leaf is the one sent and the CMW round-trips. Also:
 * TLS 1.2 is refused, and an authenticator from another connection does not validate.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "atea/ea.h"
#include "atea_test.h"
#include "core/check.h"
#include "tls_pair.h"
#include "tls_secret.h"

typedef struct scheme_case {
    uint16_t scheme;
    const char *ossl_name; /* OpenSSL sigalgs-list spelling */
    atea_test_keytype key;
} scheme_case;

static const scheme_case schemes[] = {
    {0x0403, "ecdsa_secp256r1_sha256", ATEA_TEST_KEY_P256},
    {0x0503, "ecdsa_secp384r1_sha384", ATEA_TEST_KEY_P384},
    {0x0603, "ecdsa_secp521r1_sha512", ATEA_TEST_KEY_P521},
    {0x0807, "ed25519", ATEA_TEST_KEY_ED25519},
    {0x0808, "ed448", ATEA_TEST_KEY_ED448},
    {0x0804, "rsa_pss_rsae_sha256", ATEA_TEST_KEY_RSA2048},
    {0x0805, "rsa_pss_rsae_sha384", ATEA_TEST_KEY_RSA2048},
    {0x0806, "rsa_pss_rsae_sha512", ATEA_TEST_KEY_RSA2048},
    {0x0809, "rsa_pss_pss_sha256", ATEA_TEST_KEY_RSA_PSS},
    {0x080a, "rsa_pss_pss_sha384", ATEA_TEST_KEY_RSA_PSS},
    {0x080b, "rsa_pss_pss_sha512", ATEA_TEST_KEY_RSA_PSS},
};

typedef struct suite_case {
    const char *name;
    atea_hash hash;
} suite_case;

static const suite_case suites[] = {
    {"TLS_AES_128_GCM_SHA256", ATEA_HASH_SHA256},
    {"TLS_AES_256_GCM_SHA384", ATEA_HASH_SHA384},
};

/* A CBOR CMW record: [ "application/vnd.atea.sim-evidence+cbor", h'0102' ] shortened. */
static const uint8_t cmw_sample[] = {0x82, 0x63, 'a', '/', 'b', 0x42, 0x01, 0x02};

/* Fixed RSA leaf keys (test-only, generated once with `openssl genpkey`): generating RSA keys
 * at run time takes about 20 s each under valgrind. 1536 bits: RSASSA-PSS with SHA-512 needs at
 * least 1040, and signing is 2.4 times faster than with 2048. Their certificates are issued at run
 * time by the P-256 test CA. */
static const char rsa_key_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIDlwIBADANBgkqhkiG9w0BAQEFAASCA4EwggN9AgEAAoHBAKN9iTyMbL6F2LKX\n"
    "S9EjJZh3eVenvwg3fbT4GGyg7xtlyGl0UMOPLi+3kNdn3tBLe1nDkDKH7Auda0wG\n"
    "dTFM9x/Qx9TmmFJ6zxfe8y81JIaHYsUzthO9oH6Nmmq+h6cFGLa+uCxKL9O2LLBe\n"
    "AUeuh4M/P62uq6DdifB4Eo9Heyo5OArrNe7fN0PQb9pfeLhi/UcW6eHOXvbY5bv3\n"
    "L3BOJZe0/Yrz88DJwKMEksprT1bi98D4RyERF8yZzK970eHlcwIDAQABAoHASNaP\n"
    "I+i0MhXTu41oe96ay1i/OOxFUdXXLZ8y0oLIxH4OUd0+dkH+I8g2waFHRam7ZPyZ\n"
    "68lewrX5rb9aywItP4F25kVuK6EHTu1HjwqwITeEK7OkNRtQu9E+sLv+F81OxPJo\n"
    "3z3uWPgboO1tPSFs5h6jWkHoS6peXq0cc5EOir3C5z1c9Og5q2EFT8lxt0meh2FX\n"
    "lUL7G00tXAvBEATepWh17dHij4PSKGxeQoluFSLy1afp6FGx3cXNprr5y6uBAmEA\n"
    "1fPl8bpaIfLZyUfjyx8ct0nUtsA4ms281r94QGb54qJv5RwkGTwN2K4bGz3tvBc8\n"
    "m057VA41xqksdnVCRgzAUywnhLDGbnOONrSyhqzNjczTWHV76gTud5WvZSoJL30h\n"
    "AmEAw57YCTpD7o3sVCpHjJlt/f3JcA4mB35qGozBFzBO0HxOcWJiHAOngHf8U2d2\n"
    "CrLGZXeISlthpl9zDIHvKoTiOQ5/PTPdgWqBgX1/TZ6NTSMMbpbSt9lOmX6xNvRw\n"
    "LBwTAmAxu6od0JWXAp6BXUakNq00JeNeP7xor55PxN4tCkLX3a5o8Wuqufz1+zKt\n"
    "2G1kpXofF9UvKsZxUW3Wc1dedSRXsRHWlEjr78yFBufgylZVueD+1QBi25abEZ5d\n"
    "w7Gy6kECYQC/RkT1GNytmGYZkdGuH6PWM13QzHTQ5QG4fiKbmuelobZN1aYawFP7\n"
    "INc/ci2QnmexdSR1mE6uECx9cVs61v4gThWJ8XnH/i0tQVnFup9tajTQuXbGv5vE\n"
    "KIX9NxurdbMCYQC9JlgGgvrn4pKz/6BUum9KDEklWOTPocvbb/pTv9/V20pbawbk\n"
    "4B7hY3jd6F2iqgKypoFZODkSWVgzeuc1+KsQVR940aLzE50MJgBdO8n/LUFfxn8U\n"
    "FZey30LgvGpZxD8=\n"
    "-----END PRIVATE KEY-----\n";

static const char rsa_pss_key_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIDlAIBADALBgkqhkiG9w0BAQoEggOAMIIDfAIBAAKBwQCeMWRNhPXF8w9dewJ3\n"
    "4L17YzWLY08GlOTdNm6f3AmV5DO5yBW1rqD8LnbuYLx4PF0eGa+CxaZk/GPYC5pw\n"
    "UFmEKxQkIWcSfG6VbjZGZhozpleglA6Lax6XaaFrl003C6xEkP1kzQImXUUCXp42\n"
    "HOtoUDjzj34ko+kaswYDsME5ZJar6pozJOdFQR9vuWvTwSDiOIokL5L85L+JZ/hv\n"
    "0+LcqaGmAszRBgKrjCGPFeu6rtb1YU47pux0MIP5zJ4SkTUCAwEAAQKBwCrgUkJc\n"
    "jkzXw0tgAtxBErp1ulaMVSgAhUOb9EHp3sM8tfRd0dyLd2DCq0OS/qJMIiT9az+z\n"
    "mJT4f4tYIcTdUlXrYysjzo8JIOPpmlZcaC+ln0yLtKF/KCx72d+Sg8AurlZTSGaj\n"
    "nOTsLCv6EdJatR7R41Jt8iWazDc6G8t2mOH3EhTeveuEqtraRUPja7IJlk5wgzls\n"
    "ds57E6Ro6pIUYzT45SehkbTbjRbCJzMlYyhILv+HKEyq1nru9VUEaxW4QQJhAMso\n"
    "1SLa5/CqL932Em3+g0H0qRF3xcbf9G0LvJmN8i3VXYF+tdY49z8zuLa7sfx0M3lU\n"
    "vzs92bcWvpUqrV3IanxVa648g8dHCmKPFjmkt+Xd3vWWm6PEDI1YmLNCNytNsQJh\n"
    "AMdWgauvq309WYoRJ5kSCNX3r1q3kc5pCH6USp3w/vim0KagXnyBFPCMQPmw5tQg\n"
    "M7mzTRgiMBmpmOgu1pt6YXS/zw8KGmxvfRKYGnZHVM+JXbG7+JhF+9IvS4iUdcZI\n"
    "xQJgdwsMKQpgknMG7Wb9UZqrSwCT+PpX17rvPN59uvSkDhtSWUjoQAjNSCmEeP7u\n"
    "wmFMsDHqhEovwsr/DeUeBTAkxYpAOK6ZATItcacqfMh6QaWKuhlwRbvhJwndIF0S\n"
    "erthAmEAgkscBPGVQQ5ZuXJPFLGCDwGPn9c/OdDTmZEqWKROtI6s8Uz/lZf17Olw\n"
    "CwVDS8IkrSvyp2SpVgzSAmmjIwtSKjK5j9YFwXz6Hq5HFaq4V9Ms5+C6tCWCXTdG\n"
    "wuZvOQUVAmA8aqM86Gmkc0qUtOhXsvtpQ8W3M3YfrlUc48Fuk/WBt5YVcX8SLx37\n"
    "FzQ+p3g+Yg6rDMz+ypNQWRXNHTOzhjq/9WzkcTgvnNCpNDLLMRs1DVzBvoAvZJAj\n"
    "wUgCKTq6RCk=\n"
    "-----END PRIVATE KEY-----\n";

typedef struct fixture {
    atea_test_identities set;   /* non-RSA identities, from test_certs */
    atea_test_identity *rsa[2]; /* rsaEncryption, id-RSASSA-PSS leaves */
} fixture;

/* A leaf with a fixed key, issued by issuer's CA (which the identity borrows). */
static atea_test_identity *fixed_identity(const char *pem, atea_test_keytype type,
                                          const atea_test_identity *issuer)
{
    atea_test_identity *id = calloc(1, sizeof(*id));
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    unsigned char *der = NULL;
    int der_len = 0;
    assert_non_null(id);
    assert_non_null(x);
    id->type = type;
    id->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    assert_non_null(id->key);
    assert_int_equal(X509_set_version(x, 2), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 4242 + type), 1);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)"atea fixed rsa leaf", -1,
                                                -1, 0),
                     1);
    assert_int_equal(X509_set_subject_name(x, name), 1);
    assert_int_equal(X509_set_issuer_name(x, X509_get_subject_name(issuer->ca)), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), -3600));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400L));
    assert_int_equal(X509_set_pubkey(x, id->key), 1);
    assert_true(X509_sign(x, issuer->ca_key, EVP_sha256()) > 0);
    id->leaf = x;
    id->ca = issuer->ca;
    der_len = i2d_X509(x, &der);
    assert_true(der_len > 0);
    EXPECT_OK(atea_buf_set(&id->leaf_der, der, (size_t)der_len));
    EXPECT_OK(atea_buf_set(&id->ca_der, issuer->ca_der.data, issuer->ca_der.len));
    OPENSSL_free(der);
    X509_NAME_free(name);
    BIO_free(bio);
    return id;
}

static void fixed_identity_free(atea_test_identity *id)
{
    if (id == NULL) {
        return;
    }
    EVP_PKEY_free(id->key);
    X509_free(id->leaf);
    atea_buf_free(&id->leaf_der);
    atea_buf_free(&id->ca_der);
    free(id);
}

static int group_setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    const atea_test_identity *p256 = atea_test_identities_get(&f->set, ATEA_TEST_KEY_P256);
    f->rsa[0] = fixed_identity(rsa_key_pem, ATEA_TEST_KEY_RSA2048, p256);
    f->rsa[1] = fixed_identity(rsa_pss_key_pem, ATEA_TEST_KEY_RSA_PSS, p256);
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *f = *state;
    fixed_identity_free(f->rsa[0]);
    fixed_identity_free(f->rsa[1]);
    atea_test_identities_dispose(&f->set);
    free(f);
    return 0;
}

static const atea_test_identity *identity(fixture *f, atea_test_keytype type)
{
    if (type == ATEA_TEST_KEY_RSA2048) {
        return f->rsa[0];
    }
    if (type == ATEA_TEST_KEY_RSA_PSS) {
        return f->rsa[1];
    }
    return atea_test_identities_get(&f->set, type);
}

typedef struct live {
    atea_test_tls_pair *pair;
    atea_ea *client;
    atea_ea *server;
} live;

static void live_open(live *l, fixture *f, const char *suite, const char *client_sigalgs)
{
    atea_test_tls_pair_opts po = {0};
    memset(l, 0, sizeof(*l));
    po.ciphersuite = suite;
    po.server_id = identity(f, ATEA_TEST_KEY_P256);
    po.client_sigalgs = client_sigalgs;
    EXPECT_OK(atea_test_tls_pair_new(&l->pair, &po));
    EXPECT_OK(atea_ea_new(&l->pair->client_tls, NULL, &l->client));
    EXPECT_OK(atea_ea_new(&l->pair->server_tls, NULL, &l->server));
}

static void live_close(live *l)
{
    atea_ea_free(l->client);
    atea_ea_free(l->server);
    atea_test_tls_pair_free(l->pair);
}

static X509_STORE *trust_for(const atea_test_identity *id)
{
    X509_STORE *store = X509_STORE_new();
    assert_non_null(store);
    assert_int_equal(X509_STORE_add_cert(store, id->ca), 1);
    return store;
}

static void assert_identity(const atea_ea_identity *vid, const atea_test_identity *id,
                            uint16_t scheme, int with_cmw)
{
    assert_int_equal(vid->n_certs, 2);
    assert_memory_equal(vid->certs[0].der.data, id->leaf_der.data, id->leaf_der.len);
    assert_int_equal(vid->certs[0].der.len, id->leaf_der.len);
    assert_int_equal(vid->certs[1].der.len, id->ca_der.len);
    assert_int_equal(vid->scheme, scheme);
    assert_int_equal(vid->refused, 0);
    if (with_cmw) {
        assert_int_equal(vid->cmw.len, sizeof(cmw_sample));
        assert_memory_equal(vid->cmw.data, cmw_sample, sizeof(cmw_sample));
        assert_int_equal(vid->certs[0].n_extensions, 1);
        assert_int_equal(vid->certs[0].extensions[0].type, ATEA_DEFAULT_CMW_EXT);
    } else {
        assert_int_equal(vid->cmw.len, 0);
    }
    assert_int_equal(vid->certs[1].n_extensions, 0);
}

/* requester asks with only `scheme`, attester answers with id (and a CMW), requester validates
 * against id's CA. */
static void requested(atea_ea *requester, atea_ea *attester, const scheme_case *sc,
                      const atea_test_identity *id, int pkix)
{
    atea_ea_request_params rp = {.sigalgs = &sc->scheme, .n_sigalgs = 1, .want_cmw = 1};
    atea_buf req = {0};
    atea_buf auth = {0};
    atea_test_ea_cred cred;
    atea_ea_identity vid;
    X509_STORE *trust = trust_for(id);
    uint8_t ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t ctx_len = 0;
    EXPECT_OK(atea_ea_request(requester, &rp, &req));
    atea_test_ea_cred_init(&cred, id, 1, cmw_sample, sizeof(cmw_sample));
    EXPECT_OK(atea_ea_authenticate(attester, req.data, req.len, &cred.cred, &auth));
    atea_ea_validate_params vp = {.request = req.data, .request_len = req.len};
    vp.trust = pkix ? trust : NULL;
    EXPECT_OK(atea_ea_validate(requester, &vp, auth.data, auth.len, &vid));
    assert_identity(&vid, id, sc->scheme, 1);
    EXPECT_OK(atea_ea_get_context(auth.data, auth.len, ctx, &ctx_len));
    assert_int_equal(ctx_len, ATEA_EA_CONTEXT_LEN);
    assert_memory_equal(vid.context, ctx, ctx_len);
    assert_int_equal(vid.spontaneous, 0);
    atea_ea_identity_dispose(&vid);
    X509_STORE_free(trust);
    atea_buf_free(&req);
    atea_buf_free(&auth);
}

/* The server authenticates without a request; the client validates. */
static void spontaneous(atea_ea *server, atea_ea *client, uint16_t scheme,
                        const atea_test_identity *id, int pkix)
{
    atea_buf auth = {0};
    atea_test_ea_cred cred;
    atea_ea_identity vid;
    X509_STORE *trust = trust_for(id);
    atea_test_ea_cred_init(&cred, id, 1, NULL, 0);
    EXPECT_OK(atea_ea_authenticate_spontaneous(server, &cred.cred, &auth));
    atea_ea_validate_params vp = {.trust = pkix ? trust : NULL};
    EXPECT_OK(atea_ea_validate(client, &vp, auth.data, auth.len, &vid));
    assert_identity(&vid, id, scheme, 0);
    assert_int_equal(vid.spontaneous, 1);
    atea_ea_identity_dispose(&vid);
    /* The same authenticator a second time is a replay. */
    EXPECT_ERR(atea_ea_validate(client, &vp, auth.data, auth.len, &vid),
               ATEA_ERR_EA_CONTEXT_ANSWERED);
    X509_STORE_free(trust);
    atea_buf_free(&auth);
}

static void refused(atea_ea *requester, atea_ea *attester)
{
    atea_buf req = {0};
    atea_buf empty = {0};
    atea_ea_identity vid;
    EXPECT_OK(atea_ea_request(requester, NULL, &req));
    EXPECT_OK(atea_ea_refuse(attester, req.data, req.len, &empty));
    atea_ea_validate_params vp = {.request = req.data, .request_len = req.len};
    EXPECT_ERR(atea_ea_validate(requester, &vp, empty.data, empty.len, &vid), ATEA_ERR_EA_REFUSED);
    assert_int_equal(vid.refused, 1);
    atea_ea_identity_dispose(&vid);
    atea_buf_free(&req);
    atea_buf_free(&empty);
}

/* The ClientHello offers every scheme, in the order of `schemes`, so that a spontaneous
 * authenticator with a key of type T uses the first scheme of T. */
static const char all_sigalgs[] =
    "ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512:ed25519:ed448:"
    "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:"
    "rsa_pss_pss_sha384:rsa_pss_pss_sha512";

static uint16_t first_scheme_of(atea_test_keytype key)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(schemes); i++) {
        if (schemes[i].key == key) {
            return schemes[i].scheme;
        }
    }
    fail_msg("no scheme for key type %d", (int)key);
    return 0;
}

static void test_every_scheme_and_suite(void **state)
{
    fixture *f = *state;
    for (size_t s = 0; s < ATEA_ARRAY_LEN(suites); s++) {
        live l;
        atea_hash hash = 0;
        live_open(&l, f, suites[s].name, all_sigalgs);
        EXPECT_OK(l.pair->server_tls.ops->suite_hash(l.pair->server_tls.impl, &hash));
        assert_int_equal(hash, suites[s].hash);
        for (size_t i = 0; i < ATEA_ARRAY_LEN(schemes); i++) {
            const scheme_case *sc = &schemes[i];
            const atea_test_identity *id = identity(f, sc->key);
            print_message("suite %s, scheme %s\n", suites[s].name, sc->ossl_name);
            /* PKIX once per scheme: it checks the chain, not the connection. */
            requested(l.server, l.client, sc, id, s == 0); /* CertificateRequest (13) */
            requested(l.client, l.server, sc, id, 0);      /* ClientCertificateRequest (17) */
        }
        for (int key = 0; key < ATEA_TEST_KEY_COUNT; key++) {
            spontaneous(l.server, l.client, first_scheme_of(key), identity(f, key), 1);
        }
        refused(l.server, l.client);
        refused(l.client, l.server);
        live_close(&l);
        /* The RSA schemes with SHA-384 and SHA-512, spontaneously: ClientHellos that list them
         * before the SHA-256 ones. */
        static const struct {
            const char *sigalgs;
            uint16_t rsae;
            uint16_t pss;
        } rsa_orders[] = {
            {"rsa_pss_rsae_sha384:rsa_pss_pss_sha384:ecdsa_secp256r1_sha256", 0x0805, 0x080a},
            {"rsa_pss_rsae_sha512:rsa_pss_pss_sha512:ecdsa_secp256r1_sha256", 0x0806, 0x080b},
        };
        for (size_t o = 0; o < ATEA_ARRAY_LEN(rsa_orders); o++) {
            live_open(&l, f, suites[s].name, rsa_orders[o].sigalgs);
            spontaneous(l.server, l.client, rsa_orders[o].rsae, identity(f, ATEA_TEST_KEY_RSA2048),
                        0);
            spontaneous(l.server, l.client, rsa_orders[o].pss, identity(f, ATEA_TEST_KEY_RSA_PSS),
                        0);
            live_close(&l);
        }
    }
}

/* Spontaneous authenticators for every scheme: the ClientHello's list (peer_sigalgs) holds only
 * the scheme under test. Over the exporter-secret adapter, so that no handshake is needed per
 * scheme. */
static void test_spontaneous_every_scheme(void **state)
{
    fixture *f = *state;
    for (size_t s = 0; s < ATEA_ARRAY_LEN(suites); s++) {
        for (size_t i = 0; i < ATEA_ARRAY_LEN(schemes); i++) {
            atea_test_ea_conn c;
            EXPECT_OK(atea_test_ea_conn_init(&c, suites[s].hash, (uint8_t)(0x10 + i), NULL));
            c.server_secret.sigalgs[0] = schemes[i].scheme;
            c.server_secret.n_sigalgs = 1;
            spontaneous(c.server, c.client, schemes[i].scheme, identity(f, schemes[i].key), 0);
            atea_test_ea_conn_dispose(&c);
        }
    }
}

static void test_tls12_refused(void **state)
{
    fixture *f = *state;
    atea_test_tls_pair_opts po = {0};
    atea_test_tls_pair *pair = NULL;
    atea_ea *client = NULL;
    atea_ea *server = NULL;
    atea_buf out = {0};
    atea_ea_identity vid;
    static const uint8_t fin[] = {0x14, 0, 0, 32, [35] = 0};
    po.server_id = identity(f, ATEA_TEST_KEY_P256);
    po.allow_tls12 = 1;
    po.tls12 = 1;
    EXPECT_OK(atea_test_tls_pair_new(&pair, &po));
    EXPECT_OK(atea_ea_new(&pair->client_tls, NULL, &client));
    EXPECT_OK(atea_ea_new(&pair->server_tls, NULL, &server));
    EXPECT_ERR(atea_ea_request(server, NULL, &out), ATEA_ERR_TLS_VERSION);
    EXPECT_ERR(atea_ea_request(client, NULL, &out), ATEA_ERR_TLS_VERSION);
    EXPECT_ERR(atea_ea_validate(client, NULL, fin, sizeof(fin), &vid), ATEA_ERR_TLS_VERSION);
    EXPECT_ERR(atea_ea_refuse(client, fin, sizeof(fin), &out), ATEA_ERR_TLS_VERSION);
    uint8_t ekm[32];
    EXPECT_ERR(atea_tls_exporter(&pair->client_tls, "Attestation", NULL, 0, ekm, sizeof(ekm)),
               ATEA_ERR_TLS_VERSION);
    assert_null(out.data);
    atea_ea_free(client);
    atea_ea_free(server);
    atea_test_tls_pair_free(pair);
}

static void test_authenticator_from_another_connection(void **state)
{
    fixture *f = *state;
    const atea_test_identity *id = identity(f, ATEA_TEST_KEY_ED25519);
    live a;
    live b;
    atea_buf req = {0};
    atea_buf auth = {0};
    atea_test_ea_cred cred;
    atea_ea_identity vid;
    live_open(&a, f, NULL, NULL);
    live_open(&b, f, NULL, NULL);
    /* a's server asks; b's client (another connection) answers the same bytes. */
    EXPECT_OK(atea_ea_request(a.server, NULL, &req));
    atea_test_ea_cred_init(&cred, id, 0, NULL, 0);
    EXPECT_OK(atea_ea_authenticate(b.client, req.data, req.len, &cred.cred, &auth));
    EXPECT_ERR(atea_ea_validate(a.server, NULL, auth.data, auth.len, &vid),
               ATEA_ERR_EA_BAD_SIGNATURE);
    /* The request stays open: the right connection's answer still validates. */
    atea_buf_free(&auth);
    EXPECT_OK(atea_ea_authenticate(a.client, req.data, req.len, &cred.cred, &auth));
    EXPECT_OK(atea_ea_validate(a.server, NULL, auth.data, auth.len, &vid));
    atea_ea_identity_dispose(&vid);
    atea_buf_free(&req);
    atea_buf_free(&auth);
    live_close(&a);
    live_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scheme_and_suite),
        cmocka_unit_test(test_spontaneous_every_scheme),
        cmocka_unit_test(test_tls12_refused),
        cmocka_unit_test(test_authenticator_from_another_connection),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
