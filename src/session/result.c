/* RESULT and ERROR frame bodies (docs/PROTOCOL.md "RESULT", "ERROR"):
 *
 *   RESULT: uint8 verdict; uint16 reason; opaque context<0..255>; opaque text<0..255>;
 *   ERROR:  uint16 reason; opaque text<0..255>;
 *
 * text is a short sentence for the peer's operator: bytes 0x20..0x7e and UTF-8 (>= 0x80);
 * control characters are refused so that a peer cannot forge log lines.
 */
#include <string.h>

#include "atea/frame.h"
#include "core/check.h"
#include "core/rd.h"
#include "core/wr.h"

static int text_ok(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static atea_err write_text(atea_wr *wr, const char *text, size_t len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(len <= ATEA_FRAME_MAX_TEXT && text_ok((const uint8_t *)text, len),
                    ATEA_ERR_INVALID_ARG,
                    "frame text of %zu bytes is too long or has control "
                    "characters",
                    len);
    ATEA_TRY(atea_wr_vec(wr, 1, text, len));
out:
    return err;
}

static atea_err read_text(atea_rd *rd, char out[ATEA_FRAME_MAX_TEXT + 1], size_t *len)
{
    atea_err err = ATEA_OK;
    atea_rd text;
    ATEA_TRY(atea_rd_vec(rd, 1, 0, ATEA_FRAME_MAX_TEXT, &text));
    ATEA_ENSURE_MSG(text_ok(atea_rd_ptr(&text), atea_rd_left(&text)), ATEA_ERR_FRAME_MALFORMED,
                    "frame text at offset %zu has control characters", atea_rd_pos(&text));
    *len = atea_rd_left(&text);
    ATEA_TRY(atea_rd_copy(&text, out, *len));
    out[*len] = '\0';
out:
    return err;
}

static int verdict_consistent(uint8_t verdict, uint16_t reason)
{
    return (verdict == ATEA_VERDICT_ATTESTED && reason == 0) ||
           (verdict == ATEA_VERDICT_REFUSED && reason != 0);
}

atea_err atea_result_encode(const atea_result *result, uint8_t *out, size_t cap, size_t *written)
{
    atea_err err = ATEA_OK;
    atea_wr wr;
    ATEA_ENSURE(result != NULL && out != NULL && written != NULL &&
                    result->context_len <= sizeof(result->context),
                ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(verdict_consistent(result->verdict, result->reason), ATEA_ERR_INVALID_ARG,
                    "verdict %u with reason 0x%04x", result->verdict, result->reason);
    atea_wr_init_fixed(&wr, out, cap);
    ATEA_TRY(atea_wr_u8(&wr, result->verdict));
    ATEA_TRY(atea_wr_u16(&wr, result->reason));
    ATEA_TRY(atea_wr_vec(&wr, 1, result->context, result->context_len));
    ATEA_TRY(write_text(&wr, result->text, result->text_len));
    *written = atea_wr_len(&wr);
out:
    return err;
}

atea_err atea_result_decode(const uint8_t *body, size_t len, atea_result *result)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd ctx;
    ATEA_ENSURE((body != NULL || len == 0) && result != NULL, ATEA_ERR_INVALID_ARG);
    memset(result, 0, sizeof(*result));
    atea_rd_init(&rd, body, len);
    ATEA_TRY(atea_rd_u8(&rd, &result->verdict));
    ATEA_TRY(atea_rd_u16(&rd, &result->reason));
    ATEA_ENSURE_MSG(verdict_consistent(result->verdict, result->reason), ATEA_ERR_FRAME_MALFORMED,
                    "RESULT verdict %u with reason 0x%04x", result->verdict, result->reason);
    ATEA_TRY(atea_rd_vec(&rd, 1, 0, sizeof(result->context), &ctx));
    result->context_len = atea_rd_left(&ctx);
    ATEA_TRY(atea_rd_copy(&ctx, result->context, result->context_len));
    ATEA_TRY(read_text(&rd, result->text, &result->text_len));
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}

atea_err atea_error_encode(const atea_error_body *error, uint8_t *out, size_t cap, size_t *written)
{
    atea_err err = ATEA_OK;
    atea_wr wr;
    ATEA_ENSURE(error != NULL && out != NULL && written != NULL, ATEA_ERR_INVALID_ARG);
    atea_wr_init_fixed(&wr, out, cap);
    ATEA_TRY(atea_wr_u16(&wr, error->reason));
    ATEA_TRY(write_text(&wr, error->text, error->text_len));
    *written = atea_wr_len(&wr);
out:
    return err;
}

atea_err atea_error_decode(const uint8_t *body, size_t len, atea_error_body *error)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    ATEA_ENSURE((body != NULL || len == 0) && error != NULL, ATEA_ERR_INVALID_ARG);
    memset(error, 0, sizeof(*error));
    atea_rd_init(&rd, body, len);
    ATEA_TRY(atea_rd_u16(&rd, &error->reason));
    ATEA_TRY(read_text(&rd, error->text, &error->text_len));
    ATEA_TRY(atea_rd_end(&rd));
out:
    return err;
}
