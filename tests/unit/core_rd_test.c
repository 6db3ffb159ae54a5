/* The bounded reader: every read is checked, vectors honour min/max, nothing trails. */
#include <string.h>

#include "atea_test.h"
#include "core/rd.h"

static void test_integers_network_and_little_endian(void **state)
{
    (void)state;
    const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
    atea_rd rd;
    uint8_t a;
    uint16_t b;
    uint32_t c;
    uint32_t d;
    atea_rd_init(&rd, in, sizeof(in));
    EXPECT_OK(atea_rd_u8(&rd, &a));
    EXPECT_OK(atea_rd_u16(&rd, &b));
    EXPECT_OK(atea_rd_u24(&rd, &c));
    EXPECT_OK(atea_rd_u32le(&rd, &d));
    assert_int_equal(a, 0x01);
    assert_int_equal(b, 0x0203);
    assert_int_equal(c, 0x040506);
    assert_int_equal(d, 0x0a090807);
    EXPECT_OK(atea_rd_end(&rd));
    EXPECT_ERR(atea_rd_u8(&rd, &a), ATEA_ERR_TRUNCATED);
}

static void test_short_read_leaves_cursor(void **state)
{
    (void)state;
    const uint8_t in[] = {0xaa, 0xbb, 0xcc};
    atea_rd rd;
    uint32_t v;
    atea_rd_init(&rd, in, sizeof(in));
    EXPECT_ERR(atea_rd_u32(&rd, &v), ATEA_ERR_TRUNCATED);
    assert_int_equal(rd.off, 0);
    assert_non_null(strstr(atea_err_last()->detail, "need 4 bytes at offset 0"));
    EXPECT_OK(atea_rd_u24(&rd, &v));
    assert_int_equal(v, 0xaabbcc);
}

static void test_vector_bounds(void **state)
{
    (void)state;
    /* opaque x<2..4> with 3 body bytes, then 1 trailing byte. */
    const uint8_t in[] = {0x00, 0x03, 0x11, 0x22, 0x33, 0x44};
    atea_rd rd;
    atea_rd sub;
    uint8_t x;
    atea_rd_init(&rd, in, sizeof(in));
    EXPECT_OK(atea_rd_vec(&rd, 2, 2, 4, &sub));
    assert_int_equal(atea_rd_left(&sub), 3);
    EXPECT_OK(atea_rd_u8(&sub, &x));
    EXPECT_ERR(atea_rd_end(&sub), ATEA_ERR_TRAILING);
    EXPECT_ERR(atea_rd_end(&rd), ATEA_ERR_TRAILING);

    /* at the cap: length 4 allowed; cap+1 rejected */
    const uint8_t at_cap[] = {0x04, 1, 2, 3, 4};
    const uint8_t over_cap[] = {0x05, 1, 2, 3, 4, 5};
    atea_rd_init(&rd, at_cap, sizeof(at_cap));
    EXPECT_OK(atea_rd_vec(&rd, 1, 0, 4, &sub));
    atea_rd_init(&rd, over_cap, sizeof(over_cap));
    EXPECT_ERR(atea_rd_vec(&rd, 1, 0, 4, &sub), ATEA_ERR_VEC_LENGTH);
    assert_int_equal(rd.off, 0);

    /* below the minimum */
    const uint8_t too_short[] = {0x01, 9};
    atea_rd_init(&rd, too_short, sizeof(too_short));
    EXPECT_ERR(atea_rd_vec(&rd, 1, 2, 4, &sub), ATEA_ERR_VEC_LENGTH);

    /* body runs past the input */
    const uint8_t truncated[] = {0x00, 0x00, 0x05, 1, 2};
    atea_rd_init(&rd, truncated, sizeof(truncated));
    EXPECT_ERR(atea_rd_vec(&rd, 3, 0, 100, &sub), ATEA_ERR_TRUNCATED);
    assert_int_equal(rd.off, 0);
}

static void test_nested_offsets_in_detail(void **state)
{
    (void)state;
    const uint8_t in[] = {0xff, 0xff, 0x01, 0x01};
    atea_rd rd;
    atea_rd sub;
    uint16_t v;
    atea_rd_init(&rd, in, sizeof(in));
    EXPECT_OK(atea_rd_skip(&rd, 2));
    EXPECT_OK(atea_rd_vec(&rd, 1, 0, 255, &sub));
    assert_int_equal(atea_rd_pos(&sub), 3);
    EXPECT_ERR(atea_rd_u16(&sub, &v), ATEA_ERR_TRUNCATED);
    assert_non_null(strstr(atea_err_last()->detail, "offset 3"));
}

static void test_empty_input(void **state)
{
    (void)state;
    atea_rd rd;
    const uint8_t *p = NULL;
    atea_rd_init(&rd, NULL, 5);
    assert_int_equal(atea_rd_left(&rd), 0);
    EXPECT_OK(atea_rd_end(&rd));
    EXPECT_ERR(atea_rd_bytes(&rd, 1, &p), ATEA_ERR_TRUNCATED);
    EXPECT_OK(atea_rd_bytes(&rd, 0, &p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers_network_and_little_endian),
        cmocka_unit_test(test_short_read_leaves_cursor),
        cmocka_unit_test(test_vector_bounds),
        cmocka_unit_test(test_nested_offsets_in_detail),
        cmocka_unit_test(test_empty_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
