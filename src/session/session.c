/* atea_session: creation, the feed/drain/event/timer entry points (include/atea/session.h).
 * Frame handling is in the state x frame table (table.c) and one recv_*.c per frame type. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/check.h"
#include "session_internal.h"

void atea_session_opts_default_versioned(unsigned version, atea_session_opts *opts)
{
    if (opts == NULL) {
        return;
    }
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    opts->role = ATEA_SESSION_RELYING_PARTY;
    opts->policy = ATEA_SESSION_REQUIRE;
    opts->require_binding_claim = 1;
    opts->exporter_label = ATEA_DEFAULT_BINDER_LABEL;
    opts->layout = ATEA_BINDER_LAYOUT_CONCAT;
    opts->cmw_ext = ATEA_DEFAULT_CMW_EXT;
    opts->cmw_formats = ATEA_CMW_FORMAT_CBOR | ATEA_CMW_FORMAT_JSON;
    opts->hello_timeout_ms = ATEA_DEFAULT_SESSION_HELLO_TIMEOUT_MS;
    opts->attest_timeout_ms = ATEA_DEFAULT_SESSION_ATTEST_TIMEOUT_MS;
    opts->reattest_interval_ms = ATEA_DEFAULT_SESSION_REATTEST_INTERVAL_MS;
    opts->max_output = ATEA_DEFAULT_SESSION_MAX_OUTPUT;
    opts->max_pending_data = ATEA_DEFAULT_SESSION_MAX_PENDING_DATA;
}

static atea_err check_opts(const atea_session_opts *o)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(o->version == ATEA_SESSION_OPTS_V1, ATEA_ERR_SESSION_OPTS_VERSION,
                    "options version %u, this library knows %u", o->version,
                    ATEA_SESSION_OPTS_VERSION);
    ATEA_ENSURE_MSG(o->role >= 1 && o->role <= ATEA_SESSION_MUTUAL, ATEA_ERR_SESSION_ROLE,
                    "role %u", o->role);
    ATEA_ENSURE_MSG(!(o->role & ATEA_ROLE_ATTEST) || (o->attester != NULL && o->chain != NULL &&
                                                      o->n_chain >= 1 && o->key != NULL),
                    ATEA_ERR_SESSION_NO_ATTESTER,
                    "the attester role needs an attester, a certificate chain and its key");
    ATEA_ENSURE_MSG(o->n_chain <= ATEA_DEFAULT_EA_MAX_CERTS, ATEA_ERR_INVALID_ARG,
                    "%zu certificates, at most %u", o->n_chain, ATEA_DEFAULT_EA_MAX_CERTS);
    ATEA_ENSURE_MSG(!(o->role & ATEA_ROLE_VERIFY) || o->appraise != NULL,
                    ATEA_ERR_SESSION_NO_APPRAISER,
                    "the relying-party role needs an appraise "
                    "callback");
    ATEA_ENSURE_MSG(o->cmw_formats != 0 && (o->cmw_formats & ~ATEA_CMW_FORMAT_MASK) == 0,
                    ATEA_ERR_INVALID_ARG, "cmw_formats 0x%02x", o->cmw_formats);
    ATEA_ENSURE_MSG(o->n_evidence_types <= ATEA_FRAME_MAX_EVIDENCE_TYPES &&
                        (o->evidence_types != NULL || o->n_evidence_types == 0),
                    ATEA_ERR_INVALID_ARG, "%zu evidence types, at most %d", o->n_evidence_types,
                    ATEA_FRAME_MAX_EVIDENCE_TYPES);
    ATEA_ENSURE_MSG(
        o->max_output >= ATEA_FRAME_HEADER_LEN + ATEA_FRAME_MAX_AUTHENTICATOR &&
            o->max_pending_data > 0 && o->attest_timeout_ms > 0 && o->hello_timeout_ms > 0,
        ATEA_ERR_INVALID_ARG, "max_output below one authenticator frame, or a zero cap or timeout");
out:
    return err;
}

/* Copy what the options borrow: label, evidence types, chain; reference key and store. */
static atea_err copy_opts(atea_session *s, const atea_session_opts *o)
{
    atea_err err = ATEA_OK;
    atea_slice spki;
    s->opts = *o;
    /* Until copied or referenced below, the caller's objects are not ours to free. */
    s->opts.key = NULL;
    s->opts.trust = NULL;
    s->opts.chain = NULL;
    s->opts.n_chain = 0;
    ATEA_ENSURE_MSG(o->exporter_label != NULL && strlen(o->exporter_label) <= ATEA_BINDER_LABEL_MAX,
                    ATEA_ERR_BINDER_PROFILE, "the exporter label is missing or too long");
    strcpy(s->label, o->exporter_label);
    s->profile.label = s->label;
    s->profile.layout = o->layout;
    ATEA_TRY(atea_binder_profile_check(&s->profile));
    s->opts.exporter_label = s->label;
    if (o->n_evidence_types > 0) {
        memcpy(s->evidence_types, o->evidence_types, sizeof(uint16_t) * o->n_evidence_types);
    }
    s->opts.evidence_types = s->evidence_types;
    if (o->role & ATEA_ROLE_ATTEST) {
        ATEA_TRY(atea_cert_spki(o->chain[0].data, o->chain[0].len, &spki));
        s->chain = calloc(o->n_chain, sizeof(*s->chain));
        s->chain_in = calloc(o->n_chain, sizeof(*s->chain_in));
        ATEA_ENSURE(s->chain != NULL && s->chain_in != NULL, ATEA_ERR_NO_MEMORY);
        s->opts.n_chain = o->n_chain;
        for (size_t i = 0; i < o->n_chain; i++) {
            ATEA_TRY(atea_buf_set(&s->chain[i], o->chain[i].data, o->chain[i].len));
            s->chain_in[i].der.data = s->chain[i].data;
            s->chain_in[i].der.len = s->chain[i].len;
        }
        ATEA_ENSURE(EVP_PKEY_up_ref(o->key) == 1, ATEA_ERR_INTERNAL);
        s->opts.key = o->key;
    } else {
        s->opts.attester = NULL;
    }
    if (o->trust != NULL) {
        ATEA_ENSURE(X509_STORE_up_ref(o->trust) == 1, ATEA_ERR_INTERNAL);
        s->opts.trust = o->trust;
    }
out:
    return err;
}

atea_err atea_session_new(const atea_tls *tls, const atea_session_opts *opts, uint64_t now,
                          atea_session **psession)
{
    atea_err err = ATEA_OK;
    atea_session *s = NULL;
    atea_ea_opts ea_opts;
    ATEA_ENSURE(tls != NULL && opts != NULL && psession != NULL, ATEA_ERR_INVALID_ARG);
    *psession = NULL;
    ATEA_TRY(check_opts(opts));
    ATEA_TRY(atea_tls_require_13(tls));
    s = calloc(1, sizeof(*s));
    ATEA_ENSURE_ALLOC(s);
    ATEA_TRY(copy_opts(s, opts));
    s->tls = tls;
    s->now = now;
    atea_ea_opts_default(&ea_opts);
    ea_opts.cmw_ext_type = opts->cmw_ext;
    ea_opts.max_message = ATEA_FRAME_MAX_AUTHENTICATOR;
    ea_opts.rng = opts->rng;
    ea_opts.rng_user = opts->rng_user;
    ea_opts.log = opts->log;
    ATEA_TRY(atea_ea_new(tls, &ea_opts, &s->ea));
    ATEA_TRY(atea_wr_init_growable(&s->contexts, 0, 32 * ATEA_SESSION_MAX_CONTEXTS));
    ATEA_TRY(
        atea_wr_init_growable(&s->in, 0, ATEA_FRAME_HEADER_LEN + ATEA_FRAME_MAX_AUTHENTICATOR));
    ATEA_TRY(atea_wr_init_growable(&s->out, 0, opts->max_output));
    s->phase = PHASE_WAIT_HELLO;
    s->hello_deadline = now + opts->hello_timeout_ms;
    s->verify_deadline = SESSION_NO_TIMER;
    s->attest_deadline = SESSION_NO_TIMER;
    s->reattest_at = SESSION_NO_TIMER;
    ATEA_TRY(atea__session_queue_hello(s));
    if (opts->role & ATEA_ROLE_VERIFY) {
        /* Pipelined (docs/PROTOCOL.md §5 "One exchange"): the first REQUEST leaves with our
         * HELLO instead of after the peer's, which saves a round trip. The peer reads frames in
         * order, so it checks our HELLO before it looks at the REQUEST. A request is not an
         * authenticator: it needs no exporter output, only the complete handshake that
         * atea_ea_request checks (RFC 9261 §9 constrains authenticators). */
        s->verify = VERIFY_IDLE;
        ATEA_TRY(atea__session_send_request(s));
    }
    *psession = s;
    s = NULL;
out:
    atea_session_free(s);
    return err;
}

void atea_session_free(atea_session *s)
{
    if (s == NULL) {
        return;
    }
    atea_ea_free(s->ea);
    EVP_PKEY_free(s->opts.key);
    X509_STORE_free(s->opts.trust);
    for (size_t i = 0; s->chain != NULL && i < s->opts.n_chain; i++) {
        atea_buf_free(&s->chain[i]);
    }
    free(s->chain);
    free(s->chain_in);
    atea_buf_free(&s->request);
    atea_wr_dispose(&s->contexts);
    atea_wr_dispose(&s->in);
    atea_wr_dispose(&s->out);
    atea__session_events_free(s);
    atea_wipe(s, sizeof(*s));
    free(s);
}

/* The call is refused once the session is over: its sticky error, or SESSION_CLOSED after an
 * orderly close. */
static atea_err check_open(const atea_session *s)
{
    atea_err err = ATEA_OK;
    if (s->err != ATEA_OK) {
        err = s->err;
        goto out;
    }
    ATEA_ENSURE(s->phase != PHASE_CLOSED, ATEA_ERR_SESSION_CLOSED);
out:
    return err;
}

/* Hand one complete frame to its handler in the state x frame table. */
static atea_err dispatch(atea_session *s, const atea_frame *f, int borrowable)
{
    atea_err err = ATEA_OK;
    session_handler handler = atea__session_handler(s->phase, f->type);
    ATEA_ENSURE_MSG(handler != NULL, ATEA_ERR_FRAME_UNEXPECTED, "%s frame %s",
                    atea_frame_type_name(f->type),
                    s->phase == PHASE_WAIT_HELLO ? "before the peer's HELLO"
                                                 : "after the HELLOs were exchanged");
    s->body_borrowable = borrowable;
    err = handler(s, f->body.data, f->body.len);
    s->body_borrowable = 0;
    ATEA_TRY(err);
out:
    return err;
}

/* Complete the frame that s->in holds from the input: take just the bytes it still needs,
 * and dispatch it once whole. *done = 1 when s->in is free again. */
static atea_err finish_buffered(atea_session *s, const uint8_t *in, size_t len, size_t *consumed,
                                int *done)
{
    atea_err err = ATEA_OK;
    atea_frame f;
    size_t used = 0;
    size_t need = 0;
    *done = 0;
    for (;;) {
        err = atea_frame_decode(s->in.data, s->in.len, &f, &used, &need);
        if (err != ATEA_ERR_WANT_READ || *consumed == len) {
            break;
        }
        size_t take = need - s->in.len < len - *consumed ? need - s->in.len : len - *consumed;
        ATEA_TRY(atea_wr_bytes(&s->in, in + *consumed, take));
        *consumed += take;
    }
    if (err == ATEA_ERR_WANT_READ) {
        err = ATEA_OK; /* all the input went into the frame; the rest is on its way */
        goto out;
    }
    ATEA_TRY(err);
    /* s->in is reused for the next partial frame, so a DATA event gets a copy of the body. */
    ATEA_TRY(dispatch(s, &f, 0));
    s->in.len = 0; /* received frames are not secrets: forgotten, not wiped */
    *done = 1;
out:
    return err;
}

/* Take the input one frame at a time. A frame that lies whole in the input is decoded where it
 * is (a DATA event may point into it, see atea_session_feed_borrow); only a frame cut by the end
 * of the input is buffered in s->in, which thus never holds more than one frame. Nothing is
 * taken while the application has more than max_pending_data bytes of DATA events to collect
 * (backpressure: *consumed < len). */
static atea_err process_input(atea_session *s, const uint8_t *in, size_t len, size_t *consumed,
                              int borrow)
{
    atea_err err = ATEA_OK;
    while (s->phase != PHASE_CLOSED && s->pending_data <= s->opts.max_pending_data) {
        atea_frame f;
        size_t used = 0;
        size_t need = 0;
        if (s->in.len > 0) {
            int done = 0;
            ATEA_TRY(finish_buffered(s, in, len, consumed, &done));
            if (!done) {
                break;
            }
            continue;
        }
        if (*consumed == len) {
            break;
        }
        err = atea_frame_decode(in + *consumed, len - *consumed, &f, &used, &need);
        if (err == ATEA_ERR_WANT_READ) {
            /* the frame continues in the next feed: keep its beginning */
            err = ATEA_OK;
            ATEA_TRY(atea_wr_bytes(&s->in, in + *consumed, len - *consumed));
            *consumed = len;
            break;
        }
        ATEA_TRY(err);
        *consumed += used;
        ATEA_TRY(dispatch(s, &f, borrow));
    }
out:
    return err;
}

static atea_err feed(atea_session *s, const uint8_t *in, size_t len, size_t *consumed, uint64_t now,
                     int borrow)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(s != NULL && (in != NULL || len == 0) && consumed != NULL, ATEA_ERR_INVALID_ARG);
    *consumed = 0;
    ATEA_TRY(check_open(s));
    s->now = now;
    err = process_input(s, in, len, consumed, borrow);
    if (err != ATEA_OK) {
        err = atea__session_fail(s, err, 0, 0, 0, NULL);
    }
out:
    return err;
}

atea_err atea_session_feed(atea_session *s, const uint8_t *in, size_t len, size_t *consumed,
                           uint64_t now)
{
    return feed(s, in, len, consumed, now, 0);
}

atea_err atea_session_feed_borrow(atea_session *s, const uint8_t *in, size_t len, size_t *consumed,
                                  uint64_t now)
{
    return feed(s, in, len, consumed, now, 1);
}

atea_err atea_session_peer_closed(atea_session *s, uint64_t now)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(s != NULL, ATEA_ERR_INVALID_ARG);
    if (s->phase == PHASE_CLOSED && s->err == ATEA_OK) {
        goto out; /* EOF after an orderly close is the normal end */
    }
    ATEA_TRY(check_open(s));
    s->now = now;
    ATEA_ENSURE_MSG(s->in.len == 0, ATEA_ERR_FRAME_TRUNCATED,
                    "the connection ended %zu bytes into a frame", s->in.len);
    ATEA_ENSURE_MSG(!atea__session_exchange_pending(s), ATEA_ERR_SESSION_PEER_CLOSED,
                    "the connection ended %s",
                    s->phase == PHASE_WAIT_HELLO ? "before the peer's HELLO"
                                                 : "before the attestation exchange finished");
    s->phase = PHASE_CLOSED;
    ATEA_TRY(atea__session_event(s, ATEA_SESSION_EV_CLOSED, NULL, ATEA_REASON_NONE, 1, ATEA_OK,
                                 "the peer closed the connection"));
out:
    if (err != ATEA_OK && s != NULL && err != s->err && err != ATEA_ERR_SESSION_CLOSED) {
        err = atea__session_fail(s, err, 1, 0, atea_reason_from_err(err), NULL);
    }
    return err;
}

size_t atea_session_pending_output(const atea_session *s)
{
    return s != NULL ? atea_wr_len(&s->out) - s->out_off : 0;
}

const uint8_t *atea_session_peek_output(const atea_session *s, size_t *len)
{
    size_t n = atea_session_pending_output(s);
    if (len != NULL) {
        *len = n;
    }
    return n > 0 ? atea_wr_data(&s->out) + s->out_off : NULL;
}

void atea_session_drain_ack(atea_session *s, size_t n)
{
    size_t pending = atea_session_pending_output(s);
    if (s == NULL) {
        return;
    }
    s->out_off += n < pending ? n : pending;
    if (s->out_off == atea_wr_len(&s->out)) {
        /* All sent: reuse the memory without wiping it. The queue holds frames on their way to
         * the peer (TLS encrypts them), none of them a secret of atea's, and wiping every
         * application byte once more cost as much as copying it. */
        s->out.len = 0;
        s->out_off = 0;
    }
}

atea_err atea_session_drain(atea_session *s, uint8_t *out, size_t cap, size_t *n)
{
    atea_err err = ATEA_OK;
    size_t pending = 0;
    ATEA_ENSURE(s != NULL && (out != NULL || cap == 0) && n != NULL, ATEA_ERR_INVALID_ARG);
    const uint8_t *p = atea_session_peek_output(s, &pending);
    *n = pending < cap ? pending : cap;
    if (*n > 0) {
        memcpy(out, p, *n);
    }
    atea_session_drain_ack(s, *n);
out:
    return err;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint64_t atea_session_expiry(const atea_session *s)
{
    uint64_t t = SESSION_NO_TIMER;
    if (s == NULL || s->phase == PHASE_CLOSED) {
        return t;
    }
    if (s->phase == PHASE_WAIT_HELLO) {
        t = min_u64(t, s->hello_deadline);
    }
    if (s->verify == VERIFY_WAIT) {
        t = min_u64(t, s->verify_deadline);
    }
    if (s->verify == VERIFY_IDLE) {
        t = min_u64(t, s->reattest_at);
    }
    if (s->attest != ATTEST_OFF) {
        t = min_u64(t, s->attest_deadline);
    }
    return t;
}

static atea_err run_timers(atea_session *s, uint64_t now)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(s->phase != PHASE_WAIT_HELLO || now < s->hello_deadline,
                    ATEA_ERR_SESSION_TIMEOUT, "no HELLO from the peer within %llu ms",
                    (unsigned long long)s->opts.hello_timeout_ms);
    ATEA_ENSURE_MSG(s->verify != VERIFY_WAIT || now < s->verify_deadline, ATEA_ERR_SESSION_TIMEOUT,
                    "no AUTHENTICATOR for our REQUEST within %llu ms",
                    (unsigned long long)s->opts.attest_timeout_ms);
    ATEA_ENSURE_MSG(s->attest == ATTEST_OFF || now < s->attest_deadline, ATEA_ERR_SESSION_TIMEOUT,
                    "no %s from the peer within %llu ms",
                    s->attest == ATTEST_WAIT ? "RESULT for our AUTHENTICATOR" : "REQUEST",
                    (unsigned long long)s->opts.attest_timeout_ms);
    if (s->verify == VERIFY_IDLE && now >= s->reattest_at) {
        atea_logf(&s->opts.log, ATEA_LOG_INFO, "atea session: periodic re-attestation");
        ATEA_TRY(atea__session_send_request(s));
    }
out:
    return err;
}

atea_err atea_session_on_timeout(atea_session *s, uint64_t now)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(s != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(check_open(s));
    s->now = now;
    err = run_timers(s, now);
    if (err != ATEA_OK) {
        err = atea__session_fail(s, err, 0, 0, 0, NULL);
    }
out:
    return err;
}

int atea_session_can_write(const atea_session *s)
{
    return s != NULL && s->err == ATEA_OK && atea__session_data_ready(s);
}

atea_err atea_session_write(atea_session *s, const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(s != NULL && (data != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_TRY(check_open(s));
    ATEA_ENSURE_MSG(atea__session_data_ready(s), ATEA_ERR_SESSION_NOT_ATTESTED, "%s",
                    !s->peer_attested && s->verify != VERIFY_OFF
                        ? "the peer has not attested yet"
                        : "the peer has not accepted our attestation yet");
    size_t frames = (len + ATEA_FRAME_MAX_DATA - 1) / ATEA_FRAME_MAX_DATA;
    size_t queued = atea_session_pending_output(s);
    /* All or nothing: check the room for every frame before queueing the first. */
    ATEA_ENSURE_MSG(len <= s->opts.max_output &&
                        queued + len + frames * ATEA_FRAME_HEADER_LEN <= s->opts.max_output,
                    ATEA_ERR_WANT_WRITE, "%zu bytes queued; %zu more do not fit in %zu", queued,
                    len, s->opts.max_output);
    for (size_t off = 0; off < len; off += ATEA_FRAME_MAX_DATA) {
        size_t n = len - off < ATEA_FRAME_MAX_DATA ? len - off : ATEA_FRAME_MAX_DATA;
        ATEA_TRY(atea__session_queue_frame(s, ATEA_FRAME_DATA, data + off, n));
    }
out:
    return err;
}

atea_err atea_session_reattest(atea_session *s, uint64_t now)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(s != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(check_open(s));
    s->now = now;
    ATEA_ENSURE_MSG(s->opts.role & ATEA_ROLE_VERIFY, ATEA_ERR_SESSION_NOT_VERIFIER,
                    "this side (roles 0x%02x) does not verify its peer", s->opts.role);
    ATEA_ENSURE_MSG(s->verify == VERIFY_IDLE && s->peer_attested, ATEA_ERR_SESSION_BUSY, "%s",
                    s->verify == VERIFY_WAIT ? "a request is outstanding"
                                             : "the peer has not attested yet");
    err = atea__session_send_request(s);
    if (err != ATEA_OK) {
        err = atea__session_fail(s, err, 0, 0, 0, NULL);
    }
out:
    return err;
}

atea_err atea_session_close(atea_session *s)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(s != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(check_open(s));
    ATEA_TRY(atea__session_queue_error(s, ATEA_REASON_NONE, "closing"));
    s->phase = PHASE_CLOSED;
    ATEA_TRY(atea__session_event(s, ATEA_SESSION_EV_CLOSED, NULL, ATEA_REASON_NONE, 0, ATEA_OK,
                                 "closed"));
out:
    return err;
}

atea_err atea_session_last_error(const atea_session *s)
{
    return s != NULL ? s->err : ATEA_ERR_INVALID_ARG;
}

const char *atea_session_last_error_detail(const atea_session *s)
{
    return s != NULL ? s->err_detail : "";
}

int atea_session_peer_attested(const atea_session *s)
{
    return s != NULL && s->peer_attested;
}

int atea_session_self_accepted(const atea_session *s)
{
    return s != NULL && s->self_accepted;
}

int atea_session_is_closed(const atea_session *s)
{
    return s == NULL || s->phase == PHASE_CLOSED;
}

const char *atea_session_event_name(atea_session_event_type type)
{
    switch (type) {
    case ATEA_SESSION_EV_ATTESTED:
        return "ATTESTED";
    case ATEA_SESSION_EV_REATTESTED:
        return "REATTESTED";
    case ATEA_SESSION_EV_ACCEPTED:
        return "ACCEPTED";
    case ATEA_SESSION_EV_READY:
        return "READY";
    case ATEA_SESSION_EV_DATA:
        return "DATA";
    case ATEA_SESSION_EV_REFUSED:
        return "REFUSED";
    case ATEA_SESSION_EV_CLOSED:
        return "CLOSED";
    }
    return "UNKNOWN";
}
