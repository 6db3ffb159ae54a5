/* Attested sessions end to end over an in-memory TLS 1.3 connection: server attests, client
 * attests, mutual; the pipelined first exchange, frame by frame (one round trip); re-attestation
 * in both directions with DATA interleaved (byte-exact); periodic re-attestation from the timer;
 * policy optional (and the pipelined REQUEST a peer drops); orderly close; backpressure. */
#include <string.h>

#include "session_pair.h"

static void expect_attested_once(sp_pair *p, sp_side *rp, sp_side *attester)
{
    assert_int_equal(rp->err, ATEA_OK);
    assert_int_equal(attester->err, ATEA_OK);
    assert_int_equal(rp->events[ATEA_SESSION_EV_ATTESTED], 1);
    assert_int_equal(attester->events[ATEA_SESSION_EV_ACCEPTED], 1);
    assert_true(atea_session_peer_attested(rp->s));
    assert_true(atea_session_self_accepted(attester->s));
    assert_int_equal(rp->appraiser.calls, 1);
    assert_int_equal(attester->attester.calls, 1);
    (void)p;
}

/* Both directions carry application bytes after READY. */
static void expect_data_flows(sp_pair *p)
{
    EXPECT_OK(atea_session_write(p->client.s, (const uint8_t *)"ping", 4));
    EXPECT_OK(atea_session_write(p->server.s, (const uint8_t *)"pong!", 5));
    sp_pump(p);
    assert_int_equal(p->server.data.len, 4);
    assert_memory_equal(p->server.data.data, "ping", 4);
    assert_int_equal(p->client.data.len, 5);
    assert_memory_equal(p->client.data.data, "pong!", 5);
}

static void test_server_attests(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    /* nothing may be written before attestation */
    EXPECT_ERR(atea_session_write(p->client.s, (const uint8_t *)"x", 1),
               ATEA_ERR_SESSION_NOT_ATTESTED);
    EXPECT_ERR(atea_session_write(p->server.s, (const uint8_t *)"x", 1),
               ATEA_ERR_SESSION_NOT_ATTESTED);
    sp_pump(p);
    expect_attested_once(p, &p->client, &p->server);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_READY], 1);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_READY], 1);
    /* the binding the relying party computed is the one in the attester's evidence */
    const uint8_t *rd = NULL;
    EXPECT_OK(sp_parse_cmw(p->server.attester.last.data, p->server.attester.last.len, &rd));
    assert_memory_equal(rd, p->client.appraiser.last_expected.report_data, 64);
    assert_int_equal(p->client.appraiser.last_expected.binder_len, 32);
    expect_data_flows(p);
    assert_int_equal(atea_session_expiry(p->client.s), UINT64_MAX);
    sp_pair_free(p);
}

static void test_client_attests(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_ATTESTER, ATEA_SESSION_RELYING_PARTY);
    sp_pump(p);
    expect_attested_once(p, &p->server, &p->client);
    expect_data_flows(p);
    sp_pair_free(p);
}

static void test_mutual(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_MUTUAL, ATEA_SESSION_MUTUAL);
    sp_pump(p);
    expect_attested_once(p, &p->server, &p->client);
    expect_attested_once(p, &p->client, &p->server);
    /* two exchanges on one connection: the contexts differ, so the bindings do */
    assert_memory_not_equal(p->client.appraiser.last_expected.binder,
                            p->server.appraiser.last_expected.binder, 32);
    expect_data_flows(p);
    sp_pair_free(p);
}

/* Take a side's output, check its frames, and deliver it to the other side. */
static void flight(sp_pair *p, sp_side *from, sp_side *to, const unsigned *types, size_t n)
{
    atea_buf out = sp_take_output(from);
    sp_expect_frames(&out, types, n);
    EXPECT_OK(sp_inject(p, to, out.data, out.len));
    atea_buf_free(&out);
}

/* One round trip (docs/PROTOCOL.md §5): the relying party's REQUEST leaves with its HELLO, the
 * attester answers HELLO + AUTHENTICATOR in one flight, and the relying party may write DATA
 * beside its RESULT. */
static void test_one_round_trip(void **state)
{
    (void)state;
    static const unsigned c1[] = {ATEA_FRAME_HELLO, ATEA_FRAME_REQUEST};
    static const unsigned s1[] = {ATEA_FRAME_HELLO, ATEA_FRAME_AUTHENTICATOR};
    static const unsigned c2[] = {ATEA_FRAME_RESULT, ATEA_FRAME_DATA};
    static const unsigned s2[] = {ATEA_FRAME_DATA};
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    flight(p, &p->client, &p->server, c1, 2);
    flight(p, &p->server, &p->client, s1, 2);
    sp_collect(&p->client);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 1);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_READY], 1);
    EXPECT_OK(atea_session_write(p->client.s, (const uint8_t *)"ping", 4));
    flight(p, &p->client, &p->server, c2, 2);
    sp_collect(&p->server);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_ACCEPTED], 1);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_READY], 1);
    assert_int_equal(p->server.data.len, 4);
    EXPECT_OK(atea_session_write(p->server.s, (const uint8_t *)"pong", 4));
    flight(p, &p->server, &p->client, s2, 1);
    sp_collect(&p->client);
    assert_int_equal(p->client.data.len, 4);
    expect_attested_once(p, &p->client, &p->server);
    sp_pair_free(p);
}

/* The other direction: a relying-party server pipelines the same way. */
static void test_one_round_trip_server_verifies(void **state)
{
    (void)state;
    static const unsigned c0[] = {ATEA_FRAME_HELLO};
    static const unsigned s1[] = {ATEA_FRAME_HELLO, ATEA_FRAME_REQUEST};
    static const unsigned c1[] = {ATEA_FRAME_AUTHENTICATOR};
    static const unsigned s2[] = {ATEA_FRAME_RESULT};
    sp_pair *p = sp_pair_new(ATEA_SESSION_ATTESTER, ATEA_SESSION_RELYING_PARTY);
    flight(p, &p->client, &p->server, c0, 1);
    flight(p, &p->server, &p->client, s1, 2);
    flight(p, &p->client, &p->server, c1, 1);
    sp_collect(&p->server);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_READY], 1);
    flight(p, &p->server, &p->client, s2, 1);
    sp_collect(&p->client);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_READY], 1);
    expect_attested_once(p, &p->server, &p->client);
    sp_pair_free(p);
}

/* Mutual: both sides send HELLO + REQUEST at once, and each answers the other's REQUEST as
 * soon as it has read it. */
static void test_mutual_pipelined(void **state)
{
    (void)state;
    static const unsigned hello_request[] = {ATEA_FRAME_HELLO, ATEA_FRAME_REQUEST};
    static const unsigned auth[] = {ATEA_FRAME_AUTHENTICATOR};
    static const unsigned auth_result[] = {ATEA_FRAME_AUTHENTICATOR, ATEA_FRAME_RESULT};
    static const unsigned result[] = {ATEA_FRAME_RESULT};
    sp_pair *p = sp_pair_new(ATEA_SESSION_MUTUAL, ATEA_SESSION_MUTUAL);
    atea_buf server_first = sp_take_output(&p->server);
    sp_expect_frames(&server_first, hello_request, 2);
    /* the flights cross: each side reads the other's HELLO + REQUEST and answers */
    flight(p, &p->client, &p->server, hello_request, 2);
    EXPECT_OK(sp_inject(p, &p->client, server_first.data, server_first.len));
    flight(p, &p->server, &p->client, auth, 1);
    /* the client has the server's authenticator: its answer and its verdict leave together */
    flight(p, &p->client, &p->server, auth_result, 2);
    flight(p, &p->server, &p->client, result, 1);
    sp_collect(&p->client);
    sp_collect(&p->server);
    expect_attested_once(p, &p->server, &p->client);
    expect_attested_once(p, &p->client, &p->server);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_READY], 1);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_READY], 1);
    atea_buf_free(&server_first);
    sp_pair_free(p);
}

/* The first REQUEST is made when the session is created, so a failure to make it (here the
 * caller's rng) fails the creation. */
static atea_err failing_rng(void *user, uint8_t *out, size_t len)
{
    (void)user;
    (void)out;
    (void)len;
    return ATEA_ERR_INTERNAL;
}

static void test_request_made_at_start(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_session *s = NULL;
    atea_session_opts o = p->client.opts;
    o.rng = failing_rng;
    EXPECT_ERR(atea_session_new(&p->tls->client_tls, &o, p->now, &s), ATEA_ERR_EA_RNG);
    assert_null(s);
    /* an attester draws nothing at start */
    o = p->server.opts;
    o.rng = failing_rng;
    EXPECT_OK(atea_session_new(&p->tls->server_tls, &o, p->now, &s));
    atea_session_free(s);
    sp_pair_free(p);
}

/* Both sides re-attest while both keep writing: every byte arrives once, in order. */
static void test_reattest_both_directions_with_data(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_MUTUAL, ATEA_SESSION_MUTUAL);
    static uint8_t c2s[100000];
    static uint8_t s2c[70001];
    atea_test_rng rng = {.state = 42};
    atea_test_rng_fill(&rng, c2s, sizeof(c2s));
    atea_test_rng_fill(&rng, s2c, sizeof(s2c));
    sp_pump(p);
    size_t c_off = 0;
    size_t s_off = 0;
    for (int round = 0; round < 4; round++) {
        size_t cn = round == 3 ? sizeof(c2s) - c_off : 25000;
        size_t sn = round == 3 ? sizeof(s2c) - s_off : 17000;
        EXPECT_OK(atea_session_write(p->client.s, c2s + c_off, cn / 2));
        if (round % 2 == 0) {
            EXPECT_OK(atea_session_reattest(p->client.s, p->now));
            EXPECT_ERR(atea_session_reattest(p->client.s, p->now), ATEA_ERR_SESSION_BUSY);
        }
        EXPECT_OK(atea_session_write(p->server.s, s2c + s_off, sn));
        EXPECT_OK(atea_session_reattest(p->server.s, p->now));
        /* half-way through: deliver what is queued, then keep writing */
        sp_move(p, &p->server, &p->client);
        EXPECT_OK(atea_session_write(p->client.s, c2s + c_off + cn / 2, cn - cn / 2));
        sp_pump(p);
        c_off += cn;
        s_off += sn;
    }
    assert_int_equal(p->server.data.len, sizeof(c2s));
    assert_memory_equal(p->server.data.data, c2s, sizeof(c2s));
    assert_int_equal(p->client.data.len, sizeof(s2c));
    assert_memory_equal(p->client.data.data, s2c, sizeof(s2c));
    assert_int_equal(p->client.events[ATEA_SESSION_EV_REATTESTED], 2);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_REATTESTED], 4);
    assert_int_equal(p->client.attester.calls, 5);
    assert_int_equal(p->server.attester.calls, 3);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ACCEPTED], 5);
    assert_int_equal(p->client.err, ATEA_OK);
    assert_int_equal(p->server.err, ATEA_OK);
    sp_pair_free(p);
}

/* The relying party's timer re-attests on its own. */
static void test_periodic_reattestation(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->client.opts.reattest_interval_ms = 60000;
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(atea_session_expiry(p->client.s), p->now + 60000);
    /* early: nothing happens */
    EXPECT_OK(atea_session_on_timeout(p->client.s, p->now + 59999));
    assert_int_equal(atea_session_pending_output(p->client.s), 0);
    p->now += 60000;
    EXPECT_OK(atea_session_on_timeout(p->client.s, p->now));
    sp_pump(p);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_REATTESTED], 1);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_ACCEPTED], 2);
    assert_int_equal(atea_session_expiry(p->client.s), p->now + 60000);
    sp_pair_free(p);
}

/* Policy optional: a peer that does not attest is tolerated and data flows at once. */
static void test_policy_optional(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_RELYING_PARTY);
    p->client.opts.policy = ATEA_SESSION_OPTIONAL;
    p->server.opts.policy = ATEA_SESSION_OPTIONAL;
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_READY], 1);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_ATTESTED], 0);
    expect_data_flows(p);
    /* each side's pipelined REQUEST was dropped by the other, which does not attest */
    assert_int_equal(p->client.attester.calls, 0);
    assert_int_equal(p->server.attester.calls, 0);
    assert_int_equal(atea_session_expiry(p->client.s), UINT64_MAX);
    assert_int_equal(atea_session_expiry(p->server.s), UINT64_MAX);
    sp_pair_free(p);

    /* only the first REQUEST is dropped: a second one is unsolicited */
    p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_RELYING_PARTY);
    p->client.opts.policy = ATEA_SESSION_OPTIONAL;
    p->server.opts.policy = ATEA_SESSION_OPTIONAL;
    sp_pair_start(p);
    atea_buf out = sp_take_output(&p->client);
    atea_buf request = sp_find_frame(&out, ATEA_FRAME_REQUEST);
    EXPECT_OK(sp_inject(p, &p->server, out.data, out.len));
    EXPECT_ERR(sp_inject(p, &p->server, request.data, request.len), ATEA_ERR_SESSION_UNSOLICITED);
    atea_buf_free(&out);
    atea_buf_free(&request);
    sp_pair_free(p);

    /* the dropped REQUEST is still parsed: a malformed one fails like any other */
    p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_RELYING_PARTY);
    p->client.opts.policy = ATEA_SESSION_OPTIONAL;
    p->server.opts.policy = ATEA_SESSION_OPTIONAL;
    sp_pair_start(p);
    out = sp_take_output(&p->client);
    atea_buf hello = sp_find_frame(&out, ATEA_FRAME_HELLO);
    EXPECT_OK(sp_inject(p, &p->server, hello.data, hello.len));
    const uint8_t garbage[] = {
        ATEA_FRAME_REQUEST, 0, 0, 2, ATEA_EA_HS_CLIENT_CERTIFICATE_REQUEST, 0};
    EXPECT_ERR(sp_inject(p, &p->server, garbage, sizeof(garbage)), ATEA_ERR_TRUNCATED);
    atea_buf_free(&hello);
    atea_buf_free(&out);
    sp_pair_free(p);

    /* an attester whose evidence the relying party cannot take (no common evidence type)
     * drops the REQUEST too; the optional relying party goes on, and nobody waits */
    p = sp_pair_disjoint_evidence();
    p->client.opts.policy = ATEA_SESSION_OPTIONAL;
    sp_pair_start(p);
    sp_pump(p);
    assert_int_equal(p->server.attester.calls, 0);
    assert_int_equal(p->client.events[ATEA_SESSION_EV_READY], 1);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_READY], 1);
    assert_int_equal(atea_session_expiry(p->server.s), UINT64_MAX);
    expect_data_flows(p);
    sp_pair_free(p);

    /* the same peer under `require` is refused at HELLO */
    p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_RELYING_PARTY);
    sp_pump(p);
    assert_int_equal(p->client.err, ATEA_ERR_HELLO_ROLES);
    assert_int_equal(atea_session_last_error(p->client.s), ATEA_ERR_HELLO_ROLES);
    assert_int_equal(p->server.last[ATEA_SESSION_EV_CLOSED].reason, ATEA_REASON_ROLES);
    sp_pair_free(p);
}

static void test_orderly_close(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    sp_pump(p);
    EXPECT_OK(atea_session_close(p->client.s));
    sp_pump(p);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_CLOSED], 1);
    assert_int_equal(p->server.last[ATEA_SESSION_EV_CLOSED].err, ATEA_OK);
    assert_int_equal(p->server.last[ATEA_SESSION_EV_CLOSED].by_peer, 1);
    assert_int_equal(atea_session_last_error(p->server.s), ATEA_OK);
    EXPECT_ERR(atea_session_write(p->client.s, (const uint8_t *)"x", 1), ATEA_ERR_SESSION_CLOSED);
    EXPECT_ERR(atea_session_write(p->server.s, (const uint8_t *)"x", 1), ATEA_ERR_SESSION_CLOSED);
    /* transport EOF after an orderly close is no error, on either side */
    EXPECT_OK(atea_session_peer_closed(p->server.s, p->now));
    EXPECT_OK(atea_session_peer_closed(p->client.s, p->now));
    sp_pair_free(p);

    p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    sp_pump(p);
    EXPECT_OK(atea_session_peer_closed(p->server.s, p->now));
    sp_collect(&p->server);
    assert_int_equal(p->server.events[ATEA_SESSION_EV_CLOSED], 1);
    sp_pair_free(p);
}

/* A receiver that does not take its DATA events stops consuming input. */
static void test_backpressure(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->server.opts.max_pending_data = 1000;
    sp_pair_start(p);
    sp_pump(p);
    static uint8_t big[50000];
    memset(big, 0x61, sizeof(big));
    for (size_t i = 0; i < 10; i++) {
        EXPECT_OK(atea_session_write(p->client.s, big, 5000));
    }
    atea_buf wire = sp_take_output(&p->client);
    size_t consumed = 0;
    EXPECT_OK(atea_session_feed(p->server.s, wire.data, wire.len, &consumed, p->now));
    assert_true(consumed < wire.len);
    /* taking the events lets the rest in */
    size_t off = consumed;
    while (off < wire.len) {
        sp_collect(&p->server);
        EXPECT_OK(
            atea_session_feed(p->server.s, wire.data + off, wire.len - off, &consumed, p->now));
        assert_true(consumed > 0 || off == wire.len);
        off += consumed;
    }
    sp_collect(&p->server);
    assert_int_equal(p->server.data.len, sizeof(big));
    atea_buf_free(&wire);
    sp_pair_free(p);
}

/* Drain part of the queue, write more (the queue moves its undrained bytes only when it runs
 * out of room), and deliver it all in odd-sized pieces (frames split across feeds): every byte
 * arrives once, in order. */
static void test_partial_drains(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    static uint8_t sent[300000];
    static uint8_t chunk[7777];
    atea_test_rng rng = {.state = 7};
    atea_test_rng_fill(&rng, sent, sizeof(sent));
    sp_pump(p);
    size_t written = 0;
    for (size_t w = 0; w < 6; w++) {
        EXPECT_OK(atea_session_write(p->server.s, sent + written, 50000));
        written += 50000;
        /* send a prime-sized part of what is queued, keep the rest queued */
        size_t n = 0;
        EXPECT_OK(atea_session_drain(p->server.s, chunk, w % 2 == 0 ? 7 : sizeof(chunk), &n));
        EXPECT_OK(sp_inject(p, &p->client, chunk, n));
    }
    while (atea_session_pending_output(p->server.s) > 0) {
        size_t n = 0;
        EXPECT_OK(atea_session_drain(p->server.s, chunk, sizeof(chunk), &n));
        EXPECT_OK(sp_inject(p, &p->client, chunk, n));
    }
    sp_collect(&p->client);
    assert_int_equal(p->client.data.len, sizeof(sent));
    assert_memory_equal(p->client.data.data, sent, sizeof(sent));
    sp_pair_free(p);
}

/* The next DATA event (other events are skipped); its data is valid until the next call. */
static atea_session_event next_data(sp_side *side)
{
    atea_session_event ev;
    while (atea_session_next_event(side->s, &ev)) {
        if (ev.type == ATEA_SESSION_EV_DATA) {
            return ev;
        }
    }
    fail_msg("no DATA event");
    return ev;
}

static int points_into(const atea_session_event *ev, const uint8_t *p, size_t len)
{
    return ev->data >= p && ev->data + ev->len <= p + len;
}

/* atea_session_feed_borrow: DATA events point into the caller's bytes, except a frame that
 * began in an earlier call (copied out of the session's partial-frame buffer); plain feed
 * always copies. The bytes are right either way. */
static void test_feed_borrow(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_new(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    static uint8_t big[ATEA_FRAME_MAX_DATA + 1000];
    atea_test_rng rng = {.state = 3};
    atea_test_rng_fill(&rng, big, sizeof(big));
    sp_pump(p);
    EXPECT_OK(atea_session_write(p->server.s, (const uint8_t *)"abc", 3));
    EXPECT_OK(atea_session_write(p->server.s, big, sizeof(big))); /* two frames */
    EXPECT_OK(atea_session_write(p->server.s, (const uint8_t *)"xyz", 3));
    atea_buf wire = sp_take_output(&p->server);
    /* the first feed ends inside the second frame of `big` */
    size_t cut = 4 + 3 + 4 + ATEA_FRAME_MAX_DATA + 100;
    size_t consumed = 0;
    EXPECT_OK(atea_session_feed_borrow(p->client.s, wire.data, cut, &consumed, p->now));
    assert_int_equal(consumed, cut);
    /* the events stay valid while the fed bytes are untouched, even across another feed */
    EXPECT_OK(
        atea_session_feed_borrow(p->client.s, wire.data + cut, wire.len - cut, &consumed, p->now));
    assert_int_equal(consumed, wire.len - cut);
    atea_session_event ev = next_data(&p->client);
    assert_int_equal(ev.len, 3);
    assert_memory_equal(ev.data, "abc", 3);
    assert_true(points_into(&ev, wire.data, cut));
    ev = next_data(&p->client);
    assert_int_equal(ev.len, ATEA_FRAME_MAX_DATA);
    assert_memory_equal(ev.data, big, ATEA_FRAME_MAX_DATA);
    assert_true(points_into(&ev, wire.data, cut));
    ev = next_data(&p->client); /* began in the first feed, ended in the second: a copy */
    assert_int_equal(ev.len, 1000);
    assert_memory_equal(ev.data, big + ATEA_FRAME_MAX_DATA, 1000);
    assert_false(points_into(&ev, wire.data, wire.len));
    ev = next_data(&p->client);
    assert_int_equal(ev.len, 3);
    assert_memory_equal(ev.data, "xyz", 3);
    assert_true(points_into(&ev, wire.data + cut, wire.len - cut));

    /* plain feed: copies, so the caller may reuse its buffer at once */
    EXPECT_OK(atea_session_write(p->server.s, (const uint8_t *)"abc", 3));
    atea_buf again = sp_take_output(&p->server);
    EXPECT_OK(atea_session_feed(p->client.s, again.data, again.len, &consumed, p->now));
    memset(again.data, 0, again.len);
    ev = next_data(&p->client);
    assert_false(points_into(&ev, again.data, again.len));
    assert_memory_equal(ev.data, "abc", 3);
    atea_buf_free(&again);
    atea_buf_free(&wire);
    sp_pair_free(p);
}

/* The output queue refuses a write that does not fit, without failing the session. */
static void test_write_queue_limit(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_small_output();
    static uint8_t big[ATEA_FRAME_MAX_AUTHENTICATOR];
    EXPECT_ERR(atea_session_write(p->client.s, big, sizeof(big)), ATEA_ERR_WANT_WRITE);
    EXPECT_OK(atea_session_write(p->client.s, big, 1000));
    assert_int_equal(atea_session_last_error(p->client.s), ATEA_OK);
    sp_pump(p);
    assert_int_equal(p->server.data.len, 1000);
    sp_pair_free(p);
}

static void test_options_checked(void **state)
{
    (void)state;
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    atea_session *s = NULL;
    atea_session_opts o = p->client.opts;
    o.version = 99;
    EXPECT_ERR(atea_session_new(&p->tls->client_tls, &o, 0, &s), ATEA_ERR_SESSION_OPTS_VERSION);
    o = p->client.opts;
    o.role = 4;
    EXPECT_ERR(atea_session_new(&p->tls->client_tls, &o, 0, &s), ATEA_ERR_SESSION_ROLE);
    o = p->server.opts;
    o.attester = NULL;
    EXPECT_ERR(atea_session_new(&p->tls->server_tls, &o, 0, &s), ATEA_ERR_SESSION_NO_ATTESTER);
    o = p->client.opts;
    o.appraise = NULL;
    EXPECT_ERR(atea_session_new(&p->tls->client_tls, &o, 0, &s), ATEA_ERR_SESSION_NO_APPRAISER);
    o = p->client.opts;
    o.exporter_label = "";
    EXPECT_ERR(atea_session_new(&p->tls->client_tls, &o, 0, &s), ATEA_ERR_BINDER_PROFILE);
    o = p->server.opts;
    atea_slice bad = {(const uint8_t *)"\x30\x00", 2};
    o.chain = &bad;
    EXPECT_ERR(atea_session_new(&p->tls->server_tls, &o, 0, &s), ATEA_ERR_SPKI_MALFORMED);
    assert_null(s);
    sp_pair_free(p);
}

/* TLS 1.2 is refused before anything is sent (profile.md §1). */
static void test_tls12_refused(void **state)
{
    (void)state;
    atea_test_identities ids = {0};
    atea_test_tls_pair *tls = NULL;
    atea_test_tls_pair_opts topts;
    memset(&topts, 0, sizeof(topts));
    topts.server_id = atea_test_identities_get(&ids, ATEA_TEST_KEY_P256);
    topts.tls12 = 1;
    topts.allow_tls12 = 1;
    EXPECT_OK(atea_test_tls_pair_new(&tls, &topts));
    atea_session_opts o;
    atea_session_opts_default(&o);
    o.appraise = sp_appraise;
    atea_session *s = NULL;
    EXPECT_ERR(atea_session_new(&tls->client_tls, &o, 0, &s), ATEA_ERR_TLS_VERSION);
    atea_test_tls_pair_free(tls);
    atea_test_identities_dispose(&ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_attests),
        cmocka_unit_test(test_client_attests),
        cmocka_unit_test(test_mutual),
        cmocka_unit_test(test_one_round_trip),
        cmocka_unit_test(test_one_round_trip_server_verifies),
        cmocka_unit_test(test_mutual_pipelined),
        cmocka_unit_test(test_request_made_at_start),
        cmocka_unit_test(test_reattest_both_directions_with_data),
        cmocka_unit_test(test_periodic_reattestation),
        cmocka_unit_test(test_policy_optional),
        cmocka_unit_test(test_orderly_close),
        cmocka_unit_test(test_backpressure),
        cmocka_unit_test(test_partial_drains),
        cmocka_unit_test(test_feed_borrow),
        cmocka_unit_test(test_write_queue_limit),
        cmocka_unit_test(test_options_checked),
        cmocka_unit_test(test_tls12_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
