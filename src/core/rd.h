/*
 * atea_rd: the one bounded reader (style.md P1). Every byte atea parses, from the network or a
 * file, goes through it. A reader is a read-only view (pointer, length, cursor); it never
 * allocates and never reads outside its range. A failed read leaves the cursor unchanged and
 * records a detail naming the offset, so that `atea inspect` can say precisely what is wrong.
 *
 * Anchors: s2n-tls stuffer, picotls ptls_decode_block.
 */
#ifndef ATEA_CORE_RD_H
#define ATEA_CORE_RD_H

#include <stddef.h>
#include <stdint.h>

#include "atea/types.h"

typedef struct atea_rd {
    const uint8_t *data;
    size_t len;
    size_t off;  /* cursor, 0 <= off <= len */
    size_t base; /* offset of data[0] in the outermost input, for error messages */
} atea_rd;

void atea_rd_init(atea_rd *rd, const uint8_t *data, size_t len);

static inline size_t atea_rd_left(const atea_rd *rd)
{
    return rd->len - rd->off;
}

static inline const uint8_t *atea_rd_ptr(const atea_rd *rd)
{
    return rd->data + rd->off;
}

/* Absolute offset of the cursor in the outermost input. */
static inline size_t atea_rd_pos(const atea_rd *rd)
{
    return rd->base + rd->off;
}

/* Network byte order (TLS, CBOR). */
atea_err atea_rd_u8(atea_rd *rd, uint8_t *v) ATEA_MUST_USE;
atea_err atea_rd_u16(atea_rd *rd, uint16_t *v) ATEA_MUST_USE;
atea_err atea_rd_u24(atea_rd *rd, uint32_t *v) ATEA_MUST_USE;
atea_err atea_rd_u32(atea_rd *rd, uint32_t *v) ATEA_MUST_USE;
atea_err atea_rd_u64(atea_rd *rd, uint64_t *v) ATEA_MUST_USE;

/* Little-endian (Intel TDX quotes, AMD SEV-SNP reports, TPM event logs). */
atea_err atea_rd_u16le(atea_rd *rd, uint16_t *v) ATEA_MUST_USE;
atea_err atea_rd_u32le(atea_rd *rd, uint32_t *v) ATEA_MUST_USE;
atea_err atea_rd_u64le(atea_rd *rd, uint64_t *v) ATEA_MUST_USE;

/* Borrow the next n bytes (valid as long as the input is). */
atea_err atea_rd_bytes(atea_rd *rd, size_t n, const uint8_t **p) ATEA_MUST_USE;
atea_err atea_rd_slice(atea_rd *rd, size_t n, atea_slice *s) ATEA_MUST_USE;

/* Copy the next n bytes into dst. */
atea_err atea_rd_copy(atea_rd *rd, void *dst, size_t n) ATEA_MUST_USE;

atea_err atea_rd_skip(atea_rd *rd, size_t n) ATEA_MUST_USE;

/* Open the next n bytes as a sub-reader (a fixed-size structure inside a larger one). */
atea_err atea_rd_sub(atea_rd *rd, size_t n, atea_rd *sub) ATEA_MUST_USE;

/*
 * Open a TLS vector `opaque x<min..max>` whose length prefix is prefix_len bytes (1, 2, 3 or 4)
 * as a sub-reader. Fails with ATEA_ERR_VEC_LENGTH if the length is outside [min, max], with
 * ATEA_ERR_TRUNCATED if the body runs past the input.
 */
atea_err atea_rd_vec(atea_rd *rd, unsigned prefix_len, size_t min, size_t max,
                     atea_rd *sub) ATEA_MUST_USE;

/* Succeeds only if every byte has been consumed (ATEA_ERR_TRAILING otherwise). */
atea_err atea_rd_end(const atea_rd *rd) ATEA_MUST_USE;

#endif
