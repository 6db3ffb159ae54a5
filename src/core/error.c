/* The error registry (generated from ATEA_ERRORS) and the per-thread failure context. */
#include <stdio.h>
#include <string.h>

#include "atea/error.h"

static _Thread_local atea_err_info last_failure;

const char *atea_strerror(atea_err err)
{
    if (err == ATEA_OK) {
        return "success";
    }
    switch ((atea_err_code)err) {
    case ATEA_OK:
        return "success";
#define ATEA_X_MSG(id, value, msg)                                                                 \
    case id:                                                                                       \
        return msg;
        ATEA_ERRORS(ATEA_X_MSG)
#undef ATEA_X_MSG
    }
    return "unknown atea error";
}

const char *atea_err_name(atea_err err)
{
    switch ((atea_err_code)err) {
    case ATEA_OK:
        return "ATEA_OK";
#define ATEA_X_NAME(id, value, msg)                                                                \
    case id:                                                                                       \
        return #id;
        ATEA_ERRORS(ATEA_X_NAME)
#undef ATEA_X_NAME
    }
    return "ATEA_ERR_UNKNOWN";
}

atea_err_class atea_err_class_of(atea_err err)
{
    if (err == ATEA_OK) {
        return ATEA_ERR_CLASS_OK;
    }
    int v = -err;
    if (v >= 100 && v < 200) {
        return ATEA_ERR_CLASS_USAGE;
    }
    if (v >= 200 && v < 300) {
        return ATEA_ERR_CLASS_DECODE;
    }
    if (v >= 300 && v < 400) {
        return ATEA_ERR_CLASS_CRYPTO;
    }
    if (v >= 400 && v < 500) {
        return ATEA_ERR_CLASS_EVIDENCE;
    }
    if (v >= 500 && v < 600) {
        return ATEA_ERR_CLASS_IO;
    }
    return ATEA_ERR_CLASS_INTERNAL;
}

int atea_err_is_fatal(atea_err err)
{
    return err != ATEA_OK && err != ATEA_ERR_WANT_READ && err != ATEA_ERR_WANT_WRITE;
}

const atea_err_info *atea_err_last(void)
{
    return &last_failure;
}

const char *atea_err_detail(atea_err err)
{
    if (err != ATEA_OK && last_failure.code == err && last_failure.detail[0] != '\0') {
        return last_failure.detail;
    }
    return atea_strerror(err);
}

void atea_err_clear(void)
{
    memset(&last_failure, 0, sizeof(last_failure));
}

atea_err atea__err_set(atea_err code, const char *file, int line, const char *fmt, ...)
{
    /* Format into a local buffer first: callers may pass the previous detail as an argument
     * (wrapping an inner failure), which must be read before it is overwritten. */
    char detail[sizeof(last_failure.detail)];
    detail[0] = '\0';
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof(detail), fmt, ap);
        va_end(ap);
    }
    last_failure.code = code;
    last_failure.file = file;
    last_failure.line = line;
    memcpy(last_failure.detail, detail, sizeof(detail));
    return code;
}

void atea_logf(const atea_log *log, atea_log_level level, const char *fmt, ...)
{
    if (log == NULL || log->fn == NULL) {
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log->fn(log->user, level, msg);
}
