/*
 * atea_conn: an attested session over TLS 1.3 on TCP with OpenSSL (the transport layer).
 *
 * It moves bytes between a connected `SSL *` and the I/O-free session core (atea/session.h):
 * what SSL_read returns is fed to the session, what the session queues is written with
 * SSL_write, and the session's timers run on CLOCK_MONOTONIC. Two ways to drive it:
 *   - blocking: atea_conn_attest() waits until attestation succeeds or fails, then
 *     atea_conn_read()/atea_conn_write() carry application bytes;
 *   - non-blocking, from the caller's event loop: atea_conn_step() whenever the socket is ready
 *     or atea_conn_expiry() passes, then atea_conn_next_event().
 * The socket is made non-blocking either way.
 */
#ifndef ATEA_CONN_H
#define ATEA_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "atea/error.h"
#include "atea/session.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_ALPN "atea/1"

/* Called for every frame this side sends (sent = 1) or receives (sent = 0): `--msg`. */
typedef void (*atea_conn_msg_fn)(void *user, int sent, const uint8_t *frame, size_t len);

/* Called for every session event the blocking calls (attest, read) process, before they act on
 * it: ATTESTED/REATTESTED carry the peer's appraisal, valid only during the call. */
typedef void (*atea_conn_event_fn)(void *user, const atea_session_event *ev);

#define ATEA_CONN_OPTS_V1 1u
#define ATEA_CONN_OPTS_VERSION ATEA_CONN_OPTS_V1

typedef struct atea_conn_opts {
    unsigned version;          /* ATEA_CONN_OPTS_VERSION */
    atea_session_opts session; /* copied by atea_conn_new, as the session copies it */
    /* 1 (default): the peer must have negotiated ALPN "atea/1" (atea_conn_ctx_set_alpn). */
    int require_alpn;
    /* Limit for each blocking call (handshake, attestation, one read), in ms. */
    int io_timeout_ms;
    atea_conn_msg_fn on_msg;
    void *msg_user;
    atea_conn_event_fn on_event;
    void *event_user;
    atea_log log;
} atea_conn_opts;

void atea_conn_opts_default_versioned(unsigned version, atea_conn_opts *opts);
#define atea_conn_opts_default(opts)                                                               \
    atea_conn_opts_default_versioned(ATEA_CONN_OPTS_VERSION, (opts))

/* Offer (client) or select (server) ALPN "atea/1" on ctx. */
atea_err atea_conn_ctx_set_alpn(SSL_CTX *ctx, int is_server) ATEA_MUST_USE;

typedef struct atea_conn atea_conn;

/* Wrap ssl, whose fd is set and which may or may not have completed its handshake (the first
 * step completes it). The conn takes ownership of ssl (SSL_free on atea_conn_free). */
atea_err atea_conn_new(SSL *ssl, const atea_conn_opts *opts, atea_conn **pconn) ATEA_MUST_USE;
void atea_conn_free(atea_conn *c);

/* Do all the work possible without blocking. Returns ATEA_ERR_WANT_READ / ATEA_ERR_WANT_WRITE
 * when the socket must become readable / writable first; ATEA_OK when there is more to do at once
 * (take the events, then step again: the input buffer is full, the session waits for its events
 * to be taken, or the peer has closed); or the session's sticky error. */
atea_err atea_conn_step(atea_conn *c) ATEA_MUST_USE;

/* Next session event (atea_session_next_event), after atea_conn_step. A DATA event's bytes are
 * borrowed from the connection's input buffer: they stay valid until the first atea_conn_step (or
 * blocking call) after it was taken, which may overwrite them. Events not yet taken stay valid
 * across steps: the buffer is not reused under them. Call atea_conn_step again, without waiting
 * for the socket, whenever it returned ATEA_OK. */
int atea_conn_next_event(atea_conn *c, atea_session_event *ev);

/* Absolute CLOCK_MONOTONIC deadline in ms (UINT64_MAX: none). */
uint64_t atea_conn_expiry(const atea_conn *c);

/* Blocking: run until this side may exchange application data (every attestation the options ask
 * for succeeded). Fails with the reason if one was refused, and with ATEA_ERR_NET_TIMEOUT when
 * the peer does not answer within io_timeout_ms. */
atea_err atea_conn_attest(atea_conn *c) ATEA_MUST_USE;

/* Blocking read of application bytes: *n = 0 means the peer closed cleanly. Re-attestations and
 * their results are processed while waiting. */
atea_err atea_conn_read(atea_conn *c, uint8_t *buf, size_t cap, size_t *n) ATEA_MUST_USE;

/* Application bytes that a blocking call (atea_conn_attest) received and buffered: returns their
 * count and points *data at them (valid until the next call on c); they count as read. Callers
 * that switch to atea_conn_step/next_event after atea_conn_attest take these first. */
size_t atea_conn_take_buffered(atea_conn *c, const uint8_t **data);

/* Queue application bytes in DATA frames and send them (waiting for the socket, at most
 * io_timeout_ms). Events are left for the caller. */
atea_err atea_conn_write(atea_conn *c, const uint8_t *data, size_t len) ATEA_MUST_USE;

/* Start a re-attestation now (either side; see atea_session_reattest). */
atea_err atea_conn_reattest(atea_conn *c) ATEA_MUST_USE;

/* Close the session (ERROR-free goodbye), flush, and send TLS close_notify. */
atea_err atea_conn_close(atea_conn *c) ATEA_MUST_USE;

int atea_conn_fd(const atea_conn *c);
atea_session *atea_conn_session(atea_conn *c);
SSL *atea_conn_ssl(atea_conn *c);

#ifdef __cplusplus
}
#endif
#endif
