/* Internal state of atea_session (include/atea/session.h), shared by session.c, the
 * state x frame table (table.c) and the one-file-per-frame handlers (recv_*.c, send_request.c). */
#ifndef ATEA_SESSION_INTERNAL_H
#define ATEA_SESSION_INTERNAL_H

#include <stdint.h>

#include "atea/ea.h"
#include "atea/session.h"
#include "core/wr.h"

#define SESSION_NO_TIMER UINT64_MAX

/* The session's phase: the row of the state x frame table. */
typedef enum session_phase {
    PHASE_WAIT_HELLO = 0, /* our HELLO sent, the peer's not yet received */
    PHASE_OPEN = 1,       /* HELLOs exchanged: requests, authenticators, results, data */
    PHASE_CLOSED = 2,     /* failed or closed: nothing more is processed */
    PHASE_COUNT = 3,
} session_phase;

/* This side verifying the peer. */
typedef enum verify_state {
    VERIFY_OFF = 0,  /* not a relying party, or the peer does not attest (policy optional) */
    VERIFY_IDLE = 1, /* no request outstanding */
    VERIFY_WAIT = 2, /* REQUEST sent, AUTHENTICATOR due */
} verify_state;

/* This side attesting to the peer. */
typedef enum attest_state {
    ATTEST_OFF = 0,  /* not an attester, or the peer does not verify */
    ATTEST_IDLE = 1, /* waiting for a REQUEST */
    ATTEST_WAIT = 2, /* AUTHENTICATOR sent, RESULT due */
} attest_state;

typedef struct session_event_node {
    struct session_event_node *next;
    atea_session_event ev;
    atea_appraisal *appraisal; /* owned (ATTESTED, REATTESTED) */
    size_t room;               /* bytes of copy[] */
    uint8_t copy[];            /* DATA fed by atea_session_feed: ev.data points here */
} session_event_node;

struct atea_session {
    atea_session_opts opts; /* copied; pointers below replace the borrowed ones */
    char label[ATEA_BINDER_LABEL_MAX + 1];
    atea_binder_profile profile;
    uint16_t evidence_types[ATEA_FRAME_MAX_EVIDENCE_TYPES];
    atea_buf *chain; /* owned DER copies */
    atea_ea_cert_in *chain_in;
    const atea_tls *tls;
    atea_ea *ea;

    session_phase phase;
    verify_state verify;
    attest_state attest;
    uint8_t peer_roles;
    int peer_attested;   /* the peer's evidence accepted at least once */
    int self_accepted;   /* the peer accepted ours at least once */
    int ready_sent;      /* READY event emitted */
    int result_sent;     /* the failure was already told to the peer by a RESULT */
    int void_request;    /* the peer verifies but we will not attest: its first REQUEST (sent
                          * with its HELLO) is dropped, not refused (recv_hello.c) */
    int body_borrowable; /* the frame being handled lies in the caller's input, which the
                          * caller keeps until it has taken the events (atea_session_feed_borrow):
                          * a DATA event may point into it */
    uint64_t now;

    /* The outstanding request this side sent (VERIFY_WAIT). */
    atea_buf request;
    uint8_t request_ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t request_ctx_len;
    /* The context of the authenticator this side sent (ATTEST_WAIT). */
    uint8_t answered_ctx[ATEA_EA_MAX_CONTEXT_LEN];
    size_t answered_ctx_len;

    uint64_t hello_deadline;
    uint64_t verify_deadline;
    uint64_t attest_deadline;
    uint64_t reattest_at;

    atea_wr contexts; /* SHA-256 of every context used, both directions (contexts.c) */
    atea_wr in;       /* a frame that began in an earlier feed (at most one, never complete) */
    atea_wr out;      /* frames to send */
    size_t out_off;   /* bytes of out already drained */
    size_t pending_data;

    session_event_node *ev_head;
    session_event_node *ev_tail;
    session_event_node *ev_current; /* the event last returned; freed on the next call */
    session_event_node *spare;      /* the largest DATA copy node taken, kept for the next */

    atea_err err;
    char err_detail[320];
};

/* A handler for one received frame type in one phase. */
typedef atea_err (*session_handler)(atea_session *s, const uint8_t *body, size_t len);

/* The state x frame table (table.c): the handler, or NULL for a frame not allowed there. */
session_handler atea__session_handler(session_phase phase, unsigned frame_type);

/* Frame handlers (one file each). */
atea_err atea__session_recv_hello(atea_session *s, const uint8_t *body, size_t len);
atea_err atea__session_recv_request(atea_session *s, const uint8_t *body, size_t len);
atea_err atea__session_recv_authenticator(atea_session *s, const uint8_t *body, size_t len);
atea_err atea__session_recv_result(atea_session *s, const uint8_t *body, size_t len);
atea_err atea__session_recv_error(atea_session *s, const uint8_t *body, size_t len);
atea_err atea__session_recv_data(atea_session *s, const uint8_t *body, size_t len);

/* Record a certificate_request_context as used; ATEA_ERR_SESSION_CONTEXT_REUSED if it was,
 * ATEA_ERR_SESSION_TOO_MANY_CONTEXTS past ATEA_SESSION_MAX_CONTEXTS (contexts.c). */
atea_err atea__session_context_use(atea_session *s, const uint8_t *ctx, size_t len) ATEA_MUST_USE;

/* Relying party: send a REQUEST with a fresh context (send_request.c). */
atea_err atea__session_send_request(atea_session *s);

/* Output and events (queue.c). */
atea_err atea__session_queue_frame(atea_session *s, unsigned type, const uint8_t *body,
                                   size_t len) ATEA_MUST_USE;
atea_err atea__session_queue_hello(atea_session *s) ATEA_MUST_USE;
atea_err atea__session_queue_result(atea_session *s, uint16_t reason, const uint8_t *ctx,
                                    size_t ctx_len, const char *text) ATEA_MUST_USE;
atea_err atea__session_queue_error(atea_session *s, uint16_t reason,
                                   const char *text) ATEA_MUST_USE;
/* Append an event other than DATA; the node takes `appraisal`. */
atea_err atea__session_event(atea_session *s, atea_session_event_type type,
                             atea_appraisal **appraisal, uint16_t reason, int by_peer, atea_err err,
                             const char *text) ATEA_MUST_USE;
/* Append a DATA event: pointing at data[0..len) when s->body_borrowable, else at a copy. */
atea_err atea__session_data_event(atea_session *s, const uint8_t *data, size_t len) ATEA_MUST_USE;
void atea__session_events_free(atea_session *s);

/* Enter PHASE_CLOSED with err as the sticky error (the first one wins): tell the peer with an
 * ERROR unless `peer_decided` or a RESULT already did, and queue REFUSED (if `refused`) and
 * CLOSED events. Returns the sticky error. */
atea_err atea__session_fail(atea_session *s, atea_err err, int peer_decided, int refused,
                            uint16_t peer_reason, const char *peer_text);

/* 1 while an attestation this session takes part in has not finished: before the peer's
 * HELLO, a request outstanding in either direction, or a required first attestation not yet
 * done. A close then is a close "in the middle of an attestation". */
int atea__session_exchange_pending(const atea_session *s);

/* 1 if both directions' attestations that this side waits for are done (or not needed). */
int atea__session_data_ready(const atea_session *s);
/* Emit READY once data may flow. */
atea_err atea__session_check_ready(atea_session *s) ATEA_MUST_USE;

/* Copy text into a frame-text buffer, replacing bytes a frame may not carry, truncated. */
void atea__session_text(char out[ATEA_FRAME_MAX_TEXT + 1], const char *text);

#endif
