/* libFuzzer target: CBOR CMW decoding. Whatever decodes must re-encode, decode again to the same
 * bytes (the encoder is deterministic), survive a JSON round trip when it has a JSON form, and
 * dump without failing. Deterministic, no leaks. */
#include <stdint.h>
#include <string.h>

#include "atea/cmw.h"
#include "core/wr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const atea_cmw *cmw)
{
    atea_buf first = {0};
    atea_buf second = {0};
    atea_buf json = {0};
    atea_cmw *again = NULL;
    atea_cmw *from_json = NULL;
    if (atea_cmw_encode_cbor(cmw, &first) != ATEA_OK ||
        atea_cmw_decode_cbor(first.data, first.len, NULL, &again) != ATEA_OK ||
        atea_cmw_encode_cbor(again, &second) != ATEA_OK || first.len != second.len ||
        memcmp(first.data, second.data, first.len) != 0) {
        __builtin_trap();
    }
    if (atea_cmw_encode_json(cmw, &json) == ATEA_OK) {
        atea_buf_free(&second);
        if (atea_cmw_decode_json(json.data, json.len, NULL, &from_json) != ATEA_OK ||
            atea_cmw_encode_cbor(from_json, &second) != ATEA_OK || first.len != second.len ||
            memcmp(first.data, second.data, first.len) != 0) {
            __builtin_trap();
        }
    }
    atea_cmw_free(from_json);
    atea_cmw_free(again);
    atea_buf_free(&json);
    atea_buf_free(&second);
    atea_buf_free(&first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_cmw *cmw = NULL;
    atea_err err = atea_cmw_decode_cbor(data, size, NULL, &cmw);
    if (err == ATEA_OK) {
        check_round_trip(cmw);
    } else if (cmw != NULL) {
        __builtin_trap(); /* a failed decode hands out nothing */
    }
    atea_cmw_free(cmw);

    /* dump reports the same verdict as the demultiplexing decoder */
    atea_cmw *any = NULL;
    atea_err verdict = atea_cmw_decode(data, size, NULL, &any);
    atea_cmw_free(any);
    atea_wr wr;
    if (atea_wr_init_growable(&wr, 0, 1u << 20) == ATEA_OK) {
        if (atea_cmw_dump(data, size, &wr) != verdict) {
            __builtin_trap();
        }
        atea_wr_dispose(&wr);
    }
    return 0;
}
