#include "channel.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "atea/frame.h"
#include "atea/ossl.h"
#include "atea/reason.h"
#include "cli.h"
#include "core/check.h"
#include "msg.h"

#define CHANNEL_DEFAULT_TIMEOUT_S 30

static atea_err appraise_cb(void *user, const uint8_t *cmw, size_t len,
                            const atea_binding *expected, atea_appraisal *out)
{
    atea_cli_channel *ch = user;
    return atea_verify_cmw(ch->verifier, cmw, len, expected, out);
}

static void msg_cb(void *user, int sent, const uint8_t *frame, size_t len)
{
    (void)user;
    unsigned type = len > 0 ? frame[0] : 0;
    fprintf(stderr, "%s %s (%u), %zu bytes\n", sent ? ">>>" : "<<<", atea_frame_type_name(type),
            type, len > 4 ? len - 4 : 0);
    for (size_t i = 0; i < len; i += 32) {
        fprintf(stderr, "    %04zx:", i);
        for (size_t j = i; j < len && j < i + 32; j++) {
            fprintf(stderr, "%s%02x", (j - i) % 4 == 0 ? " " : "", frame[j]);
        }
        fputc('\n', stderr);
    }
}

static void event_cb(void *user, const atea_session_event *ev)
{
    atea_cli_channel *ch = user;
    switch (ev->type) {
    case ATEA_SESSION_EV_ATTESTED:
    case ATEA_SESSION_EV_REATTESTED:
        if (!ch->quiet) {
            fprintf(stderr, "atea: %s: peer %s\n", ch->is_server ? "server" : "client",
                    ev->type == ATEA_SESSION_EV_ATTESTED ? "attested" : "re-attested");
        }
        if (ev->appraisal != NULL && (ch->verbose > 0 || ch->json)) {
            /* the appraisal goes to stderr too: stdout carries the peer's data */
            fflush(stdout);
            int saved = dup(STDOUT_FILENO);
            if (saved >= 0 && dup2(STDERR_FILENO, STDOUT_FILENO) >= 0) {
                atea_cli_print_appraisal(ev->appraisal, ch->verbose, ch->json);
                fflush(stdout);
                dup2(saved, STDOUT_FILENO);
            }
            if (saved >= 0) {
                close(saved);
            }
        } else if (ev->appraisal != NULL && atea_appraisal_is_simulated(ev->appraisal)) {
            atea_warnf("the peer's evidence comes from the SIMULATED TEE: not a real TEE");
        }
        break;
    case ATEA_SESSION_EV_ACCEPTED:
        if (!ch->quiet) {
            fprintf(stderr, "atea: %s: the peer accepted our attestation\n",
                    ch->is_server ? "server" : "client");
        }
        break;
    case ATEA_SESSION_EV_REFUSED:
        atea_errorf("attestation %s: %s (reason %u %s)",
                    ev->by_peer ? "refused by the peer" : "failed",
                    ev->text[0] ? ev->text : atea_strerror(ev->err), ev->reason,
                    atea_reason_name(ev->reason));
        break;
    case ATEA_SESSION_EV_READY:
    case ATEA_SESSION_EV_DATA:
    case ATEA_SESSION_EV_CLOSED:
        break;
    }
}

static int make_ctx(atea_cli_channel *ch)
{
    const atea_optval *v = ch->v;
    atea_ossl_ctx_opts oo;
    atea_err err = ATEA_OK;
    ch->ctx = SSL_CTX_new(ch->is_server ? TLS_server_method() : TLS_client_method());
    if (ch->ctx == NULL) {
        atea_errorf("cannot create a TLS context");
        return ATEA_EXIT_INTERNAL;
    }
    atea_ossl_ctx_opts_default(&oo);
    oo.attested = 1;
    oo.keylog_path = v[ATEA_CO_KEYLOG].set ? v[ATEA_CO_KEYLOG].str : NULL;
    err = atea_ossl_ctx_prepare(ch->ctx, &oo);
    if (err == ATEA_OK) {
        err = atea_conn_ctx_set_alpn(ch->ctx, ch->is_server);
    }
    if (err != ATEA_OK) {
        atea_error_err(err, "TLS setup");
        return ATEA_EXIT_CONFIG;
    }
    if (v[ATEA_CO_CERT].set != v[ATEA_CO_KEY].set) {
        atea_usagef("--cert and --key go together");
        return ATEA_EXIT_USAGE;
    }
    if (v[ATEA_CO_CERT].set) {
        err = atea_cli_ident_load(&ch->tls_id, v[ATEA_CO_CERT].str, v[ATEA_CO_KEY].str);
        if (err != ATEA_OK) {
            atea_error_err(err, "loading --cert/--key");
            return ATEA_EXIT_CONFIG;
        }
    } else if (ch->is_server) {
        err =
            atea_cli_ident_generate(&ch->tls_id, ATEA_CLI_KEY_P256, "atea ephemeral server", NULL);
        if (err != ATEA_OK) {
            atea_error_err(err, "generating an ephemeral TLS certificate");
            return ATEA_EXIT_INTERNAL;
        }
        if (!ch->quiet) {
            atea_warnf("no --cert: using an ephemeral self-signed TLS certificate");
        }
    }
    if (ch->tls_id.n_chain > 0) {
        int ok = SSL_CTX_use_certificate(ch->ctx, ch->tls_id.chain[0]) == 1 &&
                 SSL_CTX_use_PrivateKey(ch->ctx, ch->tls_id.key) == 1;
        for (size_t i = 1; ok && i < ch->tls_id.n_chain; i++) {
            ok = SSL_CTX_add1_chain_cert(ch->ctx, ch->tls_id.chain[i]) == 1;
        }
        if (!ok) {
            atea_errorf("cannot use the TLS certificate and key");
            return ATEA_EXIT_CONFIG;
        }
    }
    if (v[ATEA_CO_CAFILE].set) {
        if (SSL_CTX_load_verify_locations(ch->ctx, v[ATEA_CO_CAFILE].str, NULL) != 1) {
            atea_errorf("cannot load CA certificates from %s", v[ATEA_CO_CAFILE].str);
            return ATEA_EXIT_CONFIG;
        }
        SSL_CTX_set_verify(ch->ctx,
                           ch->is_server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                                         : SSL_VERIFY_PEER,
                           NULL);
    } else if (!ch->is_server && !ch->quiet) {
        atea_warnf("no --CAfile: the server's TLS certificate is not verified; its identity "
                   "rests on attestation alone");
    }
    return ATEA_EXIT_OK;
}

int atea_cli_channel_init(atea_cli_channel *ch, int is_server, const atea_optval *v)
{
    memset(ch, 0, sizeof(*ch));
    ch->is_server = is_server;
    ch->v = v;
    ch->verbose = v[ATEA_CO_VERBOSE].count;
    ch->quiet = v[ATEA_CO_QUIET].set && v[ATEA_CO_QUIET].flag;
    ch->json = v[ATEA_CO_JSON].set && v[ATEA_CO_JSON].flag;
    atea_msg_set_quiet(ch->quiet);
    int mutual = v[ATEA_AO_MUTUAL].set && v[ATEA_AO_MUTUAL].flag;
    int attest = mutual || (v[ATEA_AO_ATTEST].set && v[ATEA_AO_ATTEST].flag);
    int verify = mutual || (v[ATEA_AO_VERIFY_PEER].set && v[ATEA_AO_VERIFY_PEER].flag);
    if (!attest && !verify) {
        atea_usagef("say what this side does: --attest, --verify-peer or --mutual");
        return ATEA_EXIT_USAGE;
    }
    int rc = make_ctx(ch);
    if (rc != ATEA_EXIT_OK) {
        return rc;
    }
    atea_conn_opts_default(&ch->copts);
    atea_session_opts *so = &ch->copts.session;
    so->role = (attest ? ATEA_SESSION_ATTESTER : 0) | (verify ? ATEA_SESSION_RELYING_PARTY : 0);
    so->policy = v[ATEA_AO_OPTIONAL].set && v[ATEA_AO_OPTIONAL].flag ? ATEA_SESSION_OPTIONAL
                                                                     : ATEA_SESSION_REQUIRE;
    if (v[ATEA_AO_CMW_EXT].set) {
        if (v[ATEA_AO_CMW_EXT].num > 0xffff) {
            atea_usagef("--cmw-ext %llu is not a 16-bit extension type",
                        (unsigned long long)v[ATEA_AO_CMW_EXT].num);
            return ATEA_EXIT_USAGE;
        }
        so->cmw_ext = (uint16_t)v[ATEA_AO_CMW_EXT].num;
    }
    if (v[ATEA_AO_EXPORTER_LABEL].set) {
        so->exporter_label = v[ATEA_AO_EXPORTER_LABEL].str;
    }
    if (v[ATEA_AO_REATTEST_INTERVAL].set) {
        so->reattest_interval_ms = v[ATEA_AO_REATTEST_INTERVAL].num * 1000u;
    }
    int timeout_s =
        v[ATEA_CO_TIMEOUT].set ? (int)v[ATEA_CO_TIMEOUT].num : CHANNEL_DEFAULT_TIMEOUT_S;
    ch->copts.io_timeout_ms = timeout_s * 1000;
    so->hello_timeout_ms = (uint64_t)timeout_s * 1000u;
    so->attest_timeout_ms = (uint64_t)timeout_s * 1000u;
    if (attest) {
        rc = atea_cli_make_attester(v, &ch->attester);
        if (rc != ATEA_EXIT_OK) {
            return rc;
        }
        /* The authenticator's leaf is a fresh key per process: the evidence, bound to its SPKI
         * (aik_hash), is what vouches for it, not a CA. */
        atea_err err = atea_cli_ident_generate(&ch->attest_id, ATEA_CLI_KEY_P256,
                                               "atea attestation key", NULL);
        if (err != ATEA_OK) {
            atea_error_err(err, "generating the attestation key");
            return ATEA_EXIT_INTERNAL;
        }
        ch->chain[0] = (atea_slice){ch->attest_id.der[0].data, ch->attest_id.der[0].len};
        so->attester = ch->attester;
        so->chain = ch->chain;
        so->n_chain = 1;
        so->key = ch->attest_id.key;
    }
    if (verify) {
        rc = atea_cli_make_verifier(v, &ch->verifier);
        if (rc != ATEA_EXIT_OK) {
            return rc;
        }
        so->appraise = appraise_cb;
        so->appraise_user = ch;
    }
    if (v[ATEA_CO_MSG].set && v[ATEA_CO_MSG].flag) {
        ch->copts.on_msg = msg_cb;
    }
    ch->copts.on_event = event_cb;
    ch->copts.event_user = ch;
    return ATEA_EXIT_OK;
}

int atea_cli_channel_start(atea_cli_channel *ch, const atea_cmd_spec *spec, int is_server, int argc,
                           char **argv, atea_optval *v)
{
    int first = 0;
    memset(ch, 0, sizeof(*ch));
    int rc = atea_opt_parse_command(spec, argc, argv, v, &first);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    if (!v[ATEA_CO_ADDRESS].set) {
        atea_usagef("missing %s", is_server ? "--accept [HOST:]PORT" : "--connect HOST:PORT");
        return ATEA_EXIT_USAGE;
    }
    rc = atea_cli_channel_init(ch, is_server, v);
    if (rc != ATEA_EXIT_OK) {
        atea_cli_channel_dispose(ch);
        return rc;
    }
    return ATEA_OPT_CONTINUE;
}

void atea_cli_channel_dispose(atea_cli_channel *ch)
{
    SSL_CTX_free(ch->ctx);
    atea_cli_ident_dispose(&ch->tls_id);
    atea_cli_ident_dispose(&ch->attest_id);
    atea_attester_free(ch->attester);
    atea_verifier_free(ch->verifier);
    memset(ch, 0, sizeof(*ch));
}

/* Exit codes (docs/cli/EXIT-CODES.md): 4 whenever an attestation was refused, by either side,
 * whatever layer found the fault; 3 for TLS; 2 for network setup; 5 for protocol faults and a peer
 * that stalls or vanishes. */
static int exit_for(atea_err err)
{
    switch (err) {
    case ATEA_ERR_SESSION_REFUSED:
    case ATEA_ERR_SESSION_NO_EVIDENCE:
    case ATEA_ERR_SESSION_NOT_AFFIRMING:
    case ATEA_ERR_SESSION_BINDING_UNCHECKED:
    case ATEA_ERR_SESSION_REQUEST_NO_CMW:
    case ATEA_ERR_BINDER_MISMATCH:
    case ATEA_ERR_AIK_HASH_MISMATCH:
    case ATEA_ERR_CONTEXT_MISMATCH:
    case ATEA_ERR_REPORT_DATA_MISMATCH:
        return ATEA_EXIT_REFUSED;
    case ATEA_ERR_NET_ADDRESS:
    case ATEA_ERR_NET_LISTEN:
    case ATEA_ERR_NET_CONNECT:
        return ATEA_EXIT_CONFIG;
    case ATEA_ERR_NET_TIMEOUT:
    case ATEA_ERR_NET_CLOSED:
    case ATEA_ERR_NET_IO:
    case ATEA_ERR_SESSION_TIMEOUT:
    case ATEA_ERR_SESSION_PEER_CLOSED:
        return ATEA_EXIT_PROTOCOL;
    default:
        break;
    }
    switch (atea_err_class_of(err)) {
    case ATEA_ERR_CLASS_OK:
        return ATEA_EXIT_OK;
    case ATEA_ERR_CLASS_EVIDENCE:
        return ATEA_EXIT_REFUSED;
    case ATEA_ERR_CLASS_CRYPTO:
        /* -300..-319 are the TLS adapter's; the rest (EA signatures, MACs) refuse the proof */
        return err <= ATEA_ERR_TLS_VERSION && err >= -319 ? ATEA_EXIT_TLS : ATEA_EXIT_REFUSED;
    case ATEA_ERR_CLASS_IO:
        return ATEA_EXIT_CONFIG;
    case ATEA_ERR_CLASS_DECODE:
    case ATEA_ERR_CLASS_USAGE:
        return ATEA_EXIT_PROTOCOL;
    case ATEA_ERR_CLASS_INTERNAL:
        return ATEA_EXIT_INTERNAL;
    }
    return ATEA_EXIT_INTERNAL;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Pipe stdin to the peer and the peer's data to stdout until one side closes. */
static atea_err pipe_loop(atea_cli_channel *ch, atea_conn *c)
{
    atea_err err = ATEA_OK;
    int stdin_open = 1;
    uint64_t reattest_at = UINT64_MAX;
    if (ch->v[ATEA_CO_REATTEST_AFTER].set) {
        reattest_at = mono_ms() + ch->v[ATEA_CO_REATTEST_AFTER].num * 1000u;
    }
    const uint8_t *early = NULL;
    size_t n_early = atea_conn_take_buffered(c, &early);
    if (n_early > 0 && fwrite(early, 1, n_early, stdout) != n_early) {
        ATEA_FAIL(ATEA_ERR_CLI_FILE, "cannot write to stdout: %s", strerror(errno));
    }
    fflush(stdout);
    for (;;) {
        atea_err st = atea_conn_step(c);
        atea_session_event ev;
        while (atea_conn_next_event(c, &ev)) {
            event_cb(ch, &ev);
            if (ev.type == ATEA_SESSION_EV_DATA) {
                if (fwrite(ev.data, 1, ev.len, stdout) != ev.len) {
                    ATEA_FAIL(ATEA_ERR_CLI_FILE, "cannot write to stdout: %s", strerror(errno));
                }
                fflush(stdout);
            } else if (ev.type == ATEA_SESSION_EV_CLOSED) {
                ATEA_TRY(ev.err);
                goto out;
            }
        }
        if (st != ATEA_OK && st != ATEA_ERR_WANT_READ && st != ATEA_ERR_WANT_WRITE) {
            ATEA_TRY(st);
        }
        if (st == ATEA_OK) {
            continue; /* more to do before waiting: the step said so */
        }
        uint64_t now = mono_ms();
        if (now >= reattest_at) {
            reattest_at = UINT64_MAX;
            ATEA_TRY(atea_conn_reattest(c));
            continue;
        }
        uint64_t until = atea_conn_expiry(c);
        if (reattest_at < until) {
            until = reattest_at;
        }
        struct pollfd p[2] = {
            {.fd = atea_conn_fd(c), .events = POLLIN | (st == ATEA_ERR_WANT_WRITE ? POLLOUT : 0)},
            {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
        };
        int wait = until == UINT64_MAX ? -1 : (until > now ? (int)(until - now) : 0);
        int n = poll(p, 2, wait);
        if (n < 0 && errno != EINTR) {
            ATEA_FAIL(ATEA_ERR_NET_IO, "poll: %s", strerror(errno));
        }
        if (stdin_open && (p[1].revents & (POLLIN | POLLHUP))) {
            uint8_t buf[16384];
            ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
            if (r > 0) {
                ATEA_TRY(atea_conn_write(c, buf, (size_t)r));
            } else if (r == 0 || errno != EINTR) {
                /* The client ends the session at the end of its input, as s_client does; the
                 * server keeps serving the client until it closes, as s_server does. */
                stdin_open = 0;
                if (!ch->is_server) {
                    ATEA_TRY(atea_conn_close(c));
                    goto out;
                }
            }
        }
    }
out:
    return err;
}

int atea_cli_channel_run(atea_cli_channel *ch, int fd)
{
    atea_conn *c = NULL;
    atea_err err = ATEA_OK;
    const char *who = ch->is_server ? "client" : "server";
    SSL *ssl = SSL_new(ch->ctx);
    if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
        SSL_free(ssl);
        close(fd);
        atea_errorf("cannot create a TLS connection");
        return ATEA_EXIT_INTERNAL;
    }
    if (ch->is_server) {
        SSL_set_accept_state(ssl);
    } else {
        SSL_set_connect_state(ssl);
    }
    err = atea_conn_new(ssl, &ch->copts, &c);
    if (err != ATEA_OK) {
        SSL_free(ssl);
        close(fd);
        atea_error_err(err, "setting up the connection");
        return exit_for(err);
    }
    err = atea_conn_attest(c);
    if (err != ATEA_OK) {
        atea_error_err(err, "attested session with the %s", who);
        goto out;
    }
    if (!ch->quiet) {
        fprintf(stderr, "atea: %s: attested channel ready (%s, %s)\n",
                ch->is_server ? "server" : "client", SSL_get_version(atea_conn_ssl(c)),
                SSL_CIPHER_get_name(SSL_get_current_cipher(atea_conn_ssl(c))));
    }
    err = pipe_loop(ch, c);
    if (err != ATEA_OK) {
        atea_error_err(err, "attested session with the %s", who);
    }
out:
    atea_conn_free(c);
    close(fd);
    return exit_for(err);
}
