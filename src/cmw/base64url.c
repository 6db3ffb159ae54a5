/* Strict unpadded base64url (RFC 4648 §5), as RFC 9999 §3.1 requires for JSON CMW values:
 * "encoded as Base64 using the URL and filename-safe alphabet ... without padding". Anything
 * else (padding, whitespace, the '+' '/' alphabet, non-zero unused bits) is rejected, so that
 * every value has exactly one encoding. */
#include "cmw/cmw_internal.h"
#include "core/check.h"
#include "core/rd.h"

static const char alphabet[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int sextet(uint8_t c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-') {
        return 62;
    }
    if (c == '_') {
        return 63;
    }
    return -1;
}

atea_err atea__b64url_decode(const char *text, size_t len, atea_buf *out)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_wr wr = {0};
    uint32_t acc = 0;
    unsigned bits = 0;
    uint8_t c = 0;
    ATEA_ENSURE_MSG(len > 0, ATEA_ERR_CMW_BASE64URL, "empty base64url value");
    /* 4n+1 characters carry 6 bits that cannot form a byte. */
    ATEA_ENSURE_MSG(len % 4 != 1, ATEA_ERR_CMW_BASE64URL,
                    "base64url text of %zu characters cannot be complete", len);
    ATEA_TRY(atea_wr_init_growable(&wr, len / 4 * 3 + 3, len / 4 * 3 + 3));
    atea_rd_init(&rd, (const uint8_t *)text, len);
    while (atea_rd_left(&rd) > 0) {
        size_t pos = rd.off;
        ATEA_TRY(atea_rd_u8(&rd, &c));
        int v = sextet(c);
        ATEA_ENSURE_MSG(v >= 0, ATEA_ERR_CMW_BASE64URL,
                        "character 0x%02x at position %zu is not in the base64url alphabet%s", c,
                        pos, c == '=' ? " (padding is not allowed)" : "");
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            ATEA_TRY(atea_wr_u8(&wr, (uint8_t)(acc >> bits)));
            acc &= (1u << bits) - 1;
        }
    }
    /* RFC 4648 §3.5: the unused bits of the last character must be zero (canonical form). */
    ATEA_ENSURE_MSG(acc == 0, ATEA_ERR_CMW_BASE64URL,
                    "the last base64url character has non-zero unused bits (not canonical)");
    ATEA_TRY(atea_wr_take(&wr, out));
out:
    atea_wr_dispose(&wr);
    return err;
}

atea_err atea__b64url_encode(const uint8_t *data, size_t len, atea_wr *wr)
{
    atea_err err = ATEA_OK;
    size_t mark = wr->len;
    uint32_t acc = 0;
    unsigned bits = 0;
    ATEA_ENSURE(data != NULL || len == 0, ATEA_ERR_INVALID_ARG);
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            ATEA_TRY(atea_wr_u8(wr, (uint8_t)alphabet[(acc >> bits) & 0x3f]));
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0) {
        ATEA_TRY(atea_wr_u8(wr, (uint8_t)alphabet[(acc << (6 - bits)) & 0x3f]));
    }
out:
    if (err != ATEA_OK) {
        wr->len = mark;
    }
    return err;
}
