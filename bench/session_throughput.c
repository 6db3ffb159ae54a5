/*
 * Steady-state application-data throughput through an attested atea_session beside plain
 * SSL_write / SSL_read on the same kind of connection, same run (docs/BENCHMARKS.md
 * "session_throughput").
 *
 * Both connections are in-memory TLS 1.3 (BIO pair with SESSION_BIO_SIZE buffers each way, so a
 * 1 MiB write fits without blocking), P-256 leaf, TLS_AES_128_GCM_SHA256, made once:
 *   plain      the server SSL_write_ex()s each buffer whole; the client SSL_read_ex()s it in
 *              SB_READ_CHUNK pieces;
 *   session    an attested session pair (sim TEE, as bench/session_setup.c), READY: the server
 *              atea_session_write()s each buffer (DATA frames of at most 16 KiB), writes what the
 *              session queued with one SSL_write_ex (zero-copy peek), the client SSL_read_ex()s
 *              it in the same pieces, feeds them to its session and takes the DATA events.
 * Both ends run in this thread, so CPU time is the total of sender and receiver. Write sizes:
 * 16 KiB and 1 MiB. Target (the issue): session / plain throughput >= 0.95.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atea_test.h"
#include "ea_bench.h"
#include "session_bench.h"

#define TP_DEFAULT_MIB 64L /* MiB moved per measurement (-n) */
#define TP_DEFAULT_ROUNDS 7
#define TP_TARGET_RATIO 0.95
#define SESSION_BIO_SIZE (4u * 1024u * 1024u)
#define TP_MAX_WRITE (1024u * 1024u)

typedef struct tp_bench {
    atea_test_identity *id;
    atea_test_tls_pair *ctxs;
    sb_tee tee;
    sb_conn session;   /* attested, READY */
    SSL *plain_client; /* a plain connection of the same kind */
    SSL *plain_server;
    uint8_t *out; /* the application's buffer to send */
    uint8_t *in;  /* the plain receiver's buffer */
} tp_bench;

static void tp_init(tp_bench *b)
{
    memset(b, 0, sizeof(*b));
    sb_attested_start(&b->id, &b->ctxs, &b->tee);
    sb_connect(&b->session, b->ctxs->client_ctx, b->ctxs->server_ctx, &b->tee, b->id,
               SESSION_BIO_SIZE, NULL);
    bench_tls_connect_sized(b->ctxs->client_ctx, b->ctxs->server_ctx, SESSION_BIO_SIZE,
                            &b->plain_client, &b->plain_server);
    b->out = sb_pattern_new(TP_MAX_WRITE);
    b->in = malloc(SB_READ_CHUNK);
    if (b->in == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
}

static void tp_dispose(tp_bench *b)
{
    sb_conn_free(&b->session);
    SSL_free(b->plain_client);
    SSL_free(b->plain_server);
    sb_tee_dispose(&b->tee);
    atea_test_tls_pair_free(b->ctxs);
    atea_test_identity_free(b->id);
    free(b->out);
    free(b->in);
}

/* One buffer of `len` bytes server -> client over plain TLS. Not static (callgrind). */
__attribute__((noinline)) void bench_plain_write_once(tp_bench *b, size_t len);
__attribute__((noinline)) void bench_plain_write_once(tp_bench *b, size_t len)
{
    size_t w = 0;
    size_t got = 0;
    if (SSL_write_ex(b->plain_server, b->out, len, &w) != 1 || w != len) {
        bench_die_ossl("SSL_write (plain)");
    }
    while (got < len) {
        size_t n = 0;
        if (SSL_read_ex(b->plain_client, b->in, SB_READ_CHUNK, &n) != 1) {
            bench_die_ossl("SSL_read (plain)");
        }
        got += n;
    }
    if (got != len) {
        fprintf(stderr, "bench: plain: read %zu of %zu bytes\n", got, len);
        exit(1);
    }
}

/* The same through the attested sessions. */
__attribute__((noinline)) void bench_session_write_once(tp_bench *b, size_t len);
__attribute__((noinline)) void bench_session_write_once(tp_bench *b, size_t len)
{
    size_t before = b->session.client.data_in;
    BENCH_TRY("atea_session_write", atea_session_write(b->session.server.s, b->out, len));
    sb_flush(&b->session.server, NULL, "S");
    sb_pull(&b->session.client, b->in, SB_READ_CHUNK);
    if (b->session.client.data_in - before != len) {
        fprintf(stderr, "bench: session: received %zu of %zu bytes\n",
                b->session.client.data_in - before, len);
        exit(1);
    }
}

typedef struct tp_result {
    size_t write_len;
    long writes;
    /* TLS bytes (records) the sender wrote for one application write */
    uint64_t plain_wire;
    uint64_t session_wire;
    bench_series plain; /* per write */
    bench_series session;
} tp_result;

static void run_size(tp_bench *b, const bench_args *a, size_t write_len, tp_result *r)
{
    size_t total = (size_t)a->iters * 1024u * 1024u;
    long writes = (long)(total / write_len);
    memset(r, 0, sizeof(*r));
    r->write_len = write_len;
    r->writes = writes < 1 ? 1 : writes;
    r->plain.what = "plain SSL_write / SSL_read";
    r->session.what = "atea_session write / feed";
    /* One write of each, as warm-up, counting the TLS bytes it puts on the wire. */
    uint64_t w0 = BIO_number_written(SSL_get_wbio(b->plain_server));
    bench_plain_write_once(b, write_len);
    r->plain_wire = BIO_number_written(SSL_get_wbio(b->plain_server)) - w0;
    w0 = BIO_number_written(b->session.server_bio);
    bench_session_write_once(b, write_len);
    r->session_wire = BIO_number_written(b->session.server_bio) - w0;
    for (int round = 0; round < a->rounds; round++) {
        bench_time plain = {0, 0};
        bench_time session = {0, 0};
        bench_time t0 = bench_now();
        for (long i = 0; i < r->writes; i++) {
            bench_plain_write_once(b, write_len);
        }
        bench_add_since(&plain, t0);
        t0 = bench_now();
        for (long i = 0; i < r->writes; i++) {
            bench_session_write_once(b, write_len);
        }
        bench_add_since(&session, t0);
        bench_series_add(&r->plain, plain, r->writes);
        bench_series_add(&r->session, session, r->writes);
    }
}

static void print_row(const bench_series *s, size_t write_len, double ratio)
{
    double cpu = bench_series_cpu(s);
    double wall = bench_series_wall(s);
    double mb = (double)write_len / 1e6;
    printf("%-34s %12.1f %12.1f %14.1f %9.3f\n", s->what, mb / (cpu / 1e6), cpu, mb / (wall / 1e6),
           ratio);
}

static int report_size(const tp_result *r, const bench_args *a)
{
    printf("\nwrites of %zu B, %ld writes (%.0f MiB) per round, %d round%s; median over rounds\n",
           r->write_len, r->writes, (double)r->write_len * (double)r->writes / 1048576.0, a->rounds,
           a->rounds == 1 ? "" : "s");
    printf("TLS bytes on the wire per write: plain %llu, session %llu (+%llu)\n",
           (unsigned long long)r->plain_wire, (unsigned long long)r->session_wire,
           (unsigned long long)(r->session_wire - r->plain_wire));
    printf("%-34s %12s %12s %14s %9s\n", "what", "MB/s (CPU)", "us/write CPU", "MB/s (wall)",
           "ratio");
    /* Throughput ratio = plain cost / session cost (per round, median). */
    double ratio = bench_series_ratio(&r->plain, &r->session);
    print_row(&r->plain, r->write_len, 1.0);
    print_row(&r->session, r->write_len, ratio);
    char what[96];
    snprintf(what, sizeof(what), "%zu B writes: session / plain MB/s", r->write_len);
    bench_verdict(what, ratio, ">=", TP_TARGET_RATIO, ratio >= TP_TARGET_RATIO);
    return ratio >= TP_TARGET_RATIO;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {16u * 1024u, TP_MAX_WRITE};
    bench_args a;
    tp_bench b;
    int all_met = 1;
    bench_args_parse(argc, argv, TP_DEFAULT_MIB, TP_DEFAULT_ROUNDS, &a);
    if (a.callgrind) {
        a.iters = 4; /* MiB: enough records to dwarf the setup */
    }
    printf("session_throughput: DATA through attested atea_sessions vs plain SSL_write/SSL_read, "
           "in-memory TLS 1.3 (P-256, TLS_AES_128_GCM_SHA256), server -> client, same run "
           "(-n = MiB per measurement); target ratio >= %.2f\n",
           TP_TARGET_RATIO);
    tp_init(&b);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        tp_result r;
        run_size(&b, &a, sizes[i], &r);
        all_met &= report_size(&r, &a);
    }
    tp_dispose(&b);
    printf("\nsession_throughput target (every write size): %s\n", all_met ? "PASS" : "MISS");
    return 0;
}
