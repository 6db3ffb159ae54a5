/* The session's output queue, its event queue, and the one failure path (sticky first error,
 * the frame that tells the peer, the REFUSED and CLOSED events). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "session_internal.h"

void atea__session_text(char out[ATEA_FRAME_MAX_TEXT + 1], const char *text)
{
    size_t n = 0;
    if (text != NULL) {
        for (; text[n] != '\0' && n < ATEA_FRAME_MAX_TEXT; n++) {
            unsigned char c = (unsigned char)text[n];
            /* frame text may not carry control characters (they could forge log lines) */
            out[n] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        }
    }
    out[n] = '\0';
}

atea_err atea__session_queue_frame(atea_session *s, unsigned type, const uint8_t *body, size_t len)
{
    atea_err err = ATEA_OK;
    uint8_t *dst = NULL;
    size_t written = 0;
    size_t queued = atea_wr_len(&s->out) - s->out_off;
    size_t frame_len = ATEA_FRAME_HEADER_LEN + len;
    ATEA_ENSURE_MSG(queued + frame_len <= s->opts.max_output, ATEA_ERR_SESSION_QUEUE_FULL,
                    "%s frame of %zu bytes does not fit: %zu bytes queued, cap %zu",
                    atea_frame_type_name(type), len, queued, s->opts.max_output);
    /* Drop what was drained only when the frame would not fit the memory we have (and before
     * growing it, so that the queue never takes more than max_output): moving the undrained
     * bytes on every frame would copy them again and again. */
    if (s->out_off > 0 && atea_wr_len(&s->out) + frame_len > s->out.cap) {
        memmove(s->out.data, s->out.data + s->out_off, queued);
        s->out.len = queued;
        s->out_off = 0;
    }
    ATEA_TRY(atea_wr_reserve(&s->out, frame_len, &dst));
    err = atea_frame_encode(type, body, len, dst, frame_len, &written);
    if (err != ATEA_OK) {
        s->out.len -= frame_len; /* leave the queue as it was */
        goto out;
    }
out:
    return err;
}

atea_err atea__session_queue_hello(atea_session *s)
{
    atea_err err = ATEA_OK;
    atea_hello h;
    uint8_t body[ATEA_FRAME_MAX_HELLO];
    size_t n = 0;
    memset(&h, 0, sizeof(h));
    h.version = ATEA_FRAME_VERSION;
    h.roles = (uint8_t)s->opts.role;
    h.cmw_formats = s->opts.cmw_formats;
    h.n_evidence_types = s->opts.n_evidence_types;
    memcpy(h.evidence_types, s->evidence_types, sizeof(uint16_t) * s->opts.n_evidence_types);
    memcpy(h.label, s->label, sizeof(h.label));
    h.layout = (uint8_t)s->profile.layout;
    h.cmw_ext = s->opts.cmw_ext;
    ATEA_TRY(atea_hello_encode(&h, body, sizeof(body), &n));
    ATEA_TRY(atea__session_queue_frame(s, ATEA_FRAME_HELLO, body, n));
out:
    return err;
}

atea_err atea__session_queue_result(atea_session *s, uint16_t reason, const uint8_t *ctx,
                                    size_t ctx_len, const char *text)
{
    atea_err err = ATEA_OK;
    atea_result r;
    uint8_t body[ATEA_FRAME_MAX_RESULT];
    size_t n = 0;
    memset(&r, 0, sizeof(r));
    ATEA_ENSURE(ctx_len <= sizeof(r.context), ATEA_ERR_INTERNAL);
    r.verdict = reason == ATEA_REASON_NONE ? ATEA_VERDICT_ATTESTED : ATEA_VERDICT_REFUSED;
    r.reason = reason;
    memcpy(r.context, ctx, ctx_len);
    r.context_len = ctx_len;
    atea__session_text(r.text, text);
    r.text_len = strlen(r.text);
    ATEA_TRY(atea_result_encode(&r, body, sizeof(body), &n));
    ATEA_TRY(atea__session_queue_frame(s, ATEA_FRAME_RESULT, body, n));
out:
    return err;
}

atea_err atea__session_queue_error(atea_session *s, uint16_t reason, const char *text)
{
    atea_err err = ATEA_OK;
    atea_error_body e;
    uint8_t body[ATEA_FRAME_MAX_ERROR];
    size_t n = 0;
    memset(&e, 0, sizeof(e));
    e.reason = reason;
    atea__session_text(e.text, text);
    e.text_len = strlen(e.text);
    ATEA_TRY(atea_error_encode(&e, body, sizeof(body), &n));
    ATEA_TRY(atea__session_queue_frame(s, ATEA_FRAME_ERROR, body, n));
out:
    return err;
}

static void append_event(atea_session *s, session_event_node *node)
{
    if (s->ev_tail != NULL) {
        s->ev_tail->next = node;
    } else {
        s->ev_head = node;
    }
    s->ev_tail = node;
}

atea_err atea__session_event(atea_session *s, atea_session_event_type type,
                             atea_appraisal **appraisal, uint16_t reason, int by_peer,
                             atea_err code, const char *text)
{
    atea_err err = ATEA_OK;
    session_event_node *node = calloc(1, sizeof(*node));
    ATEA_ENSURE_ALLOC(node);
    node->ev.type = type;
    node->ev.reason = reason;
    node->ev.by_peer = by_peer;
    node->ev.err = code;
    atea__session_text(node->ev.text, text);
    if (appraisal != NULL) {
        node->appraisal = *appraisal;
        node->ev.appraisal = *appraisal;
        *appraisal = NULL;
    }
    append_event(s, node);
out:
    return err;
}

/* No more copies than the caller allows: the bytes stay where the caller put them
 * (atea_session_feed_borrow), or are copied once, beside the node. A copying node comes from the
 * spare that the last taken one left when it is large enough (a stream of full frames then
 * allocates nothing), else from one allocation. Only the fields a DATA event uses are set (the
 * text is empty). */
atea_err atea__session_data_event(atea_session *s, const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    size_t copy_len = s->body_borrowable ? 0 : len;
    session_event_node *node = NULL;
    if (copy_len > 0 && s->spare != NULL && s->spare->room >= copy_len) {
        node = s->spare;
        s->spare = NULL;
    } else {
        node = malloc(sizeof(*node) + copy_len);
        ATEA_ENSURE_ALLOC(node);
        node->room = copy_len;
    }
    node->next = NULL;
    node->appraisal = NULL;
    node->ev.type = ATEA_SESSION_EV_DATA;
    node->ev.appraisal = NULL;
    node->ev.data = data;
    node->ev.len = len;
    node->ev.reason = ATEA_REASON_NONE;
    node->ev.by_peer = 1;
    node->ev.err = ATEA_OK;
    node->ev.text[0] = '\0';
    if (copy_len > 0) {
        memcpy(node->copy, data, copy_len);
        node->ev.data = node->copy;
    }
    append_event(s, node);
    s->pending_data += len;
out:
    return err;
}

/* Application data is the application's: it is freed, not wiped (as TLS libraries do not wipe
 * what SSL_read returned). The appraisal is freed by its own code. */
static void node_free(session_event_node *node)
{
    if (node != NULL) {
        atea_appraisal_free(node->appraisal);
        free(node);
    }
}

/* A taken event: a DATA copy node larger than the spare becomes the spare (one node of at most
 * a full frame is kept), anything else is freed. */
static void retire(atea_session *s, session_event_node *node)
{
    if (node != NULL && node->room > 0 && (s->spare == NULL || node->room > s->spare->room)) {
        node_free(s->spare);
        s->spare = node;
        return;
    }
    node_free(node);
}

void atea__session_events_free(atea_session *s)
{
    node_free(s->spare);
    s->spare = NULL;
    node_free(s->ev_current);
    s->ev_current = NULL;
    while (s->ev_head != NULL) {
        session_event_node *next = s->ev_head->next;
        node_free(s->ev_head);
        s->ev_head = next;
    }
    s->ev_tail = NULL;
}

int atea_session_next_event(atea_session *s, atea_session_event *ev)
{
    if (s == NULL || ev == NULL) {
        return 0;
    }
    retire(s, s->ev_current);
    s->ev_current = s->ev_head;
    if (s->ev_current == NULL) {
        return 0;
    }
    s->ev_head = s->ev_current->next;
    if (s->ev_head == NULL) {
        s->ev_tail = NULL;
    }
    if (s->ev_current->ev.type == ATEA_SESSION_EV_DATA) {
        s->pending_data -= s->ev_current->ev.len;
    }
    *ev = s->ev_current->ev;
    return 1;
}

size_t atea_session_pending_data(const atea_session *s)
{
    return s != NULL ? s->pending_data : 0;
}

/* For the steps of the failure path that may not replace the first error. */
static void best_effort(atea_err ignored)
{
    (void)ignored;
}

atea_err atea__session_fail(atea_session *s, atea_err err, int peer_decided, int refused,
                            uint16_t peer_reason, const char *peer_text)
{
    if (s->err != ATEA_OK) {
        return s->err;
    }
    const atea_err_info *info = atea_err_last();
    const char *detail =
        info->code == err && info->detail[0] != '\0' ? info->detail : atea_strerror(err);
    s->err = err;
    snprintf(s->err_detail, sizeof(s->err_detail), "%s", detail);
    s->phase = PHASE_CLOSED;
    uint16_t reason = peer_decided ? peer_reason : atea_reason_from_err(err);
    const char *text = peer_decided ? peer_text : s->err_detail;
    atea_logf(&s->opts.log, ATEA_LOG_ERROR, "atea session failed: %s (%s, reason %s)%s",
              s->err_detail, atea_err_name(err), atea_reason_name(reason),
              peer_decided ? " [decided by the peer]" : "");
    /* Telling the peer and queueing the events are best effort: the first error stays. */
    if (!peer_decided && !s->result_sent) {
        best_effort(atea__session_queue_error(s, reason, s->err_detail));
    }
    if (refused) {
        best_effort(
            atea__session_event(s, ATEA_SESSION_EV_REFUSED, NULL, reason, peer_decided, err, text));
    }
    best_effort(
        atea__session_event(s, ATEA_SESSION_EV_CLOSED, NULL, reason, peer_decided, err, text));
    return err;
}

int atea__session_exchange_pending(const atea_session *s)
{
    return s->phase == PHASE_WAIT_HELLO || s->verify == VERIFY_WAIT || s->attest == ATTEST_WAIT ||
           (s->verify != VERIFY_OFF && !s->peer_attested) ||
           (s->attest != ATTEST_OFF && !s->self_accepted);
}

int atea__session_data_ready(const atea_session *s)
{
    if (s->phase != PHASE_OPEN) {
        return 0;
    }
    /* A peer that verifies us refuses DATA until it has accepted our attestation (its policy
     * is its own), so wait for its RESULT whatever our policy. attest is OFF when the peer does
     * not verify or we cannot attest to it (the peer then goes on without, or fails). */
    int self_ok = s->attest == ATTEST_OFF || s->self_accepted;
    int peer_ok =
        s->verify == VERIFY_OFF || s->peer_attested || s->opts.policy == ATEA_SESSION_OPTIONAL;
    return self_ok && peer_ok;
}

atea_err atea__session_check_ready(atea_session *s)
{
    atea_err err = ATEA_OK;
    if (!s->ready_sent && atea__session_data_ready(s)) {
        s->ready_sent = 1;
        ATEA_TRY(atea__session_event(s, ATEA_SESSION_EV_READY, NULL, 0, 0, ATEA_OK, NULL));
    }
out:
    return err;
}
