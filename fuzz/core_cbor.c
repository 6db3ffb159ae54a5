/* libFuzzer target for the bounded CBOR decoder: whole-item validation, then a structural walk
 * through the typed pull API (which must agree with skip), then raw extraction. Deterministic. */
#include <stddef.h>
#include <stdint.h>

#include "core/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read one item with the typed readers, recursing into containers (bounded by max_depth). */
static atea_err walk(atea_cbor_rd *c, unsigned depth)
{
    atea_cbor_head h;
    atea_slice s;
    uint64_t u = 0;
    int64_t i = 0;
    uint8_t simple = 0;
    size_t n = 0;
    int indefinite = 0;
    atea_err err = atea_cbor_peek(c, &h);
    if (err != ATEA_OK) {
        return err;
    }
    if (depth >= c->max_depth || h.indefinite) {
        /* skip counts depth from its own start: give it only the levels left here */
        unsigned saved = c->max_depth;
        c->max_depth = depth >= saved ? 0 : saved - depth;
        err = atea_cbor_skip(c);
        c->max_depth = saved;
        return err;
    }
    switch (h.major) {
    case ATEA_CBOR_UINT:
        return atea_cbor_read_uint(c, &u);
    case ATEA_CBOR_NEGINT:
        err = atea_cbor_read_int(c, &i);
        return err == ATEA_OK ? err : atea_cbor_skip(c);
    case ATEA_CBOR_BSTR:
        return atea_cbor_read_bstr(c, &s);
    case ATEA_CBOR_TSTR:
        return atea_cbor_read_tstr(c, &s);
    case ATEA_CBOR_TAG:
        err = atea_cbor_read_tag(c, &u);
        return err == ATEA_OK ? walk(c, depth + 1) : err;
    case ATEA_CBOR_SIMPLE:
        err = atea_cbor_read_simple(c, &simple);
        return err == ATEA_OK ? err : atea_cbor_skip(c);
    case ATEA_CBOR_ARRAY:
    case ATEA_CBOR_MAP:
        err = h.major == ATEA_CBOR_ARRAY ? atea_cbor_read_array_head(c, &n, &indefinite)
                                         : atea_cbor_read_map_head(c, &n, &indefinite);
        for (size_t k = 0; err == ATEA_OK && k < n * (h.major == ATEA_CBOR_MAP ? 2 : 1); k++) {
            err = walk(c, depth + 1);
        }
        return err;
    }
    return ATEA_ERR_INTERNAL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    atea_err whole = atea_cbor_check_one(data, size);

    atea_cbor_rd c;
    atea_cbor_rd_init(&c, data, size);
    atea_err walked = walk(&c, 0);
    if (walked == ATEA_OK) {
        walked = atea_cbor_end(&c);
    }
    /* The typed walk and skip accept exactly the same inputs. */
    if ((whole == ATEA_OK) != (walked == ATEA_OK)) {
        __builtin_trap();
    }

    atea_slice raw;
    atea_cbor_rd_init(&c, data, size);
    while (atea_cbor_left(&c) > 0 && atea_cbor_read_raw(&c, &raw) == ATEA_OK) {
        if (raw.len == 0 || atea_cbor_check_one(raw.data, raw.len) != ATEA_OK) {
            __builtin_trap();
        }
    }
    return 0;
}
