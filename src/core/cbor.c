/* Bounded pull-style CBOR decoder and deterministic encoder (RFC 8949). See cbor.h for the
 * decisions (non-minimal heads accepted, floats skipped but never returned, ...). */
#include "core/cbor.h"

#include <string.h>

#include "core/check.h"

static const char *const major_names[8] = {
    "unsigned integer",
    "negative integer",
    "byte string",
    "text string",
    "array",
    "map",
    "tag",
    "simple value or float",
};

void atea_cbor_rd_init(atea_cbor_rd *c, const uint8_t *data, size_t len)
{
    atea_rd_init(&c->rd, data, len);
    c->max_depth = ATEA_CBOR_MAX_DEPTH;
    c->max_items = ATEA_CBOR_MAX_ITEMS;
    c->items_left = ATEA_CBOR_MAX_ITEMS;
}

atea_err atea_cbor_rd_init_limits(atea_cbor_rd *c, const uint8_t *data, size_t len,
                                  unsigned max_depth, size_t max_items)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(c != NULL && max_depth <= ATEA_CBOR_DEPTH_LIMIT && max_items > 0,
                    ATEA_ERR_INVALID_ARG, "CBOR limits: depth %u (at most %u), items %zu (> 0)",
                    max_depth, ATEA_CBOR_DEPTH_LIMIT, max_items);
    atea_cbor_rd_init(c, data, len);
    c->max_depth = max_depth;
    c->max_items = max_items;
    c->items_left = max_items;
out:
    return err;
}

atea_err atea_cbor_end(const atea_cbor_rd *c)
{
    return atea_rd_end(&c->rd);
}

/* The argument of a head (RFC 8949 §3): info < 24 is the value itself, 24..27 announce 1, 2, 4
 * or 8 following bytes, 28..30 are reserved, 31 means indefinite length (or break). */
static atea_err decode_argument(atea_rd *rd, atea_cbor_head *h)
{
    atea_err err = ATEA_OK;
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    if (h->info < 24) {
        h->arg = h->info;
        goto out;
    }
    switch (h->info) {
    case 24:
        ATEA_TRY(atea_rd_u8(rd, &u8));
        h->arg = u8;
        break;
    case 25:
        ATEA_TRY(atea_rd_u16(rd, &u16));
        h->arg = u16;
        break;
    case 26:
        ATEA_TRY(atea_rd_u32(rd, &u32));
        h->arg = u32;
        break;
    case 27:
        ATEA_TRY(atea_rd_u64(rd, &h->arg));
        break;
    case 31:
        ATEA_ENSURE_MSG(h->major != ATEA_CBOR_UINT && h->major != ATEA_CBOR_NEGINT &&
                            h->major != ATEA_CBOR_TAG,
                        ATEA_ERR_CBOR_MALFORMED,
                        "%s at offset %zu cannot have indefinite length (RFC 8949 §3.2)",
                        major_names[h->major], h->offset);
        h->indefinite = 1;
        h->is_break = h->major == ATEA_CBOR_SIMPLE;
        break;
    default:
        ATEA_FAIL(ATEA_ERR_CBOR_MALFORMED,
                  "reserved additional information %u in the head at offset %zu (RFC 8949 §3)",
                  (unsigned)h->info, h->offset);
    }
out:
    return err;
}

atea_err atea_cbor_peek(const atea_cbor_rd *c, atea_cbor_head *h)
{
    atea_err err = ATEA_OK;
    atea_rd rd = c->rd;
    uint8_t initial = 0;
    memset(h, 0, sizeof(*h));
    h->offset = atea_rd_pos(&rd);
    ATEA_TRY(atea_rd_u8(&rd, &initial));
    h->major = (atea_cbor_major)(initial >> 5);
    h->info = initial & 0x1f;
    ATEA_TRY(decode_argument(&rd, h));
    /* RFC 8949 §3.3: a two-byte simple value below 32 is not well-formed. */
    ATEA_ENSURE_MSG(!(h->major == ATEA_CBOR_SIMPLE && h->info == 24 && h->arg < 32),
                    ATEA_ERR_CBOR_MALFORMED,
                    "two-byte simple value %llu at offset %zu must be at least 32 (RFC 8949 §3.3)",
                    (unsigned long long)h->arg, h->offset);
    h->head_len = rd.off - c->rd.off;
out:
    return err;
}

atea_err atea_cbor_peek_type(const atea_cbor_rd *c, atea_cbor_major *major)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    ATEA_TRY(atea_cbor_peek(c, &h));
    *major = h.major;
out:
    return err;
}

/* Every element of an array takes at least one byte, every map entry two, every string byte one:
 * a declaration that cannot fit what remains is rejected before anyone sizes anything by it. */
static atea_err check_declared_size(const atea_cbor_head *h, size_t left)
{
    atea_err err = ATEA_OK;
    if (h->indefinite) {
        goto out;
    }
    uint64_t per_unit = h->major == ATEA_CBOR_MAP ? 2 : 1;
    if (h->major == ATEA_CBOR_BSTR || h->major == ATEA_CBOR_TSTR || h->major == ATEA_CBOR_ARRAY ||
        h->major == ATEA_CBOR_MAP) {
        ATEA_ENSURE_MSG(h->arg <= left / per_unit, ATEA_ERR_TRUNCATED,
                        "%s at offset %zu declares %llu %s but only %zu bytes remain",
                        major_names[h->major], h->offset, (unsigned long long)h->arg,
                        h->major <= ATEA_CBOR_TSTR ? "bytes" : "elements", left);
    }
out:
    return err;
}

atea_err atea_cbor_read_head(atea_cbor_rd *c, atea_cbor_head *h)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_cbor_peek(c, h));
    ATEA_TRY(check_declared_size(h, atea_rd_left(&c->rd) - h->head_len));
    ATEA_ENSURE_MSG(c->items_left > 0, ATEA_ERR_TOO_LARGE,
                    "more than %zu CBOR items (item at offset %zu)", c->max_items, h->offset);
    c->items_left--;
    c->rd.off += h->head_len;
out:
    return err;
}

/* Read a head of the expected major type, leaving the cursor unchanged if it is another type
 * or (unless allowed) of indefinite length. */
static atea_err expect_head(atea_cbor_rd *c, atea_cbor_major major, int allow_indefinite,
                            atea_cbor_head *h)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_cbor_peek(c, h));
    ATEA_ENSURE_MSG(h->major == major && !h->is_break, ATEA_ERR_CBOR_TYPE,
                    "expected a %s at offset %zu, found a %s%s", major_names[major], h->offset,
                    h->is_break ? "break in place of a " : "", major_names[h->major]);
    ATEA_ENSURE_MSG(allow_indefinite || !h->indefinite, ATEA_ERR_CBOR_TYPE,
                    "indefinite-length %s at offset %zu is not supported here", major_names[major],
                    h->offset);
    ATEA_TRY(atea_cbor_read_head(c, h));
out:
    return err;
}

atea_err atea_cbor_read_uint(atea_cbor_rd *c, uint64_t *v)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    ATEA_TRY(expect_head(c, ATEA_CBOR_UINT, 0, &h));
    *v = h.arg;
out:
    return err;
}

atea_err atea_cbor_read_int(atea_cbor_rd *c, int64_t *v)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    ATEA_TRY(atea_cbor_peek(c, &h));
    ATEA_ENSURE_MSG(h.major == ATEA_CBOR_UINT || h.major == ATEA_CBOR_NEGINT, ATEA_ERR_CBOR_TYPE,
                    "expected an integer at offset %zu, found a %s", h.offset,
                    major_names[h.major]);
    /* Negative integers encode -1 - arg (RFC 8949 §3.1); both signs must fit int64_t. */
    ATEA_ENSURE_MSG(h.arg <= (uint64_t)INT64_MAX, ATEA_ERR_CBOR_TYPE,
                    "integer at offset %zu does not fit 64 signed bits", h.offset);
    ATEA_TRY(atea_cbor_read_head(c, &h));
    *v = h.major == ATEA_CBOR_UINT ? (int64_t)h.arg : -1 - (int64_t)h.arg;
out:
    return err;
}

static atea_err read_string(atea_cbor_rd *c, atea_cbor_major major, atea_slice *s)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    size_t start = c->rd.off;
    atea_slice body = {0};
    ATEA_TRY(expect_head(c, major, 0, &h));
    ATEA_TRY(atea_rd_slice(&c->rd, (size_t)h.arg, &body));
    ATEA_ENSURE_MSG(major != ATEA_CBOR_TSTR || atea_utf8_valid(body.data, body.len),
                    ATEA_ERR_CBOR_UTF8, "text string at offset %zu is not valid UTF-8", h.offset);
    *s = body;
out:
    if (err != ATEA_OK) {
        c->rd.off = start;
    }
    return err;
}

atea_err atea_cbor_read_bstr(atea_cbor_rd *c, atea_slice *s)
{
    return read_string(c, ATEA_CBOR_BSTR, s);
}

atea_err atea_cbor_read_tstr(atea_cbor_rd *c, atea_slice *s)
{
    return read_string(c, ATEA_CBOR_TSTR, s);
}

atea_err atea_cbor_open_bstr(atea_cbor_rd *c, atea_cbor_rd *sub)
{
    atea_err err = ATEA_OK;
    atea_slice body = {0};
    ATEA_TRY(atea_cbor_read_bstr(c, &body));
    atea_rd_init(&sub->rd, body.data, body.len);
    sub->rd.base = atea_rd_pos(&c->rd) - body.len;
    sub->max_depth = c->max_depth;
    sub->max_items = c->max_items;
    sub->items_left = c->items_left;
out:
    return err;
}

static atea_err read_container(atea_cbor_rd *c, atea_cbor_major major, int allow_indefinite,
                               size_t *n, int *indefinite)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    ATEA_TRY(expect_head(c, major, allow_indefinite, &h));
    /* check_declared_size bounded arg by the remaining input, so it fits size_t. */
    *n = (size_t)h.arg;
    if (indefinite != NULL) {
        *indefinite = h.indefinite;
    }
out:
    return err;
}

atea_err atea_cbor_read_array(atea_cbor_rd *c, size_t *n)
{
    return read_container(c, ATEA_CBOR_ARRAY, 0, n, NULL);
}

atea_err atea_cbor_read_map(atea_cbor_rd *c, size_t *n)
{
    return read_container(c, ATEA_CBOR_MAP, 0, n, NULL);
}

atea_err atea_cbor_read_array_head(atea_cbor_rd *c, size_t *n, int *indefinite)
{
    return read_container(c, ATEA_CBOR_ARRAY, 1, n, indefinite);
}

atea_err atea_cbor_read_map_head(atea_cbor_rd *c, size_t *n, int *indefinite)
{
    return read_container(c, ATEA_CBOR_MAP, 1, n, indefinite);
}

int atea_cbor_at_break(const atea_cbor_rd *c)
{
    return atea_rd_left(&c->rd) > 0 && *atea_rd_ptr(&c->rd) == 0xff;
}

atea_err atea_cbor_read_break(atea_cbor_rd *c)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    ATEA_ENSURE_MSG(atea_cbor_at_break(c), ATEA_ERR_CBOR_TYPE,
                    "expected a break (0xff) at offset %zu", atea_cbor_pos(c));
    ATEA_TRY(atea_cbor_read_head(c, &h));
out:
    return err;
}

atea_err atea_cbor_read_tag(atea_cbor_rd *c, uint64_t *tag)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    ATEA_TRY(expect_head(c, ATEA_CBOR_TAG, 0, &h));
    *tag = h.arg;
out:
    return err;
}

atea_err atea_cbor_read_simple(atea_cbor_rd *c, uint8_t *v)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    ATEA_TRY(atea_cbor_peek(c, &h));
    ATEA_ENSURE_MSG(h.major == ATEA_CBOR_SIMPLE && !h.is_break, ATEA_ERR_CBOR_TYPE,
                    "expected a simple value at offset %zu, found a %s", h.offset,
                    h.is_break ? "break" : major_names[h.major]);
    ATEA_ENSURE_MSG(h.info <= 24, ATEA_ERR_CBOR_TYPE,
                    "floating-point value at offset %zu is not supported", h.offset);
    ATEA_TRY(atea_cbor_read_head(c, &h));
    *v = (uint8_t)h.arg;
out:
    return err;
}

static atea_err read_expected_simple(atea_cbor_rd *c, uint8_t lo, uint8_t hi, const char *what,
                                     uint8_t *v)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd probe = *c;
    uint8_t s = 0;
    ATEA_TRY(atea_cbor_read_simple(&probe, &s));
    ATEA_ENSURE_MSG(s >= lo && s <= hi, ATEA_ERR_CBOR_TYPE,
                    "expected %s at offset %zu, found simple value %u", what, atea_cbor_pos(c),
                    (unsigned)s);
    *c = probe;
    *v = s;
out:
    return err;
}

atea_err atea_cbor_read_bool(atea_cbor_rd *c, int *v)
{
    atea_err err = ATEA_OK;
    uint8_t s = 0;
    ATEA_TRY(read_expected_simple(c, ATEA_CBOR_FALSE, ATEA_CBOR_TRUE, "true or false", &s));
    *v = s == ATEA_CBOR_TRUE;
out:
    return err;
}

atea_err atea_cbor_read_null(atea_cbor_rd *c)
{
    uint8_t s = 0;
    return read_expected_simple(c, ATEA_CBOR_NULL, ATEA_CBOR_NULL, "null", &s);
}

/* RFC 8949 §3.2.3: the chunks of an indefinite-length string are definite-length strings of the
 * same major type, ended by a break. */
static atea_err skip_chunks(atea_cbor_rd *c, atea_cbor_major major)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    atea_slice chunk;
    while (!atea_cbor_at_break(c)) {
        ATEA_TRY(atea_cbor_peek(c, &h));
        ATEA_ENSURE_MSG(h.major == major && !h.indefinite, ATEA_ERR_CBOR_MALFORMED,
                        "chunk at offset %zu of an indefinite-length %s is a %s%s", h.offset,
                        major_names[major], h.indefinite ? "nested indefinite " : "",
                        major_names[h.major]);
        ATEA_TRY(read_string(c, major, &chunk));
    }
    ATEA_TRY(atea_cbor_read_break(c));
out:
    return err;
}

static atea_err skip_item(atea_cbor_rd *c, unsigned depth);

/* n elements (or, if indefinite, elements until a break; pairs for a map). */
static atea_err skip_children(atea_cbor_rd *c, const atea_cbor_head *h, unsigned depth)
{
    atea_err err = ATEA_OK;
    uint64_t per = h->major == ATEA_CBOR_MAP ? 2 : 1;
    if (!h->indefinite) {
        for (uint64_t i = 0; i < h->arg * per; i++) {
            ATEA_TRY(skip_item(c, depth + 1));
        }
        goto out;
    }
    uint64_t count = 0;
    while (!atea_cbor_at_break(c)) {
        ATEA_TRY(skip_item(c, depth + 1));
        count++;
    }
    ATEA_ENSURE_MSG(count % per == 0, ATEA_ERR_CBOR_MALFORMED,
                    "indefinite-length map at offset %zu ends after a key without its value",
                    h->offset);
    ATEA_TRY(atea_cbor_read_break(c));
out:
    return err;
}

static atea_err skip_item(atea_cbor_rd *c, unsigned depth)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    atea_slice s;
    ATEA_TRY(atea_cbor_peek(c, &h));
    ATEA_ENSURE_MSG(!h.is_break, ATEA_ERR_CBOR_MALFORMED,
                    "break (0xff) at offset %zu outside an indefinite-length item", h.offset);
    switch (h.major) {
    case ATEA_CBOR_UINT:
    case ATEA_CBOR_NEGINT:
    case ATEA_CBOR_SIMPLE: /* including floats, whose bytes are the head's argument */
        ATEA_TRY(atea_cbor_read_head(c, &h));
        break;
    case ATEA_CBOR_BSTR:
    case ATEA_CBOR_TSTR:
        if (h.indefinite) {
            ATEA_TRY(atea_cbor_read_head(c, &h));
            ATEA_TRY(skip_chunks(c, h.major));
        } else {
            ATEA_TRY(read_string(c, h.major, &s));
        }
        break;
    case ATEA_CBOR_ARRAY:
    case ATEA_CBOR_MAP:
    case ATEA_CBOR_TAG:
        ATEA_ENSURE_MSG(depth < c->max_depth, ATEA_ERR_CBOR_DEPTH,
                        "%s at offset %zu is nested more than %u levels deep", major_names[h.major],
                        h.offset, c->max_depth);
        ATEA_TRY(atea_cbor_read_head(c, &h));
        if (h.major == ATEA_CBOR_TAG) {
            ATEA_TRY(skip_item(c, depth + 1));
        } else {
            ATEA_TRY(skip_children(c, &h, depth));
        }
        break;
    }
out:
    return err;
}

atea_err atea_cbor_skip(atea_cbor_rd *c)
{
    size_t start = c->rd.off;
    atea_err err = skip_item(c, 0);
    if (err != ATEA_OK) {
        c->rd.off = start;
    }
    return err;
}

atea_err atea_cbor_read_raw(atea_cbor_rd *c, atea_slice *raw)
{
    atea_err err = ATEA_OK;
    size_t start = c->rd.off;
    ATEA_TRY(atea_cbor_skip(c));
    raw->data = c->rd.data + start;
    raw->len = c->rd.off - start;
out:
    return err;
}

atea_err atea_cbor_check_one(const uint8_t *data, size_t len)
{
    atea_err err = ATEA_OK;
    atea_cbor_rd c;
    atea_cbor_rd_init(&c, data, len);
    ATEA_TRY(atea_cbor_skip(&c));
    ATEA_TRY(atea_cbor_end(&c));
out:
    return err;
}

/* RFC 3629 §4: shortest form only, no UTF-16 surrogates, nothing above U+10FFFF. */
int atea_utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t b = s[i];
        size_t extra;
        uint32_t cp;
        if (b < 0x80) {
            i++;
            continue;
        } else if (b >= 0xc2 && b <= 0xdf) {
            extra = 1;
            cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
            extra = 2;
            cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            extra = 3;
            cp = b & 0x07;
        } else {
            return 0;
        }
        if (len - i - 1 < extra) {
            return 0;
        }
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += extra + 1;
    }
    return 1;
}

atea_err atea_cbor_wr_head(atea_wr *wr, atea_cbor_major major, uint64_t arg)
{
    atea_err err = ATEA_OK;
    uint8_t buf[9];
    size_t n = 0;
    uint8_t mt = (uint8_t)((unsigned)major << 5);
    ATEA_ENSURE((unsigned)major <= 7, ATEA_ERR_INVALID_ARG);
    /* RFC 8949 §4.2.1: the shortest argument encoding. */
    if (arg < 24) {
        buf[n++] = (uint8_t)(mt | arg);
    } else {
        unsigned width = arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffu ? 4 : 8;
        buf[n++] = (uint8_t)(mt | (width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27));
        for (unsigned i = width; i > 0; i--) {
            buf[n++] = (uint8_t)(arg >> (8 * (i - 1)));
        }
    }
    ATEA_TRY(atea_wr_bytes(wr, buf, n));
out:
    return err;
}

atea_err atea_cbor_wr_uint(atea_wr *wr, uint64_t v)
{
    return atea_cbor_wr_head(wr, ATEA_CBOR_UINT, v);
}

atea_err atea_cbor_wr_int(atea_wr *wr, int64_t v)
{
    if (v >= 0) {
        return atea_cbor_wr_head(wr, ATEA_CBOR_UINT, (uint64_t)v);
    }
    /* -1 - v without overflow, also for INT64_MIN. */
    return atea_cbor_wr_head(wr, ATEA_CBOR_NEGINT, (uint64_t)(-(v + 1)));
}

static atea_err write_string(atea_wr *wr, atea_cbor_major major, const void *p, size_t n)
{
    atea_err err = ATEA_OK;
    size_t mark = wr->len;
    ATEA_ENSURE(p != NULL || n == 0, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_cbor_wr_head(wr, major, n));
    ATEA_TRY(atea_wr_bytes(wr, p, n));
out:
    if (err != ATEA_OK && wr->len > mark) {
        wr->len = mark;
    }
    return err;
}

atea_err atea_cbor_wr_bstr(atea_wr *wr, const uint8_t *p, size_t n)
{
    return write_string(wr, ATEA_CBOR_BSTR, p, n);
}

atea_err atea_cbor_wr_tstr(atea_wr *wr, const char *p, size_t n)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(p != NULL || n == 0, ATEA_ERR_INVALID_ARG, "NULL text");
    ATEA_ENSURE_MSG(atea_utf8_valid((const uint8_t *)p, n), ATEA_ERR_INVALID_ARG,
                    "text for a CBOR text string is not UTF-8");
    ATEA_TRY(write_string(wr, ATEA_CBOR_TSTR, p, n));
out:
    return err;
}

atea_err atea_cbor_wr_tstr_z(atea_wr *wr, const char *s)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE(s != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_cbor_wr_tstr(wr, s, strlen(s)));
out:
    return err;
}

atea_err atea_cbor_wr_array(atea_wr *wr, size_t n)
{
    return atea_cbor_wr_head(wr, ATEA_CBOR_ARRAY, n);
}

atea_err atea_cbor_wr_map(atea_wr *wr, size_t n)
{
    return atea_cbor_wr_head(wr, ATEA_CBOR_MAP, n);
}

atea_err atea_cbor_wr_tag(atea_wr *wr, uint64_t tag)
{
    return atea_cbor_wr_head(wr, ATEA_CBOR_TAG, tag);
}

atea_err atea_cbor_wr_bool(atea_wr *wr, int v)
{
    return atea_wr_u8(wr, v ? 0xf5 : 0xf4);
}

atea_err atea_cbor_wr_null(atea_wr *wr)
{
    return atea_wr_u8(wr, 0xf6);
}
