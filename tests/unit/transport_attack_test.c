/*
 * The attacks attested TLS exists to stop (draft-fossati-seat-expat §"Cryptographic Binding",
 * specs.md §6.4), each built for real: separate TCP connections over 127.0.0.1, real TLS 1.3
 * handshakes, the atea_conn transport with the simulated TEE and the real verifier on the
 * genuine ends, and an attacker that holds its own TLS keys and speaks the atea framing by hand.
 * Each test asserts the exact code on the side that must refuse, the reason the other side is
 * told, and that no application byte reached the application.
 *
 * The in-memory versions (one process, BIO pairs, a test appraiser) are in
 * tests/unit/session_attack_test.c; these differ in that the attacker's connections are real and
 * separate and the evidence is appraised by atea_verify_cmw under a JSON policy.
 */
#include <string.h>

#include <openssl/evp.h>

#include "atea/binder.h"
#include "atea/ea.h"
#include "atea/frame.h"
#include "atea/reason.h"
#include "loopback_atea.h"

/* ------------------------------------------------------------------ shared steps */

/* Run two genuine ends over a fresh loopback connection and wait for both. */
static void run_pair(la_end *client, la_end *server)
{
    lb_thread tc = {0};
    lb_thread ts = {0};
    lb_thread_start(&ts, la_end_run, server);
    lb_thread_start(&tc, la_end_run, client);
    lb_thread_join(&tc, LB_JOIN_TIMEOUT_MS, "the client end");
    lb_thread_join(&ts, LB_JOIN_TIMEOUT_MS, "the server end");
}

/* A genuine attested connection: relying-party client, attesting server; both must succeed.
 * The client's received frames (HELLO, AUTHENTICATOR) stay in *client for capture. */
static void genuine_connection(la_env *env, la_end *client, la_end *server, atea_rng_fn client_rng)
{
    int cfd = -1;
    int sfd = -1;
    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(client, env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    la_end_init(server, env, 1, ATEA_SESSION_ATTESTER, sfd);
    client->copts.session.rng = client_rng;
    server->send = "genuine server data";
    client->read = 1;
    run_pair(client, server);
    EXPECT_OK(client->err_attest);
    EXPECT_OK(server->err_attest);
    assert_int_equal(client->events[ATEA_SESSION_EV_ATTESTED], 1);
    assert_int_equal(client->frames_in[ATEA_FRAME_AUTHENTICATOR], 1);
    assert_int_equal(client->data_len, strlen("genuine server data"));
}

/* The relying party refused: its own code, the RESULT reason it sent, no attestation, no
 * application byte delivered, and nothing may be written afterwards. */
static void expect_rp_refused(const la_end *rp, atea_err code, uint16_t reason)
{
    if (rp->err_attest != code) {
        fail_msg("relying party: expected %s, got %s (%s)", atea_err_name(code),
                 atea_err_name(rp->err_attest), rp->detail);
    }
    assert_int_equal(rp->events[ATEA_SESSION_EV_REFUSED], 1);
    assert_int_equal(rp->refused.err, code);
    assert_int_equal(rp->refused.reason, reason);
    assert_int_equal(rp->refused.by_peer, 0);
    assert_int_equal(rp->events[ATEA_SESSION_EV_ATTESTED], 0);
    assert_int_equal(rp->events[ATEA_SESSION_EV_READY], 0);
    assert_int_equal(rp->events[ATEA_SESSION_EV_DATA], 0);
    assert_int_equal(rp->data_len, 0);
    assert_int_equal(rp->err_write_after, code); /* sticky: nothing leaves either */
}

/* What the attacker saw after it delivered its AUTHENTICATOR: a RESULT refusing it with
 * `reason`, no DATA, and the connection closed. */
static void expect_attacker_told(lb_raw *raw, uint16_t reason)
{
    lb_frames_seen seen;
    EXPECT_OK(lb_raw_drain(raw, LB_TIMEOUT_MS, &seen));
    assert_int_equal(seen.counts[ATEA_FRAME_RESULT], 1);
    assert_int_equal(seen.result_reason, reason);
    assert_int_equal(seen.counts[ATEA_FRAME_DATA], 0);
}

/* A raw TLS server end for the attacker, with its own TLS key, on an accepted socket. */
static void attacker_accept(lb_raw *raw, SSL_CTX *ctx, int fd)
{
    EXPECT_OK(lb_raw_handshake(raw, ctx, fd, 1, LB_TIMEOUT_MS, NULL));
}

/* A genuine relying-party client (reading; contexts from rng, NULL: the default) running in
 * thread t, connected to the attacker's raw TLS server end, whose handshake completes here. */
static void victim_client_start(la_env *env, la_end *client, atea_rng_fn rng, lb_thread *t,
                                lb_raw *attacker, SSL_CTX *attacker_ctx)
{
    int cfd = -1;
    int afd = -1;
    EXPECT_OK(lb_tcp_pair(&cfd, &afd));
    la_end_init(client, env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    client->copts.session.rng = rng;
    client->read = 1;
    lb_thread_start(t, la_end_run, client);
    attacker_accept(attacker, attacker_ctx, afd);
}

static SSL_CTX *attacker_ctx(int is_server, const atea_test_identity *id)
{
    lb_ctx_opts o = {.id = id};
    SSL_CTX *ctx = lb_ctx_new(is_server, &o);
    assert_non_null(ctx);
    return ctx;
}

static atea_err same_context_rng(void *user, uint8_t *out, size_t len)
{
    (void)user;
    memset(out, 0x5c, len);
    return ATEA_OK;
}

/* ------------------------------------------------------------------ 1. replay */

/*
 * Connection A: a genuine client attests a genuine server; the attacker records A's HELLO and
 * AUTHENTICATOR frames (as a passive observer with A's keys would: here they are taken from the
 * genuine client's trace). Connection B: the client connects to the attacker's fake server,
 * which completes TLS with its own key, replays A's HELLO, waits for B's REQUEST and answers it
 * with A's AUTHENTICATOR, followed by DATA.
 *
 * With fresh random contexts (the default) the authenticator answers another context:
 * ATEA_ERR_EA_CONTEXT_MISMATCH (RFC 9261 §5.2.4 check 6, before any signature). With a client
 * whose context generator repeats itself (the same 32 bytes on A and B), the context check
 * passes and the connection binding catches it: the CertificateVerify signs the Handshake
 * Context exported from connection A (RFC 9261 §5.2.2), which B's exporter does not reproduce:
 * ATEA_ERR_EA_BAD_SIGNATURE (check 11, before the Finished MAC).
 */
static void replay(int same_context)
{
    la_env env;
    la_end client_a;
    la_end server_a;
    la_end client_b;
    lb_thread tb = {0};
    lb_raw fake = {0};
    atea_rng_fn rng = same_context ? same_context_rng : NULL;
    la_env_init(&env, 0);
    atea_test_identity *attacker_tls = atea_test_identity_new(ATEA_TEST_KEY_P256);
    SSL_CTX *fake_ctx = attacker_ctx(1, attacker_tls);

    genuine_connection(&env, &client_a, &server_a, rng);
    const atea_buf *hello_a = &client_a.first_in[ATEA_FRAME_HELLO];
    const atea_buf *auth_a = &client_a.first_in[ATEA_FRAME_AUTHENTICATOR];

    victim_client_start(&env, &client_b, rng, &tb, &fake, fake_ctx);
    atea_buf hello_b = la_expect_frame(&fake, ATEA_FRAME_HELLO);
    EXPECT_OK(lb_raw_send(&fake, hello_a->data, hello_a->len, LB_TIMEOUT_MS));
    atea_buf request_b = la_expect_frame(&fake, ATEA_FRAME_REQUEST);
    EXPECT_OK(lb_raw_send(&fake, auth_a->data, auth_a->len, LB_TIMEOUT_MS));
    EXPECT_OK(
        lb_raw_send_frame(&fake, ATEA_FRAME_DATA, (const uint8_t *)"replayed", 8, LB_TIMEOUT_MS));
    expect_attacker_told(&fake,
                         same_context ? ATEA_REASON_BAD_SIGNATURE : ATEA_REASON_CONTEXT_MISMATCH);
    lb_thread_join(&tb, LB_JOIN_TIMEOUT_MS, "the replay victim");

    /* with the repeating generator, B's request and A's authenticator carry the same
     * context: only the connection differs */
    uint8_t ctx_a[ATEA_EA_MAX_CONTEXT_LEN];
    uint8_t ctx_b[ATEA_EA_MAX_CONTEXT_LEN];
    size_t len_a = 0;
    size_t len_b = 0;
    atea_slice body_a = lb_frame_body(auth_a);
    atea_slice body_b = lb_frame_body(&request_b);
    EXPECT_OK(atea_ea_get_context(body_a.data, body_a.len, ctx_a, &len_a));
    EXPECT_OK(atea_ea_get_context(body_b.data, body_b.len, ctx_b, &len_b));
    assert_int_equal(len_a, len_b);
    assert_int_equal(memcmp(ctx_a, ctx_b, len_a) == 0, same_context);
    if (same_context) {
        expect_rp_refused(&client_b, ATEA_ERR_EA_BAD_SIGNATURE, ATEA_REASON_BAD_SIGNATURE);
    } else {
        expect_rp_refused(&client_b, ATEA_ERR_EA_CONTEXT_MISMATCH, ATEA_REASON_CONTEXT_MISMATCH);
    }
    lb_raw_close(&fake);
    atea_buf_free(&hello_b);
    atea_buf_free(&request_b);
    la_end_dispose(&client_a);
    la_end_dispose(&server_a);
    la_end_dispose(&client_b);
    SSL_CTX_free(fake_ctx);
    atea_test_identity_free(attacker_tls);
    la_env_dispose(&env);
}

static void test_replay_fresh_context(void **state)
{
    (void)state;
    replay(0);
}

static void test_replay_same_context(void **state)
{
    (void)state;
    replay(1);
}

/*
 * The other direction: the server is the relying party and the client attests (the server
 * sends a CertificateRequest, the client answers with client labels, RFC 9261 §5.1). The
 * attacker replays a genuine client's HELLO and AUTHENTICATOR, captured by the server of
 * connection A, as a fake client on connection B. Same codes as above, on the server.
 */
static void replay_to_server(int same_context)
{
    la_env env;
    la_end client_a;
    la_end server_a;
    la_end server_b;
    lb_thread tb = {0};
    lb_raw fake = {0};
    int cfd = -1;
    int sfd = -1;
    atea_rng_fn rng = same_context ? same_context_rng : NULL;
    la_env_init(&env, 0);
    SSL_CTX *fake_ctx = attacker_ctx(0, NULL);

    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&client_a, &env, 0, ATEA_SESSION_ATTESTER, cfd);
    la_end_init(&server_a, &env, 1, ATEA_SESSION_RELYING_PARTY, sfd);
    server_a.copts.session.rng = rng;
    client_a.send = "genuine client data";
    server_a.read = 1;
    run_pair(&client_a, &server_a);
    EXPECT_OK(client_a.err_attest);
    EXPECT_OK(server_a.err_attest);
    assert_int_equal(server_a.data_len, strlen("genuine client data"));

    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&server_b, &env, 1, ATEA_SESSION_RELYING_PARTY, sfd);
    server_b.copts.session.rng = rng;
    server_b.read = 1;
    lb_thread_start(&tb, la_end_run, &server_b);
    EXPECT_OK(lb_raw_handshake(&fake, fake_ctx, cfd, 0, LB_TIMEOUT_MS, NULL));
    const atea_buf *hello_a = &server_a.first_in[ATEA_FRAME_HELLO];
    const atea_buf *auth_a = &server_a.first_in[ATEA_FRAME_AUTHENTICATOR];
    EXPECT_OK(lb_raw_send(&fake, hello_a->data, hello_a->len, LB_TIMEOUT_MS));
    atea_buf hello_b = la_expect_frame(&fake, ATEA_FRAME_HELLO);
    atea_buf request_b = la_expect_frame(&fake, ATEA_FRAME_REQUEST);
    EXPECT_OK(lb_raw_send(&fake, auth_a->data, auth_a->len, LB_TIMEOUT_MS));
    EXPECT_OK(
        lb_raw_send_frame(&fake, ATEA_FRAME_DATA, (const uint8_t *)"replayed", 8, LB_TIMEOUT_MS));
    uint16_t reason = same_context ? ATEA_REASON_BAD_SIGNATURE : ATEA_REASON_CONTEXT_MISMATCH;
    expect_attacker_told(&fake, reason);
    lb_thread_join(&tb, LB_JOIN_TIMEOUT_MS, "the replay victim");
    expect_rp_refused(
        &server_b, same_context ? ATEA_ERR_EA_BAD_SIGNATURE : ATEA_ERR_EA_CONTEXT_MISMATCH, reason);
    lb_raw_close(&fake);
    atea_buf_free(&hello_b);
    atea_buf_free(&request_b);
    la_end_dispose(&client_a);
    la_end_dispose(&server_a);
    la_end_dispose(&server_b);
    SSL_CTX_free(fake_ctx);
    la_env_dispose(&env);
}

static void test_replay_to_server_fresh_context(void **state)
{
    (void)state;
    replay_to_server(0);
}

static void test_replay_to_server_same_context(void **state)
{
    (void)state;
    replay_to_server(1);
}

/* ------------------------------------------------------------------ 2. relay */

/*
 * The man in the middle M terminates the client's TLS with its own key and opens its own TLS
 * connection to a genuine attesting server S. It forwards every frame both ways: the client's
 * HELLO and REQUEST to S, S's HELLO and AUTHENTICATOR back, the client's RESULT to S.
 *
 * Expected: ATEA_ERR_EA_BAD_SIGNATURE at the client. S computed its authenticator on the M-S
 * connection: the CertificateVerify signs Hash(Handshake Context || request || Certificate)
 * where Handshake Context = Exporter("EXPORTER-server authenticator handshake context") of M-S
 * (RFC 9261 §5.2.2). The client recomputes the transcript with its own (client-M) exporter, so
 * the signature is the first check that fails (docs/EA.md check 11; the Finished MAC, check 12,
 * and the binder in the evidence would fail too, but are not reached). The context matches:
 * M forwarded the client's own request.
 */
static void test_relay_forwarding_mitm(void **state)
{
    (void)state;
    la_env env;
    la_end client;
    la_end server;
    lb_thread tc = {0};
    lb_thread ts = {0};
    lb_raw m_client_side = {0};
    lb_raw m_server_side = {0};
    int cfd = -1;
    int mfd = -1;
    int m2fd = -1;
    int sfd = -1;
    la_env_init(&env, 0);
    atea_test_identity *m_tls = atea_test_identity_new(ATEA_TEST_KEY_P256);
    SSL_CTX *m_server_ctx = attacker_ctx(1, m_tls);
    SSL_CTX *m_client_ctx = attacker_ctx(0, NULL);

    EXPECT_OK(lb_tcp_pair(&cfd, &mfd));
    EXPECT_OK(lb_tcp_pair(&m2fd, &sfd));
    la_end_init(&client, &env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    la_end_init(&server, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    client.read = 1;
    server.send = "for the client only";
    lb_thread_start(&ts, la_end_run, &server);
    lb_thread_start(&tc, la_end_run, &client);
    attacker_accept(&m_client_side, m_server_ctx, mfd);
    EXPECT_OK(lb_raw_handshake(&m_server_side, m_client_ctx, m2fd, 0, LB_TIMEOUT_MS, NULL));
    /* client HELLO -> S, S HELLO -> client, client REQUEST -> S, S AUTHENTICATOR -> client */
    static const struct {
        int from_client;
        unsigned type;
    } script[] = {
        {1, ATEA_FRAME_HELLO},         {0, ATEA_FRAME_HELLO},  {1, ATEA_FRAME_REQUEST},
        {0, ATEA_FRAME_AUTHENTICATOR}, {1, ATEA_FRAME_RESULT},
    };
    for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
        lb_raw *from = script[i].from_client ? &m_client_side : &m_server_side;
        lb_raw *to = script[i].from_client ? &m_server_side : &m_client_side;
        atea_buf f = la_expect_frame(from, script[i].type);
        EXPECT_OK(lb_raw_send(to, f.data, f.len, LB_TIMEOUT_MS));
        atea_buf_free(&f);
    }
    lb_raw_close(&m_client_side);
    lb_raw_close(&m_server_side);
    lb_thread_join(&tc, LB_JOIN_TIMEOUT_MS, "the relay victim");
    lb_thread_join(&ts, LB_JOIN_TIMEOUT_MS, "the relayed attester");

    expect_rp_refused(&client, ATEA_ERR_EA_BAD_SIGNATURE, ATEA_REASON_BAD_SIGNATURE);
    /* S learns from the forwarded RESULT that its authenticator was refused, and why; its
     * data never left (it waits for attestation to succeed). */
    assert_int_equal(server.err_attest, ATEA_ERR_SESSION_REFUSED);
    assert_int_equal(server.refused.reason, ATEA_REASON_BAD_SIGNATURE);
    assert_int_equal(server.refused.by_peer, 1);
    la_end_dispose(&client);
    la_end_dispose(&server);
    SSL_CTX_free(m_server_ctx);
    SSL_CTX_free(m_client_ctx);
    atea_test_identity_free(m_tls);
    la_env_dispose(&env);
}

/*
 * The relay that gets past the EA layer: M answers the client's REQUEST with an authenticator
 * of its own (its own leaf and key, so the signature and Finished are right for client-M) that
 * carries the genuine server's evidence. To get that evidence bound to the client's context, M
 * opens its own attested connection to S as a relying party and asks with the client's
 * context. The evidence is genuine, fresh, and for the right context, but its binder is
 * Hash(SPKI(S's leaf) || Exporter_{M-S}("Attestation", context)); the client recomputes it
 * with its own exporter and M's leaf: the sim verifier refuses the nonce,
 * ATEA_ERR_SIM_NONCE_MISMATCH (sent as ATEA_REASON_EVIDENCE: verifier details stay local).
 */
typedef struct relay_leg {
    la_end end; /* M as relying party towards S */
    uint8_t context[ATEA_EA_MAX_CONTEXT_LEN];
    size_t context_len;
    atea_buf cmw; /* S's evidence, as M received it */
} relay_leg;

static atea_err relay_context_rng(void *user, uint8_t *out, size_t len)
{
    relay_leg *leg = user;
    if (len != leg->context_len) {
        return ATEA_ERR_INVALID_ARG;
    }
    memcpy(out, leg->context, len);
    return ATEA_OK;
}

static atea_err relay_capture(void *user, const uint8_t *cmw, size_t len,
                              const atea_binding *expected, atea_appraisal *out)
{
    relay_leg *leg = user;
    atea_err err = atea_buf_set(&leg->cmw, cmw, len);
    return err != ATEA_OK ? err : la_appraise(&leg->end, cmw, len, expected, out);
}

static void test_relay_rewrapped_evidence(void **state)
{
    (void)state;
    la_env env;
    la_end client;
    la_end server;
    relay_leg leg;
    lb_thread tc = {0};
    lb_thread ts = {0};
    lb_thread tm = {0};
    lb_raw m = {0};
    int m2fd = -1;
    int sfd = -1;
    la_env_init(&env, 0);
    atea_test_identity *m_tls = atea_test_identity_new(ATEA_TEST_KEY_P256);
    atea_test_identity *m_leaf = atea_test_identity_new(ATEA_TEST_KEY_P256);
    SSL_CTX *m_ctx = attacker_ctx(1, m_tls);

    victim_client_start(&env, &client, NULL, &tc, &m, m_ctx);
    atea_buf hello = la_expect_frame(&m, ATEA_FRAME_HELLO);
    la_send_hello(&m, ATEA_ROLE_ATTEST);
    atea_buf request = la_expect_frame(&m, ATEA_FRAME_REQUEST);
    atea_slice req = lb_frame_body(&request);
    EXPECT_OK(atea_ea_get_context(req.data, req.len, leg.context, &leg.context_len));
    assert_int_equal(leg.context_len, 32); /* profile.md §3: 32 random bytes */

    /* M's own attested connection to S, asking with the client's context */
    EXPECT_OK(lb_tcp_pair(&m2fd, &sfd));
    la_end_init(&leg.end, &env, 0, ATEA_SESSION_RELYING_PARTY, m2fd);
    memset(&leg.cmw, 0, sizeof(leg.cmw));
    leg.end.copts.session.rng = relay_context_rng;
    leg.end.copts.session.rng_user = &leg;
    leg.end.copts.session.appraise = relay_capture;
    leg.end.copts.session.appraise_user = &leg;
    leg.end.read = 1;
    la_end_init(&server, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    lb_thread_start(&ts, la_end_run, &server);
    lb_thread_start(&tm, la_end_run, &leg.end);
    lb_thread_join(&tm, LB_JOIN_TIMEOUT_MS, "the relay's leg to the attester");
    lb_thread_join(&ts, LB_JOIN_TIMEOUT_MS, "the relayed attester");
    EXPECT_OK(leg.end.err_attest); /* S attested to M: the evidence is genuine and fresh */
    assert_true(leg.cmw.len > 0);

    /* M's authenticator on the client's connection, carrying S's evidence */
    atea_ossl_tls st;
    atea_tls tls;
    atea_ea *ea = NULL;
    atea_buf auth = {0};
    atea_ea_cert_in leaf = {.der = {m_leaf->leaf_der.data, m_leaf->leaf_der.len}};
    atea_ea_credential cred = {
        .chain = &leaf, .n_chain = 1, .key = m_leaf->key, .cmw = {leg.cmw.data, leg.cmw.len}};
    EXPECT_OK(atea_ossl_tls_init(&st, m.ssl, &tls));
    EXPECT_OK(atea_ea_new(&tls, NULL, &ea));
    EXPECT_OK(atea_ea_authenticate(ea, req.data, req.len, &cred, &auth));
    EXPECT_OK(lb_raw_send_frame(&m, ATEA_FRAME_AUTHENTICATOR, auth.data, auth.len, LB_TIMEOUT_MS));
    EXPECT_OK(lb_raw_send_frame(&m, ATEA_FRAME_DATA, (const uint8_t *)"relayed", 7, LB_TIMEOUT_MS));
    expect_attacker_told(&m, ATEA_REASON_EVIDENCE);
    lb_thread_join(&tc, LB_JOIN_TIMEOUT_MS, "the relay victim");

    expect_rp_refused(&client, ATEA_ERR_SIM_NONCE_MISMATCH, ATEA_REASON_EVIDENCE);
    lb_raw_close(&m);
    atea_ea_free(ea);
    atea_buf_free(&auth);
    atea_buf_free(&hello);
    atea_buf_free(&request);
    atea_buf_free(&leg.cmw);
    la_end_dispose(&leg.end);
    la_end_dispose(&client);
    la_end_dispose(&server);
    SSL_CTX_free(m_ctx);
    atea_test_identity_free(m_tls);
    atea_test_identity_free(m_leaf);
    la_env_dispose(&env);
}

/* ------------------------------------------------------------------ 3. diversion */

/*
 * Diversion (specs.md §6.4): the connection reaches another machine whose evidence is genuine
 * (same trusted sim root, correctly bound to this connection) but whose measurement is not the
 * one the relying party's policy pins. Refused with ATEA_ERR_POLICY_REFERENCE_VALUE; the same
 * policy accepts the genuine machine (so the refusal is the measurement's, nothing else's).
 */
static void test_diversion_other_measurement(void **state)
{
    (void)state;
    la_env env;
    la_end client;
    la_end server;
    int cfd = -1;
    int sfd = -1;
    la_env_init(&env, 1);

    genuine_connection(&env, &client, &server, NULL);
    la_end_dispose(&client);
    la_end_dispose(&server);

    atea_attester *rogue = la_sim_attester(&env, "rogue", NULL, 0);
    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&client, &env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    la_end_init(&server, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    server.copts.session.attester = rogue;
    server.send = "diverted";
    client.read = 1;
    run_pair(&client, &server);
    expect_rp_refused(&client, ATEA_ERR_POLICY_REFERENCE_VALUE, ATEA_REASON_EVIDENCE);
    assert_int_equal(server.err_attest, ATEA_ERR_SESSION_REFUSED);
    assert_int_equal(server.refused.reason, ATEA_REASON_EVIDENCE);
    assert_int_equal(server.refused.by_peer, 1);
    la_end_dispose(&client);
    la_end_dispose(&server);
    atea_attester_free(rogue);
    la_env_dispose(&env);
}

/* ------------------------------------------------------------------ 4. key substitution */

/*
 * An attester whose evidence names another key than the authenticator's leaf: genuine sim
 * evidence, but produced for a binding computed with `other`'s SubjectPublicKeyInfo (an
 * "evidence oracle" that quotes whatever key it is given, specs.md §6.4).
 *   aik_only = 1: the binder is the right one for the leaf, only aik_hash names the other key:
 *     the sim verifier's aik_hash check, ATEA_ERR_SIM_AIK_HASH_MISMATCH.
 *   aik_only = 0: the whole binding is computed for the other key, from this very connection
 *     and request: the binder itself covers the key (Hash(SPKI || exported)), so the nonce check
 *     fails first, ATEA_ERR_SIM_NONCE_MISMATCH.
 */
typedef struct swap_attester {
    atea_attester base;
    atea_attester *inner;
    const atea_test_identity *other;
    const la_end *end; /* the attesting end: its connection and the REQUEST it received */
    int aik_only;
    unsigned calls;
} swap_attester;

static atea_err swap_attest(atea_attester *self, const atea_binding *b, atea_buf *cmw)
{
    swap_attester *a = (swap_attester *)self;
    atea_err err = ATEA_OK;
    atea_ossl_tls st;
    atea_tls tls;
    atea_binder_profile prof;
    atea_binding other;
    atea_binding forged = *b;
    uint8_t ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t ctx_len = 0;
    atea_slice req = lb_frame_body(&a->end->first_in[ATEA_FRAME_REQUEST]);
    a->calls++;
    atea_binder_profile_default(&prof);
    err = atea_ossl_tls_init(&st, atea_conn_ssl(a->end->conn), &tls);
    if (err == ATEA_OK) {
        err = atea_ea_get_context(req.data, req.len, ctx, &ctx_len);
    }
    if (err == ATEA_OK) {
        err = atea_binder_compute(&tls, &prof, ctx, ctx_len, a->other->leaf_der.data,
                                  a->other->leaf_der.len, &other);
    }
    if (err != ATEA_OK) {
        return err;
    }
    if (a->aik_only) {
        memcpy(forged.aik_hash, other.aik_hash, other.aik_hash_len);
        memcpy(forged.report_data + forged.binder_len, other.aik_hash,
               ATEA_REPORT_DATA_LEN - forged.binder_len);
    } else {
        forged = other;
    }
    return atea_attester_attest(a->inner, &forged, cmw);
}

static void swap_free(atea_attester *self)
{
    (void)self; /* on the test's stack */
}

static void key_substitution(int aik_only, atea_err want)
{
    la_env env;
    la_end client;
    la_end server;
    int cfd = -1;
    int sfd = -1;
    la_env_init(&env, 0);
    atea_test_identity *other = atea_test_identity_new(ATEA_TEST_KEY_P256);
    swap_attester swap = {.base = {.platform = "sim", .attest = swap_attest, .free = swap_free},
                          .inner = env.attester,
                          .other = other,
                          .end = &server,
                          .aik_only = aik_only};
    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&client, &env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    la_end_init(&server, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    server.copts.session.attester = &swap.base;
    server.send = "substituted";
    client.read = 1;
    run_pair(&client, &server);
    assert_int_equal(swap.calls, 1);
    expect_rp_refused(&client, want, ATEA_REASON_EVIDENCE);
    assert_int_equal(server.err_attest, ATEA_ERR_SESSION_REFUSED);
    assert_int_equal(server.refused.reason, ATEA_REASON_EVIDENCE);
    la_end_dispose(&client);
    la_end_dispose(&server);
    atea_test_identity_free(other);
    la_env_dispose(&env);
}

static void test_key_substitution_aik_hash(void **state)
{
    (void)state;
    key_substitution(1, ATEA_ERR_SIM_AIK_HASH_MISMATCH);
}

static void test_key_substitution_whole_binding(void **state)
{
    (void)state;
    key_substitution(0, ATEA_ERR_SIM_NONCE_MISMATCH);
}

static int setup(void **state)
{
    (void)state;
    lb_watchdog(120); /* the whole file; each end is also bounded on its own */
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_fresh_context),
        cmocka_unit_test(test_replay_same_context),
        cmocka_unit_test(test_replay_to_server_fresh_context),
        cmocka_unit_test(test_replay_to_server_same_context),
        cmocka_unit_test(test_relay_forwarding_mitm),
        cmocka_unit_test(test_relay_rewrapped_evidence),
        cmocka_unit_test(test_diversion_other_measurement),
        cmocka_unit_test(test_key_substitution_aik_hash),
        cmocka_unit_test(test_key_substitution_whole_binding),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
