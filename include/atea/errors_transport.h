/* Error codes of the transport layer (sockets, TLS over TCP). See atea/error.h for the ranges. */
#ifndef ATEA_ERRORS_TRANSPORT_H
#define ATEA_ERRORS_TRANSPORT_H

#define ATEA_ERRORS_TRANSPORT(X)                                                                   \
    X(ATEA_ERR_NET_ADDRESS, -550, "the address is not HOST:PORT or cannot be resolved")            \
    X(ATEA_ERR_NET_LISTEN, -551, "cannot listen on the address (in use, or not permitted)")        \
    X(ATEA_ERR_NET_CONNECT, -552, "cannot connect to the peer")                                    \
    X(ATEA_ERR_NET_TIMEOUT, -553, "the peer did not answer in time")                               \
    X(ATEA_ERR_NET_IO, -554, "a socket operation failed")                                          \
    X(ATEA_ERR_NET_CLOSED, -555, "the peer closed the connection")

#endif
