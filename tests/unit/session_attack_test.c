/* Attacks on the attested session, each asserting the exact local code and the reason the
 * peer is told: replay across connections, relay of a genuine attester's evidence, key
 * substitution, context reuse, answers to requests never sent, a request without
 * cmw_attestation, DATA before attestation, malformed and out-of-state frames, a stalled peer,
 * a peer that closes mid-attestation, and appraisals that are not good enough. */
#include <string.h>

#include "session/session_internal.h"
#include "session_pair.h"

/* The relying party refused: its own code, and the RESULT reason the attester received. */
static void expect_refused(sp_pair *p, sp_side *rp, sp_side *attester, atea_err code,
                           uint16_t reason)
{
    (void)p;
    assert_int_equal(rp->err, code);
    assert_int_equal(atea_session_last_error(rp->s), code);
    assert_int_equal(rp->events[ATEA_SESSION_EV_REFUSED], 1);
    assert_int_equal(rp->last[ATEA_SESSION_EV_REFUSED].reason, reason);
    assert_int_equal(rp->events[ATEA_SESSION_EV_ATTESTED], 0);
    assert_int_equal(attester->err, ATEA_ERR_SESSION_REFUSED);
    assert_int_equal(attester->last[ATEA_SESSION_EV_REFUSED].reason, reason);
    assert_int_equal(attester->last[ATEA_SESSION_EV_REFUSED].by_peer, 1);
    assert_int_equal(attester->events[ATEA_SESSION_EV_CLOSED], 1);
    /* nothing may be written on either side */
    assert_false(atea_session_can_write(rp->s));
    EXPECT_ERR(atea_session_write(rp->s, (const uint8_t *)"x", 1), code);
}

/* Deliver the relying party's HELLO and REQUEST (one flight, pipelined) and the attester's
 * HELLO, and keep the AUTHENTICATOR the attester answered with (same flight as its HELLO) for the
 * test. */
static atea_buf run_until_authenticator(sp_pair *p, sp_side *rp, sp_side *attester)
{
    sp_move(p, rp, attester); /* HELLO REQUEST: the attester answers at once */
    atea_buf out = sp_take_output(attester);
    atea_buf hello = sp_find_frame(&out, ATEA_FRAME_HELLO);
    atea_buf frame = sp_find_frame(&out, ATEA_FRAME_AUTHENTICATOR);
    assert_int_equal(out.len, hello.len + frame.len); /* HELLO AUTHENTICATOR, nothing else */
    EXPECT_OK(sp_inject(p, rp, hello.data, hello.len));
    assert_int_equal(atea_session_pending_output(rp->s), 0); /* the REQUEST already left */
    atea_buf_free(&hello);
    atea_buf_free(&out);
    return frame;
}

/* Replay: an authenticator captured on connection A, fed to connection B's relying party. */
static void test_replay_across_connections(void **state)
{
    (void)state;
    sp_pair *a = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    sp_pair *b = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_buf captured = run_until_authenticator(a, &a->client, &a->server);
    atea_buf genuine = run_until_authenticator(b, &b->client, &b->server);
    EXPECT_ERR(sp_inject(b, &b->client, captured.data, captured.len), ATEA_ERR_EA_CONTEXT_MISMATCH);
    sp_pump(b);
    expect_refused(b, &b->client, &b->server, ATEA_ERR_EA_CONTEXT_MISMATCH,
                   ATEA_REASON_CONTEXT_MISMATCH);
    assert_int_equal(b->client.appraiser.calls, 0);
    atea_buf_free(&captured);
    atea_buf_free(&genuine);
    sp_pair_free(a);
    sp_pair_free(b);
}

/* Replay within the connection: the authenticator of the first attestation, answered again to
 * a re-attestation request. */
static void test_replay_within_connection(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_buf first = run_until_authenticator(p, &p->client, &p->server);
    EXPECT_OK(sp_inject(p, &p->client, first.data, first.len));
    sp_pump(p);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 1);
    EXPECT_OK(atea_session_reattest(p->client.s, p->now));
    atea_buf request = sp_take_output(&p->client); /* never reaches the attester */
    EXPECT_ERR(sp_inject(p, &p->client, first.data, first.len), ATEA_ERR_EA_CONTEXT_MISMATCH);
    assert_int_equal(p->client.last[ATEA_SESSION_EV_REFUSED].reason, ATEA_REASON_CONTEXT_MISMATCH);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_REATTESTED], 0);
    atea_buf_free(&first);
    atea_buf_free(&request);
    sp_pair_free(p);
}

/* Same context on both connections (the attacker controls nothing else): contexts equal, so
 * only the connection differs. */
static atea_err fixed_rng(void *user, uint8_t *out, size_t len)
{
    (void)user;
    memset(out, 0x5c, len);
    return ATEA_OK;
}

/*
 * Relay: the attacker runs connection 1 with the victim relying party and, at the same time,
 * connection 2 to a genuine attester, where it asks with the same context. It answers the
 * victim with its own (valid) authenticator that carries the genuine attester's evidence.
 * The EA layer accepts the authenticator (the attacker holds its key); the binder does not
 * match connection 1.
 */
static void test_relay_of_genuine_evidence(void **state)
{
    (void)state;
    sp_pair *victim = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    sp_pair *genuine = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    victim->client.opts.rng = fixed_rng;
    genuine->client.opts.rng = fixed_rng;
    sp_pair_start(genuine);
    sp_pump(genuine);
    assert_int_equal(genuine->client.events[ATEA_SESSION_EV_ATTESTED], 1);
    /* the attacker's attester on connection 1 forwards the genuine CMW */
    EXPECT_OK(atea_buf_set(&victim->server.attester.substitute, genuine->server.attester.last.data,
                           genuine->server.attester.last.len));
    sp_pair_start(victim);
    sp_pump(victim);
    expect_refused(victim, &victim->client, &victim->server, ATEA_ERR_BINDER_MISMATCH,
                   ATEA_REASON_BINDER_MISMATCH);
    /* the contexts were the same: the binders differ only because the connections do */
    assert_memory_not_equal(victim->client.appraiser.last_expected.binder,
                            genuine->client.appraiser.last_expected.binder, 32);
    sp_pair_free(victim);
    sp_pair_free(genuine);
}

/* Key substitution: the binder is right, but aik_hash names another key than the leaf that
 * signed the authenticator. Caught by the verifier, and by the session's own check when the
 * verifier does not look. */
static void test_key_substitution(void **state)
{
    (void)state;
    for (int lazy = 0; lazy <= 1; lazy++) {
        sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
        sp_pair_start(p);
        p->server.attester.tamper_aik = 1;
        p->client.appraiser.mode = lazy ? SP_LAZY : SP_CHECK;
        sp_pump(p);
        expect_refused(p, &p->client, &p->server, ATEA_ERR_AIK_HASH_MISMATCH,
                       ATEA_REASON_KEY_MISMATCH);
        sp_pair_free(p);
    }
}

/* A REQUEST replayed after it was answered: its context was used, and it is refused before
 * the attester produces evidence for it. */
static void test_context_reuse(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_buf out = sp_take_output(&p->client); /* HELLO REQUEST */
    atea_buf request = sp_find_frame(&out, ATEA_FRAME_REQUEST);
    EXPECT_OK(sp_inject(p, &p->server, out.data, out.len));
    sp_pump(p);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 1);
    EXPECT_ERR(sp_inject(p, &p->server, request.data, request.len),
               ATEA_ERR_SESSION_CONTEXT_REUSED);
    assert_int_equal(sp_error_reason(&p->server), ATEA_REASON_CONTEXT_REUSED);
    assert_int_equal(p->server.attester.calls, 1);
    atea_buf_free(&out);
    atea_buf_free(&request);
    sp_pair_free(p);
}

/* Across directions (mutual): the peer asks us to attest with the context of OUR request. */
static void test_context_reuse_across_directions(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_MUTUAL, ATEA_SESSION_MUTUAL);
    p->client.opts.rng = fixed_rng;
    sp_pair_start(p);
    /* the client's HELLO and REQUEST (context 5c 5c .., sent at session start) reach the
     * server; only the server's HELLO reaches the client (its own REQUEST is held back) */
    sp_move(p, &p->client, &p->server);
    atea_buf server_out = sp_take_output(&p->server);
    atea_buf hello = sp_find_frame(&server_out, ATEA_FRAME_HELLO);
    EXPECT_OK(sp_inject(p, &p->client, hello.data, hello.len));
    atea_buf drop = sp_take_output(&p->client);
    atea_buf_free(&server_out);
    atea_buf_free(&hello);
    atea_ea_opts eo;
    atea_ea_opts_default(&eo);
    eo.rng = fixed_rng;
    atea_ea *ea = NULL;
    atea_buf req = {0};
    atea_ea_request_params params = {.want_cmw = 1};
    uint8_t frame[ATEA_FRAME_MAX_REQUEST + 4];
    size_t n = 0;
    EXPECT_OK(atea_ea_new(&p->tls->server_tls, &eo, &ea));
    EXPECT_OK(atea_ea_request(ea, &params, &req));
    EXPECT_OK(atea_frame_encode(ATEA_FRAME_REQUEST, req.data, req.len, frame, sizeof(frame), &n));
    EXPECT_ERR(sp_inject(p, &p->client, frame, n), ATEA_ERR_SESSION_CONTEXT_REUSED);
    assert_int_equal(p->client.attester.calls, 0);
    atea_ea_free(ea);
    atea_buf_free(&req);
    atea_buf_free(&drop);
    sp_pair_free(p);
}

/* Answers to requests never sent: an AUTHENTICATOR when no REQUEST is outstanding, a RESULT
 * when no AUTHENTICATOR awaits one. */
static void test_unsolicited_answers(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_buf auth = run_until_authenticator(p, &p->client, &p->server);
    EXPECT_OK(sp_inject(p, &p->client, auth.data, auth.len));
    sp_pump(p);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 1);
    EXPECT_ERR(sp_inject(p, &p->client, auth.data, auth.len), ATEA_ERR_SESSION_UNSOLICITED);
    assert_int_equal(sp_error_reason(&p->client), ATEA_REASON_UNSOLICITED);
    atea_buf_free(&auth);
    sp_pair_free(p);

    /* a RESULT to an attester whose authenticator was already answered */
    p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    sp_move(p, &p->client, &p->server); /* HELLO REQUEST */
    sp_move(p, &p->server, &p->client); /* HELLO AUTHENTICATOR */
    atea_buf out = sp_take_output(&p->client);
    atea_buf result = sp_find_frame(&out, ATEA_FRAME_RESULT);
    EXPECT_OK(sp_inject(p, &p->server, out.data, out.len));
    EXPECT_ERR(sp_inject(p, &p->server, result.data, result.len), ATEA_ERR_SESSION_UNSOLICITED);
    atea_buf_free(&out);
    atea_buf_free(&result);
    sp_pair_free(p);
}

/* A request that does not carry the empty cmw_attestation does not ask for evidence
 * (expat §"Negotiation"): the attester refuses it rather than answer without evidence. */
static void test_request_without_cmw(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    /* only the client's HELLO reaches the server: the session's own REQUEST is dropped */
    atea_buf drop = sp_take_output(&p->client);
    atea_buf hello = sp_find_frame(&drop, ATEA_FRAME_HELLO);
    EXPECT_OK(sp_inject(p, &p->server, hello.data, hello.len));
    atea_buf_free(&hello);
    atea_ea *ea = NULL;
    atea_buf req = {0};
    atea_ea_request_params params = {0};
    uint8_t frame[ATEA_FRAME_MAX_REQUEST + 4];
    size_t n = 0;
    EXPECT_OK(atea_ea_new(&p->tls->client_tls, NULL, &ea));
    EXPECT_OK(atea_ea_request(ea, &params, &req));
    EXPECT_OK(atea_frame_encode(ATEA_FRAME_REQUEST, req.data, req.len, frame, sizeof(frame), &n));
    EXPECT_ERR(sp_inject(p, &p->server, frame, n), ATEA_ERR_SESSION_REQUEST_NO_CMW);
    assert_int_equal(sp_error_reason(&p->server), ATEA_REASON_DECLINED);
    assert_int_equal(p->server.attester.calls, 0);
    atea_ea_free(ea);
    atea_buf_free(&req);
    atea_buf_free(&drop);
    sp_pair_free(p);
}

/* DATA before attestation under `require`. */
static void test_data_before_attestation(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    const uint8_t data[] = {ATEA_FRAME_DATA, 0, 0, 2, 'h', 'i'};
    sp_move(p, &p->server, &p->client); /* the attester's HELLO */
    EXPECT_ERR(sp_inject(p, &p->client, data, sizeof(data)), ATEA_ERR_SESSION_DATA_EARLY);
    assert_int_equal(sp_error_reason(&p->client), ATEA_REASON_DATA_BEFORE_ATTESTATION);
    assert_int_equal(p->client.data.len, 0);
    /* sticky: every later call returns the first error */
    size_t consumed = 0;
    EXPECT_ERR(atea_session_feed(p->client.s, data, sizeof(data), &consumed, p->now),
               ATEA_ERR_SESSION_DATA_EARLY);
    EXPECT_ERR(atea_session_on_timeout(p->client.s, p->now), ATEA_ERR_SESSION_DATA_EARLY);
    EXPECT_ERR(atea_session_reattest(p->client.s, p->now), ATEA_ERR_SESSION_DATA_EARLY);
    sp_pair_free(p);
}

/* Malformed frames and frames in the wrong state: each closes with an ERROR and a reason. */
static void test_bad_frames(void **state)
{
    (void)state;
    static const struct {
        uint8_t bytes[8];
        size_t len;
        int after_hello;
        atea_err code;
        uint16_t reason;
    } cases[] = {
        {{0x09, 0, 0, 1, 0}, 5, 0, ATEA_ERR_FRAME_UNKNOWN_TYPE, ATEA_REASON_UNKNOWN_FRAME},
        {{0x00, 0, 0, 0}, 4, 1, ATEA_ERR_FRAME_UNKNOWN_TYPE, ATEA_REASON_UNKNOWN_FRAME},
        /* DATA of 16381 bytes (the cap + 1): refused from the header alone */
        {{ATEA_FRAME_DATA, 0x00, 0x3f, 0xfd},
         4,
         1,
         ATEA_ERR_FRAME_TOO_LARGE,
         ATEA_REASON_FRAME_TOO_LARGE},
        {{ATEA_FRAME_HELLO, 0x00, 0x04, 0x01},
         4,
         0,
         ATEA_ERR_FRAME_TOO_LARGE,
         ATEA_REASON_FRAME_TOO_LARGE},
        /* a REQUEST before the peer's HELLO, a second HELLO */
        {{ATEA_FRAME_REQUEST, 0, 0, 1, 0},
         5,
         0,
         ATEA_ERR_FRAME_UNEXPECTED,
         ATEA_REASON_UNEXPECTED_FRAME},
        {{ATEA_FRAME_HELLO, 0, 0, 1, 0},
         5,
         1,
         ATEA_ERR_FRAME_UNEXPECTED,
         ATEA_REASON_UNEXPECTED_FRAME},
        /* a REQUEST to a side that does not attest */
        {{ATEA_FRAME_REQUEST, 0, 0, 1, 0},
         5,
         1,
         ATEA_ERR_SESSION_UNSOLICITED,
         ATEA_REASON_UNSOLICITED},
        /* every other cell of the WAIT_HELLO row (table.c) */
        {{ATEA_FRAME_AUTHENTICATOR, 0, 0, 1, 0},
         5,
         0,
         ATEA_ERR_FRAME_UNEXPECTED,
         ATEA_REASON_UNEXPECTED_FRAME},
        {{ATEA_FRAME_RESULT, 0, 0, 1, 0},
         5,
         0,
         ATEA_ERR_FRAME_UNEXPECTED,
         ATEA_REASON_UNEXPECTED_FRAME},
        {{ATEA_FRAME_DATA, 0, 0, 1, 0},
         5,
         0,
         ATEA_ERR_FRAME_UNEXPECTED,
         ATEA_REASON_UNEXPECTED_FRAME},
        /* a truncated HELLO body, an empty RESULT */
        {{ATEA_FRAME_HELLO, 0, 0, 2, 0, 1}, 6, 0, ATEA_ERR_TRUNCATED, ATEA_REASON_PROTOCOL},
        {{ATEA_FRAME_RESULT, 0, 0, 0}, 4, 1, ATEA_ERR_FRAME_MALFORMED, ATEA_REASON_PROTOCOL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
        atea_buf drop = sp_take_output(&p->client);
        if (cases[i].after_hello) {
            sp_move(p, &p->server, &p->client);
            atea_buf_free(&drop);
            drop = sp_take_output(&p->client);
        }
        atea_err got = sp_inject(p, &p->client, cases[i].bytes, cases[i].len);
        if (got != cases[i].code) {
            fail_msg("case %zu: expected %s, got %s", i, atea_err_name(cases[i].code),
                     atea_err_name(got));
        }
        assert_int_equal(sp_error_reason(&p->client), cases[i].reason);
        assert_int_equal(p->client.events[ATEA_SESSION_EV_CLOSED], 1);
        atea_buf_free(&drop);
        sp_pair_free(p);
    }
}

/* The connection ends in the middle of a frame, or in the middle of an exchange. */
static void test_peer_closes_mid_attestation(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_buf auth = run_until_authenticator(p, &p->client, &p->server);
    EXPECT_OK(sp_inject(p, &p->client, auth.data, 100));
    EXPECT_ERR(atea_session_peer_closed(p->client.s, p->now), ATEA_ERR_FRAME_TRUNCATED);
    atea_buf_free(&auth);
    sp_pair_free(p);

    p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    auth = run_until_authenticator(p, &p->client, &p->server);
    EXPECT_ERR(atea_session_peer_closed(p->client.s, p->now), ATEA_ERR_SESSION_PEER_CLOSED);
    sp_collect(&p->client);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_CLOSED], 1);
    assert_int_equal(p->client.last[ATEA_SESSION_EV_CLOSED].err, ATEA_ERR_SESSION_PEER_CLOSED);
    /* the attester, waiting for its RESULT, sees the same */
    EXPECT_ERR(atea_session_peer_closed(p->server.s, p->now), ATEA_ERR_SESSION_PEER_CLOSED);
    atea_buf_free(&auth);
    sp_pair_free(p);

    /* an orderly ERROR(NONE) while our request is outstanding is a close mid-attestation */
    p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    auth = run_until_authenticator(p, &p->client, &p->server);
    const uint8_t bye[] = {ATEA_FRAME_ERROR, 0, 0, 3, 0, 0, 0};
    EXPECT_ERR(sp_inject(p, &p->client, bye, sizeof(bye)), ATEA_ERR_SESSION_PEER_CLOSED);
    atea_buf_free(&auth);
    sp_pair_free(p);
}

/* A peer that stalls: the timers fire through atea_session_on_timeout. */
static void test_stalled_peer(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    /* no HELLO ever arrives */
    assert_int_equal(atea_session_expiry(p->client.s),
                     p->now + ATEA_DEFAULT_SESSION_HELLO_TIMEOUT_MS);
    EXPECT_OK(
        atea_session_on_timeout(p->client.s, p->now + ATEA_DEFAULT_SESSION_HELLO_TIMEOUT_MS - 1));
    EXPECT_ERR(atea_session_on_timeout(p->client.s, p->now + ATEA_DEFAULT_SESSION_HELLO_TIMEOUT_MS),
               ATEA_ERR_SESSION_TIMEOUT);
    assert_int_equal(sp_error_reason(&p->client), ATEA_REASON_TIMEOUT);
    sp_pair_free(p);

    /* the attester never answers the REQUEST */
    p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_buf auth = run_until_authenticator(p, &p->client, &p->server);
    uint64_t due = atea_session_expiry(p->client.s);
    assert_int_equal(due, p->now + ATEA_DEFAULT_SESSION_ATTEST_TIMEOUT_MS);
    EXPECT_OK(atea_session_on_timeout(p->client.s, due - 1));
    EXPECT_ERR(atea_session_on_timeout(p->client.s, due), ATEA_ERR_SESSION_TIMEOUT);
    assert_int_equal(sp_error_reason(&p->client), ATEA_REASON_TIMEOUT);
    /* and the attester, whose RESULT never comes */
    EXPECT_ERR(atea_session_on_timeout(p->server.s, atea_session_expiry(p->server.s)),
               ATEA_ERR_SESSION_TIMEOUT);
    assert_int_equal(atea_session_expiry(p->server.s), UINT64_MAX);
    atea_buf_free(&auth);
    sp_pair_free(p);
}

/* Appraisals that are not good enough. */
static void test_appraisal_refusals(void **state)
{
    (void)state;
    static const struct {
        sp_appraise_mode mode;
        int accept_warning;
        atea_err code;
        uint16_t reason;
    } cases[] = {
        {SP_WARNING, 0, ATEA_ERR_SESSION_NOT_AFFIRMING, ATEA_REASON_POLICY},
        {SP_NO_CLAIM, 0, ATEA_ERR_SESSION_BINDING_UNCHECKED, ATEA_REASON_BINDING_UNCHECKED},
        /* a report_data claim that is not 64 bytes is the evidence's fault, not an internal
         * error (it was ATEA_ERR_INVALID_ARG, reason INTERNAL) */
        {SP_SHORT_CLAIM, 0, ATEA_ERR_REPORT_DATA_MISMATCH, ATEA_REASON_REPORT_DATA_MISMATCH},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
        p->client.opts.accept_warning = cases[i].accept_warning;
        p->client.appraiser.mode = cases[i].mode;
        sp_pair_start(p);
        sp_pump(p);
        expect_refused(p, &p->client, &p->server, cases[i].code, cases[i].reason);
        sp_pair_free(p);
    }
    /* a WARNING is accepted when the options say so */
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->client.opts.accept_warning = 1;
    p->client.appraiser.mode = SP_WARNING;
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 1);
    sp_pair_free(p);
    /* the attester cannot produce evidence: it aborts with its own code */
    p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->server.attester.fail = ATEA_ERR_INTERNAL;
    sp_pump(p);
    assert_int_equal(p->server.err, ATEA_ERR_INTERNAL);
    assert_int_equal(p->client.err, ATEA_ERR_SESSION_PEER_ERROR);
    assert_int_equal(p->client.last[ATEA_SESSION_EV_CLOSED].reason, ATEA_REASON_INTERNAL);
    sp_pair_free(p);
}

/* An authenticator without evidence, and an empty authenticator (a refusal, RFC 9261 §6),
 * both built by a peer that answers our REQUEST with its own EA state. */
static void test_no_evidence(void **state)
{
    (void)state;
    for (int empty = 0; empty <= 1; empty++) {
        sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
        const atea_test_identity *id = atea_test_identities_get(&p->ids, ATEA_TEST_KEY_P256);
        /* the client's REQUEST left with its HELLO; the server's HELLO reaches the client, and
         * a forged answer stands in for the server's */
        atea_buf out = sp_take_output(&p->client);
        atea_buf request = sp_find_frame(&out, ATEA_FRAME_REQUEST);
        sp_move(p, &p->server, &p->client);
        atea_ea *ea = NULL;
        atea_buf auth = {0};
        atea_ea_cert_in leaf = {.der = {id->leaf_der.data, id->leaf_der.len}};
        atea_ea_credential cred = {.chain = &leaf, .n_chain = 1, .key = id->key};
        static uint8_t frame[ATEA_FRAME_MAX_AUTHENTICATOR + 4];
        size_t n = 0;
        EXPECT_OK(atea_ea_new(&p->tls->server_tls, NULL, &ea));
        if (empty) {
            EXPECT_OK(atea_ea_refuse(ea, request.data + 4, request.len - 4, &auth));
        } else {
            EXPECT_OK(atea_ea_authenticate(ea, request.data + 4, request.len - 4, &cred, &auth));
        }
        EXPECT_OK(atea_frame_encode(ATEA_FRAME_AUTHENTICATOR, auth.data, auth.len, frame,
                                    sizeof(frame), &n));
        atea_err want = empty ? ATEA_ERR_EA_REFUSED : ATEA_ERR_SESSION_NO_EVIDENCE;
        EXPECT_ERR(sp_inject(p, &p->client, frame, n), want);
        assert_int_equal(p->client.last[ATEA_SESSION_EV_REFUSED].reason,
                         empty ? ATEA_REASON_DECLINED : ATEA_REASON_NO_EVIDENCE);
        assert_int_equal(p->client.appraiser.calls, 0);
        atea_ea_free(ea);
        atea_buf_free(&auth);
        atea_buf_free(&out);
        atea_buf_free(&request);
        sp_pair_free(p);
    }
}

/* Re-attestation is for the side that verifies, once its peer has attested. */
static void test_reattest_usage(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    EXPECT_ERR(atea_session_reattest(p->client.s, p->now), ATEA_ERR_SESSION_BUSY);
    EXPECT_ERR(atea_session_reattest(p->server.s, p->now), ATEA_ERR_SESSION_NOT_VERIFIER);
    sp_pump(p);
    EXPECT_OK(atea_session_reattest(p->client.s, p->now));
    /* usage errors are not sticky */
    assert_int_equal(atea_session_last_error(p->server.s), ATEA_OK);
    sp_pump(p);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_REATTESTED], 1);
    sp_pair_free(p);
}

/* A REQUEST that no longer fits the output queue (the application never drained it) fails the
 * session; it cannot be dropped silently. */
static void test_output_queue_full(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_small_output();
    static uint8_t big[ATEA_FRAME_MAX_DATA];
    /* fill the queue to the last byte, with ever smaller writes */
    for (size_t n = sizeof(big); n > 0; n /= 2) {
        while (atea_session_write(p->client.s, big, n) == ATEA_OK) {
        }
    }
    EXPECT_ERR(atea_session_write(p->client.s, big, 1), ATEA_ERR_WANT_WRITE);
    EXPECT_ERR(atea_session_reattest(p->client.s, p->now), ATEA_ERR_SESSION_QUEUE_FULL);
    assert_int_equal(atea_session_last_error(p->client.s), ATEA_ERR_SESSION_QUEUE_FULL);
    sp_pair_free(p);
}

/* The per-connection context registry: reuse in any direction, and its cap. */
static void test_context_registry_cap(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    /* the attester, which has used no context yet (the relying party used one at start) */
    atea_session *s = p->server.s;
    uint8_t ctx[32] = {0};
    for (unsigned i = 0; i < ATEA_SESSION_MAX_CONTEXTS; i++) {
        memcpy(ctx, &i, sizeof(i));
        EXPECT_OK(atea__session_context_use(s, ctx, sizeof(ctx)));
    }
    EXPECT_ERR(atea__session_context_use(s, ctx, sizeof(ctx)), ATEA_ERR_SESSION_CONTEXT_REUSED);
    ctx[31] = 1; /* a new one, past the cap */
    EXPECT_ERR(atea__session_context_use(s, ctx, sizeof(ctx)), ATEA_ERR_SESSION_TOO_MANY_CONTEXTS);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_SESSION_TOO_MANY_CONTEXTS),
                     ATEA_REASON_RESOURCE);
    sp_pair_free(p);
}

/* A close before the attestation finished, by ERROR(NONE) or by EOF, even while idle waiting
 * for the first REQUEST; once attested, the same close is orderly. */
static void test_close_before_first_request(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    /* only the client's HELLO arrives: the attester now waits for a REQUEST */
    atea_buf out = sp_take_output(&p->client);
    atea_buf hello = sp_find_frame(&out, ATEA_FRAME_HELLO);
    EXPECT_OK(sp_inject(p, &p->server, hello.data, hello.len));
    EXPECT_ERR(atea_session_peer_closed(p->server.s, p->now), ATEA_ERR_SESSION_PEER_CLOSED);
    atea_buf_free(&hello);
    atea_buf_free(&out);
    sp_pair_free(p);
}

/* The two sides must agree on the binder profile. */
static void test_profile_mismatch(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->server.opts.exporter_label = ATEA_BINDER_LABEL_ALT;
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.err, ATEA_ERR_HELLO_PROFILE);
    assert_int_equal(p->server.err, ATEA_ERR_HELLO_PROFILE);
    /* the attester read the HELLO first: the REQUEST behind it was never answered */
    assert_int_equal(p->server.attester.calls, 0);
    sp_pair_free(p);

    p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->server.opts.cmw_ext = 0xffff;
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.err, ATEA_ERR_HELLO_PROFILE);
    sp_pair_free(p);

    /* evidence types that do not meet */
    p = sp_pair_disjoint_evidence();
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.err, ATEA_ERR_HELLO_FORMATS);
    assert_int_equal(p->server.last[ATEA_SESSION_EV_CLOSED].reason, ATEA_REASON_NO_COMMON_FORMAT);
    assert_int_equal(p->server.err, ATEA_ERR_SESSION_PEER_ERROR);
    assert_int_equal(p->server.attester.calls, 0); /* its REQUEST was dropped, not answered */
    sp_pair_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_across_connections),
        cmocka_unit_test(test_replay_within_connection),
        cmocka_unit_test(test_relay_of_genuine_evidence),
        cmocka_unit_test(test_key_substitution),
        cmocka_unit_test(test_context_reuse),
        cmocka_unit_test(test_context_reuse_across_directions),
        cmocka_unit_test(test_unsolicited_answers),
        cmocka_unit_test(test_request_without_cmw),
        cmocka_unit_test(test_data_before_attestation),
        cmocka_unit_test(test_bad_frames),
        cmocka_unit_test(test_peer_closes_mid_attestation),
        cmocka_unit_test(test_stalled_peer),
        cmocka_unit_test(test_appraisal_refusals),
        cmocka_unit_test(test_profile_mismatch),
        cmocka_unit_test(test_no_evidence),
        cmocka_unit_test(test_reattest_usage),
        cmocka_unit_test(test_output_queue_full),
        cmocka_unit_test(test_context_registry_cap),
        cmocka_unit_test(test_close_before_first_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
