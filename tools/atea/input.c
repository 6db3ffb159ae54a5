#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/check.h"
#include "core/wr.h"

atea_err atea_cli_read_file(const char *path, size_t max, atea_buf *out)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};
    int fd = -1;
    int is_stdin = strcmp(path, "-") == 0;
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    ATEA_ENSURE_MSG(fd >= 0, ATEA_ERR_CLI_FILE, "cannot open %s: %s", path, strerror(errno));
    ATEA_TRY(atea_wr_init_growable(&wr, 4096, max));
    for (;;) {
        uint8_t chunk[65536];
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ATEA_ENSURE_MSG(n >= 0, ATEA_ERR_CLI_FILE, "cannot read %s: %s", is_stdin ? "stdin" : path,
                        strerror(errno));
        if (n == 0) {
            break;
        }
        err = atea_wr_bytes(&wr, chunk, (size_t)n);
        ATEA_ENSURE_MSG(err == ATEA_OK, err, "%s is larger than the limit of %zu bytes",
                        is_stdin ? "stdin" : path, max);
    }
    ATEA_TRY(atea_wr_take(&wr, out));
out:
    if (fd >= 0 && !is_stdin) {
        close(fd);
    }
    atea_wr_dispose(&wr);
    return err;
}

static int looks_like_hex(const uint8_t *p, size_t n)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
            digits++;
        } else if (!(c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ':')) {
            return 0;
        }
    }
    return digits > 0 && digits % 2 == 0;
}

atea_err atea_cli_read_input(const char *path, atea_buf *out, int *was_hex)
{
    atea_err err = ATEA_OK;
    atea_buf raw = {0};
    ATEA_TRY(atea_cli_read_file(path, ATEA_CLI_MAX_INPUT, &raw));
    *was_hex = looks_like_hex(raw.data, raw.len);
    if (*was_hex) {
        ATEA_TRY(atea_hex_decode((const char *)raw.data, raw.len, out));
    } else {
        *out = raw;
        raw = (atea_buf){0};
    }
out:
    atea_buf_free(&raw);
    return err;
}

atea_err atea_cli_write_file(const char *path, const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    int is_stdout = strcmp(path, "-") == 0;
    int fd = is_stdout ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ATEA_ENSURE_MSG(fd >= 0, ATEA_ERR_CLI_FILE, "cannot create %s: %s", path, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ATEA_ENSURE_MSG(n > 0, ATEA_ERR_CLI_FILE, "cannot write %s: %s", path, strerror(errno));
        done += (size_t)n;
    }
out:
    if (fd >= 0 && !is_stdout) {
        if (close(fd) != 0 && err == ATEA_OK) {
            err = atea__err_set(ATEA_ERR_CLI_FILE, __FILE__, __LINE__, "cannot write %s: %s", path,
                                strerror(errno));
        }
    }
    return err;
}
