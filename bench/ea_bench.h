/*
 * Helpers shared by the EA and session benchmarks (bench/ea_auth.c, bench/session_*.c):
 * arguments, clocks, sample statistics, the result table, and full TLS 1.3 handshakes over a BIO
 * pair on SSL_CTXs that are made once (as a server keeps its SSL_CTX).
 *
 * Method. The machines are shared and noisy (2 cores), so no absolute figure is meaningful
 * alone: every program measures its baseline in the same run, alternating with the subject in
 * `rounds` rounds of `iters` operations each, and reports the MEDIAN over rounds of the per-op
 * cost and the median of the per-round ratios. Costs are thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID: what one core spends, both TLS ends included since both run in this
 * thread); wall time is printed beside it.
 *
 * Header-only (static inline): bench/CMakeLists.txt makes one program of each .c file in bench/.
 */
#ifndef ATEA_BENCH_EA_BENCH_H
#define ATEA_BENCH_EA_BENCH_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "atea/error.h"

#define BENCH_MAX_ROUNDS 50
#define BENCH_MAX_ITERS 1000000L
#define BENCH_CALLGRIND_ITERS 20L
/* TLS 1.3 needs 2 flights each way; anything beyond this is a stall. */
#define BENCH_MAX_HANDSHAKE_STEPS 32

/* ------------------------------------------------------------------ arguments */

typedef struct bench_args {
    long iters;       /* operations of each kind per round */
    int rounds;       /* rounds; medians are taken over them */
    int callgrind;    /* fixed small counts, one round: instruction counts are comparable */
    const char *only; /* -k NAME: run only the case of that name (NULL: all) */
} bench_args;

static inline void bench_usage(const char *prog, long default_iters, int default_rounds)
{
    fprintf(stderr,
            "usage: %s [-n ITERS] [-r ROUNDS] [-k CASE] [--callgrind]\n"
            "  -n ITERS     operations of each kind per round (default %ld; env ATEA_BENCH_ITERS)\n"
            "  -r ROUNDS    rounds, medians over them (default %d; env ATEA_BENCH_ROUNDS)\n"
            "  -k CASE      run only this case (key type: p256, ed25519)\n"
            "  --callgrind  %ld operations, 1 round: for valgrind --tool=callgrind "
            "(docs/BENCHMARKS.md)\n",
            prog, default_iters, default_rounds, BENCH_CALLGRIND_ITERS);
    exit(2);
}

static inline long bench_parse_long(const char *s, long lo, long hi, const char *prog,
                                    long default_iters, int default_rounds)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "%s: '%s' is not a number in %ld..%ld\n", prog, s, lo, hi);
        bench_usage(prog, default_iters, default_rounds);
    }
    return v;
}

static inline void bench_args_parse(int argc, char **argv, long default_iters, int default_rounds,
                                    bench_args *a)
{
    const char *prog = argc > 0 ? argv[0] : "bench";
    const char *env_iters = getenv("ATEA_BENCH_ITERS");
    const char *env_rounds = getenv("ATEA_BENCH_ROUNDS");
    a->iters = default_iters;
    a->rounds = default_rounds;
    a->callgrind = 0;
    a->only = NULL;
    if (env_iters != NULL && *env_iters != '\0') {
        a->iters =
            bench_parse_long(env_iters, 1, BENCH_MAX_ITERS, prog, default_iters, default_rounds);
    }
    if (env_rounds != NULL && *env_rounds != '\0') {
        a->rounds = (int)bench_parse_long(env_rounds, 1, BENCH_MAX_ROUNDS, prog, default_iters,
                                          default_rounds);
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            a->iters = bench_parse_long(argv[++i], 1, BENCH_MAX_ITERS, prog, default_iters,
                                        default_rounds);
        } else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            a->rounds = (int)bench_parse_long(argv[++i], 1, BENCH_MAX_ROUNDS, prog, default_iters,
                                              default_rounds);
        } else if (strcmp(argv[i], "-k") == 0 && i + 1 < argc) {
            a->only = argv[++i];
        } else if (strcmp(argv[i], "--callgrind") == 0) {
            a->callgrind = 1;
        } else {
            bench_usage(prog, default_iters, default_rounds);
        }
    }
    if (a->callgrind) {
        a->iters = BENCH_CALLGRIND_ITERS;
        a->rounds = 1;
    }
}

/* 1 if the case called `name` is to run. */
static inline int bench_selected(const bench_args *a, const char *name)
{
    return a->only == NULL || strcmp(a->only, name) == 0;
}

/* ------------------------------------------------------------------ clocks */

typedef struct bench_time {
    double cpu_ns;
    double wall_ns;
} bench_time;

static inline double bench_clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline bench_time bench_now(void)
{
    bench_time t = {bench_clock_ns(CLOCK_THREAD_CPUTIME_ID), bench_clock_ns(CLOCK_MONOTONIC)};
    return t;
}

/* acc += now - since */
static inline void bench_add_since(bench_time *acc, bench_time since)
{
    bench_time t = bench_now();
    acc->cpu_ns += t.cpu_ns - since.cpu_ns;
    acc->wall_ns += t.wall_ns - since.wall_ns;
}

/* ------------------------------------------------------------------ statistics */

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* The q-quantile (0..1, nearest rank) of v[0..n); sorts v. */
static inline double bench_quantile(double *v, size_t n, double q)
{
    if (n == 0) {
        return NAN;
    }
    qsort(v, n, sizeof(*v), bench_cmp_double);
    double want = q * (double)n;
    size_t rank = (size_t)want;
    rank += (double)rank < want; /* ceil without libm */
    return v[rank == 0 ? 0 : rank > n ? n - 1 : rank - 1];
}

static inline double bench_median(double *v, size_t n)
{
    if (n == 0) {
        return NAN;
    }
    qsort(v, n, sizeof(*v), bench_cmp_double);
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Per-op cost of one measured thing, one entry per round. */
typedef struct bench_series {
    const char *what;
    double cpu_us[BENCH_MAX_ROUNDS];
    double wall_us[BENCH_MAX_ROUNDS];
    int n;
} bench_series;

static inline void bench_series_add(bench_series *s, bench_time total, long ops)
{
    if (s->n < BENCH_MAX_ROUNDS && ops > 0) {
        s->cpu_us[s->n] = total.cpu_ns / 1e3 / (double)ops;
        s->wall_us[s->n] = total.wall_ns / 1e3 / (double)ops;
        s->n++;
    }
}

static inline double bench_series_cpu(const bench_series *s)
{
    double v[BENCH_MAX_ROUNDS];
    memcpy(v, s->cpu_us, sizeof(v));
    return bench_median(v, (size_t)s->n);
}

static inline double bench_series_wall(const bench_series *s)
{
    double v[BENCH_MAX_ROUNDS];
    memcpy(v, s->wall_us, sizeof(v));
    return bench_median(v, (size_t)s->n);
}

/* Median over rounds of num's CPU cost / den's CPU cost in the same round. */
static inline double bench_series_ratio(const bench_series *num, const bench_series *den)
{
    double v[BENCH_MAX_ROUNDS];
    int n = num->n < den->n ? num->n : den->n;
    for (int i = 0; i < n; i++) {
        v[i] = num->cpu_us[i] / den->cpu_us[i];
    }
    return bench_median(v, (size_t)n);
}

/* ------------------------------------------------------------------ the table */

static inline void bench_table_header(const char *title, const bench_args *a)
{
    printf("\n%s\n(%ld ops per round, %d round%s; median over rounds; CPU = thread CPU time)\n",
           title, a->iters, a->rounds, a->rounds == 1 ? "" : "s");
    printf("%-46s %12s %12s %12s %9s\n", "what", "ops/s (CPU)", "us/op (CPU)", "us/op (wall)",
           "ratio");
}

/* ratio: NAN to leave it blank. */
static inline void bench_table_row(const bench_series *s, double ratio)
{
    double cpu = bench_series_cpu(s);
    double wall = bench_series_wall(s);
    if (isnan(ratio)) {
        printf("%-46s %12.0f %12.1f %12.1f %9s\n", s->what, 1e6 / cpu, cpu, wall, "");
    } else {
        printf("%-46s %12.0f %12.1f %12.1f %9.3f\n", s->what, 1e6 / cpu, cpu, wall, ratio);
    }
}

static inline void bench_verdict(const char *what, double ratio, const char *op, double target,
                                 int met)
{
    printf("%-46s %.3f %s %.2f: %s\n", what, ratio, op, target, met ? "PASS" : "MISS");
}

/* ------------------------------------------------------------------ failures */

static inline void bench_die_atea(const char *what, atea_err err)
{
    fprintf(stderr, "bench: %s failed: %s: %s\n", what, atea_err_name(err), atea_err_detail(err));
    exit(1);
}

#define BENCH_TRY(what, expr)                                                                      \
    do {                                                                                           \
        atea_err bench_err_ = (expr);                                                              \
        if (bench_err_ != ATEA_OK) {                                                               \
            bench_die_atea((what), bench_err_);                                                    \
        }                                                                                          \
    } while (0)

static inline void bench_die_ossl(const char *what)
{
    char buf[256];
    unsigned long e = ERR_peek_error();
    if (e == 0) {
        snprintf(buf, sizeof(buf), "no OpenSSL error queued");
    } else {
        ERR_error_string_n(e, buf, sizeof(buf));
    }
    fprintf(stderr, "bench: %s failed: %s\n", what, buf);
    exit(1);
}

/* ------------------------------------------------------------------ TLS 1.3 handshakes */

/* 1 done, 0 wants I/O, -1 failed. */
static inline int bench_hs_step(SSL *ssl)
{
    int r = SSL_do_handshake(ssl);
    if (r == 1) {
        return 1;
    }
    int e = SSL_get_error(ssl, r);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

/*
 * A new client and server from the two SSL_CTXs, joined by a BIO pair whose buffers hold
 * bio_size bytes each way (0: OpenSSL's default, 17 KiB), through a complete TLS 1.3 handshake
 * (the server has verified the client Finished).
 */
static inline void bench_tls_connect_sized(SSL_CTX *client_ctx, SSL_CTX *server_ctx,
                                           size_t bio_size, SSL **pclient, SSL **pserver)
{
    SSL *c = SSL_new(client_ctx);
    SSL *s = SSL_new(server_ctx);
    BIO *cb = NULL;
    BIO *sb = NULL;
    if (c == NULL || s == NULL || BIO_new_bio_pair(&cb, bio_size, &sb, bio_size) != 1) {
        bench_die_ossl("SSL_new / BIO_new_bio_pair");
    }
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(s, sb, sb);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    for (int step = 0; step < BENCH_MAX_HANDSHAKE_STEPS; step++) {
        int rc = bench_hs_step(c);
        if (rc < 0) {
            bench_die_ossl("client handshake");
        }
        int rs = bench_hs_step(s);
        if (rs < 0) {
            bench_die_ossl("server handshake");
        }
        if (rc == 1 && rs == 1) {
            *pclient = c;
            *pserver = s;
            return;
        }
    }
    fprintf(stderr, "bench: the handshake did not complete in %d steps\n",
            BENCH_MAX_HANDSHAKE_STEPS);
    exit(1);
}

static inline void bench_tls_connect(SSL_CTX *client_ctx, SSL_CTX *server_ctx, SSL **pclient,
                                     SSL **pserver)
{
    bench_tls_connect_sized(client_ctx, server_ctx, 0, pclient, pserver);
}

#endif
