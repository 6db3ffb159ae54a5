/* CCEL / TCG2 event log: a log built here, replayed and compared with RTMRs computed here. */
#include <stdlib.h>
#include <string.h>

#include "atea/appraisal.h"
#include "atea/tdx.h"
#include "atea_test.h"
#include "core/eventlog.h"
#include "tcg_log.h"

static const char CMDLINE[] = "kernel_cmdline: /vmlinuz root=/dev/vda1 console=ttyS0";
static const char KERNEL[] = "pretend this is a PE image";

static void build_log(tcg_log *b, uint8_t kernel_digest[48], uint8_t initrd_digest[48])
{
    tcg_log_init(b);
    tcg_log_event(b, 1, 0x80000008u /* EV_EFI_PLATFORM_FIRMWARE_BLOB2 */, "firmware", 8, NULL);
    tcg_log_event(b, 1, 0x80000001u /* EV_EFI_VARIABLE_DRIVER_CONFIG */, "SecureBoot\x01", 11,
                  NULL);
    tcg_log_event(b, 2, ATEA_EV_EFI_BOOT_SERVICES_APPLICATION, "shim", 4, NULL);
    tcg_log_event(b, 2, ATEA_EV_EFI_BOOT_SERVICES_APPLICATION, KERNEL, sizeof(KERNEL),
                  kernel_digest);
    uint8_t tag[8 + 12] = {0xED, 0x22, 0x3B, 0x8F, 12, 0, 0, 0};
    memcpy(tag + 8, "Linux initrd", 12);
    tcg_log_event(b, 3, ATEA_EV_EVENT_TAG, tag, sizeof(tag), initrd_digest);
    tcg_log_event(b, 0, ATEA_EV_NO_ACTION, "StartupLocality\0\0", 17, NULL);
    tcg_log_event(b, 3, ATEA_EV_IPL, CMDLINE, sizeof(CMDLINE), NULL);
    tcg_log_event(b, 4, 0x0000000Du, "app", 3, NULL);
}

static void test_replay_matches(void **state)
{
    (void)state;
    tcg_log b;
    uint8_t kernel[48];
    uint8_t initrd[48];
    uint8_t replayed[4][48];
    build_log(&b, kernel, initrd);
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_tdx_eventlog_replay(b.data, b.len, (const uint8_t(*)[48])b.rtmr, replayed, a));
    assert_memory_equal(replayed, b.rtmr, sizeof(b.rtmr));
    const atea_claim *c = atea_appraisal_find_claim(a, "tdx", "eventlog_events");
    assert_non_null(c);
    assert_int_equal(c->i, 8);
    c = atea_appraisal_find_claim(a, "tdx", "eventlog_kernel_digest");
    assert_non_null(c);
    assert_memory_equal(c->bytes.data, kernel, 48);
    c = atea_appraisal_find_claim(a, "tdx", "eventlog_initrd_digest");
    assert_non_null(c);
    assert_memory_equal(c->bytes.data, initrd, 48);
    c = atea_appraisal_find_claim(a, "tdx", "eventlog_cmdline");
    assert_non_null(c);
    assert_string_equal(c->str, "/vmlinuz root=/dev/vda1 console=ttyS0");
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(a);
    /* the unused rest of a CCEL area (0xFF) ends the log; so does 0x00 */
    memset(b.data + b.len, 0xff, 100);
    EXPECT_OK(
        atea_tdx_eventlog_replay(b.data, b.len + 100, (const uint8_t(*)[48])b.rtmr, NULL, NULL));
    memset(b.data + b.len, 0x00, 100);
    EXPECT_OK(
        atea_tdx_eventlog_replay(b.data, b.len + 100, (const uint8_t(*)[48])b.rtmr, NULL, NULL));
    /* anything else after the last event is not padding */
    b.data[b.len + 50] = 0x01;
    EXPECT_ERR(
        atea_tdx_eventlog_replay(b.data, b.len + 100, (const uint8_t(*)[48])b.rtmr, NULL, NULL),
        ATEA_ERR_EVENTLOG_MALFORMED);
}

static void test_tampered_log(void **state)
{
    (void)state;
    tcg_log b;
    uint8_t kernel[48];
    uint8_t initrd[48];
    build_log(&b, kernel, initrd);
    /* replay sees digests, not event data: flip one byte of the kernel event's SHA-384 */
    size_t kernel_event = b.ends[3];        /* the kernel event starts where shim's ends */
    b.data[kernel_event + 12 + 2 + 5] ^= 1; /* SHA-384 digest of the kernel event */
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_ERR(atea_tdx_eventlog_replay(b.data, b.len, (const uint8_t(*)[48])b.rtmr, NULL, a),
               ATEA_ERR_EVENTLOG_MISMATCH);
    assert_non_null(strstr(atea_err_last()->detail, "RTMR1"));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    b.data[kernel_event + 12 + 2 + 5] ^= 1;
    /* the quote's RTMR differs */
    b.rtmr[3][0] ^= 1;
    EXPECT_ERR(atea_tdx_eventlog_replay(b.data, b.len, (const uint8_t(*)[48])b.rtmr, NULL, NULL),
               ATEA_ERR_EVENTLOG_MISMATCH);
    assert_non_null(strstr(atea_err_last()->detail, "RTMR3"));
}

static atea_err count_cb(void *user, const atea_eventlog_event *ev)
{
    (void)ev;
    (*(size_t *)user)++;
    return ATEA_OK;
}

static int all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return 0;
        }
    }
    return 1;
}

static void test_truncated_log(void **state)
{
    (void)state;
    tcg_log b;
    uint8_t kernel[48];
    uint8_t initrd[48];
    build_log(&b, kernel, initrd);
    for (size_t cut = 0; cut < b.len; cut++) {
        size_t n = 0;
        atea_err err = atea_eventlog_parse(b.data, cut, ATEA_TPM_ALG_SHA384, count_cb, &n, NULL);
        size_t prev = 0;
        int boundary = 0;
        for (size_t i = 0; i < b.n_ends; i++) {
            boundary |= b.ends[i] == cut;
            prev = b.ends[i] <= cut ? b.ends[i] : prev;
        }
        /* a cut that leaves only zero bytes of the next event looks like padding */
        int padding = prev > 0 && (all_bytes(b.data + prev, cut - prev, 0) ||
                                   all_bytes(b.data + prev, cut - prev, 0xff));
        atea_err want = (boundary || padding) ? ATEA_OK : ATEA_ERR_TRUNCATED;
        if (err != want) {
            fail_msg("cut at %zu: %s, want %s", cut, atea_err_name(err), atea_err_name(want));
        }
    }
    /* a cut at an event boundary is a well-formed but shorter log: replay shows it */
    EXPECT_ERR(atea_tdx_eventlog_replay(b.data, b.ends[b.n_ends - 2], (const uint8_t(*)[48])b.rtmr,
                                        NULL, NULL),
               ATEA_ERR_EVENTLOG_MISMATCH);
}

static void test_malformed_logs(void **state)
{
    (void)state;
    tcg_log b;
    uint8_t kernel[48];
    uint8_t initrd[48];
    size_t n = 0;
    build_log(&b, kernel, initrd);
    uint8_t *c = malloc(b.len);
    assert_non_null(c);
    /* no SHA-1 header / wrong signature */
    memcpy(c, b.data, b.len);
    c[32] = 'X';
    EXPECT_ERR(atea_eventlog_parse(c, b.len, ATEA_TPM_ALG_SHA384, count_cb, &n, NULL),
               ATEA_ERR_EVENTLOG_MALFORMED);
    /* no SHA-384 bank requested-able: ask for SHA-512 */
    EXPECT_ERR(atea_eventlog_parse(b.data, b.len, ATEA_TPM_ALG_SHA512, count_cb, &n, NULL),
               ATEA_ERR_EVENTLOG_MALFORMED);
    /* an event with an MR index beyond RTMR3 */
    memcpy(c, b.data, b.len);
    c[b.ends[0]] = 5;
    EXPECT_ERR(atea_tdx_eventlog_replay(c, b.len, NULL, NULL, NULL), ATEA_ERR_EVENTLOG_MALFORMED);
    /* a digest count that disagrees with the header */
    memcpy(c, b.data, b.len);
    c[b.ends[0] + 8] = 3;
    EXPECT_ERR(atea_eventlog_parse(c, b.len, ATEA_TPM_ALG_SHA384, count_cb, &n, NULL),
               ATEA_ERR_EVENTLOG_MALFORMED);
    /* an undeclared algorithm in an event */
    memcpy(c, b.data, b.len);
    c[b.ends[0] + 12] = 0x0d;
    EXPECT_ERR(atea_eventlog_parse(c, b.len, ATEA_TPM_ALG_SHA384, count_cb, &n, NULL),
               ATEA_ERR_EVENTLOG_MALFORMED);
    /* an event size over the cap */
    memcpy(c, b.data, b.len);
    size_t size_at = b.ends[1] - 8 - 4; /* first event's data is "firmware" (8 bytes) */
    c[size_at + 2] = 0x10;              /* 0x100008 bytes */
    EXPECT_ERR(atea_eventlog_parse(c, b.len, ATEA_TPM_ALG_SHA384, count_cb, &n, NULL),
               ATEA_ERR_TOO_LARGE);
    free(c);
}

/* The event-count cap: ATEA_EVENTLOG_MAX_EVENTS events parse, one more does not. */
static void test_event_count_cap(void **state)
{
    (void)state;
    const size_t event_len = 4 + 4 + 4 + 2 + 48 + 2 + 32 + 4;
    tcg_log head;
    tcg_log_init(&head);
    size_t total = head.len + (ATEA_EVENTLOG_MAX_EVENTS + 1) * event_len;
    uint8_t *log = calloc(1, total);
    assert_non_null(log);
    memcpy(log, head.data, head.len);
    for (size_t i = 0; i <= ATEA_EVENTLOG_MAX_EVENTS; i++) {
        uint8_t *e = log + head.len + i * event_len;
        e[0] = 1;                    /* RTMR0 */
        e[4] = 0x0d;                 /* EV_IPL */
        e[8] = 2;                    /* two digests */
        e[12] = ATEA_TPM_ALG_SHA384; /* then 48 zero bytes */
        e[12 + 2 + 48] = ATEA_TPM_ALG_SHA256;
    }
    size_t n = 0;
    EXPECT_OK(atea_eventlog_parse(log, total - event_len, ATEA_TPM_ALG_SHA384, count_cb, &n, NULL));
    assert_int_equal(n, ATEA_EVENTLOG_MAX_EVENTS);
    EXPECT_ERR(atea_eventlog_parse(log, total, ATEA_TPM_ALG_SHA384, count_cb, &n, NULL),
               ATEA_ERR_TOO_LARGE);
    free(log);
}

/* A GRUB command line longer than a text claim holds is cut, not refused. */
static void test_long_cmdline(void **state)
{
    (void)state;
    static tcg_log b;
    char text[16 + 2000];
    tcg_log_init(&b);
    memcpy(text, "kernel_cmdline: ", 16);
    memset(text + 16, 'a', 2000);
    tcg_log_event(&b, 3, ATEA_EV_IPL, text, sizeof(text), NULL);
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_appraisal_add_submod(a, "tdx", "intel-tdx"));
    EXPECT_OK(atea_tdx_eventlog_replay(b.data, b.len, (const uint8_t(*)[48])b.rtmr, NULL, a));
    const atea_claim *c = atea_appraisal_find_claim(a, "tdx", "eventlog_cmdline");
    assert_non_null(c);
    assert_int_equal(strlen(c->str), ATEA_APPRAISAL_MAX_CLAIM_STR);
    atea_appraisal_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_matches),  cmocka_unit_test(test_tampered_log),
        cmocka_unit_test(test_truncated_log),   cmocka_unit_test(test_malformed_logs),
        cmocka_unit_test(test_event_count_cap), cmocka_unit_test(test_long_cmdline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
