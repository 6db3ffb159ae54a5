/*
 * Real TCP over 127.0.0.1 for transport tests: a listener on an ephemeral port, a client, a
 * bounded thread join, TLS contexts, and a "raw" TLS 1.3 endpoint that speaks the atea framing
 * by hand (uint8 type | uint24 length | body, profile.md §4) so that a test can play a hostile
 * or broken peer with exact bytes.
 *
 * Nothing here may hang a test: every socket and TLS call waits at most the timeout it is
 * given (poll), a thread join that runs out of time aborts the process with a message, and
 * lb_watchdog() arms alarm() as the last resort.
 *
 * This file uses only the core and the OpenSSL backend (what atea_testlib links). The attested
 * ends (atea_conn, sim attester, verifier) are in loopback_atea.h, header-only because they
 * use the transport layer, which atea_testlib does not link (as session_pair.h).
 */
#ifndef ATEA_TEST_LOOPBACK_H
#define ATEA_TEST_LOOPBACK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "atea/error.h"
#include "atea/types.h"
#include "test_certs.h"

/* Default bound of one blocking step (handshake, one frame) in the helpers. */
#define LB_TIMEOUT_MS 5000
/* Bound of a whole thread's work: a join that waits longer aborts the test process. */
#define LB_JOIN_TIMEOUT_MS 20000
/* A frame the raw endpoint accepts: header + the largest body atea defines. */
#define LB_MAX_FRAME (4u + 262144u)

/* Ignore SIGPIPE (writes to a closed peer fail with EPIPE instead) and arm alarm(seconds): a
 * test that still runs then is killed (SIGALRM), never left hanging. Call once per process. */
void lb_watchdog(unsigned seconds);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t lb_now_ms(void);

/* ------------------------------------------------------------------ TCP */

typedef struct lb_listener {
    int fd;
    unsigned port;
} lb_listener;

/* Listen on 127.0.0.1:0; the kernel picks the port. ATEA_ERR_NET_LISTEN. */
atea_err lb_listen(lb_listener *l) ATEA_MUST_USE;
/* Accept one connection within timeout_ms. ATEA_ERR_NET_TIMEOUT, ATEA_ERR_NET_IO. */
atea_err lb_accept(lb_listener *l, int timeout_ms, int *fd) ATEA_MUST_USE;
void lb_listener_close(lb_listener *l);
/* Connect to 127.0.0.1:port (blocking connect on loopback is immediate). ATEA_ERR_NET_CONNECT. */
atea_err lb_connect(unsigned port, int *fd) ATEA_MUST_USE;
/* A connected TCP pair over loopback: *client and *server are both open sockets. */
atea_err lb_tcp_pair(int *client, int *server) ATEA_MUST_USE;

/* ------------------------------------------------------------------ threads */

typedef struct lb_thread {
    pthread_t tid;
    int started;
} lb_thread;

/* Run fn(arg) in a new thread. Thread bodies must not call cmocka assertions (they longjmp):
 * they record results for the main thread to assert after lb_thread_join. */
void lb_thread_start(lb_thread *t, void *(*fn)(void *), void *arg);
/* Join, waiting at most timeout_ms; on timeout, print what hung and abort(). */
void lb_thread_join(lb_thread *t, int timeout_ms, const char *what);

/* ------------------------------------------------------------------ TLS contexts */

typedef struct lb_ctx_opts {
    /* Server: the TLS certificate (required). Client: unused (atea clients send none). */
    const atea_test_identity *id;
    /* atea_ossl_ctx_prepare(attested = 1): no tickets, no 0-RTT, TLS 1.3 minimum. 0: a plain
     * OpenSSL context (a hostile or non-atea peer), TLS 1.3 minimum unless tls12_only. */
    int attested;
    int tls12_only; /* TLS 1.2 exactly (a peer atea must refuse) */
    int no_alpn;    /* do not offer / select ALPN "atea/1" */
    /* Server, not attested: send this many NewSessionTickets and accept this much early data. */
    int tickets;
    uint32_t max_early_data;
} lb_ctx_opts;

/* A context for a raw endpoint (ALPN set here with OpenSSL directly). NULL on failure (the
 * OpenSSL error queue says why). */
SSL_CTX *lb_ctx_new(int is_server, const lb_ctx_opts *opts);

/* ------------------------------------------------------------------ raw endpoint */

typedef struct lb_raw {
    SSL *ssl;
    int fd;
    int eof;
    uint8_t *in; /* received, not yet returned as frames */
    size_t in_len;
    unsigned tickets; /* NewSessionTicket messages seen (client side) */
} lb_raw;

/* Take ownership of fd, set it non-blocking and complete the TLS handshake within timeout_ms.
 * ATEA_ERR_TLS_HANDSHAKE (detail: OpenSSL's reason), ATEA_ERR_NET_TIMEOUT. The raw endpoint is
 * usable (and must be closed) whatever the result. */
atea_err lb_raw_handshake(lb_raw *r, SSL_CTX *ctx, int fd, int is_server, int timeout_ms,
                          SSL_SESSION *resume) ATEA_MUST_USE;
/* Send bytes as they are (several frames, half a frame, garbage). ATEA_ERR_NET_CLOSED. */
atea_err lb_raw_send(lb_raw *r, const uint8_t *data, size_t len, int timeout_ms) ATEA_MUST_USE;
/* Send one frame: header from type and len, then body. */
atea_err lb_raw_send_frame(lb_raw *r, unsigned type, const uint8_t *body, size_t len,
                           int timeout_ms) ATEA_MUST_USE;
/* Receive one whole frame (header included) into *frame. ATEA_ERR_NET_TIMEOUT,
 * ATEA_ERR_NET_CLOSED (EOF before a frame began), ATEA_ERR_FRAME_TRUNCATED (EOF inside one),
 * ATEA_ERR_FRAME_TOO_LARGE (length over LB_MAX_FRAME). */
atea_err lb_raw_recv_frame(lb_raw *r, int timeout_ms, atea_buf *frame) ATEA_MUST_USE;
/* Receive frames until the peer closes (or timeout_ms passes: ATEA_ERR_NET_TIMEOUT); count
 * those of each type (counts[0..7), type >= 7 in counts[0]) and keep the last ERROR and RESULT
 * bodies' reason codes (0xffff if none). */
typedef struct lb_frames_seen {
    unsigned counts[8];
    uint16_t error_reason;
    uint16_t result_reason;
} lb_frames_seen;
atea_err lb_raw_drain(lb_raw *r, int timeout_ms, lb_frames_seen *seen) ATEA_MUST_USE;
/* The frame's type and body (frame from lb_raw_recv_frame). */
unsigned lb_frame_type(const atea_buf *frame);
atea_slice lb_frame_body(const atea_buf *frame);
/* Close: close_notify (best effort), free, close the socket. */
void lb_raw_close(lb_raw *r);
/* Close the socket without close_notify (a peer that vanishes). */
void lb_raw_abort(lb_raw *r);

#endif
