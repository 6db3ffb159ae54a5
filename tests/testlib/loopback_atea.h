/*
 * Attested ends over loopback TCP for transport tests: an atea_conn configured the way the CLI
 * configures it (tools/atea/channel.c: atea_ossl_ctx_prepare(attested) + ALPN "atea/1", an
 * ephemeral attestation key as the authenticator's leaf, the simulated TEE as attester, an
 * atea_verifier with a JSON policy trusting the sim root as appraiser), run in its own thread
 * so that the test's main thread can play the other end (often a hostile one, loopback.h).
 *
 * Every end records what it saw (error codes, events, the frames it received, the application
 * bytes delivered to it) for the main thread to assert after lb_thread_join: thread bodies never
 * call cmocka.
 *
 * Header-only (static inline): it uses the transport, session, evidence and verify layers,
 * which atea_testlib does not link (as session_pair.h).
 */
#ifndef ATEA_TEST_LOOPBACK_ATEA_H
#define ATEA_TEST_LOOPBACK_ATEA_H

#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "atea/binder.h"
#include "atea/conn.h"
#include "atea/frame.h"
#include "atea/ossl.h"
#include "atea/policy.h"
#include "atea/session.h"
#include "atea/sim.h"
#include "atea/verify.h"
#include "atea_test.h"
#include "loopback.h"
#include "test_certs.h"

/* The genuine attester's measurement (the value a pinning policy lists). */
#define LA_MEASUREMENT_BYTE 0xa1
#define LA_MEASUREMENT_LEN 48
#define LA_MAX_DATA 4096

/* ------------------------------------------------------------------ environment */

typedef struct la_env {
    char dir[64];               /* sim key store, a fresh temporary directory */
    atea_test_identity *tls_id; /* the genuine server's TLS certificate */
    atea_test_identity *aik_id; /* the attestation key: the authenticator's leaf */
    atea_slice chain[1];        /* aik_id's leaf DER */
    SSL_CTX *server_ctx;        /* genuine contexts, as the CLI makes them */
    SSL_CTX *client_ctx;
    atea_attester *attester; /* sim identity "default", measurement a1 a1 .. */
    atea_policy *policy;     /* trusts the sim root; pins the measurement if asked */
} la_env;

/* Remove dir and what is in it, one level of subdirectories deep (the sim store's shape). */
static inline void la_rmtree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char path[512];
    while (d != NULL && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) {
            continue;
        }
        int n = snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
        if (n < 0 || (size_t)n >= sizeof(path)) {
            continue; /* not a path this test created */
        }
        if (remove(path) != 0 && depth > 0) {
            la_rmtree(path, depth - 1);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    (void)remove(dir);
}

static inline SSL_CTX *la_genuine_ctx(int is_server, const atea_test_identity *tls_id)
{
    atea_ossl_ctx_opts oo;
    SSL_CTX *ctx = SSL_CTX_new(is_server ? TLS_server_method() : TLS_client_method());
    assert_non_null(ctx);
    atea_ossl_ctx_opts_default(&oo);
    oo.attested = 1;
    oo.keylog_from_env = 0;
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &oo));
    EXPECT_OK(atea_conn_ctx_set_alpn(ctx, is_server));
    if (is_server) {
        assert_int_equal(SSL_CTX_use_certificate(ctx, tls_id->leaf), 1);
        assert_int_equal(SSL_CTX_use_PrivateKey(ctx, tls_id->key), 1);
    }
    return ctx;
}

/* A sim attester for `identity` in env's store; measurement NULL = the identity's default. */
static inline atea_attester *la_sim_attester(const la_env *env, const char *identity,
                                             const uint8_t *measurement, size_t len)
{
    atea_sim_opts so;
    atea_attester *a = NULL;
    atea_sim_opts_default(&so);
    so.dir = env->dir;
    so.identity = identity;
    so.measurement = measurement;
    so.measurement_len = len;
    EXPECT_OK(atea_sim_attester_new(&so, &a));
    return a;
}

/* pin_measurement: the policy also lists the genuine measurement as the only reference value
 * (anti-diversion, specs.md §6.4 checklist item 5). */
static inline void la_env_init(la_env *env, int pin_measurement)
{
    uint8_t m[LA_MEASUREMENT_LEN];
    char hex[2 * LA_MEASUREMENT_LEN + 1];
    char json[1024];
    memset(env, 0, sizeof(*env));
    snprintf(env->dir, sizeof(env->dir), "/tmp/atea-loopback-XXXXXX");
    assert_non_null(mkdtemp(env->dir));
    env->tls_id = atea_test_identity_new(ATEA_TEST_KEY_P256);
    env->aik_id = atea_test_identity_new(ATEA_TEST_KEY_P256);
    env->chain[0] = (atea_slice){env->aik_id->leaf_der.data, env->aik_id->leaf_der.len};
    env->server_ctx = la_genuine_ctx(1, env->tls_id);
    env->client_ctx = la_genuine_ctx(0, NULL);
    memset(m, LA_MEASUREMENT_BYTE, sizeof(m));
    env->attester = la_sim_attester(env, "default", m, sizeof(m)); /* creates the root */
    for (size_t i = 0; i < sizeof(m); i++) {
        snprintf(hex + 2 * i, 3, "%02x", m[i]);
    }
    int n =
        snprintf(json, sizeof(json),
                 "{ \"version\": 1, \"platforms\": { \"sim\": { \"trusted\": true, "
                 "\"root_pem\": [\"%s/root.crt\"]%s%s%s } } }",
                 env->dir, pin_measurement ? ", \"reference_values\": { \"measurement\": [\"" : "",
                 pin_measurement ? hex : "", pin_measurement ? "\"] }" : "");
    assert_true(n > 0 && (size_t)n < sizeof(json));
    EXPECT_OK(
        atea_policy_load_mem(json, (size_t)n, "loopback-policy.json", NULL, &env->policy, NULL));
}

static inline void la_env_dispose(la_env *env)
{
    atea_attester_free(env->attester);
    atea_policy_free(env->policy);
    SSL_CTX_free(env->server_ctx);
    SSL_CTX_free(env->client_ctx);
    atea_test_identity_free(env->tls_id);
    atea_test_identity_free(env->aik_id);
    if (env->dir[0] != '\0') {
        la_rmtree(env->dir, 1);
    }
    memset(env, 0, sizeof(*env));
}

/* ------------------------------------------------------------------ one attested end */

typedef struct la_end {
    /* configuration (la_end_init, then adjust) */
    la_env *env;
    int is_server;
    int fd;
    SSL_CTX *ctx; /* default: env's genuine context */
    atea_conn_opts copts;
    atea_verifier *verifier; /* relying-party side */
    const char *send;        /* application bytes to write once attested */
    int read;                /* then read until the peer closes (bounded) */
    /* results */
    atea_err err_attest;
    atea_err err_write;
    atea_err err_write_after; /* a write attempted after a failed attestation */
    atea_err err_read;
    atea_err err_close;
    char detail[512];
    unsigned events[8];
    atea_session_event refused; /* the last REFUSED event */
    atea_session_event closed;  /* the last CLOSED event */
    unsigned frames_in[8];      /* frames received, by type (>= 7 in [0]) */
    atea_buf first_in[8];       /* the first frame received of each type (header included) */
    uint8_t data[LA_MAX_DATA];  /* application bytes delivered */
    size_t data_len;
    atea_conn *conn; /* while la_end_run runs (for attesters that look at it) */
    int tls_version; /* SSL_version after the handshake, 0 if none */
    int session_reused;
} la_end;

static inline atea_err la_appraise(void *user, const uint8_t *cmw, size_t len,
                                   const atea_binding *expected, atea_appraisal *out)
{
    la_end *e = user;
    return atea_verify_cmw(e->verifier, cmw, len, expected, out);
}

static inline void la_on_msg(void *user, int sent, const uint8_t *frame, size_t len)
{
    la_end *e = user;
    unsigned type = len > 0 && frame[0] < 8 ? frame[0] : 0;
    if (sent) {
        return;
    }
    e->frames_in[type]++;
    if (e->first_in[type].len == 0) {
        /* a failed copy leaves the capture empty, which the test's assertions then catch */
        atea_err ignored = atea_buf_set(&e->first_in[type], frame, len);
        (void)ignored;
    }
}

static inline void la_record_event(la_end *e, const atea_session_event *ev)
{
    e->events[(unsigned)ev->type < 8 ? (unsigned)ev->type : 0]++;
    if (ev->type == ATEA_SESSION_EV_REFUSED) {
        e->refused = *ev;
    } else if (ev->type == ATEA_SESSION_EV_CLOSED) {
        e->closed = *ev;
    } else if (ev->type == ATEA_SESSION_EV_DATA && e->data_len + ev->len <= sizeof(e->data)) {
        memcpy(e->data + e->data_len, ev->data, ev->len);
        e->data_len += ev->len;
    }
}

static inline void la_on_event(void *user, const atea_session_event *ev)
{
    la_record_event(user, ev);
}

/* role: ATEA_SESSION_ATTESTER, _RELYING_PARTY or _MUTUAL. The end owns fd from now on. */
static inline void la_end_init(la_end *e, la_env *env, int is_server, unsigned role, int fd)
{
    memset(e, 0, sizeof(*e));
    e->env = env;
    e->is_server = is_server;
    e->fd = fd;
    e->ctx = is_server ? env->server_ctx : env->client_ctx;
    atea_conn_opts_default(&e->copts);
    atea_session_opts *so = &e->copts.session;
    so->role = role;
    e->copts.io_timeout_ms = LB_TIMEOUT_MS;
    so->hello_timeout_ms = LB_TIMEOUT_MS;
    so->attest_timeout_ms = LB_TIMEOUT_MS;
    if (role & ATEA_SESSION_ATTESTER) {
        so->attester = env->attester;
        so->chain = env->chain;
        so->n_chain = 1;
        so->key = env->aik_id->key;
    }
    if (role & ATEA_SESSION_RELYING_PARTY) {
        atea_verify_opts vo;
        atea_verify_opts_default(&vo);
        vo.policy = env->policy;
        vo.allow_sim = 1;
        EXPECT_OK(atea_verifier_new(&vo, &e->verifier));
        so->appraise = la_appraise;
        so->appraise_user = e;
    }
    e->copts.on_msg = la_on_msg;
    e->copts.msg_user = e;
    e->copts.on_event = la_on_event;
    e->copts.event_user = e;
    e->err_attest = ATEA_ERR_INTERNAL; /* until the thread ran */
}

static inline void la_end_dispose(la_end *e)
{
    atea_verifier_free(e->verifier);
    for (size_t i = 0; i < 8; i++) {
        atea_buf_free(&e->first_in[i]);
    }
    memset(e, 0, sizeof(*e));
}

/* Read application data until the peer closes, at most timeout_ms. */
static inline atea_err la_read_all(la_end *e, atea_conn *c, int timeout_ms)
{
    uint64_t deadline = lb_now_ms() + (uint64_t)timeout_ms;
    const uint8_t *early = NULL;
    size_t n = atea_conn_take_buffered(c, &early);
    if (n > 0 && e->data_len + n <= sizeof(e->data)) {
        memcpy(e->data + e->data_len, early, n);
        e->data_len += n;
    }
    for (;;) {
        atea_session_event ev;
        atea_err st = atea_conn_step(c);
        int closed = 0;
        while (atea_conn_next_event(c, &ev)) {
            la_record_event(e, &ev);
            closed |= ev.type == ATEA_SESSION_EV_CLOSED;
        }
        if (closed) {
            return e->closed.err;
        }
        if (st != ATEA_OK && st != ATEA_ERR_WANT_READ && st != ATEA_ERR_WANT_WRITE) {
            return st;
        }
        uint64_t now = lb_now_ms();
        if (now >= deadline) {
            return ATEA_ERR_NET_TIMEOUT;
        }
        struct pollfd p = {.fd = atea_conn_fd(c), .events = POLLIN};
        (void)poll(&p, 1, (int)(deadline - now));
    }
}

/* Thread body: handshake, attest, optionally write and read, close. */
static inline void *la_end_run(void *arg)
{
    la_end *e = arg;
    atea_conn *c = NULL;
    SSL *ssl = SSL_new(e->ctx);
    if (ssl == NULL || SSL_set_fd(ssl, e->fd) != 1) {
        SSL_free(ssl);
        close(e->fd);
        return NULL;
    }
    if (e->is_server) {
        SSL_set_accept_state(ssl);
    } else {
        SSL_set_connect_state(ssl);
    }
    e->err_attest = atea_conn_new(ssl, &e->copts, &c);
    if (e->err_attest != ATEA_OK) {
        SSL_free(ssl);
        close(e->fd);
        return NULL;
    }
    e->conn = c;
    e->err_attest = atea_conn_attest(c);
    snprintf(e->detail, sizeof(e->detail), "%s", atea_err_detail(e->err_attest));
    if (SSL_is_init_finished(ssl)) {
        e->tls_version = SSL_version(ssl);
        e->session_reused = SSL_session_reused(ssl);
    }
    if (e->err_attest == ATEA_OK) {
        if (e->send != NULL) {
            e->err_write = atea_conn_write(c, (const uint8_t *)e->send, strlen(e->send));
        }
        if (e->read) {
            e->err_read = la_read_all(e, c, LB_TIMEOUT_MS);
        }
        e->err_close = atea_conn_close(c);
    } else {
        /* Nothing may be sent on a connection whose attestation failed. */
        e->err_write_after = atea_conn_write(c, (const uint8_t *)"leak", 4);
        /* atea_conn_close sends close_notify with SIGPIPE held off, as an application would */
        atea_err close_err = atea_conn_close(c);
        (void)close_err;
    }
    e->conn = NULL;
    atea_conn_free(c);
    close(e->fd);
    return NULL;
}

/* ------------------------------------------------------------------ the raw (attacker's) end */

/* Receive one frame on a raw end and check its type; aborts the test otherwise. */
static inline atea_buf la_expect_frame(lb_raw *raw, unsigned type)
{
    atea_buf f = {0};
    EXPECT_OK(lb_raw_recv_frame(raw, LB_TIMEOUT_MS, &f));
    if (lb_frame_type(&f) != type) {
        fail_msg("expected a %s frame, got %s", atea_frame_type_name(type),
                 atea_frame_type_name(lb_frame_type(&f)));
    }
    return f;
}

/* Send the HELLO a genuine end with the default profile sends, offering `roles`. */
static inline void la_send_hello(lb_raw *raw, uint8_t roles)
{
    atea_hello h;
    uint8_t body[ATEA_FRAME_MAX_HELLO];
    size_t n = 0;
    memset(&h, 0, sizeof(h));
    h.version = ATEA_FRAME_VERSION;
    h.roles = roles;
    h.cmw_formats = ATEA_CMW_FORMAT_CBOR | ATEA_CMW_FORMAT_JSON;
    snprintf(h.label, sizeof(h.label), "%s", ATEA_DEFAULT_BINDER_LABEL);
    h.layout = ATEA_BINDER_LAYOUT_CONCAT;
    h.cmw_ext = ATEA_DEFAULT_CMW_EXT;
    EXPECT_OK(atea_hello_encode(&h, body, sizeof(body), &n));
    EXPECT_OK(lb_raw_send_frame(raw, ATEA_FRAME_HELLO, body, n, LB_TIMEOUT_MS));
}

#endif
