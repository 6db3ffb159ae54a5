/* Loopback TCP + TLS helpers for transport tests. See loopback.h. */
#define _GNU_SOURCE /* pthread_timedjoin_np: a bounded join */
#include "loopback.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "atea/ossl.h"
#include "core/check.h"
#include "core/rd.h"

#define LB_READ_CHUNK 16384
static const unsigned char lb_alpn_wire[] = "\x06"
                                            "atea/1";

void lb_watchdog(unsigned seconds)
{
    /* A write to a peer that already closed must come back as EPIPE (an error code the test
     * asserts), not kill the process. */
    signal(SIGPIPE, SIG_IGN);
    alarm(seconds);
}

uint64_t lb_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ------------------------------------------------------------------ TCP */

atea_err lb_listen(lb_listener *l)
{
    atea_err err = ATEA_OK;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t sl = sizeof(sa);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ATEA_ENSURE_MSG(l->fd >= 0, ATEA_ERR_NET_LISTEN, "socket: %s", strerror(errno));
    ATEA_ENSURE_MSG(bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
                        listen(l->fd, 16) == 0 &&
                        getsockname(l->fd, (struct sockaddr *)&sa, &sl) == 0,
                    ATEA_ERR_NET_LISTEN, "listen on 127.0.0.1:0: %s", strerror(errno));
    l->port = ntohs(sa.sin_port);
out:
    return err;
}

atea_err lb_accept(lb_listener *l, int timeout_ms, int *fd)
{
    atea_err err = ATEA_OK;
    struct pollfd p = {.fd = l->fd, .events = POLLIN};
    *fd = -1;
    int n = poll(&p, 1, timeout_ms);
    ATEA_ENSURE_MSG(n > 0, n == 0 ? ATEA_ERR_NET_TIMEOUT : ATEA_ERR_NET_IO,
                    "no connection within %d ms", timeout_ms);
    *fd = accept(l->fd, NULL, NULL);
    ATEA_ENSURE_MSG(*fd >= 0, ATEA_ERR_NET_IO, "accept: %s", strerror(errno));
out:
    return err;
}

void lb_listener_close(lb_listener *l)
{
    if (l->fd >= 0) {
        close(l->fd);
    }
    l->fd = -1;
}

atea_err lb_connect(unsigned port, int *fd)
{
    atea_err err = ATEA_OK;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ATEA_ENSURE_MSG(*fd >= 0, ATEA_ERR_NET_CONNECT, "socket: %s", strerror(errno));
    ATEA_ENSURE_MSG(connect(*fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, ATEA_ERR_NET_CONNECT,
                    "connect to 127.0.0.1:%u: %s", port, strerror(errno));
out:
    return err;
}

atea_err lb_tcp_pair(int *client, int *server)
{
    atea_err err = ATEA_OK;
    lb_listener l = {.fd = -1};
    *client = -1;
    *server = -1;
    ATEA_TRY(lb_listen(&l));
    ATEA_TRY(lb_connect(l.port, client));
    ATEA_TRY(lb_accept(&l, LB_TIMEOUT_MS, server));
out:
    lb_listener_close(&l);
    return err;
}

/* ------------------------------------------------------------------ threads */

void lb_thread_start(lb_thread *t, void *(*fn)(void *), void *arg)
{
    if (pthread_create(&t->tid, NULL, fn, arg) != 0) {
        fprintf(stderr, "loopback: cannot start a thread\n");
        abort();
    }
    t->started = 1;
}

void lb_thread_join(lb_thread *t, int timeout_ms, const char *what)
{
    struct timespec ts;
    if (!t->started) {
        return;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    if (pthread_timedjoin_np(t->tid, NULL, &ts) != 0) {
        /* "none may hang": a stuck end is a failure of the code under test; the thread cannot
         * be stopped safely, so the process ends here with the name of what hung. */
        fprintf(stderr, "loopback: %s did not finish within %d ms\n", what, timeout_ms);
        abort();
    }
    t->started = 0;
}

/* ------------------------------------------------------------------ TLS contexts */

static int lb_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                          const unsigned char *in, unsigned int inlen, void *arg)
{
    unsigned char *sel = NULL;
    (void)ssl;
    (void)arg;
    if (SSL_select_next_proto(&sel, outlen, lb_alpn_wire, sizeof(lb_alpn_wire) - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = sel;
    return SSL_TLSEXT_ERR_OK;
}

/* Count NewSessionTicket messages a client receives (handshake type 4, RFC 8446 §4.6.1). */
static void lb_msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
                      SSL *ssl, void *arg)
{
    (void)version;
    (void)arg;
    lb_raw *r = SSL_get_app_data(ssl);
    if (!write_p && content_type == SSL3_RT_HANDSHAKE && len > 0 &&
        ((const uint8_t *)buf)[0] == SSL3_MT_NEWSESSION_TICKET && r != NULL) {
        r->tickets++;
    }
}

SSL_CTX *lb_ctx_new(int is_server, const lb_ctx_opts *o)
{
    SSL_CTX *ctx = SSL_CTX_new(is_server ? TLS_server_method() : TLS_client_method());
    int ok = ctx != NULL;
    if (ok && o->attested) {
        atea_ossl_ctx_opts oo;
        atea_ossl_ctx_opts_default(&oo);
        oo.attested = 1;
        oo.keylog_from_env = 0;
        ok = atea_ossl_ctx_prepare(ctx, &oo) == ATEA_OK;
    }
    if (ok && o->tls12_only) {
        ok = SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
             SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) == 1;
    } else if (ok && !o->attested) {
        ok = SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1;
    }
    if (ok && is_server) {
        ok = o->id != NULL && SSL_CTX_use_certificate(ctx, o->id->leaf) == 1 &&
             SSL_CTX_use_PrivateKey(ctx, o->id->key) == 1;
        if (ok && !o->attested) {
            ok = SSL_CTX_set_num_tickets(ctx, (size_t)o->tickets) == 1 &&
                 SSL_CTX_set_max_early_data(ctx, o->max_early_data) == 1;
        }
    }
    if (ok && !o->no_alpn) {
        if (is_server) {
            SSL_CTX_set_alpn_select_cb(ctx, lb_alpn_select, NULL);
        } else {
            ok = SSL_CTX_set_alpn_protos(ctx, lb_alpn_wire, sizeof(lb_alpn_wire) - 1) == 0;
        }
    }
    if (ok && !is_server) {
        SSL_CTX_set_msg_callback(ctx, lb_msg_cb);
        if (!o->attested) {
            SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
        }
    }
    if (!ok) {
        SSL_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* ------------------------------------------------------------------ raw endpoint */

static const char *lb_ssl_reason(void)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;
    return r != NULL ? r : "connection closed";
}

/* Wait for the socket as SSL_get_error says, until deadline. */
static atea_err lb_wait(lb_raw *r, int ssl_error, uint64_t deadline)
{
    atea_err err = ATEA_OK;
    uint64_t now = lb_now_ms();
    ATEA_ENSURE_MSG(now < deadline, ATEA_ERR_NET_TIMEOUT, "the peer did not answer in time");
    struct pollfd p = {.fd = r->fd, .events = ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN};
    int n = poll(&p, 1, (int)(deadline - now));
    ATEA_ENSURE_MSG(n >= 0 || errno == EINTR, ATEA_ERR_NET_IO, "poll: %s", strerror(errno));
    ATEA_ENSURE_MSG(n != 0, ATEA_ERR_NET_TIMEOUT, "the peer did not answer in time");
out:
    return err;
}

atea_err lb_raw_handshake(lb_raw *r, SSL_CTX *ctx, int fd, int is_server, int timeout_ms,
                          SSL_SESSION *resume)
{
    atea_err err = ATEA_OK;
    uint64_t deadline = lb_now_ms() + (uint64_t)timeout_ms;
    memset(r, 0, sizeof(*r));
    r->fd = fd;
    r->in = malloc(LB_MAX_FRAME + LB_READ_CHUNK);
    ATEA_ENSURE_ALLOC(r->in);
    int flags = fcntl(fd, F_GETFL);
    ATEA_ENSURE_MSG(flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0, ATEA_ERR_NET_IO,
                    "fcntl: %s", strerror(errno));
    r->ssl = SSL_new(ctx);
    ATEA_ENSURE(r->ssl != NULL && SSL_set_fd(r->ssl, fd) == 1, ATEA_ERR_TLS_CONFIG);
    SSL_set_app_data(r->ssl, r);
    if (resume != NULL) {
        ATEA_ENSURE(SSL_set_session(r->ssl, resume) == 1, ATEA_ERR_TLS_CONFIG);
    }
    if (is_server) {
        SSL_set_accept_state(r->ssl);
    } else {
        SSL_set_connect_state(r->ssl);
    }
    for (;;) {
        ERR_clear_error();
        int rc = SSL_do_handshake(r->ssl);
        if (rc == 1) {
            break;
        }
        int e = SSL_get_error(r->ssl, rc);
        ATEA_ENSURE_MSG(e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE,
                        ATEA_ERR_TLS_HANDSHAKE, "TLS handshake failed: %s", lb_ssl_reason());
        ATEA_TRY(lb_wait(r, e, deadline));
    }
out:
    return err;
}

atea_err lb_raw_send(lb_raw *r, const uint8_t *data, size_t len, int timeout_ms)
{
    atea_err err = ATEA_OK;
    uint64_t deadline = lb_now_ms() + (uint64_t)timeout_ms;
    size_t off = 0;
    while (off < len) {
        size_t chunk = len - off > 65536 ? 65536 : len - off;
        ERR_clear_error();
        int n = SSL_write(r->ssl, data + off, (int)chunk);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        int e = SSL_get_error(r->ssl, n);
        ATEA_ENSURE_MSG(e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE, ATEA_ERR_NET_CLOSED,
                        "cannot send: %s", lb_ssl_reason());
        ATEA_TRY(lb_wait(r, e, deadline));
    }
out:
    return err;
}

atea_err lb_raw_send_frame(lb_raw *r, unsigned type, const uint8_t *body, size_t len,
                           int timeout_ms)
{
    atea_err err = ATEA_OK;
    uint8_t *f = malloc(4 + len);
    ATEA_ENSURE_ALLOC(f);
    f[0] = (uint8_t)type;
    f[1] = (uint8_t)(len >> 16);
    f[2] = (uint8_t)(len >> 8);
    f[3] = (uint8_t)len;
    if (len > 0) {
        memcpy(f + 4, body, len);
    }
    ATEA_TRY(lb_raw_send(r, f, 4 + len, timeout_ms));
out:
    free(f);
    return err;
}

/* Read what TLS has into r->in (at most one chunk); sets r->eof at the end of the stream. */
static atea_err lb_raw_fill(lb_raw *r, uint64_t deadline)
{
    atea_err err = ATEA_OK;
    for (;;) {
        ERR_clear_error();
        int n = SSL_read(r->ssl, r->in + r->in_len, LB_READ_CHUNK);
        if (n > 0) {
            r->in_len += (size_t)n;
            goto out;
        }
        int e = SSL_get_error(r->ssl, n);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
            r->eof = 1; /* close_notify, a reset, or a TLS alert: no more bytes */
            goto out;
        }
        ATEA_TRY(lb_wait(r, e, deadline));
    }
out:
    return err;
}

atea_err lb_raw_recv_frame(lb_raw *r, int timeout_ms, atea_buf *frame)
{
    atea_err err = ATEA_OK;
    uint64_t deadline = lb_now_ms() + (uint64_t)timeout_ms;
    for (;;) {
        if (r->in_len >= 4) {
            atea_rd rd;
            uint32_t body_len = 0;
            atea_rd_init(&rd, r->in + 1, 3);
            ATEA_TRY(atea_rd_u24(&rd, &body_len));
            ATEA_ENSURE_MSG(4u + body_len <= LB_MAX_FRAME, ATEA_ERR_FRAME_TOO_LARGE,
                            "frame of %u bytes", body_len);
            if (r->in_len >= 4u + body_len) {
                ATEA_TRY(atea_buf_set(frame, r->in, 4u + body_len));
                memmove(r->in, r->in + 4u + body_len, r->in_len - 4u - body_len);
                r->in_len -= 4u + body_len;
                goto out;
            }
        }
        ATEA_ENSURE_MSG(!r->eof, r->in_len == 0 ? ATEA_ERR_NET_CLOSED : ATEA_ERR_FRAME_TRUNCATED,
                        "the peer closed with %zu bytes of a frame pending", r->in_len);
        ATEA_TRY(lb_raw_fill(r, deadline));
    }
out:
    return err;
}

/* The uint16 reason at the start of an ERROR body, or of a RESULT body after its verdict. */
static uint16_t lb_reason_at(const atea_buf *frame, size_t off)
{
    atea_rd rd;
    uint16_t reason = 0xffff;
    atea_slice body = lb_frame_body(frame);
    atea_rd_init(&rd, body.data, body.len);
    if (atea_rd_skip(&rd, off) != ATEA_OK || atea_rd_u16(&rd, &reason) != ATEA_OK) {
        reason = 0xffff;
    }
    return reason;
}

atea_err lb_raw_drain(lb_raw *r, int timeout_ms, lb_frames_seen *seen)
{
    atea_err err = ATEA_OK;
    uint64_t deadline = lb_now_ms() + (uint64_t)timeout_ms;
    atea_buf f = {0};
    memset(seen, 0, sizeof(*seen));
    seen->error_reason = 0xffff;
    seen->result_reason = 0xffff;
    for (;;) {
        uint64_t now = lb_now_ms();
        ATEA_ENSURE_MSG(now < deadline, ATEA_ERR_NET_TIMEOUT, "the peer did not close");
        err = lb_raw_recv_frame(r, (int)(deadline - now), &f);
        if (err == ATEA_ERR_NET_CLOSED) {
            err = ATEA_OK;
            break;
        }
        ATEA_TRY(err);
        unsigned type = lb_frame_type(&f);
        seen->counts[type < 8 ? type : 0]++;
        if (type == 5) { /* ERROR: uint16 reason first */
            seen->error_reason = lb_reason_at(&f, 0);
        } else if (type == 4) { /* RESULT: uint8 verdict, uint16 reason */
            seen->result_reason = lb_reason_at(&f, 1);
        }
        atea_buf_free(&f);
    }
out:
    atea_buf_free(&f);
    return err;
}

unsigned lb_frame_type(const atea_buf *frame)
{
    return frame->len > 0 ? frame->data[0] : 0;
}

atea_slice lb_frame_body(const atea_buf *frame)
{
    atea_slice s = {NULL, 0};
    if (frame->len >= 4) {
        s.data = frame->data + 4;
        s.len = frame->len - 4;
    }
    return s;
}

void lb_raw_close(lb_raw *r)
{
    if (r->ssl != NULL) {
        (void)SSL_shutdown(r->ssl);
    }
    lb_raw_abort(r);
}

void lb_raw_abort(lb_raw *r)
{
    SSL_free(r->ssl);
    r->ssl = NULL;
    if (r->in != NULL && r->fd >= 0) { /* the fd was handed over by lb_raw_handshake */
        close(r->fd);
    }
    r->fd = -1;
    free(r->in);
    r->in = NULL;
    r->in_len = 0;
}
