/* JSON CMWs (RFC 9999 §3): json-record and json-collection. Parsing goes through jansson, boxed
 * in: the size cap and a bracket-depth pre-scan run before jansson sees a byte, duplicate keys are
 * rejected by jansson, and the tree walk enforces the entry and node caps. Writing is our own
 * compact, deterministic encoder. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmw/cmw_internal.h"
#include "core/check.h"
#include "core/rd.h"

/* The structure of the JSON text, scanned before jansson sees a byte, so that deep nesting, long
 * objects and many containers cost neither stack nor memory. A record adds one bracket level below
 * its collection, hence max_depth + 1 levels. */
typedef struct prescan {
    const atea_cmw_limits *lim;
    unsigned depth;
    size_t containers;
    uint8_t open[ATEA_CMW_DEPTH_LIMIT + 1];   /* '[' or '{' per open level */
    size_t members[ATEA_CMW_DEPTH_LIMIT + 1]; /* members so far per open level (commas + 1) */
} prescan;

static atea_err prescan_byte(prescan *p, uint8_t c, size_t off)
{
    atea_err err = ATEA_OK;
    if (c == '[' || c == '{') {
        ATEA_ENSURE_MSG(p->depth < p->lim->max_depth + 1, ATEA_ERR_CMW_DEPTH,
                        "JSON nesting at byte %zu is deeper than %u collections", off,
                        p->lim->max_depth);
        ATEA_ENSURE_MSG(++p->containers <= p->lim->max_nodes, ATEA_ERR_CMW_ENTRIES,
                        "JSON at byte %zu opens more than %zu records and collections", off,
                        p->lim->max_nodes);
        p->open[p->depth] = c;
        p->members[p->depth] = 1;
        p->depth++;
    } else if ((c == ']' || c == '}') && p->depth > 0) {
        p->depth--;
    } else if (c == ',' && p->depth > 0) {
        size_t m = ++p->members[p->depth - 1];
        /* an object may hold __cmwc_t besides its entries; an array is a record of 2 or 3 */
        ATEA_ENSURE_MSG(p->open[p->depth - 1] == '[' || m <= p->lim->max_entries + 1,
                        ATEA_ERR_CMW_ENTRIES, "JSON object at byte %zu has more than %zu entries",
                        off, p->lim->max_entries);
        ATEA_ENSURE_MSG(p->open[p->depth - 1] == '{' || m <= 3, ATEA_ERR_CMW_RECORD,
                        "JSON array at byte %zu has more than 3 elements", off);
    }
out:
    return err;
}

static atea_err prescan_json(const uint8_t *in, size_t len, const atea_cmw_limits *lim)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    prescan p = {.lim = lim};
    uint8_t c = 0;
    int in_string = 0;
    int escaped = 0;
    atea_rd_init(&rd, in, len);
    while (atea_rd_left(&rd) > 0) {
        ATEA_TRY(atea_rd_u8(&rd, &c));
        if (in_string) {
            if (escaped) {
                escaped = 0;
            } else if (c == '\\') {
                escaped = 1;
            } else if (c == '"') {
                in_string = 0;
            }
            continue;
        }
        in_string = c == '"';
        ATEA_TRY(prescan_byte(&p, c, rd.off - 1));
    }
out:
    return err;
}

static atea_err json_node(atea__cmw_ctx *ctx, json_t *j, unsigned depth, const char *path,
                          atea_cmw **pcmw);

/* json-record = [ type: media-type, value: base64url-string, ? ind: uint ] */
static atea_err json_record(json_t *j, const char *path, atea_cmw *rec)
{
    atea_err err = ATEA_OK;
    size_t n = json_array_size(j);
    json_t *type = json_array_get(j, 0);
    json_t *value = json_array_get(j, 1);
    json_t *ind = json_array_get(j, 2);
    ATEA_ENSURE_MSG(n == 2 || n == 3, ATEA_ERR_CMW_RECORD,
                    "record at %s has %zu elements, not 2 or 3", path, n);
    /* "The latter [Content-Format] is not used in the JSON serialization." */
    ATEA_ENSURE_MSG(json_is_string(type), ATEA_ERR_CMW_TYPE,
                    "record type at %s is not a media type string", path);
    ATEA_TRY(atea__cmw_check_media_type(json_string_value(type), json_string_length(type)));
    ATEA_TRY(atea__cmw_set_media_type(rec, json_string_value(type), json_string_length(type)));
    ATEA_ENSURE_MSG(json_is_string(value), ATEA_ERR_CMW_VALUE,
                    "record value at %s is not a base64url string", path);
    ATEA_TRY(atea__b64url_decode(json_string_value(value), json_string_length(value), &rec->value));
    if (n == 3) {
        ATEA_ENSURE_MSG(json_is_integer(ind), ATEA_ERR_CMW_IND, "ind at %s is not an integer",
                        path);
        ATEA_TRY(atea__cmw_check_ind((uint64_t)json_integer_value(ind), path));
        rec->ind = (uint32_t)json_integer_value(ind);
    }
out:
    return err;
}

/* json-collection = { ? "__cmwc_t": ~uri / oid, + &(label: text) => json-cmw } */
static atea_err json_collection(atea__cmw_ctx *ctx, json_t *j, unsigned depth, const char *path,
                                atea_cmw *coll)
{
    atea_err err = ATEA_OK;
    const char *key = NULL;
    json_t *val = NULL;
    atea_cmw *child = NULL;
    char where[96];
    ATEA_ENSURE_MSG(depth < ctx->lim.max_depth, ATEA_ERR_CMW_DEPTH,
                    "collection at %s is nested more than %u deep", path, ctx->lim.max_depth);
    ATEA_ENSURE_MSG(json_object_size(j) <= ctx->lim.max_entries + 1, ATEA_ERR_CMW_ENTRIES,
                    "collection at %s has %zu members, the limit is %zu entries", path,
                    json_object_size(j), ctx->lim.max_entries);
    json_object_foreach(j, key, val)
    {
        snprintf(where, sizeof(where), "%s.\"%.40s\"", path, key);
        if (strcmp(key, ATEA_CMW_CTYPE_KEY) == 0) {
            ATEA_ENSURE_MSG(json_is_string(val), ATEA_ERR_CMW_CTYPE,
                            "__cmwc_t at %s is not a string", path);
            ATEA_TRY(atea__cmw_check_ctype(json_string_value(val), json_string_length(val)));
            ATEA_TRY(atea__cmw_set_ctype(coll, json_string_value(val), json_string_length(val)));
            continue;
        }
        ATEA_ENSURE_MSG(coll->n_entries < ctx->lim.max_entries, ATEA_ERR_CMW_ENTRIES,
                        "collection entry %s is beyond the limit of %zu entries", where,
                        ctx->lim.max_entries);
        ATEA_TRY(json_node(ctx, val, depth + 1, where, &child));
        atea_cmw *owned = child;
        child = NULL; /* atea__cmw_append takes it, on failure too */
        ATEA_TRY(atea__cmw_append(coll, key, strlen(key), 0, owned, ctx->lim.max_entries, where));
    }
    ATEA_ENSURE_MSG(coll->n_entries > 0, ATEA_ERR_CMW_COLLECTION, "collection at %s has no entries",
                    path);
out:
    atea_cmw_free(child);
    return err;
}

static atea_err json_node(atea__cmw_ctx *ctx, json_t *j, unsigned depth, const char *path,
                          atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea_cmw *node = NULL;
    ATEA_TRY(atea__cmw_count_node(ctx, path));
    if (json_is_array(j)) {
        ATEA_TRY(atea__cmw_node_new(ATEA_CMW_RECORD, &node));
        ATEA_TRY(json_record(j, path, node));
    } else if (json_is_object(j)) {
        ATEA_TRY(atea__cmw_node_new(ATEA_CMW_COLLECTION, &node));
        ATEA_TRY(json_collection(ctx, j, depth, path, node));
    } else {
        ATEA_FAIL(ATEA_ERR_CMW_FORMAT, "%s is neither a record (array) nor a collection (object)",
                  path);
    }
    *pcmw = node;
    node = NULL;
out:
    atea_cmw_free(node);
    return err;
}

atea_err atea_cmw_decode_json(const uint8_t *in, size_t len, const atea_cmw_limits *limits,
                              atea_cmw **pcmw)
{
    atea_err err = ATEA_OK;
    atea__cmw_ctx ctx;
    json_error_t jerr;
    json_t *root = NULL;
    atea_cmw *tree = NULL;
    ATEA_ENSURE(pcmw != NULL && (in != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_TRY(atea__cmw_ctx_init(&ctx, limits, len));
    ATEA_TRY(prescan_json(in, len, &ctx.lim));
    /* Without JSON_DECODE_ANY only an array or object is accepted; jansson rejects trailing
     * non-whitespace, invalid UTF-8 and NUL bytes in strings by default. */
    root = json_loadb((const char *)in, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        ATEA_FAIL(json_error_code(&jerr) == json_error_duplicate_key ? ATEA_ERR_CMW_DUPLICATE
                                                                     : ATEA_ERR_CMW_JSON,
                  "JSON: %s at line %d column %d (byte %d)", jerr.text, jerr.line, jerr.column,
                  jerr.position);
    }
    ATEA_TRY(json_node(&ctx, root, 0, "$", &tree));
    *pcmw = tree;
    tree = NULL;
out:
    json_decref(root);
    atea_cmw_free(tree);
    return err;
}

/* A JSON string (RFC 8259 §7): quote, backslash and control characters escaped. */
static atea_err write_json_string(atea_wr *wr, const char *s)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_wr_u8(wr, '"'));
    for (const uint8_t *p = (const uint8_t *)s; *p != 0; p++) {
        if (*p == '"' || *p == '\\') {
            ATEA_TRY(atea_wr_u8(wr, '\\'));
            ATEA_TRY(atea_wr_u8(wr, *p));
        } else if (*p < 0x20) {
            char esc[8];
            snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*p);
            ATEA_TRY(atea_wr_bytes(wr, esc, 6));
        } else {
            ATEA_TRY(atea_wr_u8(wr, *p));
        }
    }
    ATEA_TRY(atea_wr_u8(wr, '"'));
out:
    return err;
}

static atea_err write_json_record(const atea_cmw *rec, atea_wr *wr)
{
    atea_err err = ATEA_OK;
    char ind[16];
    ATEA_ENSURE_MSG(rec->media_type != NULL && !rec->has_cf, ATEA_ERR_CMW_NOT_JSON,
                    "record with Content-Format %u has no JSON form (RFC 9999 §3.1)",
                    (unsigned)rec->content_format);
    ATEA_ENSURE_MSG(rec->value.len > 0, ATEA_ERR_CMW_BASE64URL,
                    "an empty value has no base64url-string form (RFC 9999 §3.1 CDDL)");
    ATEA_TRY(atea_wr_u8(wr, '['));
    ATEA_TRY(write_json_string(wr, rec->media_type));
    ATEA_TRY(atea_wr_bytes(wr, ",\"", 2));
    ATEA_TRY(atea__b64url_encode(rec->value.data, rec->value.len, wr));
    ATEA_TRY(atea_wr_u8(wr, '"'));
    if (rec->ind != 0) {
        int n = snprintf(ind, sizeof(ind), ",%u", (unsigned)rec->ind);
        ATEA_TRY(atea_wr_bytes(wr, ind, (size_t)n));
    }
    ATEA_TRY(atea_wr_u8(wr, ']'));
out:
    return err;
}

atea_err atea__cmw_write_json(const atea_cmw *cmw, atea_wr *wr, unsigned depth, size_t *nodes)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea__cmw_check_write_node(cmw, depth, nodes));
    switch (cmw->kind) {
    case ATEA_CMW_RECORD:
        ATEA_TRY(write_json_record(cmw, wr));
        break;
    case ATEA_CMW_TAG:
        ATEA_FAIL(ATEA_ERR_CMW_NOT_JSON, "tag %llu has no JSON form (RFC 9999 §3.2)",
                  (unsigned long long)cmw->tag);
    case ATEA_CMW_COLLECTION:
        ATEA_TRY(atea_wr_u8(wr, '{'));
        if (cmw->ctype != NULL) {
            ATEA_TRY(write_json_string(wr, ATEA_CMW_CTYPE_KEY));
            ATEA_TRY(atea_wr_u8(wr, ':'));
            ATEA_TRY(write_json_string(wr, cmw->ctype));
        }
        for (size_t i = 0; i < cmw->n_entries; i++) {
            const atea_cmw_label *l = &cmw->entries[i].label;
            ATEA_ENSURE_MSG(l->is_text, ATEA_ERR_CMW_NOT_JSON,
                            "integer label %lld has no JSON form (RFC 9999 §3.3)",
                            (long long)l->num);
            if (i > 0 || cmw->ctype != NULL) {
                ATEA_TRY(atea_wr_u8(wr, ','));
            }
            ATEA_TRY(write_json_string(wr, l->text));
            ATEA_TRY(atea_wr_u8(wr, ':'));
            ATEA_TRY(atea__cmw_write_json(cmw->entries[i].cmw, wr, depth + 1, nodes));
        }
        ATEA_TRY(atea_wr_u8(wr, '}'));
        break;
    }
out:
    return err;
}
