/* The atea frame header codec (include/atea/frame.h, profile.md §4, docs/PROTOCOL.md). */
#include <string.h>

#include "atea/frame.h"
#include "core/check.h"
#include "core/rd.h"
#include "core/wr.h"

/* One row per frame type: its name, body cap and whether an empty body is meaningful. */
typedef struct frame_kind {
    const char *name;
    size_t cap;
    int may_be_empty;
} frame_kind;

static const frame_kind frame_kinds[ATEA_FRAME_TYPE_MAX + 1] = {
    [ATEA_FRAME_HELLO] = {"HELLO", ATEA_FRAME_MAX_HELLO, 0},
    [ATEA_FRAME_REQUEST] = {"REQUEST", ATEA_FRAME_MAX_REQUEST, 0},
    [ATEA_FRAME_AUTHENTICATOR] = {"AUTHENTICATOR", ATEA_FRAME_MAX_AUTHENTICATOR, 0},
    [ATEA_FRAME_RESULT] = {"RESULT", ATEA_FRAME_MAX_RESULT, 0},
    [ATEA_FRAME_ERROR] = {"ERROR", ATEA_FRAME_MAX_ERROR, 0},
    [ATEA_FRAME_DATA] = {"DATA", ATEA_FRAME_MAX_DATA, 0},
};

static const frame_kind *kind_of(unsigned type)
{
    if (type == 0 || type > ATEA_FRAME_TYPE_MAX) {
        return NULL;
    }
    return &frame_kinds[type];
}

const char *atea_frame_type_name(unsigned type)
{
    const frame_kind *k = kind_of(type);
    return k != NULL ? k->name : "UNKNOWN";
}

size_t atea_frame_cap(unsigned type)
{
    const frame_kind *k = kind_of(type);
    return k != NULL ? k->cap : 0;
}

/* Header checks shared by the decoder and the encoder. */
static atea_err check_header(unsigned type, size_t body_len)
{
    atea_err err = ATEA_OK;
    const frame_kind *k = kind_of(type);
    ATEA_ENSURE_MSG(k != NULL, ATEA_ERR_FRAME_UNKNOWN_TYPE, "frame type 0x%02x is not defined",
                    type);
    ATEA_ENSURE_MSG(body_len <= k->cap, ATEA_ERR_FRAME_TOO_LARGE,
                    "%s frame of %zu bytes exceeds the cap of %zu", k->name, body_len, k->cap);
    ATEA_ENSURE_MSG(body_len > 0 || k->may_be_empty, ATEA_ERR_FRAME_MALFORMED,
                    "%s frame with an empty body", k->name);
out:
    return err;
}

atea_err atea_frame_decode(const uint8_t *in, size_t len, atea_frame *frame, size_t *used,
                           size_t *need)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint8_t type = 0;
    uint32_t body_len = 0;
    ATEA_ENSURE((in != NULL || len == 0) && frame != NULL && used != NULL, ATEA_ERR_INVALID_ARG);
    *used = 0;
    if (need != NULL) {
        *need = ATEA_FRAME_HEADER_LEN;
    }
    /* An incomplete header is not an error: the rest is on its way (picotls-style partial
     * input). WANT_READ is not recorded as a failure. */
    if (len < ATEA_FRAME_HEADER_LEN) {
        err = ATEA_ERR_WANT_READ;
        goto out;
    }
    atea_rd_init(&rd, in, len);
    ATEA_TRY(atea_rd_u8(&rd, &type));
    ATEA_TRY(atea_rd_u24(&rd, &body_len));
    ATEA_TRY(check_header(type, body_len));
    if (need != NULL) {
        *need = ATEA_FRAME_HEADER_LEN + (size_t)body_len;
    }
    if (atea_rd_left(&rd) < body_len) {
        err = ATEA_ERR_WANT_READ;
        goto out;
    }
    frame->type = type;
    ATEA_TRY(atea_rd_slice(&rd, body_len, &frame->body));
    *used = ATEA_FRAME_HEADER_LEN + (size_t)body_len;
out:
    return err;
}

atea_err atea_frame_encode(unsigned type, const uint8_t *body, size_t body_len, uint8_t *out,
                           size_t cap, size_t *written)
{
    atea_err err = ATEA_OK;
    atea_wr wr;
    ATEA_ENSURE((body != NULL || body_len == 0) && out != NULL && written != NULL,
                ATEA_ERR_INVALID_ARG);
    ATEA_TRY(check_header(type, body_len));
    atea_wr_init_fixed(&wr, out, cap);
    ATEA_TRY(atea_wr_u8(&wr, (uint8_t)type));
    ATEA_TRY(atea_wr_u24(&wr, (uint32_t)body_len));
    ATEA_TRY(atea_wr_bytes(&wr, body, body_len));
    *written = atea_wr_len(&wr);
out:
    return err;
}
