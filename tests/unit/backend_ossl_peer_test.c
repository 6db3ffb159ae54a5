/*
 * Exporter cross-check against an independent peer: `openssl s_server` and `openssl s_client`
 * (separate processes, over loopback TCP) print the TLS exporter for an RFC 9261 §5.1 label with
 * -keymatexport/-keymatexportlen (no context); atea's adapter exports the same label with an
 * empty context on the other end of the same connection (RFC 8446 §7.5: identical in TLS 1.3).
 * Every wait has a deadline and every child is killed, so a stuck peer fails the test instead of
 * hanging it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "atea/ossl.h"
#include "atea_test.h"
#include "test_certs.h"

#define PEER_TIMEOUT_MS 15000
#define KEYMAT_PREFIX "    Keying material: "

static const char *const ea_labels[4] = {
    "EXPORTER-client authenticator handshake context",
    "EXPORTER-client authenticator finished key",
    "EXPORTER-server authenticator handshake context",
    "EXPORTER-server authenticator finished key",
};

typedef struct suite_case {
    const char *suite;
    size_t hash_len;
} suite_case;

static const suite_case suites[2] = {
    {"TLS_AES_128_GCM_SHA256", 32},
    {"TLS_AES_256_GCM_SHA384", 48},
};

typedef struct fixture {
    atea_test_identity *id;
    char dir[64];
    char cert[128];
    char key[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    snprintf(f->dir, sizeof(f->dir), "/tmp/atea-peer-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->cert, sizeof(f->cert), "%s/cert.pem", f->dir);
    snprintf(f->key, sizeof(f->key), "%s/key.pem", f->dir);
    f->id = atea_test_identity_new(ATEA_TEST_KEY_P256);
    atea_test_identity_write_pem(f->id, f->cert, f->key);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->cert);
    unlink(f->key);
    rmdir(f->dir);
    atea_test_identity_free(f->id);
    free(f);
    return 0;
}

/* ---- a child openssl process with a line reader on its stdout ------------------------------ */

typedef struct child {
    pid_t pid;
    int in_fd;  /* its stdin: held open, since s_server/s_client quit on EOF */
    int out_fd; /* its stdout and stderr */
    char buf[32768];
    size_t len;
} child;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void child_spawn(child *c, char *const argv[])
{
    int in[2];
    int out[2];
    memset(c, 0, sizeof(*c));
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    c->pid = fork();
    assert_true(c->pid >= 0);
    if (c->pid == 0) {
        /* Dies with the test, whatever happens to it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execvp("openssl", argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    c->in_fd = in[1];
    c->out_fd = out[0];
}

static void child_end(child *c)
{
    if (c->in_fd >= 0) {
        close(c->in_fd);
    }
    close(c->out_fd);
    kill(c->pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        if (waitpid(c->pid, NULL, WNOHANG) == c->pid) {
            return;
        }
        usleep(10000);
    }
    kill(c->pid, SIGKILL);
    waitpid(c->pid, NULL, 0);
}

/* The rest of the first output line that starts with prefix, within the deadline. */
static void child_expect_line(child *c, const char *prefix, char *out, size_t out_size)
{
    long long deadline = now_ms() + PEER_TIMEOUT_MS;
    size_t plen = strlen(prefix);
    for (;;) {
        char *nl;
        while ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
            size_t line_len = (size_t)(nl - c->buf);
            int hit = line_len >= plen && memcmp(c->buf, prefix, plen) == 0;
            if (hit) {
                size_t n = line_len - plen < out_size - 1 ? line_len - plen : out_size - 1;
                memcpy(out, c->buf + plen, n);
                out[n] = '\0';
            }
            memmove(c->buf, nl + 1, c->len - line_len - 1);
            c->len -= line_len + 1;
            if (hit) {
                return;
            }
        }
        long long left = deadline - now_ms();
        struct pollfd p = {.fd = c->out_fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0 || c->len == sizeof(c->buf)) {
            fail_msg("openssl printed no line starting with \"%s\" in %d ms", prefix,
                     PEER_TIMEOUT_MS);
        }
        ssize_t n = read(c->out_fd, c->buf + c->len, sizeof(c->buf) - c->len);
        if (n <= 0) {
            fail_msg("openssl exited (or closed its output) before printing \"%s\"", prefix);
        }
        c->len += (size_t)n;
    }
}

static void expect_keying_material(child *c, const uint8_t *want, size_t len)
{
    char line[512];
    atea_buf got = {0};
    child_expect_line(c, KEYMAT_PREFIX, line, sizeof(line));
    EXPECT_OK(atea_hex_decode(line, strlen(line), &got));
    assert_int_equal(got.len, len);
    assert_memory_equal(got.data, want, len);
    atea_buf_free(&got);
}

/* ---- atea's end --------------------------------------------------------------------------- */

static void socket_timeouts(int fd)
{
    struct timeval tv = {.tv_sec = PEER_TIMEOUT_MS / 1000};
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
}

static SSL_CTX *atea_ctx(int server, const fixture *f, const char *suite)
{
    atea_ossl_ctx_opts bo;
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    assert_non_null(ctx);
    atea_ossl_ctx_opts_default(&bo);
    EXPECT_OK(atea_ossl_ctx_prepare(ctx, &bo));
    assert_int_equal(SSL_CTX_set_ciphersuites(ctx, suite), 1);
    if (server) {
        assert_int_equal(SSL_CTX_use_certificate(ctx, f->id->leaf), 1);
        assert_int_equal(SSL_CTX_use_PrivateKey(ctx, f->id->key), 1);
    }
    return ctx;
}

/* Export label through the adapter on a connected, handshaken ssl. */
static void atea_export(SSL *ssl, const char *label, uint8_t *out, size_t len)
{
    atea_ossl_tls t;
    atea_tls tls;
    uint16_t version = 0;
    EXPECT_OK(atea_ossl_tls_init(&t, ssl, &tls));
    EXPECT_OK(tls.ops->version(tls.impl, &version));
    assert_int_equal(version, ATEA_TLS_VERSION_1_3);
    EXPECT_OK(tls.ops->exporter(tls.impl, label, strlen(label), NULL, 0, out, len));
}

/* atea's end (server or client) of a TLS 1.3 handshake with the openssl child on fd: what the
 * adapter exports for label must be the keying material the child prints. */
static void expect_same_export(const fixture *f, child *c, int fd, int server,
                               const suite_case *suite, const char *label)
{
    SSL_CTX *ctx = atea_ctx(server, f, suite->suite);
    SSL *ssl = SSL_new(ctx);
    assert_non_null(ssl);
    assert_int_equal(SSL_set_fd(ssl, fd), 1);
    assert_int_equal(server ? SSL_accept(ssl) : SSL_connect(ssl), 1);
    uint8_t mine[48];
    atea_export(ssl, label, mine, suite->hash_len);
    expect_keying_material(c, mine, suite->hash_len);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
}

static void test_atea_client_vs_openssl_s_server(void **state)
{
    fixture *f = *state;
    for (size_t s = 0; s < 2; s++) {
        for (size_t l = 0; l < 4; l++) {
            char len_arg[8];
            char accept_line[128];
            snprintf(len_arg, sizeof(len_arg), "%zu", suites[s].hash_len);
            char *const argv[] = {
                "openssl",
                "s_server",
                "-tls1_3",
                "-accept",
                "127.0.0.1:0",
                "-naccept",
                "1",
                "-cert",
                f->cert,
                "-key",
                f->key,
                "-ciphersuites",
                (char *)suites[s].suite,
                "-keymatexport",
                (char *)ea_labels[l],
                "-keymatexportlen",
                len_arg,
                NULL,
            };
            child c;
            child_spawn(&c, argv);
            child_expect_line(&c, "ACCEPT 127.0.0.1:", accept_line, sizeof(accept_line));
            struct sockaddr_in addr = {.sin_family = AF_INET,
                                       .sin_port = htons((uint16_t)atoi(accept_line)),
                                       .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            assert_true(fd >= 0);
            socket_timeouts(fd);
            assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
            expect_same_export(f, &c, fd, 0, &suites[s], ea_labels[l]);
            close(fd);
            child_end(&c);
        }
    }
}

static int listen_loopback(uint16_t *port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &alen), 0);
    *port = ntohs(addr.sin_port);
    return fd;
}

static int accept_within_deadline(int lfd)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    if (poll(&p, 1, PEER_TIMEOUT_MS) != 1) {
        fail_msg("openssl s_client did not connect within %d ms", PEER_TIMEOUT_MS);
    }
    int fd = accept(lfd, NULL, NULL);
    assert_true(fd >= 0);
    socket_timeouts(fd);
    return fd;
}

static void test_openssl_s_client_vs_atea_server(void **state)
{
    fixture *f = *state;
    for (size_t s = 0; s < 2; s++) {
        for (size_t l = 0; l < 4; l++) {
            char len_arg[8];
            char connect_arg[32];
            uint16_t port = 0;
            int lfd = listen_loopback(&port);
            snprintf(len_arg, sizeof(len_arg), "%zu", suites[s].hash_len);
            snprintf(connect_arg, sizeof(connect_arg), "127.0.0.1:%u", (unsigned)port);
            char *const argv[] = {
                "openssl",
                "s_client",
                "-tls1_3",
                "-connect",
                connect_arg,
                "-ciphersuites",
                (char *)suites[s].suite,
                "-keymatexport",
                (char *)ea_labels[l],
                "-keymatexportlen",
                len_arg,
                NULL,
            };
            child c;
            child_spawn(&c, argv);
            int fd = accept_within_deadline(lfd);
            expect_same_export(f, &c, fd, 1, &suites[s], ea_labels[l]);
            close(fd);
            close(lfd);
            child_end(&c);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atea_client_vs_openssl_s_server),
        cmocka_unit_test(test_openssl_s_client_vs_atea_server),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
