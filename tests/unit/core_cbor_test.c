/* The bounded CBOR decoder and encoder: RFC 8949 Appendix A, malformed heads, depth and item
 * caps at cap and cap+1, huge declared lengths, truncation at every offset, trailing bytes. */
#include <stdlib.h>
#include <string.h>

#include "atea_test.h"
#include "core/cbor.h"
#include "core/check.h"

static atea_cbor_rd decoder(const atea_buf *b)
{
    atea_cbor_rd c;
    atea_cbor_rd_init(&c, b->data, b->len);
    return c;
}

/* RFC 8949 Appendix A: integers, decoded by value and re-encoded byte for byte. */
static void test_appendix_a_integers(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        int64_t value;
    } ints[] = {
        {"00", 0},
        {"01", 1},
        {"0a", 10},
        {"17", 23},
        {"1818", 24},
        {"1819", 25},
        {"1864", 100},
        {"1903e8", 1000},
        {"1a000f4240", 1000000},
        {"1b000000e8d4a51000", 1000000000000},
        {"20", -1},
        {"29", -10},
        {"3863", -100},
        {"3903e7", -1000},
        {"3b7fffffffffffffff", INT64_MIN},
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(ints); i++) {
        atea_buf b = atea_test_hex(ints[i].hex);
        atea_cbor_rd c = decoder(&b);
        int64_t v = 0;
        EXPECT_OK(atea_cbor_read_int(&c, &v));
        assert_true(v == ints[i].value);
        EXPECT_OK(atea_cbor_end(&c));
        uint8_t out[16];
        atea_wr wr;
        atea_wr_init_fixed(&wr, out, sizeof(out));
        EXPECT_OK(atea_cbor_wr_int(&wr, v));
        atea_test_assert_hex(out, atea_wr_len(&wr), ints[i].hex);
        atea_buf_free(&b);
    }

    /* 18446744073709551615 is a uint64 but not an int64; -18446744073709551616 is neither. */
    atea_buf max = atea_test_hex("1bffffffffffffffff");
    atea_cbor_rd c = decoder(&max);
    int64_t i64 = 0;
    uint64_t u64 = 0;
    EXPECT_ERR(atea_cbor_read_int(&c, &i64), ATEA_ERR_CBOR_TYPE);
    EXPECT_OK(atea_cbor_read_uint(&c, &u64));
    assert_true(u64 == UINT64_MAX);
    atea_buf_free(&max);
    atea_buf neg = atea_test_hex("3bffffffffffffffff");
    c = decoder(&neg);
    EXPECT_ERR(atea_cbor_read_int(&c, &i64), ATEA_ERR_CBOR_TYPE);
    EXPECT_ERR(atea_cbor_read_uint(&c, &u64), ATEA_ERR_CBOR_TYPE);
    assert_int_equal(c.rd.off, 0); /* a failed read consumes nothing */
    EXPECT_OK(atea_cbor_skip(&c));
    atea_buf_free(&neg);
}

static void test_appendix_a_strings(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        int text;
        const char *value;
    } strs[] = {
        {"40", 0, ""},
        {"4401020304", 0, "\x01\x02\x03\x04"},
        {"60", 1, ""},
        {"6161", 1, "a"},
        {"6449455446", 1, "IETF"},
        {"62225c", 1, "\"\\"},
        {"62c3bc", 1, "\xc3\xbc"},
        {"63e6b0b4", 1, "\xe6\xb0\xb4"},
        {"64f0908591", 1, "\xf0\x90\x85\x91"},
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(strs); i++) {
        atea_buf b = atea_test_hex(strs[i].hex);
        atea_cbor_rd c = decoder(&b);
        atea_slice s = {0};
        if (strs[i].text) {
            EXPECT_ERR(atea_cbor_read_bstr(&c, &s), ATEA_ERR_CBOR_TYPE);
            EXPECT_OK(atea_cbor_read_tstr(&c, &s));
        } else {
            EXPECT_ERR(atea_cbor_read_tstr(&c, &s), ATEA_ERR_CBOR_TYPE);
            EXPECT_OK(atea_cbor_read_bstr(&c, &s));
        }
        assert_int_equal(s.len, strlen(strs[i].value));
        assert_memory_equal(s.data, strs[i].value, s.len);
        EXPECT_OK(atea_cbor_end(&c));
        uint8_t out[16];
        atea_wr wr;
        atea_wr_init_fixed(&wr, out, sizeof(out));
        if (strs[i].text) {
            EXPECT_OK(atea_cbor_wr_tstr(&wr, strs[i].value, s.len));
        } else {
            EXPECT_OK(atea_cbor_wr_bstr(&wr, (const uint8_t *)strs[i].value, s.len));
        }
        atea_test_assert_hex(out, atea_wr_len(&wr), strs[i].hex);
        atea_buf_free(&b);
    }
}

/* [1, [2, 3], [4, 5]] and {"a": 1, "b": [2, 3]} read with the pull API, then re-encoded. */
static void test_appendix_a_containers(void **state)
{
    (void)state;
    atea_buf b = atea_test_hex("8301820203820405");
    atea_cbor_rd c = decoder(&b);
    size_t n = 0;
    uint64_t v = 0;
    EXPECT_OK(atea_cbor_read_array(&c, &n));
    assert_int_equal(n, 3);
    EXPECT_OK(atea_cbor_read_uint(&c, &v));
    assert_int_equal(v, 1);
    for (uint64_t k = 0; k < 2; k++) {
        EXPECT_OK(atea_cbor_read_array(&c, &n));
        assert_int_equal(n, 2);
        EXPECT_OK(atea_cbor_read_uint(&c, &v));
        assert_int_equal(v, 2 + 2 * k);
        EXPECT_OK(atea_cbor_read_uint(&c, &v));
        assert_int_equal(v, 3 + 2 * k);
    }
    EXPECT_OK(atea_cbor_end(&c));
    atea_buf_free(&b);

    b = atea_test_hex("a26161016162820203");
    c = decoder(&b);
    atea_slice key;
    EXPECT_OK(atea_cbor_read_map(&c, &n));
    assert_int_equal(n, 2);
    EXPECT_OK(atea_cbor_read_tstr(&c, &key));
    EXPECT_OK(atea_cbor_read_uint(&c, &v));
    EXPECT_OK(atea_cbor_read_tstr(&c, &key));
    assert_memory_equal(key.data, "b", 1);
    EXPECT_OK(atea_cbor_skip(&c));
    EXPECT_OK(atea_cbor_end(&c));
    atea_buf_free(&b);

    uint8_t out[32];
    atea_wr wr;
    atea_wr_init_fixed(&wr, out, sizeof(out));
    EXPECT_OK(atea_cbor_wr_map(&wr, 2));
    EXPECT_OK(atea_cbor_wr_tstr_z(&wr, "a"));
    EXPECT_OK(atea_cbor_wr_uint(&wr, 1));
    EXPECT_OK(atea_cbor_wr_tstr_z(&wr, "b"));
    EXPECT_OK(atea_cbor_wr_array(&wr, 2));
    EXPECT_OK(atea_cbor_wr_uint(&wr, 2));
    EXPECT_OK(atea_cbor_wr_uint(&wr, 3));
    EXPECT_OK(atea_cbor_wr_tag(&wr, 1668612070));
    EXPECT_OK(atea_cbor_wr_tag(&wr, 24));
    EXPECT_OK(atea_cbor_wr_bool(&wr, 1));
    EXPECT_OK(atea_cbor_wr_null(&wr));
    atea_test_assert_hex(out, atea_wr_len(&wr), "a26161016162820203 da6374ffe6 d818 f5 f6");

    /* 25 elements: the count needs a one-byte argument (98 19). */
    atea_wr_init_fixed(&wr, out, sizeof(out));
    EXPECT_OK(atea_cbor_wr_array(&wr, 25));
    atea_test_assert_hex(out, atea_wr_len(&wr), "9819");
}

/* Every Appendix A item that atea does not read by value must still skip as one item. */
static void test_appendix_a_skip_all(void **state)
{
    (void)state;
    static const char *const items[] = {
        "c074323031332d30332d32315432303a30343a30305a", /* 0("2013-03-21T20:04:00Z") */
        "c11a514b67b0",
        "d74401020304",
        "d818456449455446",
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
        "c249010000000000000000", /* bignum */
        "f90000",
        "f93c00",
        "f97bff",
        "fa47c35000",
        "fb3ff199999999999a",
        "f97c00",
        "f9fe00",
        "f4",
        "f5",
        "f6",
        "f7",
        "f0",
        "f8ff",
        "5f42010243030405ff",
        "7f657374726561646d696e67ff",
        "9fff",
        "9f018202039f0405ffff",
        "9f01820203820405ff",
        "83018202039f0405ff",
        "83019f0203ff820405",
        "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
        "bf61610161629f0203ffff",
        "826161bf61626163ff",
        "bf6346756ef563416d7421ff",
        "a56161614161626142616361436164614461656145",
        "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(items); i++) {
        atea_buf b = atea_test_hex(items[i]);
        atea_err e = atea_cbor_check_one(b.data, b.len);
        if (e != ATEA_OK) {
            fail_msg("%s: %s", items[i], atea_err_detail(e));
        }
        atea_buf_free(&b);
    }
}

static void test_simple_values_and_floats(void **state)
{
    (void)state;
    atea_buf b = atea_test_hex("f4 f5 f6 f7 f0 f8ff fa47c35000");
    atea_cbor_rd c = decoder(&b);
    int flag = -1;
    uint8_t s = 0;
    EXPECT_ERR(atea_cbor_read_null(&c), ATEA_ERR_CBOR_TYPE);
    EXPECT_OK(atea_cbor_read_bool(&c, &flag));
    assert_int_equal(flag, 0);
    EXPECT_OK(atea_cbor_read_bool(&c, &flag));
    assert_int_equal(flag, 1);
    EXPECT_ERR(atea_cbor_read_bool(&c, &flag), ATEA_ERR_CBOR_TYPE);
    EXPECT_OK(atea_cbor_read_null(&c));
    EXPECT_OK(atea_cbor_read_simple(&c, &s));
    assert_int_equal(s, ATEA_CBOR_UNDEFINED);
    EXPECT_OK(atea_cbor_read_simple(&c, &s));
    assert_int_equal(s, 16);
    EXPECT_OK(atea_cbor_read_simple(&c, &s));
    assert_int_equal(s, 255);
    /* floats are well-formed (skipped) but never returned */
    EXPECT_ERR(atea_cbor_read_simple(&c, &s), ATEA_ERR_CBOR_TYPE);
    assert_non_null(strstr(atea_err_last()->detail, "floating-point"));
    EXPECT_OK(atea_cbor_skip(&c));
    EXPECT_OK(atea_cbor_end(&c));
    atea_buf_free(&b);
}

static void expect_malformed(const char *hex, atea_err code)
{
    atea_buf b = atea_test_hex(hex);
    atea_err e = atea_cbor_check_one(b.data, b.len);
    if (e != code) {
        fail_msg("%s: expected %s, got %s (%s)", hex, atea_err_name(code), atea_err_name(e),
                 atea_err_detail(e));
    }
    atea_buf_free(&b);
}

static void test_malformed(void **state)
{
    (void)state;
    /* reserved additional information 28..30 in every major type (RFC 8949 §3) */
    for (unsigned major = 0; major < 8; major++) {
        for (unsigned info = 28; info <= 30; info++) {
            char hex[8];
            snprintf(hex, sizeof(hex), "%02x00", (major << 5) | info);
            expect_malformed(hex, ATEA_ERR_CBOR_MALFORMED);
        }
    }
    expect_malformed("ff", ATEA_ERR_CBOR_MALFORMED);         /* break at the top */
    expect_malformed("8201ff", ATEA_ERR_CBOR_MALFORMED);     /* break inside a definite array */
    expect_malformed("1f", ATEA_ERR_CBOR_MALFORMED);         /* indefinite unsigned */
    expect_malformed("3f", ATEA_ERR_CBOR_MALFORMED);         /* indefinite negative */
    expect_malformed("df00", ATEA_ERR_CBOR_MALFORMED);       /* indefinite tag */
    expect_malformed("f818", ATEA_ERR_CBOR_MALFORMED);       /* two-byte simple below 32 */
    expect_malformed("5f6161ff", ATEA_ERR_CBOR_MALFORMED);   /* text chunk in a byte string */
    expect_malformed("5f5f40ffff", ATEA_ERR_CBOR_MALFORMED); /* nested indefinite chunk */
    expect_malformed("bf01ff", ATEA_ERR_CBOR_MALFORMED);     /* map key without a value */
    /* text strings must be UTF-8 (RFC 8949 §5.3.1) */
    expect_malformed("62c328", ATEA_ERR_CBOR_UTF8);         /* bad continuation */
    expect_malformed("62c080", ATEA_ERR_CBOR_UTF8);         /* overlong NUL */
    expect_malformed("63eda080", ATEA_ERR_CBOR_UTF8);       /* surrogate */
    expect_malformed("64f4908080", ATEA_ERR_CBOR_UTF8);     /* above U+10FFFF */
    expect_malformed("62e6b0", ATEA_ERR_CBOR_UTF8);         /* sequence cut short */
    expect_malformed("7f62c3bc61c3ff", ATEA_ERR_CBOR_UTF8); /* chunk ends mid-character */
    expect_malformed("0000", ATEA_ERR_TRAILING);
    expect_malformed("", ATEA_ERR_TRUNCATED);

    /* indefinite strings are skipped but never read as one slice */
    atea_buf b = atea_test_hex("5f42010243030405ff");
    atea_cbor_rd c = decoder(&b);
    atea_slice s;
    EXPECT_ERR(atea_cbor_read_bstr(&c, &s), ATEA_ERR_CBOR_TYPE);
    assert_int_equal(c.rd.off, 0);
    atea_buf_free(&b);

    /* the detail names the offset */
    b = atea_test_hex("82011c");
    assert_int_equal(atea_cbor_check_one(b.data, b.len), ATEA_ERR_CBOR_MALFORMED);
    assert_non_null(strstr(atea_err_last()->detail, "offset 2"));
    atea_buf_free(&b);
}

/* `levels` nested one-element arrays around 0 (or tags around 0 when tags is set). */
static atea_buf nested(size_t levels, int tags)
{
    atea_buf b = {0};
    uint8_t *p = malloc(levels * 2 + 1);
    assert_non_null(p);
    size_t n = 0;
    for (size_t i = 0; i < levels; i++) {
        if (tags) {
            p[n++] = 0xd8;
            p[n++] = 0x20;
        } else {
            p[n++] = 0x81;
        }
    }
    p[n++] = 0x00;
    EXPECT_OK(atea_buf_set(&b, p, n));
    free(p);
    return b;
}

static void test_depth_cap(void **state)
{
    (void)state;
    for (int tags = 0; tags <= 1; tags++) {
        atea_buf at = nested(ATEA_CBOR_MAX_DEPTH, tags);
        atea_buf over = nested(ATEA_CBOR_MAX_DEPTH + 1, tags);
        EXPECT_OK(atea_cbor_check_one(at.data, at.len));
        EXPECT_ERR(atea_cbor_check_one(over.data, over.len), ATEA_ERR_CBOR_DEPTH);
        atea_buf_free(&at);
        atea_buf_free(&over);
    }
    /* a caller-chosen limit, and one far past it (recursion must stop at the limit) */
    atea_buf deep = nested(100000, 0);
    atea_cbor_rd c;
    EXPECT_OK(atea_cbor_rd_init_limits(&c, deep.data, deep.len, 3, 100));
    EXPECT_ERR(atea_cbor_skip(&c), ATEA_ERR_CBOR_DEPTH);
    assert_int_equal(c.rd.off, 0);
    EXPECT_ERR(atea_cbor_check_one(deep.data, deep.len), ATEA_ERR_CBOR_DEPTH);
    atea_buf_free(&deep);
    EXPECT_ERR(atea_cbor_rd_init_limits(&c, NULL, 0, ATEA_CBOR_DEPTH_LIMIT + 1, 10),
               ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_cbor_rd_init_limits(&c, NULL, 0, 4, 0), ATEA_ERR_INVALID_ARG);

    /* depth 0: only scalars */
    atea_buf flat = atea_test_hex("8100");
    EXPECT_OK(atea_cbor_rd_init_limits(&c, flat.data, 1 + 0, 0, 10));
    EXPECT_ERR(atea_cbor_skip(&c), ATEA_ERR_CBOR_DEPTH);
    EXPECT_OK(atea_cbor_rd_init_limits(&c, flat.data + 1, 1, 0, 10));
    EXPECT_OK(atea_cbor_skip(&c));
    atea_buf_free(&flat);
}

static void test_item_budget(void **state)
{
    (void)state;
    atea_buf b = atea_test_hex("83010203");
    atea_cbor_rd c;
    EXPECT_OK(atea_cbor_rd_init_limits(&c, b.data, b.len, 4, 4)); /* 4 heads: at the cap */
    EXPECT_OK(atea_cbor_skip(&c));
    EXPECT_OK(atea_cbor_rd_init_limits(&c, b.data, b.len, 4, 3)); /* cap + 1 heads */
    EXPECT_ERR(atea_cbor_skip(&c), ATEA_ERR_TOO_LARGE);
    atea_buf_free(&b);
}

static void test_huge_declared_lengths(void **state)
{
    (void)state;
    static const char *const huge[] = {
        "5bffffffffffffffff00", /* bstr of 2^64-1 bytes */
        "7b7fffffffffffffff61", /* tstr of 2^63-1 bytes */
        "5a0001000000",         /* bstr of 65536 bytes, 1 present */
        "9bffffffffffffffff00", /* array of 2^64-1 elements */
        "bb800000000000000000", /* map of 2^63 pairs */
        "a30102",               /* map of 3 pairs in 2 bytes */
        "9a7fffffff",
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(huge); i++) {
        atea_buf b = atea_test_hex(huge[i]);
        atea_cbor_rd c = decoder(&b);
        atea_cbor_head h;
        EXPECT_ERR(atea_cbor_read_head(&c, &h), ATEA_ERR_TRUNCATED);
        assert_int_equal(c.rd.off, 0);
        expect_malformed(huge[i], ATEA_ERR_TRUNCATED);
        atea_buf_free(&b);
    }
    /* the count check is what lets callers size arrays by n: n never exceeds the input */
    atea_buf ok = atea_test_hex("a20102 0304");
    atea_cbor_rd c = decoder(&ok);
    size_t n = 0;
    EXPECT_OK(atea_cbor_read_map(&c, &n));
    assert_int_equal(n, 2);
    atea_buf_free(&ok);
}

static void test_truncation_at_every_offset(void **state)
{
    (void)state;
    static const char *const items[] = {
        /* RFC 9999 §5.5 collection, and indefinite-length forms */
        "a4685f5f636d77635f7478277461673a6578616d706c652e636f6d2c323032343a636f6d706f736974652d6174"
        "74"
        "6573746572008319fde7442347da550401da6374ffe6442347da550283736170706c69636174696f6e2f65617"
        "42b6a7774432e2e2e08",
        "bf6346756ef563416d7421ff",
        "5f42010243030405ff",
        "9f018202039f0405ffff",
        "1b000000e8d4a51000",
        "fb3ff199999999999a",
    };
    for (size_t i = 0; i < ATEA_ARRAY_LEN(items); i++) {
        atea_buf b = atea_test_hex(items[i]);
        EXPECT_OK(atea_cbor_check_one(b.data, b.len));
        for (size_t cut = 0; cut < b.len; cut++) {
            atea_err e = atea_cbor_check_one(b.data, cut);
            if (e != ATEA_ERR_TRUNCATED) {
                fail_msg("%s cut at %zu: %s", items[i], cut, atea_err_name(e));
            }
        }
        atea_buf_free(&b);
    }
}

static void test_raw_and_open_bstr(void **state)
{
    (void)state;
    /* [h'a10126', {1: -7}, 24(h'820102')] */
    atea_buf b = atea_test_hex("83 43a10126 a10126 d81843820102");
    atea_cbor_rd c = decoder(&b);
    atea_cbor_rd sub;
    atea_slice raw;
    size_t n = 0;
    int64_t v = 0;
    uint64_t tag = 0;
    EXPECT_OK(atea_cbor_read_array(&c, &n));
    EXPECT_OK(atea_cbor_open_bstr(&c, &sub));
    assert_int_equal(atea_cbor_pos(&sub), 2);
    EXPECT_OK(atea_cbor_read_map(&sub, &n));
    EXPECT_OK(atea_cbor_read_int(&sub, &v));
    EXPECT_OK(atea_cbor_read_int(&sub, &v));
    assert_int_equal(v, -7);
    EXPECT_OK(atea_cbor_end(&sub));
    EXPECT_OK(atea_cbor_read_raw(&c, &raw));
    atea_test_assert_hex(raw.data, raw.len, "a10126");
    EXPECT_OK(atea_cbor_read_tag(&c, &tag));
    assert_int_equal(tag, 24);
    EXPECT_OK(atea_cbor_open_bstr(&c, &sub));
    EXPECT_OK(atea_cbor_read_array(&sub, &n));
    EXPECT_ERR(atea_cbor_end(&sub), ATEA_ERR_TRAILING);
    assert_non_null(strstr(atea_err_last()->detail, "offset 12"));
    EXPECT_OK(atea_cbor_end(&c));
    atea_buf_free(&b);
}

static void test_indefinite_containers(void **state)
{
    (void)state;
    /* [_ "a", h'01'] */
    atea_buf b = atea_test_hex("9f616141 01ff");
    atea_cbor_rd c = decoder(&b);
    size_t n = 0;
    int indef = 0;
    atea_slice s;
    EXPECT_ERR(atea_cbor_read_array(&c, &n), ATEA_ERR_CBOR_TYPE);
    EXPECT_ERR(atea_cbor_read_map_head(&c, &n, &indef), ATEA_ERR_CBOR_TYPE);
    EXPECT_OK(atea_cbor_read_array_head(&c, &n, &indef));
    assert_int_equal(indef, 1);
    assert_false(atea_cbor_at_break(&c));
    EXPECT_ERR(atea_cbor_read_break(&c), ATEA_ERR_CBOR_TYPE);
    EXPECT_OK(atea_cbor_read_tstr(&c, &s));
    EXPECT_OK(atea_cbor_read_bstr(&c, &s));
    assert_true(atea_cbor_at_break(&c));
    EXPECT_ERR(atea_cbor_read_bstr(&c, &s), ATEA_ERR_CBOR_TYPE);
    EXPECT_OK(atea_cbor_read_break(&c));
    EXPECT_OK(atea_cbor_end(&c));
    atea_buf_free(&b);
}

static void test_encoder_failures_leave_writer_unchanged(void **state)
{
    (void)state;
    uint8_t out[4];
    atea_wr wr;
    atea_wr_init_fixed(&wr, out, sizeof(out));
    EXPECT_OK(atea_cbor_wr_uint(&wr, 1));
    EXPECT_ERR(atea_cbor_wr_bstr(&wr, (const uint8_t *)"abcd", 4), ATEA_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(atea_wr_len(&wr), 1);
    EXPECT_ERR(atea_cbor_wr_uint(&wr, 0x100000000ull), ATEA_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(atea_wr_len(&wr), 1);
    EXPECT_ERR(atea_cbor_wr_tstr(&wr, "\xc0\x80", 2), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_cbor_wr_tstr_z(&wr, NULL), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_cbor_wr_bstr(&wr, NULL, 1), ATEA_ERR_INVALID_ARG);
    assert_int_equal(atea_wr_len(&wr), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_a_integers),
        cmocka_unit_test(test_appendix_a_strings),
        cmocka_unit_test(test_appendix_a_containers),
        cmocka_unit_test(test_appendix_a_skip_all),
        cmocka_unit_test(test_simple_values_and_floats),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_depth_cap),
        cmocka_unit_test(test_item_budget),
        cmocka_unit_test(test_huge_declared_lengths),
        cmocka_unit_test(test_truncation_at_every_offset),
        cmocka_unit_test(test_raw_and_open_bstr),
        cmocka_unit_test(test_indefinite_containers),
        cmocka_unit_test(test_encoder_failures_leave_writer_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
