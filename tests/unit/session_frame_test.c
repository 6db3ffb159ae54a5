/* The atea framing codec: header, partial input, caps at cap and cap+1, the HELLO, RESULT and
 * ERROR bodies, and the byte examples that docs/PROTOCOL.md shows. */
#include <string.h>

#include "atea/frame.h"
#include "atea/reason.h"
#include "atea_test.h"

static void test_roundtrip_and_partial_input(void **state)
{
    (void)state;
    uint8_t out[32];
    size_t n = 0;
    atea_frame f;
    size_t used = 0;
    size_t need = 0;
    EXPECT_OK(atea_frame_encode(ATEA_FRAME_DATA, (const uint8_t *)"hi!", 3, out, sizeof(out), &n));
    atea_test_assert_hex(out, n, "06000003686921");
    /* every proper prefix asks for more, and says how much the frame needs */
    for (size_t len = 0; len < n; len++) {
        EXPECT_ERR(atea_frame_decode(out, len, &f, &used, &need), ATEA_ERR_WANT_READ);
        assert_int_equal(used, 0);
        assert_int_equal(need, len < 4 ? 4 : 7);
    }
    /* the whole frame, followed by the start of the next one */
    out[n] = ATEA_FRAME_DATA;
    EXPECT_OK(atea_frame_decode(out, n + 1, &f, &used, &need));
    assert_int_equal(f.type, ATEA_FRAME_DATA);
    assert_int_equal(used, 7);
    assert_int_equal(f.body.len, 3);
    assert_memory_equal(f.body.data, "hi!", 3);
    EXPECT_ERR(atea_frame_encode(ATEA_FRAME_DATA, (const uint8_t *)"hi!", 3, out, 6, &n),
               ATEA_ERR_BUFFER_TOO_SMALL);
}

static void test_header_rejections(void **state)
{
    (void)state;
    atea_frame f;
    size_t used = 0;
    const uint8_t unknown0[] = {0x00, 0x00, 0x00, 0x01, 0xaa};
    const uint8_t unknown7[] = {0x07, 0x00, 0x00, 0x00};
    const uint8_t empty_data[] = {0x06, 0x00, 0x00, 0x00};
    EXPECT_ERR(atea_frame_decode(unknown0, sizeof(unknown0), &f, &used, NULL),
               ATEA_ERR_FRAME_UNKNOWN_TYPE);
    EXPECT_ERR(atea_frame_decode(unknown7, sizeof(unknown7), &f, &used, NULL),
               ATEA_ERR_FRAME_UNKNOWN_TYPE);
    assert_non_null(strstr(atea_err_last()->detail, "0x07"));
    EXPECT_ERR(atea_frame_decode(empty_data, sizeof(empty_data), &f, &used, NULL),
               ATEA_ERR_FRAME_MALFORMED);
    uint8_t body[4] = {0};
    size_t n = 0;
    uint8_t out[8];
    EXPECT_ERR(atea_frame_encode(0, body, 1, out, sizeof(out), &n), ATEA_ERR_FRAME_UNKNOWN_TYPE);
    assert_int_equal(atea_frame_cap(9), 0);
    assert_string_equal(atea_frame_type_name(9), "UNKNOWN");
    assert_string_equal(atea_frame_type_name(ATEA_FRAME_AUTHENTICATOR), "AUTHENTICATOR");
}

/* Each type at its cap decodes; at cap + 1 it fails from the header alone. */
static void test_caps_per_type(void **state)
{
    (void)state;
    static uint8_t buf[ATEA_FRAME_HEADER_LEN + ATEA_FRAME_MAX_AUTHENTICATOR + 1];
    static uint8_t body[ATEA_FRAME_MAX_AUTHENTICATOR + 1];
    memset(body, 0x41, sizeof(body));
    for (unsigned type = 1; type <= ATEA_FRAME_TYPE_MAX; type++) {
        size_t cap = atea_frame_cap(type);
        atea_frame f;
        size_t used = 0;
        size_t need = 0;
        size_t n = 0;
        assert_true(cap > 0);
        EXPECT_OK(atea_frame_encode(type, body, cap, buf, sizeof(buf), &n));
        EXPECT_OK(atea_frame_decode(buf, n, &f, &used, &need));
        assert_int_equal(f.body.len, cap);
        buf[1] = (uint8_t)((cap + 1) >> 16);
        buf[2] = (uint8_t)((cap + 1) >> 8);
        buf[3] = (uint8_t)(cap + 1);
        EXPECT_ERR(atea_frame_decode(buf, ATEA_FRAME_HEADER_LEN, &f, &used, &need),
                   ATEA_ERR_FRAME_TOO_LARGE);
        EXPECT_ERR(atea_frame_encode(type, body, cap + 1, buf, sizeof(buf), &n),
                   ATEA_ERR_FRAME_TOO_LARGE);
    }
}

static atea_hello sample_hello(void)
{
    atea_hello h;
    memset(&h, 0, sizeof(h));
    h.version = ATEA_FRAME_VERSION;
    h.roles = ATEA_ROLE_ATTEST;
    h.cmw_formats = ATEA_CMW_FORMAT_CBOR;
    h.n_evidence_types = 1;
    h.evidence_types[0] = ATEA_EVIDENCE_SIM;
    strcpy(h.label, "Attestation");
    h.layout = 1;
    h.cmw_ext = 0xff00;
    return h;
}

/* docs/PROTOCOL.md shows this HELLO byte for byte. */
#define HELLO_HEX                                                                                  \
    "0001"                                                                                         \
    "01"                                                                                           \
    "01"                                                                                           \
    "020005"                                                                                       \
    "0b4174746573746174696f6e"                                                                     \
    "01"                                                                                           \
    "ff00"

static void test_hello(void **state)
{
    (void)state;
    atea_hello h = sample_hello();
    atea_hello back;
    uint8_t out[ATEA_FRAME_MAX_HELLO];
    size_t n = 0;
    EXPECT_OK(atea_hello_encode(&h, out, sizeof(out), &n));
    atea_test_assert_hex(out, n, HELLO_HEX);
    EXPECT_OK(atea_hello_decode(out, n, &back));
    assert_int_equal(back.roles, ATEA_ROLE_ATTEST);
    assert_int_equal(back.n_evidence_types, 1);
    assert_int_equal(back.evidence_types[0], ATEA_EVIDENCE_SIM);
    assert_string_equal(back.label, "Attestation");
    assert_int_equal(back.cmw_ext, 0xff00);

    /* every truncation is a decode error, a trailing byte too */
    for (size_t len = 0; len < n; len++) {
        atea_err err = atea_hello_decode(out, len, &back);
        assert_true(err == ATEA_ERR_TRUNCATED || err == ATEA_ERR_VEC_LENGTH);
    }
    out[n] = 0;
    EXPECT_ERR(atea_hello_decode(out, n + 1, &back), ATEA_ERR_TRAILING);

    uint8_t bad[64];
    memcpy(bad, out, n);
    bad[1] = 2; /* version 2 */
    EXPECT_ERR(atea_hello_decode(bad, n, &back), ATEA_ERR_HELLO_VERSION);
    memcpy(bad, out, n);
    bad[2] = 0x04; /* undefined role bit */
    EXPECT_ERR(atea_hello_decode(bad, n, &back), ATEA_ERR_FRAME_MALFORMED);
    memcpy(bad, out, n);
    bad[3] = 0x08; /* undefined format bit */
    EXPECT_ERR(atea_hello_decode(bad, n, &back), ATEA_ERR_FRAME_MALFORMED);
    memcpy(bad, out, n);
    bad[8] = 0x0a; /* a control character in the label */
    EXPECT_ERR(atea_hello_decode(bad, n, &back), ATEA_ERR_FRAME_MALFORMED);
    memcpy(bad, out, n);
    bad[4] = 1; /* odd evidence_types length */
    EXPECT_ERR(atea_hello_decode(bad, n, &back), ATEA_ERR_FRAME_MALFORMED);

    /* evidence types at the cap and above it */
    h.n_evidence_types = ATEA_FRAME_MAX_EVIDENCE_TYPES;
    EXPECT_OK(atea_hello_encode(&h, out, sizeof(out), &n));
    EXPECT_OK(atea_hello_decode(out, n, &back));
    assert_int_equal(back.n_evidence_types, ATEA_FRAME_MAX_EVIDENCE_TYPES);
    out[4] = 2 * ATEA_FRAME_MAX_EVIDENCE_TYPES + 2;
    EXPECT_ERR(atea_hello_decode(out, n, &back), ATEA_ERR_VEC_LENGTH);
    h.n_evidence_types = ATEA_FRAME_MAX_EVIDENCE_TYPES + 1;
    EXPECT_ERR(atea_hello_encode(&h, out, sizeof(out), &n), ATEA_ERR_INVALID_ARG);
    h = sample_hello();
    h.label[0] = '\0';
    EXPECT_ERR(atea_hello_encode(&h, out, sizeof(out), &n), ATEA_ERR_INVALID_ARG);
}

static void test_result_and_error(void **state)
{
    (void)state;
    atea_result r;
    atea_result back;
    uint8_t out[ATEA_FRAME_MAX_RESULT];
    size_t n = 0;
    memset(&r, 0, sizeof(r));
    r.verdict = ATEA_VERDICT_REFUSED;
    r.reason = ATEA_REASON_BINDER_MISMATCH;
    r.context_len = 2;
    r.context[0] = 0xaa;
    r.context[1] = 0xbb;
    strcpy(r.text, "binder");
    r.text_len = 6;
    EXPECT_OK(atea_result_encode(&r, out, sizeof(out), &n));
    atea_test_assert_hex(out, n,
                         "02"
                         "0302"
                         "02aabb"
                         "0662696e646572");
    EXPECT_OK(atea_result_decode(out, n, &back));
    assert_int_equal(back.reason, ATEA_REASON_BINDER_MISMATCH);
    assert_int_equal(back.context_len, 2);
    assert_string_equal(back.text, "binder");
    out[n] = 0;
    EXPECT_ERR(atea_result_decode(out, n + 1, &back), ATEA_ERR_TRAILING);
    /* ATTESTED with a reason, REFUSED without one, an unknown verdict */
    const uint8_t attested_with_reason[] = {0x01, 0x03, 0x02, 0x00, 0x00};
    const uint8_t refused_without[] = {0x02, 0x00, 0x00, 0x00, 0x00};
    const uint8_t verdict3[] = {0x03, 0x00, 0x00, 0x00, 0x00};
    const uint8_t control_text[] = {0x01, 0x00, 0x00, 0x00, 0x01, 0x1b};
    EXPECT_ERR(atea_result_decode(attested_with_reason, 5, &back), ATEA_ERR_FRAME_MALFORMED);
    EXPECT_ERR(atea_result_decode(refused_without, 5, &back), ATEA_ERR_FRAME_MALFORMED);
    EXPECT_ERR(atea_result_decode(verdict3, 5, &back), ATEA_ERR_FRAME_MALFORMED);
    EXPECT_ERR(atea_result_decode(control_text, 6, &back), ATEA_ERR_FRAME_MALFORMED);
    r.reason = 0;
    EXPECT_ERR(atea_result_encode(&r, out, sizeof(out), &n), ATEA_ERR_INVALID_ARG);

    atea_error_body e;
    atea_error_body eback;
    memset(&e, 0, sizeof(e));
    e.reason = ATEA_REASON_TIMEOUT;
    strcpy(e.text, "late");
    e.text_len = 4;
    EXPECT_OK(atea_error_encode(&e, out, sizeof(out), &n));
    atea_test_assert_hex(out, n,
                         "010b"
                         "046c617465");
    EXPECT_OK(atea_error_decode(out, n, &eback));
    assert_int_equal(eback.reason, ATEA_REASON_TIMEOUT);
    assert_string_equal(eback.text, "late");
    EXPECT_ERR(atea_error_decode(out, n - 1, &eback), ATEA_ERR_TRUNCATED);
    /* text at its cap and above */
    memset(e.text, 'x', ATEA_FRAME_MAX_TEXT);
    e.text[ATEA_FRAME_MAX_TEXT] = '\0';
    e.text_len = ATEA_FRAME_MAX_TEXT;
    EXPECT_OK(atea_error_encode(&e, out, sizeof(out), &n));
    EXPECT_OK(atea_error_decode(out, n, &eback));
    assert_int_equal(eback.text_len, ATEA_FRAME_MAX_TEXT);
    e.text_len = ATEA_FRAME_MAX_TEXT + 1;
    EXPECT_ERR(atea_error_encode(&e, out, sizeof(out), &n), ATEA_ERR_INVALID_ARG);
}

static void test_reason_registry(void **state)
{
    (void)state;
    assert_int_equal(atea_reason_from_err(ATEA_OK), ATEA_REASON_NONE);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_BINDER_MISMATCH), ATEA_REASON_BINDER_MISMATCH);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_AIK_HASH_MISMATCH), ATEA_REASON_KEY_MISMATCH);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_EA_BAD_SIGNATURE), ATEA_REASON_BAD_SIGNATURE);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_EA_UNREQUESTED_CMW),
                     ATEA_REASON_UNSUPPORTED_EXTENSION);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_FRAME_TOO_LARGE), ATEA_REASON_FRAME_TOO_LARGE);
    /* an evidence-layer code reaches the peer as "evidence", an internal one as "internal" */
    assert_int_equal(atea_reason_from_err(-420), ATEA_REASON_EVIDENCE);
    assert_int_equal(atea_reason_from_err(-401), ATEA_REASON_ATTESTER_FAILED);
    assert_int_equal(atea_reason_from_err(-142), ATEA_REASON_ATTESTER_FAILED);
    assert_int_equal(atea_reason_from_err(-245), ATEA_REASON_EVIDENCE);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_INTERNAL), ATEA_REASON_INTERNAL);
    assert_int_equal(atea_reason_from_err(ATEA_ERR_INVALID_ARG), ATEA_REASON_INTERNAL);
    assert_string_equal(atea_reason_name(ATEA_REASON_TIMEOUT), "ATEA_REASON_TIMEOUT");
    assert_string_equal(atea_reason_name(0x03ff), "ATEA_REASON_UNKNOWN");
    assert_false(atea_reason_known(0x03ff));
    assert_true(atea_reason_known(ATEA_REASON_POLICY));
    /* an unknown value of a known group reads as the group's generic reason */
    assert_string_equal(atea_reason_message(0x03ff), atea_reason_message(ATEA_REASON_EVIDENCE));
    assert_non_null(atea_reason_message(0x7777));
    /* every code of the session layer has a reason other than "internal", unless it is a usage
     * error of the local caller, a local crypto failure, or says that the PEER ended the
     * session (then nothing is sent back) */
#define CHECK_SESSION_CODE(id, value, msg)                                                         \
    if (atea_err_class_of(id) != ATEA_ERR_CLASS_USAGE && (id) != ATEA_ERR_BINDER_HASH &&           \
        (id) != ATEA_ERR_SESSION_PEER_ERROR && (id) != ATEA_ERR_SESSION_REFUSED) {                 \
        if (atea_reason_from_err(id) == ATEA_REASON_INTERNAL) {                                    \
            fail_msg("%s maps to ATEA_REASON_INTERNAL", #id);                                      \
        }                                                                                          \
    }
    ATEA_ERRORS_SESSION(CHECK_SESSION_CODE)
#undef CHECK_SESSION_CODE
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_and_partial_input),
        cmocka_unit_test(test_header_rejections),
        cmocka_unit_test(test_caps_per_type),
        cmocka_unit_test(test_hello),
        cmocka_unit_test(test_result_and_error),
        cmocka_unit_test(test_reason_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
