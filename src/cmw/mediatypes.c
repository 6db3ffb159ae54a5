/* atea's one table of CMW media types (profile.md §5), media type and __cmwc_t syntax, and the
 * Content-Format <-> CBOR tag mapping (RFC 9277 Appendix B TN(), RFC 9999 Table 4). */
#include <string.h>

#include "cmw/cmw_internal.h"
#include "core/check.h"
#include "core/rd.h"

static const struct {
    atea_cmw_mt mt;
    const char *name;  /* what atea writes */
    const char *alias; /* also accepted on input, or NULL */
    uint32_t ind;
    const char *desc;
} media_types[] = {
    {ATEA_CMW_MT_TDX_QUOTE, "application/vnd.intel.tdx.quote",
     /* the Rust prototype (tls-attestation/attestation-exported-authenticators) */
     "application/tdx-quote; version=1.0; profile=\"https://trustedcomputinggroup.org/tdx/v1\"",
     ATEA_CMW_IND_EVIDENCE, "Intel TDX quote"},
    {ATEA_CMW_MT_SNP_REPORT, "application/vnd.amd.sev-snp.report", NULL, ATEA_CMW_IND_EVIDENCE,
     "AMD SEV-SNP attestation report"},
    {ATEA_CMW_MT_CCA_TOKEN, "application/eat-collection; profile=\"http://arm.com/CCA-SSD/1.0.0\"",
     NULL, ATEA_CMW_IND_EVIDENCE, "Arm CCA attestation token"},
    {ATEA_CMW_MT_TPM2_QUOTE, "application/vnd.tcg.tpm2.quote", NULL, ATEA_CMW_IND_EVIDENCE,
     "TPM 2.0 quote"},
    {ATEA_CMW_MT_SIM_EVIDENCE, "application/vnd.atea.sim-evidence+cbor", NULL,
     ATEA_CMW_IND_EVIDENCE, "atea simulated TEE evidence (not for production)"},
    {ATEA_CMW_MT_EAR_JWT, "application/eat+jwt; eat_profile=\"tag:ietf.org,2026:rats/ear#03\"",
     NULL, ATEA_CMW_IND_ATTESTATION_RESULTS, "EAT Attestation Result (EAR, JWT)"},
    {ATEA_CMW_MT_CMW_CBOR, "application/cmw+cbor", NULL, 0, "CMW (CBOR)"},
    {ATEA_CMW_MT_CMW_JSON, "application/cmw+json", NULL, 0, "CMW (JSON)"},
    /* No registered type exists for a TCG2 crypto-agile event log (TCG PC Client PFP §10.2);
     * named like the TPM quote type above. Carried beside a TDX quote (the CCEL). */
    {ATEA_CMW_MT_TCG2_EVENTLOG, "application/vnd.tcg.tcg2-eventlog", NULL, ATEA_CMW_IND_EVIDENCE,
     "TCG2 crypto-agile event log"},
};

/* RFC 9999 Table 4 / Figure 7 give tags 1668547092 and 1668547093 the contents of Content-Formats
 * 275 and 274, the reverse of what TN() computes. atea follows the RFC text (docs/CMW.md). */
static const struct {
    uint64_t tag;
    uint16_t cf;
} tag_overrides[] = {
    {1668547092ull, ATEA_CMW_CF_CMW_COSE}, /* bytes .cbor signed-cbor-cmw */
    {1668547093ull, ATEA_CMW_CF_CMW_JSON}, /* bytes-wrapped json-collection */
};

const char *atea_cmw_media_type_name(atea_cmw_mt mt)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(media_types); i++) {
        if (media_types[i].mt == mt) {
            return media_types[i].name;
        }
    }
    return NULL;
}

const char *atea_cmw_media_type_desc(atea_cmw_mt mt)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(media_types); i++) {
        if (media_types[i].mt == mt) {
            return media_types[i].desc;
        }
    }
    return "unknown media type";
}

uint32_t atea_cmw_media_type_ind(atea_cmw_mt mt)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(media_types); i++) {
        if (media_types[i].mt == mt) {
            return media_types[i].ind;
        }
    }
    return 0;
}

static int is_alpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* RFC 6838 §4.2 restricted-name-chars. */
static int is_restricted(uint8_t c)
{
    return is_alpha(c) || is_digit(c) || (c != 0 && strchr("!#$&-^_.+", c) != NULL);
}

/* RFC 2045 token: visible ASCII except tspecials. */
static int is_token(uint8_t c)
{
    return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

static int peek_is(const atea_rd *rd, uint8_t c)
{
    return atea_rd_left(rd) > 0 && *atea_rd_ptr(rd) == c;
}

static atea_err bad_type(size_t pos, const char *why)
{
    atea_err err = ATEA_OK;
    ATEA_FAIL(ATEA_ERR_CMW_TYPE, "media type: %s at position %zu (RFC 6838 §4.2)", why, pos);
out:
    return err;
}

/* restricted-name (1..127 chars, first ALPHA/DIGIT), written lower-cased. */
static atea_err restricted_name(atea_rd *rd, atea_wr *out)
{
    atea_err err = ATEA_OK;
    size_t n = 0;
    uint8_t c = 0;
    while (atea_rd_left(rd) > 0 && is_restricted(*atea_rd_ptr(rd))) {
        ATEA_TRY(atea_rd_u8(rd, &c));
        if (n == 0 && !is_alpha(c) && !is_digit(c)) {
            ATEA_TRY(bad_type(rd->off - 1, "a name must start with a letter or digit"));
        }
        ATEA_TRY(atea_wr_u8(out, lower(c)));
        n++;
    }
    if (n == 0 || n > 127) {
        ATEA_TRY(bad_type(rd->off, "a type or subtype name must have 1..127 characters"));
    }
out:
    return err;
}

/* token / quoted-string (RFC 2045 §5.1, RFC 9110 §5.6.4); quotes and escapes removed. */
static atea_err param_value(atea_rd *rd, atea_wr *out)
{
    atea_err err = ATEA_OK;
    uint8_t c = 0;
    if (!peek_is(rd, '"')) {
        size_t start = rd->off;
        while (atea_rd_left(rd) > 0 && is_token(*atea_rd_ptr(rd))) {
            ATEA_TRY(atea_rd_u8(rd, &c));
            ATEA_TRY(atea_wr_u8(out, c));
        }
        if (rd->off == start) {
            ATEA_TRY(bad_type(rd->off, "a parameter value is missing"));
        }
        goto out;
    }
    ATEA_TRY(atea_rd_u8(rd, &c));
    for (;;) {
        if (atea_rd_u8(rd, &c) != ATEA_OK) {
            ATEA_TRY(bad_type(rd->off, "a quoted parameter value is not closed"));
        }
        if (c == '"') {
            break;
        }
        if (c == '\\' && atea_rd_u8(rd, &c) != ATEA_OK) {
            ATEA_TRY(bad_type(rd->off, "a quoted parameter value ends in a backslash"));
        }
        if (c != '\t' && (c < 0x20 || c > 0x7e)) {
            ATEA_TRY(bad_type(rd->off - 1, "control or non-ASCII character in a quoted value"));
        }
        ATEA_TRY(atea_wr_u8(out, c));
    }
out:
    return err;
}

static void skip_spaces(atea_rd *rd)
{
    while (peek_is(rd, ' ') || peek_is(rd, '\t')) {
        rd->off++;
    }
}

/* type "/" subtype *( *SP ";" *SP name "=" value ), normalized into out as
 * "type/subtype;name=value..." (names lower-cased, values unquoted). */
static atea_err normalize(const char *s, size_t len, atea_wr *out)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    uint8_t c = 0;
    ATEA_ENSURE_MSG(len <= ATEA_CMW_MAX_TYPE_LEN, ATEA_ERR_CMW_TYPE,
                    "media type of %zu bytes exceeds %u", len, ATEA_CMW_MAX_TYPE_LEN);
    atea_rd_init(&rd, (const uint8_t *)s, len);
    ATEA_TRY(restricted_name(&rd, out));
    if (!peek_is(&rd, '/')) {
        ATEA_TRY(bad_type(rd.off, "expected '/' after the type"));
    }
    ATEA_TRY(atea_rd_u8(&rd, &c));
    ATEA_TRY(atea_wr_u8(out, '/'));
    ATEA_TRY(restricted_name(&rd, out));
    while (atea_rd_left(&rd) > 0) {
        skip_spaces(&rd);
        if (!peek_is(&rd, ';')) {
            ATEA_TRY(bad_type(rd.off, "expected ';' before a parameter"));
        }
        ATEA_TRY(atea_rd_u8(&rd, &c));
        ATEA_TRY(atea_wr_u8(out, ';'));
        skip_spaces(&rd);
        size_t start = rd.off;
        while (atea_rd_left(&rd) > 0 && is_token(*atea_rd_ptr(&rd))) {
            ATEA_TRY(atea_rd_u8(&rd, &c));
            ATEA_TRY(atea_wr_u8(out, lower(c)));
        }
        if (rd.off == start || !peek_is(&rd, '=')) {
            ATEA_TRY(bad_type(rd.off, "expected a parameter name and '='"));
        }
        ATEA_TRY(atea_rd_u8(&rd, &c));
        ATEA_TRY(atea_wr_u8(out, '='));
        ATEA_TRY(param_value(&rd, out));
    }
out:
    return err;
}

atea_err atea__cmw_check_media_type(const char *s, size_t len)
{
    atea_err err = ATEA_OK;
    uint8_t scratch[ATEA_CMW_MAX_TYPE_LEN];
    atea_wr wr;
    atea_wr_init_fixed(&wr, scratch, sizeof(scratch));
    ATEA_TRY(normalize(s, len, &wr));
out:
    return err;
}

atea_cmw_mt atea_cmw_media_type_lookup(const char *type, size_t len)
{
    uint8_t a[ATEA_CMW_MAX_TYPE_LEN];
    uint8_t b[ATEA_CMW_MAX_TYPE_LEN];
    atea_wr in;
    atea_wr_init_fixed(&in, a, sizeof(a));
    if (type == NULL || normalize(type, len, &in) != ATEA_OK) {
        return ATEA_CMW_MT_UNKNOWN;
    }
    for (size_t i = 0; i < ATEA_ARRAY_LEN(media_types); i++) {
        const char *names[2] = {media_types[i].name, media_types[i].alias};
        for (size_t k = 0; k < 2; k++) {
            atea_wr known;
            atea_wr_init_fixed(&known, b, sizeof(b));
            if (names[k] != NULL && normalize(names[k], strlen(names[k]), &known) == ATEA_OK &&
                atea_wr_len(&known) == atea_wr_len(&in) && memcmp(a, b, atea_wr_len(&in)) == 0) {
                return media_types[i].mt;
            }
        }
    }
    return ATEA_CMW_MT_UNKNOWN;
}

/* oid = text .regexp "([0-2])((\.0)|(\.[1-9][0-9]*))*" (RFC 9999 §3.3). */
static int is_oid(const char *s, size_t len)
{
    if (len == 0 || s[0] < '0' || s[0] > '2') {
        return 0;
    }
    size_t i = 1;
    while (i < len) {
        if (s[i] != '.' || i + 1 >= len || !is_digit((uint8_t)s[i + 1])) {
            return 0;
        }
        i++;
        if (s[i] == '0') {
            i++;
            if (i < len && s[i] != '.') {
                return 0; /* no leading zeros */
            }
            continue;
        }
        while (i < len && is_digit((uint8_t)s[i])) {
            i++;
        }
    }
    return 1;
}

static int is_hex(uint8_t c)
{
    return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

/* absolute-URI = scheme ":" hier-part [ "?" query ] (RFC 3986 §4.3): a scheme, then only URI
 * characters or %-escapes, and no fragment. */
static int is_absolute_uri(const char *s, size_t len)
{
    size_t i = 0;
    if (len == 0 || !is_alpha((uint8_t)s[0])) {
        return 0;
    }
    while (i < len && (is_alpha((uint8_t)s[i]) || is_digit((uint8_t)s[i]) || s[i] == '+' ||
                       s[i] == '-' || s[i] == '.')) {
        i++;
    }
    if (i == len || s[i] != ':') {
        return 0;
    }
    for (i++; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c == '%') {
            if (i + 2 >= len || !is_hex((uint8_t)s[i + 1]) || !is_hex((uint8_t)s[i + 2])) {
                return 0;
            }
            i += 2;
        } else if (!(is_alpha(c) || is_digit(c) ||
                     (c != 0 && strchr("-._~:/?[]@!$&'()*+,;=", c)))) {
            return 0;
        }
    }
    return 1;
}

atea_err atea__cmw_check_ctype(const char *s, size_t len)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(len <= ATEA_CMW_MAX_CTYPE_LEN, ATEA_ERR_CMW_CTYPE,
                    "__cmwc_t of %zu bytes exceeds %u", len, ATEA_CMW_MAX_CTYPE_LEN);
    ATEA_ENSURE_MSG(is_oid(s, len) || is_absolute_uri(s, len), ATEA_ERR_CMW_CTYPE,
                    "__cmwc_t \"%.*s\" is neither an absolute URI nor a dotted-decimal OID",
                    (int)(len > 80 ? 80 : len), s);
out:
    return err;
}

atea_err atea_cmw_tn(uint16_t content_format, uint64_t *tag)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(content_format <= ATEA_CMW_CF_MAX, ATEA_ERR_CMW_TAG,
                    "Content-Format %u has no TN() tag (at most %u)", (unsigned)content_format,
                    ATEA_CMW_CF_MAX);
    *tag = ATEA_CMW_TN_MIN + (uint64_t)(content_format / 255) * 256 + content_format % 255;
out:
    return err;
}

atea_err atea_cmw_tn_inverse(uint64_t tag, uint16_t *content_format)
{
    atea_err err = ATEA_OK;
    ATEA_ENSURE_MSG(tag >= ATEA_CMW_TN_MIN && tag <= ATEA_CMW_TN_MAX, ATEA_ERR_CMW_TAG,
                    "tag %llu is outside the TN() range %llu..%llu", (unsigned long long)tag,
                    ATEA_CMW_TN_MIN, ATEA_CMW_TN_MAX);
    uint64_t d = tag - ATEA_CMW_TN_MIN;
    /* TN() never yields a low byte of 0xff relative to the base (cf % 255 <= 254). */
    ATEA_ENSURE_MSG(d % 256 != 255, ATEA_ERR_CMW_TAG,
                    "tag %llu is in the TN() range but no Content-Format maps to it",
                    (unsigned long long)tag);
    *content_format = (uint16_t)(d - d / 256);
out:
    return err;
}

atea_err atea_cmw_cf_to_tag(uint16_t content_format, uint64_t *tag)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tag_overrides); i++) {
        if (tag_overrides[i].cf == content_format) {
            *tag = tag_overrides[i].tag;
            return ATEA_OK;
        }
    }
    return atea_cmw_tn(content_format, tag);
}

atea_err atea_cmw_tag_to_cf(uint64_t tag, uint16_t *content_format)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(tag_overrides); i++) {
        if (tag_overrides[i].tag == tag) {
            *content_format = tag_overrides[i].cf;
            return ATEA_OK;
        }
    }
    return atea_cmw_tn_inverse(tag, content_format);
}
