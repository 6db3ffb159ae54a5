/* The bounded writer: hard caps, length prefixes filled on close, failed writes change nothing. */
#include <string.h>

#include "atea_test.h"
#include "core/wr.h"

static void test_fixed_buffer_cap(void **state)
{
    (void)state;
    uint8_t buf[4];
    atea_wr wr;
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_OK(atea_wr_u24(&wr, 0x010203));
    EXPECT_ERR(atea_wr_u16(&wr, 0xffff), ATEA_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(atea_wr_len(&wr), 3);
    EXPECT_OK(atea_wr_u8(&wr, 4));
    atea_test_assert_hex(buf, 4, "01020304");
}

static void test_growable_cap_and_cap_plus_one(void **state)
{
    (void)state;
    atea_wr wr;
    uint8_t chunk[100];
    memset(chunk, 0x5a, sizeof(chunk));
    EXPECT_OK(atea_wr_init_growable(&wr, 1, 300));
    EXPECT_OK(atea_wr_bytes(&wr, chunk, 100));
    EXPECT_OK(atea_wr_bytes(&wr, chunk, 100));
    EXPECT_OK(atea_wr_bytes(&wr, chunk, 100)); /* exactly at the cap */
    EXPECT_ERR(atea_wr_u8(&wr, 1), ATEA_ERR_TOO_LARGE);
    assert_int_equal(atea_wr_len(&wr), 300);
    atea_wr_dispose(&wr);
    atea_wr_dispose(&wr);
}

static void test_vectors_nested(void **state)
{
    (void)state;
    atea_wr wr;
    atea_buf out = {0};
    EXPECT_OK(atea_wr_init_growable(&wr, 0, 1024));
    EXPECT_OK(atea_wr_u8(&wr, 0x0d));
    EXPECT_OK(atea_wr_open_vec(&wr, 3));
    EXPECT_OK(atea_wr_vec(&wr, 1, "\x01\x02", 2));
    EXPECT_OK(atea_wr_open_vec(&wr, 2));
    EXPECT_OK(atea_wr_u16(&wr, 0x000d));
    EXPECT_OK(atea_wr_close_vec(&wr));
    EXPECT_OK(atea_wr_close_vec(&wr));
    EXPECT_OK(atea_wr_take(&wr, &out));
    atea_test_assert_hex(out.data, out.len, "0d 000007 02 0102 0002 000d");
    atea_buf_free(&out);
    atea_wr_dispose(&wr);
}

static void test_vector_overflow_rejected(void **state)
{
    (void)state;
    atea_wr wr;
    uint8_t body[256];
    memset(body, 1, sizeof(body));
    EXPECT_OK(atea_wr_init_growable(&wr, 0, 4096));
    EXPECT_OK(atea_wr_vec(&wr, 1, body, 255)); /* at the cap of a 1-byte length */
    size_t before = atea_wr_len(&wr);
    EXPECT_ERR(atea_wr_vec(&wr, 1, body, 256), ATEA_ERR_VEC_LENGTH);
    assert_int_equal(atea_wr_len(&wr), before);
    assert_int_equal(wr.depth, 0);
    atea_wr_dispose(&wr);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    atea_wr wr;
    EXPECT_OK(atea_wr_init_growable(&wr, 0, 4096));
    for (int i = 0; i < ATEA_WR_MAX_NESTING; i++) {
        EXPECT_OK(atea_wr_open_vec(&wr, 1));
    }
    EXPECT_ERR(atea_wr_open_vec(&wr, 1), ATEA_ERR_NESTING);
    EXPECT_ERR(atea_wr_take(&wr, &(atea_buf){0}), ATEA_ERR_BAD_STATE);
    atea_wr_dispose(&wr);
    EXPECT_ERR(atea_wr_close_vec(&wr), ATEA_ERR_BAD_STATE);
}

/* Text lines: two spaces per indent level, the text cut at max_text bytes, then '\n'. */
static void test_text_lines(void **state)
{
    (void)state;
    atea_wr wr;
    atea_buf out = {0};
    EXPECT_OK(atea_wr_init_growable(&wr, 16, 4096));
    EXPECT_OK(atea_wr_linef(&wr, 2, 20, "%s=%d", "x", 42));
    EXPECT_OK(atea_wr_linef(&wr, 0, 5, "%s", "abcdefgh")); /* cut */
    EXPECT_OK(atea_wr_linef(&wr, 1, 5, "%s", "abcde"));    /* exactly max_text */
    EXPECT_ERR(atea_wr_linef(&wr, 0, ATEA_WR_MAX_LINE, "%s", "x"), ATEA_ERR_INVALID_ARG);
    EXPECT_OK(atea_wr_take(&wr, &out));
    assert_int_equal(out.len, strlen("    x=42\nabcde\n  abcde\n"));
    assert_memory_equal(out.data, "    x=42\nabcde\n  abcde\n", out.len);
    atea_buf_free(&out);
    /* A line that does not fit a fixed writer fails with the writer's code. */
    uint8_t buf[4];
    atea_wr_init_fixed(&wr, buf, sizeof(buf));
    EXPECT_ERR(atea_wr_linef(&wr, 0, 20, "%s", "abcd"), ATEA_ERR_BUFFER_TOO_SMALL);
    atea_wr_dispose(&wr);
}

static void test_hex_round_trip_and_errors(void **state)
{
    (void)state;
    atea_buf b = {0};
    char text[16];
    EXPECT_OK(atea_hex_decode("0A:bc 1f\n", 9, &b));
    assert_int_equal(b.len, 3);
    EXPECT_OK(atea_hex_encode(b.data, b.len, text, sizeof(text)));
    assert_string_equal(text, "0abc1f");
    EXPECT_ERR(atea_hex_encode(b.data, b.len, text, 6), ATEA_ERR_BUFFER_TOO_SMALL);
    EXPECT_ERR(atea_hex_decode("abc", 3, &b), ATEA_ERR_BAD_HEX);
    EXPECT_ERR(atea_hex_decode("zz", 2, &b), ATEA_ERR_BAD_HEX);
    EXPECT_ERR(atea_hex_decode("a b", 3, &b), ATEA_ERR_BAD_HEX);
    atea_buf_free(&b);
}

static void test_error_registry(void **state)
{
    (void)state;
    assert_string_equal(atea_err_name(ATEA_ERR_TRAILING), "ATEA_ERR_TRAILING");
    assert_int_equal(atea_err_class_of(ATEA_ERR_TRAILING), ATEA_ERR_CLASS_DECODE);
    assert_int_equal(atea_err_class_of(ATEA_ERR_NO_MEMORY), ATEA_ERR_CLASS_INTERNAL);
    assert_false(atea_err_is_fatal(ATEA_ERR_WANT_READ));
    assert_true(atea_err_is_fatal(ATEA_ERR_TRUNCATED));
    assert_string_equal(atea_strerror(-12345), "unknown atea error");
    /* every registered code has a distinct value, a name and a message */
#define CHECK_ENTRY(id, value, msg)                                                                \
    assert_int_equal(atea_err_class_of(id) != ATEA_ERR_CLASS_OK, 1);                               \
    assert_string_equal(atea_err_name(id), #id);                                                   \
    assert_true(strlen(msg) > 10);
    ATEA_ERRORS(CHECK_ENTRY)
#undef CHECK_ENTRY
}

static void test_error_detail_can_wrap_the_previous_one(void **state)
{
    (void)state;
    (void)atea__err_set(ATEA_ERR_TRUNCATED, __FILE__, __LINE__, "inner %d", 42);
    (void)atea__err_set(ATEA_ERR_TOO_LARGE, __FILE__, __LINE__, "outer: %s",
                        atea_err_last()->detail);
    assert_string_equal(atea_err_last()->detail, "outer: inner 42");
    assert_int_equal(atea_err_last()->code, ATEA_ERR_TOO_LARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_buffer_cap),
        cmocka_unit_test(test_growable_cap_and_cap_plus_one),
        cmocka_unit_test(test_vectors_nested),
        cmocka_unit_test(test_vector_overflow_rejected),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_text_lines),
        cmocka_unit_test(test_hex_round_trip_and_errors),
        cmocka_unit_test(test_error_registry),
        cmocka_unit_test(test_error_detail_can_wrap_the_previous_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
