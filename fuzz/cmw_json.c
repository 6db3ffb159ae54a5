/* libFuzzer target: JSON CMW decoding. Whatever decodes must re-encode (compact JSON), decode
 * again to the same text, and convert to CBOR and back to the same JSON. Deterministic. */
#include <stdint.h>
#include <string.h>

#include "atea/cmw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const atea_buf *a, const atea_buf *b)
{
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_cmw *cmw = NULL;
    atea_cmw *again = NULL;
    atea_cmw *from_cbor = NULL;
    atea_buf first = {0};
    atea_buf second = {0};
    atea_buf cbor = {0};
    atea_buf third = {0};
    if (atea_cmw_decode_json(data, size, NULL, &cmw) != ATEA_OK) {
        if (cmw != NULL) {
            __builtin_trap();
        }
        return 0;
    }
    if (atea_cmw_encode_json(cmw, &first) != ATEA_OK ||
        atea_cmw_decode_json(first.data, first.len, NULL, &again) != ATEA_OK ||
        atea_cmw_encode_json(again, &second) != ATEA_OK || !same(&first, &second) ||
        atea_cmw_encode_cbor(cmw, &cbor) != ATEA_OK ||
        atea_cmw_decode(cbor.data, cbor.len, NULL, &from_cbor) != ATEA_OK ||
        atea_cmw_encode_json(from_cbor, &third) != ATEA_OK || !same(&first, &third)) {
        __builtin_trap();
    }
    atea_cmw_free(from_cbor);
    atea_cmw_free(again);
    atea_cmw_free(cmw);
    atea_buf_free(&first);
    atea_buf_free(&second);
    atea_buf_free(&third);
    atea_buf_free(&cbor);
    return 0;
}
