/*
 * Plain TCP plumbing for the CLI and the proxy: listen, accept and connect with timeouts.
 * Part of the transport layer; the protocol core never touches sockets.
 */
#ifndef ATEA_NET_H
#define ATEA_NET_H

#include "atea/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Split "HOST:PORT", "[v6]:PORT" or "PORT" (host defaults to default_host). host must hold 256
 * bytes, port 16. */
atea_err atea_net_split_hostport(const char *spec, const char *default_host, char *host,
                                 char *port) ATEA_MUST_USE;

/* Listen on HOST:PORT (SO_REUSEADDR; backlog 64). Port 0 picks a free port: read it back with
 * atea_net_local_port. */
atea_err atea_net_listen(const char *spec, int *pfd) ATEA_MUST_USE;
atea_err atea_net_local_port(int fd, unsigned *port) ATEA_MUST_USE;

/* Accept one connection, waiting at most timeout_ms (< 0: forever). */
atea_err atea_net_accept(int listen_fd, int timeout_ms, int *pfd) ATEA_MUST_USE;

/* Connect to HOST:PORT (every address getaddrinfo returns, in order), at most timeout_ms each. */
atea_err atea_net_connect(const char *spec, int timeout_ms, int *pfd) ATEA_MUST_USE;

/* Wait until fd is readable (want_write = 0) or writable, at most timeout_ms. Fails with
 * ATEA_ERR_NET_TIMEOUT when the time runs out. */
atea_err atea_net_wait(int fd, int want_write, int timeout_ms) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
