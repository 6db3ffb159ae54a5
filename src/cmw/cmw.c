/* The CMW object model (RFC 9999 §3): building, walking, freeing; the one-byte demultiplexer
 * (§4.6); top-level decode and encode entry points. */
#include <stdlib.h>
#include <string.h>

#include "cmw/cmw_internal.h"
#include "core/cbor.h"
#include "core/check.h"

void atea_cmw_limits_default(atea_cmw_limits *l)
{
    l->max_input = ATEA_CMW_MAX_INPUT;
    l->max_depth = ATEA_CMW_MAX_DEPTH;
    l->max_entries = ATEA_CMW_MAX_ENTRIES;
    l->max_nodes = ATEA_CMW_MAX_NODES;
}

atea_err atea__cmw_ctx_init(atea__cmw_ctx *ctx, const atea_cmw_limits *limits, size_t input_len)
{
    atea_err err = ATEA_OK;
    if (limits != NULL) {
        ctx->lim = *limits;
    } else {
        atea_cmw_limits_default(&ctx->lim);
    }
    ctx->nodes = 0;
    ATEA_ENSURE_MSG(ctx->lim.max_depth <= ATEA_CMW_DEPTH_LIMIT, ATEA_ERR_INVALID_ARG,
                    "CMW depth limit %u exceeds the hard limit %u", ctx->lim.max_depth,
                    ATEA_CMW_DEPTH_LIMIT);
    ATEA_ENSURE_MSG(input_len <= ctx->lim.max_input, ATEA_ERR_TOO_LARGE,
                    "CMW of %zu bytes exceeds the limit of %zu bytes", input_len,
                    ctx->lim.max_input);
out:
    return err;
}

atea_err atea__cmw_count_node(atea__cmw_ctx *ctx, const char *where)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(ctx->nodes < ctx->lim.max_nodes, ATEA_ERR_CMW_ENTRIES,
                    "CMW has more than %zu records, tags and collections (at %s)",
                    ctx->lim.max_nodes, where);
    ctx->nodes++;
out:
    return err;
}

atea_err atea__cmw_node_new(atea_cmw_kind kind, atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *n = calloc(1, sizeof(*n));
    ATEA_ENSURE_ALLOC(n);
    n->kind = kind;
    *pcmw = n;
out:
    return err;
}

static atea_err copy_text(const char *s, size_t len, const char **dst)
{
    atea_err err = ATEA_OK;
    char *copy = malloc(len + 1);
    ATEA_ENSURE_ALLOC(copy);
    memcpy(copy, s, len);
    copy[len] = '\0';
    free((char *)*dst);
    *dst = copy;
out:
    return err;
}

atea_err atea__cmw_set_media_type(atea_cmw *rec, const char *type, size_t len)
{
    return copy_text(type, len, &rec->media_type);
}

atea_err atea__cmw_set_ctype(atea_cmw *coll, const char *ctype, size_t len)
{
    return copy_text(ctype, len, &coll->ctype);
}

void atea_cmw_free(atea_cmw *cmw)
{
    if (cmw == NULL) {
        return;
    }
    for (size_t i = 0; i < cmw->n_entries; i++) {
        free((char *)cmw->entries[i].label.text);
        atea_cmw_free(cmw->entries[i].cmw);
    }
    free(cmw->entries);
    free((char *)cmw->media_type);
    free((char *)cmw->ctype);
    atea_buf_free(&cmw->value);
    free(cmw);
}

atea_err atea__cmw_check_ind(uint64_t ind, const char *where)
{
    atea_err err = ATEA_OK;
    /* RFC 9999 §3.1: "The value MUST be non-zero"; only bits 0..4 are registered, "so the
     * acceptable values are currently limited to 1 to 31". */
    ATEA_ENSURE_MSG(ind >= 1 && ind <= ATEA_CMW_IND_KNOWN, ATEA_ERR_CMW_IND,
                    "ind %llu at %s is outside 1..31", (unsigned long long)ind, where);
out:
    return err;
}

atea_err atea__cmw_check_write_node(const atea_cmw *cmw, unsigned depth, size_t *nodes)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(++*nodes <= ATEA_CMW_MAX_NODES, ATEA_ERR_CMW_ENTRIES,
                    "CMW has more than %u nodes", ATEA_CMW_MAX_NODES);
    if (cmw->kind == ATEA_CMW_COLLECTION) {
        ATEA_ENSURE_MSG(depth < ATEA_CMW_MAX_DEPTH, ATEA_ERR_CMW_DEPTH,
                        "collections nested more than %u deep", ATEA_CMW_MAX_DEPTH);
        ATEA_ENSURE_MSG(cmw->n_entries > 0, ATEA_ERR_CMW_COLLECTION,
                        "a collection needs at least one entry");
    }
out:
    return err;
}

static atea_err new_record_common(const uint8_t *value, size_t value_len, uint32_t ind,
                                  atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *n = NULL;
    ATEA_ENSURE(pcmw != NULL && (value != NULL || value_len == 0), ATEA_ERR_INVALID_ARG);
    if (ind != 0) {
        ATEA_TRY(atea__cmw_check_ind(ind, "the new record"));
    }
    ATEA_TRY(atea__cmw_node_new(ATEA_CMW_RECORD, &n));
    ATEA_TRY(atea_buf_set(&n->value, value, value_len));
    n->ind = ind;
    *pcmw = n;
    n = NULL;
out:
    atea_cmw_free(n);
    return err;
}

atea_err atea_cmw_new_record(const char *media_type, const uint8_t *value, size_t value_len,
                             uint32_t ind, atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *n = NULL;
    ATEA_ENSURE(media_type != NULL && pcmw != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__cmw_check_media_type(media_type, strlen(media_type)));
    ATEA_TRY(new_record_common(value, value_len, ind, &n));
    ATEA_TRY(atea__cmw_set_media_type(n, media_type, strlen(media_type)));
    *pcmw = n;
    n = NULL;
out:
    atea_cmw_free(n);
    return err;
}

atea_err atea_cmw_new_record_cf(uint16_t content_format, const uint8_t *value, size_t value_len,
                                uint32_t ind, atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(new_record_common(value, value_len, ind, pcmw));
    (*pcmw)->has_cf = 1;
    (*pcmw)->content_format = content_format;
out:
    return err;
}

atea_err atea_cmw_new_tag(uint16_t content_format, const uint8_t *value, size_t value_len,
                          atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *n = NULL;
    uint64_t tag = 0;
    ATEA_ENSURE(pcmw != NULL && (value != NULL || value_len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_cmw_cf_to_tag(content_format, &tag));
    ATEA_TRY(atea__cmw_node_new(ATEA_CMW_TAG, &n));
    ATEA_TRY(atea_buf_set(&n->value, value, value_len));
    n->has_cf = 1;
    n->content_format = content_format;
    n->tag = tag;
    *pcmw = n;
    n = NULL;
out:
    atea_cmw_free(n);
    return err;
}

atea_err atea_cmw_new_collection(const char *ctype, atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *n = NULL;
    ATEA_ENSURE(pcmw != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__cmw_node_new(ATEA_CMW_COLLECTION, &n));
    if (ctype != NULL) {
        ATEA_TRY(atea__cmw_check_ctype(ctype, strlen(ctype)));
        ATEA_TRY(atea__cmw_set_ctype(n, ctype, strlen(ctype)));
    }
    *pcmw = n;
    n = NULL;
out:
    atea_cmw_free(n);
    return err;
}

static int label_equal(const atea_cmw_label *l, const char *text, size_t text_len, int64_t num)
{
    if (text == NULL) {
        return !l->is_text && l->num == num;
    }
    return l->is_text && strlen(l->text) == text_len && memcmp(l->text, text, text_len) == 0;
}

atea_err atea__cmw_append(atea_cmw *coll, const char *text, size_t text_len, int64_t num,
                          atea_cmw *child, size_t max_entries, const char *where)
{
    atea_err err = ATEA_OK;
    const char *copy = NULL;
    ATEA_ENSURE(coll != NULL && coll->kind == ATEA_CMW_COLLECTION && child != NULL,
                ATEA_ERR_INVALID_ARG);
    if (text != NULL) {
        /* Labels become C strings, and "__cmwc_t" is reserved for the type (RFC 9999 §3.3). */
        ATEA_ENSURE_MSG(text_len <= ATEA_CMW_MAX_LABEL_LEN && memchr(text, 0, text_len) == NULL &&
                            atea_utf8_valid((const uint8_t *)text, text_len) &&
                            !(text_len == strlen(ATEA_CMW_CTYPE_KEY) &&
                              memcmp(text, ATEA_CMW_CTYPE_KEY, text_len) == 0),
                        ATEA_ERR_CMW_LABEL,
                        "label at %s is reserved, has a NUL, is not UTF-8 or exceeds %u bytes",
                        where, ATEA_CMW_MAX_LABEL_LEN);
    }
    for (size_t i = 0; i < coll->n_entries; i++) {
        ATEA_ENSURE_MSG(!label_equal(&coll->entries[i].label, text, text_len, num),
                        ATEA_ERR_CMW_DUPLICATE, "label at %s appears twice in the collection",
                        where);
    }
    ATEA_ENSURE_MSG(coll->n_entries < max_entries, ATEA_ERR_CMW_ENTRIES,
                    "collection entry at %s is beyond the limit of %zu entries", where,
                    max_entries);
    if (text != NULL) {
        ATEA_TRY(copy_text(text, text_len, &copy));
    }
    atea_cmw_entry *grown = realloc(coll->entries, (coll->n_entries + 1) * sizeof(*grown));
    ATEA_ENSURE_ALLOC(grown);
    coll->entries = grown;
    grown[coll->n_entries].label.is_text = text != NULL;
    grown[coll->n_entries].label.num = text != NULL ? 0 : num;
    grown[coll->n_entries].label.text = copy;
    grown[coll->n_entries].cmw = child;
    coll->n_entries++;
    copy = NULL;
    child = NULL;
out:
    free((char *)copy);
    atea_cmw_free(child);
    return err;
}

atea_err atea_cmw_add(atea_cmw *collection, const char *label, atea_cmw *child)
{
    atea_err err = ATEA_OK;
    atea_cmw *owned = child;
    ATEA_ENSURE_MSG(label != NULL, ATEA_ERR_INVALID_ARG, "NULL label");
    owned = NULL; /* atea__cmw_append takes it, on failure too */
    ATEA_TRY(atea__cmw_append(collection, label, strlen(label), 0, child, ATEA_CMW_MAX_ENTRIES,
                              "the new entry"));
out:
    atea_cmw_free(owned);
    return err;
}

atea_err atea_cmw_add_int(atea_cmw *collection, int64_t label, atea_cmw *child)
{
    return atea__cmw_append(collection, NULL, 0, label, child, ATEA_CMW_MAX_ENTRIES,
                            "the new entry");
}

const atea_cmw *atea_cmw_find(const atea_cmw *collection, const char *label)
{
    if (collection == NULL || collection->kind != ATEA_CMW_COLLECTION || label == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < collection->n_entries; i++) {
        if (label_equal(&collection->entries[i].label, label, strlen(label), 0)) {
            return collection->entries[i].cmw;
        }
    }
    return NULL;
}

const atea_cmw *atea_cmw_find_int(const atea_cmw *collection, int64_t label)
{
    if (collection == NULL || collection->kind != ATEA_CMW_COLLECTION) {
        return NULL;
    }
    for (size_t i = 0; i < collection->n_entries; i++) {
        if (label_equal(&collection->entries[i].label, NULL, 0, label)) {
            return collection->entries[i].cmw;
        }
    }
    return NULL;
}

const atea_cmw *atea_cmw_find_media_type(const atea_cmw *cmw, atea_cmw_mt mt)
{
    if (cmw == NULL) {
        return NULL;
    }
    if (cmw->kind == ATEA_CMW_RECORD && cmw->media_type != NULL) {
        return atea_cmw_media_type_lookup(cmw->media_type, strlen(cmw->media_type)) == mt ? cmw
                                                                                          : NULL;
    }
    /* Trees from the decoder are at most max_depth deep, so the recursion is bounded. */
    for (size_t i = 0; i < cmw->n_entries; i++) {
        const atea_cmw *hit = atea_cmw_find_media_type(cmw->entries[i].cmw, mt);
        if (hit != NULL) {
            return hit;
        }
    }
    return NULL;
}

atea_cmw_form atea_cmw_demux(const uint8_t *in, size_t len)
{
    atea_rd rd;
    uint8_t b = 0;
    atea_rd_init(&rd, in, len);
    /* specs §4.6 note: JSON may start with whitespace, which would defeat the one-byte look. */
    while (atea_rd_u8(&rd, &b) == ATEA_OK) {
        if (b != 0x20 && b != 0x09 && b != 0x0a && b != 0x0d) {
            break;
        }
        b = 0;
    }
    if (b == 0x5b) {
        return ATEA_CMW_FORM_JSON_RECORD;
    }
    if (b == 0x7b) {
        return ATEA_CMW_FORM_JSON_COLLECTION;
    }
    if (rd.off != 1) {
        return ATEA_CMW_FORM_UNKNOWN; /* whitespace is only legal before JSON */
    }
    if (b == 0x82 || b == 0x83 || b == 0x9f) {
        return ATEA_CMW_FORM_CBOR_RECORD;
    }
    if (b == 0xda) {
        return ATEA_CMW_FORM_CBOR_TAG; /* TN() tags always have a 4-byte argument (§3.2) */
    }
    if ((b >= 0xa0 && b <= 0xbb) || b == 0xbf) {
        return ATEA_CMW_FORM_CBOR_COLLECTION;
    }
    return ATEA_CMW_FORM_UNKNOWN;
}

atea_err atea_cmw_decode(const uint8_t *in, size_t len, const atea_cmw_limits *limits,
                         atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea__cmw_ctx ctx;
    ATEA_ENSURE(pcmw != NULL && (in != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__cmw_ctx_init(&ctx, limits, len));
    switch (atea_cmw_demux(in, len)) {
    case ATEA_CMW_FORM_CBOR_RECORD:
    case ATEA_CMW_FORM_CBOR_TAG:
    case ATEA_CMW_FORM_CBOR_COLLECTION:
        ATEA_TRY(atea_cmw_decode_cbor(in, len, limits, pcmw));
        break;
    case ATEA_CMW_FORM_JSON_RECORD:
    case ATEA_CMW_FORM_JSON_COLLECTION:
        ATEA_TRY(atea_cmw_decode_json(in, len, limits, pcmw));
        break;
    case ATEA_CMW_FORM_UNKNOWN:
        ATEA_FAIL(ATEA_ERR_CMW_FORMAT, "first byte 0x%02x of %zu starts no CMW form",
                  len > 0 ? in[0] : 0, len);
    }
out:
    return err;
}

/* Encode into a fresh buffer capped at what the decoder would accept. */
static atea_err encode_to_buf(const atea_cmw *cmw, int json, atea_buf *out)
{
    atea_err err = ATEA_OK;
    atea_wr wr = {0};
    ATEA_ENSURE(out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea_wr_init_growable(&wr, 256, ATEA_CMW_MAX_INPUT));
    if (json) {
        ATEA_TRY(atea_cmw_write_json(cmw, &wr));
    } else {
        ATEA_TRY(atea_cmw_write_cbor(cmw, &wr));
    }
    ATEA_TRY(atea_wr_take(&wr, out));
out:
    atea_wr_dispose(&wr);
    return err;
}

atea_err atea_cmw_encode_cbor(const atea_cmw *cmw, atea_buf *out)
{
    return encode_to_buf(cmw, 0, out);
}

atea_err atea_cmw_encode_json(const atea_cmw *cmw, atea_buf *out)
{
    return encode_to_buf(cmw, 1, out);
}

/* Roll the writer back on failure so that nothing half-written stays behind. */
static atea_err write_whole(const atea_cmw *cmw, atea_wr *wr, int json)
{
    atea_err err = ATEA_OK;
    size_t mark = wr != NULL ? wr->len : 0;
    size_t nodes = 0;
    ATEA_ENSURE(cmw != NULL && wr != NULL, ATEA_ERR_INVALID_ARG);
    if (json) {
        ATEA_TRY(atea__cmw_write_json(cmw, wr, 0, &nodes));
    } else {
        ATEA_TRY(atea__cmw_write_cbor(cmw, wr, 0, &nodes));
    }
out:
    if (err != ATEA_OK && wr != NULL && wr->len > mark) {
        atea_wipe(wr->data + mark, wr->len - mark);
        wr->len = mark;
    }
    return err;
}

atea_err atea_cmw_write_cbor(const atea_cmw *cmw, struct atea_wr *wr)
{
    return write_whole(cmw, wr, 0);
}

atea_err atea_cmw_write_json(const atea_cmw *cmw, struct atea_wr *wr)
{
    return write_whole(cmw, wr, 1);
}
