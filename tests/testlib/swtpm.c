/* A real swtpm per test (see swtpm.h). */
/* nftw() is an XSI extension. */
#define _XOPEN_SOURCE 700

#include "swtpm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atea_test.h"

#define SWTPM_SETUP_TIMEOUT_MS 30000
#define SWTPM_READY_TIMEOUT_MS 10000
#define SWTPM_STOP_TIMEOUT_MS 5000
#define SWTPM_PORT_ATTEMPTS 64
#define SWTPM_LAUNCH_ATTEMPTS 3
/* swtpm control channel (swtpm_ioctl / ctrlchannel protocol): CMD_GET_CAPABILITY = 1, answered
 * by a 4-byte result and a 4-byte capability mask. */
#define SWTPM_CMD_GET_CAPABILITY 1u

static void why_set(char *why, size_t why_len, const char *fmt, ...) ATEA_PRINTF(3, 4);

static void why_set(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int in_path(const char *prog)
{
    const char *path = getenv("PATH");
    char dir[512];
    char full[700];

    while (path != NULL && *path != '\0') {
        size_t n = strcspn(path, ":");
        if (n > 0 && n < sizeof(dir)) {
            memcpy(dir, path, n);
            dir[n] = '\0';
            snprintf(full, sizeof(full), "%s/%s", dir, prog);
            if (access(full, X_OK) == 0) {
                return 1;
            }
        }
        path += n + (path[n] == ':');
    }
    return 0;
}

/* Wait for pid up to timeout_ms; returns its wait status, or -1 on timeout (still running). */
static int wait_for(pid_t pid, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    int status = 0;

    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return status;
        }
        if (r < 0 && errno != EINTR) {
            return 0;
        }
        if (now_ms() >= deadline) {
            return -1;
        }
        sleep_ms(10);
    }
}

/* Kill a process group we started, and reap its leader. */
static void kill_group(pid_t pid)
{
    kill(-pid, SIGTERM);
    if (wait_for(pid, SWTPM_STOP_TIMEOUT_MS) == -1) {
        kill(-pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
}

/* fork + exec argv in its own process group, stdin /dev/null, output to log_path. */
static pid_t spawn(char *const argv[], const char *log_path)
{
    pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    setpgid(0, 0);
    /* If the test dies without stopping us, the TPM goes with it (Linux). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int devnull = open("/dev/null", O_RDONLY);
    int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (devnull < 0 || log < 0 || dup2(devnull, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0) {
        _exit(126);
    }
    execvp(argv[0], argv);
    _exit(127);
}

static int run_setup(atea_test_swtpm *t, char *why, size_t why_len)
{
    char log_path[300];
    char *argv[] = {"swtpm_setup", "--tpm2", "--tpmstate", t->dir, "--createek", NULL};
    int status = 0;

    snprintf(log_path, sizeof(log_path), "%s/setup.log", t->dir);
    pid_t pid = spawn(argv, log_path);
    if (pid < 0) {
        why_set(why, why_len, "fork: %s", strerror(errno));
        return -1;
    }
    status = wait_for(pid, SWTPM_SETUP_TIMEOUT_MS);
    if (status == -1) {
        kill_group(pid);
        why_set(why, why_len, "swtpm_setup took longer than %d ms (log: %s)",
                SWTPM_SETUP_TIMEOUT_MS, log_path);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        why_set(why, why_len, "swtpm_setup failed (status 0x%x, log: %s)", status, log_path);
        return -1;
    }
    return 0;
}

static int listen_loopback(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0) {
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 8) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int bound_port(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        return -1;
    }
    return ntohs(sa.sin_port);
}

/* A loopback port P with P + 1 also free right now. swtpm binds them a moment later; if
 * another process takes one in between, swtpm exits and start_daemon tries other ports. */
static int free_port_pair(void)
{
    for (int i = 0; i < SWTPM_PORT_ATTEMPTS; i++) {
        int a = listen_loopback(0);
        int p = a >= 0 ? bound_port(a) : -1;
        int b = (p > 0 && p < 65535) ? listen_loopback(p + 1) : -1;
        if (a >= 0) {
            close(a);
        }
        if (b >= 0) {
            close(b);
            return p;
        }
    }
    return -1;
}

/* Ask the control channel for its capabilities: proves swtpm is up and serving. */
static int ctrl_ping(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(port + 1))};
    uint8_t cmd[4] = {0, 0, 0, SWTPM_CMD_GET_CAPABILITY};
    uint8_t resp[8];
    size_t got = 0;
    int ok = -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0) {
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        send(fd, cmd, sizeof(cmd), MSG_NOSIGNAL) == (ssize_t)sizeof(cmd)) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        while (got < sizeof(resp) && poll(&pfd, 1, 1000) == 1) {
            ssize_t n = recv(fd, resp + got, sizeof(resp) - got, 0);
            if (n <= 0) {
                break;
            }
            got += (size_t)n;
        }
        ok = (got == sizeof(resp) && resp[0] == 0 && resp[1] == 0 && resp[2] == 0 && resp[3] == 0)
                 ? 0
                 : -1;
    }
    close(fd);
    return ok;
}

/* Launch swtpm on a fresh port pair; 0 when it answers, 1 if it exited (port taken: retry),
 * -1 on a hard failure. */
static int launch_once(atea_test_swtpm *t, char *why, size_t why_len)
{
    char state[300];
    char server[64];
    char ctrl[64];
    char log_arg[320];
    char log_path[300];
    int64_t deadline = 0;

    t->port = free_port_pair();
    if (t->port < 0) {
        why_set(why, why_len, "no two consecutive free loopback ports");
        return -1;
    }
    snprintf(state, sizeof(state), "dir=%s", t->dir);
    snprintf(server, sizeof(server), "type=tcp,port=%d,bindaddr=127.0.0.1", t->port);
    snprintf(ctrl, sizeof(ctrl), "type=tcp,port=%d,bindaddr=127.0.0.1", t->port + 1);
    snprintf(log_path, sizeof(log_path), "%s/swtpm.log", t->dir);
    snprintf(log_arg, sizeof(log_arg), "file=%s", log_path);
    char *argv[] = {"swtpm",
                    "socket",
                    "--tpm2",
                    "--tpmstate",
                    state,
                    "--server",
                    server,
                    "--ctrl",
                    ctrl,
                    "--flags",
                    "not-need-init,startup-clear",
                    "--log",
                    log_arg,
                    NULL};
    t->pid = spawn(argv, log_path);
    if (t->pid < 0) {
        t->pid = 0;
        why_set(why, why_len, "fork: %s", strerror(errno));
        return -1;
    }
    snprintf(t->tcti, sizeof(t->tcti), "swtpm:host=127.0.0.1,port=%d", t->port);
    deadline = now_ms() + SWTPM_READY_TIMEOUT_MS;
    while (ctrl_ping(t->port) != 0) {
        int status = 0;
        if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
            t->pid = 0;
            why_set(why, why_len, "swtpm exited at start (status 0x%x, log: %s)", status, log_path);
            return 1;
        }
        if (now_ms() >= deadline) {
            why_set(why, why_len, "swtpm did not answer on port %d within %d ms (log: %s)",
                    t->port + 1, SWTPM_READY_TIMEOUT_MS, log_path);
            return -1;
        }
        sleep_ms(20);
    }
    return 0;
}

static int start_daemon(atea_test_swtpm *t, char *why, size_t why_len)
{
    int r = 1;
    for (int i = 0; i < SWTPM_LAUNCH_ATTEMPTS && r == 1; i++) {
        r = launch_once(t, why, why_len);
    }
    return r == 0 ? 0 : -1;
}

/* Append the end of the log named in why (it is deleted with the state directory). */
static void why_add_log_tail(char *why, size_t why_len, const char *dir)
{
    const char *logs[] = {"setup.log", "swtpm.log"};
    for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
        char path[300];
        char tail[200];
        size_t used = strlen(why);
        snprintf(path, sizeof(path), "%s/%s", dir, logs[i]);
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            continue;
        }
        if (fseek(f, -(long)(sizeof(tail) - 1), SEEK_END) != 0) {
            rewind(f);
        }
        size_t n = fread(tail, 1, sizeof(tail) - 1, f);
        fclose(f);
        tail[n] = '\0';
        if (n > 0 && used + 16 < why_len) {
            snprintf(why + used, why_len - used, "; %s ends: %s", logs[i], tail);
        }
    }
}

int atea_test_swtpm_start(atea_test_swtpm *t, char *why, size_t why_len)
{
    const char *tmp = getenv("TMPDIR");

    memset(t, 0, sizeof(*t));
    if (!in_path("swtpm") || !in_path("swtpm_setup")) {
        why_set(why, why_len,
                "swtpm or swtpm_setup not found in PATH: install swtpm and swtpm-tools "
                "(scripts/setup.sh does)");
        return -1;
    }
    snprintf(t->dir, sizeof(t->dir), "%s/atea-swtpm-XXXXXX",
             tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(t->dir) == NULL) {
        why_set(why, why_len, "mkdtemp %s: %s", t->dir, strerror(errno));
        t->dir[0] = '\0';
        return -1;
    }
    if (run_setup(t, why, why_len) != 0 || start_daemon(t, why, why_len) != 0) {
        why_add_log_tail(why, why_len, t->dir);
        atea_test_swtpm_stop(t);
        return -1;
    }
    return 0;
}

void atea_test_swtpm_start_or_fail(atea_test_swtpm *t)
{
    char why[512];
    if (atea_test_swtpm_start(t, why, sizeof(why)) != 0) {
        fail_msg("cannot start a software TPM: %s", why);
    }
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void atea_test_swtpm_stop(atea_test_swtpm *t)
{
    if (t->pid > 0) {
        kill_group(t->pid);
        t->pid = 0;
    }
    if (t->dir[0] != '\0') {
        nftw(t->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
        t->dir[0] = '\0';
    }
}
