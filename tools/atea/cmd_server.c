/* atea server: accept TLS 1.3 connections, attest and/or verify the client, then pipe
 * stdin/stdout over the attested channel (in the spirit of `openssl s_server`). */
#include <stdio.h>
#include <unistd.h>

#include "atea/net.h"
#include "channel.h"
#include "cli.h"
#include "msg.h"

static const atea_opt options[] = {
    ATEA_OPTS_CHANNEL_COMMON,
    {"accept", 0, ATEA_OPT_STR, 0, ATEA_CO_ADDRESS, "[HOST:]PORT",
     "listen on HOST:PORT (default host: all interfaces)"},
    {"naccept", 0, ATEA_OPT_UNUM, 0, ATEA_CO_NACCEPT, "N",
     "exit after N connections (default: serve until interrupted)"},
};

static const atea_cmd_spec spec = {
    .name = "server",
    .synopsis = "--accept [HOST:]PORT (--attest | --verify-peer | --mutual) [options]",
    .summary = "Accept TLS 1.3 connections (ALPN atea/1). After the handshake, attest to the "
               "client (--attest), require and appraise the client's attestation "
               "(--verify-peer), or both (--mutual); once attested, stdin goes to the client and "
               "the client's data to stdout. Connections are served one at a time.",
    .opts = options,
    .nopts = sizeof(options) / sizeof(options[0]),
    .nvals = ATEA_CO_COUNT,
    .min_args = 0,
    .max_args = 0,
};

int atea_cmd_server(int argc, char **argv)
{
    atea_optval v[ATEA_CO_COUNT];
    atea_cli_channel ch;
    int rc = atea_cli_channel_start(&ch, &spec, 1, argc, argv, v);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    int lfd = -1;
    atea_err err = atea_net_listen(v[ATEA_CO_ADDRESS].str, &lfd);
    if (err != ATEA_OK) {
        atea_error_err(err, "--accept %s", v[ATEA_CO_ADDRESS].str);
        atea_cli_channel_dispose(&ch);
        return ATEA_EXIT_CONFIG;
    }
    unsigned port = 0;
    if (atea_net_local_port(lfd, &port) == ATEA_OK && !ch.quiet) {
        fprintf(stderr, "atea: server: listening on port %u\n", port);
    }
    uint64_t served = 0;
    uint64_t limit = v[ATEA_CO_NACCEPT].set ? v[ATEA_CO_NACCEPT].num : 0;
    while (limit == 0 || served < limit) {
        int fd = -1;
        err = atea_net_accept(lfd, -1, &fd);
        if (err != ATEA_OK) {
            atea_error_err(err, "accept");
            rc = ATEA_EXIT_CONFIG;
            break;
        }
        rc = atea_cli_channel_run(&ch, fd);
        served++;
    }
    close(lfd);
    atea_cli_channel_dispose(&ch);
    return rc;
}
