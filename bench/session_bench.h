/*
 * The attested-session harness of bench/session_setup.c and bench/session_throughput.c: two
 * atea_sessions driven I/O-free over the two ends of an in-memory TLS 1.3 connection (BIO pair),
 * the server attesting with the simulated TEE (atea_sim_attester_new, a key store in a temporary
 * directory) and the client appraising with atea_verifier under a policy that trusts exactly that
 * sim root (docs/POLICY.md), as `atea server --attest` / `atea client --verify-peer` do.
 *
 * Frames travel as TLS application data: what a session queues is written with SSL_write (all of
 * it, zero-copy through atea_session_peek_output), what SSL_read returns is fed to the peer's
 * session. Header-only (static inline).
 */
#ifndef ATEA_BENCH_SESSION_BENCH_H
#define ATEA_BENCH_SESSION_BENCH_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "atea/appraisal.h"
#include "atea/frame.h"
#include "atea/policy.h"
#include "atea/session.h"
#include "atea/sim.h"
#include "atea/verify.h"
#include "ea_bench.h"
#include "test_certs.h"
#include "tls_pair.h"

#define SB_NOW_MS 1000u /* the sessions' clock: no timer is due during a benchmark */
#define SB_MAX_TURNS 64 /* a setup takes a handful of flights; more is a stall */
#define SB_READ_CHUNK (64u * 1024u)
#define SB_POLICY_MAX 512

/* ------------------------------------------------------------------ the sim TEE and verifier */

typedef struct sb_tee {
    char dir[64];        /* the sim key store (temporary) */
    atea_attester *sim;  /* the real sim attester */
    atea_attester timed; /* wraps sim, adds the time of each attest() to attest_time */
    atea_policy *policy;
    atea_verifier *verifier;
    bench_time attest_time; /* accumulated by the wrappers; reset by the caller */
    bench_time appraise_time;
    size_t last_cmw_len;
} sb_tee;

static inline atea_err sb_timed_attest(atea_attester *self, const atea_binding *b, atea_buf *cmw)
{
    sb_tee *t = (sb_tee *)((char *)self - offsetof(sb_tee, timed));
    bench_time t0 = bench_now();
    atea_err err = atea_attester_attest(t->sim, b, cmw);
    bench_add_since(&t->attest_time, t0);
    t->last_cmw_len = cmw->len;
    return err;
}

static inline void sb_timed_free(atea_attester *self)
{
    (void)self; /* embedded in sb_tee */
}

static inline atea_err sb_appraise(void *user, const uint8_t *cmw, size_t len,
                                   const atea_binding *expected, atea_appraisal *out)
{
    sb_tee *t = user;
    bench_time t0 = bench_now();
    atea_err err = atea_verify_cmw(t->verifier, cmw, len, expected, out);
    bench_add_since(&t->appraise_time, t0);
    return err;
}

static inline void sb_tee_init(sb_tee *t)
{
    atea_sim_opts so;
    atea_verify_opts vo;
    uint8_t root[32];
    char json[SB_POLICY_MAX];
    int n = 0;
    memset(t, 0, sizeof(*t));
    snprintf(t->dir, sizeof(t->dir), "/tmp/atea-bench-sim-XXXXXX");
    if (mkdtemp(t->dir) == NULL) {
        perror("bench: mkdtemp");
        exit(1);
    }
    atea_sim_opts_default(&so);
    so.dir = t->dir;
    BENCH_TRY("atea_sim_attester_new", atea_sim_attester_new(&so, &t->sim));
    t->timed.platform = t->sim->platform;
    t->timed.attest = sb_timed_attest;
    t->timed.free = sb_timed_free;
    BENCH_TRY("atea_sim_root_sha256", atea_sim_root_sha256(t->dir, 0, root));
    n = snprintf(json, sizeof(json),
                 "{ \"version\": 1, \"platforms\": { \"sim\": { \"trusted\": true, "
                 "\"root_sha256\": [\"");
    for (size_t i = 0; i < sizeof(root); i++) {
        n += snprintf(json + n, sizeof(json) - (size_t)n, "%02x", root[i]);
    }
    n += snprintf(json + n, sizeof(json) - (size_t)n, "\"] } } }");
    BENCH_TRY("atea_policy_load_mem",
              atea_policy_load_mem(json, (size_t)n, "bench-policy.json", NULL, &t->policy, NULL));
    atea_verify_opts_default(&vo);
    vo.policy = t->policy;
    vo.allow_sim = 1;
    BENCH_TRY("atea_verifier_new", atea_verifier_new(&vo, &t->verifier));
}

/* Remove a directory tree of bounded depth (the sim store: files and one level of folders). */
static inline void sb_rm_tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    struct dirent *e = NULL;
    char child[512];
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        int n = snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
        if (n < 0 || (size_t)n >= sizeof(child)) {
            continue;
        }
        if (remove(child) != 0 && depth > 0) {
            sb_rm_tree(child, depth - 1);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    (void)remove(path);
}

static inline void sb_tee_dispose(sb_tee *t)
{
    atea_verifier_free(t->verifier);
    atea_policy_free(t->policy);
    atea_attester_free(t->sim);
    if (t->dir[0] != '\0') {
        sb_rm_tree(t->dir, 4);
    }
}

/* ------------------------------------------------------------------ one side */

/* What the throughput benches run on: a fresh P-256 server identity, TLS contexts prepared for
 * attested TLS with it, and the sim TEE. Exits on failure. */
static inline void sb_attested_start(atea_test_identity **id, atea_test_tls_pair **ctxs,
                                     sb_tee *tee)
{
    atea_test_tls_pair_opts topts;
    *id = atea_test_identity_new(ATEA_TEST_KEY_P256);
    memset(&topts, 0, sizeof(topts));
    topts.server_id = *id;
    topts.attested = 1;
    BENCH_TRY("the TLS contexts", atea_test_tls_pair_start(ctxs, &topts));
    sb_tee_init(tee);
}

/* A fresh buffer of len bytes of a fixed non-repeating-byte pattern (what the benches send). */
static inline uint8_t *sb_pattern_new(size_t len)
{
    uint8_t *p = malloc(len);
    if (p == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < len; i++) {
        p[i] = (uint8_t)(i * 131u + 7u);
    }
    return p;
}

typedef struct sb_side {
    SSL *ssl;
    atea_ossl_tls state;
    atea_tls tls;
    atea_session *s;
    atea_session_opts opts;
    atea_slice chain[1];
    int ready;      /* READY seen */
    int attested;   /* RP: ATTESTED seen; attester: ACCEPTED seen */
    size_t data_in; /* application bytes received (DATA events) */
    const char *name;
} sb_side;

/* What one setup did on the wire, for the report (filled when trace is set). */
typedef struct sb_trace {
    int flights;        /* post-handshake flights carrying frames (see sb_connect) */
    int client_flights; /* of which the client's, the server's */
    int server_flights;
    /* Server flights the client had received when it became READY (may send data), and
     * client flights the server had received when it became READY. */
    int client_ready_after;
    int server_ready_after;
    int first_flight_with_finished; /* 1: the client's first frames left with its Finished */
    char seq[512];                  /* "C: HELLO | S: HELLO AUTHENTICATOR | ..." */
    size_t frame_bytes[ATEA_FRAME_TYPE_MAX + 1]; /* header included, both directions */
    unsigned frame_count[ATEA_FRAME_TYPE_MAX + 1];
    size_t tls_bytes[2]; /* TLS bytes (records) written after the handshake: client, server */
} sb_trace;

/* Session options of the attester (server) and of the relying party (client). chain[0] is
 * storage for the leaf's slice, which the options borrow. */
static inline void sb_opts_attester(atea_session_opts *o, atea_slice chain[1], sb_tee *tee,
                                    const atea_test_identity *id)
{
    atea_session_opts_default(o);
    o->role = ATEA_SESSION_ATTESTER;
    o->attester = &tee->timed;
    chain[0] = (atea_slice){id->leaf_der.data, id->leaf_der.len};
    o->chain = chain;
    o->n_chain = 1;
    o->key = id->key;
}

static inline void sb_opts_rp(atea_session_opts *o, sb_tee *tee)
{
    atea_session_opts_default(o);
    o->role = ATEA_SESSION_RELYING_PARTY;
    o->appraise = sb_appraise;
    o->appraise_user = tee;
}

static inline void sb_side_start(sb_side *side)
{
    BENCH_TRY("atea_ossl_tls_init", atea_ossl_tls_init(&side->state, side->ssl, &side->tls));
    BENCH_TRY("atea_session_new", atea_session_new(&side->tls, &side->opts, SB_NOW_MS, &side->s));
}

static inline void sb_side_events(sb_side *side)
{
    atea_session_event ev;
    while (atea_session_next_event(side->s, &ev)) {
        switch (ev.type) {
        case ATEA_SESSION_EV_ATTESTED:
        case ATEA_SESSION_EV_ACCEPTED:
            side->attested = 1;
            break;
        case ATEA_SESSION_EV_READY:
            side->ready = 1;
            break;
        case ATEA_SESSION_EV_DATA:
            side->data_in += ev.len;
            break;
        case ATEA_SESSION_EV_REATTESTED:
            break;
        case ATEA_SESSION_EV_REFUSED:
        case ATEA_SESSION_EV_CLOSED:
            fprintf(stderr, "bench: %s session: %s: %s (%s)\n", side->name,
                    atea_session_event_name(ev.type), ev.text, atea_err_name(ev.err));
            exit(1);
        }
    }
}

/* Describe the frames in out[0..len) into the trace. */
static inline void sb_trace_frames(sb_trace *tr, const char *who, const uint8_t *out, size_t len)
{
    size_t off = 0;
    size_t n = strlen(tr->seq);
    n += (size_t)snprintf(tr->seq + n, sizeof(tr->seq) - n, "%s%s:", n > 0 ? " | " : "", who);
    while (off < len && n < sizeof(tr->seq)) {
        atea_frame f;
        size_t used = 0;
        size_t need = 0;
        BENCH_TRY("atea_frame_decode", atea_frame_decode(out + off, len - off, &f, &used, &need));
        if (f.type <= ATEA_FRAME_TYPE_MAX) {
            tr->frame_bytes[f.type] += used;
            tr->frame_count[f.type]++;
        }
        n += (size_t)snprintf(tr->seq + n, sizeof(tr->seq) - n, " %s(%zu)",
                              atea_frame_type_name(f.type), used);
        off += used;
    }
}

/* Write everything the side's session has queued to its SSL; returns the bytes written. */
static inline size_t sb_flush(sb_side *side, sb_trace *tr, const char *who)
{
    size_t total = 0;
    size_t len = 0;
    const uint8_t *p = NULL;
    while ((p = atea_session_peek_output(side->s, &len)) != NULL && len > 0) {
        size_t w = 0;
        if (tr != NULL) {
            sb_trace_frames(tr, who, p, len);
        }
        if (SSL_write_ex(side->ssl, p, len, &w) != 1) {
            bench_die_ossl("SSL_write (session output)");
        }
        atea_session_drain_ack(side->s, w);
        total += w;
    }
    return total;
}

/* Read every TLS record waiting for the side and feed it to its session; take its events. */
static inline void sb_pull(sb_side *side, uint8_t *buf, size_t cap)
{
    for (;;) {
        size_t n = 0;
        if (SSL_read_ex(side->ssl, buf, cap, &n) != 1) {
            int e = SSL_get_error(side->ssl, 0);
            if (e == SSL_ERROR_WANT_READ) {
                return;
            }
            bench_die_ossl("SSL_read (session input)");
        }
        size_t off = 0;
        while (off < n) {
            size_t consumed = 0;
            /* borrow: every event is taken before buf is reused (session.h) */
            atea_err err =
                atea_session_feed_borrow(side->s, buf + off, n - off, &consumed, SB_NOW_MS);
            if (err != ATEA_OK) {
                fprintf(stderr, "bench: %s session: %s: %s\n", side->name, atea_err_name(err),
                        atea_session_last_error_detail(side->s));
                exit(1);
            }
            off += consumed;
            sb_side_events(side);
        }
    }
}

/* ------------------------------------------------------------------ a connection */

typedef struct sb_conn {
    sb_side client; /* relying party */
    sb_side server; /* attester */
    BIO *client_bio;
    BIO *server_bio;
} sb_conn;

static inline void sb_conn_free(sb_conn *c)
{
    atea_session_free(c->client.s);
    atea_session_free(c->server.s);
    SSL_free(c->client.ssl);
    SSL_free(c->server.ssl);
    memset(c, 0, sizeof(*c));
}

/*
 * Handshake and attestation, as an application does it: each end starts its session as soon as
 * its own handshake completes (the client after writing its Finished, the server after reading
 * it), and every turn an end reads what arrived, feeds it, and writes what its session queued.
 * Ends when both sessions are READY and nothing is in flight.
 *
 * Flights: a turn in which an end writes frames is one flight. The client's first frames (its
 * HELLO) are written in the same turn as its Finished, so they leave in the handshake's last
 * flight; tr->flights counts the flights AFTER that one.
 *
 * bio_size: the BIO pair's buffer in each direction (0: OpenSSL's default, 17 KiB).
 */
static inline void sb_connect(sb_conn *c, SSL_CTX *client_ctx, SSL_CTX *server_ctx, sb_tee *tee,
                              const atea_test_identity *id, size_t bio_size, sb_trace *tr)
{
    uint8_t buf[SB_READ_CHUNK];
    int c_done = 0;
    int s_done = 0;
    size_t w_before[2] = {0, 0};
    memset(c, 0, sizeof(*c));
    c->client.name = "client";
    c->server.name = "server";
    c->client.ssl = SSL_new(client_ctx);
    c->server.ssl = SSL_new(server_ctx);
    if (c->client.ssl == NULL || c->server.ssl == NULL ||
        BIO_new_bio_pair(&c->client_bio, bio_size, &c->server_bio, bio_size) != 1) {
        bench_die_ossl("SSL_new / BIO_new_bio_pair");
    }
    SSL_set_bio(c->client.ssl, c->client_bio, c->client_bio);
    SSL_set_bio(c->server.ssl, c->server_bio, c->server_bio);
    SSL_set_connect_state(c->client.ssl);
    SSL_set_accept_state(c->server.ssl);
    sb_opts_rp(&c->client.opts, tee);
    sb_opts_attester(&c->server.opts, c->server.chain, tee, id);
    if (tr != NULL) {
        memset(tr, 0, sizeof(*tr));
    }
    for (int turn = 0; turn < SB_MAX_TURNS; turn++) {
        /* client's turn */
        if (!c_done) {
            int r = bench_hs_step(c->client.ssl);
            if (r < 0) {
                bench_die_ossl("client handshake");
            }
            if (r == 1) {
                c_done = 1;
                sb_side_start(&c->client);
                w_before[0] = BIO_number_written(c->client_bio);
                if (tr != NULL && BIO_ctrl_wpending(c->client_bio) > 0) {
                    tr->first_flight_with_finished = 1; /* Finished still queued beside */
                }
                sb_flush(&c->client, tr, "C");
                continue; /* the handshake's last flight: not counted */
            }
        } else {
            int was_ready = c->client.ready;
            sb_pull(&c->client, buf, sizeof(buf));
            if (tr != NULL && !was_ready && c->client.ready) {
                tr->client_ready_after = tr->server_flights;
            }
            if (sb_flush(&c->client, tr, "C") > 0 && tr != NULL) {
                tr->flights++;
                tr->client_flights++;
            }
        }
        /* server's turn */
        if (!s_done) {
            int r = bench_hs_step(c->server.ssl);
            if (r < 0) {
                bench_die_ossl("server handshake");
            }
            if (r == 1) {
                s_done = 1;
                sb_side_start(&c->server);
                w_before[1] = BIO_number_written(c->server_bio);
            }
        }
        if (s_done) {
            int was_ready = c->server.ready;
            sb_pull(&c->server, buf, sizeof(buf));
            if (tr != NULL && !was_ready && c->server.ready) {
                tr->server_ready_after = tr->client_flights;
            }
            if (sb_flush(&c->server, tr, "S") > 0 && tr != NULL) {
                tr->flights++;
                tr->server_flights++;
            }
        }
        if (c->client.ready && c->server.ready && c->client.attested && c->server.attested &&
            BIO_ctrl_pending(c->client_bio) == 0 && BIO_ctrl_pending(c->server_bio) == 0 &&
            atea_session_pending_output(c->client.s) == 0 &&
            atea_session_pending_output(c->server.s) == 0) {
            if (tr != NULL) {
                tr->tls_bytes[0] = BIO_number_written(c->client_bio) - w_before[0];
                tr->tls_bytes[1] = BIO_number_written(c->server_bio) - w_before[1];
            }
            return;
        }
    }
    fprintf(stderr, "bench: the attested setup did not finish in %d turns\n", SB_MAX_TURNS);
    exit(1);
}

#endif
