#include "core/rd.h"

#include <string.h>

#include "core/check.h"

void atea_rd_init(atea_rd *rd, const uint8_t *data, size_t len)
{
    /* An empty reader still points somewhere, so that zero-length reads are defined. */
    static const uint8_t empty[1];
    rd->data = data != NULL ? data : empty;
    rd->len = data != NULL ? len : 0;
    rd->off = 0;
    rd->base = 0;
}

static atea_err need(const atea_rd *rd, size_t n)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(n <= atea_rd_left(rd), ATEA_ERR_TRUNCATED,
                    "need %zu bytes at offset %zu but only %zu remain", n, atea_rd_pos(rd),
                    atea_rd_left(rd));
out:
    return err;
}

static atea_err read_be(atea_rd *rd, size_t n, uint64_t *v)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(need(rd, n));
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        x = (x << 8) | rd->data[rd->off + i];
    }
    rd->off += n;
    *v = x;
out:
    return err;
}

static atea_err read_le(atea_rd *rd, size_t n, uint64_t *v)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(need(rd, n));
    uint64_t x = 0;
    for (size_t i = n; i > 0; i--) {
        x = (x << 8) | rd->data[rd->off + i - 1];
    }
    rd->off += n;
    *v = x;
out:
    return err;
}

atea_err atea_rd_u8(atea_rd *rd, uint8_t *v)
{
    uint64_t x = 0;
    atea_err err = read_be(rd, 1, &x);
    if (err == ATEA_OK) {
        *v = (uint8_t)x;
    }
    return err;
}

atea_err atea_rd_u16(atea_rd *rd, uint16_t *v)
{
    uint64_t x = 0;
    atea_err err = read_be(rd, 2, &x);
    if (err == ATEA_OK) {
        *v = (uint16_t)x;
    }
    return err;
}

atea_err atea_rd_u24(atea_rd *rd, uint32_t *v)
{
    uint64_t x = 0;
    atea_err err = read_be(rd, 3, &x);
    if (err == ATEA_OK) {
        *v = (uint32_t)x;
    }
    return err;
}

atea_err atea_rd_u32(atea_rd *rd, uint32_t *v)
{
    uint64_t x = 0;
    atea_err err = read_be(rd, 4, &x);
    if (err == ATEA_OK) {
        *v = (uint32_t)x;
    }
    return err;
}

atea_err atea_rd_u64(atea_rd *rd, uint64_t *v)
{
    return read_be(rd, 8, v);
}

atea_err atea_rd_u16le(atea_rd *rd, uint16_t *v)
{
    uint64_t x = 0;
    atea_err err = read_le(rd, 2, &x);
    if (err == ATEA_OK) {
        *v = (uint16_t)x;
    }
    return err;
}

atea_err atea_rd_u32le(atea_rd *rd, uint32_t *v)
{
    uint64_t x = 0;
    atea_err err = read_le(rd, 4, &x);
    if (err == ATEA_OK) {
        *v = (uint32_t)x;
    }
    return err;
}

atea_err atea_rd_u64le(atea_rd *rd, uint64_t *v)
{
    return read_le(rd, 8, v);
}

atea_err atea_rd_bytes(atea_rd *rd, size_t n, const uint8_t **p)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(need(rd, n));
    *p = rd->data + rd->off;
    rd->off += n;
out:
    return err;
}

atea_err atea_rd_slice(atea_rd *rd, size_t n, atea_slice *s)
{
    atea_err err = ATEA_OK;
    const uint8_t *p = NULL;
    ATEA_TRY(atea_rd_bytes(rd, n, &p));
    s->data = p;
    s->len = n;
out:
    return err;
}

atea_err atea_rd_copy(atea_rd *rd, void *dst, size_t n)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(need(rd, n));
    if (n > 0) {
        memcpy(dst, rd->data + rd->off, n);
    }
    rd->off += n;
out:
    return err;
}

atea_err atea_rd_skip(atea_rd *rd, size_t n)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(need(rd, n));
    rd->off += n;
out:
    return err;
}

atea_err atea_rd_sub(atea_rd *rd, size_t n, atea_rd *sub)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(need(rd, n));
    sub->data = rd->data + rd->off;
    sub->len = n;
    sub->off = 0;
    sub->base = atea_rd_pos(rd);
    rd->off += n;
out:
    return err;
}

atea_err atea_rd_vec(atea_rd *rd, unsigned prefix_len, size_t min, size_t max, atea_rd *sub)
{
    atea_err err = ATEA_OK;
    size_t start = rd->off;
    uint64_t n = 0;
    ATEA_ENSURE(prefix_len >= 1 && prefix_len <= 4 && min <= max, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(read_be(rd, prefix_len, &n));
    ATEA_ENSURE_MSG(n >= min && n <= max, ATEA_ERR_VEC_LENGTH,
                    "vector at offset %zu has length %llu, allowed %zu..%zu", rd->base + start,
                    (unsigned long long)n, min, max);
    ATEA_TRY(atea_rd_sub(rd, (size_t)n, sub));
out:
    if (err != ATEA_OK) {
        rd->off = start;
    }
    return err;
}

atea_err atea_rd_end(const atea_rd *rd)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(rd->off == rd->len, ATEA_ERR_TRAILING, "%zu unexpected bytes at offset %zu",
                    atea_rd_left(rd), atea_rd_pos(rd));
out:
    return err;
}
