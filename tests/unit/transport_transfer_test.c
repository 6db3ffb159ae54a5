/*
 * Bulk application data over a real attested TLS connection on loopback: every byte written
 * before a close reaches the reader, in order, through the blocking atea_conn_read (whose buffer
 * DATA is copied into directly) and its overflow buffer, and the end of the stream reads as 0.
 */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "loopback_atea.h"

#define TRANSFER_BYTES (2u * 1024u * 1024u + 12345u) /* not a multiple of any frame or record */

static uint8_t pattern_byte(size_t i)
{
    return (uint8_t)(i * 131u + (i >> 11));
}

typedef struct writer {
    la_end end;
    size_t chunk;
    atea_err err_write;
    atea_err err_close;
} writer;

static void *write_then_close(void *arg)
{
    writer *w = arg;
    la_end *e = &w->end;
    atea_conn *c = NULL;
    uint8_t *buf = malloc(w->chunk);
    SSL *ssl = SSL_new(e->ctx);
    if (buf == NULL || ssl == NULL || SSL_set_fd(ssl, e->fd) != 1) {
        w->err_write = ATEA_ERR_NO_MEMORY;
        goto out;
    }
    SSL_set_accept_state(ssl);
    e->err_attest = atea_conn_new(ssl, &e->copts, &c);
    if (e->err_attest != ATEA_OK) {
        SSL_free(ssl);
        goto out;
    }
    e->err_attest = atea_conn_attest(c);
    if (e->err_attest != ATEA_OK) {
        goto out;
    }
    for (size_t off = 0; off < TRANSFER_BYTES && w->err_write == ATEA_OK; off += w->chunk) {
        size_t n = TRANSFER_BYTES - off < w->chunk ? TRANSFER_BYTES - off : w->chunk;
        for (size_t i = 0; i < n; i++) {
            buf[i] = pattern_byte(off + i);
        }
        w->err_write = atea_conn_write(c, buf, n);
    }
    w->err_close = atea_conn_close(c);
out:
    atea_conn_free(c);
    close(e->fd);
    free(buf);
    return NULL;
}

static void transfer(size_t write_chunk, size_t read_chunk)
{
    la_env env;
    writer w;
    la_end reader;
    int cfd = -1;
    int sfd = -1;
    la_env_init(&env, 0);
    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&w.end, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    w.chunk = write_chunk;
    w.err_write = ATEA_OK;
    w.err_close = ATEA_OK;
    la_end_init(&reader, &env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    lb_thread t;
    lb_thread_start(&t, write_then_close, &w);

    SSL *ssl = SSL_new(reader.ctx);
    assert_non_null(ssl);
    assert_int_equal(SSL_set_fd(ssl, cfd), 1);
    SSL_set_connect_state(ssl);
    atea_conn *c = NULL;
    EXPECT_OK(atea_conn_new(ssl, &reader.copts, &c));
    EXPECT_OK(atea_conn_attest(c));
    uint8_t *buf = malloc(read_chunk);
    assert_non_null(buf);
    size_t none = 1;
    /* a zero-length read is refused at once rather than waiting for the peer to close */
    EXPECT_ERR(atea_conn_read(c, buf, 0, &none), ATEA_ERR_INVALID_ARG);
    assert_int_equal(none, 0);
    size_t total = 0;
    for (;;) {
        size_t n = 0;
        EXPECT_OK(atea_conn_read(c, buf, read_chunk, &n));
        if (n == 0) {
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (buf[i] != pattern_byte(total + i)) {
                fail_msg("byte %zu differs", total + i);
            }
        }
        total += n;
        assert_true(total <= TRANSFER_BYTES);
    }
    assert_int_equal(total, TRANSFER_BYTES);
    lb_thread_join(&t, LB_JOIN_TIMEOUT_MS, "the writer");
    assert_int_equal(w.end.err_attest, ATEA_OK);
    assert_int_equal(w.err_write, ATEA_OK);
    assert_int_equal(w.err_close, ATEA_OK);
    free(buf);
    atea_conn_free(c);
    close(cfd);
    la_end_dispose(&reader);
    la_end_dispose(&w.end);
    la_env_dispose(&env);
}

/* Large reads: DATA lands directly in the caller's buffer. */
static void test_large_writes_large_reads(void **state)
{
    (void)state;
    transfer(1024u * 1024u, 256u * 1024u);
}

/* Reads smaller than a frame: the rest of each frame waits in the overflow buffer. */
static void test_record_writes_small_reads(void **state)
{
    (void)state;
    transfer(16384u, 1000u);
}

/* ------------------------------------------------------- DATA events left across steps */

#define HELD_CHUNK 100u

typedef struct paced_writer {
    la_end end;
    int go_fd; /* one byte read from it before each chunk after the first */
    atea_err err_write;
} paced_writer;

static int wait_go(int fd)
{
    uint8_t b = 0;
    return read(fd, &b, 1) == 1;
}

static void *write_chunks_paced(void *arg)
{
    paced_writer *w = arg;
    la_end *e = &w->end;
    atea_conn *c = NULL;
    uint8_t chunk[HELD_CHUNK];
    SSL *ssl = SSL_new(e->ctx);
    if (ssl == NULL || SSL_set_fd(ssl, e->fd) != 1) {
        w->err_write = ATEA_ERR_NO_MEMORY;
        SSL_free(ssl);
        goto out;
    }
    SSL_set_accept_state(ssl);
    e->err_attest = atea_conn_new(ssl, &e->copts, &c);
    if (e->err_attest != ATEA_OK) {
        SSL_free(ssl);
        goto out;
    }
    e->err_attest = atea_conn_attest(c);
    for (char fill = 'a'; e->err_attest == ATEA_OK && fill <= 'b'; fill++) {
        if (fill > 'a' && !wait_go(w->go_fd)) {
            break;
        }
        memset(chunk, fill, sizeof(chunk));
        w->err_write = atea_conn_write(c, chunk, sizeof(chunk));
    }
    (void)wait_go(w->go_fd); /* the reader has checked */
    atea_err ignored = atea_conn_close(c);
    (void)ignored;
out:
    atea_conn_free(c);
    close(e->fd);
    return NULL;
}

/* Step (waiting for the socket between steps) until `want` bytes of DATA events are untaken. */
static void step_until_pending(atea_conn *c, size_t want)
{
    for (int i = 0; i < 1000 && atea_session_pending_data(atea_conn_session(c)) < want; i++) {
        atea_err st = atea_conn_step(c);
        assert_true(st == ATEA_OK || st == ATEA_ERR_WANT_READ || st == ATEA_ERR_WANT_WRITE);
        if (st != ATEA_OK) {
            struct pollfd p = {.fd = atea_conn_fd(c), .events = POLLIN};
            assert_true(poll(&p, 1, LB_TIMEOUT_MS) >= 0);
        }
    }
    assert_int_equal(atea_session_pending_data(atea_conn_session(c)), want);
}

/*
 * A DATA event borrows the connection's input buffer; a caller of the step interface may leave
 * it untaken while it steps again. The next TLS read must not reuse the buffer under it: before
 * the fix, the first chunk's event showed the second chunk's bytes ('b' instead of 'a').
 */
static void test_untaken_data_survives_a_step(void **state)
{
    (void)state;
    la_env env;
    paced_writer w;
    la_end reader;
    int cfd = -1;
    int sfd = -1;
    int go[2];
    la_env_init(&env, 0);
    assert_int_equal(pipe(go), 0);
    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&w.end, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    w.go_fd = go[0];
    w.err_write = ATEA_OK;
    la_end_init(&reader, &env, 0, ATEA_SESSION_RELYING_PARTY, cfd);
    lb_thread t;
    lb_thread_start(&t, write_chunks_paced, &w);

    SSL *ssl = SSL_new(reader.ctx);
    assert_non_null(ssl);
    assert_int_equal(SSL_set_fd(ssl, cfd), 1);
    SSL_set_connect_state(ssl);
    atea_conn *c = NULL;
    EXPECT_OK(atea_conn_new(ssl, &reader.copts, &c));
    EXPECT_OK(atea_conn_attest(c));
    step_until_pending(c, HELD_CHUNK);
    assert_int_equal(write(go[1], "g", 1), 1);
    step_until_pending(c, 2 * HELD_CHUNK);

    atea_session_event ev;
    for (char fill = 'a'; fill <= 'b'; fill++) {
        assert_true(atea_conn_next_event(c, &ev));
        assert_int_equal(ev.type, ATEA_SESSION_EV_DATA);
        assert_int_equal(ev.len, HELD_CHUNK);
        for (size_t i = 0; i < HELD_CHUNK; i++) {
            if (ev.data[i] != (uint8_t)fill) {
                fail_msg("chunk '%c', byte %zu is '%c'", fill, i, ev.data[i]);
            }
        }
    }
    assert_int_equal(atea_session_pending_data(atea_conn_session(c)), 0);
    assert_int_equal(write(go[1], "g", 1), 1);
    lb_thread_join(&t, LB_JOIN_TIMEOUT_MS, "the writer");
    assert_int_equal(w.end.err_attest, ATEA_OK);
    assert_int_equal(w.err_write, ATEA_OK);
    atea_conn_free(c);
    close(cfd);
    close(go[0]);
    close(go[1]);
    la_end_dispose(&reader);
    la_end_dispose(&w.end);
    la_env_dispose(&env);
}

int main(void)
{
    lb_watchdog(120);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_writes_large_reads),
        cmocka_unit_test(test_record_writes_small_reads),
        cmocka_unit_test(test_untaken_data_survives_a_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
