/*
 * atea_wr: the one bounded writer (style.md P1). It writes into caller memory
 * (atea_wr_init_fixed) or into a growable heap buffer with a hard cap (atea_wr_init_growable).
 * Length prefixes are filled in when their body is closed (atea_wr_open_vec/close_vec), and
 * fail if the body does not fit the prefix. A failed write leaves the writer unchanged.
 * A pointer obtained from atea_wr_reserve is valid only until the next call on the writer;
 * builds with ATEA_MEMORY_DEBUG move the buffer on every growth so stale pointers show up.
 *
 * Anchors: s2n-tls stuffer reservations, picotls ptls_buffer_push_block.
 */
#ifndef ATEA_CORE_WR_H
#define ATEA_CORE_WR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "atea/types.h"

#define ATEA_WR_MAX_NESTING 8

typedef struct atea_wr {
    uint8_t *data;
    size_t len;
    size_t cap;     /* allocated (growable) or provided (fixed) size */
    size_t max;     /* hard limit on len */
    int growable;   /* 1 if data is ours to realloc and free */
    unsigned depth; /* open vectors */
    size_t vec_start[ATEA_WR_MAX_NESTING];
    unsigned vec_prefix[ATEA_WR_MAX_NESTING];
} atea_wr;

/* Write into buf[0..cap). Never allocates. */
void atea_wr_init_fixed(atea_wr *wr, uint8_t *buf, size_t cap);

/* A heap buffer that starts at `initial` bytes and may grow up to `max` bytes (then fails with
 * ATEA_ERR_TOO_LARGE). */
atea_err atea_wr_init_growable(atea_wr *wr, size_t initial, size_t max) ATEA_MUST_USE;

/* Wipe what was written and free a growable buffer. Safe to call twice. */
void atea_wr_dispose(atea_wr *wr);

/* Forget the content (wiped) but keep the memory. */
void atea_wr_reset(atea_wr *wr);

static inline const uint8_t *atea_wr_data(const atea_wr *wr)
{
    return wr->data;
}

static inline size_t atea_wr_len(const atea_wr *wr)
{
    return wr->len;
}

atea_err atea_wr_u8(atea_wr *wr, uint8_t v) ATEA_MUST_USE;
atea_err atea_wr_u16(atea_wr *wr, uint16_t v) ATEA_MUST_USE;
atea_err atea_wr_u24(atea_wr *wr, uint32_t v) ATEA_MUST_USE;
atea_err atea_wr_u32(atea_wr *wr, uint32_t v) ATEA_MUST_USE;
atea_err atea_wr_u64(atea_wr *wr, uint64_t v) ATEA_MUST_USE;
atea_err atea_wr_u16le(atea_wr *wr, uint16_t v) ATEA_MUST_USE;
atea_err atea_wr_u32le(atea_wr *wr, uint32_t v) ATEA_MUST_USE;
atea_err atea_wr_u64le(atea_wr *wr, uint64_t v) ATEA_MUST_USE;
atea_err atea_wr_bytes(atea_wr *wr, const void *p, size_t n) ATEA_MUST_USE;

/* Make room for n bytes, return a pointer to them and count them as written. */
atea_err atea_wr_reserve(atea_wr *wr, size_t n, uint8_t **p) ATEA_MUST_USE;

/* Start a vector with a prefix_len-byte (1..4) length; close it once its body is written. */
atea_err atea_wr_open_vec(atea_wr *wr, unsigned prefix_len) ATEA_MUST_USE;

/* Fill in the innermost open vector's length; fails with ATEA_ERR_VEC_LENGTH if the body does
 * not fit the prefix. */
atea_err atea_wr_close_vec(atea_wr *wr) ATEA_MUST_USE;

/* Write `prefix_len`-byte length || p[0..n) in one go. */
atea_err atea_wr_vec(atea_wr *wr, unsigned prefix_len, const void *p, size_t n) ATEA_MUST_USE;

/* Move the written bytes of a growable writer into out (the writer becomes empty). For a fixed
 * writer, copies them. */
atea_err atea_wr_take(atea_wr *wr, atea_buf *out) ATEA_MUST_USE;

/* Text output (dumps, descriptions): one line of `indent` times two spaces, the formatted text
 * cut to its first max_text bytes (max_text < ATEA_WR_MAX_LINE), and '\n'. ATEA_ERR_INVALID_ARG
 * for a larger max_text, ATEA_ERR_INTERNAL if formatting fails, else the writer's errors (a
 * line that does not fit may be left partly written). */
#define ATEA_WR_MAX_LINE 1024u
atea_err atea_wr_vlinef(atea_wr *wr, unsigned indent, size_t max_text, const char *fmt, va_list ap)
    ATEA_PRINTF(4, 0) ATEA_MUST_USE;
atea_err atea_wr_linef(atea_wr *wr, unsigned indent, size_t max_text, const char *fmt, ...)
    ATEA_PRINTF(4, 5) ATEA_MUST_USE;

#endif
