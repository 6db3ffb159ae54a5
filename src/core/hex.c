/* Hexadecimal text, as users paste it (spaces, colons and newlines allowed between bytes). */
#include <stdlib.h>
#include <string.h>

#include "atea/types.h"
#include "core/check.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int is_separator(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':';
}

atea_err atea_hex_decode(const char *text, size_t text_len, atea_buf *out)
{
    atea_err err = ATEA_OK;
    uint8_t *bytes = NULL;
    size_t n = 0;
    int high = -1;
    ATEA_ENSURE(text != NULL || text_len == 0, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(out != NULL, ATEA_ERR_INVALID_ARG);
    bytes = malloc(text_len / 2 + 1);
    ATEA_ENSURE_ALLOC(bytes);
    for (size_t i = 0; i < text_len; i++) {
        if (is_separator(text[i])) {
            ATEA_ENSURE_MSG(high < 0, ATEA_ERR_BAD_HEX, "separator inside a byte at position %zu",
                            i);
            continue;
        }
        int v = hex_value(text[i]);
        ATEA_ENSURE_MSG(v >= 0, ATEA_ERR_BAD_HEX,
                        "character 0x%02x at position %zu is not a hex digit",
                        (unsigned)(unsigned char)text[i], i);
        if (high < 0) {
            high = v;
        } else {
            bytes[n++] = (uint8_t)(high << 4 | v);
            high = -1;
        }
    }
    ATEA_ENSURE_MSG(high < 0, ATEA_ERR_BAD_HEX, "odd number of hex digits");
    atea_buf_free(out);
    out->data = bytes;
    out->len = n;
    bytes = NULL;
out:
    free(bytes);
    return err;
}

atea_err atea_hex_encode(const uint8_t *data, size_t len, char *out, size_t out_size)
{
    static const char digits[] = "0123456789abcdef";
    atea_err err = ATEA_OK;
    ATEA_ENSURE(out != NULL && (data != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE(len <= (SIZE_MAX - 1) / 2 && out_size >= 2 * len + 1, ATEA_ERR_BUFFER_TOO_SMALL);
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0x0f];
    }
    out[2 * len] = '\0';
out:
    return err;
}
