#include "atea/net.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/check.h"

atea_err atea_net_split_hostport(const char *spec, const char *default_host, char *host, char *port)
{
    atea_err err = ATEA_OK;
    const char *colon = NULL;
    ATEA_ENSURE(spec != NULL && spec[0] != '\0', ATEA_ERR_INVALID_ARG);
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        ATEA_ENSURE_MSG(close != NULL && close[1] == ':', ATEA_ERR_NET_ADDRESS,
                        "'%s' is not [IPv6]:PORT", spec);
        ATEA_ENSURE_MSG((size_t)(close - spec - 1) < 256, ATEA_ERR_NET_ADDRESS, "host too long");
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(spec, ':');
        if (colon == NULL) {
            snprintf(host, 256, "%s", default_host);
            colon = spec - 1;
        } else {
            ATEA_ENSURE_MSG((size_t)(colon - spec) < 256, ATEA_ERR_NET_ADDRESS, "host too long");
            memcpy(host, spec, (size_t)(colon - spec));
            host[colon - spec] = '\0';
            if (host[0] == '\0') {
                snprintf(host, 256, "%s", default_host);
            }
        }
    }
    const char *p = colon + 1;
    size_t n = strlen(p);
    ATEA_ENSURE_MSG(n > 0 && n < 6 && strspn(p, "0123456789") == n, ATEA_ERR_NET_ADDRESS,
                    "'%s': the port must be a number from 0 to 65535", spec);
    long v = strtol(p, NULL, 10);
    ATEA_ENSURE_MSG(v <= 65535, ATEA_ERR_NET_ADDRESS, "'%s': port %ld is above 65535", spec, v);
    memcpy(port, p, n + 1);
out:
    return err;
}

static atea_err resolve(const char *spec, const char *default_host, int passive,
                        struct addrinfo **res)
{
    atea_err err = ATEA_OK;
    char host[256];
    char port[16];
    struct addrinfo hints = {0};
    ATEA_TRY(atea_net_split_hostport(spec, default_host, host, port));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    int rc = getaddrinfo(host, port, &hints, res);
    ATEA_ENSURE_MSG(rc == 0, ATEA_ERR_NET_ADDRESS, "cannot resolve '%s': %s", host,
                    gai_strerror(rc));
out:
    return err;
}

atea_err atea_net_listen(const char *spec, int *pfd)
{
    atea_err err = ATEA_OK;
    struct addrinfo *res = NULL;
    int fd = -1;
    int last_errno = 0;
    ATEA_TRY(resolve(spec, "0.0.0.0", 1, &res));
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0) {
            break;
        }
        last_errno = errno;
        close(fd);
        fd = -1;
    }
    ATEA_ENSURE_MSG(fd >= 0, ATEA_ERR_NET_LISTEN, "cannot listen on %s: %s", spec,
                    strerror(last_errno));
    *pfd = fd;
    fd = -1;
out:
    if (res != NULL) {
        freeaddrinfo(res);
    }
    if (fd >= 0) {
        close(fd);
    }
    return err;
}

atea_err atea_net_local_port(int fd, unsigned *port)
{
    atea_err err = ATEA_OK;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    ATEA_ENSURE_MSG(getsockname(fd, (struct sockaddr *)&ss, &len) == 0, ATEA_ERR_NET_IO,
                    "getsockname: %s", strerror(errno));
    if (ss.ss_family == AF_INET) {
        *port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    } else {
        *port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
out:
    return err;
}

atea_err atea_net_wait(int fd, int want_write, int timeout_ms)
{
    atea_err err = ATEA_OK;
    struct pollfd p = {.fd = fd, .events = want_write ? POLLOUT : POLLIN};
    int rc;
    do {
        rc = poll(&p, 1, timeout_ms);
    } while (rc < 0 && errno == EINTR);
    ATEA_ENSURE_MSG(rc >= 0, ATEA_ERR_NET_IO, "poll: %s", strerror(errno));
    ATEA_ENSURE_MSG(rc > 0, ATEA_ERR_NET_TIMEOUT, "no %s within %d ms",
                    want_write ? "progress sending" : "data from the peer", timeout_ms);
out:
    return err;
}

atea_err atea_net_accept(int listen_fd, int timeout_ms, int *pfd)
{
    atea_err err = ATEA_OK;
    int fd = -1;
    ATEA_TRY(atea_net_wait(listen_fd, 0, timeout_ms));
    do {
        fd = accept(listen_fd, NULL, NULL);
    } while (fd < 0 && errno == EINTR);
    ATEA_ENSURE_MSG(fd >= 0, ATEA_ERR_NET_IO, "accept: %s", strerror(errno));
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    *pfd = fd;
out:
    return err;
}

static atea_err connect_one(const struct addrinfo *ai, int timeout_ms, int *pfd)
{
    atea_err err = ATEA_OK;
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    ATEA_ENSURE_MSG(fd >= 0, ATEA_ERR_NET_CONNECT, "socket: %s", strerror(errno));
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        ATEA_ENSURE_MSG(errno == EINPROGRESS, ATEA_ERR_NET_CONNECT, "%s", strerror(errno));
        ATEA_TRY(atea_net_wait(fd, 1, timeout_ms));
        int so_error = 0;
        socklen_t len = sizeof(so_error);
        (void)getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
        ATEA_ENSURE_MSG(so_error == 0, ATEA_ERR_NET_CONNECT, "%s", strerror(so_error));
    }
    int flags = fcntl(fd, F_GETFL);
    ATEA_ENSURE_MSG(flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0, ATEA_ERR_NET_IO,
                    "fcntl: %s", strerror(errno));
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    *pfd = fd;
    fd = -1;
out:
    if (fd >= 0) {
        close(fd);
    }
    return err;
}

atea_err atea_net_connect(const char *spec, int timeout_ms, int *pfd)
{
    atea_err err = ATEA_OK;
    struct addrinfo *res = NULL;
    char why[sizeof(atea_err_last()->detail)] = "no address";
    ATEA_TRY(resolve(spec, "localhost", 0, &res));
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        if (connect_one(ai, timeout_ms, pfd) == ATEA_OK) {
            goto out;
        }
        snprintf(why, sizeof(why), "%s", atea_err_last()->detail);
    }
    ATEA_FAIL(ATEA_ERR_NET_CONNECT, "cannot connect to %s: %s", spec, why);
out:
    if (res != NULL) {
        freeaddrinfo(res);
    }
    return err;
}
