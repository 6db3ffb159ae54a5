/* What `atea server` and `atea client` share: the TLS context, the session options built from
 * the command line, and the loop that pipes stdin/stdout over an attested connection. */
#ifndef ATEA_CLI_CHANNEL_H
#define ATEA_CLI_CHANNEL_H

#include <openssl/ssl.h>

#include "atea/conn.h"
#include "attest_cli.h"
#include "ident.h"

/* Option ids after the attestation group. */
enum {
    ATEA_CO_CERT = ATEA_AO_COUNT,
    ATEA_CO_KEY,
    ATEA_CO_CAFILE,
    ATEA_CO_KEYLOG,
    ATEA_CO_JSON,
    ATEA_CO_VERBOSE,
    ATEA_CO_QUIET,
    ATEA_CO_MSG,
    ATEA_CO_ADDRESS, /* --accept or --connect */
    ATEA_CO_TIMEOUT,
    ATEA_CO_NACCEPT,
    ATEA_CO_REATTEST_AFTER,
    ATEA_CO_COUNT
};

#define ATEA_OPTS_CHANNEL_COMMON                                                                   \
    ATEA_OPTS_TLS(ATEA_CO_), ATEA_OPTS_OUTPUT(ATEA_CO_), ATEA_OPTS_SESSION_ATTEST,                 \
        {"msg",                                                                                    \
         0,                                                                                        \
         ATEA_OPT_BOOL,                                                                            \
         0,                                                                                        \
         ATEA_CO_MSG,                                                                              \
         NULL,                                                                                     \
         "print every atea frame sent and received (direction, type, length, hex) on stderr"},     \
        {"timeout",                                                                                \
         0,                                                                                        \
         ATEA_OPT_SECS,                                                                            \
         0,                                                                                        \
         ATEA_CO_TIMEOUT,                                                                          \
         "SECS",                                                                                   \
         "give up when the peer does not answer within SECS seconds (default 30)"},                \
    {                                                                                              \
        "reattest-after", 0, ATEA_OPT_SECS, 0, ATEA_CO_REATTEST_AFTER, "SECS",                     \
            "ask the peer to attest once more SECS seconds after the first attestation"            \
    }

typedef struct atea_cli_channel {
    int is_server;
    const atea_optval *v;
    SSL_CTX *ctx;
    atea_cli_ident tls_id;    /* server: --cert/--key or ephemeral */
    atea_cli_ident attest_id; /* the authenticator leaf: an ephemeral attestation key */
    atea_attester *attester;
    atea_verifier *verifier;
    atea_slice chain[ATEA_CLI_MAX_CHAIN];
    atea_conn_opts copts;
    int verbose;
    int quiet;
    int json;
} atea_cli_channel;

/* Build everything from the options. Prints errors; returns an exit code (0 = ok). */
int atea_cli_channel_init(atea_cli_channel *ch, int is_server, const atea_optval *v);

/* A command's start: parse argv with spec into v, require the address option (--accept or
 * --connect), and init ch. Returns ATEA_OPT_CONTINUE when ready (ch must then be disposed),
 * else the exit code (ch already disposed). */
int atea_cli_channel_start(atea_cli_channel *ch, const atea_cmd_spec *spec, int is_server, int argc,
                           char **argv, atea_optval *v);
void atea_cli_channel_dispose(atea_cli_channel *ch);

/* Run one connection on fd (connected TCP socket; closed by this call): TLS handshake,
 * attestation, then stdin -> peer and peer -> stdout until either side closes. Returns the exit
 * code for this connection. */
int atea_cli_channel_run(atea_cli_channel *ch, int fd);

#endif
