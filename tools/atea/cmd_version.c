#include <stdio.h>

#include "cli.h"
#include "opt.h"

static const atea_cmd_spec spec = {
    .name = "version",
    .synopsis = "",
    .summary = "Print the version of atea and of the libraries it was built with.",
    .opts = NULL,
    .nopts = 0,
    .nvals = 0,
    .min_args = 0,
    .max_args = 0,
};

int atea_cmd_version(int argc, char **argv)
{
    int first = 0;
    int rc = atea_opt_parse_command(&spec, argc, argv, NULL, &first);
    if (rc != ATEA_OPT_CONTINUE) {
        return rc;
    }
    printf("atea %s\n", ATEA_CLI_VERSION);
    return ATEA_EXIT_OK;
}
