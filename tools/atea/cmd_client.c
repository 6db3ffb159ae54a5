/* atea client: connect over TLS 1.3, verify and/or attest to the server, then pipe stdin/stdout
 * over the attested channel (in the spirit of `openssl s_client`). */
#include <stdio.h>

#include "atea/net.h"
#include "channel.h"
#include "cli.h"
#include "msg.h"

static const atea_opt options[] = {
    ATEA_OPTS_CHANNEL_COMMON,
    {"connect", 0, ATEA_OPT_STR, 0, ATEA_CO_ADDRESS, "HOST:PORT", "connect to HOST:PORT"},
};

static const atea_cmd_spec spec = {
    .name = "client",
    .synopsis = "--connect HOST:PORT (--verify-peer | --attest | --mutual) [options]",
    .summary = "Connect over TLS 1.3 (ALPN atea/1). After the handshake, require and appraise "
               "the server's attestation (--verify-peer), attest to the server (--attest), or "
               "both (--mutual); once attested, stdin goes to the server and the server's data "
               "to stdout. End of stdin closes the session. Exit 4 means attestation was refused.",
    .opts = options,
    .nopts = sizeof(options) / sizeof(options[0]),
    .nvals = ATEA_CO_COUNT,
    .min_args = 0,
    .max_args = 0,
};

int atea_cmd_client(int argc, char **argv)
{
    atea_optval v[ATEA_CO_COUNT];
    atea_cli_channel ch;
    int rc = atea_cli_channel_start(&ch, &spec, 0, argc, argv, v);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    int fd = -1;
    atea_err err = atea_net_connect(v[ATEA_CO_ADDRESS].str, ch.copts.io_timeout_ms, &fd);
    if (err != ATEA_OK) {
        atea_error_err(err, "--connect %s", v[ATEA_CO_ADDRESS].str);
        atea_cli_channel_dispose(&ch);
        return ATEA_EXIT_CONFIG;
    }
    rc = atea_cli_channel_run(&ch, fd);
    atea_cli_channel_dispose(&ch);
    return rc;
}
