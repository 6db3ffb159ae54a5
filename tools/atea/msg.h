/* Diagnostics of the CLI (the curl tool_msgs idea): one line on stderr,
 *   atea: <command>: <what failed>: <detail> (<ATEA_ERR_NAME>)
 * Results go to stdout; only tools/ writes to a terminal. */
#ifndef ATEA_CLI_MSG_H
#define ATEA_CLI_MSG_H

#include "atea/error.h"

void atea_msg_set_command(const char *cmd);
void atea_msg_set_quiet(int quiet);

/* "atea: <cmd>: <fmt...>" */
void atea_errorf(const char *fmt, ...) ATEA_PRINTF(1, 2);
/* "atea: <cmd>: <what>: <detail of err> (<name>)" */
void atea_error_err(atea_err err, const char *what, ...) ATEA_PRINTF(2, 3);
/* "atea: <cmd>: warning: ..." unless --quiet */
void atea_warnf(const char *fmt, ...) ATEA_PRINTF(1, 2);
/* usage error: message plus "try 'atea <cmd> --help'" */
void atea_usagef(const char *fmt, ...) ATEA_PRINTF(1, 2);

/* Map an atea_err to the CLI's exit code (cli.h). */
int atea_exit_from_err(atea_err err);

#endif
