/*
 * Command-line options: each subcommand declares one table of atea_opt rows; groups shared by
 * several commands (TLS, attestation, output) are defined once as macros, so a flag has one
 * spelling everywhere (the openssl apps/include/opt.h idea). Types are parsed and range-checked
 * here, in one place. A BOOL option also accepts --no-<name>.
 */
#ifndef ATEA_CLI_OPT_H
#define ATEA_CLI_OPT_H

#include <stddef.h>
#include <stdint.h>

typedef enum atea_opt_type {
    ATEA_OPT_BOOL,  /* --x / --no-x */
    ATEA_OPT_STR,   /* any string */
    ATEA_OPT_FILE,  /* a path; "-" means stdin/stdout where the command says so */
    ATEA_OPT_SECS,  /* a non-negative number of seconds, at most one day */
    ATEA_OPT_UNUM,  /* a non-negative integer */
    ATEA_OPT_HEX,   /* hexadecimal bytes */
    ATEA_OPT_TIME,  /* a point in time: seconds since the epoch or YYYY-MM-DD[THH:MM:SS[Z]] */
    ATEA_OPT_COUNT, /* flag that may repeat (-v -v) */
} atea_opt_type;

#define ATEA_OPT_F_SECRET 0x1 /* scrubbed from argv after parsing (ps shows no secret) */
#define ATEA_OPT_F_MULTI 0x2  /* may be given several times; each value is kept */

#define ATEA_OPT_MAX_VALUES 16

typedef struct atea_opt {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 if none */
    atea_opt_type type;
    unsigned flags;
    int id;              /* index into the command's value array */
    const char *argname; /* shown in --help ("FILE") */
    const char *help;    /* one line; must match docs/cli/<name>.md */
} atea_opt;

typedef struct atea_optval {
    int set;
    int count;                             /* COUNT, MULTI */
    const char *str;                       /* last value (STR, FILE, HEX, TIME text) */
    const char *strs[ATEA_OPT_MAX_VALUES]; /* MULTI */
    uint64_t num;                          /* SECS, UNUM */
    int64_t time;                          /* TIME */
    int flag;                              /* BOOL */
} atea_optval;

typedef struct atea_cmd_spec {
    const char *name;     /* "inspect" */
    const char *synopsis; /* "[options] [FILE|-]" */
    const char *summary;  /* one line */
    const atea_opt *opts;
    size_t nopts;
    size_t nvals;           /* size of the value array */
    int min_args, max_args; /* positional arguments */
} atea_cmd_spec;

/* Result of parsing: ATEA_OPT_OK, ATEA_OPT_HELP (help was printed: exit 0), or ATEA_OPT_ERROR
 * (a usage error was printed: exit 1). On OK, *first_arg is the index of the first positional
 * argument in argv. */
enum { ATEA_OPT_OK = 0, ATEA_OPT_HELP = 1, ATEA_OPT_ERROR = 2 };

int atea_opt_parse(const atea_cmd_spec *spec, int argc, char **argv, atea_optval *vals,
                   int *first_arg);

void atea_opt_print_help(const atea_cmd_spec *spec);

/* atea_opt_parse for a command's entry point: returns ATEA_OPT_CONTINUE when the command should
 * run, else the exit code to return at once (0 after --help, 1 after a usage error). */
#define ATEA_OPT_CONTINUE (-1)
int atea_opt_parse_command(const atea_cmd_spec *spec, int argc, char **argv, atea_optval *vals,
                           int *first_arg);

/* Parse "2024-05-01", "2024-05-01T12:00:00Z" or "1714560000" into seconds since the epoch (UTC).
 * Returns 0 on success. */
int atea_opt_parse_time(const char *text, int64_t *out);

/* For the docs test: print "<command>\t<option>\t<help>" for every option of spec. */
void atea_opt_dump(const atea_cmd_spec *spec);

/* Shared option groups: ids are given by the including command through an enum with these
 * names, so each command keeps its own value array. */
#define ATEA_OPTS_TLS(prefix)                                                                      \
    {"cert",                                                                                       \
     0,                                                                                            \
     ATEA_OPT_FILE,                                                                                \
     0,                                                                                            \
     prefix##CERT,                                                                                 \
     "FILE",                                                                                       \
     "certificate chain (PEM) presented in the TLS handshake"},                                    \
        {"key", 0, ATEA_OPT_FILE, 0, prefix##KEY, "FILE", "private key (PEM) for --cert"},         \
        {"CAfile",                                                                                 \
         0,                                                                                        \
         ATEA_OPT_FILE,                                                                            \
         0,                                                                                        \
         prefix##CAFILE,                                                                           \
         "FILE",                                                                                   \
         "trusted CA certificates (PEM) to verify the peer's TLS certificate"},                    \
    {                                                                                              \
        "keylogfile", 0, ATEA_OPT_FILE, 0, prefix##KEYLOG, "FILE",                                 \
            "append TLS secrets in NSS key-log format (default: $SSLKEYLOGFILE)"                   \
    }

#define ATEA_OPTS_OUTPUT(prefix)                                                                   \
    {"json", 0, ATEA_OPT_BOOL, 0, prefix##JSON, NULL, "print results as JSON"},                    \
        {"verbose",                                                                                \
         'v',                                                                                      \
         ATEA_OPT_COUNT,                                                                           \
         0,                                                                                        \
         prefix##VERBOSE,                                                                          \
         NULL,                                                                                     \
         "say more (repeat for more detail)"},                                                     \
    {                                                                                              \
        "quiet", 'q', ATEA_OPT_BOOL, 0, prefix##QUIET, NULL, "print only errors"                   \
    }

#endif
