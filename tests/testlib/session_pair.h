/*
 * Session-test helpers: two atea_sessions over the two ends of an in-memory TLS 1.3 connection
 * (tests/testlib/tls_pair.h), a test attester and a test appraiser that really compute and
 * check the binding, and byte pumps between the sessions (picotls test_handshake style).
 *
 * The test CMW is a CBOR record [ "application/vnd.atea.session-test", h'<report_data>' ]
 * (RFC 9999 §3.1 shape). The appraiser compares the 64 bytes with the binding the session
 * recomputed, with atea_binder_check_report_data, and records them as the "report_data" claim.
 *
 * Header-only (static inline): it uses the session layer, which atea_testlib does not link.
 */
#ifndef ATEA_SESSION_PAIR_H
#define ATEA_SESSION_PAIR_H

#include <stdlib.h>
#include <string.h>

#include "atea/appraisal.h"
#include "atea/binder.h"
#include "atea/session.h"
#include "atea_test.h"
#include "core/rd.h"
#include "test_certs.h"
#include "tls_pair.h"

#define SP_MEDIA_TYPE "application/vnd.atea.session-test"
#define SP_MAX_DATA (1u << 20)

/* ------------------------------------------------------------------ test attester */

typedef struct sp_attester {
    atea_attester base;
    int tamper_aik;      /* flip a byte of the aik_hash part of report_data */
    atea_buf substitute; /* if set: return this CMW instead (replay / relay) */
    atea_buf last;       /* the last CMW produced */
    atea_err fail;       /* if not ATEA_OK: attest() fails with it */
    unsigned calls;
} sp_attester;

static inline atea_err sp_attest(atea_attester *self, const atea_binding *b, atea_buf *cmw)
{
    sp_attester *a = (sp_attester *)self;
    uint8_t rd[ATEA_REPORT_DATA_LEN];
    uint8_t out[2 + 1 + sizeof(SP_MEDIA_TYPE) + 2 + ATEA_REPORT_DATA_LEN];
    size_t n = 0;
    a->calls++;
    if (a->fail != ATEA_OK) {
        return a->fail;
    }
    if (a->substitute.len > 0) {
        return atea_buf_set(cmw, a->substitute.data, a->substitute.len);
    }
    memcpy(rd, b->report_data, sizeof(rd));
    if (a->tamper_aik) {
        rd[b->binder_len] ^= 0x01;
    }
    out[n++] = 0x82;
    out[n++] = 0x78;
    out[n++] = (uint8_t)strlen(SP_MEDIA_TYPE);
    memcpy(out + n, SP_MEDIA_TYPE, strlen(SP_MEDIA_TYPE));
    n += strlen(SP_MEDIA_TYPE);
    out[n++] = 0x58;
    out[n++] = ATEA_REPORT_DATA_LEN;
    memcpy(out + n, rd, sizeof(rd));
    n += sizeof(rd);
    atea_err err = atea_buf_set(cmw, out, n);
    if (err == ATEA_OK) {
        err = atea_buf_set(&a->last, out, n);
    }
    return err;
}

static inline void sp_attester_free(atea_attester *self)
{
    (void)self; /* embedded in the test's state */
}

static inline void sp_attester_init(sp_attester *a)
{
    memset(a, 0, sizeof(*a));
    a->base.platform = "sim";
    a->base.attest = sp_attest;
    a->base.free = sp_attester_free;
}

static inline void sp_attester_dispose(sp_attester *a)
{
    atea_buf_free(&a->substitute);
    atea_buf_free(&a->last);
}

/* ------------------------------------------------------------------ test appraiser */

typedef enum sp_appraise_mode {
    SP_CHECK = 0,       /* check report_data against expected, record it as a claim */
    SP_LAZY = 1,        /* record report_data as a claim without checking it */
    SP_NO_CLAIM = 2,    /* check it but record no binding claim */
    SP_WARNING = 3,     /* check it, then add a WARNING reason */
    SP_SHORT_CLAIM = 4, /* check it, record only its first 32 bytes as report_data */
} sp_appraise_mode;

typedef struct sp_appraiser {
    sp_appraise_mode mode;
    unsigned calls;
    atea_binding last_expected;
} sp_appraiser;

/* Parse the test CMW: [ text, bstr .size 64 ]. */
static inline atea_err sp_parse_cmw(const uint8_t *cmw, size_t len, const uint8_t **rd)
{
    atea_rd r;
    uint8_t b = 0;
    uint8_t tlen = 0;
    const uint8_t *type = NULL;
    atea_rd_init(&r, cmw, len);
    if (atea_rd_u8(&r, &b) != ATEA_OK || b != 0x82 || atea_rd_u8(&r, &b) != ATEA_OK || b != 0x78 ||
        atea_rd_u8(&r, &tlen) != ATEA_OK || tlen != strlen(SP_MEDIA_TYPE) ||
        atea_rd_bytes(&r, tlen, &type) != ATEA_OK || memcmp(type, SP_MEDIA_TYPE, tlen) != 0 ||
        atea_rd_u8(&r, &b) != ATEA_OK || b != 0x58 || atea_rd_u8(&r, &b) != ATEA_OK ||
        b != ATEA_REPORT_DATA_LEN || atea_rd_bytes(&r, ATEA_REPORT_DATA_LEN, rd) != ATEA_OK ||
        atea_rd_end(&r) != ATEA_OK) {
        return ATEA_ERR_CMW_RECORD;
    }
    return ATEA_OK;
}

static inline atea_err sp_appraise(void *user, const uint8_t *cmw, size_t len,
                                   const atea_binding *expected, atea_appraisal *out)
{
    sp_appraiser *p = user;
    const uint8_t *rd = NULL;
    atea_err err = ATEA_OK;
    p->calls++;
    p->last_expected = *expected;
    if ((err = sp_parse_cmw(cmw, len, &rd)) != ATEA_OK ||
        (err = atea_appraisal_add_submod(out, "test", "sim")) != ATEA_OK) {
        return err;
    }
    if (p->mode != SP_LAZY) {
        err = atea_binder_check_report_data(expected, ATEA_BINDER_LAYOUT_CONCAT, rd,
                                            ATEA_REPORT_DATA_LEN);
        if (err != ATEA_OK) {
            atea_err recorded = atea_appraisal_add_reason(out, "test", ATEA_EAR_CONTRAINDICATED,
                                                          err, "report_data does not match");
            return recorded != ATEA_OK ? recorded : err;
        }
    }
    size_t claim_len = p->mode == SP_SHORT_CLAIM ? ATEA_REPORT_DATA_LEN / 2 : ATEA_REPORT_DATA_LEN;
    if (p->mode != SP_NO_CLAIM &&
        (err = atea_appraisal_claim_bytes(out, "test", "report_data", rd, claim_len)) != ATEA_OK) {
        return err;
    }
    err = atea_appraisal_add_reason(out, "test", ATEA_EAR_AFFIRMING, ATEA_OK, "test evidence");
    if (err == ATEA_OK && p->mode == SP_WARNING) {
        err = atea_appraisal_add_reason(out, "test", ATEA_EAR_WARNING, ATEA_OK, "out of date");
    }
    return err;
}

/* ------------------------------------------------------------------ the pair */

typedef struct sp_side {
    atea_session *s;
    atea_session_opts opts;
    sp_attester attester;
    sp_appraiser appraiser;
    atea_slice chain[1];
    atea_err err;  /* the last failure that feeding this side returned */
    atea_buf data; /* application bytes received, in order */
    unsigned events[ATEA_SESSION_EV_CLOSED + 1];
    atea_session_event last[ATEA_SESSION_EV_CLOSED + 1]; /* last event of each type (no data) */
} sp_side;

typedef struct sp_pair {
    atea_test_identities ids;
    atea_test_tls_pair *tls;
    sp_side client;
    sp_side server;
    uint64_t now;
} sp_pair;

/* Options for one side: role, the test attester and appraiser, a P-256 attestation key
 * (from the identity set, so each test reuses it). */
static inline void sp_side_opts(sp_pair *p, sp_side *side, unsigned role)
{
    const atea_test_identity *id = atea_test_identities_get(&p->ids, ATEA_TEST_KEY_P256);
    sp_attester_init(&side->attester);
    memset(&side->appraiser, 0, sizeof(side->appraiser));
    atea_session_opts_default(&side->opts);
    side->opts.role = role;
    side->opts.attester = &side->attester.base;
    side->chain[0].data = id->leaf_der.data;
    side->chain[0].len = id->leaf_der.len;
    side->opts.chain = side->chain;
    side->opts.n_chain = 1;
    side->opts.key = id->key;
    side->opts.appraise = sp_appraise;
    side->opts.appraise_user = &side->appraiser;
}

/* A connected TLS pair and default options for both sides; sessions not yet created. */
static inline sp_pair *sp_pair_prepare(unsigned client_role, unsigned server_role)
{
    sp_pair *p = calloc(1, sizeof(*p));
    atea_test_tls_pair_opts topts;
    assert_non_null(p);
    memset(&topts, 0, sizeof(topts));
    topts.server_id = atea_test_identities_get(&p->ids, ATEA_TEST_KEY_P256);
    topts.attested = 1;
    EXPECT_OK(atea_test_tls_pair_new(&p->tls, &topts));
    sp_side_opts(p, &p->client, client_role);
    sp_side_opts(p, &p->server, server_role);
    p->now = 1000;
    return p;
}

static inline void sp_pair_start(sp_pair *p)
{
    EXPECT_OK(atea_session_new(&p->tls->client_tls, &p->client.opts, p->now, &p->client.s));
    EXPECT_OK(atea_session_new(&p->tls->server_tls, &p->server.opts, p->now, &p->server.s));
}

static inline sp_pair *sp_pair_new(unsigned client_role, unsigned server_role)
{
    sp_pair *p = sp_pair_prepare(client_role, server_role);
    sp_pair_start(p);
    return p;
}

static inline void sp_side_dispose(sp_side *side)
{
    atea_session_free(side->s);
    sp_attester_dispose(&side->attester);
    atea_buf_free(&side->data);
}

static inline void sp_pair_free(sp_pair *p)
{
    sp_side_dispose(&p->client);
    sp_side_dispose(&p->server);
    atea_test_tls_pair_free(p->tls);
    atea_test_identities_dispose(&p->ids);
    free(p);
}

/* Take every event of a side: count them, keep the last of each type, append DATA. */
static inline void sp_collect(sp_side *side)
{
    atea_session_event ev;
    while (atea_session_next_event(side->s, &ev)) {
        assert_true(ev.type >= ATEA_SESSION_EV_ATTESTED && ev.type <= ATEA_SESSION_EV_CLOSED);
        side->events[ev.type]++;
        if (ev.type == ATEA_SESSION_EV_DATA) {
            size_t old = side->data.len;
            assert_true(old + ev.len <= SP_MAX_DATA);
            uint8_t *grown = realloc(side->data.data, old + ev.len);
            assert_non_null(grown);
            memcpy(grown + old, ev.data, ev.len);
            side->data.data = grown;
            side->data.len = old + ev.len;
        }
        ev.data = NULL;
        ev.appraisal = NULL;
        side->last[ev.type] = ev;
    }
}

/* Feed raw bytes to a side as if they came from its peer; returns what feed returned. */
static inline atea_err sp_inject(sp_pair *p, sp_side *to, const uint8_t *data, size_t len)
{
    size_t off = 0;
    atea_err err = ATEA_OK;
    while (off < len) {
        size_t consumed = 0;
        err = atea_session_feed(to->s, data + off, len - off, &consumed, p->now);
        off += consumed;
        sp_collect(to); /* relieves backpressure */
        if (err != ATEA_OK) {
            to->err = err;
            break;
        }
    }
    return err;
}

/* Move every queued byte from one side to the other; 1 if anything moved. */
static inline int sp_move(sp_pair *p, sp_side *from, sp_side *to)
{
    uint8_t buf[8192];
    size_t n = 0;
    int moved = 0;
    while (atea_session_pending_output(from->s) > 0) {
        EXPECT_OK(atea_session_drain(from->s, buf, sizeof(buf), &n));
        moved = 1;
        if (to->err == ATEA_OK && !atea_session_is_closed(to->s)) {
            (void)sp_inject(p, to, buf, n);
        }
    }
    return moved;
}

/* Pump both ways until nothing moves; collect events on both sides. */
static inline void sp_pump(sp_pair *p)
{
    for (int round = 0; round < 100; round++) {
        int a = sp_move(p, &p->client, &p->server);
        int b = sp_move(p, &p->server, &p->client);
        sp_collect(&p->client);
        sp_collect(&p->server);
        if (!a && !b) {
            return;
        }
    }
    fail_msg("the sessions kept talking for 100 rounds");
}

/* Drain a side's output and return the frames in it (caller frees), without delivering. */
static inline atea_buf sp_take_output(sp_side *side)
{
    atea_buf out = {0};
    size_t len = atea_session_pending_output(side->s);
    size_t n = 0;
    if (len > 0) {
        out.data = malloc(len);
        assert_non_null(out.data);
        EXPECT_OK(atea_session_drain(side->s, out.data, len, &n));
        assert_int_equal(n, len);
        out.len = len;
    }
    return out;
}

/* The first frame of `type` in a byte stream of frames, copied (header included). */
static inline atea_buf sp_find_frame(const atea_buf *stream, unsigned type)
{
    size_t off = 0;
    atea_buf out = {0};
    while (off < stream->len) {
        atea_frame f;
        size_t used = 0;
        EXPECT_OK(atea_frame_decode(stream->data + off, stream->len - off, &f, &used, NULL));
        if (f.type == type) {
            EXPECT_OK(atea_buf_set(&out, stream->data + off, used));
            return out;
        }
        off += used;
    }
    fail_msg("no %s frame in the stream", atea_frame_type_name(type));
    return out;
}

/* The stream holds exactly these frame types, in this order. */
static inline void sp_expect_frames(const atea_buf *stream, const unsigned *types, size_t n)
{
    size_t off = 0;
    size_t i = 0;
    for (; off < stream->len; i++) {
        atea_frame f;
        size_t used = 0;
        EXPECT_OK(atea_frame_decode(stream->data + off, stream->len - off, &f, &used, NULL));
        if (i >= n || f.type != types[i]) {
            fail_msg("frame %zu is %s, expected %s", i, atea_frame_type_name(f.type),
                     i < n ? atea_frame_type_name(types[i]) : "no more frames");
        }
        off += used;
    }
    if (i != n) {
        fail_msg("%zu frames, expected %zu", i, n);
    }
}

/* The reason of the ERROR frame a side queued last. */
static inline uint16_t sp_error_reason(sp_side *side)
{
    atea_buf out = sp_take_output(side);
    atea_buf frame = sp_find_frame(&out, ATEA_FRAME_ERROR);
    atea_error_body e;
    EXPECT_OK(atea_error_decode(frame.data + 4, frame.len - 4, &e));
    atea_buf_free(&out);
    atea_buf_free(&frame);
    return e.reason;
}

/* A relying-party client and an attesting server whose evidence types do not meet (the client
 * takes TDX only, the server produces SNP only); prepared, not started. */
static inline sp_pair *sp_pair_disjoint_evidence(void)
{
    static const uint16_t tdx[] = {ATEA_EVIDENCE_TDX};
    static const uint16_t snp[] = {ATEA_EVIDENCE_SNP};
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->client.opts.evidence_types = tdx;
    p->client.opts.n_evidence_types = 1;
    p->server.opts.evidence_types = snp;
    p->server.opts.n_evidence_types = 1;
    return p;
}

/* A started, attested pair whose client output queue holds one AUTHENTICATOR frame at most. */
static inline sp_pair *sp_pair_small_output(void)
{
    sp_pair *p = sp_pair_prepare(ATEA_SESSION_RELYING_PARTY, ATEA_SESSION_ATTESTER);
    p->client.opts.max_output = ATEA_FRAME_HEADER_LEN + ATEA_FRAME_MAX_AUTHENTICATOR;
    sp_pair_start(p);
    sp_pump(p);
    return p;
}

#endif
