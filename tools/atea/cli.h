/* Shared declarations of the atea CLI. */
#ifndef ATEA_CLI_H
#define ATEA_CLI_H

#define ATEA_CLI_VERSION "0.1.0"

/* Stable exit codes (docs/cli/EXIT-CODES.md). */
enum atea_exit {
    ATEA_EXIT_OK = 0,
    ATEA_EXIT_USAGE = 1,
    ATEA_EXIT_CONFIG = 2,  /* configuration, files, I/O */
    ATEA_EXIT_TLS = 3,     /* TLS handshake or network */
    ATEA_EXIT_REFUSED = 4, /* attestation refused or evidence rejected */
    ATEA_EXIT_PROTOCOL = 5,
    ATEA_EXIT_INTERNAL = 6,
};

struct atea_cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

/* Each command: int atea_cmd_<name>(int argc, char **argv), argv[0] = the command name. */
int atea_cmd_version(int argc, char **argv);
int atea_cmd_inspect(int argc, char **argv);
int atea_cmd_demo(int argc, char **argv);
int atea_cmd_server(int argc, char **argv);
int atea_cmd_client(int argc, char **argv);
int atea_cmd_evidence(int argc, char **argv);
int atea_cmd_verify(int argc, char **argv);

#define ATEA_CLI_COMMANDS                                                                          \
    {"inspect", "decode an authenticator, a CMW or evidence into a readable dump",                 \
     atea_cmd_inspect},                                                                            \
        {"server", "accept attested TLS connections (like openssl s_server)", atea_cmd_server},    \
        {"client", "connect over attested TLS (like openssl s_client)", atea_cmd_client},          \
        {"evidence", "produce evidence bound to a report_data, as a CMW", atea_cmd_evidence},      \
        {"verify", "appraise evidence against a policy (EAR-shaped JSON)", atea_cmd_verify},       \
        {"demo", "run the atea demo over loopback", atea_cmd_demo},                                \
        {"version", "print the version of atea", atea_cmd_version},

#endif
