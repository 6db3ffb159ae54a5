/*
 * Bulk application data over a real attested TLS connection on loopback: every byte written
 * before a close reaches the reader, in order, through the blocking atea_conn_read (whose buffer
 * DATA is copied into directly) and its overflow buffer, and the end of the stream reads as 0.
 */
#include <string.h>

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

int main(void)
{
    lb_watchdog(120);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_writes_large_reads),
        cmocka_unit_test(test_record_writes_small_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
