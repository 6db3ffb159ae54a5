/*
 * atea demo: Exported Authenticators (RFC 9261) over a real TLS 1.3 connection on loopback.
 * A server process and a client process; each message is printed decoded as it is sent.
 *   1. the client requests an authenticator; the server answers with a SECOND certificate (not
 *      its TLS one); the client validates it against the demo CA;
 *   2. the server sends a spontaneous authenticator for its TLS certificate;
 *   3. the client requests again; the server refuses with an empty authenticator, which the
 *      client authenticates as a refusal.
 * On this demo connection EA messages travel as a 4-byte length and the message (the attested
 * session uses the atea framing of docs/PROTOCOL.md instead).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "atea/ea.h"
#include "atea/net.h"
#include "atea/ossl.h"
#include "atea/profile.h"
#include "cli.h"
#include "core/check.h"
#include "ident.h"
#include "msg.h"
#include "opt.h"

#define DEMO_MAX_MESSAGE (64u * 1024u)

static const atea_cmd_spec spec = {
    .name = "demo",
    .synopsis = "",
    .summary = "Run the atea demo over loopback: a TLS 1.3 server and client exchange RFC 9261 "
               "exported authenticators (requested, spontaneous, refused), each printed decoded.",
    .opts = NULL,
    .nopts = 0,
    .nvals = 0,
    .min_args = 0,
    .max_args = 0,
};

typedef struct demo_side {
    const char *name;
    SSL *ssl;
    atea_ossl_tls ossl;
    atea_tls tls;
    atea_ea *ea;
} demo_side;

static void say(const demo_side *side, const char *fmt, ...) ATEA_PRINTF(2, 3);
static void say(const demo_side *side, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("[%s] ", side->name);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
}

static void show(const demo_side *side, const char *what, const atea_buf *msg)
{
    atea_buf text = {0};
    say(side, "%s (%zu bytes):", what, msg->len);
    atea_err err = atea_ea_dump(msg->data, msg->len, ATEA_DEFAULT_CMW_EXT, &text);
    if (text.len > 0) {
        /* indent the dump under the speaker */
        const char *p = (const char *)text.data;
        const char *end = p + text.len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            printf("    %.*s\n", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
    }
    if (err != ATEA_OK) {
        printf("    (dump failed: %s)\n", atea_err_detail(err));
    }
    fflush(stdout);
    atea_buf_free(&text);
}

static atea_err send_msg(demo_side *side, const atea_buf *msg)
{
    uint8_t hdr[4] = {(uint8_t)(msg->len >> 24), (uint8_t)(msg->len >> 16),
                      (uint8_t)(msg->len >> 8), (uint8_t)msg->len};
    if (SSL_write(side->ssl, hdr, 4) != 4 ||
        SSL_write(side->ssl, msg->data, (int)msg->len) != (int)msg->len) {
        return atea__err_set(ATEA_ERR_NET_IO, __FILE__, __LINE__, "SSL_write failed");
    }
    return ATEA_OK;
}

static atea_err read_full(SSL *ssl, uint8_t *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        int r = SSL_read(ssl, p + done, (int)(n - done));
        if (r <= 0) {
            return atea__err_set(ATEA_ERR_NET_CLOSED, __FILE__, __LINE__,
                                 "the peer closed the demo connection");
        }
        done += (size_t)r;
    }
    return ATEA_OK;
}

static atea_err recv_msg(demo_side *side, atea_buf *msg)
{
    atea_err err = ATEA_OK;
    uint8_t hdr[4];
    ATEA_TRY(read_full(side->ssl, hdr, 4));
    size_t n = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
    ATEA_ENSURE_MSG(n > 0 && n <= DEMO_MAX_MESSAGE, ATEA_ERR_TOO_LARGE,
                    "demo message of %zu bytes (limit %u)", n, DEMO_MAX_MESSAGE);
    uint8_t *p = malloc(n);
    ATEA_ENSURE_ALLOC(p);
    err = read_full(side->ssl, p, n);
    if (err != ATEA_OK) {
        free(p);
        goto out;
    }
    atea_buf_free(msg);
    msg->data = p;
    msg->len = n;
out:
    return err;
}

static atea_err side_setup(demo_side *side, SSL_CTX *ctx, int fd, int is_server)
{
    atea_err err = ATEA_OK;
    atea_ea_opts eo;
    side->ssl = SSL_new(ctx);
    ATEA_ENSURE_ALLOC(side->ssl);
    ATEA_ENSURE(SSL_set_fd(side->ssl, fd) == 1, ATEA_ERR_INTERNAL);
    int rc = is_server ? SSL_accept(side->ssl) : SSL_connect(side->ssl);
    ATEA_ENSURE_MSG(rc == 1, ATEA_ERR_TLS_HANDSHAKE, "TLS handshake failed: %s",
                    ERR_reason_error_string(ERR_peek_last_error())
                        ? ERR_reason_error_string(ERR_peek_last_error())
                        : "connection closed");
    say(side, "TLS handshake done: %s, %s", SSL_get_version(side->ssl),
        SSL_CIPHER_get_name(SSL_get_current_cipher(side->ssl)));
    ATEA_TRY(atea_ossl_tls_init(&side->ossl, side->ssl, &side->tls));
    atea_ea_opts_default(&eo);
    ATEA_TRY(atea_ea_new(&side->tls, &eo, &side->ea));
out:
    return err;
}

static void side_dispose(demo_side *side)
{
    atea_ea_free(side->ea);
    if (side->ssl != NULL) {
        SSL_shutdown(side->ssl);
        SSL_free(side->ssl);
    }
}

static atea_err make_ctx(int is_server, const atea_cli_ident *tls_id, const atea_cli_ident *ca,
                         SSL_CTX **pctx)
{
    atea_err err = ATEA_OK;
    atea_ossl_ctx_opts o;
    SSL_CTX *ctx = SSL_CTX_new(is_server ? TLS_server_method() : TLS_client_method());
    ATEA_ENSURE_ALLOC(ctx);
    atea_ossl_ctx_opts_default(&o);
    ATEA_TRY(atea_ossl_ctx_prepare(ctx, &o));
    if (is_server) {
        ATEA_ENSURE(SSL_CTX_use_certificate(ctx, tls_id->chain[0]) == 1 &&
                        SSL_CTX_use_PrivateKey(ctx, tls_id->key) == 1,
                    ATEA_ERR_TLS_CONFIG);
    } else {
        X509_STORE *store = SSL_CTX_get_cert_store(ctx);
        ATEA_ENSURE(X509_STORE_add_cert(store, ca->chain[0]) == 1, ATEA_ERR_TLS_CONFIG);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }
    *pctx = ctx;
    ctx = NULL;
out:
    SSL_CTX_free(ctx);
    return err;
}

static atea_err run_server(int listen_fd, const atea_cli_ident *ca)
{
    atea_err err = ATEA_OK;
    demo_side s = {.name = "server"};
    atea_cli_ident tls_id = {0};
    atea_cli_ident second = {0};
    SSL_CTX *ctx = NULL;
    atea_buf req = {0};
    atea_buf auth = {0};
    int fd = -1;
    ATEA_TRY(atea_cli_ident_generate(&tls_id, ATEA_CLI_KEY_P256, "atea demo server", ca));
    ATEA_TRY(
        atea_cli_ident_generate(&second, ATEA_CLI_KEY_ED25519, "atea demo second identity", ca));
    ATEA_TRY(make_ctx(1, &tls_id, NULL, &ctx));
    ATEA_TRY(atea_net_accept(listen_fd, 10000, &fd));
    ATEA_TRY(side_setup(&s, ctx, fd, 1));

    /* 1. answer the client's request with the second identity */
    ATEA_TRY(recv_msg(&s, &req));
    atea_ea_cert_in chain[2] = {{.der = {second.der[0].data, second.der[0].len}},
                                {.der = {second.der[1].data, second.der[1].len}}};
    atea_ea_credential cred = {.chain = chain, .n_chain = 2, .key = second.key};
    ATEA_TRY(atea_ea_authenticate(s.ea, req.data, req.len, &cred, &auth));
    show(&s, "sends an authenticator for its second identity (Ed25519)", &auth);
    ATEA_TRY(send_msg(&s, &auth));

    /* 2. spontaneous authenticator for the TLS identity */
    atea_ea_cert_in tls_chain[2] = {{.der = {tls_id.der[0].data, tls_id.der[0].len}},
                                    {.der = {tls_id.der[1].data, tls_id.der[1].len}}};
    atea_ea_credential tls_cred = {.chain = tls_chain, .n_chain = 2, .key = tls_id.key};
    ATEA_TRY(atea_ea_authenticate_spontaneous(s.ea, &tls_cred, &auth));
    show(&s, "sends a spontaneous authenticator for its TLS identity (P-256)", &auth);
    ATEA_TRY(send_msg(&s, &auth));

    /* 3. refuse the next request */
    ATEA_TRY(recv_msg(&s, &req));
    ATEA_TRY(atea_ea_refuse(s.ea, req.data, req.len, &auth));
    show(&s, "refuses with an empty authenticator", &auth);
    ATEA_TRY(send_msg(&s, &auth));
    /* wait for the client to finish before closing */
    (void)recv_msg(&s, &req);
out:
    if (err != ATEA_OK) {
        say(&s, "failed: %s (%s)", atea_err_detail(err), atea_err_name(err));
    }
    atea_buf_free(&req);
    atea_buf_free(&auth);
    side_dispose(&s);
    SSL_CTX_free(ctx);
    if (fd >= 0) {
        close(fd);
    }
    atea_cli_ident_dispose(&tls_id);
    atea_cli_ident_dispose(&second);
    return err;
}

static atea_err validate(demo_side *c, X509_STORE *store, const atea_buf *req, const atea_buf *auth,
                         const char *what)
{
    atea_err err = ATEA_OK;
    atea_ea_identity id = {0};
    atea_ea_validate_params vp = {
        .request = req ? req->data : NULL, .request_len = req ? req->len : 0, .trust = store};
    char subject[256] = "";
    uint16_t hello_exts[ATEA_TLS_MAX_EXTENSIONS];
    size_t n_hello = 0;
    if (req == NULL) {
        /* spontaneous: the Certificate may carry only extensions of our ClientHello; the demo
         * client sends a standard OpenSSL ClientHello and the server adds none, so an empty list
         * is exact here. */
        vp.hello_extensions = hello_exts;
        vp.n_hello_extensions = n_hello;
    }
    err = atea_ea_validate(c->ea, &vp, auth->data, auth->len, &id);
    if (err == ATEA_ERR_EA_REFUSED) {
        say(c,
            "%s: a valid empty authenticator: the server refused, authenticated by its "
            "Finished MAC",
            what);
        err = ATEA_OK;
        goto out;
    }
    ATEA_TRY(err);
    X509 *leaf =
        d2i_X509(NULL, &(const unsigned char *){id.certs[0].der.data}, (long)id.certs[0].der.len);
    if (leaf != NULL) {
        atea_cli_subject(leaf, subject, sizeof(subject));
        X509_free(leaf);
    }
    say(c, "%s: VALID: leaf %s, %s, chain of %zu verified against the demo CA%s", what, subject,
        atea_ea_scheme_name(id.scheme), id.n_certs, id.spontaneous ? " (spontaneous)" : "");
out:
    atea_ea_identity_dispose(&id);
    return err;
}

static atea_err run_client(const char *addr, const atea_cli_ident *ca)
{
    atea_err err = ATEA_OK;
    demo_side c = {.name = "client"};
    SSL_CTX *ctx = NULL;
    atea_buf req = {0};
    atea_buf auth = {0};
    int fd = -1;
    ATEA_TRY(make_ctx(0, NULL, ca, &ctx));
    ATEA_TRY(atea_net_connect(addr, 10000, &fd));
    ATEA_TRY(side_setup(&c, ctx, fd, 0));
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);

    atea_ea_request_params rp = {0};
    ATEA_TRY(atea_ea_request(c.ea, &rp, &req));
    show(&c, "sends a ClientCertificateRequest", &req);
    ATEA_TRY(send_msg(&c, &req));
    ATEA_TRY(recv_msg(&c, &auth));
    ATEA_TRY(validate(&c, store, &req, &auth, "requested authenticator"));

    ATEA_TRY(recv_msg(&c, &auth));
    ATEA_TRY(validate(&c, store, NULL, &auth, "spontaneous authenticator"));

    ATEA_TRY(atea_ea_request(c.ea, &rp, &req));
    show(&c, "sends another ClientCertificateRequest (fresh context)", &req);
    ATEA_TRY(send_msg(&c, &req));
    ATEA_TRY(recv_msg(&c, &auth));
    ATEA_TRY(validate(&c, store, &req, &auth, "answer to the second request"));
    ATEA_TRY(send_msg(&c, &req)); /* tells the server we are done */
out:
    if (err != ATEA_OK) {
        say(&c, "failed: %s (%s)", atea_err_detail(err), atea_err_name(err));
    }
    atea_buf_free(&req);
    atea_buf_free(&auth);
    side_dispose(&c);
    SSL_CTX_free(ctx);
    if (fd >= 0) {
        close(fd);
    }
    return err;
}

int atea_cmd_demo(int argc, char **argv)
{
    int first = 0;
    int rc = atea_opt_parse_command(&spec, argc, argv, NULL, &first);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    atea_cli_ident ca = {0};
    int listen_fd = -1;
    unsigned port = 0;
    char addr[64];
    atea_err err = atea_cli_ident_generate(&ca, ATEA_CLI_KEY_P256, "atea demo CA", NULL);
    if (err == ATEA_OK) {
        err = atea_net_listen("127.0.0.1:0", &listen_fd);
    }
    if (err == ATEA_OK) {
        err = atea_net_local_port(listen_fd, &port);
    }
    if (err != ATEA_OK) {
        atea_error_err(err, "setting up the demo");
        atea_cli_ident_dispose(&ca);
        return atea_exit_from_err(err);
    }
    snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
    printf("== RFC 9261 exported authenticators over TLS 1.3 on %s\n", addr);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        err = run_server(listen_fd, &ca);
        _exit(err == ATEA_OK ? 0 : 1);
    }
    close(listen_fd);
    err = pid < 0
              ? atea__err_set(ATEA_ERR_INTERNAL, __FILE__, __LINE__, "fork: %s", strerror(errno))
              : run_client(addr, &ca);
    int status = 0;
    if (pid > 0) {
        waitpid(pid, &status, 0);
    }
    atea_cli_ident_dispose(&ca);
    if (err != ATEA_OK || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        atea_errorf("the EA demo failed");
        return err != ATEA_OK ? atea_exit_from_err(err) : ATEA_EXIT_PROTOCOL;
    }
    printf("== EA demo complete\n");
    return ATEA_EXIT_OK;
}
