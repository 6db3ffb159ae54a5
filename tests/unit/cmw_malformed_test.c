/* Malformed CMWs, each rejected with its exact code: record shape, types, ind, tags, collections,
 * labels, trailing bytes, JSON syntax, duplicate keys, base64url, and every cap at cap and cap+1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atea/cmw.h"
#include "atea_test.h"

#define REC "8219fde7442347da55" /* [64999, h'2347da55'] */

static void expect_cbor(const char *hex, atea_err code)
{
    atea_buf b = atea_test_hex(hex);
    atea_cmw *cmw = NULL;
    atea_err e = atea_cmw_decode(b.data, b.len, NULL, &cmw);
    if (e != code) {
        fail_msg("%s: expected %s, got %s (%s)", hex, atea_err_name(code), atea_err_name(e),
                 atea_err_detail(e));
    }
    assert_true(code == ATEA_OK ? cmw != NULL : cmw == NULL);
    atea_cmw_free(cmw);
    atea_buf_free(&b);
}

static void expect_json_lim(const char *text, const atea_cmw_limits *lim, atea_err code)
{
    atea_cmw *cmw = NULL;
    atea_err e = atea_cmw_decode((const uint8_t *)text, strlen(text), lim, &cmw);
    if (e != code) {
        fail_msg("%.200s: expected %s, got %s (%s)", text, atea_err_name(code), atea_err_name(e),
                 atea_err_detail(e));
    }
    atea_cmw_free(cmw);
}

static void expect_json(const char *text, atea_err code)
{
    expect_json_lim(text, NULL, code);
}

static void test_cbor_record_shape_and_types(void **state)
{
    (void)state;
    expect_cbor(REC, ATEA_OK);
    expect_cbor("8119fde7", ATEA_ERR_CMW_FORMAT);                   /* 0x81: no CMW start */
    expect_cbor("a1008119fde7", ATEA_ERR_CMW_RECORD);               /* 1 element */
    expect_cbor("8419fde7442347da550400", ATEA_ERR_CMW_FORMAT);     /* 0x84: no CMW start */
    expect_cbor("80", ATEA_ERR_CMW_FORMAT);                         /* 0x80 is no CMW start */
    expect_cbor("a1008419fde7442347da550400", ATEA_ERR_CMW_RECORD); /* 4 inside a collection */
    expect_cbor("a10080", ATEA_ERR_CMW_RECORD);                     /* empty record */
    expect_cbor("9fff", ATEA_ERR_CMW_RECORD);
    expect_cbor("9f19fde7ff", ATEA_ERR_CMW_RECORD);
    expect_cbor("9f19fde7442347da550401ff", ATEA_ERR_CMW_RECORD); /* more than 3 */
    expect_cbor("82f5442347da55", ATEA_ERR_CMW_TYPE);             /* type is true */
    expect_cbor("821a00010000442347da55", ATEA_ERR_CMW_TYPE);     /* C-F over 16 bits */
    expect_cbor("8220442347da55", ATEA_ERR_CMW_TYPE);             /* negative */
    expect_cbor("82646a756e6b442347da55", ATEA_ERR_CMW_TYPE);     /* "junk": no subtype */
    expect_cbor("8219fde7642347da55", ATEA_ERR_CMW_VALUE);        /* text value */
    expect_cbor("8219fde75f41234247daff", ATEA_ERR_CBOR_TYPE);    /* indefinite bytes */
    expect_cbor("8219fde7", ATEA_ERR_TRUNCATED);
    /* ind: 1..31 only (RFC 9999 §3.1: non-zero; only five bits registered) */
    expect_cbor("8319fde7442347da5501", ATEA_OK);
    expect_cbor("8319fde7442347da55181f", ATEA_OK);
    expect_cbor("8319fde7442347da5500", ATEA_ERR_CMW_IND);
    expect_cbor("8319fde7442347da551820", ATEA_ERR_CMW_IND);
    expect_cbor("8319fde7442347da551affffffff", ATEA_ERR_CMW_IND);
    expect_cbor("8319fde7442347da5520", ATEA_ERR_CMW_IND);
    expect_cbor("8319fde7442347da55f5", ATEA_ERR_CMW_IND);
    /* trailing bytes, truncation, CBOR-level damage */
    expect_cbor(REC "00", ATEA_ERR_TRAILING);
    expect_cbor("8219fde7442347da", ATEA_ERR_TRUNCATED);
    expect_cbor("8219fde7642347da55", ATEA_ERR_CMW_VALUE);
    expect_cbor("82626162442347da55", ATEA_ERR_CMW_TYPE);
    expect_cbor("8262c328442347da55", ATEA_ERR_CBOR_UTF8);
    expect_cbor("821c00442347da55", ATEA_ERR_CBOR_MALFORMED);
}

static void test_cbor_truncated_everywhere(void **state)
{
    (void)state;
    static const char hex[] =
        "a4685f5f636d77635f7478277461673a6578616d706c652e636f6d2c323032343a636f6d706f736974652d61"
        "7474657374657200 8319fde7442347da550401da6374ffe6442347da550283736170706c69636174696f6e"
        "2f6561742b6a7774432e2e2e08";
    atea_buf b = atea_test_hex(hex);
    for (size_t cut = 1; cut < b.len; cut++) {
        atea_cmw *cmw = NULL;
        atea_err e = atea_cmw_decode(b.data, cut, NULL, &cmw);
        if (e != ATEA_ERR_TRUNCATED) {
            fail_msg("cut at %zu: %s", cut, atea_err_name(e));
        }
    }
    atea_buf_free(&b);
}

static void test_cbor_tags(void **state)
{
    (void)state;
    expect_cbor("da6374ffe6442347da55", ATEA_OK);
    expect_cbor("da63740101 41aa", ATEA_OK);            /* TN(0), the first tag of the range */
    expect_cbor("da6374feff 41aa", ATEA_OK);            /* TN(65024), the last */
    expect_cbor("da6374ff00 41aa", ATEA_ERR_CMW_TAG);   /* one past the range */
    expect_cbor("da63740100 41aa", ATEA_ERR_CMW_TAG);   /* one before */
    expect_cbor("da63740200 41aa", ATEA_ERR_CMW_TAG);   /* in range, but TN() never yields it */
    expect_cbor("da6374ffe6 19fde7", ATEA_ERR_CMW_TAG); /* wraps no byte string */
    expect_cbor("da6374ffe6 6161", ATEA_ERR_CMW_TAG);
    expect_cbor("d9038b41aa", ATEA_ERR_CMW_FORMAT);  /* not 0xda: no tag CMW at the top */
    expect_cbor("a100d9038b41aa", ATEA_ERR_CMW_TAG); /* tag 907 inside a collection */
    expect_cbor("a100c041aa", ATEA_ERR_CMW_TAG);
}

static void test_cbor_collections(void **state)
{
    (void)state;
    expect_cbor("a0", ATEA_ERR_CMW_COLLECTION);
    expect_cbor("bfff", ATEA_ERR_CMW_COLLECTION);
    expect_cbor("a1685f5f636d77635f746474616723", ATEA_ERR_CMW_CTYPE);        /* "tag#" */
    expect_cbor("a1685f5f636d77635f74657461673a78", ATEA_ERR_CMW_COLLECTION); /* type only */
    expect_cbor("a2685f5f636d77635f7401 00" REC, ATEA_ERR_CMW_CTYPE);         /* type is a number */
    expect_cbor("a3 685f5f636d77635f74 6131 685f5f636d77635f74 6132 00" REC,
                ATEA_ERR_CMW_DUPLICATE);
    expect_cbor("a2 00" REC "00" REC, ATEA_ERR_CMW_DUPLICATE);
    expect_cbor("a2 6161" REC "6161" REC, ATEA_ERR_CMW_DUPLICATE);
    expect_cbor("a2 00" REC "6130" REC, ATEA_OK);     /* 0 and "0" are different labels */
    expect_cbor("a1 41aa" REC, ATEA_ERR_CMW_LABEL);   /* byte-string label */
    expect_cbor("a1 f5" REC, ATEA_ERR_CMW_LABEL);     /* boolean label */
    expect_cbor("a1 626100" REC, ATEA_ERR_CMW_LABEL); /* NUL in a label */
    expect_cbor("a1 3bffffffffffffffff" REC, ATEA_ERR_CMW_LABEL); /* beyond int64 */
    expect_cbor("a1 3b7fffffffffffffff" REC, ATEA_OK);            /* INT64_MIN */
    expect_cbor("a1 0001", ATEA_ERR_CMW_FORMAT);                  /* entry is no CMW */
    expect_cbor("a1 00a0", ATEA_ERR_CMW_COLLECTION);              /* empty nested collection */
    expect_cbor("bf 00" REC, ATEA_ERR_TRUNCATED);                 /* no break */
    expect_cbor("a2 00" REC, ATEA_ERR_TRUNCATED);

    /* a label of ATEA_CMW_MAX_LABEL_LEN bytes is fine, one more is not */
    char hex[2 * (ATEA_CMW_MAX_LABEL_LEN + 1) + 64];
    for (size_t len = ATEA_CMW_MAX_LABEL_LEN; len <= ATEA_CMW_MAX_LABEL_LEN + 1; len++) {
        int n = snprintf(hex, sizeof(hex), "a1 79%04zx", len);
        for (size_t i = 0; i < len; i++) {
            n += snprintf(hex + n, sizeof(hex) - (size_t)n, "61");
        }
        snprintf(hex + n, sizeof(hex) - (size_t)n, "%s", REC);
        expect_cbor(hex, len == ATEA_CMW_MAX_LABEL_LEN ? ATEA_OK : ATEA_ERR_CMW_LABEL);
    }
}

/* `levels` collections, each {0: ...}, around a record. */
static char *nested_cbor(unsigned levels)
{
    char *hex = malloc(levels * 4 + sizeof(REC));
    assert_non_null(hex);
    hex[0] = '\0';
    for (unsigned i = 0; i < levels; i++) {
        strcat(hex, "a100");
    }
    strcat(hex, REC);
    return hex;
}

static void test_depth_cap(void **state)
{
    (void)state;
    char *at = nested_cbor(ATEA_CMW_MAX_DEPTH);
    char *over = nested_cbor(ATEA_CMW_MAX_DEPTH + 1);
    expect_cbor(at, ATEA_OK);
    expect_cbor(over, ATEA_ERR_CMW_DEPTH);
    free(at);
    free(over);

    /* JSON: the pre-scan stops deep nesting before jansson sees it */
    char json[512] = "";
    for (unsigned levels = ATEA_CMW_MAX_DEPTH; levels <= ATEA_CMW_MAX_DEPTH + 1; levels++) {
        json[0] = '\0';
        for (unsigned i = 0; i < levels; i++) {
            strcat(json, "{\"a\":");
        }
        strcat(json, "[\"application/vnd.a\",\"YQ\"]");
        for (unsigned i = 0; i < levels; i++) {
            strcat(json, "}");
        }
        expect_json(json, levels == ATEA_CMW_MAX_DEPTH ? ATEA_OK : ATEA_ERR_CMW_DEPTH);
    }
    size_t deep_len = 100000;
    char *deep = malloc(deep_len + 1);
    assert_non_null(deep);
    memset(deep, '[', deep_len);
    deep[deep_len] = '\0';
    expect_json(deep, ATEA_ERR_CMW_DEPTH);
    free(deep);
    expect_json("[[\"application/vnd.a\",\"YQ\"],\"YQ\"]", ATEA_ERR_CMW_TYPE);

    /* the pre-scan ignores brackets, commas and escaped quotes inside strings */
    expect_json("{\"a,[{\":[\"a/b\",\"YQ\"],\"b\\\"[,\\\\\":[\"a/b\",\"Yg\"]}", ATEA_OK);

    /* a caller's tighter limit */
    atea_cmw_limits lim;
    atea_cmw_limits_default(&lim);
    lim.max_depth = 1;
    expect_json_lim("{\"a\":[\"application/vnd.a\",\"YQ\"]}", &lim, ATEA_OK);
    expect_json_lim("{\"a\":{\"b\":[\"application/vnd.a\",\"YQ\"]}}", &lim, ATEA_ERR_CMW_DEPTH);

    /* and the hard limit on what a caller may ask for */
    lim.max_depth = ATEA_CMW_DEPTH_LIMIT;
    expect_json_lim("{\"a\":[\"application/vnd.a\",\"YQ\"]}", &lim, ATEA_OK);
    lim.max_depth = ATEA_CMW_DEPTH_LIMIT + 1;
    expect_json_lim("{\"a\":[\"application/vnd.a\",\"YQ\"]}", &lim, ATEA_ERR_INVALID_ARG);
}

static void test_entry_and_node_caps(void **state)
{
    (void)state;
    char hex[4096];
    for (size_t n = ATEA_CMW_MAX_ENTRIES; n <= ATEA_CMW_MAX_ENTRIES + 1; n++) {
        for (int indefinite = 0; indefinite <= 1; indefinite++) {
            int off = snprintf(hex, sizeof(hex), indefinite ? "bf" : "b8%02zx", n);
            for (size_t i = 0; i < n; i++) {
                off += snprintf(hex + off, sizeof(hex) - (size_t)off, "18%02zx%s", 24 + i, REC);
            }
            if (indefinite) {
                snprintf(hex + off, sizeof(hex) - (size_t)off, "ff");
            }
            expect_cbor(hex, n == ATEA_CMW_MAX_ENTRIES ? ATEA_OK : ATEA_ERR_CMW_ENTRIES);
        }
    }
    /* __cmwc_t does not count as an entry */
    int off = snprintf(hex, sizeof(hex), "b8%02x 685f5f636d77635f74 657461673a78",
                       ATEA_CMW_MAX_ENTRIES + 1);
    for (size_t i = 0; i < ATEA_CMW_MAX_ENTRIES; i++) {
        off += snprintf(hex + off, sizeof(hex) - (size_t)off, "18%02zx%s", 24 + i, REC);
    }
    expect_cbor(hex, ATEA_OK);

    char json[4096];
    for (size_t n = ATEA_CMW_MAX_ENTRIES; n <= ATEA_CMW_MAX_ENTRIES + 1; n++) {
        int j = snprintf(json, sizeof(json), "{");
        for (size_t i = 0; i < n; i++) {
            j += snprintf(json + j, sizeof(json) - (size_t)j, "%s\"e%zu\":[\"a/b\",\"YQ\"]",
                          i > 0 ? "," : "", i);
        }
        snprintf(json + j, sizeof(json) - (size_t)j, "}");
        expect_json(json, n == ATEA_CMW_MAX_ENTRIES ? ATEA_OK : ATEA_ERR_CMW_ENTRIES);
    }

    /* long objects and arrays are refused by the pre-scan, before jansson allocates them */
    size_t many = 20000;
    char *wide = malloc(many * 16 + 64);
    assert_non_null(wide);
    int w = sprintf(wide, "{");
    for (size_t i = 0; i < many; i++) {
        w += sprintf(wide + w, "%s\"%zu\":1", i > 0 ? "," : "", i);
    }
    sprintf(wide + w, "}");
    expect_json(wide, ATEA_ERR_CMW_ENTRIES);
    w = sprintf(wide, "[\"a/b\"");
    for (size_t i = 0; i < many; i++) {
        w += sprintf(wide + w, ",1");
    }
    sprintf(wide + w, "]");
    expect_json(wide, ATEA_ERR_CMW_RECORD);
    free(wide);

    /* node cap: a collection and two records = 3 nodes */
    atea_cmw_limits lim;
    atea_cmw_limits_default(&lim);
    lim.max_nodes = 3;
    expect_json_lim("{\"a\":[\"a/b\",\"YQ\"],\"b\":[\"a/b\",\"YQ\"]}", &lim, ATEA_OK);
    expect_json_lim("{\"a\":[\"a/b\",\"YQ\"],\"b\":[\"a/b\",\"YQ\"],\"c\":[\"a/b\",\"YQ\"]}", &lim,
                    ATEA_ERR_CMW_ENTRIES);
    atea_buf b = atea_test_hex("a3 00" REC "01" REC "02" REC);
    atea_cmw *cmw = NULL;
    EXPECT_ERR(atea_cmw_decode(b.data, b.len, &lim, &cmw), ATEA_ERR_CMW_ENTRIES);
    lim.max_nodes = 4;
    EXPECT_OK(atea_cmw_decode(b.data, b.len, &lim, &cmw));
    atea_cmw_free(cmw);
    atea_buf_free(&b);
}

static void test_input_size_cap(void **state)
{
    (void)state;
    atea_buf rec = atea_test_hex(REC);
    atea_cmw_limits lim;
    atea_cmw *cmw = NULL;
    atea_cmw_limits_default(&lim);
    lim.max_input = rec.len;
    EXPECT_OK(atea_cmw_decode(rec.data, rec.len, &lim, &cmw));
    atea_cmw_free(cmw);
    lim.max_input = rec.len - 1;
    EXPECT_ERR(atea_cmw_decode(rec.data, rec.len, &lim, &cmw), ATEA_ERR_TOO_LARGE);
    EXPECT_ERR(atea_cmw_decode_cbor(rec.data, rec.len, &lim, &cmw), ATEA_ERR_TOO_LARGE);
    atea_buf_free(&rec);

    /* default cap: a record whose value makes the input one byte too large */
    size_t len = ATEA_CMW_MAX_INPUT + 1;
    uint8_t *big = calloc(1, len);
    assert_non_null(big);
    memcpy(big, "\x82\x19\xfd\xe7\x5a", 5);
    size_t vlen = len - 9;
    big[5] = (uint8_t)(vlen >> 24);
    big[6] = (uint8_t)(vlen >> 16);
    big[7] = (uint8_t)(vlen >> 8);
    big[8] = (uint8_t)vlen;
    EXPECT_ERR(atea_cmw_decode(big, len, NULL, &cmw), ATEA_ERR_TOO_LARGE);
    EXPECT_ERR(atea_cmw_decode_json(big, len, NULL, &cmw), ATEA_ERR_TOO_LARGE);
    vlen--;
    big[8] = (uint8_t)vlen;
    EXPECT_OK(atea_cmw_decode(big, len - 1, NULL, &cmw));
    assert_int_equal(cmw->value.len, vlen);
    atea_cmw_free(cmw);
    free(big);
}

static void test_demux(void **state)
{
    (void)state;
    static const struct {
        uint8_t first;
        atea_cmw_form form;
    } cases[] = {
        {0x82, ATEA_CMW_FORM_CBOR_RECORD},     {0x83, ATEA_CMW_FORM_CBOR_RECORD},
        {0x9f, ATEA_CMW_FORM_CBOR_RECORD},     {0xda, ATEA_CMW_FORM_CBOR_TAG},
        {0x5b, ATEA_CMW_FORM_JSON_RECORD},     {0x7b, ATEA_CMW_FORM_JSON_COLLECTION},
        {0xa0, ATEA_CMW_FORM_CBOR_COLLECTION}, {0xbb, ATEA_CMW_FORM_CBOR_COLLECTION},
        {0xbf, ATEA_CMW_FORM_CBOR_COLLECTION}, {0x81, ATEA_CMW_FORM_UNKNOWN},
        {0x84, ATEA_CMW_FORM_UNKNOWN},         {0xbc, ATEA_CMW_FORM_UNKNOWN},
        {0xd9, ATEA_CMW_FORM_UNKNOWN},         {0xdb, ATEA_CMW_FORM_UNKNOWN},
        {0x00, ATEA_CMW_FORM_UNKNOWN},         {0x20, ATEA_CMW_FORM_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(atea_cmw_demux(&cases[i].first, 1), cases[i].form);
    }
    assert_int_equal(atea_cmw_demux(NULL, 0), ATEA_CMW_FORM_UNKNOWN);
    assert_int_equal(atea_cmw_demux((const uint8_t *)"\n\t {", 4), ATEA_CMW_FORM_JSON_COLLECTION);
    assert_int_equal(atea_cmw_demux((const uint8_t *)" \x82", 2), ATEA_CMW_FORM_UNKNOWN);
    atea_cmw *cmw = NULL;
    EXPECT_ERR(atea_cmw_decode(NULL, 0, NULL, &cmw), ATEA_ERR_CMW_FORMAT);
    EXPECT_ERR(atea_cmw_decode((const uint8_t *)"   ", 3, NULL, &cmw), ATEA_ERR_CMW_FORMAT);
    EXPECT_ERR(atea_cmw_decode(NULL, 0, NULL, NULL), ATEA_ERR_INVALID_ARG);
}

static void test_json_malformed(void **state)
{
    (void)state;
    expect_json("[\"application/vnd.a\",\"YQ\"]", ATEA_OK);
    expect_json("[\"application/vnd.a\",\"YQ\"] \n", ATEA_OK);
    expect_json("[\"application/vnd.a\",\"YQ\"] x", ATEA_ERR_CMW_JSON); /* trailing garbage */
    expect_json("[\"application/vnd.a\",\"YQ\"][]", ATEA_ERR_CMW_JSON);
    expect_json("{\"a\":", ATEA_ERR_CMW_JSON);
    expect_json("[\"application/vnd.\xff\",\"YQ\"]", ATEA_ERR_CMW_JSON); /* not UTF-8 */
    expect_json("[\"application/vnd.a\\u0000\",\"YQ\"]", ATEA_ERR_CMW_JSON);
    expect_json("[\"application/vnd.a\",\"YQ\",99999999999999999999999]", ATEA_ERR_CMW_JSON);
    /* duplicate keys, at the top and nested */
    expect_json("{\"a\":[\"a/b\",\"YQ\"],\"a\":[\"a/b\",\"Yg\"]}", ATEA_ERR_CMW_DUPLICATE);
    expect_json("{\"__cmwc_t\":\"tag:x\",\"__cmwc_t\":\"tag:y\",\"a\":[\"a/b\",\"YQ\"]}",
                ATEA_ERR_CMW_DUPLICATE);
    expect_json("{\"x\":{\"a\":[\"a/b\",\"YQ\"],\"a\":[\"a/b\",\"YQ\"]}}", ATEA_ERR_CMW_DUPLICATE);
    /* record shape and fields */
    expect_json("[\"application/vnd.a\"]", ATEA_ERR_CMW_RECORD);
    expect_json("[\"application/vnd.a\",\"YQ\",4,4]", ATEA_ERR_CMW_RECORD);
    expect_json("[]", ATEA_ERR_CMW_RECORD);
    expect_json("[64999,\"I0faVQ\"]", ATEA_ERR_CMW_TYPE); /* Content-Formats are CBOR-only */
    expect_json("[\"not a type\",\"I0faVQ\"]", ATEA_ERR_CMW_TYPE);
    expect_json("[\"application/vnd.a\",5]", ATEA_ERR_CMW_VALUE);
    expect_json("[\"application/vnd.a\",null]", ATEA_ERR_CMW_VALUE);
    expect_json("[\"application/vnd.a\",\"YQ\",0]", ATEA_ERR_CMW_IND);
    expect_json("[\"application/vnd.a\",\"YQ\",32]", ATEA_ERR_CMW_IND);
    expect_json("[\"application/vnd.a\",\"YQ\",-1]", ATEA_ERR_CMW_IND);
    expect_json("[\"application/vnd.a\",\"YQ\",4.0]", ATEA_ERR_CMW_IND);
    expect_json("[\"application/vnd.a\",\"YQ\",\"4\"]", ATEA_ERR_CMW_IND);
    expect_json("[\"application/vnd.a\",\"YQ\",31]", ATEA_OK);
    /* base64url: strict, unpadded, canonical */
    expect_json("[\"a/b\",\"I0faVQ==\"]", ATEA_ERR_CMW_BASE64URL);
    expect_json("[\"a/b\",\"I0fa+Q\"]", ATEA_ERR_CMW_BASE64URL);
    expect_json("[\"a/b\",\"I0fa/Q\"]", ATEA_ERR_CMW_BASE64URL);
    expect_json("[\"a/b\",\"I0faVR\"]", ATEA_ERR_CMW_BASE64URL);
    expect_json("[\"a/b\",\"I0faV\"]", ATEA_ERR_CMW_BASE64URL);
    expect_json("[\"a/b\",\"I0f aVQ\"]", ATEA_ERR_CMW_BASE64URL);
    expect_json("[\"a/b\",\"\"]", ATEA_ERR_CMW_BASE64URL);
    expect_json("[\"a/b\",\"-_8\"]", ATEA_OK);
    /* collections */
    expect_json("{}", ATEA_ERR_CMW_COLLECTION);
    expect_json("{\"__cmwc_t\":\"tag:x\"}", ATEA_ERR_CMW_COLLECTION);
    expect_json("{\"__cmwc_t\":5,\"a\":[\"a/b\",\"YQ\"]}", ATEA_ERR_CMW_CTYPE);
    expect_json("{\"__cmwc_t\":\"no scheme\",\"a\":[\"a/b\",\"YQ\"]}", ATEA_ERR_CMW_CTYPE);
    expect_json("{\"__cmwc_t\":\"1.2.840\",\"a\":[\"a/b\",\"YQ\"]}", ATEA_OK);
    expect_json("{\"a\":5}", ATEA_ERR_CMW_FORMAT);
    expect_json("{\"a\":\"YQ\"}", ATEA_ERR_CMW_FORMAT);
    atea_cmw *cmw = NULL;
    EXPECT_ERR(atea_cmw_decode_json((const uint8_t *)"5", 1, NULL, &cmw), ATEA_ERR_CMW_JSON);
    EXPECT_ERR(atea_cmw_decode_json((const uint8_t *)"", 0, NULL, &cmw), ATEA_ERR_CMW_JSON);
    /* the detail names the place */
    expect_json("{\"x\":[\"a/b\",\"YQ\",0]}", ATEA_ERR_CMW_IND);
    assert_non_null(strstr(atea_err_last()->detail, "$.\"x\""));
}

static void test_builder_and_encoder_errors(void **state)
{
    (void)state;
    atea_cmw *cmw = NULL;
    atea_cmw *child = NULL;
    atea_buf out = {0};
    EXPECT_ERR(atea_cmw_new_record("nope", (const uint8_t *)"a", 1, 0, &cmw), ATEA_ERR_CMW_TYPE);
    EXPECT_ERR(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 32, &cmw), ATEA_ERR_CMW_IND);
    EXPECT_ERR(atea_cmw_new_record(NULL, (const uint8_t *)"a", 1, 0, &cmw), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_cmw_new_record("a/b", NULL, 1, 0, &cmw), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_cmw_new_tag(65025, (const uint8_t *)"a", 1, &cmw), ATEA_ERR_CMW_TAG);
    EXPECT_ERR(atea_cmw_new_collection("not a uri", &cmw), ATEA_ERR_CMW_CTYPE);

    EXPECT_OK(atea_cmw_new_collection(NULL, &cmw));
    EXPECT_ERR(atea_cmw_encode_cbor(cmw, &out), ATEA_ERR_CMW_COLLECTION);
    EXPECT_ERR(atea_cmw_encode_json(cmw, &out), ATEA_ERR_CMW_COLLECTION);
    for (size_t i = 0; i <= ATEA_CMW_MAX_ENTRIES; i++) {
        EXPECT_OK(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 0, &child));
        char label[16];
        snprintf(label, sizeof(label), "e%zu", i);
        if (i < ATEA_CMW_MAX_ENTRIES) {
            EXPECT_OK(atea_cmw_add(cmw, label, child));
        } else {
            EXPECT_ERR(atea_cmw_add(cmw, label, child), ATEA_ERR_CMW_ENTRIES); /* child freed */
        }
    }
    atea_cmw_free(cmw);

    EXPECT_OK(atea_cmw_new_collection(NULL, &cmw));
    EXPECT_OK(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 0, &child));
    EXPECT_OK(atea_cmw_add(cmw, "x", child));
    EXPECT_OK(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 0, &child));
    EXPECT_ERR(atea_cmw_add(cmw, "x", child), ATEA_ERR_CMW_DUPLICATE);
    EXPECT_OK(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 0, &child));
    EXPECT_ERR(atea_cmw_add(cmw, "__cmwc_t", child), ATEA_ERR_CMW_LABEL);
    EXPECT_OK(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 0, &child));
    EXPECT_ERR(atea_cmw_add(cmw, NULL, child), ATEA_ERR_INVALID_ARG);
    EXPECT_OK(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 0, &child));
    EXPECT_ERR(atea_cmw_add(child, "y", child), ATEA_ERR_INVALID_ARG); /* not a collection */
    EXPECT_OK(atea_cmw_new_record("a/b", NULL, 0, 0, &child));         /* empty value: CBOR only */
    EXPECT_OK(atea_cmw_add_int(cmw, 7, child));
    EXPECT_OK(atea_cmw_encode_cbor(cmw, &out));
    atea_test_assert_hex(out.data, out.len, "a2 6178 8263612f624161 07 8263612f6240");
    atea_buf_free(&out);
    EXPECT_ERR(atea_cmw_encode_json(cmw, &out), ATEA_ERR_CMW_NOT_JSON); /* integer label */
    atea_cmw_free(cmw);
    EXPECT_OK(atea_cmw_new_record("a/b", NULL, 0, 0, &cmw));
    EXPECT_ERR(atea_cmw_encode_json(cmw, &out), ATEA_ERR_CMW_BASE64URL);
    atea_cmw_free(cmw);

    /* encode refuses trees deeper than the decoder would accept */
    for (unsigned levels = ATEA_CMW_MAX_DEPTH; levels <= ATEA_CMW_MAX_DEPTH + 1; levels++) {
        EXPECT_OK(atea_cmw_new_record("a/b", (const uint8_t *)"a", 1, 0, &cmw));
        for (unsigned i = 0; i < levels; i++) {
            atea_cmw *outer = NULL;
            EXPECT_OK(atea_cmw_new_collection(NULL, &outer));
            EXPECT_OK(atea_cmw_add(outer, "n", cmw));
            cmw = outer;
        }
        if (levels == ATEA_CMW_MAX_DEPTH) {
            EXPECT_OK(atea_cmw_encode_json(cmw, &out));
            atea_buf_free(&out);
        } else {
            EXPECT_ERR(atea_cmw_encode_cbor(cmw, &out), ATEA_ERR_CMW_DEPTH);
            EXPECT_ERR(atea_cmw_encode_json(cmw, &out), ATEA_ERR_CMW_DEPTH);
        }
        atea_cmw_free(cmw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cbor_record_shape_and_types),
        cmocka_unit_test(test_cbor_truncated_everywhere),
        cmocka_unit_test(test_cbor_tags),
        cmocka_unit_test(test_cbor_collections),
        cmocka_unit_test(test_depth_cap),
        cmocka_unit_test(test_entry_and_node_caps),
        cmocka_unit_test(test_input_size_cap),
        cmocka_unit_test(test_demux),
        cmocka_unit_test(test_json_malformed),
        cmocka_unit_test(test_builder_and_encoder_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
