/*
 * Attested connection setup beside plain TLS 1.3 handshakes, same keys, same run
 * (docs/BENCHMARKS.md "session_setup").
 *
 * For each leaf key type (P-256, Ed25519):
 *   plain      a full TLS 1.3 handshake over a BIO pair (SSL_new on both ends, the handshake,
 *              SSL_free), as bench/ea_auth.c;
 *   attested   the same handshake, then two atea_sessions (client: relying party, server:
 *              attester with the simulated TEE, its authenticator leaf = the TLS leaf and key)
 *              exchanging frames over the TLS connection until both are READY: one RFC 9261
 *              authenticator carrying sim evidence, appraised by atea_verifier under a policy
 *              that trusts the sim root; then SSL_free and atea_session_free.
 * Reports CPU per setup (both ends, one thread), the ratio attested / plain, median and p90
 * latency of single setups, the frames and bytes of one attestation, and the flights it adds
 * after the handshake. Targets (the issue): at most 2x the CPU of a plain handshake; exactly
 * one added round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atea_test.h"
#include "ea_bench.h"
#include "session_bench.h"

#define SETUP_DEFAULT_ITERS 100L
#define SETUP_DEFAULT_ROUNDS 5
#define SETUP_TARGET_RATIO 2.0
#define SETUP_TARGET_ROUND_TRIPS 1

typedef struct setup_case {
    atea_test_keytype type;
    atea_test_identity *id;
    atea_test_tls_pair *ctxs; /* its SSL_CTXs are used; its own ends are never driven */
    sb_tee *tee;
} setup_case;

/* Per-setup latencies of every run, for the median and p90. */
typedef struct latencies {
    double *cpu_us;
    double *wall_us;
    size_t n;
    size_t cap;
} latencies;

static void latencies_add(latencies *l, bench_time since)
{
    bench_time t = bench_now();
    if (l->n < l->cap) {
        l->cpu_us[l->n] = (t.cpu_ns - since.cpu_ns) / 1e3;
        l->wall_us[l->n] = (t.wall_ns - since.wall_ns) / 1e3;
        l->n++;
    }
}

static void latencies_init(latencies *l, size_t cap)
{
    l->cpu_us = calloc(cap, sizeof(double));
    l->wall_us = calloc(cap, sizeof(double));
    l->n = 0;
    l->cap = cap;
    if (l->cpu_us == NULL || l->wall_us == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
}

static void latencies_dispose(latencies *l)
{
    free(l->cpu_us);
    free(l->wall_us);
}

/* Not static: callgrind's --toggle-collect names them. */
__attribute__((noinline)) void bench_plain_setup_once(setup_case *c);
__attribute__((noinline)) void bench_plain_setup_once(setup_case *c)
{
    SSL *client = NULL;
    SSL *server = NULL;
    bench_tls_connect(c->ctxs->client_ctx, c->ctxs->server_ctx, &client, &server);
    SSL_free(client);
    SSL_free(server);
}

__attribute__((noinline)) void bench_attested_setup_once(setup_case *c);
__attribute__((noinline)) void bench_attested_setup_once(setup_case *c)
{
    sb_conn conn;
    sb_connect(&conn, c->ctxs->client_ctx, c->ctxs->server_ctx, c->tee, c->id, 0, NULL);
    sb_conn_free(&conn);
}

typedef struct setup_result {
    bench_series plain;
    bench_series attested;
    bench_series attest;   /* inside attested: the sim attester's attest() */
    bench_series appraise; /* inside attested: atea_verify_cmw */
    bench_series rest;     /* attested - plain - attest - appraise: EA + session + framing */
    latencies plain_lat;
    latencies attested_lat;
    sb_trace trace;
} setup_result;

static void run_case(setup_case *c, const bench_args *a, setup_result *r)
{
    size_t cap = (size_t)a->iters * (size_t)a->rounds;
    memset(r, 0, sizeof(*r));
    r->plain.what = "plain TLS 1.3 handshake (both ends)";
    r->attested.what = "attested setup: handshake + attestation";
    r->attest.what = "  of which sim attester (evidence)";
    r->appraise.what = "  of which atea_verify_cmw (sim, policy)";
    r->rest.what = "  of which EA + session + TLS records";
    latencies_init(&r->plain_lat, cap);
    latencies_init(&r->attested_lat, cap);
    /* Traced run first, outside the named functions: the wire figures; also the warm-up. */
    sb_conn traced;
    sb_connect(&traced, c->ctxs->client_ctx, c->ctxs->server_ctx, c->tee, c->id, 0, &r->trace);
    sb_conn_free(&traced);
    if (!a->callgrind) {
        bench_plain_setup_once(c);
    }
    for (int round = 0; round < a->rounds; round++) {
        bench_time plain = {0, 0};
        bench_time attested = {0, 0};
        memset(&c->tee->attest_time, 0, sizeof(c->tee->attest_time));
        memset(&c->tee->appraise_time, 0, sizeof(c->tee->appraise_time));
        for (long i = 0; i < a->iters; i++) {
            bench_time t0 = bench_now();
            bench_plain_setup_once(c);
            latencies_add(&r->plain_lat, t0);
            bench_add_since(&plain, t0);
        }
        for (long i = 0; i < a->iters; i++) {
            bench_time t0 = bench_now();
            bench_attested_setup_once(c);
            latencies_add(&r->attested_lat, t0);
            bench_add_since(&attested, t0);
        }
        bench_time rest = {
            attested.cpu_ns - plain.cpu_ns - c->tee->attest_time.cpu_ns -
                c->tee->appraise_time.cpu_ns,
            attested.wall_ns - plain.wall_ns - c->tee->attest_time.wall_ns -
                c->tee->appraise_time.wall_ns,
        };
        bench_series_add(&r->plain, plain, a->iters);
        bench_series_add(&r->attested, attested, a->iters);
        bench_series_add(&r->attest, c->tee->attest_time, a->iters);
        bench_series_add(&r->appraise, c->tee->appraise_time, a->iters);
        bench_series_add(&r->rest, rest, a->iters);
    }
}

static void print_latency(const char *what, latencies *l)
{
    double wall_med = bench_median(l->wall_us, l->n);
    double wall_p90 = bench_quantile(l->wall_us, l->n, 0.9);
    double cpu_med = bench_median(l->cpu_us, l->n);
    double cpu_p90 = bench_quantile(l->cpu_us, l->n, 0.9);
    printf("%-46s wall median %8.1f us, p90 %8.1f us; CPU median %8.1f us, p90 %8.1f us "
           "(%zu runs)\n",
           what, wall_med, wall_p90, cpu_med, cpu_p90, l->n);
}

static void print_wire(const setup_result *r, size_t cmw_len)
{
    const sb_trace *t = &r->trace;
    size_t total = 0;
    printf("wire, one attestation (frames incl. 4-byte header; CMW %zu B):\n", cmw_len);
    for (unsigned type = 1; type <= ATEA_FRAME_TYPE_MAX; type++) {
        if (t->frame_count[type] > 0) {
            printf("  %-14s x%u %6zu B\n", atea_frame_type_name(type), t->frame_count[type],
                   t->frame_bytes[type]);
            total += t->frame_bytes[type];
        }
    }
    printf("  %-14s    %6zu B frames; TLS records after the handshake: client %zu B, server %zu B"
           " (total %zu B)\n",
           "total", total, t->tls_bytes[0], t->tls_bytes[1], t->tls_bytes[0] + t->tls_bytes[1]);
    printf("sequence: %s\n", t->seq);
    printf("client's first frames sent with its Finished (handshake's last flight): %s\n",
           t->first_flight_with_finished ? "yes" : "no");
    printf("flights after the handshake's last flight: %d\n", t->flights);
}

static int report_case(setup_case *c, const bench_args *a, setup_result *r)
{
    char title[160];
    snprintf(title, sizeof(title),
             "attested setup vs plain TLS 1.3 handshake, %s leaf, sim TEE, "
             "TLS_AES_128_GCM_SHA256",
             atea_test_keytype_name(c->type));
    bench_table_header(title, a);
    const bench_series *rows[] = {&r->plain, &r->attested, &r->attest, &r->appraise, &r->rest};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        bench_table_row(rows[i], bench_series_ratio(rows[i], &r->plain));
    }
    print_latency("latency, plain handshake", &r->plain_lat);
    print_latency("latency, attested setup", &r->attested_lat);
    print_wire(r, c->tee->last_cmw_len);
    /* In plain TLS 1.3 the client may send application data with its Finished, and the server
     * as soon as it has read that Finished. Each flight of the peer that an end must still wait
     * for after that before it is READY is one added round trip for that end. */
    int added_rtt = r->trace.client_ready_after;
    printf("round trips added before the client (relying party) may send data: %d server "
           "flight(s)\n",
           r->trace.client_ready_after);
    printf("round trips added before the server (attester) may send data:      %d client "
           "flight(s)\n",
           r->trace.server_ready_after);
    double ratio = bench_series_ratio(&r->attested, &r->plain);
    char what[96];
    snprintf(what, sizeof(what), "%s: attested / plain CPU", atea_test_keytype_name(c->type));
    bench_verdict(what, ratio, "<=", SETUP_TARGET_RATIO, ratio <= SETUP_TARGET_RATIO);
    snprintf(what, sizeof(what), "%s: round trips added (client)", atea_test_keytype_name(c->type));
    printf("%-46s %d == %d: %s\n", what, added_rtt, SETUP_TARGET_ROUND_TRIPS,
           added_rtt == SETUP_TARGET_ROUND_TRIPS ? "PASS" : "MISS");
    return ratio <= SETUP_TARGET_RATIO && added_rtt == SETUP_TARGET_ROUND_TRIPS;
}

int main(int argc, char **argv)
{
    static const atea_test_keytype types[] = {ATEA_TEST_KEY_P256, ATEA_TEST_KEY_ED25519};
    bench_args a;
    sb_tee tee;
    int all_met = 1;
    bench_args_parse(argc, argv, SETUP_DEFAULT_ITERS, SETUP_DEFAULT_ROUNDS, &a);
    printf("session_setup: attested connection setup (handshake + one sim attestation) vs plain "
           "TLS 1.3 handshakes, same keys, same run; targets: CPU ratio <= %.1f, %d added round "
           "trip\n",
           SETUP_TARGET_RATIO, SETUP_TARGET_ROUND_TRIPS);
    sb_tee_init(&tee);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        setup_case c;
        setup_result r;
        atea_test_tls_pair_opts topts;
        if (!bench_selected(&a, atea_test_keytype_name(types[i]))) {
            continue;
        }
        memset(&c, 0, sizeof(c));
        c.type = types[i];
        c.id = atea_test_identity_new(types[i]);
        c.tee = &tee;
        memset(&topts, 0, sizeof(topts));
        topts.server_id = c.id;
        topts.attested = 1;
        BENCH_TRY("the TLS contexts", atea_test_tls_pair_start(&c.ctxs, &topts));
        run_case(&c, &a, &r);
        all_met &= report_case(&c, &a, &r);
        latencies_dispose(&r.plain_lat);
        latencies_dispose(&r.attested_lat);
        atea_test_tls_pair_free(c.ctxs);
        atea_test_identity_free(c.id);
    }
    sb_tee_dispose(&tee);
    printf("\nsession_setup targets (every key type): %s\n", all_met ? "PASS" : "MISS");
    return 0;
}
