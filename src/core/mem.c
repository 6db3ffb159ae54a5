/* Owned buffers, wiping and constant-time comparison.
 * libcrypto is atea's crypto provider in every layer (docs/ARCHITECTURE.md), so wiping and
 * constant-time comparison use its audited primitives rather than our own loops. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "atea/types.h"
#include "core/check.h"

void atea_wipe(void *p, size_t len)
{
    if (p != NULL && len > 0) {
        OPENSSL_cleanse(p, len);
    }
}

int atea_ct_equal(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}

void atea_buf_free(atea_buf *buf)
{
    if (buf == NULL) {
        return;
    }
    atea_wipe(buf->data, buf->len);
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
}

atea_err atea_buf_set(atea_buf *buf, const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    uint8_t *copy = NULL;
    ATEA_ENSURE(buf != NULL && (data != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    copy = malloc(len > 0 ? len : 1);
    ATEA_ENSURE_ALLOC(copy);
    if (len > 0) {
        memcpy(copy, data, len);
    }
    atea_buf_free(buf);
    buf->data = copy;
    buf->len = len;
    copy = NULL;
out:
    free(copy);
    return err;
}
