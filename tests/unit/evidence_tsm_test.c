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
        cmocka_unit_test(test_inblob_must_be_64),
        cmocka_unit_test(test_concurrent_writer_detected),
        cmocka_unit_test(test_provider_and_generation_faults),
        cmocka_unit_test(test_outblob_limits),
        cmocka_unit_test(test_real_fs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
