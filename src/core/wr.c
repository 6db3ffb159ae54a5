#include "core/wr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"

void atea_wr_init_fixed(atea_wr *wr, uint8_t *buf, size_t cap)
{
    memset(wr, 0, sizeof(*wr));
    wr->data = buf;
    wr->cap = buf != NULL ? cap : 0;
    wr->max = wr->cap;
}

atea_err atea_wr_init_growable(atea_wr *wr, size_t initial, size_t max)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(wr != NULL && initial <= max, ATEA_ERR_INVALID_ARG);
    memset(wr, 0, sizeof(*wr));
    wr->growable = 1;
    wr->max = max;
    if (initial > 0) {
        wr->data = malloc(initial);
        ATEA_ENSURE_ALLOC(wr->data);
        wr->cap = initial;
    }
out:
    return err;
}

void atea_wr_dispose(atea_wr *wr)
{
    if (wr == NULL) {
        return;
    }
    atea_wipe(wr->data, wr->len);
    if (wr->growable) {
        free(wr->data);
        wr->data = NULL;
        wr->cap = 0;
    }
    wr->len = 0;
    wr->depth = 0;
}

void atea_wr_reset(atea_wr *wr)
{
    atea_wipe(wr->data, wr->len);
    wr->len = 0;
    wr->depth = 0;
}

/* Ensure room for n more bytes without changing len. */
static atea_err ensure_room(atea_wr *wr, size_t n)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(
        n <= wr->max - wr->len, wr->growable ? ATEA_ERR_TOO_LARGE : ATEA_ERR_BUFFER_TOO_SMALL,
        "writing %zu bytes after %zu would exceed the limit of %zu", n, wr->len, wr->max);
    size_t want = wr->len + n;
    if (want <= wr->cap) {
        goto out;
    }
    ATEA_ENSURE(wr->growable, ATEA_ERR_BUFFER_TOO_SMALL);
    size_t cap = wr->cap > 0 ? wr->cap : 64;
#ifdef ATEA_MEMORY_DEBUG
    cap = want; /* grow by exactly what is needed: every growth moves the buffer */
#else
    while (cap < want) {
        cap = cap > wr->max / 2 ? wr->max : cap * 2;
    }
#endif
    /* Allocate, copy, wipe and free instead of realloc: the old block may hold secrets. */
    uint8_t *fresh = malloc(cap);
    ATEA_ENSURE_ALLOC(fresh);
    if (wr->len > 0) {
        memcpy(fresh, wr->data, wr->len);
    }
    atea_wipe(wr->data, wr->len);
    free(wr->data);
    wr->data = fresh;
    wr->cap = cap;
out:
    return err;
}

atea_err atea_wr_reserve(atea_wr *wr, size_t n, uint8_t **p)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(ensure_room(wr, n));
    *p = wr->data + wr->len;
    wr->len += n;
out:
    return err;
}

atea_err atea_wr_bytes(atea_wr *wr, const void *p, size_t n)
{
    atea_err err = ATEA_OK;
    uint8_t *dst = NULL;
    ATEA_ENSURE(p != NULL || n == 0, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_wr_reserve(wr, n, &dst));
    if (n > 0) {
        memcpy(dst, p, n);
    }
out:
    return err;
}

static atea_err write_be(atea_wr *wr, uint64_t v, size_t n)
{
    atea_err err = ATEA_OK;
    uint8_t *dst = NULL;
    ATEA_TRY(atea_wr_reserve(wr, n, &dst));
    for (size_t i = 0; i < n; i++) {
        dst[n - 1 - i] = (uint8_t)(v >> (8 * i));
    }
out:
    return err;
}

static atea_err write_le(atea_wr *wr, uint64_t v, size_t n)
{
    atea_err err = ATEA_OK;
    uint8_t *dst = NULL;
    ATEA_TRY(atea_wr_reserve(wr, n, &dst));
    for (size_t i = 0; i < n; i++) {
        dst[i] = (uint8_t)(v >> (8 * i));
    }
out:
    return err;
}

atea_err atea_wr_u8(atea_wr *wr, uint8_t v)
{
    return write_be(wr, v, 1);
}

atea_err atea_wr_u16(atea_wr *wr, uint16_t v)
{
    return write_be(wr, v, 2);
}

atea_err atea_wr_u24(atea_wr *wr, uint32_t v)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(v <= 0xffffffu, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(write_be(wr, v, 3));
out:
    return err;
}

atea_err atea_wr_u32(atea_wr *wr, uint32_t v)
{
    return write_be(wr, v, 4);
}

atea_err atea_wr_u64(atea_wr *wr, uint64_t v)
{
    return write_be(wr, v, 8);
}

atea_err atea_wr_u16le(atea_wr *wr, uint16_t v)
{
    return write_le(wr, v, 2);
}

atea_err atea_wr_u32le(atea_wr *wr, uint32_t v)
{
    return write_le(wr, v, 4);
}

atea_err atea_wr_u64le(atea_wr *wr, uint64_t v)
{
    return write_le(wr, v, 8);
}

atea_err atea_wr_open_vec(atea_wr *wr, unsigned prefix_len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(prefix_len >= 1 && prefix_len <= 4, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(wr->depth < ATEA_WR_MAX_NESTING, ATEA_ERR_NESTING);
    size_t start = wr->len;
    ATEA_TRY(write_be(wr, 0, prefix_len));
    wr->vec_start[wr->depth] = start;
    wr->vec_prefix[wr->depth] = prefix_len;
    wr->depth++;
out:
    return err;
}

atea_err atea_wr_close_vec(atea_wr *wr)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(wr->depth > 0, ATEA_ERR_BAD_STATE);
    unsigned prefix = wr->vec_prefix[wr->depth - 1];
    size_t start = wr->vec_start[wr->depth - 1];
    size_t body = wr->len - start - prefix;
    uint64_t limit = (prefix == 4) ? 0xffffffffu : ((1ull << (8 * prefix)) - 1);
    ATEA_ENSURE_MSG((uint64_t)body <= limit, ATEA_ERR_VEC_LENGTH,
                    "vector body of %zu bytes does not fit a %u-byte length", body, prefix);
    for (unsigned i = 0; i < prefix; i++) {
        wr->data[start + prefix - 1 - i] = (uint8_t)(body >> (8 * i));
    }
    wr->depth--;
out:
    return err;
}

atea_err atea_wr_vec(atea_wr *wr, unsigned prefix_len, const void *p, size_t n)
{
    atea_err err = ATEA_OK;
    size_t mark = wr->len;
    ATEA_TRY(atea_wr_open_vec(wr, prefix_len));
    ATEA_TRY(atea_wr_bytes(wr, p, n));
    ATEA_TRY(atea_wr_close_vec(wr));
out:
    if (err != ATEA_OK && wr->len >= mark) {
        if (wr->depth > 0 && wr->vec_start[wr->depth - 1] == mark) {
            wr->depth--;
        }
        wr->len = mark;
    }
    return err;
}

atea_err atea_wr_take(atea_wr *wr, atea_buf *out)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(out != NULL && wr->depth == 0, ATEA_ERR_BAD_STATE);
    if (!wr->growable) {
        ATEA_TRY(atea_buf_set(out, wr->data, wr->len));
        goto out;
    }
    if (wr->data == NULL) {
        ATEA_TRY(atea_buf_set(out, NULL, 0));
        goto out;
    }
    atea_buf_free(out);
    out->data = wr->data;
    out->len = wr->len;
    wr->data = NULL;
    wr->len = 0;
    wr->cap = 0;
out:
    return err;
}

atea_err atea_wr_vlinef(atea_wr *wr, unsigned indent, size_t max_text, const char *fmt, va_list ap)
{
    atea_err err = ATEA_OK;
    char text[ATEA_WR_MAX_LINE];
    ATEA_ENSURE_MSG(max_text < sizeof(text), ATEA_ERR_INVALID_ARG,
                    "a line of %zu bytes exceeds the cap of %u", max_text, ATEA_WR_MAX_LINE - 1);
    int n = vsnprintf(text, max_text + 1, fmt, ap);
    ATEA_ENSURE(n >= 0, ATEA_ERR_INTERNAL);
    for (unsigned i = 0; i < indent; i++) {
        ATEA_TRY(atea_wr_bytes(wr, "  ", 2));
    }
    ATEA_TRY(atea_wr_bytes(wr, text, (size_t)n < max_text ? (size_t)n : max_text));
    ATEA_TRY(atea_wr_u8(wr, '\n'));
out:
    return err;
}

atea_err atea_wr_linef(atea_wr *wr, unsigned indent, size_t max_text, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    atea_err err = atea_wr_vlinef(wr, indent, max_text, fmt, ap);
    va_end(ap);
    return err;
}
