/*
 * RFC 9261 Exported Authenticators per second beside full TLS 1.3 handshakes, same keys, same
 * run (docs/BENCHMARKS.md "ea_auth").
 *
 * For each leaf key type (P-256, Ed25519), with a CA of the same type:
 *   handshake   one full TLS 1.3 handshake over a BIO pair: SSL_new on both ends, the handshake
 *               (suite TLS_AES_128_GCM_SHA256, OpenSSL's default group, the server's leaf as
 *               certificate, the client verifying it against the CA), SSL_free. The SSL_CTXs
 *               are made once, with atea_ossl_ctx_prepare (attested: no tickets).
 *   EA          on one established connection of the same kind: the client makes a request
 *               (atea_ea_request, a fresh random context each time), the server answers it
 *               with an authenticator for the same leaf and key (atea_ea_authenticate), the
 *               client validates it, twice over: with PKIX validation of the leaf against the
 *               same CA (atea_ea_validate with params.trust), as the handshake's client does;
 *               and without a trust store, as atea_session does by default (the leaf is then
 *               vouched for by the evidence's aik_hash, not by a CA).
 * Target (the issue): request + authenticate + validate costs at most half a full handshake.
 * Both variants are judged.
 *
 * `--callgrind` runs a fixed small number of each operation through the named functions
 * bench_handshake_once, bench_ea_pkix_once and bench_ea_bare_once, so that their instruction
 * counts can be compared (`-k p256` or `-k ed25519` for one key type; command in
 * docs/BENCHMARKS.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "atea/ea.h"
#include "atea_test.h"
#include "ea_bench.h"
#include "test_certs.h"
#include "tls_pair.h"

#define EA_DEFAULT_ITERS 300L
#define EA_DEFAULT_ROUNDS 5
#define EA_TARGET_RATIO 0.5
/* A connection remembers every context it used (RFC 9261 §4); start fresh EA states before the
 * registry grows large, so that every operation sees a connection of ordinary age. */
#define EA_CONTEXTS_PER_STATE 256L

typedef struct ea_case {
    atea_test_keytype type;
    atea_test_identity *id;
    atea_test_tls_pair *pair; /* the established connection; its SSL_CTXs serve the baseline */
    X509_STORE *trust;        /* the CA, for the client's PKIX validation */
    atea_ea_cert_in chain[1];
    atea_ea_credential cred;
    atea_ea *client_ea;
    atea_ea *server_ea;
    long uses;
    /* last sizes, for the report */
    size_t request_len;
    size_t authenticator_len;
} ea_case;

typedef struct ea_times {
    bench_time request;
    bench_time authenticate;
    bench_time validate;
} ea_times;

static void ea_case_reset_states(ea_case *c)
{
    atea_ea_free(c->client_ea);
    atea_ea_free(c->server_ea);
    c->client_ea = NULL;
    c->server_ea = NULL;
    BENCH_TRY("atea_ea_new (client)", atea_ea_new(&c->pair->client_tls, NULL, &c->client_ea));
    BENCH_TRY("atea_ea_new (server)", atea_ea_new(&c->pair->server_tls, NULL, &c->server_ea));
    c->uses = 0;
}

static void ea_case_init(ea_case *c, atea_test_keytype type)
{
    atea_test_tls_pair_opts topts;
    memset(c, 0, sizeof(*c));
    c->type = type;
    c->id = atea_test_identity_new(type);
    memset(&topts, 0, sizeof(topts));
    topts.server_id = c->id;
    topts.attested = 1;
    BENCH_TRY("the TLS connection", atea_test_tls_pair_new(&c->pair, &topts));
    c->trust = X509_STORE_new();
    if (c->trust == NULL || X509_STORE_add_cert(c->trust, c->id->ca) != 1) {
        bench_die_ossl("X509_STORE_add_cert");
    }
    c->chain[0].der = (atea_slice){c->id->leaf_der.data, c->id->leaf_der.len};
    c->cred.chain = c->chain;
    c->cred.n_chain = 1;
    c->cred.key = c->id->key;
    ea_case_reset_states(c);
}

static void ea_case_dispose(ea_case *c)
{
    atea_ea_free(c->client_ea);
    atea_ea_free(c->server_ea);
    X509_STORE_free(c->trust);
    atea_test_tls_pair_free(c->pair);
    atea_test_identity_free(c->id);
}

/* One request + authenticator + validation; the time of each step is added to *t.
 * Not static: callgrind's --toggle-collect names it. */
__attribute__((noinline)) void bench_ea_once(ea_case *c, int pkix, ea_times *t);
__attribute__((noinline)) void bench_ea_once(ea_case *c, int pkix, ea_times *t)
{
    atea_buf request = {0};
    atea_buf auth = {0};
    atea_ea_identity id;
    atea_ea_validate_params vp;
    memset(&id, 0, sizeof(id));
    memset(&vp, 0, sizeof(vp));

    bench_time t0 = bench_now();
    BENCH_TRY("atea_ea_request", atea_ea_request(c->client_ea, NULL, &request));
    bench_add_since(&t->request, t0);

    t0 = bench_now();
    BENCH_TRY("atea_ea_authenticate",
              atea_ea_authenticate(c->server_ea, request.data, request.len, &c->cred, &auth));
    bench_add_since(&t->authenticate, t0);

    vp.request = request.data;
    vp.request_len = request.len;
    vp.trust = pkix ? c->trust : NULL;
    t0 = bench_now();
    BENCH_TRY("atea_ea_validate", atea_ea_validate(c->client_ea, &vp, auth.data, auth.len, &id));
    bench_add_since(&t->validate, t0);

    if (id.n_certs != 1 || id.scheme != c->id->sigalg) {
        fprintf(stderr, "bench: the validated authenticator shows %zu certificates, scheme %04x\n",
                id.n_certs, id.scheme);
        exit(1);
    }
    c->request_len = request.len;
    c->authenticator_len = auth.len;
    atea_ea_identity_dispose(&id);
    atea_buf_free(&request);
    atea_buf_free(&auth);
    if (++c->uses >= EA_CONTEXTS_PER_STATE) {
        ea_case_reset_states(c);
    }
}

/* The two variants under their own names, so that callgrind counts them apart. */
__attribute__((noinline)) void bench_ea_pkix_once(ea_case *c, ea_times *t);
__attribute__((noinline)) void bench_ea_pkix_once(ea_case *c, ea_times *t)
{
    bench_ea_once(c, 1, t);
}

__attribute__((noinline)) void bench_ea_bare_once(ea_case *c, ea_times *t);
__attribute__((noinline)) void bench_ea_bare_once(ea_case *c, ea_times *t)
{
    bench_ea_once(c, 0, t);
}

/* One full handshake on fresh SSL objects from the connection's SSL_CTXs. Not static (callgrind).
 */
__attribute__((noinline)) void bench_handshake_once(ea_case *c);
__attribute__((noinline)) void bench_handshake_once(ea_case *c)
{
    SSL *client = NULL;
    SSL *server = NULL;
    bench_tls_connect(c->pair->client_ctx, c->pair->server_ctx, &client, &server);
    SSL_free(client);
    SSL_free(server);
}

typedef struct ea_result {
    bench_series handshake;
    bench_series request;
    bench_series authenticate;
    bench_series validate;      /* with PKIX */
    bench_series validate_bare; /* without a trust store */
    bench_series total;         /* request + authenticate + validate, PKIX */
    bench_series total_bare;    /* the same without a trust store */
} ea_result;

static bench_time ea_times_total(const ea_times *t)
{
    bench_time all = {t->request.cpu_ns + t->authenticate.cpu_ns + t->validate.cpu_ns,
                      t->request.wall_ns + t->authenticate.wall_ns + t->validate.wall_ns};
    return all;
}

static void run_case(ea_case *c, const bench_args *a, ea_result *r)
{
    memset(r, 0, sizeof(*r));
    r->handshake.what = "full TLS 1.3 handshake (both ends)";
    r->request.what = "  atea_ea_request (client)";
    r->authenticate.what = "  atea_ea_authenticate (server)";
    r->validate.what = "  atea_ea_validate, PKIX to the CA (client)";
    r->validate_bare.what = "  atea_ea_validate, no trust store (client)";
    r->total.what = "EA request+authenticate+validate, PKIX";
    r->total_bare.what = "EA request+authenticate+validate, no PKIX";
    /* Warm-up: first-use costs (method fetches, tables) out of the figures. */
    if (!a->callgrind) {
        ea_times warm;
        memset(&warm, 0, sizeof(warm));
        bench_handshake_once(c);
        bench_ea_pkix_once(c, &warm);
    }
    for (int round = 0; round < a->rounds; round++) {
        bench_time hs = {0, 0};
        ea_times t;
        ea_times bare;
        memset(&t, 0, sizeof(t));
        memset(&bare, 0, sizeof(bare));
        bench_time t0 = bench_now();
        for (long i = 0; i < a->iters; i++) {
            bench_handshake_once(c);
        }
        bench_add_since(&hs, t0);
        for (long i = 0; i < a->iters; i++) {
            bench_ea_pkix_once(c, &t);
        }
        for (long i = 0; i < a->iters; i++) {
            bench_ea_bare_once(c, &bare);
        }
        bench_series_add(&r->handshake, hs, a->iters);
        bench_series_add(&r->request, t.request, a->iters);
        bench_series_add(&r->authenticate, t.authenticate, a->iters);
        bench_series_add(&r->validate, t.validate, a->iters);
        bench_series_add(&r->validate_bare, bare.validate, a->iters);
        bench_series_add(&r->total, ea_times_total(&t), a->iters);
        bench_series_add(&r->total_bare, ea_times_total(&bare), a->iters);
    }
}

static int verdict(const ea_case *c, const char *variant, double ratio)
{
    char what[96];
    snprintf(what, sizeof(what), "%s, %s: EA / handshake", atea_test_keytype_name(c->type),
             variant);
    bench_verdict(what, ratio, "<=", EA_TARGET_RATIO, ratio <= EA_TARGET_RATIO);
    return ratio <= EA_TARGET_RATIO;
}

static int report_case(const ea_case *c, const bench_args *a, const ea_result *r)
{
    char title[160];
    snprintf(title, sizeof(title),
             "EA vs TLS 1.3 handshake, %s leaf (%s CA), TLS_AES_128_GCM_SHA256; request %zu B, "
             "authenticator %zu B",
             atea_test_keytype_name(c->type), atea_test_keytype_name(c->id->ca_type),
             c->request_len, c->authenticator_len);
    bench_table_header(title, a);
    const bench_series *rows[] = {&r->handshake,     &r->request, &r->authenticate, &r->validate,
                                  &r->validate_bare, &r->total,   &r->total_bare};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        bench_table_row(rows[i], bench_series_ratio(rows[i], &r->handshake));
    }
    int met = verdict(c, "PKIX", bench_series_ratio(&r->total, &r->handshake));
    met &= verdict(c, "no PKIX", bench_series_ratio(&r->total_bare, &r->handshake));
    return met;
}

int main(int argc, char **argv)
{
    static const atea_test_keytype types[] = {ATEA_TEST_KEY_P256, ATEA_TEST_KEY_ED25519};
    bench_args a;
    int all_met = 1;
    bench_args_parse(argc, argv, EA_DEFAULT_ITERS, EA_DEFAULT_ROUNDS, &a);
    printf("ea_auth: RFC 9261 authenticators (request + authenticate + validate) vs full TLS 1.3 "
           "handshakes, same keys, same run; target ratio <= %.2f\n",
           EA_TARGET_RATIO);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        ea_case c;
        ea_result r;
        if (!bench_selected(&a, atea_test_keytype_name(types[i]))) {
            continue;
        }
        ea_case_init(&c, types[i]);
        run_case(&c, &a, &r);
        all_met &= report_case(&c, &a, &r);
        ea_case_dispose(&c);
    }
    printf("\nea_auth target (every key type): %s\n", all_met ? "PASS" : "MISS");
    return 0;
}
