/* RFC 9999 §5 examples (specs.md §4.9) and the veraison/cmw testdata vectors, byte for byte, in
 * both directions: decode and check every field, build the same CMW with the API and encode it. */
#include <string.h>

#include <jansson.h>

#include "atea/cmw.h"
#include "atea_test.h"

static const uint8_t value_2347da55[] = {0x23, 0x47, 0xda, 0x55};
#define EXAMPLE_TYPE "application/vnd.example.rats-conceptual-msg"

static const char hex_5_2_cf[] = "8219fde7442347da55";
static const char hex_5_2_mt[] =
    "82782b6170706c69636174696f6e2f766e642e6578616d706c652e726174732d636f6e6365707475616c2d6d73"
    "67442347da55";
static const char hex_5_3[] = "da6374ffe6442347da55";
static const char hex_5_4[] =
    "83746170706c69636174696f6e2f72696d2b636f73654ad28440a044d901f5a04003";
static const char hex_5_5[] =
    "a4685f5f636d77635f7478277461673a6578616d706c652e636f6d2c323032343a636f6d706f736974652d61747465"
    "73746572008319fde7442347da550401da6374ffe6442347da550283736170706c69636174696f6e2f6561742b6a"
    "7774432e2e2e08";

static const char json_5_1[] = "[\n  \"application/vnd.example.rats-conceptual-msg\",\n"
                               "  \"I0faVQ\"\n]\n";
static const char json_5_6[] =
    "{\n"
    "  \"__cmwc_t\": \"tag:example.com,2024:another-composite-attester\",\n"
    "  \"attester A\": [\n"
    "    \"application/eat-ucs+json\",\n"
    "    \"e30K\",\n"
    "    4\n"
    "  ],\n"
    "  \"attester B\": [\n"
    "    \"application/eat-ucs+cbor\",\n"
    "    \"oA\",\n"
    "    4\n"
    "  ]\n"
    "}\n";
static const char json_5_6_compact[] =
    "{\"__cmwc_t\":\"tag:example.com,2024:another-composite-attester\",\"attester A\":"
    "[\"application/eat-ucs+json\",\"e30K\",4],\"attester B\":[\"application/eat-ucs+cbor\","
    "\"oA\",4]}";

static atea_cmw *decode_hex(const char *hex)
{
    atea_buf b = atea_test_hex(hex);
    atea_cmw *cmw = NULL;
    EXPECT_OK(atea_cmw_decode(b.data, b.len, NULL, &cmw));
    atea_buf_free(&b);
    return cmw;
}

static atea_cmw *decode_text(const char *text)
{
    atea_cmw *cmw = NULL;
    EXPECT_OK(atea_cmw_decode((const uint8_t *)text, strlen(text), NULL, &cmw));
    return cmw;
}

static void assert_cbor(const atea_cmw *cmw, const char *hex)
{
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_encode_cbor(cmw, &out));
    atea_test_assert_hex(out.data, out.len, hex);
    atea_buf_free(&out);
}

static void assert_json(const atea_cmw *cmw, const char *text)
{
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_encode_json(cmw, &out));
    assert_int_equal(out.len, strlen(text));
    assert_memory_equal(out.data, text, out.len);
    atea_buf_free(&out);
}

static void assert_record(const atea_cmw *r, const char *type, int cf, const uint8_t *v,
                          size_t vlen, uint32_t ind)
{
    assert_non_null(r);
    assert_int_equal(r->kind, ATEA_CMW_RECORD);
    if (type != NULL) {
        assert_string_equal(r->media_type, type);
        assert_int_equal(r->has_cf, 0);
    } else {
        assert_null(r->media_type);
        assert_int_equal(r->has_cf, 1);
        assert_int_equal(r->content_format, cf);
    }
    assert_int_equal(r->value.len, vlen);
    assert_memory_equal(r->value.data, v, vlen);
    assert_int_equal(r->ind, ind);
}

/* §5.1 JSON-encoded record. */
static void test_5_1_json_record(void **state)
{
    (void)state;
    assert_int_equal(atea_cmw_demux((const uint8_t *)json_5_1, strlen(json_5_1)),
                     ATEA_CMW_FORM_JSON_RECORD);
    atea_cmw *cmw = decode_text(json_5_1);
    assert_record(cmw, EXAMPLE_TYPE, 0, value_2347da55, 4, 0);
    assert_json(cmw, "[\"" EXAMPLE_TYPE "\",\"I0faVQ\"]");
    assert_cbor(cmw, hex_5_2_mt); /* the same record in CBOR is the §5.2 media-type variant */
    atea_cmw_free(cmw);

    atea_cmw *built = NULL;
    EXPECT_OK(atea_cmw_new_record(EXAMPLE_TYPE, value_2347da55, 4, 0, &built));
    assert_json(built, "[\"" EXAMPLE_TYPE "\",\"I0faVQ\"]");
    atea_cmw_free(built);
}

/* §5.2 CBOR-encoded record, Content-Format and media-type variants. */
static void test_5_2_cbor_record(void **state)
{
    (void)state;
    atea_cmw *cmw = decode_hex(hex_5_2_cf);
    assert_record(cmw, NULL, 64999, value_2347da55, 4, 0);
    assert_cbor(cmw, hex_5_2_cf);
    EXPECT_ERR(atea_cmw_encode_json(cmw, &(atea_buf){0}), ATEA_ERR_CMW_NOT_JSON);
    atea_cmw_free(cmw);

    cmw = decode_hex(hex_5_2_mt);
    assert_record(cmw, EXAMPLE_TYPE, 0, value_2347da55, 4, 0);
    assert_cbor(cmw, hex_5_2_mt);
    atea_cmw_free(cmw);

    EXPECT_OK(atea_cmw_new_record_cf(64999, value_2347da55, 4, 0, &cmw));
    assert_cbor(cmw, hex_5_2_cf);
    atea_cmw_free(cmw);
    EXPECT_OK(atea_cmw_new_record(EXAMPLE_TYPE, value_2347da55, 4, 0, &cmw));
    assert_cbor(cmw, hex_5_2_mt);
    atea_cmw_free(cmw);
}

/* §5.3 CBOR-encoded tag CMW: TN(64999) = 1668612070. */
static void test_5_3_tag(void **state)
{
    (void)state;
    atea_buf b = atea_test_hex(hex_5_3);
    assert_int_equal(atea_cmw_demux(b.data, b.len), ATEA_CMW_FORM_CBOR_TAG);
    atea_buf_free(&b);
    atea_cmw *cmw = decode_hex(hex_5_3);
    assert_int_equal(cmw->kind, ATEA_CMW_TAG);
    assert_int_equal(cmw->tag, 1668612070);
    assert_int_equal(cmw->content_format, 64999);
    assert_int_equal(cmw->value.len, 4);
    assert_memory_equal(cmw->value.data, value_2347da55, 4);
    assert_cbor(cmw, hex_5_3);
    EXPECT_ERR(atea_cmw_encode_json(cmw, &(atea_buf){0}), ATEA_ERR_CMW_NOT_JSON);
    atea_cmw_free(cmw);

    EXPECT_OK(atea_cmw_new_tag(64999, value_2347da55, 4, &cmw));
    assert_cbor(cmw, hex_5_3);
    atea_cmw_free(cmw);
}

/* §5.4 record with an explicit indicator: 3 = reference values + endorsements. */
static void test_5_4_record_with_ind(void **state)
{
    (void)state;
    static const uint8_t corim[] = {0xd2, 0x84, 0x40, 0xa0, 0x44, 0xd9, 0x01, 0xf5, 0xa0, 0x40};
    atea_cmw *cmw = decode_hex(hex_5_4);
    assert_record(cmw, "application/rim+cose", 0, corim, sizeof(corim),
                  ATEA_CMW_IND_REFERENCE_VALUES | ATEA_CMW_IND_ENDORSEMENTS);
    assert_cbor(cmw, hex_5_4);
    assert_json(cmw, "[\"application/rim+cose\",\"0oRAoETZAfWgQA\",3]");
    atea_cmw_free(cmw);

    EXPECT_OK(atea_cmw_new_record("application/rim+cose", corim, sizeof(corim), 3, &cmw));
    assert_cbor(cmw, hex_5_4);
    atea_cmw_free(cmw);
}

/* §5.5 CBOR-encoded collection: evidence for A (record) and B (tag), a result for C. */
static void test_5_5_cbor_collection(void **state)
{
    (void)state;
    atea_cmw *cmw = decode_hex(hex_5_5);
    assert_int_equal(cmw->kind, ATEA_CMW_COLLECTION);
    assert_string_equal(cmw->ctype, "tag:example.com,2024:composite-attester");
    assert_int_equal(cmw->n_entries, 3);
    assert_record(atea_cmw_find_int(cmw, 0), NULL, 64999, value_2347da55, 4, ATEA_CMW_IND_EVIDENCE);
    const atea_cmw *b = atea_cmw_find_int(cmw, 1);
    assert_non_null(b);
    assert_int_equal(b->kind, ATEA_CMW_TAG);
    assert_int_equal(b->tag, 1668612070);
    assert_record(atea_cmw_find_int(cmw, 2), "application/eat+jwt", 0, (const uint8_t *)"...", 3,
                  ATEA_CMW_IND_ATTESTATION_RESULTS);
    assert_null(atea_cmw_find_int(cmw, 3));
    assert_null(atea_cmw_find(cmw, "0"));
    assert_cbor(cmw, hex_5_5);
    EXPECT_ERR(atea_cmw_encode_json(cmw, &(atea_buf){0}), ATEA_ERR_CMW_NOT_JSON);
    atea_cmw_free(cmw);

    /* the same collection built with the API */
    atea_cmw *coll = NULL;
    atea_cmw *child = NULL;
    EXPECT_OK(atea_cmw_new_collection("tag:example.com,2024:composite-attester", &coll));
    EXPECT_OK(atea_cmw_new_record_cf(64999, value_2347da55, 4, ATEA_CMW_IND_EVIDENCE, &child));
    EXPECT_OK(atea_cmw_add_int(coll, 0, child));
    EXPECT_OK(atea_cmw_new_tag(64999, value_2347da55, 4, &child));
    EXPECT_OK(atea_cmw_add_int(coll, 1, child));
    EXPECT_OK(atea_cmw_new_record("application/eat+jwt", (const uint8_t *)"...", 3,
                                  ATEA_CMW_IND_ATTESTATION_RESULTS, &child));
    EXPECT_OK(atea_cmw_add_int(coll, 2, child));
    assert_cbor(coll, hex_5_5);
    atea_cmw_free(coll);
}

/* §5.6 JSON-encoded collection. */
static void test_5_6_json_collection(void **state)
{
    (void)state;
    atea_cmw *cmw = decode_text(json_5_6);
    assert_int_equal(cmw->kind, ATEA_CMW_COLLECTION);
    assert_string_equal(cmw->ctype, "tag:example.com,2024:another-composite-attester");
    assert_int_equal(cmw->n_entries, 2);
    assert_string_equal(cmw->entries[0].label.text, "attester A");
    assert_record(atea_cmw_find(cmw, "attester A"), "application/eat-ucs+json", 0,
                  (const uint8_t *)"{}\n", 3, ATEA_CMW_IND_EVIDENCE);
    assert_record(atea_cmw_find(cmw, "attester B"), "application/eat-ucs+cbor", 0,
                  (const uint8_t *)"\xa0", 1, ATEA_CMW_IND_EVIDENCE);
    assert_json(cmw, json_5_6_compact);
    atea_cmw_free(cmw);

    atea_cmw *coll = NULL;
    atea_cmw *child = NULL;
    EXPECT_OK(atea_cmw_new_collection("tag:example.com,2024:another-composite-attester", &coll));
    EXPECT_OK(
        atea_cmw_new_record("application/eat-ucs+json", (const uint8_t *)"{}\n", 3, 4, &child));
    EXPECT_OK(atea_cmw_add(coll, "attester A", child));
    EXPECT_OK(
        atea_cmw_new_record("application/eat-ucs+cbor", (const uint8_t *)"\xa0", 1, 4, &child));
    EXPECT_OK(atea_cmw_add(coll, "attester B", child));
    assert_json(coll, json_5_6_compact);
    /* and the decoder reads back what the encoder wrote */
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_encode_json(coll, &out));
    EXPECT_OK(atea_cmw_decode(out.data, out.len, NULL, &cmw));
    assert_json(cmw, json_5_6_compact);
    atea_cmw_free(cmw);
    atea_buf_free(&out);
    atea_cmw_free(coll);
}

/* §5.7 a JSON collection inside the "cmw" claim of a JWT claims-set. */
static void test_5_7_jwt_claim(void **state)
{
    (void)state;
    static const char claims[] =
        "{\n  \"cmw\": {\n    \"__cmwc_t\": \"tag:example.com,2024:another-composite-attester\",\n"
        "    \"attester A\": [\n      \"application/eat-ucs+json\",\n      \"e30K\",\n      4\n    "
        "],\n"
        "    \"attester B\": [\n      \"application/eat-ucs+cbor\",\n      \"oA\",\n      4\n    "
        "]\n"
        "  },\n  \"iss\": \"evidence collection daemon\",\n  \"exp\": 1300819380\n}\n";
    json_error_t jerr;
    json_t *root = json_loads(claims, 0, &jerr);
    assert_non_null(root);
    char *member = json_dumps(json_object_get(root, "cmw"), JSON_COMPACT);
    assert_non_null(member);
    atea_cmw *cmw = decode_text(member);
    assert_json(cmw, json_5_6_compact);
    atea_cmw_free(cmw);
    free(member);
    json_decref(root);
    /* the claims-set itself is not a CMW: "iss" is not a record or collection */
    EXPECT_ERR(atea_cmw_decode((const uint8_t *)claims, strlen(claims), NULL, &cmw),
               ATEA_ERR_CMW_FORMAT);
}

/* veraison/cmw testdata (specs §4.9, "additional vectors"). */
static void test_veraison_vectors(void **state)
{
    (void)state;
    static const char *const vectors[] = {
        ("a30183781d6170706c69636174696f6e2f7369676e65642d636f72696d2b63626f7247d28443a10126a10302"
         "da63747632442347da55617382197531442347da55"),
        "a10182716170706c69636174696f6e2f766e642e3144deadbeef",
        "a266737472696e67820041ff190400da6374010141aa",
    };
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        atea_cmw *cmw = decode_hex(vectors[i]);
        assert_cbor(cmw, vectors[i]);
        atea_cmw_free(cmw);
    }
    atea_cmw *mixed = decode_hex(vectors[2]);
    assert_record(atea_cmw_find(mixed, "string"), NULL, 0, (const uint8_t *)"\xff", 1, 0);
    const atea_cmw *tag = atea_cmw_find_int(mixed, 1024);
    assert_int_equal(tag->tag, 1668546817);
    assert_int_equal(tag->content_format, 0);
    atea_cmw_free(mixed);
    atea_cmw *first = decode_hex(vectors[0]);
    assert_int_equal(atea_cmw_find_int(first, 2)->tag, 1668576818);
    assert_record(atea_cmw_find(first, "s"), NULL, 30001, value_2347da55, 4, 0);
    atea_cmw_free(first);

    const char *json =
        "{ \"a\": [\"application/vnd.a\", \"YQ\"], \"b\": [\"application/vnd.b\", \"Yg\"] }";
    atea_cmw *j = decode_text(json);
    assert_record(atea_cmw_find(j, "a"), "application/vnd.a", 0, (const uint8_t *)"a", 1, 0);
    assert_record(atea_cmw_find(j, "b"), "application/vnd.b", 0, (const uint8_t *)"b", 1, 0);
    assert_json(j, "{\"a\":[\"application/vnd.a\",\"YQ\"],\"b\":[\"application/vnd.b\",\"Yg\"]}");
    atea_cmw_free(j);
}

/* Forms the RFC allows that the examples do not show: indefinite lengths, non-minimal heads. */
static void test_other_encodings_accepted(void **state)
{
    (void)state;
    atea_cmw *cmw = decode_hex("9f19fde7442347da5504ff");
    assert_record(cmw, NULL, 64999, value_2347da55, 4, 4);
    assert_cbor(cmw, "8319fde7442347da5504"); /* re-encoded in preferred form */
    atea_cmw_free(cmw);
    cmw = decode_hex("9f19fde7442347da55ff");
    assert_record(cmw, NULL, 64999, value_2347da55, 4, 0);
    atea_cmw_free(cmw);
    cmw = decode_hex("821a0000fde75a000000042347da55");
    assert_record(cmw, NULL, 64999, value_2347da55, 4, 0);
    assert_cbor(cmw, hex_5_2_cf);
    atea_cmw_free(cmw);
    cmw = decode_hex("bf 00 8219fde7442347da55 ff");
    assert_int_equal(cmw->n_entries, 1);
    atea_cmw_free(cmw);
    /* leading JSON whitespace is skipped by the demultiplexer */
    cmw = decode_text(" \t\r\n[\"application/vnd.a\",\"YQ\",4] \n");
    assert_record(cmw, "application/vnd.a", 0, (const uint8_t *)"a", 1, 4);
    atea_cmw_free(cmw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_5_1_json_record),
        cmocka_unit_test(test_5_2_cbor_record),
        cmocka_unit_test(test_5_3_tag),
        cmocka_unit_test(test_5_4_record_with_ind),
        cmocka_unit_test(test_5_5_cbor_collection),
        cmocka_unit_test(test_5_6_json_collection),
        cmocka_unit_test(test_5_7_jwt_claim),
        cmocka_unit_test(test_veraison_vectors),
        cmocka_unit_test(test_other_encodings_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
