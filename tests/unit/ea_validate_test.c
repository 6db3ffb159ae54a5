/*
 * Every RFC 9261 rule atea enforces, each broken on purpose, with the exact code expected
 * (docs/EA.md lists the rules). Runs over the exporter-secret adapter (tests/testlib/tls_secret.h):
 * both ends share one exporter_master_secret, as the two ends of a TLS connection do.
 * Authenticators that break a rule are forged with the internal builder, which checks nothing.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "atea/ea.h"
#include "atea_test.h"
#include "core/check.h"
#include "ea/ea_internal.h"
#include "tls_secret.h"

static const uint8_t cmw_sample[] = {0x82, 0x01, 0x02};

typedef struct fixture {
    atea_test_identities set;
    atea_test_ea_conn c;
} fixture;

/* The identities are the state's first member (atea_test_identities_state_free disposes them). */
_Static_assert(offsetof(fixture, set) == 0, "the identities come first");

static int group_setup(void **state)
{
    return atea_test_identities_state_new(state, sizeof(fixture));
}

/* A fresh connection per test. */
static int setup(void **state)
{
    fixture *f = *state;
    EXPECT_OK(atea_test_ea_conn_init(&f->c, ATEA_HASH_SHA256, 0x5a, NULL));
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    atea_test_ea_conn_dispose(&f->c);
    return 0;
}

static const atea_test_identity *ed25519(fixture *f)
{
    return atea_test_identities_get(&f->set, ATEA_TEST_KEY_ED25519);
}

static const atea_test_identity *p256(fixture *f)
{
    return atea_test_identities_get(&f->set, ATEA_TEST_KEY_P256);
}

static atea_buf server_request(fixture *f, int want_cmw)
{
    atea_buf req = {0};
    atea_ea_request_params rp = {.want_cmw = want_cmw};
    EXPECT_OK(atea_ea_request(f->c.server, &rp, &req));
    return req;
}

/* An authenticator built with `sender`'s labels, checking nothing. */
static atea_buf forge(fixture *f, atea_tls_role sender, const atea_buf *req, atea_slice ctx,
                      const atea_ea_cert_in *certs, size_t n, EVP_PKEY *key, uint16_t scheme)
{
    atea_ea_keys keys;
    atea_buf out = {0};
    atea_ea_build b = {0};
    EXPECT_OK(atea_ea_keys_derive(&f->c.server_tls, sender, &keys));
    b.keys = &keys;
    b.request = req != NULL ? atea_test_slice(req) : (atea_slice){NULL, 0};
    b.context = ctx;
    b.certs = certs;
    b.n_certs = n;
    b.key = key;
    b.scheme = scheme;
    b.max_message = ATEA_DEFAULT_EA_MAX_MESSAGE;
    EXPECT_OK(atea_ea_build_authenticator(&b, &out));
    atea_ea_keys_wipe(&keys);
    return out;
}

/* The client's answer to req, forged with one CertificateEntry of id carrying exts. */
static atea_buf forge_client(fixture *f, const atea_buf *req, const atea_test_identity *id,
                             const atea_ea_ext *exts, size_t n_exts, uint16_t scheme)
{
    atea_ea_cert_in cert = {{id->leaf_der.data, id->leaf_der.len}, exts, n_exts};
    return forge(f, ATEA_TLS_CLIENT, req, atea_test_ea_req_context(req), &cert, 1, id->key, scheme);
}

static atea_err validate(fixture *f, atea_ea *ea, const atea_buf *req, const atea_buf *auth)
{
    atea_ea_identity id;
    atea_ea_validate_params vp = {0};
    if (req != NULL) {
        vp.request = req->data;
        vp.request_len = req->len;
    }
    (void)f;
    atea_err err = atea_ea_validate(ea, &vp, auth->data, auth->len, &id);
    atea_ea_identity_dispose(&id);
    return err;
}

/* The client's answer to a fresh server request, forged with one certificate and a P-256 key
 * (ecdsa_secp256r1_sha256), validated by the server against trust (NULL: no PKIX check). */
static atea_err validate_p256_answer(fixture *f, const atea_ea_cert_in *cert, EVP_PKEY *key,
                                     X509_STORE *trust)
{
    atea_buf req = server_request(f, 0);
    atea_buf auth =
        forge(f, ATEA_TLS_CLIENT, &req, atea_test_ea_req_context(&req), cert, 1, key, 0x0403);
    atea_ea_validate_params vp = {.trust = trust};
    atea_ea_identity vid;
    atea_err err = atea_ea_validate(f->c.server, &vp, auth.data, auth.len, &vid);
    atea_ea_identity_dispose(&vid);
    atea_buf_free(&auth);
    atea_buf_free(&req);
    return err;
}

/* ---- connection ---- */

static void test_tls12_and_unfinished_handshake_refused(void **state)
{
    fixture *f = *state;
    atea_buf out = {0};
    f->c.server_secret.version = 0x0303;
    EXPECT_ERR(atea_ea_request(f->c.server, NULL, &out), ATEA_ERR_TLS_VERSION);
    f->c.server_secret.version = ATEA_TLS_VERSION_1_3;
    f->c.server_secret.handshake_done = 0;
    EXPECT_ERR(atea_ea_request(f->c.server, NULL, &out), ATEA_ERR_TLS_NOT_READY);
    f->c.server_secret.handshake_done = 1;
    atea_buf req = server_request(f, 0);
    f->c.client_secret.version = 0x0303;
    EXPECT_ERR(atea_ea_refuse(f->c.client, req.data, req.len, &out), ATEA_ERR_TLS_VERSION);
    assert_int_equal(atea_ea_alert(ATEA_ERR_TLS_VERSION), 70);
    atea_buf_free(&req);
}

/* ---- message types and direction ---- */

static void test_request_direction(void **state)
{
    fixture *f = *state;
    atea_buf out = {0};
    atea_buf sreq = server_request(f, 0);
    atea_buf creq = {0};
    EXPECT_OK(atea_ea_request(f->c.client, NULL, &creq));
    assert_int_equal(creq.data[0], ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST);
    assert_int_equal(sreq.data[0], ATEA_EA_HS_CERTIFICATE_REQUEST);
    /* A ClientCertificateRequest (17) arriving at the client: it came "from a server". */
    EXPECT_ERR(atea_ea_refuse(f->c.client, creq.data, creq.len, &out), ATEA_ERR_EA_WRONG_DIRECTION);
    /* A CertificateRequest (13) arriving at the server. */
    EXPECT_ERR(atea_ea_refuse(f->c.server, sreq.data, sreq.len, &out), ATEA_ERR_EA_WRONG_DIRECTION);
    atea_ea_request_info info;
    EXPECT_ERR(atea_ea_request_parse(f->c.client, creq.data, creq.len, &info),
               ATEA_ERR_EA_WRONG_DIRECTION);
    EXPECT_OK(atea_ea_request_parse(f->c.client, sreq.data, sreq.len, &info));
    assert_int_equal(info.msg_type, 13);
    assert_int_equal(info.wants_cmw, 0);
    /* Validating against a "request this side sent" of the other side's type. */
    atea_buf auth = forge_client(f, &sreq, ed25519(f), NULL, 0, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, &creq, &auth), ATEA_ERR_EA_WRONG_DIRECTION);
    EXPECT_OK(validate(f, f->c.server, &sreq, &auth));
    atea_buf_free(&auth);
    atea_buf_free(&sreq);
    atea_buf_free(&creq);
}

static void test_message_types(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    atea_buf auth = forge_client(f, &req, ed25519(f), NULL, 0, 0x0807);
    atea_ea_request_info info;
    /* A request where an authenticator belongs. */
    EXPECT_ERR(validate(f, f->c.server, NULL, &req), ATEA_ERR_EA_MSG_TYPE);
    /* An authenticator where a request belongs. */
    EXPECT_ERR(atea_ea_request_parse(f->c.client, auth.data, auth.len, &info),
               ATEA_ERR_EA_MSG_TYPE);
    /* Certificate || Finished (CertificateVerify missing): find where the CV starts. */
    size_t cert_len = 4 + ((size_t)auth.data[1] << 16 | (size_t)auth.data[2] << 8 | auth.data[3]);
    size_t cv_len = 4 + ((size_t)auth.data[cert_len + 1] << 16 |
                         (size_t)auth.data[cert_len + 2] << 8 | auth.data[cert_len + 3]);
    atea_buf skipped = {0};
    EXPECT_OK(atea_buf_set(&skipped, auth.data, auth.len - cv_len));
    memcpy(skipped.data + cert_len, auth.data + cert_len + cv_len, auth.len - cert_len - cv_len);
    EXPECT_ERR(validate(f, f->c.server, NULL, &skipped), ATEA_ERR_EA_MSG_TYPE);
    /* CertificateVerify's type byte changed to 24 (key_update). */
    auth.data[cert_len] = 24;
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_MSG_TYPE);
    atea_buf_free(&skipped);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

/* ---- contexts ---- */

static void test_never_sent_request_unknown_context(void **state)
{
    fixture *f = *state;
    /* The client answers a CertificateRequest that this server never sent. */
    static const uint16_t sigalgs[] = {0x0807};
    static const uint8_t ctx[4] = {1, 2, 3, 4};
    uint8_t buf[64];
    atea_wr wr;
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_OK(atea_ea_req_write(&wr, 13, (atea_slice){ctx, 4}, sigalgs, 1, NULL, 0));
    atea_buf fake = {0};
    EXPECT_OK(atea_buf_set(&fake, atea_wr_data(&wr), atea_wr_len(&wr)));
    atea_buf auth = {0};
    atea_test_ea_cred cred;
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    EXPECT_OK(atea_ea_authenticate(f->c.client, fake.data, fake.len, &cred.cred, &auth));
    /* No request of the server is open: unsolicited. */
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_UNSOLICITED);
    /* With one open, the context is simply unknown; likewise when the caller names it. */
    atea_buf open = server_request(f, 0);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_UNKNOWN_CONTEXT);
    EXPECT_ERR(validate(f, f->c.server, &fake, &auth), ATEA_ERR_EA_UNKNOWN_CONTEXT);
    /* A client never authenticates without a request: no spontaneous authenticator from it. */
    atea_buf spont = forge(f, ATEA_TLS_CLIENT, NULL, (atea_slice){ctx, 4}, cred.chain, 1,
                           ed25519(f)->key, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &spont), ATEA_ERR_EA_UNKNOWN_CONTEXT);
    /* An empty authenticator with nothing open on the client. */
    atea_buf empty = {0};
    EXPECT_OK(atea_ea_refuse(f->c.client, open.data, open.len, &empty));
    EXPECT_ERR(validate(f, f->c.client, NULL, &empty), ATEA_ERR_EA_UNSOLICITED);
    atea_buf_free(&empty);
    atea_buf_free(&open);
    EXPECT_ERR(atea_ea_authenticate_spontaneous(f->c.client, &cred.cred, &auth),
               ATEA_ERR_EA_NOT_SERVER);
    atea_buf_free(&spont);
    atea_buf_free(&auth);
    atea_buf_free(&fake);
}

static void test_answered_and_replayed(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    atea_buf auth = {0};
    atea_buf again = {0};
    atea_test_ea_cred cred;
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    EXPECT_OK(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &auth));
    /* "no authenticator should be constructed" twice for one context (§5.2). */
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &again),
               ATEA_ERR_EA_CONTEXT_ANSWERED);
    EXPECT_ERR(atea_ea_refuse(f->c.client, req.data, req.len, &again),
               ATEA_ERR_EA_CONTEXT_ANSWERED);
    EXPECT_OK(validate(f, f->c.server, NULL, &auth));
    /* The same authenticator again: a replay. */
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_CONTEXT_ANSWERED);
    EXPECT_ERR(validate(f, f->c.server, &req, &auth), ATEA_ERR_EA_CONTEXT_ANSWERED);
    assert_null(again.data);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

static void test_reused_context(void **state)
{
    fixture *f = *state;
    atea_buf sreq = server_request(f, 0);
    atea_buf out = {0};
    /* The client's request reuses the context of the server's own request. */
    static const uint16_t sigalgs[] = {0x0807};
    uint8_t buf[128];
    atea_wr wr;
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_OK(atea_ea_req_write(&wr, 17, atea_test_ea_req_context(&sreq), sigalgs, 1, NULL, 0));
    EXPECT_ERR(atea_ea_refuse(f->c.server, atea_wr_data(&wr), atea_wr_len(&wr), &out),
               ATEA_ERR_EA_CONTEXT_REUSED);
    /* A second, different request of the peer with the context of its first. */
    atea_buf creq = {0};
    EXPECT_OK(atea_ea_request(f->c.client, NULL, &creq));
    EXPECT_OK(atea_ea_refuse(f->c.server, creq.data, creq.len, &out));
    atea_buf_free(&out);
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_OK(atea_ea_req_write(&wr, 17, atea_test_ea_req_context(&creq), sigalgs, 1, NULL, 0));
    EXPECT_ERR(atea_ea_refuse(f->c.server, atea_wr_data(&wr), atea_wr_len(&wr), &out),
               ATEA_ERR_EA_CONTEXT_REUSED);
    /* A spontaneous server authenticator with the context of a request the client received. */
    atea_test_ea_cred cred;
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    EXPECT_OK(atea_ea_refuse(f->c.client, sreq.data, sreq.len, &out));
    atea_buf_free(&out);
    atea_buf spont = forge(f, ATEA_TLS_SERVER, NULL, atea_test_ea_req_context(&sreq), cred.chain, 1,
                           ed25519(f)->key, 0x0807);
    EXPECT_ERR(validate(f, f->c.client, NULL, &spont), ATEA_ERR_EA_CONTEXT_REUSED);
    /* An rng that repeats itself cannot make a second request. */
    f->c.server_rng.repeat = 1;
    f->c.server_rng.first = 0x10;
    atea_buf r1 = {0};
    EXPECT_OK(atea_ea_request(f->c.server, NULL, &r1));
    EXPECT_ERR(atea_ea_request(f->c.server, NULL, &out), ATEA_ERR_EA_CONTEXT_REUSED);
    assert_null(out.data);
    atea_buf_free(&r1);
    atea_buf_free(&spont);
    atea_buf_free(&creq);
    atea_buf_free(&sreq);
}

static void test_context_mismatch(void **state)
{
    fixture *f = *state;
    atea_buf r1 = server_request(f, 0);
    atea_buf r2 = server_request(f, 0);
    atea_buf auth = forge_client(f, &r2, ed25519(f), NULL, 0, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, &r1, &auth), ATEA_ERR_EA_CONTEXT_MISMATCH);
    EXPECT_OK(validate(f, f->c.server, &r2, &auth));
    atea_buf_free(&auth);
    atea_buf_free(&r1);
    atea_buf_free(&r2);
}

/* ---- extensions ---- */

static void test_unrequested_extension(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    static const uint8_t ocsp[] = {1, 0, 0, 0};
    atea_ea_ext status = {ATEA_EA_EXT_STATUS_REQUEST, {ocsp, sizeof(ocsp)}};
    atea_buf auth = forge_client(f, &req, ed25519(f), &status, 1, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_UNREQUESTED_EXTENSION);
    assert_int_equal(atea_ea_alert(ATEA_ERR_EA_UNREQUESTED_EXTENSION), 110);
    /* The builder refuses to send it too. */
    atea_test_ea_cred cred;
    atea_buf out = {0};
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    cred.chain[0].extensions = &status;
    cred.chain[0].n_extensions = 1;
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_UNREQUESTED_EXTENSION);
    /* key_share may never appear in a Certificate. */
    atea_ea_ext key_share = {51, {ocsp, sizeof(ocsp)}};
    cred.chain[0].extensions = &key_share;
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_EXT_NOT_ALLOWED);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

static void test_unrequested_cmw(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0); /* no cmw_attestation offered */
    static const uint8_t cmw_ext[] = {0x00, 0x03, 0x82, 0x01, 0x02};
    atea_ea_ext cmw = {ATEA_DEFAULT_CMW_EXT, {cmw_ext, sizeof(cmw_ext)}};
    atea_buf auth = forge_client(f, &req, ed25519(f), &cmw, 1, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_UNREQUESTED_CMW);
    assert_int_equal(atea_ea_alert(ATEA_ERR_EA_UNREQUESTED_CMW), 110); /* unsupported_extension */
    atea_test_ea_cred cred;
    atea_buf out = {0};
    atea_test_ea_cred_init(&cred, ed25519(f), 0, cmw_sample, sizeof(cmw_sample));
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_UNREQUESTED_CMW);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

static void test_cmw_placement_and_form(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 1);
    const atea_test_identity *id = ed25519(f);
    static const uint8_t good[] = {0x00, 0x03, 0x82, 0x01, 0x02};
    static const uint8_t short_len[] = {0x00, 0x04, 0x82, 0x01, 0x02};
    static const uint8_t zero_len[] = {0x00, 0x00};
    atea_ea_ext cmw = {ATEA_DEFAULT_CMW_EXT, {good, sizeof(good)}};
    /* In the second entry (the CA's). */
    atea_ea_cert_in two[2] = {{{id->leaf_der.data, id->leaf_der.len}, NULL, 0},
                              {{id->ca_der.data, id->ca_der.len}, &cmw, 1}};
    atea_buf auth =
        forge(f, ATEA_TLS_CLIENT, &req, atea_test_ea_req_context(&req), two, 2, id->key, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_CMW_NOT_FIRST);
    atea_buf_free(&auth);
    /* Inner length disagrees with the extension; inner length 0 (cmw_data<1..>). */
    atea_ea_ext bad = {ATEA_DEFAULT_CMW_EXT, {short_len, sizeof(short_len)}};
    auth = forge_client(f, &req, id, &bad, 1, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_BAD_CMW);
    atea_buf_free(&auth);
    bad.data = (atea_slice){zero_len, sizeof(zero_len)};
    auth = forge_client(f, &req, id, &bad, 1, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_BAD_CMW);
    atea_buf_free(&auth);
    /* The builder refuses cmw_attestation outside the first entry. */
    atea_ea_credential cred = {two, 2, id->key, {NULL, 0}};
    atea_buf out = {0};
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred, &out),
               ATEA_ERR_EA_CMW_NOT_FIRST);
    /* Done right, the CMW comes back. */
    atea_test_ea_cred ok;
    atea_ea_identity vid;
    atea_test_ea_cred_init(&ok, id, 1, cmw_sample, sizeof(cmw_sample));
    EXPECT_OK(atea_ea_authenticate(f->c.client, req.data, req.len, &ok.cred, &out));
    EXPECT_OK(atea_ea_validate(f->c.server, NULL, out.data, out.len, &vid));
    assert_int_equal(vid.cmw.len, sizeof(cmw_sample));
    assert_memory_equal(vid.cmw.data, cmw_sample, sizeof(cmw_sample));
    atea_ea_identity_dispose(&vid);
    atea_buf_free(&out);
    atea_buf_free(&req);
}

/* ---- signature schemes ---- */

static void test_scheme_not_offered(void **state)
{
    fixture *f = *state;
    static const uint16_t only_ed25519[] = {0x0807};
    atea_ea_request_params rp = {.sigalgs = only_ed25519, .n_sigalgs = 1};
    atea_buf req = {0};
    atea_buf out = {0};
    EXPECT_OK(atea_ea_request(f->c.server, &rp, &req));
    atea_buf auth = forge_client(f, &req, p256(f), NULL, 0, 0x0403);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_SCHEME_NOT_OFFERED);
    /* The attester with only a P-256 key cannot answer at all. */
    atea_test_ea_cred cred;
    atea_test_ea_cred_init(&cred, p256(f), 0, NULL, 0);
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_NO_COMMON_SCHEME);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

/* Overwrite the CertificateVerify's algorithm. */
static void set_cv_scheme(atea_buf *auth, uint16_t scheme)
{
    size_t cert_len =
        4 + ((size_t)auth->data[1] << 16 | (size_t)auth->data[2] << 8 | auth->data[3]);
    assert_int_equal(auth->data[cert_len], ATEA_EA_HS_CERTIFICATE_VERIFY);
    auth->data[cert_len + 4] = (uint8_t)(scheme >> 8);
    auth->data[cert_len + 5] = (uint8_t)scheme;
}

static void test_pkcs1_never(void **state)
{
    fixture *f = *state;
    static const uint16_t pkcs1[] = {0x0401};
    static const uint16_t mixed[] = {0x0807, 0x0401};
    atea_ea_request_params rp = {.sigalgs = pkcs1, .n_sigalgs = 1};
    atea_buf out = {0};
    /* Never offered... */
    EXPECT_ERR(atea_ea_request(f->c.server, &rp, &out), ATEA_ERR_EA_SCHEME_INVALID);
    /* ...never accepted, even when the (forged) request offered it. */
    uint8_t buf[64];
    atea_wr wr;
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    static const uint8_t ctx[] = {9};
    EXPECT_OK(atea_ea_req_write(&wr, 17, (atea_slice){ctx, 1}, pkcs1, 1, NULL, 0));
    atea_test_ea_cred cred;
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    EXPECT_ERR(
        atea_ea_authenticate(f->c.server, atea_wr_data(&wr), atea_wr_len(&wr), &cred.cred, &out),
        ATEA_ERR_EA_NO_COMMON_SCHEME);
    /* An authenticator claiming rsa_pkcs1_sha256 for a request that lists it. */
    rp.sigalgs = mixed;
    rp.n_sigalgs = 2;
    EXPECT_ERR(atea_ea_request(f->c.server, &rp, &out), ATEA_ERR_EA_SCHEME_INVALID);
    atea_buf req = server_request(f, 0);
    atea_buf auth = forge_client(f, &req, ed25519(f), NULL, 0, 0x0807);
    set_cv_scheme(&auth, 0x0401);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_SCHEME_INVALID);
    set_cv_scheme(&auth, 0x0203); /* ecdsa_sha1 */
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_SCHEME_INVALID);
    set_cv_scheme(&auth, 0xfefe); /* unknown */
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_SCHEME_INVALID);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

static void test_scheme_key_mismatch(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0); /* atea's default list: every TLS 1.3 scheme */
    /* An Ed25519 leaf under ecdsa_secp256r1_sha256. */
    atea_buf auth = forge_client(f, &req, ed25519(f), NULL, 0, 0x0807);
    set_cv_scheme(&auth, 0x0403);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_SCHEME_KEY_MISMATCH);
    atea_buf_free(&auth);
    /* A P-256 leaf under ecdsa_secp384r1_sha384: TLS 1.3 binds the curve to the scheme. */
    auth = forge_client(f, &req, p256(f), NULL, 0, 0x0403);
    set_cv_scheme(&auth, 0x0503);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_SCHEME_KEY_MISMATCH);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

/* ---- cryptographic checks ---- */

static size_t finished_offset(const atea_buf *auth)
{
    return auth->len - 4 - 32;
}

static void test_bad_signature_and_finished(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    atea_buf auth = forge_client(f, &req, ed25519(f), NULL, 0, 0x0807);
    size_t fin = finished_offset(&auth);
    /* A bit of the signature (the byte before the Finished). */
    auth.data[fin - 1] ^= 0x01;
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_BAD_SIGNATURE);
    auth.data[fin - 1] ^= 0x01;
    /* A bit of the Finished MAC. */
    auth.data[auth.len - 1] ^= 0x80;
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_BAD_FINISHED);
    auth.data[auth.len - 1] ^= 0x80;
    /* Restored, it validates: the failures left the request open. */
    EXPECT_OK(validate(f, f->c.server, NULL, &auth));
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

static void test_wrong_labels(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    const atea_test_identity *id = ed25519(f);
    atea_ea_cert_in cert = {{id->leaf_der.data, id->leaf_der.len}, NULL, 0};
    /* The client's authenticator built with the server's labels. */
    atea_buf auth =
        forge(f, ATEA_TLS_SERVER, &req, atea_test_ea_req_context(&req), &cert, 1, id->key, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_BAD_SIGNATURE);
    atea_buf_free(&auth);
    /* The empty authenticator with the server's labels. */
    atea_ea_keys keys;
    atea_buf empty = {0};
    EXPECT_OK(atea_ea_keys_derive(&f->c.server_tls, ATEA_TLS_SERVER, &keys));
    EXPECT_OK(
        atea_ea_build_empty(&keys, atea_test_slice(&req), atea_test_ea_req_context(&req), &empty));
    EXPECT_ERR(validate(f, f->c.server, NULL, &empty), ATEA_ERR_EA_BAD_FINISHED);
    EXPECT_ERR(validate(f, f->c.server, &req, &empty), ATEA_ERR_EA_BAD_FINISHED);
    atea_ea_keys_wipe(&keys);
    atea_buf_free(&empty);
    atea_buf_free(&req);
}

static void test_authenticator_from_another_connection(void **state)
{
    fixture *f = *state;
    atea_test_ea_conn other;
    atea_buf req = server_request(f, 0);
    atea_buf auth = {0};
    atea_buf empty = {0};
    atea_test_ea_cred cred;
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    EXPECT_OK(atea_test_ea_conn_init(&other, ATEA_HASH_SHA256, 0x77, NULL));
    EXPECT_OK(atea_ea_authenticate(other.client, req.data, req.len, &cred.cred, &auth));
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_BAD_SIGNATURE);
    atea_buf_free(&auth);
    other.client_rng.first = 0x33;
    atea_buf req2 = server_request(f, 0);
    EXPECT_OK(atea_ea_refuse(other.client, req2.data, req2.len, &empty));
    EXPECT_ERR(validate(f, f->c.server, NULL, &empty), ATEA_ERR_EA_BAD_FINISHED);
    atea_test_ea_conn_dispose(&other);
    atea_buf_free(&empty);
    atea_buf_free(&req);
    atea_buf_free(&req2);
}

/* ---- malformed ---- */

static void test_trailing_and_truncated(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    atea_buf auth = forge_client(f, &req, ed25519(f), NULL, 0, 0x0807);
    atea_buf longer = {0};
    atea_ea_identity vid;
    EXPECT_OK(atea_buf_set(&longer, auth.data, auth.len + 1));
    EXPECT_ERR(validate(f, f->c.server, NULL, &(atea_buf){NULL, 0}), ATEA_ERR_TRUNCATED);
    atea_buf_free(&longer);
    uint8_t *copy = malloc(auth.len + 1);
    assert_non_null(copy);
    memcpy(copy, auth.data, auth.len);
    copy[auth.len] = 0;
    EXPECT_ERR(atea_ea_validate(f->c.server, NULL, copy, auth.len + 1, &vid), ATEA_ERR_TRAILING);
    /* Every proper prefix is truncated. */
    for (size_t len = 0; len < auth.len; len++) {
        atea_err err = atea_ea_validate(f->c.server, NULL, copy, len, &vid);
        if (err != ATEA_ERR_TRUNCATED) {
            fail_msg("prefix of %zu/%zu bytes: %s", len, auth.len, atea_err_name(err));
        }
    }
    EXPECT_OK(atea_ea_validate(f->c.server, NULL, copy, auth.len, &vid));
    atea_ea_identity_dispose(&vid);
    /* The empty authenticator too: trailing byte, every prefix, a Finished of the wrong size. */
    atea_buf req2 = server_request(f, 0);
    atea_buf empty = {0};
    EXPECT_OK(atea_ea_refuse(f->c.client, req2.data, req2.len, &empty));
    memcpy(copy, empty.data, empty.len);
    copy[empty.len] = 0;
    EXPECT_ERR(atea_ea_validate(f->c.server, NULL, copy, empty.len + 1, &vid), ATEA_ERR_TRAILING);
    for (size_t len = 0; len < empty.len; len++) {
        EXPECT_ERR(atea_ea_validate(f->c.server, NULL, copy, len, &vid), ATEA_ERR_TRUNCATED);
    }
    static const uint8_t short_fin[] = {0x14, 0, 0, 2, 0xaa, 0xbb};
    EXPECT_ERR(atea_ea_validate(f->c.server, NULL, short_fin, sizeof(short_fin), &vid),
               ATEA_ERR_VEC_LENGTH);
    free(copy);
    atea_buf_free(&empty);
    atea_buf_free(&auth);
    atea_buf_free(&req);
    atea_buf_free(&req2);
}

static void test_empty_list_with_cert_verify(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    atea_buf auth = forge(f, ATEA_TLS_CLIENT, &req, atea_test_ea_req_context(&req), NULL, 0,
                          ed25519(f)->key, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_EMPTY_CERT_LIST);
    atea_test_ea_cred cred;
    atea_buf out = {0};
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    cred.cred.n_chain = 0;
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_EMPTY_CERT_LIST);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

static void test_bad_certificate_and_key_mismatch(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    static const uint8_t not_a_cert[] = {0x30, 0x00};
    atea_ea_cert_in cert = {{not_a_cert, sizeof(not_a_cert)}, NULL, 0};
    atea_buf auth = forge(f, ATEA_TLS_CLIENT, &req, atea_test_ea_req_context(&req), &cert, 1,
                          ed25519(f)->key, 0x0807);
    EXPECT_ERR(validate(f, f->c.server, NULL, &auth), ATEA_ERR_EA_BAD_CERT);
    /* The signing key must be the leaf's. */
    atea_test_ea_cred cred;
    atea_buf out = {0};
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    cred.cred.key = p256(f)->key;
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_KEY_MISMATCH);
    /* Same type, another key: the SubjectPublicKeyInfo bytes differ (src/ea/spki.c). */
    EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_non_null(other);
    cred.cred.key = other;
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_KEY_MISMATCH);
    /* A leaf that is no certificate is refused before any key comparison. */
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    cred.chain[0].der = (atea_slice){not_a_cert, sizeof(not_a_cert)};
    EXPECT_ERR(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out),
               ATEA_ERR_EA_BAD_CERT);
    /* The right key still answers the request. */
    atea_test_ea_cred_init(&cred, ed25519(f), 0, NULL, 0);
    EXPECT_OK(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &out));
    atea_buf_free(&out);
    EVP_PKEY_free(other);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

/* A 1024-bit RSA key (test-only): too small for RSASSA-PSS with SHA-512, whose encoding needs
 * 2 * 64 + 2 bytes of modulus. */
static const char rsa1024_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAMnWvvlUPFVbXXny\n"
    "wER3pkdCDIfbvrLDkPrnLY0mV4Pwft9FMu9YsrhXAMnSyIBQah82qVwYWL4cUbWd\n"
    "Wcmpr9UPnXxVYlEXoJL4PQcEf+J4rxK7ai8McpVfFfpwh1weWSRg9IZxg372AYMq\n"
    "EhGLicpgPsYOZ3BJOkZroGopG6vbAgMBAAECgYB1OOElEQURVcTORGvh19OcYwHA\n"
    "DaGNVQNolMbhyTjeidhFd30DgPIbGXx9uotz6kAX7LkjoYg4sV3LKp2w/3n8LdHI\n"
    "x9fDninSek2cDm9J0ZO13FIHjZFcQrSdhDmeH4WfqyAhmQL5XpCn8vZ9mGjL+MOd\n"
    "VNnaWRGsqYPTT2FRoQJBAOQJQHP/Oq7loDWkVlmBf9m/6jLHAcbGn2aV9GVTNcEC\n"
    "/tEs7ZMFECSm6NnhsqRebGCSy370o+60QUIWz40c4RkCQQDilxTmWNq5Z3L0UEAF\n"
    "1nIA+UA8ST1ITVerk8F88afUdA4tb3TdVUt/IwDYTdppKhLArhp92+pfJphpERkF\n"
    "So8TAkEAhMHGHkH23h+dF92mz9EOp6yNIiatqBW2czjV4a+B2e5uf0TSwwbtkQkD\n"
    "AuXc5Mh7+/U6N50hWzTh0SIKjzLC8QJAIBP/c3TU0jahAZFy3uCzFwwyWdaMhHXe\n"
    "mX27gLK9bchYUXpb8xGmNIOCFR1AdG7uZLTBL1w42+uc3BL9ldAuXQJAQfnQZJMF\n"
    "+Q0T3jJ5C9CeqbTvlUgifUmevOu6EPkrPa/2KclY6hqC2ujKD8sbSCDe6J13AWCP\n"
    "qNQp1Uj+bBUtZA==\n"
    "-----END PRIVATE KEY-----\n";

static void test_rsa_key_too_small_for_scheme(void **state)
{
    fixture *f = *state;
    atea_buf req = server_request(f, 0);
    BIO *bio = BIO_new_mem_buf(rsa1024_pem, -1);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    assert_non_null(key);
    static const uint8_t cert[] = {0x30, 0x00};
    atea_ea_cert_in entry = {{cert, sizeof(cert)}, NULL, 0};
    atea_ea_keys keys;
    atea_buf out = {0};
    EXPECT_OK(atea_ea_keys_derive(&f->c.client_tls, ATEA_TLS_CLIENT, &keys));
    atea_ea_build b = {
        &keys,  atea_test_slice(&req),      atea_test_ea_req_context(&req), &entry, 1, key,
        0x0806, ATEA_DEFAULT_EA_MAX_MESSAGE};
    EXPECT_ERR(atea_ea_build_authenticator(&b, &out), ATEA_ERR_EA_SCHEME_KEY_MISMATCH);
    assert_null(out.data);
    /* Choosing skips it: the first offered scheme this key can sign. */
    atea_ea_offer offer = {0};
    uint16_t chosen = 0;
    offer.sigalgs[0] = 0x0806;
    offer.sigalgs[1] = 0x0805;
    offer.sigalgs[2] = 0x0804;
    offer.n_sigalgs = 3;
    offer.source = "request";
    EXPECT_OK(atea_ea_offer_choose_scheme(&offer, key, &chosen));
    assert_int_equal(chosen, 0x0805); /* 128 >= 2 * 48 + 2 */
    b.scheme = chosen;
    EXPECT_OK(atea_ea_build_authenticator(&b, &out));
    atea_buf_free(&out);
    offer.n_sigalgs = 1;
    EXPECT_ERR(atea_ea_offer_choose_scheme(&offer, key, &chosen), ATEA_ERR_EA_NO_COMMON_SCHEME);
    atea_ea_keys_wipe(&keys);
    EVP_PKEY_free(key);
    BIO_free(bio);
    atea_buf_free(&req);
}

/* ---- PKIX ---- */

/* A leaf whose EC point is not on the curve: refused with and without PKIX (src/ea/spki.c imports
 * the key without decoding the certificate when there is no trust store). */
static void test_leaf_key_not_a_point(void **state)
{
    fixture *f = *state;
    const atea_test_identity *id = p256(f);
    uint8_t *der = malloc(id->leaf_der.len);
    assert_non_null(der);
    memcpy(der, id->leaf_der.data, id->leaf_der.len);
    atea_slice spki = {0};
    EXPECT_OK(atea_ea_cert_spki((atea_slice){der, id->leaf_der.len}, 0, &spki));
    assert_int_equal(spki.len, 91);
    der[spki.data + spki.len - 1 - der] ^= 0x01; /* the last byte of y */
    atea_ea_cert_in cert = {{der, id->leaf_der.len}, NULL, 0};
    X509_STORE *trust = X509_STORE_new();
    assert_int_equal(X509_STORE_add_cert(trust, id->ca), 1);
    for (int pkix = 0; pkix < 2; pkix++) {
        EXPECT_ERR(validate_p256_answer(f, &cert, id->key, pkix ? trust : NULL),
                   ATEA_ERR_EA_BAD_CERT);
    }
    /* The unmodified leaf passes both ways. */
    cert.der = (atea_slice){id->leaf_der.data, id->leaf_der.len};
    for (int pkix = 0; pkix < 2; pkix++) {
        EXPECT_OK(validate_p256_answer(f, &cert, id->key, pkix ? trust : NULL));
    }
    X509_STORE_free(trust);
    free(der);
}

static void test_chain_validation(void **state)
{
    fixture *f = *state;
    const atea_test_identity *id = ed25519(f);
    X509_STORE *right = X509_STORE_new();
    X509_STORE *wrong = X509_STORE_new();
    assert_int_equal(X509_STORE_add_cert(right, id->ca), 1);
    assert_int_equal(X509_STORE_add_cert(wrong, p256(f)->ca), 1);
    atea_test_ea_cred cred;
    atea_test_ea_cred_init(&cred, id, 1, NULL, 0);
    atea_ea_identity vid;
    atea_buf req = server_request(f, 0);
    atea_buf auth = {0};
    EXPECT_OK(atea_ea_authenticate(f->c.client, req.data, req.len, &cred.cred, &auth));
    /* An untrusted CA. */
    atea_ea_validate_params vp = {.trust = wrong};
    EXPECT_ERR(atea_ea_validate(f->c.server, &vp, auth.data, auth.len, &vid), ATEA_ERR_EA_CHAIN);
    /* The right CA, but at a time after the certificates expire. */
    vp.trust = right;
    vp.use_time = 1;
    vp.time = 4102444800; /* 2100-01-01 */
    EXPECT_ERR(atea_ea_validate(f->c.server, &vp, auth.data, auth.len, &vid), ATEA_ERR_EA_CHAIN);
    vp.use_time = 0;
    EXPECT_OK(atea_ea_validate(f->c.server, &vp, auth.data, auth.len, &vid));
    assert_int_equal(vid.n_certs, 2);
    atea_ea_identity_dispose(&vid);
    X509_STORE_free(right);
    X509_STORE_free(wrong);
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_tls12_and_unfinished_handshake_refused),
        T(test_request_direction),
        T(test_message_types),
        T(test_never_sent_request_unknown_context),
        T(test_answered_and_replayed),
        T(test_reused_context),
        T(test_context_mismatch),
        T(test_unrequested_extension),
        T(test_unrequested_cmw),
        T(test_cmw_placement_and_form),
        T(test_scheme_not_offered),
        T(test_pkcs1_never),
        T(test_scheme_key_mismatch),
        T(test_bad_signature_and_finished),
        T(test_wrong_labels),
        T(test_authenticator_from_another_connection),
        T(test_trailing_and_truncated),
        T(test_empty_list_with_cert_verify),
        T(test_bad_certificate_and_key_mismatch),
        T(test_rsa_key_too_small_for_scheme),
        T(test_leaf_key_not_a_point),
        T(test_chain_validation),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, atea_test_identities_state_free);
}
