#include <stdio.h>

#include "cli.h"

int atea_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("atea %s\n", ATEA_CLI_VERSION);
    return ATEA_EXIT_OK;
}
