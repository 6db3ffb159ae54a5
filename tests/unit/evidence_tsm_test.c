/* configfs-tsm attester against a fake tree that emulates the kernel and serves the real samples.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atea/cmw.h"
#include "atea/tsm.h"
#include "atea/verify.h"
#include "atea_test.h"
#include "fake_tsm.h"
#include "tcg_log.h"

#define TDX_V4 "testdata/evidence/tdx/tdx_prod_quote_SPR_E4.dat"
#define SNP_GSG "testdata/evidence/sev-snp/gsg_attestation.bin"
#define CCA_RMM "testdata/evidence/cca/veraison_tf-rmm_cca_token.cbor"
#define AT_2026 1767225600

/* A path under ../shared that stays valid for the test (the fake keeps the pointer). */
static const char *shared(const char *rel)
{
    static char paths[4][512];
    static unsigned next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof(paths[0]), "%s", atea_test_shared_path(rel));
    return p;
}

static atea_tsm_opts opts_for(fake_tsm *f)
{
    atea_tsm_opts o;
    atea_tsm_opts_default(&o);
    o.root = f->root;
    o.fs = &f->fs;
    return o;
}

static atea_err get(fake_tsm *f, size_t inblob_len, atea_tsm_report *r)
{
    uint8_t inblob[65];
    memset(inblob, 0x42, sizeof(inblob));
    atea_tsm_opts o = opts_for(f);
    memset(r, 0, sizeof(*r));
    return atea_tsm_get_report(&o, inblob, inblob_len, r);
}

static void test_tdx_report(void **state)
{
    (void)state;
    fake_tsm f;
    fake_tsm_init(&f, "tdx_guest\n", shared(TDX_V4));
    atea_tsm_report r;
    EXPECT_OK(get(&f, 64, &r));
    assert_int_equal(r.provider, ATEA_TSM_PROVIDER_TDX);
    atea_buf want = atea_test_read_file(shared(TDX_V4));
    assert_int_equal(r.outblob.len, want.len);
    assert_memory_equal(r.outblob.data, want.data, want.len);
    assert_int_equal(r.auxblob.len, 0);
    /* the kernel saw exactly our 64 bytes, once; the entry is gone */
    assert_int_equal(f.inblob_len, 64);
    assert_int_equal(f.generation, 1);
    assert_int_equal(f.mkdirs, 1);
    assert_int_equal(f.rmdirs, 1);
    assert_string_equal(f.entry, "");

    atea_buf cmw_bytes = {0};
    EXPECT_OK(atea_tsm_report_to_cmw(&r, &cmw_bytes));
    atea_cmw *cmw = NULL;
    EXPECT_OK(atea_cmw_decode(cmw_bytes.data, cmw_bytes.len, NULL, &cmw));
    assert_int_equal(cmw->kind, ATEA_CMW_RECORD);
    assert_string_equal(cmw->media_type, "application/vnd.intel.tdx.quote");
    assert_int_equal(cmw->ind, ATEA_CMW_IND_EVIDENCE);
    assert_memory_equal(cmw->value.data, want.data, want.len);
    atea_cmw_free(cmw);
    atea_buf_free(&cmw_bytes);
    atea_buf_free(&want);
    atea_tsm_report_dispose(&r);
    fake_tsm_dispose(&f);
}

/* SNP: the collection carries the certificate table; the verifier finds the VCEK in it (no
 * --cert for the VCEK) and chains it to the pinned Milan ARK via the ASK/ARK file. */
static void test_snp_collection_verifies(void **state)
{
    (void)state;
    fake_tsm f;
    fake_tsm_init(&f, "sev_guest\n", shared(SNP_GSG));
    f.auxblob = fake_tsm_snp_cert_table(shared("testdata/evidence/sev-snp/gsg_vcek.der"));
    atea_tsm_opts o = opts_for(&f);
    atea_attester *att = NULL;
    EXPECT_OK(atea_tsm_attester_new(&o, &att));
    assert_string_equal(att->platform, "tsm");
    atea_binding b = {0};
    for (int i = 0; i < 5; i++) {
        b.report_data[i] = (uint8_t)(i + 1); /* the sample's REPORT_DATA */
    }
    atea_buf cmw_bytes = {0};
    EXPECT_OK(atea_attester_attest(att, &b, &cmw_bytes));
    atea_attester_free(att);
    assert_memory_equal(f.inblob, b.report_data, 64);

    atea_cmw *cmw = NULL;
    EXPECT_OK(atea_cmw_decode(cmw_bytes.data, cmw_bytes.len, NULL, &cmw));
    assert_int_equal(cmw->kind, ATEA_CMW_COLLECTION);
    const atea_cmw *report = atea_cmw_find(cmw, ATEA_TSM_SNP_LABEL_REPORT);
    const atea_cmw *certs = atea_cmw_find(cmw, ATEA_TSM_SNP_LABEL_CERTS);
    assert_non_null(report);
    assert_non_null(certs);
    assert_string_equal(report->media_type, "application/vnd.amd.sev-snp.report");
    assert_int_equal(certs->value.len, f.auxblob.len);
    atea_cmw_free(cmw);

    char chain[512];
    snprintf(chain, sizeof(chain), "%s", shared("testdata/evidence/sev-snp/ask_ark_milan.pem"));
    const char *files[] = {chain};
    atea_verify_opts vo;
    atea_verify_opts_default(&vo);
    vo.cert_files = files;
    vo.cert_file_count = 1;
    vo.now = AT_2026;
    atea_verifier *v = NULL;
    EXPECT_OK(atea_verifier_new(&vo, &v));
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_appraisal_new(&a));
    /* signature and chain pass; the sample allows debug, which the default policy forbids */
    EXPECT_ERR(atea_verify_cmw(v, cmw_bytes.data, cmw_bytes.len, &b, a), ATEA_ERR_POLICY_DEBUG);
    assert_non_null(atea_appraisal_find_claim(a, "snp", "measurement"));
    assert_false(atea_appraisal_has_reason(a, ATEA_ERR_SNP_NO_CERT));
    atea_appraisal_free(a);
    atea_verifier_free(v);
    atea_buf_free(&cmw_bytes);
    fake_tsm_dispose(&f);
}

static void test_cca_record(void **state)
{
    (void)state;
    fake_tsm f;
    fake_tsm_init(&f, "arm_cca_guest\n", shared(CCA_RMM));
    atea_tsm_report r;
    EXPECT_OK(get(&f, 64, &r));
    assert_int_equal(r.provider, ATEA_TSM_PROVIDER_CCA);
    atea_buf cmw_bytes = {0};
    EXPECT_OK(atea_tsm_report_to_cmw(&r, &cmw_bytes));
    atea_cmw *cmw = NULL;
    EXPECT_OK(atea_cmw_decode(cmw_bytes.data, cmw_bytes.len, NULL, &cmw));
    assert_int_equal(atea_cmw_media_type_lookup(cmw->media_type, strlen(cmw->media_type)),
                     ATEA_CMW_MT_CCA_TOKEN);
    atea_cmw_free(cmw);
    atea_buf_free(&cmw_bytes);
    atea_tsm_report_dispose(&r);
    fake_tsm_dispose(&f);
}

/* ---- the CC event log (CCEL) beside a TDX quote ---- */

#define CCEL_LAML 65536u /* what TDVF reserves */

/* A boot as TDVF + the Linux EFI stub log it: firmware, kernel, initrd, command line. */
static void boot_log(tcg_log *log, uint8_t kernel[48])
{
    static const char cmdline[] = "kernel_cmdline: /vmlinuz root=/dev/vda1 ro";
    static const uint8_t initrd_tag[20] = {0xED, 0x22, 0x3B, 0x8F, 12,  0,   0,   0,   'L', 'i',
                                           'n',  'u',  'x',  ' ',  'i', 'n', 'i', 't', 'r', 'd'};
    tcg_log_init(log);
    tcg_log_event(log, 1, 0x80000008u /* EV_EFI_PLATFORM_FIRMWARE_BLOB2 */, "tdvf", 4, NULL);
    tcg_log_event(log, 0, 0x00000003u /* EV_NO_ACTION */, "StartupLocality\0\0", 17, NULL);
    tcg_log_event(log, 2, 0x80000003u /* EV_EFI_BOOT_SERVICES_APPLICATION */, "bzImage", 7, kernel);
    tcg_log_event(log, 3, 0x00000006u /* EV_EVENT_TAG */, initrd_tag, sizeof(initrd_tag), NULL);
    tcg_log_event(log, 3, 0x0000000Du /* EV_IPL */, cmdline, sizeof(cmdline), NULL);
}

static void serve_ccel(fake_tsm *f, const tcg_log *log, uint8_t pad)
{
    atea_buf_free(&f->ccel_table);
    atea_buf_free(&f->ccel_data);
    f->ccel_table = fake_tsm_ccel_table(ATEA_TSM_CCEL_TYPE_TDX, CCEL_LAML, 0x7f000000u);
    f->ccel_data = tcg_log_area(log, CCEL_LAML, pad);
}

static atea_tsm_opts ccel_opts_for(fake_tsm *f)
{
    atea_tsm_opts o = opts_for(f);
    o.acpi_tables = f->acpi_tables;
    return o;
}

static atea_err get_ccel(fake_tsm *f, atea_tsm_report *r)
{
    uint8_t inblob[64];
    memset(inblob, 0x42, sizeof(inblob));
    atea_tsm_opts o = ccel_opts_for(f);
    memset(r, 0, sizeof(*r));
    return atea_tsm_get_report(&o, inblob, sizeof(inblob), r);
}

/* The attester sends the quote and the USED part of the area in one collection. */
static void test_tdx_with_event_log(void **state)
{
    (void)state;
    fake_tsm f;
    tcg_log log;
    uint8_t kernel[48];
    fake_tsm_init(&f, "tdx_guest\n", shared(TDX_V4));
    boot_log(&log, kernel);
    serve_ccel(&f, &log, 0xff);
    atea_tsm_opts o = ccel_opts_for(&f);
    atea_attester *att = NULL;
    EXPECT_OK(atea_tsm_attester_new(&o, &att));
    atea_binding b = {0};
    atea_buf cmw_bytes = {0};
    EXPECT_OK(atea_attester_attest(att, &b, &cmw_bytes));
    atea_attester_free(att);

    atea_cmw *cmw = NULL;
    EXPECT_OK(atea_cmw_decode(cmw_bytes.data, cmw_bytes.len, NULL, &cmw));
    assert_int_equal(cmw->kind, ATEA_CMW_COLLECTION);
    assert_int_equal(cmw->n_entries, 2);
    const atea_cmw *quote = atea_cmw_find(cmw, ATEA_TSM_TDX_LABEL_QUOTE);
    const atea_cmw *el = atea_cmw_find(cmw, ATEA_TSM_TDX_LABEL_EVENTLOG);
    assert_non_null(quote);
    assert_non_null(el);
    assert_string_equal(quote->media_type, "application/vnd.intel.tdx.quote");
    assert_string_equal(el->media_type, "application/vnd.tcg.tcg2-eventlog");
    assert_int_equal(el->ind, ATEA_CMW_IND_EVIDENCE);
    assert_int_equal(atea_cmw_media_type_lookup(el->media_type, strlen(el->media_type)),
                     ATEA_CMW_MT_TCG2_EVENTLOG);
    /* exactly the log: the 0xFF rest of the 64 KiB area stays home */
    assert_int_equal(el->value.len, log.len);
    assert_memory_equal(el->value.data, log.data, log.len);
    atea_buf want = atea_test_read_file(shared(TDX_V4));
    assert_int_equal(quote->value.len, want.len);
    assert_memory_equal(quote->value.data, want.data, want.len);
    atea_buf_free(&want);
    atea_cmw_free(cmw);
    atea_buf_free(&cmw_bytes);

    /* zero padding ends the log as well */
    atea_tsm_report r;
    serve_ccel(&f, &log, 0x00);
    EXPECT_OK(get_ccel(&f, &r));
    assert_int_equal(r.eventlog.len, log.len);
    atea_tsm_report_dispose(&r);
    /* a log that fills its area exactly */
    atea_buf_free(&f.ccel_data);
    atea_buf_free(&f.ccel_table);
    f.ccel_table = fake_tsm_ccel_table(ATEA_TSM_CCEL_TYPE_TDX, log.len, 0x7f000000u);
    f.ccel_data = tcg_log_area(&log, log.len, 0xff);
    EXPECT_OK(get_ccel(&f, &r));
    assert_int_equal(r.eventlog.len, log.len);
    atea_tsm_report_dispose(&r);
    fake_tsm_dispose(&f);
}

/* No CCEL, a table without its area, or no_eventlog: the plain quote record. */
static void test_tdx_without_event_log(void **state)
{
    (void)state;
    fake_tsm f;
    tcg_log log;
    atea_tsm_report r;
    atea_buf cmw_bytes = {0};
    atea_cmw *cmw = NULL;
    fake_tsm_init(&f, "tdx_guest\n", shared(TDX_V4));
    EXPECT_OK(get_ccel(&f, &r)); /* neither file */
    assert_int_equal(r.eventlog.len, 0);
    EXPECT_OK(atea_tsm_report_to_cmw(&r, &cmw_bytes));
    EXPECT_OK(atea_cmw_decode(cmw_bytes.data, cmw_bytes.len, NULL, &cmw));
    assert_int_equal(cmw->kind, ATEA_CMW_RECORD);
    atea_cmw_free(cmw);
    atea_buf_free(&cmw_bytes);
    atea_tsm_report_dispose(&r);

    boot_log(&log, NULL);
    serve_ccel(&f, &log, 0xff);
    atea_buf_free(&f.ccel_data); /* the kernel did not publish the area */
    EXPECT_OK(get_ccel(&f, &r));
    assert_int_equal(r.eventlog.len, 0);
    atea_tsm_report_dispose(&r);

    serve_ccel(&f, &log, 0xff);
    uint8_t inblob[64] = {0};
    atea_tsm_opts o = ccel_opts_for(&f);
    o.no_eventlog = 1;
    EXPECT_OK(atea_tsm_get_report(&o, inblob, 64, &r));
    assert_int_equal(r.eventlog.len, 0);
    atea_tsm_report_dispose(&r);
    /* a V1 caller (no acpi_tables/no_eventlog fields) is lifted: default ACPI path, absent */
    o.version = ATEA_TSM_OPTS_V1;
    o.acpi_tables = "ignored: beyond a V1 struct";
    EXPECT_OK(atea_tsm_get_report(&o, inblob, 64, &r));
    assert_int_equal(r.eventlog.len, 0);
    atea_tsm_report_dispose(&r);
    /* SNP never reads the CCEL */
    fake_tsm_dispose(&f);
}

static void expect_table_refused(fake_tsm *f, size_t off, uint8_t value, const char *detail)
{
    atea_tsm_report r;
    f->ccel_table.data[off] = value;
    EXPECT_ERR(get_ccel(f, &r), ATEA_ERR_TSM_CCEL_TABLE);
    if (strstr(atea_err_last()->detail, detail) == NULL) {
        fail_msg("byte %zu = 0x%02x: detail '%s' lacks '%s'", off, value, atea_err_last()->detail,
                 detail);
    }
    assert_null(r.outblob.data);
    assert_string_equal(f->entry, ""); /* the report entry is removed on failure too */
}

static void test_ccel_table_checked(void **state)
{
    (void)state;
    fake_tsm f;
    tcg_log log;
    fake_tsm_init(&f, "tdx_guest\n", shared(TDX_V4));
    boot_log(&log, NULL);
    serve_ccel(&f, &log, 0xff);
    expect_table_refused(&f, 0, 'X', "signature");
    serve_ccel(&f, &log, 0xff);
    expect_table_refused(&f, 4, 57, "length field says 57");
    serve_ccel(&f, &log, 0xff);
    expect_table_refused(&f, 36, 1, "CC type 1 is not TDX"); /* an SEV CCEL */
    serve_ccel(&f, &log, 0xff);
    memset(f.ccel_table.data + 40, 0, 8);
    expect_table_refused(&f, 40, 0, "log area of 0 bytes");
    serve_ccel(&f, &log, 0xff);
    memset(f.ccel_table.data + 48, 0, 8);
    expect_table_refused(&f, 48, 0, "at 0x0");
    /* LAML at the cap is a table we accept (the area is then checked), one more is not */
    serve_ccel(&f, &log, 0xff);
    uint64_t over = ATEA_TSM_MAX_CCEL_AREA + 1ull;
    for (int i = 0; i < 8; i++) {
        f.ccel_table.data[40 + i] = (uint8_t)(over >> (8 * i));
    }
    expect_table_refused(&f, 40, (uint8_t)over, "needs 1..");
    f.ccel_table.data[40] = (uint8_t)(over - 1);
    atea_tsm_report r;
    EXPECT_ERR(get_ccel(&f, &r), ATEA_ERR_TSM_EVENTLOG); /* the area is 64 KiB, not 4 MiB */
    assert_non_null(strstr(atea_err_last()->detail, "has 65536 bytes"));
    /* a table of another size */
    serve_ccel(&f, &log, 0xff);
    f.ccel_table.len = 55;
    expect_table_refused(&f, 0, 'C', "has 55 bytes");
    f.ccel_table.len = 56;
    fake_tsm_dispose(&f);
}

static void test_ccel_area_checked(void **state)
{
    (void)state;
    fake_tsm f;
    tcg_log log;
    atea_tsm_report r;
    fake_tsm_init(&f, "tdx_guest\n", shared(TDX_V4));
    boot_log(&log, NULL);
    /* an area shorter or longer than LAML */
    serve_ccel(&f, &log, 0xff);
    f.ccel_data.len = CCEL_LAML - 1;
    EXPECT_ERR(get_ccel(&f, &r), ATEA_ERR_TSM_EVENTLOG);
    assert_non_null(strstr(atea_err_last()->detail, "has 65535 bytes"));
    atea_buf_free(&f.ccel_data);
    f.ccel_data = tcg_log_area(&log, CCEL_LAML + 1, 0xff);
    EXPECT_ERR(get_ccel(&f, &r), ATEA_ERR_TSM_EVENTLOG);
    assert_non_null(strstr(atea_err_last()->detail, "larger than 65536"));
    /* something after the padding is not unused space */
    serve_ccel(&f, &log, 0xff);
    f.ccel_data.data[CCEL_LAML - 1] = 0x00;
    EXPECT_ERR(get_ccel(&f, &r), ATEA_ERR_TSM_EVENTLOG);
    assert_non_null(strstr(atea_err_last()->detail, "ATEA_ERR_EVENTLOG_MALFORMED"));
    /* a log cut inside its last event (area = LAML = the cut) */
    atea_buf_free(&f.ccel_table);
    atea_buf_free(&f.ccel_data);
    size_t cut = log.ends[log.n_ends - 1] - 3;
    f.ccel_table = fake_tsm_ccel_table(ATEA_TSM_CCEL_TYPE_TDX, cut, 0x7f000000u);
    f.ccel_data = tcg_log_area(&log, log.len, 0xff);
    f.ccel_data.len = cut;
    EXPECT_ERR(get_ccel(&f, &r), ATEA_ERR_TSM_EVENTLOG);
    assert_non_null(strstr(atea_err_last()->detail, "ATEA_ERR_TRUNCATED"));
    /* not a crypto-agile log at all */
    serve_ccel(&f, &log, 0xff);
    memset(f.ccel_data.data, 0x5a, 64);
    EXPECT_ERR(get_ccel(&f, &r), ATEA_ERR_TSM_EVENTLOG);
    fake_tsm_dispose(&f);
}

static void test_inblob_must_be_64(void **state)
{
    (void)state;
    fake_tsm f;
    fake_tsm_init(&f, "tdx_guest\n", shared(TDX_V4));
    atea_tsm_report r;
    EXPECT_ERR(get(&f, 63, &r), ATEA_ERR_TSM_INBLOB_SIZE);
    EXPECT_ERR(get(&f, 65, &r), ATEA_ERR_TSM_INBLOB_SIZE);
    assert_int_equal(f.mkdirs, 0); /* refused before touching the kernel */
    fake_tsm_dispose(&f);
}

static void test_concurrent_writer_detected(void **state)
{
    (void)state;
    fake_tsm f;
    fake_tsm_init(&f, "sev_guest\n", shared(SNP_GSG));
    f.concurrent_writes = 1;
    atea_tsm_report r;
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_GENERATION);
    assert_non_null(strstr(atea_err_last()->detail, "from 0 to 2"));
    assert_null(r.outblob.data);
    assert_int_equal(f.rmdirs, 1);
    assert_string_equal(f.entry, "");
    fake_tsm_dispose(&f);
}

static void test_provider_and_generation_faults(void **state)
{
    (void)state;
    fake_tsm f;
    atea_tsm_report r;
    fake_tsm_init(&f, NULL, shared(TDX_V4));
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_PROVIDER_MISSING);
    assert_int_equal(f.rmdirs, 1);
    fake_tsm_dispose(&f);

    fake_tsm_init(&f, "", shared(TDX_V4));
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_PROVIDER_MISSING);
    fake_tsm_dispose(&f);

    fake_tsm_init(&f, "sgx_guest\n", shared(TDX_V4));
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_PROVIDER_UNKNOWN);
    fake_tsm_dispose(&f);

    fake_tsm_init(&f, "tdx_guest\n", shared(TDX_V4));
    f.generation_text = "12a\n";
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_GENERATION_FORMAT);
    f.generation_text = "\n";
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_GENERATION_FORMAT);
    f.generation_text = "99999999999999999999999\n";
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_GENERATION_FORMAT);
    /* a generation that does not move at all: the write did not take effect */
    f.generation_text = "7\n";
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_GENERATION);
    fake_tsm_dispose(&f);
}

static void test_outblob_limits(void **state)
{
    (void)state;
    char big[] = "/tmp/atea-bigblob-XXXXXX";
    int fd = mkstemp(big);
    assert_true(fd >= 0);
    uint8_t *zeros = calloc(1, ATEA_TSM_MAX_OUTBLOB + 1);
    assert_non_null(zeros);
    assert_int_equal(write(fd, zeros, ATEA_TSM_MAX_OUTBLOB + 1), ATEA_TSM_MAX_OUTBLOB + 1);
    free(zeros);
    fake_tsm f;
    atea_tsm_report r;
    fake_tsm_init(&f, "tdx_guest\n", big);
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_OUTBLOB);
    assert_int_equal(ftruncate(fd, ATEA_TSM_MAX_OUTBLOB), 0); /* at the cap: accepted */
    EXPECT_OK(get(&f, 64, &r));
    assert_int_equal(r.outblob.len, ATEA_TSM_MAX_OUTBLOB);
    atea_tsm_report_dispose(&r);
    assert_int_equal(ftruncate(fd, 0), 0);
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_OUTBLOB); /* empty */
    fake_tsm_dispose(&f);
    close(fd);
    unlink(big);

    fake_tsm_init(&f, "sev_guest\n", shared(SNP_GSG));
    f.auxblob.len = ATEA_TSM_MAX_AUXBLOB + 1;
    f.auxblob.data = calloc(1, f.auxblob.len);
    assert_non_null(f.auxblob.data);
    EXPECT_ERR(get(&f, 64, &r), ATEA_ERR_TSM_AUXBLOB);
    fake_tsm_dispose(&f);
}

/* The real file system path: a missing root, and a plain directory (no provider). */
static void test_real_fs(void **state)
{
    (void)state;
    uint8_t inblob[64] = {0};
    atea_tsm_opts o;
    atea_tsm_opts_default(&o);
    atea_tsm_report r;
    o.root = "/nonexistent/tsm/report";
    EXPECT_ERR(atea_tsm_get_report(&o, inblob, 64, &r), ATEA_ERR_TSM_ROOT);
    char dir[] = "/tmp/atea-tsmroot-XXXXXX";
    assert_non_null(mkdtemp(dir));
    o.root = dir;
    o.entry_name = "entry0";
    EXPECT_ERR(atea_tsm_get_report(&o, inblob, 64, &r), ATEA_ERR_TSM_PROVIDER_MISSING);
    char entry[64];
    snprintf(entry, sizeof(entry), "%s/entry0", dir);
    assert_int_not_equal(access(entry, F_OK), 0); /* removed again */
    o.entry_name = "../escape";
    EXPECT_ERR(atea_tsm_get_report(&o, inblob, 64, &r), ATEA_ERR_INVALID_ARG);
    o.entry_name = NULL;
    o.version = 3;
    EXPECT_ERR(atea_tsm_get_report(&o, inblob, 64, &r), ATEA_ERR_EVIDENCE_OPTS_VERSION);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tdx_report),
        cmocka_unit_test(test_snp_collection_verifies),
        cmocka_unit_test(test_cca_record),
        cmocka_unit_test(test_tdx_with_event_log),
        cmocka_unit_test(test_tdx_without_event_log),
        cmocka_unit_test(test_ccel_table_checked),
        cmocka_unit_test(test_ccel_area_checked),
        cmocka_unit_test(test_inblob_must_be_64),
        cmocka_unit_test(test_concurrent_writer_detected),
        cmocka_unit_test(test_provider_and_generation_faults),
        cmocka_unit_test(test_outblob_limits),
        cmocka_unit_test(test_real_fs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
