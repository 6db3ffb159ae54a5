/* TN() and the RFC 9999 tag table, atea's media type table and lookup, media type and __cmwc_t
 * syntax, strict base64url, and the inspection dump. */
#include <stdlib.h>
#include <string.h>

#include "atea/cmw.h"
#include "atea_test.h"
#include "cmw/cmw_internal.h"

static void test_tn_arithmetic(void **state)
{
    (void)state;
    uint64_t tag = 0;
    uint16_t cf = 0;
    EXPECT_OK(atea_cmw_tn(64999, &tag));
    assert_int_equal(tag, 1668612070); /* RFC 9999 §5.3 */
    EXPECT_OK(atea_cmw_tn(0, &tag));
    assert_int_equal(tag, ATEA_CMW_TN_MIN);
    EXPECT_OK(atea_cmw_tn(ATEA_CMW_CF_MAX, &tag));
    assert_int_equal(tag, ATEA_CMW_TN_MAX);
    EXPECT_ERR(atea_cmw_tn(ATEA_CMW_CF_MAX + 1, &tag), ATEA_ERR_CMW_TAG);
    /* veraison's testdata tag is base + 30001, a valid TN() value for Content-Format 29884 */
    EXPECT_OK(atea_cmw_tn_inverse(1668576818, &cf));
    assert_int_equal(cf, 29884);
    /* every Content-Format round-trips, and the inverse refuses what TN() never yields */
    for (uint32_t c = 0; c <= ATEA_CMW_CF_MAX; c++) {
        EXPECT_OK(atea_cmw_tn((uint16_t)c, &tag));
        EXPECT_OK(atea_cmw_tn_inverse(tag, &cf));
        assert_int_equal(cf, c);
    }
    EXPECT_ERR(atea_cmw_tn_inverse(ATEA_CMW_TN_MIN - 1, &cf), ATEA_ERR_CMW_TAG);
    EXPECT_ERR(atea_cmw_tn_inverse(ATEA_CMW_TN_MAX + 1, &cf), ATEA_ERR_CMW_TAG);
    EXPECT_ERR(atea_cmw_tn_inverse(0x63740200u, &cf), ATEA_ERR_CMW_TAG);
    EXPECT_ERR(atea_cmw_tn_inverse(907, &cf), ATEA_ERR_CMW_TAG);
}

/* RFC 9999 Table 4 as written (docs/CMW.md: the two middle tags differ from TN()). */
static void test_rfc9999_tag_table(void **state)
{
    (void)state;
    static const struct {
        uint16_t cf;
        uint64_t tag;
    } table[] = {
        {ATEA_CMW_CF_CMW_CBOR, 1668547091},
        {ATEA_CMW_CF_CMW_COSE, 1668547092},
        {ATEA_CMW_CF_CMW_JSON, 1668547093},
        {ATEA_CMW_CF_CMW_JWS, 1668547094},
        {64999, 1668612070},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        uint64_t tag = 0;
        uint16_t cf = 0;
        EXPECT_OK(atea_cmw_cf_to_tag(table[i].cf, &tag));
        assert_int_equal(tag, table[i].tag);
        EXPECT_OK(atea_cmw_tag_to_cf(table[i].tag, &cf));
        assert_int_equal(cf, table[i].cf);
    }
    uint64_t tn = 0;
    EXPECT_OK(atea_cmw_tn(ATEA_CMW_CF_CMW_JSON, &tn));
    assert_int_equal(tn, 1668547092); /* the arithmetic, for contrast */

    /* a tag node built for cmw+cose carries 1668547092 and decodes back to 275 */
    atea_cmw *cmw = NULL;
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_new_tag(ATEA_CMW_CF_CMW_COSE, (const uint8_t *)"\x84", 1, &cmw));
    EXPECT_OK(atea_cmw_encode_cbor(cmw, &out));
    atea_test_assert_hex(out.data, out.len, "da63740214 4184");
    atea_cmw_free(cmw);
    EXPECT_OK(atea_cmw_decode(out.data, out.len, NULL, &cmw));
    assert_int_equal(cmw->content_format, ATEA_CMW_CF_CMW_COSE);
    atea_cmw_free(cmw);
    atea_buf_free(&out);
}

static void test_media_type_table(void **state)
{
    (void)state;
    for (int mt = ATEA_CMW_MT_TDX_QUOTE; mt <= ATEA_CMW_MT_CMW_JSON; mt++) {
        const char *name = atea_cmw_media_type_name((atea_cmw_mt)mt);
        assert_non_null(name);
        assert_int_equal(atea_cmw_media_type_lookup(name, strlen(name)), mt);
        EXPECT_OK(atea__cmw_check_media_type(name, strlen(name)));
        assert_true(strlen(atea_cmw_media_type_desc((atea_cmw_mt)mt)) > 3);
    }
    assert_null(atea_cmw_media_type_name(ATEA_CMW_MT_UNKNOWN));
    assert_string_equal(atea_cmw_media_type_desc(ATEA_CMW_MT_UNKNOWN), "unknown media type");
    assert_int_equal(atea_cmw_media_type_ind(ATEA_CMW_MT_TDX_QUOTE), ATEA_CMW_IND_EVIDENCE);
    assert_int_equal(atea_cmw_media_type_ind(ATEA_CMW_MT_EAR_JWT),
                     ATEA_CMW_IND_ATTESTATION_RESULTS);
    assert_int_equal(atea_cmw_media_type_ind(ATEA_CMW_MT_UNKNOWN), 0);

    static const struct {
        const char *text;
        atea_cmw_mt mt;
    } lookups[] = {
        {"Application/VND.Intel.TDX.Quote", ATEA_CMW_MT_TDX_QUOTE},
        /* the Rust prototype's type, as it writes it and with other spacing */
        {"application/tdx-quote; version=1.0; profile=\"https://trustedcomputinggroup.org/tdx/v1\"",
         ATEA_CMW_MT_TDX_QUOTE},
        {"application/tdx-quote;version=\"1.0\";PROFILE=\"https://trustedcomputinggroup.org/tdx/"
         "v1\"",
         ATEA_CMW_MT_TDX_QUOTE},
        {"application/tdx-quote", ATEA_CMW_MT_UNKNOWN},
        {"application/tdx-quote; version=1.0; profile=\"https://trustedcomputinggroup.org/TDX/v1\"",
         ATEA_CMW_MT_UNKNOWN}, /* parameter values are exact */
        {"application/eat+jwt; eat_profile=\"tag:ietf.org,2026:rats/ear#03\"", ATEA_CMW_MT_EAR_JWT},
        {"application/eat+jwt", ATEA_CMW_MT_UNKNOWN},
        {"application/eat-collection; profile=\"http://arm.com/CCA-SSD/1.0.0\"",
         ATEA_CMW_MT_CCA_TOKEN},
        {"application/vnd.atea.sim-evidence+cbor", ATEA_CMW_MT_SIM_EVIDENCE},
        {"application/vnd.amd.sev-snp.report", ATEA_CMW_MT_SNP_REPORT},
        {"application/vnd.tcg.tpm2.quote", ATEA_CMW_MT_TPM2_QUOTE},
        {"not a media type", ATEA_CMW_MT_UNKNOWN},
        {"", ATEA_CMW_MT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
        if (atea_cmw_media_type_lookup(lookups[i].text, strlen(lookups[i].text)) != lookups[i].mt) {
            fail_msg("lookup of \"%s\"", lookups[i].text);
        }
    }
    assert_int_equal(atea_cmw_media_type_lookup(NULL, 0), ATEA_CMW_MT_UNKNOWN);

    /* find the evidence record inside a collection */
    atea_cmw *coll = NULL;
    atea_cmw *rec = NULL;
    EXPECT_OK(atea_cmw_new_collection(NULL, &coll));
    EXPECT_OK(atea_cmw_new_record("application/vnd.x", (const uint8_t *)"x", 1, 0, &rec));
    EXPECT_OK(atea_cmw_add(coll, "other", rec));
    EXPECT_OK(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_TDX_QUOTE),
                                  (const uint8_t *)"q", 1, ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_add(coll, "tdx", rec));
    assert_ptr_equal(atea_cmw_find_media_type(coll, ATEA_CMW_MT_TDX_QUOTE),
                     atea_cmw_find(coll, "tdx"));
    assert_null(atea_cmw_find_media_type(coll, ATEA_CMW_MT_SNP_REPORT));
    atea_cmw_free(coll);
}

static void test_media_type_syntax(void **state)
{
    (void)state;
    static const char *const good[] = {
        "application/rim+cose",
        "a/b",
        "application/vnd.example.rats-conceptual-msg",
        "application/eat+jwt; eat_profile=\"tag:ietf.org,2026:rats/ear#03\"",
        "text/plain;charset=utf-8",
        "a/b ;  x=\"q\\\"uote\"",
        "1a/b!#$&^_.+-",
    };
    static const char *const bad[] = {
        "",
        "application",
        "application/",
        "/json",
        "appl ication/x",
        "application/x;",
        "application/x; p",
        "application/x; p=",
        "application/x; p=\"abc",
        "application/x ",
        "-app/x",
        "application/x; =v",
        "application/x; p=a b",
        "application/x\t",
        "application/x; p=\"\x01\"",
        "application/x; p=\"\\",
        "app/x/y",
        "app@/x",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        EXPECT_OK(atea__cmw_check_media_type(good[i], strlen(good[i])));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (atea__cmw_check_media_type(bad[i], strlen(bad[i])) != ATEA_ERR_CMW_TYPE) {
            fail_msg("\"%s\" accepted", bad[i]);
        }
    }
    /* restricted-name: 127 characters at most; the whole type at most ATEA_CMW_MAX_TYPE_LEN */
    char name[ATEA_CMW_MAX_TYPE_LEN + 2];
    memset(name, 'x', sizeof(name));
    memcpy(name, "a/", 2);
    EXPECT_OK(atea__cmw_check_media_type(name, 2 + 127));
    EXPECT_ERR(atea__cmw_check_media_type(name, 2 + 128), ATEA_ERR_CMW_TYPE);
    memcpy(name + 100, ";p=", 3);
    EXPECT_OK(atea__cmw_check_media_type(name, ATEA_CMW_MAX_TYPE_LEN));
    EXPECT_ERR(atea__cmw_check_media_type(name, ATEA_CMW_MAX_TYPE_LEN + 1), ATEA_ERR_CMW_TYPE);
}

static void test_ctype_syntax(void **state)
{
    (void)state;
    static const char *const good[] = {
        "tag:example.com,2024:composite-attester",
        "1.2.840.113549",
        "2.999",
        "0",
        "0.0",
        "http://arm.com/CCA-SSD/1.0.0",
        "urn:ietf:params:x",
        "https://x/p?q=1&r=%2F",
    };
    static const char *const bad[] = {
        "",        "3.1",          "1.02",          "1..2",
        "1.",      ".1",           "example.com/x", "http://x/#frag",
        "tag:a b", "http://x/%zz", "http://x/%2",   "1tag:x",
        ":x",      "tag:\x7f",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        EXPECT_OK(atea__cmw_check_ctype(good[i], strlen(good[i])));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (atea__cmw_check_ctype(bad[i], strlen(bad[i])) != ATEA_ERR_CMW_CTYPE) {
            fail_msg("\"%s\" accepted", bad[i]);
        }
    }
    char longer[ATEA_CMW_MAX_CTYPE_LEN + 1];
    memset(longer, 'a', sizeof(longer));
    memcpy(longer, "tag:", 4);
    EXPECT_OK(atea__cmw_check_ctype(longer, ATEA_CMW_MAX_CTYPE_LEN));
    EXPECT_ERR(atea__cmw_check_ctype(longer, ATEA_CMW_MAX_CTYPE_LEN + 1), ATEA_ERR_CMW_CTYPE);
}

/* RFC 4648 §10 vectors (identical in base64url), without padding. */
static void test_base64url(void **state)
{
    (void)state;
    static const struct {
        const char *plain;
        const char *encoded;
    } vectors[] = {
        {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},     {"foob", "Zm9vYg"},
        {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}, {"\xff\xfe\xfd", "__79"},
    };
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        uint8_t buf[16];
        atea_wr wr;
        atea_buf dec = {0};
        atea_wr_init_fixed(&wr, buf, sizeof(buf));
        EXPECT_OK(
            atea__b64url_encode((const uint8_t *)vectors[i].plain, strlen(vectors[i].plain), &wr));
        assert_int_equal(atea_wr_len(&wr), strlen(vectors[i].encoded));
        assert_memory_equal(buf, vectors[i].encoded, atea_wr_len(&wr));
        EXPECT_OK(atea__b64url_decode(vectors[i].encoded, strlen(vectors[i].encoded), &dec));
        assert_int_equal(dec.len, strlen(vectors[i].plain));
        assert_memory_equal(dec.data, vectors[i].plain, dec.len);
        atea_buf_free(&dec);
    }
    static const char *const bad[] = {"",     "Z",      "Zg==",  "Zh",    "Zm9",   "Zm+v",
                                      "Zm/v", "Zm9v\n", " Zm9v", "Zm 9v", "Zm9vY", "Z\xc3\xa9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        atea_buf dec = {0};
        if (atea__b64url_decode(bad[i], strlen(bad[i]), &dec) != ATEA_ERR_CMW_BASE64URL) {
            fail_msg("\"%s\" accepted", bad[i]);
        }
        assert_null(dec.data);
    }
    /* a full writer leaves nothing behind */
    uint8_t small[3];
    atea_wr wr;
    atea_wr_init_fixed(&wr, small, sizeof(small));
    EXPECT_ERR(atea__b64url_encode((const uint8_t *)"foob", 4, &wr), ATEA_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(atea_wr_len(&wr), 0);
}

static char *dump_of(const char *hex, atea_err expect)
{
    atea_buf in = atea_test_hex(hex);
    atea_wr wr;
    atea_buf text = {0};
    EXPECT_OK(atea_wr_init_growable(&wr, 0, 65536));
    EXPECT_ERR(atea_cmw_dump(in.data, in.len, &wr), expect);
    EXPECT_OK(atea_wr_u8(&wr, 0));
    EXPECT_OK(atea_wr_take(&wr, &text));
    atea_wr_dispose(&wr);
    atea_buf_free(&in);
    return (char *)text.data;
}

static void test_dump(void **state)
{
    (void)state;
    char *text = dump_of("a4685f5f636d77635f7478277461673a6578616d706c652e636f6d2c323032343a636f"
                         "6d706f736974652d6174746573746572008319fde7442347da550401da6374ffe644"
                         "2347da550283736170706c69636174696f6e2f6561742b6a7774432e2e2e08",
                         ATEA_OK);
    static const char expected[] = "CMW (CBOR collection), 100 bytes\n"
                                   "  collection, 3 entries\n"
                                   "    __cmwc_t: \"tag:example.com,2024:composite-attester\"\n"
                                   "    0: record\n"
                                   "      type: Content-Format 64999\n"
                                   "      ind: 4 (evidence)\n"
                                   "      value: 4 bytes: 2347da55\n"
                                   "    1: tag 1668612070 (Content-Format 64999)\n"
                                   "      value: 4 bytes: 2347da55\n"
                                   "    2: record\n"
                                   "      type: \"application/eat+jwt\"\n"
                                   "      ind: 8 (attestation results)\n"
                                   "      value: 3 bytes: 2e2e2e\n";
    assert_string_equal(text, expected);
    free(text);

    /* an atea media type is named; long values are previewed */
    atea_cmw *rec = NULL;
    atea_buf enc = {0};
    uint8_t value[40];
    memset(value, 0xab, sizeof(value));
    EXPECT_OK(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_TDX_QUOTE), value,
                                  sizeof(value), 3, &rec));
    EXPECT_OK(atea_cmw_encode_cbor(rec, &enc));
    char hex[256];
    EXPECT_OK(atea_hex_encode(enc.data, enc.len, hex, sizeof(hex)));
    text = dump_of(hex, ATEA_OK);
    assert_non_null(strstr(text, "(Intel TDX quote)"));
    assert_non_null(strstr(text, "ind: 3 (reference values, endorsements)"));
    assert_non_null(strstr(text, "value: 40 bytes: abababababababababababababababababababababababab"
                                 "abababababababab..."));
    free(text);
    atea_buf_free(&enc);
    atea_cmw_free(rec);

    /* CMWs wrapped in CMW values are opened: a cmw+cbor record, a Table 4 tag, a bad one */
    text = dump_of("82 746170706c69636174696f6e2f636d772b63626f72 49 8219fde7442347da55", ATEA_OK);
    assert_non_null(strstr(text, "    content: record\n      type: Content-Format 64999\n"));
    free(text);
    text = dump_of("da63740213 4b a100 8219fde7442347da55", ATEA_OK);
    assert_non_null(strstr(text, "  tag 1668547091 (Content-Format 273)\n"));
    assert_non_null(strstr(text, "    content: collection, 1 entries\n      0: record\n"));
    free(text);
    text = dump_of("82 190112 4100", ATEA_OK);
    assert_non_null(strstr(text, "content: not a CMW: ATEA_ERR_CMW_FORMAT"));
    free(text);

    /* labels cannot forge lines of the dump */
    text = dump_of("a1 63610a62 8219fde7442347da55", ATEA_OK);
    assert_non_null(strstr(text, "    \"a\\x0ab\": record\n"));
    free(text);

    /* malformed: what and where */
    text = dump_of("8319fde7442347da5500", ATEA_ERR_CMW_IND);
    assert_non_null(strstr(text, "CMW (CBOR record), 10 bytes\n  malformed: ATEA_ERR_CMW_IND: "));
    assert_non_null(strstr(text, "offset 9"));
    free(text);
    text = dump_of("00", ATEA_ERR_CMW_FORMAT);
    assert_non_null(strstr(text, "CMW (unknown), 1 bytes"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tn_arithmetic),
        cmocka_unit_test(test_rfc9999_tag_table),
        cmocka_unit_test(test_media_type_table),
        cmocka_unit_test(test_media_type_syntax),
        cmocka_unit_test(test_ctype_syntax),
        cmocka_unit_test(test_base64url),
        cmocka_unit_test(test_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
