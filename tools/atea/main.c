/* atea: the command-line tool. Dispatches to one cmd_<command>.c per subcommand. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct atea_cli_command commands[] = {ATEA_CLI_COMMANDS};

static void usage(FILE *out)
{
    fprintf(out, "usage: atea <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(out, "\nRun 'atea <command> --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    /* Writes to a closed pipe or socket fail with EPIPE and are reported, instead of killing
     * the process (`atea client ... | head`, a peer that resets). */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return ATEA_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return ATEA_EXIT_OK;
    }
    if (strcmp(argv[1], "--commands") == 0) {
        /* for the docs test (tests/e2e/cli_docs.sh) */
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
            printf("%s\n", commands[i].name);
        }
        return ATEA_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("atea %s\n", ATEA_CLI_VERSION);
        return ATEA_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "atea: unknown command '%s'\ntry 'atea --help'\n", argv[1]);
    return ATEA_EXIT_USAGE;
}
