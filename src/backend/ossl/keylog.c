/*
 * SSLKEYLOGFILE: the NSS key log format ("<label> <client_random hex> <secret hex>" per line),
 * which Wireshark reads to decrypt a capture. Each line is appended with a single writev on a
 * descriptor opened with O_APPEND for that line and closed again: several processes or threads
 * may share the file without interleaving partial lines, and no FILE* or descriptor lives in a
 * global. The file is created with mode 0600 because it holds traffic secrets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "backend/ossl/ossl_internal.h"
#include "core/check.h"

#define ATEA_OSSL_KEYLOG_MODE 0600
/* PATH_MAX on Linux; a longer path is a configuration mistake, not a file name. */
#define ATEA_OSSL_KEYLOG_PATH_MAX 4096

static void ctx_data_release(atea_ossl_ctx_data *data)
{
    if (data != NULL) {
        free(data->keylog_path);
        free(data);
    }
}

static int keylog_open(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, ATEA_OSSL_KEYLOG_MODE);
}

/* strerror is not thread-safe; the XSI strerror_r is (the build asks for POSIX 2008). */
static const char *errno_text(int errnum, char *buf, size_t size)
{
    if (strerror_r(errnum, buf, size) != 0) {
        snprintf(buf, size, "errno %d", errnum);
    }
    return buf;
}

static void keylog_report(const atea_ossl_ctx_data *data, const char *what, int errnum)
{
    char reason[128];
    atea_logf(&data->log, ATEA_LOG_ERROR, "SSLKEYLOGFILE %s: cannot %s: %s", data->keylog_path,
              what, errno_text(errnum, reason, sizeof(reason)));
}

static void keylog_write_line(const SSL *ssl, const char *line)
{
    atea_ossl_indices idx;
    if (atea__ossl_indices(&idx) != ATEA_OK) {
        return;
    }
    const atea_ossl_ctx_data *data = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), idx.ctx_data);
    if (data == NULL || data->keylog_path == NULL) {
        return;
    }
    int fd = keylog_open(data->keylog_path);
    if (fd < 0) {
        keylog_report(data, "open for appending", errno);
        return;
    }
    size_t line_len = strlen(line);
    struct iovec iov[2] = {
        {.iov_base = (void *)line, .iov_len = line_len},
        {.iov_base = "\n", .iov_len = 1},
    };
    ssize_t written = writev(fd, iov, 2);
    if (written < 0) {
        keylog_report(data, "write", errno);
    } else if ((size_t)written != line_len + 1) {
        keylog_report(data, "write a whole line", EIO);
    }
    if (close(fd) != 0) {
        keylog_report(data, "close", errno);
    }
}

atea_err atea__ossl_keylog_install(SSL_CTX *ctx, const char *path, const atea_log *log)
{
    atea_err err = ATEA_OK;
    atea_ossl_indices idx;
    atea_ossl_ctx_data *data = NULL;
    atea_ossl_ctx_data *previous = NULL;
    int fd = -1;
    char reason[128];
    size_t path_len = strlen(path);
    ATEA_ENSURE_MSG(path_len > 0 && path_len < ATEA_OSSL_KEYLOG_PATH_MAX, ATEA_ERR_TLS_KEYLOG,
                    "key log path length %zu is outside 1..%d", path_len,
                    ATEA_OSSL_KEYLOG_PATH_MAX - 1);
    ATEA_TRY(atea__ossl_indices(&idx));
    fd = keylog_open(path);
    ATEA_ENSURE_MSG(fd >= 0, ATEA_ERR_TLS_KEYLOG, "cannot open %s for appending: %s", path,
                    errno_text(errno, reason, sizeof(reason)));
    data = calloc(1, sizeof(*data));
    ATEA_ENSURE_ALLOC(data);
    data->keylog_path = strdup(path);
    ATEA_ENSURE_ALLOC(data->keylog_path);
    if (log != NULL) {
        data->log = *log;
    }
    /* A second prepare replaces the first configuration (ex_data free callbacks run only when
     * the SSL_CTX is freed, so the old one is released here). */
    previous = SSL_CTX_get_ex_data(ctx, idx.ctx_data);
    ATEA_ENSURE_MSG(SSL_CTX_set_ex_data(ctx, idx.ctx_data, data) == 1, ATEA_ERR_TLS_CTX_SETUP,
                    "SSL_CTX_set_ex_data failed for the key log configuration");
    ctx_data_release(previous);
    SSL_CTX_set_keylog_callback(ctx, keylog_write_line);
    atea_logf(log, ATEA_LOG_WARN, "SSLKEYLOGFILE: TLS secrets of this context are written to %s",
              path);
    data = NULL;
out:
    if (fd >= 0) {
        close(fd);
    }
    ctx_data_release(data);
    return err;
}

void atea__ossl_ctx_data_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                              void *argp)
{
    (void)parent;
    (void)ad;
    (void)idx;
    (void)argl;
    (void)argp;
    ctx_data_release(ptr);
}

atea_err atea__ossl_keylog_remove(SSL_CTX *ctx)
{
    atea_err err = ATEA_OK;
    atea_ossl_indices idx;
    ATEA_TRY(atea__ossl_indices(&idx));
    atea_ossl_ctx_data *previous = SSL_CTX_get_ex_data(ctx, idx.ctx_data);
    if (previous == NULL) {
        goto out; /* never installed: leave an application's own key log callback alone */
    }
    SSL_CTX_set_keylog_callback(ctx, NULL);
    ATEA_ENSURE_MSG(SSL_CTX_set_ex_data(ctx, idx.ctx_data, NULL) == 1, ATEA_ERR_TLS_CTX_SETUP,
                    "SSL_CTX_set_ex_data failed while removing the key log configuration");
    ctx_data_release(previous);
out:
    return err;
}
