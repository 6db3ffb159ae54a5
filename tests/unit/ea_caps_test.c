/*
 * The ea layer's caps, each at the cap and one over (style.md P8): message size (built and
 * received), certificates per authenticator (built and received), contexts per connection.
 */
#include <stdlib.h>
#include <string.h>

#include "atea/ea.h"
#include "atea_test.h"
#include "core/check.h"
#include "ea/ea_internal.h"
#include "tls_secret.h"

/* The group state is a set of identities (atea_test_identities_group_setup). */
static const atea_test_identity *ed25519(atea_test_identities *ids)
{
    return atea_test_identities_get(ids, ATEA_TEST_KEY_ED25519);
}

static void test_message_size_cap(void **state)
{
    atea_test_identities *ids = *state;
    atea_test_ea_conn first;
    atea_buf req = {0};
    atea_test_ea_cred cred;
    atea_buf auth = {0};
    atea_buf out = {0};
    atea_ea_identity vid;
    atea_test_ea_cred_init(&cred, ed25519(ids), 1, NULL, 0);
    EXPECT_OK(atea_test_ea_conn_init(&first, ATEA_HASH_SHA256, 0x5a, NULL));
    EXPECT_OK(atea_ea_request(first.server, NULL, &req));
    EXPECT_OK(atea_ea_authenticate(first.client, req.data, req.len, &cred.cred, &auth));
    atea_test_ea_conn_dispose(&first);
    /* Ed25519 signatures have a fixed size: a second build has the same length. */
    for (int over = 0; over <= 1; over++) {
        atea_test_ea_conn c;
        atea_ea_opts opts;
        atea_ea_opts_default(&opts);
        opts.max_message = auth.len - (size_t)over;
        EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x5a, &opts));
        atea_buf r = {0};
        EXPECT_OK(atea_ea_request(c.server, NULL, &r));
        atea_err want = over ? ATEA_ERR_EA_MESSAGE_TOO_LARGE : ATEA_OK;
        EXPECT_ERR(atea_ea_authenticate(c.client, r.data, r.len, &cred.cred, &out), want);
        if (!over) {
            assert_int_equal(out.len, auth.len);
            EXPECT_OK(atea_ea_validate(c.server, NULL, out.data, out.len, &vid));
            atea_ea_identity_dispose(&vid);
            atea_buf_free(&out);
        } else {
            /* The validator's cap: the full-size authenticator of the first connection. */
            EXPECT_ERR(atea_ea_validate(c.server, NULL, auth.data, auth.len, &vid),
                       ATEA_ERR_EA_MESSAGE_TOO_LARGE);
        }
        atea_buf_free(&r);
        atea_test_ea_conn_dispose(&c);
    }
    atea_buf_free(&auth);
    atea_buf_free(&req);
}

static void test_certificate_count_cap(void **state)
{
    atea_test_identities *ids = *state;
    const atea_test_identity *id = ed25519(ids);
    atea_ea_opts opts;
    atea_test_ea_conn c;
    atea_buf out = {0};
    atea_ea_identity vid;
    atea_ea_opts_default(&opts);
    opts.max_certs = 2;
    EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x5a, &opts));
    atea_ea_cert_in three[3] = {{{id->leaf_der.data, id->leaf_der.len}, NULL, 0},
                                {{id->ca_der.data, id->ca_der.len}, NULL, 0},
                                {{id->ca_der.data, id->ca_der.len}, NULL, 0}};
    atea_ea_credential cred = {three, 2, id->key, {NULL, 0}};
    atea_buf req = {0};
    EXPECT_OK(atea_ea_request(c.server, NULL, &req));
    /* At the cap. */
    EXPECT_OK(atea_ea_authenticate(c.client, req.data, req.len, &cred, &out));
    EXPECT_OK(atea_ea_validate(c.server, NULL, out.data, out.len, &vid));
    assert_int_equal(vid.n_certs, 2);
    atea_ea_identity_dispose(&vid);
    atea_buf_free(&out);
    atea_buf_free(&req);
    /* Over the cap, sent and received. */
    cred.n_chain = 3;
    EXPECT_OK(atea_ea_request(c.server, NULL, &req));
    EXPECT_ERR(atea_ea_authenticate(c.client, req.data, req.len, &cred, &out),
               ATEA_ERR_EA_TOO_MANY_CERTS);
    atea_ea_keys keys;
    EXPECT_OK(atea_ea_keys_derive(&c.client_tls, ATEA_TLS_CLIENT, &keys));
    atea_ea_build b = {
        &keys,  atea_test_slice(&req),      atea_test_ea_req_context(&req), three, 3, id->key,
        0x0807, ATEA_DEFAULT_EA_MAX_MESSAGE};
    EXPECT_OK(atea_ea_build_authenticator(&b, &out));
    EXPECT_ERR(atea_ea_validate(c.server, NULL, out.data, out.len, &vid),
               ATEA_ERR_EA_TOO_MANY_CERTS);
    atea_ea_keys_wipe(&keys);
    atea_buf_free(&out);
    atea_buf_free(&req);
    atea_test_ea_conn_dispose(&c);
}

static void test_context_count_cap(void **state)
{
    (void)state;
    atea_ea_opts opts;
    atea_test_ea_conn c;
    atea_buf req = {0};
    atea_ea_opts_default(&opts);
    opts.max_contexts = 2;
    EXPECT_OK(atea_test_ea_conn_init(&c, ATEA_HASH_SHA256, 0x5a, &opts));
    for (int i = 0; i < 2; i++) {
        EXPECT_OK(atea_ea_request(c.server, NULL, &req));
        atea_buf_free(&req);
    }
    EXPECT_ERR(atea_ea_request(c.server, NULL, &req), ATEA_ERR_EA_TOO_MANY_CONTEXTS);
    atea_test_ea_conn_dispose(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_size_cap),
        cmocka_unit_test(test_certificate_count_cap),
        cmocka_unit_test(test_context_count_cap),
    };
    return cmocka_run_group_tests(tests, atea_test_identities_group_setup,
                                  atea_test_identities_state_free);
}
