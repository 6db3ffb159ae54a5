/* CBOR CMWs (RFC 9999 §3): cbor-record, TN() tags and cbor-collection, decoded with the bounded
 * pull decoder (src/core/cbor.h) and written deterministically. */
#include <stdio.h>
#include <string.h>

#include "cmw/cmw_internal.h"
#include "core/cbor.h"
#include "core/check.h"

static atea_err decode_node(atea__cmw_ctx *ctx, atea_cbor_rd *c, unsigned depth, atea_cmw **pcmw);

/* type: coap-content-format-type (uint .size 2) / media-type (RFC 9999 §3.1). */
static atea_err decode_record_type(atea_cbor_rd *c, atea_cmw *rec)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    atea_slice text;
    ATEA_TRY(atea_cbor_peek(c, &h));
    if (h.major == ATEA_CBOR_UINT) {
        ATEA_ENSURE_MSG(h.arg <= UINT16_MAX, ATEA_ERR_CMW_TYPE,
                        "Content-Format %llu at offset %zu does not fit 16 bits",
                        (unsigned long long)h.arg, h.offset);
        ATEA_TRY(atea_cbor_read_head(c, &h));
        rec->has_cf = 1;
        rec->content_format = (uint16_t)h.arg;
        goto out;
    }
    ATEA_ENSURE_MSG(h.major == ATEA_CBOR_TSTR, ATEA_ERR_CMW_TYPE,
                    "record type at offset %zu is neither a Content-Format nor a media type",
                    h.offset);
    ATEA_TRY(atea_cbor_read_tstr(c, &text));
    ATEA_TRY(atea__cmw_check_media_type((const char *)text.data, text.len));
    ATEA_TRY(atea__cmw_set_media_type(rec, (const char *)text.data, text.len));
out:
    return err;
}

static atea_err decode_value(atea_cbor_rd *c, atea_buf *value, atea_err code, const char *what)
{
    atea_err err = ATEA_OK;
    atea_cbor_major major = ATEA_CBOR_UINT;
    atea_slice bytes;
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    ATEA_ENSURE_MSG(major == ATEA_CBOR_BSTR, code, "%s at offset %zu is not a byte string", what,
                    atea_cbor_pos(c));
    ATEA_TRY(atea_cbor_read_bstr(c, &bytes));
    ATEA_TRY(atea_buf_set(value, bytes.data, bytes.len));
out:
    return err;
}

/* cbor-record = [type, value, ? ind] (definite, or indefinite as the demux byte 0x9f allows). */
static atea_err decode_record(atea_cbor_rd *c, atea_cmw *rec)
{
    atea_err err = ATEA_OK;
    size_t start = atea_cbor_pos(c);
    size_t n = 0;
    int indefinite = 0;
    uint64_t ind = 0;
    char where[48];
    ATEA_TRY(atea_cbor_read_array_head(c, &n, &indefinite));
    ATEA_ENSURE_MSG(indefinite || n == 2 || n == 3, ATEA_ERR_CMW_RECORD,
                    "record at offset %zu has %zu elements, not 2 or 3", start, n);
    ATEA_ENSURE_MSG(!indefinite || !atea_cbor_at_break(c), ATEA_ERR_CMW_RECORD,
                    "record at offset %zu is empty", start);
    ATEA_TRY(decode_record_type(c, rec));
    ATEA_ENSURE_MSG(!indefinite || !atea_cbor_at_break(c), ATEA_ERR_CMW_RECORD,
                    "record at offset %zu has 1 element, not 2 or 3", start);
    ATEA_TRY(decode_value(c, &rec->value, ATEA_ERR_CMW_VALUE, "record value"));
    if (n == 3 || (indefinite && !atea_cbor_at_break(c))) {
        snprintf(where, sizeof(where), "offset %zu", atea_cbor_pos(c));
        atea_cbor_major major = ATEA_CBOR_UINT;
        ATEA_TRY(atea_cbor_peek_type(c, &major));
        ATEA_ENSURE_MSG(major == ATEA_CBOR_UINT, ATEA_ERR_CMW_IND,
                        "ind at %s is not an unsigned integer", where);
        ATEA_TRY(atea_cbor_read_uint(c, &ind));
        ATEA_TRY(atea__cmw_check_ind(ind, where));
        rec->ind = (uint32_t)ind;
    }
    if (indefinite) {
        ATEA_ENSURE_MSG(atea_cbor_at_break(c), ATEA_ERR_CMW_RECORD,
                        "record at offset %zu has more than 3 elements", start);
        ATEA_TRY(atea_cbor_read_break(c));
    }
out:
    return err;
}

/* tag-cm-data<tn> = #6.<tn>(bytes) with tn in the TN() range (RFC 9999 §3.2). */
static atea_err decode_tag(atea_cbor_rd *c, atea_cmw *node)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_cbor_read_tag(c, &node->tag));
    ATEA_TRY(atea_cmw_tag_to_cf(node->tag, &node->content_format));
    node->has_cf = 1;
    ATEA_TRY(decode_value(c, &node->value, ATEA_ERR_CMW_TAG, "tag content"));
out:
    return err;
}

/* One collection key: "__cmwc_t" (sets the type), an int label or a text label. *is_ctype says
 * which; a label is returned in text/num. */
static atea_err decode_key(atea_cbor_rd *c, atea_cmw *coll, int *is_ctype, atea_slice *text,
                           int64_t *num)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    atea_slice ctype;
    *is_ctype = 0;
    text->data = NULL;
    ATEA_TRY(atea_cbor_peek(c, &h));
    if (h.major == ATEA_CBOR_UINT || h.major == ATEA_CBOR_NEGINT) {
        ATEA_ENSURE_MSG(h.arg <= (uint64_t)INT64_MAX, ATEA_ERR_CMW_LABEL,
                        "integer label at offset %zu does not fit 64 signed bits", h.offset);
        ATEA_TRY(atea_cbor_read_int(c, num));
        goto out;
    }
    ATEA_ENSURE_MSG(h.major == ATEA_CBOR_TSTR, ATEA_ERR_CMW_LABEL,
                    "label at offset %zu is neither an integer nor a text", h.offset);
    ATEA_TRY(atea_cbor_read_tstr(c, text));
    if (text->len != strlen(ATEA_CMW_CTYPE_KEY) ||
        memcmp(text->data, ATEA_CMW_CTYPE_KEY, text->len) != 0) {
        goto out;
    }
    *is_ctype = 1;
    ATEA_ENSURE_MSG(coll->ctype == NULL, ATEA_ERR_CMW_DUPLICATE,
                    "__cmwc_t at offset %zu appears twice", h.offset);
    ATEA_TRY(atea_cbor_peek(c, &h));
    ATEA_ENSURE_MSG(h.major == ATEA_CBOR_TSTR, ATEA_ERR_CMW_CTYPE,
                    "__cmwc_t value at offset %zu is not a text", h.offset);
    ATEA_TRY(atea_cbor_read_tstr(c, &ctype));
    ATEA_TRY(atea__cmw_check_ctype((const char *)ctype.data, ctype.len));
    ATEA_TRY(atea__cmw_set_ctype(coll, (const char *)ctype.data, ctype.len));
out:
    return err;
}

/* cbor-collection = { ? "__cmwc_t": ~uri / oid, + label => cbor-cmw } (RFC 9999 §3.3). */
static atea_err decode_collection(atea__cmw_ctx *ctx, atea_cbor_rd *c, unsigned depth,
                                  atea_cmw *coll)
{
    atea_err err = ATEA_OK;
    size_t start = atea_cbor_pos(c);
    size_t n = 0;
    int indefinite = 0;
    char where[48];
    atea_cmw *child = NULL;
    ATEA_ENSURE_MSG(depth < ctx->lim.max_depth, ATEA_ERR_CMW_DEPTH,
                    "collection at offset %zu is nested more than %u deep", start,
                    ctx->lim.max_depth);
    ATEA_TRY(atea_cbor_read_map_head(c, &n, &indefinite));
    /* Refuse an oversized map before decoding any of it (one extra slot for __cmwc_t). */
    ATEA_ENSURE_MSG(indefinite || n <= ctx->lim.max_entries + 1, ATEA_ERR_CMW_ENTRIES,
                    "collection at offset %zu declares %zu entries, the limit is %zu", start, n,
                    ctx->lim.max_entries);
    for (size_t i = 0; indefinite ? !atea_cbor_at_break(c) : i < n; i++) {
        int is_ctype = 0;
        atea_slice text;
        int64_t num = 0;
        snprintf(where, sizeof(where), "offset %zu", atea_cbor_pos(c));
        ATEA_TRY(decode_key(c, coll, &is_ctype, &text, &num));
        if (is_ctype) {
            continue;
        }
        ATEA_ENSURE_MSG(coll->n_entries < ctx->lim.max_entries, ATEA_ERR_CMW_ENTRIES,
                        "collection entry at %s is beyond the limit of %zu entries", where,
                        ctx->lim.max_entries);
        ATEA_TRY(decode_node(ctx, c, depth + 1, &child));
        atea_cmw *owned = child;
        child = NULL; /* atea__cmw_append takes it, on failure too */
        ATEA_TRY(atea__cmw_append(coll, (const char *)text.data, text.len, num, owned,
                                  ctx->lim.max_entries, where));
    }
    if (indefinite) {
        ATEA_TRY(atea_cbor_read_break(c));
    }
    /* "A collection MUST have at least one CMW entry." */
    ATEA_ENSURE_MSG(coll->n_entries > 0, ATEA_ERR_CMW_COLLECTION,
                    "collection at offset %zu has no entries", start);
out:
    atea_cmw_free(child);
    return err;
}

static atea_err decode_node(atea__cmw_ctx *ctx, atea_cbor_rd *c, unsigned depth, atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    atea_cmw *node = NULL;
    char where[48];
    ATEA_TRY(atea_cbor_peek(c, &h));
    snprintf(where, sizeof(where), "offset %zu", h.offset);
    ATEA_TRY(atea__cmw_count_node(ctx, where));
    switch (h.major) {
    case ATEA_CBOR_ARRAY:
        ATEA_TRY(atea__cmw_node_new(ATEA_CMW_RECORD, &node));
        ATEA_TRY(decode_record(c, node));
        break;
    case ATEA_CBOR_TAG:
        ATEA_TRY(atea__cmw_node_new(ATEA_CMW_TAG, &node));
        ATEA_TRY(decode_tag(c, node));
        break;
    case ATEA_CBOR_MAP:
        ATEA_TRY(atea__cmw_node_new(ATEA_CMW_COLLECTION, &node));
        ATEA_TRY(decode_collection(ctx, c, depth, node));
        break;
    case ATEA_CBOR_UINT:
    case ATEA_CBOR_NEGINT:
    case ATEA_CBOR_BSTR:
    case ATEA_CBOR_TSTR:
    case ATEA_CBOR_SIMPLE:
        ATEA_FAIL(ATEA_ERR_CMW_FORMAT,
                  "CBOR item at offset %zu (major type %u) is not a record, tag or collection",
                  h.offset, (unsigned)h.major);
    }
    *pcmw = node;
    node = NULL;
out:
    atea_cmw_free(node);
    return err;
}

atea_err atea_cmw_decode_cbor(const uint8_t *in, size_t len, const atea_cmw_limits *limits,
                              atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea__cmw_ctx ctx;
    atea_cbor_rd c;
    atea_cmw *root = NULL;
    ATEA_ENSURE(pcmw != NULL && (in != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__cmw_ctx_init(&ctx, limits, len));
    atea_cbor_rd_init(&c, in, len);
    ATEA_TRY(decode_node(&ctx, &c, 0, &root));
    ATEA_TRY(atea_cbor_end(&c));
    *pcmw = root;
    root = NULL;
out:
    atea_cmw_free(root);
    return err;
}

static atea_err write_record(const atea_cmw *rec, atea_wr *wr)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(rec->has_cf || rec->media_type != NULL, ATEA_ERR_INVALID_ARG,
                    "record without a type");
    ATEA_TRY(atea_cbor_wr_array(wr, rec->ind != 0 ? 3 : 2));
    if (rec->has_cf) {
        ATEA_TRY(atea_cbor_wr_uint(wr, rec->content_format));
    } else {
        ATEA_TRY(atea_cbor_wr_tstr_z(wr, rec->media_type));
    }
    ATEA_TRY(atea_cbor_wr_bstr(wr, rec->value.data, rec->value.len));
    if (rec->ind != 0) {
        ATEA_TRY(atea_cbor_wr_uint(wr, rec->ind));
    }
out:
    return err;
}

atea_err atea__cmw_write_cbor(const atea_cmw *cmw, atea_wr *wr, unsigned depth, size_t *nodes)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea__cmw_check_write_node(cmw, depth, nodes));
    switch (cmw->kind) {
    case ATEA_CMW_RECORD:
        ATEA_TRY(write_record(cmw, wr));
        break;
    case ATEA_CMW_TAG:
        ATEA_TRY(atea_cbor_wr_tag(wr, cmw->tag));
        ATEA_TRY(atea_cbor_wr_bstr(wr, cmw->value.data, cmw->value.len));
        break;
    case ATEA_CMW_COLLECTION:
        ATEA_TRY(atea_cbor_wr_map(wr, cmw->n_entries + (cmw->ctype != NULL ? 1 : 0)));
        if (cmw->ctype != NULL) {
            ATEA_TRY(atea_cbor_wr_tstr_z(wr, ATEA_CMW_CTYPE_KEY));
            ATEA_TRY(atea_cbor_wr_tstr_z(wr, cmw->ctype));
        }
        for (size_t i = 0; i < cmw->n_entries; i++) {
            const atea_cmw_label *l = &cmw->entries[i].label;
            if (l->is_text) {
                ATEA_TRY(atea_cbor_wr_tstr_z(wr, l->text));
            } else {
                ATEA_TRY(atea_cbor_wr_int(wr, l->num));
            }
            ATEA_TRY(atea__cmw_write_cbor(cmw->entries[i].cmw, wr, depth + 1, nodes));
        }
        break;
    }
out:
    return err;
}
