/* libFuzzer target: the atea frame decoder and the HELLO / RESULT / ERROR body decoders.
 * A body that decodes must re-encode to the same bytes (the encodings are canonical). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "atea/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_or_abort(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    if (a_len != b_len || memcmp(a, b, a_len) != 0) {
        abort();
    }
}

static void body(const atea_frame *f)
{
    uint8_t out[ATEA_FRAME_MAX_RESULT + ATEA_FRAME_MAX_HELLO];
    size_t n = 0;
    switch (f->type) {
    case ATEA_FRAME_HELLO: {
        atea_hello h;
        if (atea_hello_decode(f->body.data, f->body.len, &h) == ATEA_OK) {
            if (atea_hello_encode(&h, out, sizeof(out), &n) != ATEA_OK) {
                abort();
            }
            same_or_abort(out, n, f->body.data, f->body.len);
        }
        break;
    }
    case ATEA_FRAME_RESULT: {
        atea_result r;
        if (atea_result_decode(f->body.data, f->body.len, &r) == ATEA_OK) {
            if (atea_result_encode(&r, out, sizeof(out), &n) != ATEA_OK) {
                abort();
            }
            same_or_abort(out, n, f->body.data, f->body.len);
        }
        break;
    }
    case ATEA_FRAME_ERROR: {
        atea_error_body e;
        if (atea_error_decode(f->body.data, f->body.len, &e) == ATEA_OK) {
            if (atea_error_encode(&e, out, sizeof(out), &n) != ATEA_OK) {
                abort();
            }
            same_or_abort(out, n, f->body.data, f->body.len);
        }
        break;
    }
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Decode frame after frame, as the session does with a stream. */
    size_t off = 0;
    while (off < size) {
        atea_frame f;
        size_t used = 0;
        size_t need = 0;
        atea_err err = atea_frame_decode(data + off, size - off, &f, &used, &need);
        if (err != ATEA_OK) {
            if (err == ATEA_ERR_WANT_READ && need <= size - off) {
                abort(); /* asked for bytes it already had */
            }
            break;
        }
        if (used < ATEA_FRAME_HEADER_LEN || used > size - off) {
            abort();
        }
        body(&f);
        off += used;
    }
    return 0;
}
