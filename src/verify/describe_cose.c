/*
 * Generic CBOR value printer and COSE_Sign1 walker (RFC 8949, RFC 9052 §4.2) for the token
 * formats the describer handles: Arm CCA realm / platform tokens and atea's sim evidence. It
 * prints whatever is there, named where a namer knows the key, through the bounded CBOR decoder;
 * the strict parsers (src/verify/cca_token.c, sim_parse.c) decide afterwards whether it is valid.
 */
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "verify/describe_internal.h"

#define COSE_TAG_SIGN1 18
#define COSE_SIGN1_ELEMENTS 4
#define COSE_HDR_ALG 1
#define COSE_HDR_X5CHAIN 33
/* Characters of a text value shown before it is cut. */
#define DESCRIBE_MAX_TEXT 200u

/* Text with control characters and quotes escaped, cut at DESCRIBE_MAX_TEXT. */
static void text_escape(atea_slice s, char *buf, size_t size)
{
    size_t used = 0;
    size_t shown = s.len < DESCRIBE_MAX_TEXT ? s.len : DESCRIBE_MAX_TEXT;
    for (size_t i = 0; i < shown && used + 5 < size; i++) {
        uint8_t ch = s.data[i];
        if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\') {
            used += (size_t)snprintf(buf + used, size - used, "\\x%02x", ch);
        } else {
            buf[used++] = (char)ch;
        }
    }
    buf[used] = '\0';
    if (shown < s.len && used + 4 < size) {
        memcpy(buf + used, "...", 4);
    }
}

static const char *cose_alg_name(int64_t alg)
{
    switch (alg) {
    case -7:
        return "ES256";
    case -35:
        return "ES384";
    case -36:
        return "ES512";
    case -37:
        return "PS256";
    case -8:
        return "EdDSA";
    default:
        return "unknown algorithm";
    }
}

static const char *cose_header_name(int64_t key)
{
    switch (key) {
    case COSE_HDR_ALG:
        return "alg";
    case 2:
        return "crit";
    case 3:
        return "content type";
    case 4:
        return "kid";
    case COSE_HDR_X5CHAIN:
        return "x5chain";
    default:
        return NULL;
    }
}

/* The label of a map entry: "name (key)", "key", or a text key as it is. */
static atea_err read_key_label(atea_cbor_rd *c, atea__claim_namer namer, char *buf, size_t size,
                               int64_t *int_key, int *is_int)
{
    atea_err err = ATEA_OK;
    atea_cbor_major major;
    atea_slice text;
    *is_int = 0;
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    if (major == ATEA_CBOR_UINT || major == ATEA_CBOR_NEGINT) {
        ATEA_TRY(atea_cbor_read_int(c, int_key));
        *is_int = 1;
        const char *name = namer != NULL ? namer(*int_key) : NULL;
        if (name != NULL) {
            (void)snprintf(buf, size, "%s (%lld)", name, (long long)*int_key);
        } else {
            (void)snprintf(buf, size, "%lld", (long long)*int_key);
        }
    } else if (major == ATEA_CBOR_TSTR) {
        ATEA_TRY(atea_cbor_read_tstr(c, &text));
        text_escape(text, buf, size);
    } else {
        ATEA_TRY(atea_cbor_read_raw(c, &text));
        (void)snprintf(buf, size, "(key of major type %d, %zu bytes)", (int)major, text.len);
    }
out:
    return err;
}

static atea_err describe_container(atea__describe *d, atea_cbor_rd *c, const char *label,
                                   atea__claim_namer namer, unsigned depth, int is_map)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    size_t n = 0;
    int indefinite = 0;
    char child[128];
    if (is_map) {
        ATEA_TRY(atea_cbor_read_map_head(c, &n, &indefinite));
    } else {
        ATEA_TRY(atea_cbor_read_array_head(c, &n, &indefinite));
    }
    if (indefinite) {
        ATEA_TRY(atea__describe_line(d, 0, "%s: %s (indefinite length)", label,
                                     is_map ? "map" : "array"));
    } else {
        ATEA_TRY(atea__describe_line(d, 0, "%s: %s of %zu", label, is_map ? "map" : "array", n));
    }
    d->indent++;
    for (size_t i = 0; indefinite ? !atea_cbor_at_break(c) : i < n; i++) {
        int64_t key = 0;
        int is_int = 0;
        if (is_map) {
            ATEA_TRY(read_key_label(c, namer, child, sizeof(child), &key, &is_int));
        } else {
            (void)snprintf(child, sizeof(child), "[%zu]", i);
        }
        ATEA_TRY(atea__describe_cbor_item(d, c, child, namer, depth + 1));
    }
    if (indefinite) {
        ATEA_TRY(atea_cbor_read_break(c));
    }
out:
    d->indent = indent;
    return err;
}

static atea_err describe_simple(atea__describe *d, atea_cbor_rd *c, const char *label)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    atea_slice raw;
    uint8_t v = 0;
    ATEA_TRY(atea_cbor_peek(c, &h));
    if (h.info >= 25 && h.info <= 27) {
        ATEA_TRY(atea_cbor_read_raw(c, &raw));
        ATEA_TRY(atea__describe_hex(d, label, raw.data, raw.len));
        goto out;
    }
    ATEA_TRY(atea_cbor_read_simple(c, &v));
    switch (v) {
    case ATEA_CBOR_FALSE:
        ATEA_TRY(atea__describe_line(d, 0, "%s: false", label));
        break;
    case ATEA_CBOR_TRUE:
        ATEA_TRY(atea__describe_line(d, 0, "%s: true", label));
        break;
    case ATEA_CBOR_NULL:
        ATEA_TRY(atea__describe_line(d, 0, "%s: null", label));
        break;
    default:
        ATEA_TRY(atea__describe_line(d, 0, "%s: simple(%u)", label, (unsigned)v));
        break;
    }
out:
    return err;
}

static atea_err describe_int(atea__describe *d, atea_cbor_rd *c, const char *label,
                             const atea_cbor_head *h)
{
    atea_err err = ATEA_OK;
    int64_t v = 0;
    uint64_t u = 0;
    if (h->major == ATEA_CBOR_UINT && h->arg > INT64_MAX) {
        ATEA_TRY(atea_cbor_read_uint(c, &u));
        ATEA_TRY(atea__describe_line(d, 0, "%s: %llu", label, (unsigned long long)u));
        goto out;
    }
    ATEA_TRY(atea_cbor_read_int(c, &v));
    ATEA_TRY(atea__describe_line(d, 0, "%s: %lld", label, (long long)v));
out:
    return err;
}

/* Byte strings in hex, text quoted and escaped; indefinite-length ones as their raw CBOR. */
static atea_err describe_string(atea__describe *d, atea_cbor_rd *c, const char *label,
                                const atea_cbor_head *h)
{
    atea_err err = ATEA_OK;
    atea_slice s;
    char text[4 * DESCRIBE_MAX_TEXT + 8];
    if (h->indefinite) {
        ATEA_TRY(atea_cbor_read_raw(c, &s));
        ATEA_TRY(atea__describe_hex(d, label, s.data, s.len));
        ATEA_TRY(atea__describe_line(d, 1, "(indefinite-length string, raw CBOR)"));
    } else if (h->major == ATEA_CBOR_BSTR) {
        ATEA_TRY(atea_cbor_read_bstr(c, &s));
        ATEA_TRY(atea__describe_hex(d, label, s.data, s.len));
    } else {
        ATEA_TRY(atea_cbor_read_tstr(c, &s));
        text_escape(s, text, sizeof(text));
        ATEA_TRY(atea__describe_line(d, 0, "%s: \"%s\"", label, text));
    }
out:
    return err;
}

atea_err atea__describe_cbor_item(atea__describe *d, atea_cbor_rd *c, const char *label,
                                  atea__claim_namer namer, unsigned depth)
{
    atea_err err = ATEA_OK;
    atea_cbor_head h;
    uint64_t tag = 0;
    ATEA_TRY(atea_cbor_peek(c, &h));
    if (depth >= ATEA_DESCRIBE_MAX_CBOR_DEPTH &&
        (h.major == ATEA_CBOR_ARRAY || h.major == ATEA_CBOR_MAP || h.major == ATEA_CBOR_TAG)) {
        ATEA_TRY(atea_cbor_skip(c));
        ATEA_TRY(atea__describe_line(d, 0, "%s: (nested deeper than %u levels, not shown)", label,
                                     ATEA_DESCRIBE_MAX_CBOR_DEPTH));
        goto out;
    }
    switch (h.major) {
    case ATEA_CBOR_ARRAY:
    case ATEA_CBOR_MAP:
        ATEA_TRY(describe_container(d, c, label, namer, depth, h.major == ATEA_CBOR_MAP));
        break;
    case ATEA_CBOR_TAG:
        ATEA_TRY(atea_cbor_read_tag(c, &tag));
        ATEA_TRY(atea__describe_line(d, 0, "%s: tag %llu", label, (unsigned long long)tag));
        d->indent++;
        err = atea__describe_cbor_item(d, c, "value", namer, depth + 1);
        d->indent--;
        ATEA_TRY(err);
        break;
    case ATEA_CBOR_UINT:
    case ATEA_CBOR_NEGINT:
        ATEA_TRY(describe_int(d, c, label, &h));
        break;
    case ATEA_CBOR_BSTR:
    case ATEA_CBOR_TSTR:
        ATEA_TRY(describe_string(d, c, label, &h));
        break;
    case ATEA_CBOR_SIMPLE:
        ATEA_TRY(describe_simple(d, c, label));
        break;
    }
out:
    return err;
}

/* Protected header: a bstr holding a map; alg named. */
static atea_err describe_protected(atea__describe *d, atea_cbor_rd *c)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_cbor_rd hdr;
    size_t n = 0;
    ATEA_TRY(atea_cbor_open_bstr(c, &hdr));
    ATEA_TRY(atea_cbor_read_map(&hdr, &n));
    ATEA_TRY(atea__describe_line(d, 0, "protected header: %zu entries", n));
    d->indent++;
    for (size_t i = 0; i < n; i++) {
        char label[128];
        int64_t key = 0;
        int is_int = 0;
        atea_cbor_major major;
        ATEA_TRY(read_key_label(&hdr, cose_header_name, label, sizeof(label), &key, &is_int));
        ATEA_TRY(atea_cbor_peek_type(&hdr, &major));
        if (is_int && key == COSE_HDR_ALG &&
            (major == ATEA_CBOR_UINT || major == ATEA_CBOR_NEGINT)) {
            int64_t alg = 0;
            ATEA_TRY(atea_cbor_read_int(&hdr, &alg));
            ATEA_TRY(atea__describe_line(d, 0, "%s: %lld (%s)", label, (long long)alg,
                                         cose_alg_name(alg)));
            continue;
        }
        ATEA_TRY(atea__describe_cbor_item(d, &hdr, label, cose_header_name, 1));
    }
    ATEA_TRY(atea_cbor_end(&hdr));
out:
    d->indent = indent;
    return err;
}

/* x5chain (RFC 9360 §2): one bstr or an array of them, leaf first. */
static atea_err describe_x5chain(atea__describe *d, atea_cbor_rd *c, const char *label)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_cbor_major major;
    atea_slice der;
    size_t n = 1;
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    if (major == ATEA_CBOR_ARRAY) {
        ATEA_TRY(atea_cbor_read_array(c, &n));
    }
    ATEA_TRY(atea__describe_line(d, 0, "%s: %zu certificate(s)", label, n));
    d->indent++;
    for (size_t i = 0; i < n; i++) {
        char title[48];
        (void)snprintf(title, sizeof(title), "certificate %zu", i);
        ATEA_TRY(atea_cbor_read_bstr(c, &der));
        ATEA_TRY(atea__describe_cert_der(d, title, der.data, der.len));
    }
out:
    d->indent = indent;
    return err;
}

static atea_err describe_unprotected(atea__describe *d, atea_cbor_rd *c)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    size_t n = 0;
    ATEA_TRY(atea_cbor_read_map(c, &n));
    ATEA_TRY(atea__describe_line(d, 0, "unprotected header: %zu entries", n));
    d->indent++;
    for (size_t i = 0; i < n; i++) {
        char label[128];
        int64_t key = 0;
        int is_int = 0;
        ATEA_TRY(read_key_label(c, cose_header_name, label, sizeof(label), &key, &is_int));
        if (is_int && key == COSE_HDR_X5CHAIN) {
            ATEA_TRY(describe_x5chain(d, c, label));
            continue;
        }
        ATEA_TRY(atea__describe_cbor_item(d, c, label, cose_header_name, 1));
    }
out:
    d->indent = indent;
    return err;
}

atea_err atea__describe_cose_sign1(atea__describe *d, atea_cbor_rd *c, atea__claim_namer namer)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_cbor_major major;
    atea_cbor_rd payload;
    atea_slice sig;
    uint64_t tag = 0;
    size_t n = 0;
    ATEA_TRY(atea_cbor_peek_type(c, &major));
    if (major == ATEA_CBOR_TAG) {
        ATEA_TRY(atea_cbor_read_tag(c, &tag));
        ATEA_TRY(atea__describe_line(d, 0, "COSE_Sign1 (tag %llu%s)", (unsigned long long)tag,
                                     tag == COSE_TAG_SIGN1 ? "" : ", expected 18"));
    } else {
        ATEA_TRY(atea__describe_line(d, 0, "COSE_Sign1 (untagged)"));
    }
    size_t at = atea_cbor_pos(c);
    ATEA_TRY(atea_cbor_read_array(c, &n));
    ATEA_ENSURE_MSG(n == COSE_SIGN1_ELEMENTS, ATEA_ERR_CBOR_TYPE,
                    "COSE_Sign1 at offset %zu is an array of %zu, expected 4", at, n);
    d->indent++;
    ATEA_TRY(describe_protected(d, c));
    ATEA_TRY(describe_unprotected(d, c));
    ATEA_TRY(atea_cbor_open_bstr(c, &payload));
    ATEA_TRY(atea__describe_line(d, 0, "payload: %zu bytes", atea_cbor_left(&payload)));
    d->indent++;
    err = atea__describe_cbor_item(d, &payload, "claims", namer, 0);
    d->indent--;
    ATEA_TRY(err);
    ATEA_TRY(atea_cbor_read_bstr(c, &sig));
    ATEA_TRY(atea__describe_hex(d, "signature (r || s)", sig.data, sig.len));
out:
    d->indent = indent;
    return err;
}
