/* atea_conn: the attested session over TLS/TCP. See include/atea/conn.h. */
#include "atea/conn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "atea/frame.h"
#include "atea/net.h"
#include "atea/ossl.h"
#include "core/check.h"
#include "core/wr.h"
#include "transport/trace.h"

/* Input buffer: four full TLS records, read in one step before the session sees them. */
#define CONN_READ_CHUNK (4u * 16384u)
#define CONN_DEFAULT_IO_TIMEOUT_MS 30000
/* Application bytes received but not yet read by a blocking caller. */
#define CONN_MAX_RX_DATA (4u * 1024u * 1024u)

struct atea_conn {
    SSL *ssl;
    int fd;
    atea_conn_opts opts;
    atea_ossl_tls ossl;
    atea_tls tls;
    atea_session *session;
    int handshake_done;
    int tls_eof;      /* the peer closed the TLS connection */
    int ready;        /* READY seen: application data may flow */
    int closed;       /* CLOSED seen */
    atea_err refused; /* the error of a REFUSED/CLOSED event, if any */
    uint8_t in[CONN_READ_CHUNK];
    size_t in_len;          /* bytes read into `in` */
    size_t in_fed;          /* of which the session consumed (DATA events may point into them until
                             * taken: the first step after that compacts, atea_session_feed_borrow) */
    BIO_METHOD *bio_method; /* the MSG_NOSIGNAL socket BIO under ssl */
    atea_wr rx;             /* DATA bytes for atea_conn_read */
    size_t rx_off;
    /* While atea_conn_read waits: its buffer, so DATA goes there directly (rx takes the rest). */
    uint8_t *direct;
    size_t direct_cap;
    size_t direct_len;
    atea_trace trace_in;
    atea_trace trace_out;
};

/*
 * The socket BIO under every atea_conn. A peer that resets the connection would make the next
 * write(2) raise SIGPIPE, whose default action kills the process: one hostile client must not take
 * down a server, and a library may not change the process's signal handling. So writes use
 * send(2) with MSG_NOSIGNAL and fail with EPIPE instead, which is reported. (OpenSSL's own
 * socket BIO uses write(2).)
 */
#define CONN_BIO_TYPE (BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR | 0x7e)

static int nosig_write(BIO *b, const char *data, size_t len, size_t *written)
{
    int fd = BIO_get_fd(b, NULL);
    BIO_clear_retry_flags(b);
    ssize_t n;
    do {
        n = send(fd, data, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            BIO_set_retry_write(b);
        }
        return 0;
    }
    *written = (size_t)n;
    return 1;
}

static int nosig_read(BIO *b, char *data, size_t len, size_t *readbytes)
{
    int fd = BIO_get_fd(b, NULL);
    BIO_clear_retry_flags(b);
    ssize_t n;
    do {
        n = recv(fd, data, len, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        BIO_set_retry_read(b);
    }
    if (n <= 0) {
        return 0; /* 0: end of stream; < 0: errno says why */
    }
    *readbytes = (size_t)n;
    return 1;
}

static long nosig_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    switch (cmd) {
    case BIO_C_SET_FD:
        BIO_set_data(b, (void *)(intptr_t)(*(int *)ptr));
        BIO_set_init(b, 1);
        return 1;
    case BIO_C_GET_FD:
        if (!BIO_get_init(b)) {
            return -1;
        }
        if (ptr != NULL) {
            *(int *)ptr = (int)(intptr_t)BIO_get_data(b);
        }
        return (long)(intptr_t)BIO_get_data(b);
    case BIO_CTRL_FLUSH:
        return 1;
    default:
        (void)num;
        return 0;
    }
}

static atea_err use_nosig_bio(atea_conn *c, SSL *ssl, int fd)
{
    atea_err err = ATEA_OK;
    BIO *bio = NULL;
    c->bio_method = BIO_meth_new(CONN_BIO_TYPE, "atea socket (MSG_NOSIGNAL)");
    ATEA_ENSURE_ALLOC(c->bio_method);
    ATEA_ENSURE(BIO_meth_set_write_ex(c->bio_method, nosig_write) == 1 &&
                    BIO_meth_set_read_ex(c->bio_method, nosig_read) == 1 &&
                    BIO_meth_set_ctrl(c->bio_method, nosig_ctrl) == 1,
                ATEA_ERR_INTERNAL);
    bio = BIO_new(c->bio_method);
    ATEA_ENSURE_ALLOC(bio);
    ATEA_ENSURE(BIO_set_fd(bio, fd, BIO_NOCLOSE) == 1, ATEA_ERR_INTERNAL);
    SSL_set_bio(ssl, bio, bio); /* the SSL owns it now */
    bio = NULL;
out:
    BIO_free(bio);
    if (err != ATEA_OK) {
        BIO_meth_free(c->bio_method);
        c->bio_method = NULL;
    }
    return err;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void atea_conn_opts_default_versioned(unsigned version, atea_conn_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    atea_session_opts_default(&opts->session);
    opts->require_alpn = 1;
    opts->io_timeout_ms = CONN_DEFAULT_IO_TIMEOUT_MS;
}

static int alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)ssl;
    (void)arg;
    static const unsigned char ours[] = "\x06" ATEA_ALPN;
    unsigned char *sel = NULL;
    if (SSL_select_next_proto(&sel, outlen, ours, sizeof(ours) - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_ALERT_FATAL; /* RFC 7301 §3.2: no_application_protocol */
    }
    *out = sel;
    return SSL_TLSEXT_ERR_OK;
}

atea_err atea_conn_ctx_set_alpn(SSL_CTX *ctx, int is_server)
{
    atea_err err = ATEA_OK;
    static const unsigned char wire[] = "\x06" ATEA_ALPN;
    ATEA_ENSURE(ctx != NULL, ATEA_ERR_INVALID_ARG);
    if (is_server) {
        SSL_CTX_set_alpn_select_cb(ctx, alpn_select, NULL);
    } else {
        ATEA_ENSURE(SSL_CTX_set_alpn_protos(ctx, wire, sizeof(wire) - 1) == 0, ATEA_ERR_TLS_CONFIG);
    }
out:
    return err;
}

static void trace_cb(void *user, int sent, const uint8_t *frame, size_t len)
{
    atea_conn *c = user;
    if (c->opts.on_msg != NULL) {
        c->opts.on_msg(c->opts.msg_user, sent, frame, len);
    }
}

atea_err atea_conn_new(SSL *ssl, const atea_conn_opts *opts, atea_conn **pconn)
{
    atea_err err = ATEA_OK;
    atea_conn *c = NULL;
    ATEA_ENSURE(ssl != NULL && opts != NULL && pconn != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(opts->version >= ATEA_CONN_OPTS_V1, ATEA_ERR_INVALID_ARG);
    c = calloc(1, sizeof(*c));
    ATEA_ENSURE_ALLOC(c);
    c->opts = *opts;
    c->fd = SSL_get_fd(ssl);
    ATEA_ENSURE_MSG(c->fd >= 0, ATEA_ERR_INVALID_ARG, "the SSL has no file descriptor");
    int flags = fcntl(c->fd, F_GETFL);
    ATEA_ENSURE_MSG(flags >= 0 && fcntl(c->fd, F_SETFL, flags | O_NONBLOCK) == 0, ATEA_ERR_NET_IO,
                    "cannot make the socket non-blocking: %s", strerror(errno));
    SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    ATEA_TRY(atea_wr_init_growable(&c->rx, 0, CONN_MAX_RX_DATA));
    /* Last, so that a failure leaves the caller's SSL as it was. */
    err = use_nosig_bio(c, ssl, c->fd);
    if (err != ATEA_OK) {
        atea_wr_dispose(&c->rx);
        goto out;
    }
    atea_trace_init(&c->trace_in, 0, trace_cb, c);
    atea_trace_init(&c->trace_out, 1, trace_cb, c);
    c->ssl = ssl;
    *pconn = c;
    c = NULL;
out:
    free(c);
    return err;
}

void atea_conn_free(atea_conn *c)
{
    if (c == NULL) {
        return;
    }
    atea_session_free(c->session);
    SSL_free(c->ssl);
    BIO_meth_free(c->bio_method); /* after the SSL and its BIO */
    atea_wr_dispose(&c->rx);
    atea_trace_dispose(&c->trace_in);
    atea_trace_dispose(&c->trace_out);
    atea_wipe(c->in, sizeof(c->in));
    free(c);
}

int atea_conn_fd(const atea_conn *c)
{
    return c->fd;
}

atea_session *atea_conn_session(atea_conn *c)
{
    return c->session;
}

SSL *atea_conn_ssl(atea_conn *c)
{
    return c->ssl;
}

static const char *ssl_reason(void)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;
    return r != NULL ? r : "the connection was closed during the handshake";
}

/* Complete the TLS handshake, check what atea requires of it, and start the session. */
static atea_err finish_handshake(atea_conn *c)
{
    atea_err err = ATEA_OK;
    ERR_clear_error();
    int rc = SSL_do_handshake(c->ssl);
    if (rc != 1) {
        int e = SSL_get_error(c->ssl, rc);
        ATEA_ENSURE(e != SSL_ERROR_WANT_READ, ATEA_ERR_WANT_READ);
        ATEA_ENSURE(e != SSL_ERROR_WANT_WRITE, ATEA_ERR_WANT_WRITE);
        ATEA_FAIL(ATEA_ERR_TLS_HANDSHAKE, "TLS handshake failed: %s", ssl_reason());
    }
    ATEA_ENSURE_MSG(SSL_version(c->ssl) == TLS1_3_VERSION, ATEA_ERR_TLS_VERSION,
                    "the peer negotiated %s; attested connections need TLS 1.3",
                    SSL_get_version(c->ssl));
    if (c->opts.require_alpn) {
        const unsigned char *alpn = NULL;
        unsigned alpn_len = 0;
        SSL_get0_alpn_selected(c->ssl, &alpn, &alpn_len);
        ATEA_ENSURE_MSG(alpn_len == strlen(ATEA_ALPN) && memcmp(alpn, ATEA_ALPN, alpn_len) == 0,
                        ATEA_ERR_TLS_HANDSHAKE,
                        "the peer did not negotiate ALPN \"%s\": it does not speak atea",
                        ATEA_ALPN);
    }
    ATEA_TRY(atea_ossl_tls_init(&c->ossl, c->ssl, &c->tls));
    ATEA_TRY(atea_session_new(&c->tls, &c->opts.session, now_ms(), &c->session));
    c->handshake_done = 1;
out:
    return err;
}

/* Read what TLS has, then feed it to the session once. DATA events borrow `in` (no copy), so
 * the bytes they point to stay in place until the caller has taken them: the buffer is compacted
 * only then (atea_session_feed_borrow's contract). Until then TLS reads only append to it. */
static atea_err pump_in(atea_conn *c, int *want_read)
{
    atea_err err = ATEA_OK;
    if (c->in_fed > 0 && atea_session_pending_data(c->session) == 0) {
        memmove(c->in, c->in + c->in_fed, c->in_len - c->in_fed);
        c->in_len -= c->in_fed;
        c->in_fed = 0;
    }
    while (c->in_len < sizeof(c->in) && !c->tls_eof) {
        ERR_clear_error();
        int n = SSL_read(c->ssl, c->in + c->in_len, (int)(sizeof(c->in) - c->in_len));
        if (n <= 0) {
            int e = SSL_get_error(c->ssl, n);
            if (e == SSL_ERROR_WANT_READ) {
                *want_read = 1;
            } else if (e != SSL_ERROR_WANT_WRITE) {
                c->tls_eof = 1; /* close_notify, EOF, reset or a TLS failure */
            }
            break;
        }
        atea_trace_push(&c->trace_in, c->in + c->in_len, (size_t)n);
        c->in_len += (size_t)n;
    }
    if (c->in_len > c->in_fed) {
        size_t used = 0;
        err = atea_session_feed_borrow(c->session, c->in + c->in_fed, c->in_len - c->in_fed, &used,
                                       now_ms());
        c->in_fed += used;
        ATEA_TRY(err);
        if (c->in_fed < c->in_len) {
            /* The session wants its output drained or its events taken first: no more reading
             * until then, and the caller comes back without waiting for the socket. */
            *want_read = 0;
        }
    }
    if (c->tls_eof && c->in_len == c->in_fed) {
        ATEA_TRY(atea_session_peer_closed(c->session, now_ms()));
    }
out:
    return err;
}

/* Write what the session has queued. */
static atea_err pump_out(atea_conn *c, int *want_write)
{
    atea_err err = ATEA_OK;
    size_t len = 0;
    const uint8_t *p;
    while ((p = atea_session_peek_output(c->session, &len)) != NULL && len > 0) {
        ERR_clear_error();
        int n = SSL_write(c->ssl, p, (int)(len > 65536 ? 65536 : len));
        if (n <= 0) {
            int e = SSL_get_error(c->ssl, n);
            if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
                *want_write = e == SSL_ERROR_WANT_WRITE;
                break;
            }
            ATEA_FAIL(ATEA_ERR_NET_CLOSED, "cannot send to the peer: %s", ssl_reason());
        }
        atea_trace_push(&c->trace_out, p, (size_t)n);
        atea_session_drain_ack(c->session, (size_t)n);
    }
out:
    return err;
}

atea_err atea_conn_step(atea_conn *c)
{
    atea_err err = ATEA_OK;
    int want_read = 0;
    int want_write = 0;
    if (!c->handshake_done) {
        ATEA_TRY(finish_handshake(c));
    }
    uint64_t t = now_ms();
    if (atea_session_expiry(c->session) <= t) {
        /* A timeout is a failure of the session: it is sticky and surfaces as REFUSED/CLOSED
         * events and as the result of the next feed, so the return value adds nothing here. */
        atea_err timeout_err = atea_session_on_timeout(c->session, t);
        (void)timeout_err;
    }
    atea_err in_err = pump_in(c, &want_read);
    /* Output produced before a failure (the ERROR frame) is still sent. */
    ATEA_TRY(pump_out(c, &want_write));
    ATEA_TRY(in_err);
    if (atea_session_pending_output(c->session) > 0 && want_write) {
        err = ATEA_ERR_WANT_WRITE;
    } else if (want_read && !c->tls_eof) {
        err = ATEA_ERR_WANT_READ;
    }
out:
    return err;
}

int atea_conn_next_event(atea_conn *c, atea_session_event *ev)
{
    return c->session != NULL && atea_session_next_event(c->session, ev);
}

uint64_t atea_conn_expiry(const atea_conn *c)
{
    return c->session != NULL ? atea_session_expiry(c->session) : UINT64_MAX;
}

/* Take events for the blocking calls: DATA is buffered for atea_conn_read. *taken counts them,
 * so that the caller re-checks its condition before it waits. */
static atea_err take_events(atea_conn *c, size_t *taken)
{
    atea_err err = ATEA_OK;
    atea_session_event ev;
    *taken = 0;
    while (atea_conn_next_event(c, &ev)) {
        (*taken)++;
        if (c->opts.on_event != NULL) {
            c->opts.on_event(c->opts.event_user, &ev);
        }
        switch (ev.type) {
        case ATEA_SESSION_EV_READY:
            c->ready = 1;
            break;
        case ATEA_SESSION_EV_DATA: {
            size_t direct = 0;
            if (c->direct != NULL && atea_wr_len(&c->rx) == c->rx_off) {
                direct = c->direct_cap - c->direct_len;
                direct = direct < ev.len ? direct : ev.len;
                memcpy(c->direct + c->direct_len, ev.data, direct);
                c->direct_len += direct;
            }
            if (direct == ev.len) {
                break;
            }
            if (c->rx_off == atea_wr_len(&c->rx)) {
                atea_wr_reset(&c->rx);
                c->rx_off = 0;
            }
            ATEA_TRY(atea_wr_bytes(&c->rx, ev.data + direct, ev.len - direct));
            break;
        }
        case ATEA_SESSION_EV_REFUSED:
        case ATEA_SESSION_EV_CLOSED:
            if (ev.err != ATEA_OK && c->refused == ATEA_OK) {
                c->refused = ev.err;
                atea__err_set(ev.err, __FILE__, __LINE__, "%s",
                              ev.text[0] ? ev.text : atea_strerror(ev.err));
            }
            if (ev.type == ATEA_SESSION_EV_CLOSED) {
                c->closed = 1;
            }
            break;
        case ATEA_SESSION_EV_ATTESTED:
        case ATEA_SESSION_EV_REATTESTED:
        case ATEA_SESSION_EV_ACCEPTED:
            break;
        }
    }
out:
    return err;
}

/* One blocking round: step, take events, and wait for the socket or the session's timer. */
static atea_err blocking_round(atea_conn *c, uint64_t deadline)
{
    atea_err err = ATEA_OK;
    size_t taken = 0;
    atea_err st = atea_conn_step(c);
    ATEA_TRY(take_events(c, &taken));
    if (taken > 0) {
        /* Events first (DATA buffered, READY, CLOSED): the caller consumes them before it sees a
         * failure, which is sticky in the session and comes back on the next step. */
        goto out;
    }
    if (st != ATEA_ERR_WANT_READ && st != ATEA_ERR_WANT_WRITE) {
        if (atea_err_is_fatal(st) && c->refused == ATEA_OK && !c->closed) {
            ATEA_TRY(st);
        }
        goto out;
    }
    uint64_t t = now_ms();
    ATEA_ENSURE_MSG(t < deadline, ATEA_ERR_NET_TIMEOUT, "the peer did not answer within %d ms",
                    c->opts.io_timeout_ms);
    uint64_t until = deadline;
    uint64_t exp = atea_conn_expiry(c);
    if (exp < until) {
        until = exp;
    }
    struct pollfd p = {.fd = c->fd, .events = st == ATEA_ERR_WANT_WRITE ? POLLOUT : POLLIN};
    int wait = until > t ? (int)(until - t) : 0;
    if (poll(&p, 1, wait) < 0 && errno != EINTR) {
        ATEA_FAIL(ATEA_ERR_NET_IO, "poll: %s", strerror(errno));
    }
out:
    return err;
}

atea_err atea_conn_attest(atea_conn *c)
{
    atea_err err = ATEA_OK;
    uint64_t deadline = now_ms() + (uint64_t)c->opts.io_timeout_ms;
    while (!c->ready) {
        ATEA_ENSURE(c->refused == ATEA_OK, c->refused);
        ATEA_ENSURE_MSG(!c->closed, ATEA_ERR_NET_CLOSED,
                        "the peer closed the connection before attestation completed");
        ATEA_TRY(blocking_round(c, deadline));
    }
out:
    if (err != ATEA_OK && c->refused != ATEA_OK && err != c->refused) {
        err = c->refused;
    }
    return err;
}

atea_err atea_conn_read(atea_conn *c, uint8_t *buf, size_t cap, size_t *n)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(n != NULL, ATEA_ERR_INVALID_ARG);
    *n = 0;
    /* a zero-length read could never return data, and would wait for the peer to close */
    ATEA_ENSURE_MSG(c != NULL && buf != NULL && cap > 0, ATEA_ERR_INVALID_ARG,
                    "atea_conn_read needs a buffer of at least one byte");
    size_t avail = atea_wr_len(&c->rx) - c->rx_off;
    if (avail > 0) {
        size_t k = avail < cap ? avail : cap;
        memcpy(buf, atea_wr_data(&c->rx) + c->rx_off, k);
        c->rx_off += k;
        *n = k;
        goto out;
    }
    /* Nothing buffered: DATA that arrives while we wait is copied straight into buf. */
    c->direct = buf;
    c->direct_cap = cap;
    c->direct_len = 0;
    while (c->direct_len == 0) {
        ATEA_ENSURE(c->refused == ATEA_OK, c->refused);
        if (c->closed) {
            goto out; /* clean end of stream */
        }
        /* No deadline while idle: a quiet peer is not an error; the session's own timers
         * (re-attestation answers) still fire through atea_conn_expiry. */
        ATEA_TRY(blocking_round(c, UINT64_MAX));
    }
    *n = c->direct_len;
out:
    c->direct = NULL;
    c->direct_cap = 0;
    c->direct_len = 0;
    return err;
}

atea_err atea_conn_write(atea_conn *c, const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    uint64_t deadline = now_ms() + (uint64_t)c->opts.io_timeout_ms;
    ATEA_ENSURE(c->session != NULL, ATEA_ERR_BAD_STATE);
    ATEA_TRY(atea_session_write(c->session, data, len));
    /* Only send here: events stay queued for the caller (atea_conn_step/next_event or the
     * blocking read), so no DATA is taken out of order. */
    while (atea_session_pending_output(c->session) > 0) {
        int want_write = 0;
        ATEA_TRY(pump_out(c, &want_write));
        if (atea_session_pending_output(c->session) == 0) {
            break;
        }
        uint64_t t = now_ms();
        ATEA_ENSURE_MSG(t < deadline, ATEA_ERR_NET_TIMEOUT,
                        "the peer did not take our data within %d ms", c->opts.io_timeout_ms);
        ATEA_TRY(atea_net_wait(c->fd, want_write, (int)(deadline - t)));
    }
out:
    return err;
}

size_t atea_conn_take_buffered(atea_conn *c, const uint8_t **data)
{
    size_t n = atea_wr_len(&c->rx) - c->rx_off;
    *data = NULL;
    if (n > 0) {
        *data = atea_wr_data(&c->rx) + c->rx_off;
        c->rx_off += n;
    }
    return n;
}

atea_err atea_conn_reattest(atea_conn *c)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(c->session != NULL, ATEA_ERR_BAD_STATE);
    ATEA_TRY(atea_session_reattest(c->session, now_ms()));
    int want_write = 0;
    ATEA_TRY(pump_out(c, &want_write));
out:
    return err;
}

atea_err atea_conn_close(atea_conn *c)
{
    atea_err err = ATEA_OK;
    uint64_t deadline = now_ms() + (uint64_t)c->opts.io_timeout_ms;
    if (c->session != NULL && !atea_session_is_closed(c->session)) {
        ATEA_TRY(atea_session_close(c->session));
    }
    while (c->session != NULL && atea_session_pending_output(c->session) > 0 &&
           now_ms() < deadline) {
        int want_write = 0;
        ATEA_TRY(pump_out(c, &want_write));
        if (want_write) {
            /* best effort: close gives up at the deadline whatever the wait says */
            atea_err wait_err = atea_net_wait(c->fd, 1, 100);
            (void)wait_err;
        }
    }
    (void)SSL_shutdown(c->ssl);
out:
    return err;
}
