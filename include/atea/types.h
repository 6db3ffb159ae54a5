/* Small value types shared by every atea API. */
#ifndef ATEA_TYPES_H
#define ATEA_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A borrowed byte range: atea never frees it. */
typedef struct atea_slice {
    const uint8_t *data;
    size_t len;
} atea_slice;

/* An owned byte buffer: release with atea_buf_free, which wipes it first. */
typedef struct atea_buf {
    uint8_t *data;
    size_t len;
} atea_buf;

/* Wipe (data may have held secrets) and free; leaves buf empty. Safe on an empty buf. */
void atea_buf_free(atea_buf *buf);

/* Copy len bytes into a fresh buffer. */
atea_err atea_buf_set(atea_buf *buf, const uint8_t *data, size_t len) ATEA_MUST_USE;

/* Overwrite memory that may have held a secret, in a way the compiler cannot elide. */
void atea_wipe(void *p, size_t len);

/* Constant-time comparison of two equal-length byte strings: 1 if equal, 0 if not. */
int atea_ct_equal(const void *a, const void *b, size_t len);

/* Hex helpers. atea_hex_decode accepts upper or lower case and ignores ASCII whitespace and
 * ':' separators; it fails with ATEA_ERR_BAD_HEX on anything else or an odd digit count. */
atea_err atea_hex_decode(const char *text, size_t text_len, atea_buf *out) ATEA_MUST_USE;

/* Writes 2*len lowercase digits and a NUL into out (out_size >= 2*len + 1). */
atea_err atea_hex_encode(const uint8_t *data, size_t len, char *out, size_t out_size) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
