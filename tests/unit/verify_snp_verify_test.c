/* SEV-SNP verification end to end on the real reports of ../shared/testdata/evidence/sev-snp:
 * each verifies at a pinned time with its exact claims, and every check has a case where it
 * must fail with its own code. */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "atea/appraisal.h"
#include "atea/snp.h"
#include "atea/verify_env.h"
#include "atea_test.h"
#include "core/check.h"
#include "verify/chain.h"

#define SNP_DIR "testdata/evidence/sev-snp"
#define T_2025_06_01 1748736000 /* inside every sample certificate's validity */
#define T_2026_11_28 1795824000 /* "today": the VLEK (to 2025-12-10) has expired */
#define T_2020_01_01 1577836800 /* before any VCEK was issued */

static const char GSG_RD[] = "0102030405000000000000000000000000000000000000000000000000000000"
                             "0000000000000000000000000000000000000000000000000000000000000000";
static const char TRUSTEE_RD[] = "ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2"
                                 "0000000000000000000000000000000000000000000000000000000000000000";
static const char VLEK_RD[] = "819770b7e6ea6df8dd8fd4dd146b073c0bf4f3ce5b0977ecac486e3a05ed1bd5"
                              "4e2a7ac1f5d1ca02e7d7d5ef9f73b8574fd9359e3a480d741a4478e8a7bc27ca";

static char *sample_path(const char *name)
{
    return atea_test_shared_file(SNP_DIR, name);
}

static atea_buf read_sample(const char *name)
{
    return atea_test_read_shared(SNP_DIR, name);
}

/* One verification: report bytes, certificate files by sample name, optional table certs. */
typedef struct snp_run {
    const char *files[4];
    const atea_snp_certs *certs;
    int64_t now;
    const char *expected_rd_hex; /* NULL: no binder */
    atea_appraisal *a;
} snp_run;

static atea_err run_verify(snp_run *run, const uint8_t *report, size_t len)
{
    char *paths[4] = {0};
    size_t n = 0;
    atea_buf rd = {0};
    for (; n < 4 && run->files[n] != NULL; n++) {
        paths[n] = sample_path(run->files[n]);
    }
    if (run->expected_rd_hex != NULL) {
        rd = atea_test_hex(run->expected_rd_hex);
        assert_int_equal(rd.len, 64);
    }
    atea_verify_env env = {
        .expected_report_data = rd.data,
        .now = run->now,
        .cert_files = (const char *const *)paths,
        .cert_file_count = n,
    };
    EXPECT_OK(atea_appraisal_new(&run->a));
    atea_err err = atea_snp_verify(&env, report, len, run->certs, run->a);
    for (size_t i = 0; i < n; i++) {
        free(paths[i]);
    }
    atea_buf_free(&rd);
    return err;
}

static atea_err run_file(snp_run *run, const char *report_name)
{
    atea_buf b = read_sample(report_name);
    atea_err err = run_verify(run, b.data, b.len);
    atea_buf_free(&b);
    return err;
}

static void expect_claim_hex(const atea_appraisal *a, const char *name, const char *hex)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "snp", name);
    if (c == NULL) {
        fail_msg("claim %s missing", name);
    }
    assert_int_equal(c->type, ATEA_CLAIM_BYTES);
    atea_test_assert_hex(c->bytes.data, c->bytes.len, hex);
}

static void expect_claim_int(const atea_appraisal *a, const char *name, int64_t v)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "snp", name);
    if (c == NULL) {
        fail_msg("claim %s missing", name);
    }
    assert_true(c->type == ATEA_CLAIM_INT || c->type == ATEA_CLAIM_BOOL);
    assert_int_equal(c->i, v);
}

static void expect_claim_str(const atea_appraisal *a, const char *name, const char *v)
{
    const atea_claim *c = atea_appraisal_find_claim(a, "snp", name);
    if (c == NULL) {
        fail_msg("claim %s missing", name);
    }
    assert_int_equal(c->type, ATEA_CLAIM_STR);
    assert_string_equal(c->str, v);
}

/* A failed verification records its code as a CONTRAINDICATED reason. */
static void expect_failed(snp_run *run, atea_err code)
{
    assert_true(atea_appraisal_has_reason(run->a, code));
    assert_int_equal(atea_appraisal_status(run->a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(run->a);
    run->a = NULL;
}

static void test_gsg_milan_vcek_debug(void **state)
{
    (void)state;
    snp_run run = {{"gsg_vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, GSG_RD, NULL};
    EXPECT_OK(run_file(&run, "gsg_attestation.bin"));
    expect_claim_hex(run.a, "report_data", GSG_RD);
    expect_claim_hex(run.a, "measurement",
                     "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b"
                     "6bdf8a9ece31a5a608eb0cf2e4872b01");
    expect_claim_hex(run.a, "chip_id",
                     "3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e5378618"
                     "4ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d");
    expect_claim_hex(run.a, "reported_tcb", "0200000000000544");
    expect_claim_int(run.a, "reported_tcb_bootloader", 2);
    expect_claim_int(run.a, "reported_tcb_tee", 0);
    expect_claim_int(run.a, "reported_tcb_snp", 5);
    expect_claim_int(run.a, "reported_tcb_microcode", 68);
    expect_claim_int(run.a, "policy", 0xB0000);
    expect_claim_int(run.a, "debug", 1);
    expect_claim_int(run.a, "smt", 1);
    expect_claim_int(run.a, "migrate_ma", 0);
    expect_claim_int(run.a, "version", 2);
    expect_claim_int(run.a, "vmpl", 0);
    expect_claim_str(run.a, "signing_key", "vcek");
    expect_claim_str(run.a, "product", "milan");
    /* Debug allowed: a WARNING with its own code; the policy layer rejects. */
    assert_true(atea_appraisal_has_reason(run.a, ATEA_ERR_SNP_DEBUG));
    assert_int_equal(atea_appraisal_status(run.a), ATEA_EAR_WARNING);
    atea_appraisal_free(run.a);
}

static void test_trustee_milan_vcek(void **state)
{
    (void)state;
    snp_run run = {
        {"trustee_test-vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, TRUSTEE_RD, NULL};
    EXPECT_OK(run_file(&run, "trustee_test-report.bin"));
    expect_claim_hex(run.a, "report_data", TRUSTEE_RD);
    expect_claim_hex(run.a, "measurement",
                     "a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c"
                     "23500644e0e692e6be917f9050d3d38c");
    /* The VCEK matches REPORTED_TCB (ucode 115), not CURRENT_TCB (ucode 206). */
    expect_claim_int(run.a, "reported_tcb_microcode", 115);
    expect_claim_int(run.a, "current_tcb_microcode", 206);
    expect_claim_int(run.a, "guest_svn", 4);
    expect_claim_int(run.a, "debug", 0);
    expect_claim_hex(run.a, "family_id", "01000000000000000000000000000000");
    expect_claim_hex(run.a, "image_id", "02000000000000000000000000000000");
    assert_false(atea_appraisal_has_reason(run.a, ATEA_ERR_SNP_DEBUG));
    assert_int_equal(atea_appraisal_status(run.a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(run.a);
}

static void test_trustee_milan_vlek(void **state)
{
    (void)state;
    snp_run run = {
        {"trustee_test-vlek.der", "ask_ark_milan_vlek.pem"}, NULL, T_2025_06_01, VLEK_RD, NULL};
    EXPECT_OK(run_file(&run, "trustee_test-vlek-report.bin"));
    expect_claim_hex(run.a, "report_data", VLEK_RD);
    expect_claim_hex(run.a, "measurement",
                     "8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4"
                     "e8c9af857f5ceeb5a493df2a570d7bf0");
    expect_claim_str(run.a, "signing_key", "vlek");
    expect_claim_str(run.a, "product", "milan");
    expect_claim_int(run.a, "version", 3);
    expect_claim_int(run.a, "vmpl", 1);
    expect_claim_int(run.a, "reported_tcb_microcode", 0xD9);
    expect_claim_int(run.a, "reported_tcb_snp", 0x18);
    assert_int_equal(atea_appraisal_status(run.a), ATEA_EAR_AFFIRMING);
    atea_appraisal_free(run.a);
}

static void test_no_binder_is_a_warning(void **state)
{
    (void)state;
    snp_run run = {{"trustee_test-vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_OK(run_file(&run, "trustee_test-report.bin"));
    assert_true(atea_appraisal_has_reason(run.a, ATEA_ERR_BINDING_MISSING));
    assert_int_equal(atea_appraisal_status(run.a), ATEA_EAR_WARNING);
    atea_appraisal_free(run.a);
}

static void test_report_data_mismatch(void **state)
{
    (void)state;
    /* The binder of another connection: all but the last byte equal. */
    char other[129];
    memcpy(other, TRUSTEE_RD, sizeof(other));
    other[127] = '1';
    snp_run run = {{"trustee_test-vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, other, NULL};
    EXPECT_ERR(run_file(&run, "trustee_test-report.bin"), ATEA_ERR_SNP_REPORT_DATA);
    expect_failed(&run, ATEA_ERR_SNP_REPORT_DATA);
}

static void test_bit_flips_in_report(void **state)
{
    (void)state;
    atea_buf b = read_sample("trustee_test-report.bin");
    /* Signed region (REPORT_DATA, MEASUREMENT, last signed byte) and the signature (r, s). */
    const size_t offsets[] = {0x000 + 4, 0x050, 0x090, 0x1F0, 0x2A0, 0x2C0, 0x2E8, 0x300};
    for (size_t i = 0; i < ATEA_ARRAY_LEN(offsets); i++) {
        snp_run run = {
            {"trustee_test-vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, NULL, NULL};
        b.data[offsets[i]] ^= 0x01;
        EXPECT_ERR(run_verify(&run, b.data, b.len), ATEA_ERR_SNP_SIGNATURE);
        expect_failed(&run, ATEA_ERR_SNP_SIGNATURE);
        b.data[offsets[i]] ^= 0x01;
    }
    atea_buf_free(&b);
}

static void test_report_bound_to_certificate(void **state)
{
    (void)state;
    atea_buf b = read_sample("trustee_test-report.bin");
    snp_run run = {{"trustee_test-vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, NULL, NULL};
    /* CHIP_ID of another chip. */
    b.data[0x1A0] ^= 0x80;
    EXPECT_ERR(run_verify(&run, b.data, b.len), ATEA_ERR_SNP_CHIP_ID_MISMATCH);
    expect_failed(&run, ATEA_ERR_SNP_CHIP_ID_MISMATCH);
    b.data[0x1A0] ^= 0x80;
    /* MASK_CHIP_KEY: the firmware did not sign with the VCEK. */
    b.data[0x48] |= 0x02;
    EXPECT_ERR(run_verify(&run, b.data, b.len), ATEA_ERR_SNP_SIGNING_KEY);
    expect_failed(&run, ATEA_ERR_SNP_SIGNING_KEY);
    b.data[0x48] &= (uint8_t)~0x02;
    /* REPORTED_TCB the VCEK was not issued for (microcode byte). */
    b.data[0x187] ^= 0x01;
    EXPECT_ERR(run_verify(&run, b.data, b.len), ATEA_ERR_SNP_TCB_MISMATCH);
    expect_failed(&run, ATEA_ERR_SNP_TCB_MISMATCH);
    atea_buf_free(&b);
    /* The gsg report against the trustee VCEK: another TCB (and chip). */
    snp_run other = {
        {"trustee_test-vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&other, "gsg_attestation.bin"), ATEA_ERR_SNP_TCB_MISMATCH);
    expect_failed(&other, ATEA_ERR_SNP_TCB_MISMATCH);
}

static void test_product_from_cpuid_must_match(void **state)
{
    (void)state;
    atea_buf b = read_sample("trustee_test-vlek-report.bin");
    snp_run run = {
        {"trustee_test-vlek.der", "ask_ark_milan_vlek.pem"}, NULL, T_2025_06_01, NULL, NULL};
    b.data[0x188] = 0x1A; /* CPUID family of Turin */
    EXPECT_ERR(run_verify(&run, b.data, b.len), ATEA_ERR_SNP_PRODUCT);
    expect_failed(&run, ATEA_ERR_SNP_PRODUCT);
    atea_buf_free(&b);
}

static void test_vlek_report_with_vcek_chain(void **state)
{
    (void)state;
    snp_run run = {{"trustee_test-vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&run, "trustee_test-vlek-report.bin"), ATEA_ERR_SNP_KEY_MISMATCH);
    expect_failed(&run, ATEA_ERR_SNP_KEY_MISMATCH);
    /* And a VCEK report with only a VLEK chain. */
    snp_run rev = {
        {"trustee_test-vlek.der", "ask_ark_milan_vlek.pem"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&rev, "trustee_test-report.bin"), ATEA_ERR_SNP_KEY_MISMATCH);
    expect_failed(&rev, ATEA_ERR_SNP_KEY_MISMATCH);
}

static void test_endorsement_kind_must_match_report(void **state)
{
    (void)state;
    char *files[2] = {sample_path("trustee_test-vcek.der"), sample_path("ask_ark_milan.pem")};
    atea_verify_env env = {
        .now = T_2025_06_01, .cert_files = (const char *const *)files, .cert_file_count = 2};
    atea_snp_endorsement *e = NULL;
    atea_appraisal *a = NULL;
    EXPECT_OK(atea_snp_endorsement_new(&env, NULL, ATEA_SNP_KEY_VCEK, &e));
    assert_int_equal(atea_snp_endorsement_product(e), ATEA_SNP_PRODUCT_MILAN);
    EXPECT_ERR(
        atea_snp_endorsement_new(&env, NULL, ATEA_SNP_KEY_VLEK, &(atea_snp_endorsement *){NULL}),
        ATEA_ERR_SNP_KEY_MISMATCH);
    atea_buf vlek_report = read_sample("trustee_test-vlek-report.bin");
    EXPECT_OK(atea_appraisal_new(&a));
    EXPECT_ERR(atea_snp_verify_endorsed(&env, e, vlek_report.data, vlek_report.len, a),
               ATEA_ERR_SNP_KEY_MISMATCH);
    assert_int_equal(atea_appraisal_status(a), ATEA_EAR_CONTRAINDICATED);
    atea_appraisal_free(a);
    /* The same endorsement verifies its own report many times. */
    atea_buf report = read_sample("trustee_test-report.bin");
    for (int i = 0; i < 3; i++) {
        EXPECT_OK(atea_appraisal_new(&a));
        EXPECT_OK(atea_snp_verify_endorsed(&env, e, report.data, report.len, a));
        atea_appraisal_free(a);
    }
    atea_buf_free(&report);
    atea_buf_free(&vlek_report);
    atea_snp_endorsement_free(e);
    free(files[0]);
    free(files[1]);
}

static void test_wrong_root(void **state)
{
    (void)state;
    /* A Milan report whose only AMD chain is Genoa's: the Milan ARK is missing. */
    snp_run run = {{"gsg_vcek.der", "ask_ark_genoa.pem"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&run, "gsg_attestation.bin"), ATEA_ERR_SNP_ROOT);
    expect_failed(&run, ATEA_ERR_SNP_ROOT);
}

static void test_expiry(void **state)
{
    (void)state;
    /* The VLEK expired on 2025-12-10: it does not verify "today". */
    snp_run run = {
        {"trustee_test-vlek.der", "ask_ark_milan_vlek.pem"}, NULL, T_2026_11_28, NULL, NULL};
    EXPECT_ERR(run_file(&run, "trustee_test-vlek-report.bin"), ATEA_ERR_CHAIN_VALIDITY);
    expect_failed(&run, ATEA_ERR_CHAIN_VALIDITY);
    /* Not yet valid. */
    snp_run early = {{"gsg_vcek.der", "ask_ark_milan.pem"}, NULL, T_2020_01_01, NULL, NULL};
    EXPECT_ERR(run_file(&early, "gsg_attestation.bin"), ATEA_ERR_CHAIN_VALIDITY);
    expect_failed(&early, ATEA_ERR_CHAIN_VALIDITY);
}

static void test_missing_and_bad_certificates(void **state)
{
    (void)state;
    snp_run none = {{NULL}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&none, "gsg_attestation.bin"), ATEA_ERR_SNP_NO_CERT);
    expect_failed(&none, ATEA_ERR_SNP_NO_CERT);
    snp_run vcek_only = {{"gsg_vcek.der"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&vcek_only, "gsg_attestation.bin"), ATEA_ERR_SNP_ROOT);
    expect_failed(&vcek_only, ATEA_ERR_SNP_ROOT);
    snp_run not_a_cert = {{"gsg_vcek.der", "README.md"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&not_a_cert, "gsg_attestation.bin"), ATEA_ERR_SNP_CERT);
    expect_failed(&not_a_cert, ATEA_ERR_SNP_CERT);
    snp_run missing = {{"gsg_vcek.der", "no-such-file.pem"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_file(&missing, "gsg_attestation.bin"), ATEA_ERR_SNP_CERT);
    expect_failed(&missing, ATEA_ERR_SNP_CERT);
}

/* DER of the i-th certificate of a PEM sample (0 = ASK, 1 = ARK in the KDS cert_chain). */
static atea_buf pem_cert_der(const char *name, size_t index)
{
    atea_buf pem = read_sample(name);
    X509 *certs[2] = {NULL, NULL};
    size_t n = 0;
    EXPECT_OK(atea_chain_parse_pem(pem.data, pem.len, certs, 2, &n));
    assert_true(index < n);
    atea_buf der = {0};
    unsigned char *p = NULL;
    int len = i2d_X509(certs[index], &p);
    assert_true(len > 0);
    EXPECT_OK(atea_buf_set(&der, p, (size_t)len));
    OPENSSL_free(p);
    atea_chain_free_certs(certs, n);
    atea_buf_free(&pem);
    return der;
}

static void test_certificates_from_table_and_flips(void **state)
{
    (void)state;
    atea_buf vcek = read_sample("gsg_vcek.der");
    atea_buf ask = pem_cert_der("ask_ark_milan.pem", 0);
    atea_buf ark = pem_cert_der("ask_ark_milan.pem", 1);
    atea_buf genoa_ark = pem_cert_der("ask_ark_genoa.pem", 1);
    atea_snp_certs certs = {{vcek.data, vcek.len}, {0}, {ask.data, ask.len}, {ark.data, ark.len}};
    snp_run run = {{NULL}, &certs, T_2025_06_01, GSG_RD, NULL};
    EXPECT_OK(run_file(&run, "gsg_attestation.bin"));
    atea_appraisal_free(run.a);

    /* Without the ASK the chain has a gap. */
    certs.ask = (atea_slice){0};
    EXPECT_ERR(run_file(&run, "gsg_attestation.bin"), ATEA_ERR_SNP_NO_CERT);
    expect_failed(&run, ATEA_ERR_SNP_NO_CERT);
    certs.ask = (atea_slice){ask.data, ask.len};

    /* A flipped bit in the VCEK's signature, then in the ASK's. */
    vcek.data[vcek.len - 1] ^= 0x01;
    EXPECT_ERR(run_file(&run, "gsg_attestation.bin"), ATEA_ERR_CHAIN_BAD_SIGNATURE);
    expect_failed(&run, ATEA_ERR_CHAIN_BAD_SIGNATURE);
    vcek.data[vcek.len - 1] ^= 0x01;
    ask.data[ask.len - 1] ^= 0x01;
    EXPECT_ERR(run_file(&run, "gsg_attestation.bin"), ATEA_ERR_CHAIN_BAD_SIGNATURE);
    expect_failed(&run, ATEA_ERR_CHAIN_BAD_SIGNATURE);
    ask.data[ask.len - 1] ^= 0x01;
    /* A flipped bit in the VCEK's to-be-signed part (its validity dates). */
    const uint8_t not_before[] = "220924005528Z";
    uint8_t *at = NULL;
    for (size_t i = 0; i + sizeof(not_before) - 1 <= vcek.len && at == NULL; i++) {
        if (memcmp(vcek.data + i, not_before, sizeof(not_before) - 1) == 0) {
            at = vcek.data + i;
        }
    }
    assert_non_null(at);
    at[5] ^= 0x01; /* 2022-09-24 -> 2022-09-25 */
    EXPECT_ERR(run_file(&run, "gsg_attestation.bin"), ATEA_ERR_CHAIN_BAD_SIGNATURE);
    expect_failed(&run, ATEA_ERR_CHAIN_BAD_SIGNATURE);
    at[5] ^= 0x01;

    /* The Milan ASK under the Genoa ARK. */
    certs.ark = (atea_slice){genoa_ark.data, genoa_ark.len};
    EXPECT_ERR(run_file(&run, "gsg_attestation.bin"), ATEA_ERR_SNP_ROOT);
    expect_failed(&run, ATEA_ERR_SNP_ROOT);
    atea_buf_free(&vcek);
    atea_buf_free(&ask);
    atea_buf_free(&ark);
    atea_buf_free(&genoa_ark);
}

static void test_turin_vcek_endorsement(void **state)
{
    (void)state;
    /* No public Turin report exists; the Turin VCEK chain and KDS extensions (8-byte hwID,
     * fmcSPL) still build an endorsement. */
    char *files[2] = {sample_path("virtee_vcek_turin.der"), sample_path("ask_ark_turin_vcek.pem")};
    atea_verify_env env = {
        .now = T_2026_11_28, .cert_files = (const char *const *)files, .cert_file_count = 2};
    atea_snp_endorsement *e = NULL;
    EXPECT_OK(atea_snp_endorsement_new(&env, NULL, ATEA_SNP_KEY_VCEK, &e));
    assert_int_equal(atea_snp_endorsement_product(e), ATEA_SNP_PRODUCT_TURIN);
    atea_snp_endorsement_free(e);
    /* The Turin VCEK against the Milan chain: the Turin ARK is not there. */
    free(files[1]);
    files[1] = sample_path("ask_ark_milan.pem");
    EXPECT_ERR(atea_snp_endorsement_new(&env, NULL, ATEA_SNP_KEY_VCEK, &e), ATEA_ERR_SNP_ROOT);
    free(files[0]);
    free(files[1]);
}

static void test_trailing_and_truncated(void **state)
{
    (void)state;
    atea_buf b = read_sample("gsg_attestation.bin");
    uint8_t *longer = calloc(1, b.len + 1);
    assert_non_null(longer);
    memcpy(longer, b.data, b.len);
    snp_run run = {{"gsg_vcek.der", "ask_ark_milan.pem"}, NULL, T_2025_06_01, NULL, NULL};
    EXPECT_ERR(run_verify(&run, longer, b.len + 1), ATEA_ERR_TRAILING);
    expect_failed(&run, ATEA_ERR_TRAILING);
    EXPECT_ERR(run_verify(&run, b.data, ATEA_SNP_SIGNED_SIZE), ATEA_ERR_TRUNCATED);
    expect_failed(&run, ATEA_ERR_TRUNCATED);
    free(longer);
    atea_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsg_milan_vcek_debug),
        cmocka_unit_test(test_trustee_milan_vcek),
        cmocka_unit_test(test_trustee_milan_vlek),
        cmocka_unit_test(test_no_binder_is_a_warning),
        cmocka_unit_test(test_report_data_mismatch),
        cmocka_unit_test(test_bit_flips_in_report),
        cmocka_unit_test(test_report_bound_to_certificate),
        cmocka_unit_test(test_product_from_cpuid_must_match),
        cmocka_unit_test(test_vlek_report_with_vcek_chain),
        cmocka_unit_test(test_endorsement_kind_must_match_report),
        cmocka_unit_test(test_wrong_root),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_missing_and_bad_certificates),
        cmocka_unit_test(test_certificates_from_table_and_flips),
        cmocka_unit_test(test_turin_vcek_endorsement),
        cmocka_unit_test(test_trailing_and_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
