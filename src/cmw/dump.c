/* `atea inspect` support: an indented, human-readable description of a CMW. */
#include <stdio.h>
#include <string.h>

#include "cmw/cmw_internal.h"
#include "core/check.h"

#define DUMP_PREVIEW_BYTES 32u
/* How many CMWs wrapped inside CMW values the dump opens (RFC 9999 §6: cmw+cbor, cmw+json). */
#define DUMP_MAX_NESTED 4u

static const char *form_name(atea_cmw_form form)
{
    switch (form) {
    case ATEA_CMW_FORM_UNKNOWN:
        return "unknown";
    case ATEA_CMW_FORM_CBOR_RECORD:
        return "CBOR record";
    case ATEA_CMW_FORM_CBOR_TAG:
        return "CBOR tag";
    case ATEA_CMW_FORM_CBOR_COLLECTION:
        return "CBOR collection";
    case ATEA_CMW_FORM_JSON_RECORD:
        return "JSON record";
    case ATEA_CMW_FORM_JSON_COLLECTION:
        return "JSON collection";
    }
    return "unknown";
}

/* Bytes of text per dump line; longer is cut. */
#define CMW_DUMP_MAX_LINE 599u

static void ind_names(uint32_t ind, char *buf, size_t size)
{
    static const char *const names[5] = {"reference values", "endorsements", "evidence",
                                         "attestation results", "appraisal policy"};
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned bit = 0; bit < 5; bit++) {
        if ((ind & (1u << bit)) != 0 && used < size) {
            int n = snprintf(buf + used, size - used, "%s%s", used > 0 ? ", " : "", names[bit]);
            used += n > 0 ? (size_t)n : 0;
        }
    }
}

/* "label": with control characters shown as \xHH, so that a label cannot forge dump lines. */
static void quote_label(const char *text, char *out, size_t size)
{
    size_t n = 0;
    out[n++] = '"';
    for (const uint8_t *p = (const uint8_t *)text; *p != 0 && n + 8 < size; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\') {
            n += (size_t)snprintf(out + n, size - n, "\\x%02x", *p);
        } else {
            out[n++] = (char)*p;
        }
    }
    snprintf(out + n, size - n, "\": ");
}

static atea_err dump_value(const atea_buf *v, atea_wr *out, unsigned indent)
{
    atea_err err = ATEA_OK;
    char hex[2 * DUMP_PREVIEW_BYTES + 1];
    size_t shown = v->len < DUMP_PREVIEW_BYTES ? v->len : DUMP_PREVIEW_BYTES;
    ATEA_TRY(atea_hex_encode(v->data, shown, hex, sizeof(hex)));
    ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "value: %zu bytes: %s%s", v->len, hex,
                           shown < v->len ? "..." : ""));
out:
    return err;
}

static atea_err dump_type(const atea_cmw *n, atea_wr *out, unsigned indent)
{
    atea_err err = ATEA_OK;
    if (n->media_type == NULL) {
        ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "type: Content-Format %u",
                               (unsigned)n->content_format));
        goto out;
    }
    atea_cmw_mt mt = atea_cmw_media_type_lookup(n->media_type, strlen(n->media_type));
    if (mt == ATEA_CMW_MT_UNKNOWN) {
        ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "type: \"%s\"", n->media_type));
    } else {
        ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "type: \"%s\" (%s)", n->media_type,
                               atea_cmw_media_type_desc(mt)));
    }
out:
    return err;
}

static atea_err dump_node(const atea_cmw *n, atea_wr *out, unsigned indent, const char *label,
                          unsigned nest);

/* 1 if the value of a record or tag is itself an unsigned CMW: media type application/cmw+cbor or
 * +json, Content-Format 273 or 274, or the tags RFC 9999 Table 4 gives to those. */
static int wraps_cmw(const atea_cmw *n)
{
    uint16_t cf = n->content_format;
    if (n->kind == ATEA_CMW_COLLECTION) {
        return 0;
    }
    if (!n->has_cf && n->media_type != NULL) {
        atea_cmw_mt mt = atea_cmw_media_type_lookup(n->media_type, strlen(n->media_type));
        cf = mt == ATEA_CMW_MT_CMW_CBOR   ? ATEA_CMW_CF_CMW_CBOR
             : mt == ATEA_CMW_MT_CMW_JSON ? ATEA_CMW_CF_CMW_JSON
                                          : 0;
    }
    return cf == ATEA_CMW_CF_CMW_CBOR || cf == ATEA_CMW_CF_CMW_JSON;
}

/* Show a wrapped CMW inside its wrapper. A wrapped value that does not decode is reported in the
 * text but is not an error of the dump: the outer CMW is well-formed. */
static atea_err dump_nested(const atea_cmw *n, atea_wr *out, unsigned indent, unsigned nest)
{
    atea_err err = ATEA_OK;
    atea_cmw *inner = NULL;
    if (!wraps_cmw(n) || nest >= DUMP_MAX_NESTED) {
        goto out;
    }
    atea_err decoded = atea_cmw_decode(n->value.data, n->value.len, NULL, &inner);
    if (decoded != ATEA_OK) {
        ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "content: not a CMW: %s: %s",
                               atea_err_name(decoded), atea_err_detail(decoded)));
        goto out;
    }
    ATEA_TRY(dump_node(inner, out, indent, "content: ", nest + 1));
out:
    atea_cmw_free(inner);
    return err;
}

static atea_err dump_node(const atea_cmw *n, atea_wr *out, unsigned indent, const char *label,
                          unsigned nest)
{
    atea_err err = ATEA_OK;
    char names[96];
    switch (n->kind) {
    case ATEA_CMW_RECORD:
        ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "%srecord", label));
        ATEA_TRY(dump_type(n, out, indent + 1));
        if (n->ind != 0) {
            ind_names(n->ind, names, sizeof(names));
            ATEA_TRY(atea_wr_linef(out, indent + 1, CMW_DUMP_MAX_LINE, "ind: %u (%s)",
                                   (unsigned)n->ind, names));
        }
        ATEA_TRY(dump_value(&n->value, out, indent + 1));
        ATEA_TRY(dump_nested(n, out, indent + 1, nest));
        break;
    case ATEA_CMW_TAG:
        ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "%stag %llu (Content-Format %u)",
                               label, (unsigned long long)n->tag, (unsigned)n->content_format));
        ATEA_TRY(dump_value(&n->value, out, indent + 1));
        ATEA_TRY(dump_nested(n, out, indent + 1, nest));
        break;
    case ATEA_CMW_COLLECTION:
        ATEA_TRY(atea_wr_linef(out, indent, CMW_DUMP_MAX_LINE, "%scollection, %zu entries", label,
                               n->n_entries));
        if (n->ctype != NULL) {
            ATEA_TRY(
                atea_wr_linef(out, indent + 1, CMW_DUMP_MAX_LINE, "__cmwc_t: \"%s\"", n->ctype));
        }
        for (size_t i = 0; i < n->n_entries; i++) {
            char lab[4 * ATEA_CMW_MAX_LABEL_LEN + 32];
            const atea_cmw_label *l = &n->entries[i].label;
            if (l->is_text) {
                quote_label(l->text, lab, sizeof(lab));
            } else {
                snprintf(lab, sizeof(lab), "%lld: ", (long long)l->num);
            }
            ATEA_TRY(dump_node(n->entries[i].cmw, out, indent + 1, lab, nest));
        }
        break;
    }
out:
    return err;
}

atea_err atea_cmw_dump(const uint8_t *in, size_t len, struct atea_wr *out)
{
    atea_err err = ATEA_OK;
    atea_cmw *tree = NULL;
    ATEA_ENSURE(out != NULL && (in != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    atea_cmw_form form = atea_cmw_demux(in, len);
    ATEA_TRY(atea_wr_linef(out, 0, CMW_DUMP_MAX_LINE, "CMW (%s), %zu bytes", form_name(form), len));
    atea_err decoded = atea_cmw_decode(in, len, NULL, &tree);
    if (decoded != ATEA_OK) {
        /* Keep the decoder's detail: it says what is wrong and at which offset or path. */
        char detail[sizeof(atea_err_last()->detail)];
        snprintf(detail, sizeof(detail), "%s", atea_err_detail(decoded));
        ATEA_TRY(atea_wr_linef(out, 1, CMW_DUMP_MAX_LINE, "malformed: %s: %s",
                               atea_err_name(decoded), detail));
        ATEA_FAIL(decoded, "%s", detail);
    }
    ATEA_TRY(dump_node(tree, out, 1, "", 0));
out:
    atea_cmw_free(tree);
    return err;
}
