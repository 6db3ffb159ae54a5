/*
 * A peer that vanishes must never kill the process it talks to: an atea server whose client
 * closes (or resets) the connection mid-attestation, with the process's default SIGPIPE
 * disposition (as the atea CLI runs), must end the session with an error code, not die of
 * SIGPIPE (a remote denial of service against every other connection of that server).
 * The genuine end runs in a child process that keeps SIGPIPE at SIG_DFL.
 */
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "atea/ea.h"
#include "atea/frame.h"
#include "loopback_atea.h"

/* Wait for the child at most timeout_ms; kill it if it is still running. */
static int wait_child(pid_t pid, int timeout_ms)
{
    int status = 0;
    uint64_t deadline = lb_now_ms() + (uint64_t)timeout_ms;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (lb_now_ms() > deadline) {
            kill(pid, SIGKILL);
            (void)waitpid(pid, &status, 0);
            fail_msg("the server process did not finish within %d ms", timeout_ms);
        }
        usleep(10000);
    }
    return status;
}

static void vanish(int stage, int reset)
{
    la_env env;
    la_end server;
    lb_raw raw = {0};
    int cfd = -1;
    int sfd = -1;
    lb_ctx_opts co = {0};
    la_env_init(&env, 0);
    SSL_CTX *cctx = lb_ctx_new(0, &co);
    assert_non_null(cctx);
    EXPECT_OK(lb_tcp_pair(&cfd, &sfd));
    la_end_init(&server, &env, 1, ATEA_SESSION_ATTESTER, sfd);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        close(cfd);
        (void)la_end_run(&server);
        _exit(0);
    }
    close(sfd);
    EXPECT_OK(lb_raw_handshake(&raw, cctx, cfd, 0, LB_TIMEOUT_MS, NULL));
    if (stage >= 1) {
        la_send_hello(&raw, ATEA_ROLE_VERIFY);
    }
    if (stage >= 2) {
        atea_ossl_tls st;
        atea_tls tls;
        atea_ea *ea = NULL;
        atea_buf req = {0};
        atea_ea_request_params params = {.want_cmw = 1};
        EXPECT_OK(atea_ossl_tls_init(&st, raw.ssl, &tls));
        EXPECT_OK(atea_ea_new(&tls, NULL, &ea));
        EXPECT_OK(atea_ea_request(ea, &params, &req));
        EXPECT_OK(lb_raw_send_frame(&raw, ATEA_FRAME_REQUEST, req.data, req.len, LB_TIMEOUT_MS));
        atea_ea_free(ea);
        atea_buf_free(&req);
    }
    if (reset) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        (void)setsockopt(raw.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    lb_raw_abort(&raw);
    int status = wait_child(pid, LB_JOIN_TIMEOUT_MS);
    la_end_dispose(&server);
    SSL_CTX_free(cctx);
    la_env_dispose(&env);
    if (WIFSIGNALED(status)) {
        fail_msg("stage %d%s: the server process was killed by signal %d (%s)", stage,
                 reset ? " (reset)" : "", WTERMSIG(status), strsignal(WTERMSIG(status)));
    }
    assert_true(WIFEXITED(status));
}

static void test_vanishing_client(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        for (int stage = 0; stage <= 2; stage++) {
            vanish(stage, 0);
            vanish(stage, 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vanishing_client),
    };
    signal(SIGPIPE, SIG_IGN); /* the test process itself; the child restores the default */
    alarm(120);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
