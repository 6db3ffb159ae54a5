/*
 * The TDX collection {"quote", "eventlog"} through atea_verify_cmw: the real v4 sample quote with
 * a CCEL built here (src/verify/dispatch.c), and the TDX collateral the verifier holds between
 * calls. No public CCEL matches the sample quotes (and none can be built: the RTMRs are SHA-384
 * chains), so every log here replays to values this test computes and asserts, which differ from
 * the quote's; the policy tests put the replay next to the verified quote at the layer below.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atea/cmw.h"
#include "atea/policy.h"
#include "atea/tdx.h"
#include "atea/tpm.h"
#include "atea/tsm.h"
#include "atea/verify.h"
#include "atea_test.h"
#include "tcg_log.h"

#define TDX_V4 "testdata/evidence/tdx/tdx_prod_quote_SPR_E4.dat"
#define TDX_V4_REPORT_DATA                                                                         \
    "6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d1eed313b987a467da"  \
    "cead6f0c87a6d766c66f6f29f8acb281f1113"
#define AT_2026 1767225600 /* inside the v4 sample's certificates */
#define AT_2023 1687219200 /* 2023-06-20: inside every window of the v4 collateral set */
#define MT_EVENTLOG "application/vnd.tcg.tcg2-eventlog"
#define MT_QUOTE "application/vnd.intel.tdx.quote"

static const char CMDLINE[] = "kernel_cmdline: /vmlinuz root=/dev/vda1 ro";

typedef struct fixture {
    atea_buf quote;
    atea_binding binding;
    tcg_log log;
    uint8_t kernel[48];
    atea_policy *lenient;
} fixture;

static atea_policy *load_policy(const char *text)
{
    atea_policy *p = NULL;
    EXPECT_OK(atea_policy_load_mem(text, strlen(text), "policy.json", NULL, &p, NULL));
    return p;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->quote = atea_test_read_file(atea_test_shared_path(TDX_V4));
    atea_buf rd = atea_test_hex(TDX_V4_REPORT_DATA);
    memcpy(f->binding.report_data, rd.data, 64);
    atea_buf_free(&rd);
    tcg_log_init(&f->log);
    tcg_log_event(&f->log, 1, 0x80000008u /* EV_EFI_PLATFORM_FIRMWARE_BLOB2 */, "tdvf", 4, NULL);
    tcg_log_event(&f->log, 2, 0x80000003u /* EV_EFI_BOOT_SERVICES_APPLICATION */, "bzImage", 7,
                  f->kernel);
    tcg_log_event(&f->log, 3, 0x0000000Du /* EV_IPL */, CMDLINE, sizeof(CMDLINE), NULL);
    f->lenient = load_policy("{\"accept_warning\": true}");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    atea_buf_free(&f->quote);
    atea_policy_free(f->lenient);
    free(f);
    return 0;
}

static atea_verifier *new_verifier(const atea_policy *policy, int64_t now, const char *coll_dir)
{
    atea_verify_opts o;
    atea_verify_opts_default(&o);
    o.policy = policy;
    o.now = now;
    o.collateral_dir = coll_dir;
    atea_verifier *v = NULL;
    EXPECT_OK(atea_verifier_new(&o, &v));
    return v;
}

/* A collection of (label, media type, value) records, encoded as CBOR or JSON. */
typedef struct piece {
    const char *label;
    const char *type;
    const uint8_t *data;
    size_t len;
} piece;

static atea_buf collection(const piece *p, size_t n, int json)
{
    atea_cmw *c = NULL;
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_new_collection(NULL, &c));
    for (size_t i = 0; i < n; i++) {
        atea_cmw *rec = NULL;
        EXPECT_OK(atea_cmw_new_record(p[i].type, p[i].data, p[i].len, ATEA_CMW_IND_EVIDENCE, &rec));
        EXPECT_OK(atea_cmw_add(c, p[i].label, rec));
    }
    EXPECT_OK(json ? atea_cmw_encode_json(c, &out) : atea_cmw_encode_cbor(c, &out));
    atea_cmw_free(c);
    return out;
}

static atea_buf quote_and_log(const fixture *f, const uint8_t *log, size_t len, int json)
{
    piece p[2] = {{ATEA_TSM_TDX_LABEL_QUOTE, MT_QUOTE, f->quote.data, f->quote.len},
                  {ATEA_TSM_TDX_LABEL_EVENTLOG, MT_EVENTLOG, log, len}};
    return collection(p, 2, json);
}

static atea_err verify(atea_verifier *v, const atea_buf *cmw, const atea_binding *b,
                       atea_appraisal **pa)
{
    EXPECT_OK(atea_appraisal_new(pa));
    return atea_verify_cmw(v, cmw->data, cmw->len, b, *pa);
}

static void hex4(const uint8_t *p, char out[9])
{
    EXPECT_OK(atea_hex_encode(p, 4, out, 9));
}

/* The quote verifies, then the log replays to the RTMRs computed here, which are not the
 * quote's: EVENTLOG_MISMATCH naming RTMR0 with both values; the claims are there to read. */
static void test_replay_against_the_quote(void **state)
{
    fixture *f = *state;
    for (int json = 0; json <= 1; json++) {
        atea_buf c = quote_and_log(f, f->log.data, f->log.len, json);
        atea_verifier *v = new_verifier(f->lenient, AT_2026, NULL);
        atea_appraisal *a = NULL;
        EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVENTLOG_MISMATCH);
        char want[9];
        char detail[64];
        hex4(f->log.rtmr[0], want);
        snprintf(detail, sizeof(detail), "RTMR0 replayed from the event log is %s", want);
        assert_non_null(strstr(atea_err_last()->detail, detail));
        assert_non_null(strstr(atea_err_last()->detail, "the quote has 2927da70"));
        assert_int_equal(atea_appraisal_submod_count(a), 1); /* one piece, not two */
        assert_int_equal(atea_appraisal_submod_status(a, "tdx"), ATEA_EAR_CONTRAINDICATED);
        assert_true(atea_appraisal_has_reason(a, ATEA_ERR_EVENTLOG_MISMATCH));
        /* the quote itself passed: its chain, signature and binding were checked first */
        assert_non_null(atea_appraisal_find_claim(a, "tdx", "fmspc"));
        assert_false(atea_appraisal_has_reason(a, ATEA_ERR_TDX_REPORT_DATA));
        const atea_claim *cl = atea_appraisal_find_claim(a, "tdx", "eventlog_events");
        assert_non_null(cl);
        assert_int_equal(cl->i, 3);
        cl = atea_appraisal_find_claim(a, "tdx", "eventlog_kernel_digest");
        assert_non_null(cl);
        assert_memory_equal(cl->bytes.data, f->kernel, 48);
        cl = atea_appraisal_find_claim(a, "tdx", "eventlog_cmdline");
        assert_non_null(cl);
        assert_string_equal(cl->str, "/vmlinuz root=/dev/vda1 ro");
        atea_appraisal_free(a);
        atea_verifier_free(v);
        atea_buf_free(&c);
    }
}

/* A log without measurements replays to all zeros: RTMR3 (zero in the sample) matches, RTMR0
 * does not; a log that extends only RTMR3 differs at RTMR0 too, and a different last event
 * changes the replay the detail shows. */
static void test_other_logs_do_not_match(void **state)
{
    fixture *f = *state;
    tcg_log empty;
    tcg_log_init(&empty);
    tcg_log_event(&empty, 0, 0x00000003u /* EV_NO_ACTION */, "StartupLocality\0\0", 17, NULL);
    atea_buf c = quote_and_log(f, empty.data, empty.len, 0);
    atea_verifier *v = new_verifier(f->lenient, AT_2026, NULL);
    atea_appraisal *a = NULL;
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVENTLOG_MISMATCH);
    assert_non_null(
        strstr(atea_err_last()->detail, "RTMR0 replayed from the event log is 00000000"));
    assert_int_equal(atea_appraisal_find_claim(a, "tdx", "eventlog_events")->i, 1);
    atea_appraisal_free(a);
    atea_buf_free(&c);

    tcg_log other = f->log;
    tcg_log_event(&other, 1, 0x0000000Du, "one more", 8, NULL);
    char want[9];
    char detail[64];
    hex4(other.rtmr[0], want);
    assert_memory_not_equal(other.rtmr[0], f->log.rtmr[0], 48);
    c = quote_and_log(f, other.data, other.len, 0);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVENTLOG_MISMATCH);
    snprintf(detail, sizeof(detail), "is %s", want);
    assert_non_null(strstr(atea_err_last()->detail, detail));
    atea_appraisal_free(a);
    atea_buf_free(&c);
    atea_verifier_free(v);
}

/* A truncated or padded-with-garbage log is malformed evidence, reported with its code. */
static void test_truncated_log(void **state)
{
    fixture *f = *state;
    atea_verifier *v = new_verifier(f->lenient, AT_2026, NULL);
    atea_appraisal *a = NULL;
    size_t cut = f->log.ends[f->log.n_ends - 1] - 5;
    atea_buf c = quote_and_log(f, f->log.data, cut, 0);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_TRUNCATED);
    assert_int_equal(atea_appraisal_submod_status(a, "tdx"), ATEA_EAR_CONTRAINDICATED);
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_TRUNCATED));
    assert_null(atea_appraisal_find_claim(a, "tdx", "eventlog_events"));
    atea_appraisal_free(a);
    atea_buf_free(&c);

    atea_buf area = tcg_log_area(&f->log, f->log.len + 64, 0xff);
    area.data[area.len - 1] = 0x42;
    c = quote_and_log(f, area.data, area.len, 0);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVENTLOG_MALFORMED);
    atea_appraisal_free(a);
    atea_buf_free(&c);
    atea_buf_free(&area);
    atea_verifier_free(v);
}

/* The replay only means something against a verified quote: a quote that fails stops there. */
static void test_failed_quote_is_not_replayed(void **state)
{
    fixture *f = *state;
    atea_binding other = f->binding;
    other.report_data[0] ^= 1;
    atea_buf c = quote_and_log(f, f->log.data, f->log.len, 0);
    atea_verifier *v = new_verifier(f->lenient, AT_2026, NULL);
    atea_appraisal *a = NULL;
    EXPECT_ERR(verify(v, &c, &other, &a), ATEA_ERR_TDX_REPORT_DATA);
    assert_null(atea_appraisal_find_claim(a, "tdx", "eventlog_events"));
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_EVENTLOG_MISMATCH));
    atea_appraisal_free(a);
    atea_buf_free(&c);
    atea_verifier_free(v);
}

/* An event log needs its quote beside it under "quote". */
static void test_event_log_without_quote(void **state)
{
    fixture *f = *state;
    atea_verifier *v = new_verifier(f->lenient, AT_2026, NULL);
    atea_appraisal *a = NULL;
    /* a bare record */
    atea_cmw *rec = NULL;
    atea_buf c = {0};
    EXPECT_OK(atea_cmw_new_record(MT_EVENTLOG, f->log.data, f->log.len, 4, &rec));
    EXPECT_OK(atea_cmw_encode_cbor(rec, &c));
    atea_cmw_free(rec);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVENTLOG_WITHOUT_QUOTE);
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_EVENTLOG_WITHOUT_QUOTE));
    atea_appraisal_free(a);
    atea_buf_free(&c);
    /* a collection with the log alone */
    piece alone[1] = {{ATEA_TSM_TDX_LABEL_EVENTLOG, MT_EVENTLOG, f->log.data, f->log.len}};
    c = collection(alone, 1, 0);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVENTLOG_WITHOUT_QUOTE);
    atea_appraisal_free(a);
    atea_buf_free(&c);
    /* the quote under another label: composite evidence, the log is on its own */
    piece apart[2] = {{"tdx", MT_QUOTE, f->quote.data, f->quote.len},
                      {ATEA_TSM_TDX_LABEL_EVENTLOG, MT_EVENTLOG, f->log.data, f->log.len}};
    c = collection(apart, 2, 0);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVENTLOG_WITHOUT_QUOTE);
    assert_non_null(atea_appraisal_find_claim(a, "tdx", "mrtd")); /* the quote was appraised */
    atea_appraisal_free(a);
    atea_buf_free(&c);
    /* the "eventlog" entry of a TDX collection must be an event log */
    piece wrong[2] = {
        {ATEA_TSM_TDX_LABEL_QUOTE, MT_QUOTE, f->quote.data, f->quote.len},
        {ATEA_TSM_TDX_LABEL_EVENTLOG, "application/octet-stream", f->log.data, f->log.len}};
    c = collection(wrong, 2, 0);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    assert_non_null(strstr(atea_err_last()->detail, "\"eventlog\" of the TDX collection"));
    atea_appraisal_free(a);
    atea_buf_free(&c);
    /* nor can anything else ride along unappraised in it */
    piece extra[3] = {{ATEA_TSM_TDX_LABEL_QUOTE, MT_QUOTE, f->quote.data, f->quote.len},
                      {ATEA_TSM_TDX_LABEL_EVENTLOG, MT_EVENTLOG, f->log.data, f->log.len},
                      {"gpu", "application/octet-stream", f->log.data, 8}};
    c = collection(extra, 3, 0);
    EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    assert_non_null(strstr(atea_err_last()->detail, "entry 2 (\"gpu\") of the TDX collection"));
    atea_appraisal_free(a);
    atea_buf_free(&c);
    atea_verifier_free(v);
}

/* SNP and TPM collections are their platform's own too: an extra entry is refused before the
 * parts are parsed, naming the entry and the parts the platform defines. */
static void test_platform_collections_take_only_their_parts(void **state)
{
    fixture *f = *state;
    const uint8_t *junk = f->log.data;
    piece snp[3] = {{ATEA_TSM_SNP_LABEL_REPORT, "application/vnd.amd.sev-snp.report", junk, 16},
                    {ATEA_TSM_SNP_LABEL_CERTS, ATEA_TSM_SNP_MT_CERTS, junk, 16},
                    {"gpu", "application/octet-stream", junk, 8}};
    piece tpm[5] = {{ATEA_TPM_LABEL_ATTEST, ATEA_TPM_CMW_TYPE, junk, 16},
                    {ATEA_TPM_LABEL_SIGNATURE, ATEA_TPM_MT_SIGNATURE, junk, 16},
                    {ATEA_TPM_LABEL_PCRS, ATEA_TPM_MT_PCRS, junk, 16},
                    {ATEA_TPM_LABEL_AK, ATEA_TPM_MT_AK_SPKI, junk, 16},
                    {"gpu", "application/octet-stream", junk, 8}};
    const struct {
        const piece *pieces;
        size_t n;
        const char *detail;
    } cases[] = {
        {snp, 3, "entry 2 (\"gpu\") of the SEV-SNP collection is not one of its parts"},
        {tpm, 5, "entry 4 (\"gpu\") of the TPM collection is not one of its parts"},
    };
    atea_verifier *v = new_verifier(f->lenient, AT_2026, NULL);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        atea_buf c = collection(cases[i].pieces, cases[i].n, 0);
        atea_appraisal *a = NULL;
        EXPECT_ERR(verify(v, &c, &f->binding, &a), ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
        assert_non_null(strstr(atea_err_last()->detail, cases[i].detail));
        assert_true(atea_appraisal_has_reason(a, ATEA_ERR_EVIDENCE_TYPE_UNKNOWN));
        atea_appraisal_free(a);
        atea_buf_free(&c);
    }
    atea_verifier_free(v);
}

/* The eventlog_* claims under a policy, on the verified sample quote with the log replayed
 * against RTMRs that are its replay (what a TD booted this way would have in its quote). */
static atea_appraisal *appraise_with_policy(const fixture *f, const char *policy_text)
{
    atea_verify_env env;
    memset(&env, 0, sizeof(env));
    env.expected_report_data = f->binding.report_data;
    env.now = AT_2026;
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_tdx_verify(&env, f->quote.data, f->quote.len, a));
    EXPECT_OK(atea_tdx_eventlog_replay(f->log.data, f->log.len, (const uint8_t(*)[48])f->log.rtmr,
                                       NULL, a));
    atea_policy *p = load_policy(policy_text);
    EXPECT_OK(atea_policy_apply(p, a));
    atea_policy_free(p);
    return a;
}

static void test_policy_pins_event_log_claims(void **state)
{
    fixture *f = *state;
    char kernel_hex[97];
    char text[512];
    EXPECT_OK(atea_hex_encode(f->kernel, 48, kernel_hex, sizeof(kernel_hex)));
    snprintf(text, sizeof(text),
             "{\"accept_warning\": true, \"platforms\": {\"tdx\": {\"reference_values\": "
             "{\"eventlog_kernel_digest\": [\"%s\"], \"eventlog_cmdline\": "
             "[\"/vmlinuz root=/dev/vda1 ro\"]}}}}",
             kernel_hex);
    atea_appraisal *a = appraise_with_policy(f, text);
    assert_int_equal(atea_appraisal_submod_status(a, "tdx"), ATEA_EAR_WARNING); /* no collateral */
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_REFERENCE_VALUE));
    size_t matched = 0;
    for (size_t i = 0; i < atea_appraisal_reason_count(a); i++) {
        const atea_appraisal_reason *r = atea_appraisal_reason_at(a, i);
        matched += r->tier == ATEA_EAR_AFFIRMING && strstr(r->message, "eventlog_") != NULL &&
                   strstr(r->message, "matches reference value") != NULL;
    }
    assert_int_equal(matched, 2);
    atea_appraisal_free(a);

    kernel_hex[0] = kernel_hex[0] == '0' ? '1' : '0'; /* another kernel */
    snprintf(text, sizeof(text),
             "{\"accept_warning\": true, \"platforms\": {\"tdx\": {\"reference_values\": "
             "{\"eventlog_kernel_digest\": [\"%s\"]}}}}",
             kernel_hex);
    a = appraise_with_policy(f, text);
    assert_int_equal(atea_appraisal_submod_status(a, "tdx"), ATEA_EAR_CONTRAINDICATED);
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_REFERENCE_VALUE));
    atea_appraisal_free(a);

    /* a claim the log does not carry, required: REQUIRED_CLAIM */
    a = appraise_with_policy(f, "{\"platforms\": {\"tdx\": {\"required_claims\": "
                                "[\"eventlog_initrd_digest\"]}}}");
    assert_true(atea_appraisal_has_reason(a, ATEA_ERR_POLICY_REQUIRED_CLAIM));
    atea_appraisal_free(a);
}

/* ---- the collateral the verifier holds ---- */

typedef struct coll_dir {
    char path[64];
} coll_dir;

/* The v4 collateral set without its TCB info (with it the sample matches no TCB level), as
 * symlinks to the shared files under the default names. */
static void make_coll_dir(coll_dir *d)
{
    static const char *const links[][2] = {
        {"qe_identity.json", "testdata/evidence/tdx/sample_qeIdentity_response"},
        {"tcb_signing_chain.pem", "testdata/evidence/tdx/tcb_signing_chain.pem"},
        {"pck_crl.der", "testdata/evidence/tdx/pckcrl"},
        {"root_crl.der", "testdata/evidence/tdx/rootcrl.der"},
    };
    char link[160];
    strcpy(d->path, "/tmp/atea-tdxcoll-XXXXXX");
    assert_non_null(mkdtemp(d->path));
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        snprintf(link, sizeof(link), "%s/%s", d->path, links[i][0]);
        assert_int_equal(symlink(atea_test_shared_path(links[i][1]), link), 0);
    }
}

static void remove_coll_dir(coll_dir *d)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
    assert_int_equal(system(cmd), 0);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static atea_buf appraisal_json(const atea_appraisal *a)
{
    atea_buf j = {0};
    EXPECT_OK(atea_appraisal_to_json(a, 1700000000, &j));
    return j;
}

#define ROUNDS 20

/* Repeated verification with the held collateral gives the same appraisal as the first one, and
 * as atea_tdx_verify reading the directory each time; it is faster. */
static void test_collateral_held_by_the_verifier(void **state)
{
    fixture *f = *state;
    coll_dir d;
    make_coll_dir(&d);
    atea_policy *strict = f->lenient; /* no TCB info in the set: a warning */
    atea_verifier *v = new_verifier(strict, AT_2023, d.path);
    atea_cmw *rec = NULL;
    atea_buf c = {0};
    EXPECT_OK(atea_cmw_new_record(MT_QUOTE, f->quote.data, f->quote.len, 4, &rec));
    EXPECT_OK(atea_cmw_encode_cbor(rec, &c));
    atea_cmw_free(rec);

    atea_appraisal *a = NULL;
    EXPECT_OK(verify(v, &c, &f->binding, &a));
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_WARNING);
    /* the QE identity was evaluated and the CRLs used: the collateral was loaded */
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_TDX_COLLATERAL_STALE));
    const atea_claim *qe = atea_appraisal_find_claim(a, "tdx", "qe_tcb_status");
    assert_non_null(qe);
    assert_string_equal(qe->str, "UpToDate");
    atea_buf first = appraisal_json(a);
    atea_appraisal_free(a);

    /* what atea_tdx_verify (collateral read per call) and the policy make of it */
    atea_verify_env env;
    memset(&env, 0, sizeof(env));
    env.expected_report_data = f->binding.report_data;
    env.now = AT_2023;
    env.collateral_dir = d.path;
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_OK(atea_tdx_verify(&env, f->quote.data, f->quote.len, a));
    EXPECT_OK(atea_policy_apply(strict, a));
    atea_buf direct = appraisal_json(a);
    atea_appraisal_free(a);
    assert_int_equal(direct.len, first.len);
    assert_memory_equal(direct.data, first.data, first.len);

    double t0 = cpu_seconds();
    for (int i = 0; i < ROUNDS; i++) {
        EXPECT_OK(verify(v, &c, &f->binding, &a));
        atea_buf again = appraisal_json(a);
        assert_int_equal(again.len, first.len);
        assert_memory_equal(again.data, first.data, first.len);
        atea_buf_free(&again);
        atea_appraisal_free(a);
    }
    double held = cpu_seconds() - t0;
    t0 = cpu_seconds();
    for (int i = 0; i < ROUNDS; i++) {
        EXPECT_OK(atea_appraisal_new(&a));
        EXPECT_OK(atea_tdx_verify(&env, f->quote.data, f->quote.len, a));
        EXPECT_OK(atea_policy_apply(strict, a));
        atea_buf again = appraisal_json(a);
        atea_buf_free(&again);
        atea_appraisal_free(a);
    }
    double reread = cpu_seconds() - t0;
    print_message("TDX verification, %d rounds: collateral held %.3f ms/op, reread per call "
                  "%.3f ms/op (%.1fx)\n",
                  ROUNDS, held * 1e3 / ROUNDS, reread * 1e3 / ROUNDS, reread / held);
    assert_true(held < reread);

    /* a verifier whose directory does not load keeps reporting it, call after call */
    char bad[160];
    snprintf(bad, sizeof(bad), "%s/qe_identity.json", d.path);
    assert_int_equal(unlink(bad), 0);
    FILE *fp = fopen(bad, "w");
    assert_non_null(fp);
    fputs("{\"enclaveIdentity\": {}, \"signature\": \"00\"}", fp);
    fclose(fp);
    atea_verifier *v2 = new_verifier(strict, AT_2023, d.path);
    for (int i = 0; i < 2; i++) {
        EXPECT_ERR(verify(v2, &c, &f->binding, &a), ATEA_ERR_TDX_BAD_COLLATERAL);
        assert_non_null(strstr(atea_err_last()->detail, "\"signature\" has 2 hex digits"));
        assert_int_equal(atea_appraisal_submod_status(a, "tdx"), ATEA_EAR_CONTRAINDICATED);
        atea_appraisal_free(a);
    }
    atea_verifier_free(v2);
    /* the first verifier loaded the directory before it broke: it keeps what it checked */
    EXPECT_OK(verify(v, &c, &f->binding, &a));
    atea_appraisal_free(a);

    atea_buf_free(&first);
    atea_buf_free(&direct);
    atea_buf_free(&c);
    atea_verifier_free(v);
    remove_coll_dir(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_against_the_quote),
        cmocka_unit_test(test_platform_collections_take_only_their_parts),
        cmocka_unit_test(test_other_logs_do_not_match),
        cmocka_unit_test(test_truncated_log),
        cmocka_unit_test(test_failed_quote_is_not_replayed),
        cmocka_unit_test(test_event_log_without_quote),
        cmocka_unit_test(test_policy_pins_event_log_claims),
        cmocka_unit_test(test_collateral_held_by_the_verifier),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
