/*
 * Hostile and broken peers against the attested session over loopback TCP and real TLS 1.3
 * (profile.md §3-§4): answers to requests never sent, context reuse, a request that does not
 * ask for evidence, DATA before attestation, malformed / oversize / unknown / out-of-state /
 * truncated frames, peers that stall or vanish mid-attestation, TLS 1.2, and session tickets.
 * Each case asserts the code on the genuine side, the reason it put on the wire, and that no
 * application byte reached the application. Nothing may hang: every wait is bounded.
 */
#include <string.h>

#include "atea/ea.h"
#include "atea/frame.h"
#include "atea/reason.h"
#include "loopback_atea.h"

#define SHORT_TIMEOUT_MS 300

/* A genuine end in a thread facing the main thread's raw end (attacker or broken peer). */
typedef struct duel {
    la_env env;
    la_end end;
    lb_thread thread;
    lb_raw raw;
    SSL_CTX *raw_ctx;
    atea_test_identity *raw_tls;
} duel;

/* Start the genuine end (server if genuine_server) with `role`, and complete the raw end's TLS
 * handshake. adjust may change the end's options before it starts. */
static void duel_start(duel *d, int genuine_server, unsigned role, void (*adjust)(la_end *))
{
    int gfd = -1;
    int rfd = -1;
    lb_ctx_opts o = {0};
    memset(d, 0, sizeof(*d));
    la_env_init(&d->env, 0);
    d->raw_tls = atea_test_identity_new(ATEA_TEST_KEY_P256);
    o.id = d->raw_tls;
    d->raw_ctx = lb_ctx_new(!genuine_server, &o);
    assert_non_null(d->raw_ctx);
    if (genuine_server) {
        EXPECT_OK(lb_tcp_pair(&rfd, &gfd));
    } else {
        EXPECT_OK(lb_tcp_pair(&gfd, &rfd));
    }
    la_end_init(&d->end, &d->env, genuine_server, role, gfd);
    d->end.read = 1;
    d->end.send = "genuine data";
    if (adjust != NULL) {
        adjust(&d->end);
    }
    lb_thread_start(&d->thread, la_end_run, &d->end);
    EXPECT_OK(lb_raw_handshake(&d->raw, d->raw_ctx, rfd, !genuine_server, LB_TIMEOUT_MS, NULL));
}

static void duel_finish(duel *d)
{
    lb_raw_close(&d->raw);
    lb_thread_join(&d->thread, LB_JOIN_TIMEOUT_MS, "the genuine end");
}

static void duel_dispose(duel *d)
{
    la_end_dispose(&d->end);
    SSL_CTX_free(d->raw_ctx);
    atea_test_identity_free(d->raw_tls);
    la_env_dispose(&d->env);
}

/* Exchange HELLOs: the genuine end's first, then ours. */
static void hellos(duel *d, uint8_t roles)
{
    atea_buf h = la_expect_frame(&d->raw, ATEA_FRAME_HELLO);
    atea_buf_free(&h);
    la_send_hello(&d->raw, roles);
}

/* The genuine end failed with `code` (from the first call that saw it: attest, or the read
 * after a successful attestation), told the raw end `reason` in an ERROR frame, and delivered
 * no application byte. */
static void expect_genuine_failed(duel *d, atea_err code, uint16_t reason, int after_attest)
{
    lb_frames_seen seen;
    EXPECT_OK(lb_raw_drain(&d->raw, LB_TIMEOUT_MS, &seen));
    duel_finish(d);
    atea_err got = after_attest ? d->end.err_read : d->end.err_attest;
    if (got != code) {
        fail_msg("genuine end: expected %s, got %s (%s)", atea_err_name(code), atea_err_name(got),
                 d->end.detail);
    }
    if (after_attest) {
        EXPECT_OK(d->end.err_attest);
    } else {
        assert_int_equal(d->end.err_write_after, code);
    }
    assert_int_equal(seen.counts[ATEA_FRAME_ERROR], 1);
    assert_int_equal(seen.error_reason, reason);
    assert_int_equal(d->end.closed.err, code);
    assert_int_equal(d->end.closed.reason, reason);
    assert_int_equal(d->end.closed.by_peer, 0);
    assert_int_equal(d->end.events[ATEA_SESSION_EV_DATA], 0);
    assert_int_equal(d->end.data_len, 0);
    if (!after_attest) {
        assert_int_equal(seen.counts[ATEA_FRAME_DATA], 0); /* the genuine end's data stayed */
    }
}

/* ------------------------------------------------------------------ answers never asked for */

/* A genuine AUTHENTICATOR frame (it carries a cmw_attestation with sim evidence), captured by
 * the relying-party client of a genuine attested connection. */
static atea_buf capture_authenticator(la_env *env)
{
    la_end client;
    la_end server;
    lb_thread tc = {0};
    lb_thread ts = {0};
    int cfd = -1;
    int sfd = -1;
    atea_buf auth = {0};
    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&client, env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    la_end_init(&server, env, 1, ATEA_SESSION_ATTESTER, sfd);
    lb_thread_start(&ts, la_end_run, &server);
    lb_thread_start(&tc, la_end_run, &client);
    lb_thread_join(&tc, LB_JOIN_TIMEOUT_MS, "the capturing client");
    lb_thread_join(&ts, LB_JOIN_TIMEOUT_MS, "the capturing server");
    EXPECT_OK(client.err_attest);
    const atea_buf *f = &client.first_in[ATEA_FRAME_AUTHENTICATOR];
    EXPECT_OK(atea_buf_set(&auth, f->data, f->len));
    la_end_dispose(&client);
    la_end_dispose(&server);
    return auth;
}

/*
 * An unrequested cmw_attestation: a genuine authenticator carrying evidence, pushed at a client
 * that only attests and so never sent a REQUEST. ATEA_ERR_SESSION_UNSOLICITED, before any of it
 * is parsed or appraised. (The other way a cmw_attestation can be unrequested, in answer to a
 * request that did not offer it, cannot happen on an atea connection: the atea relying party
 * always offers it, and atea_ea_authenticate refuses to build one; the EA layer's check,
 * ATEA_ERR_EA_UNREQUESTED_CMW, is tested with forged messages in ea_validate_test.c.)
 */
static void test_unsolicited_authenticator(void **state)
{
    (void)state;
    duel d;
    duel_start(&d, 0, ATEA_SESSION_ATTESTER, NULL);
    atea_buf auth = capture_authenticator(&d.env);
    hellos(&d, ATEA_ROLE_VERIFY);
    EXPECT_OK(lb_raw_send(&d.raw, auth.data, auth.len, LB_TIMEOUT_MS));
    expect_genuine_failed(&d, ATEA_ERR_SESSION_UNSOLICITED, ATEA_REASON_UNSOLICITED, 0);
    atea_buf_free(&auth);
    duel_dispose(&d);
}

static void encode_result(uint8_t verdict, const uint8_t *ctx, size_t ctx_len, uint8_t *out,
                          size_t cap, size_t *n)
{
    atea_result r;
    memset(&r, 0, sizeof(r));
    r.verdict = verdict;
    r.context_len = ctx_len;
    memcpy(r.context, ctx, ctx_len);
    EXPECT_OK(atea_result_encode(&r, out, cap, n));
}

/* A RESULT "attested" for a request the attesting server never answered. */
static void test_unsolicited_result(void **state)
{
    (void)state;
    duel d;
    uint8_t ctx[32];
    uint8_t body[ATEA_FRAME_MAX_RESULT];
    size_t n = 0;
    memset(ctx, 0x42, sizeof(ctx));
    duel_start(&d, 1, ATEA_SESSION_ATTESTER, NULL);
    hellos(&d, ATEA_ROLE_VERIFY);
    encode_result(ATEA_VERDICT_ATTESTED, ctx, sizeof(ctx), body, sizeof(body), &n);
    EXPECT_OK(lb_raw_send_frame(&d.raw, ATEA_FRAME_RESULT, body, n, LB_TIMEOUT_MS));
    expect_genuine_failed(&d, ATEA_ERR_SESSION_UNSOLICITED, ATEA_REASON_UNSOLICITED, 0);
    duel_dispose(&d);
}

/* ------------------------------------------------------------------ requests */

/* A raw relying-party client's authenticator request on its own TLS connection. */
static atea_buf raw_request(lb_raw *raw, int want_cmw)
{
    atea_ossl_tls st;
    atea_tls tls;
    atea_ea *ea = NULL;
    atea_buf req = {0};
    atea_ea_request_params params = {.want_cmw = want_cmw};
    EXPECT_OK(atea_ossl_tls_init(&st, raw->ssl, &tls));
    EXPECT_OK(atea_ea_new(&tls, NULL, &ea));
    EXPECT_OK(atea_ea_request(ea, &params, &req));
    atea_ea_free(ea);
    return req;
}

/*
 * Context reuse: the raw client asks, receives a genuine authenticator, accepts it, then sends
 * the very same REQUEST again (a replay inside the connection, to obtain evidence for a context
 * whose binder it already knows). The server refuses before producing evidence:
 * ATEA_ERR_SESSION_CONTEXT_REUSED, and no second AUTHENTICATOR is sent.
 */
static void test_context_reuse(void **state)
{
    (void)state;
    duel d;
    uint8_t body[ATEA_FRAME_MAX_RESULT];
    uint8_t ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t ctx_len = 0;
    size_t n = 0;
    lb_frames_seen seen;
    duel_start(&d, 1, ATEA_SESSION_ATTESTER, NULL);
    hellos(&d, ATEA_ROLE_VERIFY);
    atea_buf req = raw_request(&d.raw, 1);
    EXPECT_OK(lb_raw_send_frame(&d.raw, ATEA_FRAME_REQUEST, req.data, req.len, LB_TIMEOUT_MS));
    atea_buf auth = la_expect_frame(&d.raw, ATEA_FRAME_AUTHENTICATOR);
    EXPECT_OK(atea_ea_get_context(req.data, req.len, ctx, &ctx_len));
    encode_result(ATEA_VERDICT_ATTESTED, ctx, ctx_len, body, sizeof(body), &n);
    EXPECT_OK(lb_raw_send_frame(&d.raw, ATEA_FRAME_RESULT, body, n, LB_TIMEOUT_MS));
    /* accepted: the server's data arrives */
    atea_buf data = la_expect_frame(&d.raw, ATEA_FRAME_DATA);
    EXPECT_OK(lb_raw_send_frame(&d.raw, ATEA_FRAME_REQUEST, req.data, req.len, LB_TIMEOUT_MS));
    EXPECT_OK(lb_raw_drain(&d.raw, LB_TIMEOUT_MS, &seen));
    duel_finish(&d);
    EXPECT_OK(d.end.err_attest);
    assert_int_equal(d.end.err_read, ATEA_ERR_SESSION_CONTEXT_REUSED);
    assert_int_equal(seen.counts[ATEA_FRAME_AUTHENTICATOR], 0);
    assert_int_equal(seen.counts[ATEA_FRAME_ERROR], 1);
    assert_int_equal(seen.error_reason, ATEA_REASON_CONTEXT_REUSED);
    atea_buf_free(&req);
    atea_buf_free(&auth);
    atea_buf_free(&data);
    duel_dispose(&d);
}

/* A request without the empty cmw_attestation does not ask for evidence (expat §3.3): the
 * attester declines rather than answer without it. */
static void test_request_without_cmw(void **state)
{
    (void)state;
    duel d;
    duel_start(&d, 1, ATEA_SESSION_ATTESTER, NULL);
    hellos(&d, ATEA_ROLE_VERIFY);
    atea_buf req = raw_request(&d.raw, 0);
    EXPECT_OK(lb_raw_send_frame(&d.raw, ATEA_FRAME_REQUEST, req.data, req.len, LB_TIMEOUT_MS));
    expect_genuine_failed(&d, ATEA_ERR_SESSION_REQUEST_NO_CMW, ATEA_REASON_DECLINED, 0);
    atea_buf_free(&req);
    duel_dispose(&d);
}

/* ------------------------------------------------------------------ DATA before attestation */

static void test_data_before_attestation(void **state)
{
    (void)state;
    duel d;
    duel_start(&d, 0, ATEA_SESSION_RELYING_PARTY, NULL);
    hellos(&d, ATEA_ROLE_ATTEST);
    atea_buf req = la_expect_frame(&d.raw, ATEA_FRAME_REQUEST);
    EXPECT_OK(
        lb_raw_send_frame(&d.raw, ATEA_FRAME_DATA, (const uint8_t *)"early", 5, LB_TIMEOUT_MS));
    expect_genuine_failed(&d, ATEA_ERR_SESSION_DATA_EARLY, ATEA_REASON_DATA_BEFORE_ATTESTATION, 0);
    atea_buf_free(&req);
    duel_dispose(&d);
}

/* ------------------------------------------------------------------ bad frames */

/* Each from a raw attesting server to a genuine relying-party client, after its HELLO or not. */
static void test_bad_frames(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint8_t bytes[8];
        size_t len;
        int after_hello;
        atea_err code;
        uint16_t reason;
    } cases[] = {
        {"unknown type 9",
         {0x09, 0, 0, 1, 0},
         5,
         0,
         ATEA_ERR_FRAME_UNKNOWN_TYPE,
         ATEA_REASON_UNKNOWN_FRAME},
        {"type 0", {0x00, 0, 0, 0}, 4, 1, ATEA_ERR_FRAME_UNKNOWN_TYPE, ATEA_REASON_UNKNOWN_FRAME},
        /* refused from the header alone: no body is ever sent */
        {"DATA of ATEA_FRAME_MAX_DATA + 1 bytes",
         {ATEA_FRAME_DATA, (uint8_t)((ATEA_FRAME_MAX_DATA + 1) >> 16),
          (uint8_t)((ATEA_FRAME_MAX_DATA + 1) >> 8), (uint8_t)(ATEA_FRAME_MAX_DATA + 1)},
         4,
         1,
         ATEA_ERR_FRAME_TOO_LARGE,
         ATEA_REASON_FRAME_TOO_LARGE},
        {"AUTHENTICATOR of 262145 bytes",
         {ATEA_FRAME_AUTHENTICATOR, 0x04, 0x00, 0x01},
         4,
         1,
         ATEA_ERR_FRAME_TOO_LARGE,
         ATEA_REASON_FRAME_TOO_LARGE},
        {"HELLO of 1025 bytes",
         {ATEA_FRAME_HELLO, 0x00, 0x04, 0x01},
         4,
         0,
         ATEA_ERR_FRAME_TOO_LARGE,
         ATEA_REASON_FRAME_TOO_LARGE},
        {"REQUEST before HELLO",
         {ATEA_FRAME_REQUEST, 0, 0, 1, 0},
         5,
         0,
         ATEA_ERR_FRAME_UNEXPECTED,
         ATEA_REASON_UNEXPECTED_FRAME},
        {"second HELLO",
         {ATEA_FRAME_HELLO, 0, 0, 1, 0},
         5,
         1,
         ATEA_ERR_FRAME_UNEXPECTED,
         ATEA_REASON_UNEXPECTED_FRAME},
        {"truncated HELLO body",
         {ATEA_FRAME_HELLO, 0, 0, 2, 0, 1},
         6,
         0,
         ATEA_ERR_TRUNCATED,
         ATEA_REASON_PROTOCOL},
        {"empty RESULT",
         {ATEA_FRAME_RESULT, 0, 0, 0},
         4,
         1,
         ATEA_ERR_FRAME_MALFORMED,
         ATEA_REASON_PROTOCOL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        duel d;
        lb_frames_seen seen;
        duel_start(&d, 0, ATEA_SESSION_RELYING_PARTY, NULL);
        atea_buf hello = la_expect_frame(&d.raw, ATEA_FRAME_HELLO);
        if (cases[i].after_hello) {
            la_send_hello(&d.raw, ATEA_ROLE_ATTEST);
        }
        EXPECT_OK(lb_raw_send(&d.raw, cases[i].bytes, cases[i].len, LB_TIMEOUT_MS));
        EXPECT_OK(lb_raw_drain(&d.raw, LB_TIMEOUT_MS, &seen));
        duel_finish(&d);
        if (d.end.err_attest != cases[i].code || seen.error_reason != cases[i].reason) {
            fail_msg("%s: expected %s / reason 0x%04x, got %s / 0x%04x (%s)", cases[i].what,
                     atea_err_name(cases[i].code), cases[i].reason, atea_err_name(d.end.err_attest),
                     seen.error_reason, d.end.detail);
        }
        assert_int_equal(d.end.closed.err, cases[i].code);
        assert_int_equal(d.end.data_len, 0);
        assert_int_equal(seen.counts[ATEA_FRAME_DATA], 0);
        atea_buf_free(&hello);
        duel_dispose(&d);
    }
}

/* ------------------------------------------------------------------ stalls and closes */

static void short_timers(la_end *e)
{
    e->copts.session.hello_timeout_ms = SHORT_TIMEOUT_MS;
    e->copts.session.attest_timeout_ms = SHORT_TIMEOUT_MS;
}

/*
 * A peer that stalls: it never sends its HELLO; it takes the REQUEST and never answers; it sends
 * half a frame and stops. Each time the session's own timer ends it (ATEA_ERR_SESSION_TIMEOUT,
 * an ERROR with ATEA_REASON_TIMEOUT), long before the transport's 5 s I/O bound.
 */
static void test_stalled_peer(void **state)
{
    (void)state;
    for (int stage = 0; stage < 3; stage++) {
        duel d;
        duel_start(&d, 0, ATEA_SESSION_RELYING_PARTY, short_timers);
        uint64_t t0 = lb_now_ms();
        atea_buf hello = la_expect_frame(&d.raw, ATEA_FRAME_HELLO);
        atea_buf req = {0};
        if (stage >= 1) {
            la_send_hello(&d.raw, ATEA_ROLE_ATTEST);
            req = la_expect_frame(&d.raw, ATEA_FRAME_REQUEST);
        }
        if (stage == 2) {
            static const uint8_t half[] = {ATEA_FRAME_AUTHENTICATOR, 0, 1, 0, 0x0b, 0x00};
            EXPECT_OK(lb_raw_send(&d.raw, half, sizeof(half), LB_TIMEOUT_MS));
        }
        expect_genuine_failed(&d, ATEA_ERR_SESSION_TIMEOUT, ATEA_REASON_TIMEOUT, 0);
        uint64_t took = lb_now_ms() - t0;
        if (took >= LB_TIMEOUT_MS / 2) {
            fail_msg("stage %d: the stall was noticed after %llu ms", stage,
                     (unsigned long long)took);
        }
        atea_buf_free(&hello);
        atea_buf_free(&req);
        duel_dispose(&d);
    }
}

/*
 * A peer that closes mid-attestation (after taking the REQUEST): with close_notify, and by
 * dropping the socket without one; and in the middle of a frame.
 */
static void test_peer_closes_mid_attestation(void **state)
{
    (void)state;
    static const struct {
        int abrupt;
        int mid_frame;
        atea_err code;
    } cases[] = {
        {0, 0, ATEA_ERR_SESSION_PEER_CLOSED},
        {1, 0, ATEA_ERR_SESSION_PEER_CLOSED},
        {0, 1, ATEA_ERR_FRAME_TRUNCATED},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        duel d;
        duel_start(&d, 0, ATEA_SESSION_RELYING_PARTY, NULL);
        hellos(&d, ATEA_ROLE_ATTEST);
        atea_buf req = la_expect_frame(&d.raw, ATEA_FRAME_REQUEST);
        if (cases[i].mid_frame) {
            static const uint8_t half[] = {ATEA_FRAME_AUTHENTICATOR, 0, 1, 0, 0x0b, 0x00};
            EXPECT_OK(lb_raw_send(&d.raw, half, sizeof(half), LB_TIMEOUT_MS));
        }
        if (cases[i].abrupt) {
            lb_raw_abort(&d.raw);
        } else {
            lb_raw_close(&d.raw);
        }
        lb_thread_join(&d.thread, LB_JOIN_TIMEOUT_MS, "the genuine end");
        if (d.end.err_attest != cases[i].code) {
            fail_msg("case %zu: expected %s, got %s (%s)", i, atea_err_name(cases[i].code),
                     atea_err_name(d.end.err_attest), d.end.detail);
        }
        assert_int_equal(d.end.events[ATEA_SESSION_EV_ATTESTED], 0);
        assert_int_equal(d.end.data_len, 0);
        atea_buf_free(&req);
        duel_dispose(&d);
    }
}

/* ------------------------------------------------------------------ TLS 1.2 */

/* Run a genuine end against a raw TLS 1.2-only peer; returns the raw handshake's result. */
static atea_err tls12_peer(la_env *env, int genuine_server, SSL_CTX *genuine_ctx, la_end *end)
{
    lb_thread t = {0};
    lb_raw raw = {0};
    int gfd = -1;
    int rfd = -1;
    lb_ctx_opts o = {.id = env->tls_id, .tls12_only = 1};
    SSL_CTX *ctx = lb_ctx_new(!genuine_server, &o);
    assert_non_null(ctx);
    if (genuine_server) {
        EXPECT_OK(lb_tcp_pair(&rfd, &gfd));
    } else {
        EXPECT_OK(lb_tcp_pair(&gfd, &rfd));
    }
    la_end_init(end, env, genuine_server,
                genuine_server ? ATEA_SESSION_ATTESTER : ATEA_SESSION_RELYING_PARTY, gfd);
    if (genuine_ctx != NULL) {
        end->ctx = genuine_ctx;
    }
    end->send = "not for TLS 1.2";
    lb_thread_start(&t, la_end_run, end);
    atea_err hs = lb_raw_handshake(&raw, ctx, rfd, !genuine_server, LB_TIMEOUT_MS, NULL);
    if (hs == ATEA_OK) {
        lb_frames_seen seen;
        EXPECT_OK(lb_raw_drain(&raw, LB_TIMEOUT_MS, &seen));
        assert_int_equal(seen.counts[ATEA_FRAME_DATA], 0);
        assert_int_equal(seen.counts[ATEA_FRAME_HELLO], 0);
    }
    lb_raw_close(&raw);
    lb_thread_join(&t, LB_JOIN_TIMEOUT_MS, "the genuine end");
    SSL_CTX_free(ctx);
    return hs;
}

/*
 * A TLS 1.2 peer: the genuine server's and client's contexts (TLS 1.3 minimum) refuse the
 * handshake: ATEA_ERR_TLS_HANDSHAKE. A server whose context was (mis)configured to allow
 * TLS 1.2 completes the handshake, and the transport then refuses the connection before any
 * frame: ATEA_ERR_TLS_VERSION (RFC 9261 would allow TLS 1.2 with EMS; profile.md §1 does not).
 */
static void test_tls12_peer(void **state)
{
    (void)state;
    la_env env;
    la_end end;
    la_env_init(&env, 0);
    assert_int_not_equal(tls12_peer(&env, 1, NULL, &end), ATEA_OK);
    assert_int_equal(end.err_attest, ATEA_ERR_TLS_HANDSHAKE);
    la_end_dispose(&end);

    assert_int_not_equal(tls12_peer(&env, 0, NULL, &end), ATEA_OK);
    assert_int_equal(end.err_attest, ATEA_ERR_TLS_HANDSHAKE);
    la_end_dispose(&end);

    atea_ossl_ctx_opts oo;
    SSL_CTX *lax = SSL_CTX_new(TLS_server_method());
    assert_non_null(lax);
    atea_ossl_ctx_opts_default(&oo);
    oo.attested = 1;
    oo.allow_tls12 = 1;
    oo.keylog_from_env = 0;
    EXPECT_OK(atea_ossl_ctx_prepare(lax, &oo));
    EXPECT_OK(atea_conn_ctx_set_alpn(lax, 1));
    assert_int_equal(SSL_CTX_use_certificate(lax, env.tls_id->leaf), 1);
    assert_int_equal(SSL_CTX_use_PrivateKey(lax, env.tls_id->key), 1);
    EXPECT_OK(tls12_peer(&env, 1, lax, &end));
    assert_int_equal(end.err_attest, ATEA_ERR_TLS_VERSION);
    assert_int_equal(end.tls_version, TLS1_2_VERSION);
    la_end_dispose(&end);
    SSL_CTX_free(lax);
    la_env_dispose(&env);
}

/* ------------------------------------------------------------------ tickets, resumption, 0-RTT */

/* A plain (non-atea) TLS server in a thread: handshake, one DATA frame, wait for the close.
 * It records which pre-shared-key extensions each ClientHello carried. */
typedef struct plain_server {
    SSL_CTX *ctx;
    int fd;
    atea_err err;
    int saw_psk;        /* pre_shared_key (41) in the ClientHello */
    int saw_early_data; /* early_data (42) */
    int reused;         /* the handshake resumed a session */
} plain_server;

static int plain_hello_cb(SSL *ssl, int *alert, void *arg)
{
    plain_server *p = arg;
    int *ext = NULL;
    size_t n = 0;
    (void)alert;
    if (SSL_client_hello_get1_extensions_present(ssl, &ext, &n) == 1) {
        for (size_t i = 0; i < n; i++) {
            p->saw_psk |= ext[i] == 41;
            p->saw_early_data |= ext[i] == 42;
        }
        OPENSSL_free(ext);
    }
    return SSL_CLIENT_HELLO_SUCCESS;
}

static void *plain_server_run(void *arg)
{
    plain_server *p = arg;
    lb_raw raw = {0};
    lb_frames_seen seen;
    p->err = lb_raw_handshake(&raw, p->ctx, p->fd, 1, LB_TIMEOUT_MS, NULL);
    if (p->err == ATEA_OK) {
        p->reused = SSL_session_reused(raw.ssl);
        p->err = lb_raw_send_frame(&raw, ATEA_FRAME_DATA, (const uint8_t *)"x", 1, LB_TIMEOUT_MS);
    }
    if (p->err == ATEA_OK) {
        p->err = lb_raw_drain(&raw, LB_TIMEOUT_MS, &seen);
    }
    lb_raw_close(&raw);
    return NULL;
}

/* A raw TLS client's view of one connection: tickets received before the first frame, and
 * whether the session it kept could be resumed or carry 0-RTT. */
typedef struct ticket_view {
    unsigned tickets;
    int resumable;
    uint32_t max_early_data;
} ticket_view;

static ticket_view raw_client_view(SSL_CTX *ctx, int fd)
{
    lb_raw raw = {0};
    ticket_view v = {0};
    atea_buf f = {0};
    EXPECT_OK(lb_raw_handshake(&raw, ctx, fd, 0, LB_TIMEOUT_MS, NULL));
    /* NewSessionTickets come right after the handshake, before any application record */
    EXPECT_OK(lb_raw_recv_frame(&raw, LB_TIMEOUT_MS, &f));
    v.tickets = raw.tickets;
    SSL_SESSION *sess = SSL_get1_session(raw.ssl);
    v.resumable = sess != NULL && SSL_SESSION_is_resumable(sess);
    v.max_early_data = sess != NULL ? SSL_SESSION_get_max_early_data(sess) : 0;
    SSL_SESSION_free(sess);
    atea_buf_free(&f);
    lb_raw_close(&raw);
    return v;
}

/*
 * The attested server sends no NewSessionTicket (expat -03 §"Freshness"): a client keeps no
 * resumable session and could not offer 0-RTT with it. Control: the same raw client counts the
 * tickets of a plain server that issues two with early data.
 */
static void test_server_sends_no_ticket(void **state)
{
    (void)state;
    la_env env;
    la_end server;
    lb_thread t = {0};
    int cfd = -1;
    int sfd = -1;
    la_env_init(&env, 0);
    lb_ctx_opts co = {0};
    SSL_CTX *client_ctx = lb_ctx_new(0, &co);
    assert_non_null(client_ctx);

    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&server, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    lb_thread_start(&t, la_end_run, &server);
    ticket_view v = raw_client_view(client_ctx, cfd);
    lb_thread_join(&t, LB_JOIN_TIMEOUT_MS, "the attested server");
    assert_int_equal(v.tickets, 0);
    assert_false(v.resumable);
    assert_int_equal(v.max_early_data, 0);
    la_end_dispose(&server);

    lb_ctx_opts so = {.id = env.tls_id, .tickets = 2, .max_early_data = 16384};
    plain_server plain = {.ctx = lb_ctx_new(1, &so)};
    assert_non_null(plain.ctx);
    EXPECT_OK(lb_tcp_pair(&cfd, &plain.fd));
    lb_thread_start(&t, plain_server_run, &plain);
    v = raw_client_view(client_ctx, cfd);
    lb_thread_join(&t, LB_JOIN_TIMEOUT_MS, "the plain server");
    EXPECT_OK(plain.err);
    assert_int_equal(v.tickets, 2);
    assert_true(v.resumable);
    assert_int_equal(v.max_early_data, 16384);
    SSL_CTX_free(plain.ctx);
    SSL_CTX_free(client_ctx);
    la_env_dispose(&env);
}

/*
 * An atea client facing a server that does issue tickets (with early data allowed) discards
 * them: its next connection to the same server offers neither pre_shared_key nor early_data,
 * and is a full handshake. The ClientHello recorder proves the server can see them: a plain
 * OpenSSL client with a session does offer pre_shared_key (control).
 */
static void test_client_does_not_resume(void **state)
{
    (void)state;
    la_env env;
    lb_ctx_opts so = {0};
    la_env_init(&env, 0);
    so.id = env.tls_id;
    so.tickets = 2;
    so.max_early_data = 16384;
    for (int round = 0; round < 2; round++) {
        plain_server plain = {.ctx = lb_ctx_new(1, &so)};
        la_end client;
        lb_thread ts = {0};
        lb_thread tc = {0};
        int cfd = -1;
        assert_non_null(plain.ctx);
        SSL_CTX_set_client_hello_cb(plain.ctx, plain_hello_cb, &plain);
        EXPECT_OK(lb_tcp_pair(&cfd, &plain.fd));
        la_end_init(&client, &env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
        lb_thread_start(&ts, plain_server_run, &plain);
        lb_thread_start(&tc, la_end_run, &client);
        lb_thread_join(&tc, LB_JOIN_TIMEOUT_MS, "the atea client");
        lb_thread_join(&ts, LB_JOIN_TIMEOUT_MS, "the plain server");
        EXPECT_OK(plain.err);
        /* the plain server speaks no atea: DATA before any HELLO */
        assert_int_equal(client.err_attest, ATEA_ERR_FRAME_UNEXPECTED);
        assert_false(plain.saw_psk);
        assert_false(plain.saw_early_data);
        assert_false(plain.reused);
        assert_false(client.session_reused);
        la_end_dispose(&client);
        SSL_CTX_free(plain.ctx);
    }

    /* control: a plain client that keeps its session offers it to the same kind of server */
    lb_ctx_opts co = {0};
    SSL_CTX *cctx = lb_ctx_new(0, &co);
    plain_server plain = {.ctx = lb_ctx_new(1, &so)};
    SSL_SESSION *sess = NULL;
    lb_thread ts = {0};
    lb_raw raw = {0};
    atea_buf f = {0};
    int cfd = -1;
    SSL_CTX_set_client_hello_cb(plain.ctx, plain_hello_cb, &plain);
    for (int round = 0; round < 2; round++) {
        EXPECT_OK(lb_tcp_pair(&cfd, &plain.fd));
        lb_thread_start(&ts, plain_server_run, &plain);
        EXPECT_OK(lb_raw_handshake(&raw, cctx, cfd, 0, LB_TIMEOUT_MS, sess));
        EXPECT_OK(lb_raw_recv_frame(&raw, LB_TIMEOUT_MS, &f));
        SSL_SESSION_free(sess);
        sess = SSL_get1_session(raw.ssl);
        lb_raw_close(&raw);
        atea_buf_free(&f);
        lb_thread_join(&ts, LB_JOIN_TIMEOUT_MS, "the plain server");
    }
    assert_true(plain.saw_psk);
    assert_true(plain.reused);
    SSL_SESSION_free(sess);
    SSL_CTX_free(plain.ctx);
    SSL_CTX_free(cctx);
    la_env_dispose(&env);
}

static int setup(void **state)
{
    (void)state;
    lb_watchdog(180);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsolicited_authenticator),
        cmocka_unit_test(test_unsolicited_result),
        cmocka_unit_test(test_context_reuse),
        cmocka_unit_test(test_request_without_cmw),
        cmocka_unit_test(test_data_before_attestation),
        cmocka_unit_test(test_bad_frames),
        cmocka_unit_test(test_stalled_peer),
        cmocka_unit_test(test_peer_closes_mid_attestation),
        cmocka_unit_test(test_tls12_peer),
        cmocka_unit_test(test_server_sends_no_ticket),
        cmocka_unit_test(test_client_does_not_resume),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
