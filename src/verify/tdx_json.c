/*
 * Intel PCS collateral JSON: TDX TCB info v3 ({"tcbInfo":{...},"signature":"<hex>"}) and TD QE
 * identity v2 ({"enclaveIdentity":{...},"signature":...}). Intel signs the EXACT bytes of the
 * inner object as transmitted (evidence-formats.md §2.5 B), so a bounded scanner on atea_rd
 * finds that byte span; jansson then reads the content.
 */
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/check.h"
#include "core/rd.h"
#include "verify/tdx_internal.h"

#define JSON_MAX_DEPTH 32

/* JSON whitespace (RFC 8259 §2). */
static atea_err skip_ws(atea_rd *rd)
{
    atea_err err = ATEA_OK;
    const uint8_t *p = atea_rd_ptr(rd);
    size_t n = 0;
    while (n < atea_rd_left(rd) && (p[n] == ' ' || p[n] == '\t' || p[n] == '\r' || p[n] == '\n')) {
        n++;
    }
    ATEA_TRY(atea_rd_skip(rd, n));
out:
    return err;
}

static atea_err expect_char(atea_rd *rd, char want)
{
    atea_err err = ATEA_OK;
    uint8_t c = 0;
    size_t at = atea_rd_pos(rd);
    ATEA_TRY(atea_rd_u8(rd, &c));
    ATEA_ENSURE_MSG(c == (uint8_t)want, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral JSON: expected '%c' at offset %zu, found 0x%02x", want, at, c);
out:
    return err;
}

/* A string; *content = the bytes between the quotes (escapes left as they are). */
static atea_err scan_string(atea_rd *rd, atea_slice *content)
{
    atea_err err = ATEA_OK;
    uint8_t c = 0;
    ATEA_TRY(expect_char(rd, '"'));
    content->data = atea_rd_ptr(rd);
    for (;;) {
        ATEA_TRY(atea_rd_u8(rd, &c));
        if (c == '"') {
            break;
        }
        if (c == '\\') {
            ATEA_TRY(atea_rd_skip(rd, 1));
        }
    }
    content->len = (size_t)(atea_rd_ptr(rd) - content->data) - 1;
out:
    return err;
}

static atea_err scan_value(atea_rd *rd, unsigned depth);

static int is_scalar_char(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
           c == '-' || c == '.';
}

/* Object or array members, after the opening bracket. */
static atea_err scan_container(atea_rd *rd, char close, unsigned depth)
{
    atea_err err = ATEA_OK;
    atea_slice key;
    ATEA_TRY(skip_ws(rd));
    if (atea_rd_left(rd) > 0 && *atea_rd_ptr(rd) == (uint8_t)close) {
        ATEA_TRY(atea_rd_skip(rd, 1));
        goto out;
    }
    for (;;) {
        ATEA_TRY(skip_ws(rd));
        if (close == '}') {
            ATEA_TRY(scan_string(rd, &key));
            ATEA_TRY(skip_ws(rd));
            ATEA_TRY(expect_char(rd, ':'));
        }
        ATEA_TRY(scan_value(rd, depth + 1));
        ATEA_TRY(skip_ws(rd));
        uint8_t c = 0;
        size_t at = atea_rd_pos(rd);
        ATEA_TRY(atea_rd_u8(rd, &c));
        if (c == (uint8_t)close) {
            break;
        }
        ATEA_ENSURE_MSG(c == ',', ATEA_ERR_TDX_BAD_COLLATERAL,
                        "collateral JSON: expected ',' or '%c' at offset %zu", close, at);
    }
out:
    return err;
}

static atea_err scan_value(atea_rd *rd, unsigned depth)
{
    atea_err err = ATEA_OK;
    atea_slice s;
    ATEA_ENSURE_MSG(depth <= JSON_MAX_DEPTH, ATEA_ERR_TOO_LARGE,
                    "collateral JSON nests deeper than %d at offset %zu", JSON_MAX_DEPTH,
                    atea_rd_pos(rd));
    ATEA_TRY(skip_ws(rd));
    ATEA_ENSURE_MSG(atea_rd_left(rd) > 0, ATEA_ERR_TRUNCATED, "collateral JSON ends early");
    uint8_t c = *atea_rd_ptr(rd);
    if (c == '{' || c == '[') {
        ATEA_TRY(atea_rd_skip(rd, 1));
        ATEA_TRY(scan_container(rd, c == '{' ? '}' : ']', depth));
    } else if (c == '"') {
        ATEA_TRY(scan_string(rd, &s));
    } else {
        size_t n = 0;
        const uint8_t *p = atea_rd_ptr(rd);
        /* number, true, false, null: jansson validates them; here only their extent */
        while (n < atea_rd_left(rd) && is_scalar_char(p[n])) {
            n++;
        }
        ATEA_ENSURE_MSG(n > 0, ATEA_ERR_TDX_BAD_COLLATERAL,
                        "collateral JSON: unexpected byte 0x%02x at offset %zu", c,
                        atea_rd_pos(rd));
        ATEA_TRY(atea_rd_skip(rd, n));
    }
out:
    return err;
}

static int slice_is(atea_slice s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(s.data, lit, s.len) == 0;
}

/* Top-level members: records the raw span of `key` and decodes "signature". */
static atea_err scan_document(const uint8_t *doc, size_t len, const char *key, tdx_signed_json *sj)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_slice name;
    atea_slice sig = {0};
    atea_buf raw = {0};
    atea_rd_init(&rd, doc, len);
    memset(sj, 0, sizeof(*sj));
    ATEA_TRY(skip_ws(&rd));
    ATEA_TRY(expect_char(&rd, '{'));
    for (;;) {
        ATEA_TRY(skip_ws(&rd));
        ATEA_TRY(scan_string(&rd, &name));
        ATEA_TRY(skip_ws(&rd));
        ATEA_TRY(expect_char(&rd, ':'));
        ATEA_TRY(skip_ws(&rd));
        const uint8_t *start = atea_rd_ptr(&rd);
        if (slice_is(name, "signature")) {
            ATEA_TRY(scan_string(&rd, &sig));
        } else {
            ATEA_TRY(scan_value(&rd, 1));
        }
        if (slice_is(name, key)) {
            sj->body.data = start;
            sj->body.len = (size_t)(atea_rd_ptr(&rd) - start);
        }
        ATEA_TRY(skip_ws(&rd));
        uint8_t c = 0;
        ATEA_TRY(atea_rd_u8(&rd, &c));
        if (c == '}') {
            break;
        }
        ATEA_ENSURE_MSG(c == ',', ATEA_ERR_TDX_BAD_COLLATERAL,
                        "collateral JSON: expected ',' or '}' at offset %zu", atea_rd_pos(&rd) - 1);
    }
    ATEA_TRY(skip_ws(&rd));
    ATEA_TRY(atea_rd_end(&rd));
    ATEA_ENSURE_MSG(sj->body.len > 0 && sj->body.data[0] == '{', ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral JSON has no \"%s\" object", key);
    ATEA_ENSURE_MSG(sig.len == 128, ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral JSON \"signature\" has %zu hex digits (expected 128)", sig.len);
    ATEA_TRY(atea_hex_decode((const char *)sig.data, sig.len, &raw));
    ATEA_ENSURE(raw.len == 64, ATEA_ERR_TDX_BAD_COLLATERAL);
    memcpy(sj->signature, raw.data, 64);
out:
    atea_buf_free(&raw);
    return err;
}

atea_err atea__tdx_json_signed(const uint8_t *doc, size_t len, const char *key, tdx_signed_json *sj,
                               json_t **root, json_t **obj)
{
    atea_err err = ATEA_OK;
    json_error_t jerr;
    *root = NULL;
    ATEA_ENSURE_MSG(len <= ATEA_TDX_MAX_COLLATERAL_FILE, ATEA_ERR_TOO_LARGE,
                    "collateral JSON of %zu bytes exceeds %d", len, ATEA_TDX_MAX_COLLATERAL_FILE);
    ATEA_TRY(scan_document(doc, len, key, sj));
    *root = json_loadb((const char *)doc, len, JSON_REJECT_DUPLICATES, &jerr);
    ATEA_ENSURE_MSG(*root != NULL, ATEA_ERR_TDX_BAD_COLLATERAL, "collateral JSON: %s at line %d",
                    jerr.text, jerr.line);
    *obj = json_object_get(*root, key);
    ATEA_ENSURE_MSG(json_is_object(*obj), ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral JSON: \"%s\" is not an object", key);
out:
    if (err != ATEA_OK && *root != NULL) {
        json_decref(*root);
        *root = NULL;
    }
    return err;
}

atea_err atea__tdx_parse_time(const char *s, int64_t *t)
{
    atea_err err = ATEA_OK;
    int v[6] = {0};
    static const int pos[6] = {0, 5, 8, 11, 14, 17};
    static const int width[6] = {4, 2, 2, 2, 2, 2};
    ATEA_ENSURE_MSG(s != NULL && strlen(s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' &&
                        s[13] == ':' && s[16] == ':' && s[19] == 'Z',
                    ATEA_ERR_TDX_BAD_COLLATERAL,
                    "collateral date '%.32s' is not YYYY-MM-DDTHH:MM:SSZ", s ? s : "(null)");
    for (int i = 0; i < 6; i++) {
        for (int j = 0; j < width[i]; j++) {
            char c = s[pos[i] + j];
            ATEA_ENSURE_MSG(c >= '0' && c <= '9', ATEA_ERR_TDX_BAD_COLLATERAL,
                            "collateral date '%s' has a non-digit", s);
            v[i] = v[i] * 10 + (c - '0');
        }
    }
    ATEA_ENSURE_MSG(v[1] >= 1 && v[1] <= 12 && v[2] >= 1 && v[2] <= 31 && v[3] <= 23 &&
                        v[4] <= 59 && v[5] <= 60,
                    ATEA_ERR_TDX_BAD_COLLATERAL, "collateral date '%s' is out of range", s);
    struct tm tm = {0};
    tm.tm_year = v[0] - 1900;
    tm.tm_mon = v[1] - 1;
    tm.tm_mday = v[2];
    tm.tm_hour = v[3];
    tm.tm_min = v[4];
    tm.tm_sec = v[5];
    *t = (int64_t)timegm(&tm);
out:
    return err;
}

static const char *const STATUS_NAMES[] = {
    [TDX_TCB_UP_TO_DATE] = "UpToDate",
    [TDX_TCB_SW_HARDENING_NEEDED] = "SWHardeningNeeded",
    [TDX_TCB_CONFIGURATION_NEEDED] = "ConfigurationNeeded",
    [TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED] = "ConfigurationAndSWHardeningNeeded",
    [TDX_TCB_OUT_OF_DATE] = "OutOfDate",
    [TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED] = "OutOfDateConfigurationNeeded",
    [TDX_TCB_REVOKED] = "Revoked",
};

const char *atea__tdx_tcb_status_name(tdx_tcb_status s)
{
    return (size_t)s < ATEA_ARRAY_LEN(STATUS_NAMES) ? STATUS_NAMES[s] : "Unknown";
}

atea_err atea__tdx_tcb_status_parse(const char *s, tdx_tcb_status *out)
{
    atea_err err = ATEA_OK;
    for (size_t i = 0; i < ATEA_ARRAY_LEN(STATUS_NAMES); i++) {
        if (s != NULL && strcmp(s, STATUS_NAMES[i]) == 0) {
            *out = (tdx_tcb_status)i;
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_TDX_BAD_COLLATERAL, "unknown tcbStatus '%.40s'", s ? s : "(null)");
out:
    return err;
}
