#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

static const char *command = "atea";
static int quiet_mode;

void atea_msg_set_command(const char *cmd)
{
    command = cmd;
}

void atea_msg_set_quiet(int quiet)
{
    quiet_mode = quiet;
}

static void vprefixed(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "atea: %s: %s", command, kind);
    vfprintf(stderr, fmt, ap);
}

void atea_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprefixed("", fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void atea_error_err(atea_err err, const char *what, ...)
{
    va_list ap;
    va_start(ap, what);
    vprefixed("", what, ap);
    va_end(ap);
    fprintf(stderr, ": %s (%s)\n", atea_err_detail(err), atea_err_name(err));
}

void atea_warnf(const char *fmt, ...)
{
    if (quiet_mode) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vprefixed("warning: ", fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void atea_usagef(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprefixed("", fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'atea %s --help'\n", command);
}

int atea_exit_from_err(atea_err err)
{
    switch (atea_err_class_of(err)) {
    case ATEA_ERR_CLASS_OK:
        return ATEA_EXIT_OK;
    case ATEA_ERR_CLASS_USAGE:
        return ATEA_EXIT_USAGE;
    case ATEA_ERR_CLASS_DECODE:
        return ATEA_EXIT_PROTOCOL;
    case ATEA_ERR_CLASS_CRYPTO:
        return ATEA_EXIT_TLS;
    case ATEA_ERR_CLASS_EVIDENCE:
        return ATEA_EXIT_REFUSED;
    case ATEA_ERR_CLASS_IO:
        return ATEA_EXIT_CONFIG;
    case ATEA_ERR_CLASS_INTERNAL:
        return ATEA_EXIT_INTERNAL;
    }
    return ATEA_EXIT_INTERNAL;
}
