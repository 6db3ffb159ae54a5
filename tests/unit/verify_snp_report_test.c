/* SEV-SNP report layout and certificate-table parsing: every field, every reserved byte, every
 * table bound. The cryptographic verification is in verify_snp_verify_test.c. */
#include <stdlib.h>
#include <string.h>

#include "atea/snp.h"
#include "atea_test.h"
#include "core/check.h"

#define SNP_DIR "testdata/evidence/sev-snp/"

static atea_buf read_sample(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof(rel), SNP_DIR "%s", name);
    return atea_test_read_file(atea_test_shared_path(rel));
}

static void put_u32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void test_parse_gsg_fields(void **state)
{
    (void)state;
    atea_buf b = read_sample("gsg_attestation.bin");
    atea_snp_report r;
    EXPECT_OK(atea_snp_report_parse(b.data, b.len, &r));
    assert_int_equal(r.version, 2);
    assert_int_equal(r.guest_svn, 0);
    assert_int_equal(r.policy, 0xB0000);
    assert_int_equal(r.vmpl, 0);
    assert_int_equal(r.signing_key, ATEA_SNP_KEY_VCEK);
    assert_int_equal(r.platform_info, 1);
    atea_test_assert_hex(r.report_data, 64,
                         "0102030405000000000000000000000000000000000000000000000000000000"
                         "0000000000000000000000000000000000000000000000000000000000000000");
    atea_test_assert_hex(r.measurement, 48,
                         "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b"
                         "6bdf8a9ece31a5a608eb0cf2e4872b01");
    atea_test_assert_hex(r.reported_tcb, 8, "0200000000000544");
    atea_snp_tcb t = atea_snp_tcb_decode(r.reported_tcb, ATEA_SNP_PRODUCT_MILAN);
    assert_int_equal(t.bootloader, 2);
    assert_int_equal(t.tee, 0);
    assert_int_equal(t.snp, 5);
    assert_int_equal(t.microcode, 68);
    assert_int_equal(r.current_build, 3);
    assert_int_equal(r.current_minor, 0x31);
    assert_int_equal(r.current_major, 1);
    assert_int_equal(atea_snp_report_product(&r), ATEA_SNP_PRODUCT_UNKNOWN); /* v2: no CPUID */
    atea_buf_free(&b);
}

static void test_parse_vlek_v3(void **state)
{
    (void)state;
    atea_buf b = read_sample("trustee_test-vlek-report.bin");
    atea_snp_report r;
    EXPECT_OK(atea_snp_report_parse(b.data, b.len, &r));
    assert_int_equal(r.version, 3);
    assert_int_equal(r.signing_key, ATEA_SNP_KEY_VLEK);
    assert_int_equal(r.vmpl, 1);
    assert_int_equal(r.platform_info, 0x27);
    assert_int_equal(r.cpuid_fam_id, 0x19);
    assert_int_equal(r.cpuid_mod_id, 0x01);
    assert_int_equal(r.cpuid_step, 0x01);
    assert_int_equal(atea_snp_report_product(&r), ATEA_SNP_PRODUCT_MILAN);
    atea_buf_free(&b);
}

static void test_tcb_decode_turin_layout(void **state)
{
    (void)state;
    const uint8_t raw[8] = {1, 2, 3, 4, 0, 0, 0, 9};
    atea_snp_tcb t = atea_snp_tcb_decode(raw, ATEA_SNP_PRODUCT_TURIN);
    assert_int_equal(t.fmc, 1);
    assert_int_equal(t.bootloader, 2);
    assert_int_equal(t.tee, 3);
    assert_int_equal(t.snp, 4);
    assert_int_equal(t.microcode, 9);
    t = atea_snp_tcb_decode(raw, ATEA_SNP_PRODUCT_GENOA);
    assert_int_equal(t.fmc, 0);
    assert_int_equal(t.bootloader, 1);
    assert_int_equal(t.tee, 2);
    assert_int_equal(t.snp, 0);
    assert_int_equal(t.microcode, 9);
}

static void test_version_5_mitigation_vectors(void **state)
{
    (void)state;
    atea_buf b = read_sample("trustee_test-vlek-report.bin");
    atea_snp_report r;
    put_u32le(b.data, 5);
    b.data[0x1F8] = 0x11; /* LAUNCH_MIT_VECTOR (v5 only) */
    b.data[0x200] = 0x22; /* CURRENT_MIT_VECTOR */
    EXPECT_OK(atea_snp_report_parse(b.data, b.len, &r));
    assert_int_equal(r.launch_mit_vector, 0x11);
    assert_int_equal(r.current_mit_vector, 0x22);
    /* The same bytes are reserved in a v3 report. */
    put_u32le(b.data, 3);
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_RESERVED);
    atea_buf_free(&b);
}

static void test_versions_rejected(void **state)
{
    (void)state;
    atea_buf b = read_sample("gsg_attestation.bin");
    atea_snp_report r;
    const uint32_t bad[] = {0, 1, 4, 6, 0xFFFFFFFFu};
    for (size_t i = 0; i < ATEA_ARRAY_LEN(bad); i++) {
        put_u32le(b.data, bad[i]);
        EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_VERSION);
    }
    atea_buf_free(&b);
}

static void test_signature_algo_and_signing_key(void **state)
{
    (void)state;
    atea_buf b = read_sample("gsg_attestation.bin");
    atea_snp_report r;
    put_u32le(b.data + 0x34, 2);
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_SIG_ALGO);
    put_u32le(b.data + 0x34, 1);
    put_u32le(b.data + 0x48, 7u << 2); /* SIGNING_KEY none */
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_SIGNING_KEY);
    put_u32le(b.data + 0x48, 2u << 2); /* reserved selector */
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_SIGNING_KEY);
    put_u32le(b.data + 0x48, 1u << 5); /* reserved signer-info bit */
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_RESERVED);
    put_u32le(b.data + 0x48, 3); /* AUTHOR_KEY_EN, MASK_CHIP_KEY, VCEK */
    EXPECT_OK(atea_snp_report_parse(b.data, b.len, &r));
    assert_int_equal(r.author_key_en, 1);
    assert_int_equal(r.mask_chip_key, 1);
    atea_buf_free(&b);
}

static void test_reserved_bytes(void **state)
{
    (void)state;
    atea_buf b = read_sample("gsg_attestation.bin");
    atea_snp_report r;
    /* One byte in each reserved range of a v2 report, and the top of r and s. */
    const size_t offsets[] = {0x04C, 0x04F, 0x188, 0x19F, 0x1EB, 0x1EF, 0x1F8,
                              0x29F, 0x2D0, 0x2E7, 0x318, 0x32F, 0x330, 0x49F};
    for (size_t i = 0; i < ATEA_ARRAY_LEN(offsets); i++) {
        uint8_t saved = b.data[offsets[i]];
        b.data[offsets[i]] = 0x01;
        EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_RESERVED);
        b.data[offsets[i]] = saved;
    }
    EXPECT_OK(atea_snp_report_parse(b.data, b.len, &r));
    /* POLICY bit 17 must be one; bits 63:26 zero. */
    b.data[0x0A] &= (uint8_t)~0x02;
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_RESERVED);
    b.data[0x0A] |= 0x02;
    b.data[0x0B] = 0x04; /* bit 26 */
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len, &r), ATEA_ERR_SNP_RESERVED);
    atea_buf_free(&b);
}

static void test_size_truncated_and_trailing(void **state)
{
    (void)state;
    atea_buf b = read_sample("gsg_attestation.bin");
    atea_snp_report r;
    uint8_t *longer = calloc(1, b.len + 1);
    assert_non_null(longer);
    memcpy(longer, b.data, b.len);
    EXPECT_ERR(atea_snp_report_parse(longer, b.len + 1, &r), ATEA_ERR_TRAILING);
    EXPECT_ERR(atea_snp_report_parse(b.data, b.len - 1, &r), ATEA_ERR_TRUNCATED);
    EXPECT_ERR(atea_snp_report_parse(b.data, 0, &r), ATEA_ERR_TRUNCATED);
    EXPECT_ERR(atea_snp_report_parse(NULL, 0, &r), ATEA_ERR_INVALID_ARG);
    free(longer);
    atea_buf_free(&b);
}

/* ---- certificate table (GHCB 56421 4.1.8.1) ---- */

static const uint8_t G_VCEK[16] = {0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
                                   0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd};
static const uint8_t G_ASK[16] = {0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
                                  0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82};
static const uint8_t G_ARK[16] = {0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
                                  0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae};
static const uint8_t G_OTHER[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};

static void put_entry(uint8_t *table, size_t i, const uint8_t *guid, uint32_t off, uint32_t len)
{
    memcpy(table + 24 * i, guid, 16);
    put_u32le(table + 24 * i + 16, off);
    put_u32le(table + 24 * i + 20, len);
}

static void test_cert_table_ok(void **state)
{
    (void)state;
    uint8_t t[24 * 5 + 30] = {0};
    put_entry(t, 0, G_VCEK, 120, 10);
    put_entry(t, 1, G_OTHER, 130, 5); /* unknown GUIDs are skipped */
    put_entry(t, 2, G_ASK, 135, 7);
    put_entry(t, 3, G_ARK, 142, 8);
    /* entry 4: terminator (all zero) */
    for (size_t i = 120; i < 150; i++) {
        t[i] = (uint8_t)i;
    }
    atea_snp_certs c;
    EXPECT_OK(atea_snp_cert_table_parse(t, sizeof(t), &c));
    assert_ptr_equal(c.vcek.data, t + 120);
    assert_int_equal(c.vcek.len, 10);
    assert_ptr_equal(c.ask.data, t + 135);
    assert_int_equal(c.ask.len, 7);
    assert_ptr_equal(c.ark.data, t + 142);
    assert_int_equal(c.ark.len, 8);
    assert_null(c.vlek.data);

    /* Zero padding after the last certificate is the kernel's fixed-size buffer: accepted. */
    uint8_t padded[sizeof(t) + 16] = {0};
    memcpy(padded, t, sizeof(t));
    EXPECT_OK(atea_snp_cert_table_parse(padded, sizeof(padded), &c));
    padded[sizeof(padded) - 1] = 0x5a;
    EXPECT_ERR(atea_snp_cert_table_parse(padded, sizeof(padded), &c), ATEA_ERR_SNP_CERT_TABLE);
}

static void test_cert_table_bounds(void **state)
{
    (void)state;
    uint8_t t[24 * 2 + 10] = {0};
    atea_snp_certs c;
    /* No terminator: the entry array runs off the end. */
    memset(t, 0x11, sizeof(t));
    EXPECT_ERR(atea_snp_cert_table_parse(t, sizeof(t), &c), ATEA_ERR_TRUNCATED);
    memset(t, 0, sizeof(t));
    put_entry(t, 0, G_VCEK, 48, 11); /* one past the end */
    EXPECT_ERR(atea_snp_cert_table_parse(t, sizeof(t), &c), ATEA_ERR_SNP_CERT_TABLE);
    put_entry(t, 0, G_VCEK, 0xFFFFFFFFu, 0xFFFFFFFFu); /* wrap-around */
    EXPECT_ERR(atea_snp_cert_table_parse(t, sizeof(t), &c), ATEA_ERR_SNP_CERT_TABLE);
    put_entry(t, 0, G_VCEK, 20, 10); /* inside the entry array */
    EXPECT_ERR(atea_snp_cert_table_parse(t, sizeof(t), &c), ATEA_ERR_SNP_CERT_TABLE);
    put_entry(t, 0, G_VCEK, 48, 0); /* empty certificate */
    EXPECT_ERR(atea_snp_cert_table_parse(t, sizeof(t), &c), ATEA_ERR_SNP_CERT_TABLE);
    put_entry(t, 0, G_VCEK, 48, 10); /* exactly to the end */
    EXPECT_OK(atea_snp_cert_table_parse(t, sizeof(t), &c));
    EXPECT_ERR(atea_snp_cert_table_parse(NULL, 0, &c), ATEA_ERR_INVALID_ARG);
}

static void test_cert_table_duplicate_guid(void **state)
{
    (void)state;
    uint8_t t[24 * 3 + 20] = {0};
    atea_snp_certs c;
    put_entry(t, 0, G_VCEK, 72, 10);
    put_entry(t, 1, G_VCEK, 82, 10);
    EXPECT_ERR(atea_snp_cert_table_parse(t, sizeof(t), &c), ATEA_ERR_SNP_CERT_TABLE);
}

static void test_cert_table_caps(void **state)
{
    (void)state;
    /* ATEA_SNP_CERT_TABLE_MAX_ENTRIES entries: accepted; one more: refused. */
    const size_t n = ATEA_SNP_CERT_TABLE_MAX_ENTRIES;
    size_t len = 24 * (n + 2) + 1;
    uint8_t *t = calloc(1, len);
    assert_non_null(t);
    atea_snp_certs c;
    for (size_t i = 0; i < n; i++) {
        put_entry(t, i, G_OTHER, (uint32_t)(24 * (n + 1)), 1);
    }
    EXPECT_OK(atea_snp_cert_table_parse(t, 24 * (n + 1) + 1, &c));
    for (size_t i = 0; i <= n; i++) {
        put_entry(t, i, G_OTHER, (uint32_t)(24 * (n + 2)), 1);
    }
    EXPECT_ERR(atea_snp_cert_table_parse(t, len, &c), ATEA_ERR_TOO_LARGE);
    free(t);
    /* Table size cap and per-certificate cap. */
    uint8_t *big = calloc(1, ATEA_SNP_CERT_TABLE_MAX_SIZE + 1);
    assert_non_null(big);
    EXPECT_ERR(atea_snp_cert_table_parse(big, ATEA_SNP_CERT_TABLE_MAX_SIZE + 1, &c),
               ATEA_ERR_TOO_LARGE);
    put_entry(big, 0, G_VCEK, 48, ATEA_SNP_CERT_MAX_SIZE);
    EXPECT_OK(atea_snp_cert_table_parse(big, 48 + ATEA_SNP_CERT_MAX_SIZE, &c));
    put_entry(big, 0, G_VCEK, 48, ATEA_SNP_CERT_MAX_SIZE + 1);
    EXPECT_ERR(atea_snp_cert_table_parse(big, 48 + ATEA_SNP_CERT_MAX_SIZE + 1, &c),
               ATEA_ERR_SNP_CERT_TABLE);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_gsg_fields),
        cmocka_unit_test(test_parse_vlek_v3),
        cmocka_unit_test(test_tcb_decode_turin_layout),
        cmocka_unit_test(test_version_5_mitigation_vectors),
        cmocka_unit_test(test_versions_rejected),
        cmocka_unit_test(test_signature_algo_and_signing_key),
        cmocka_unit_test(test_reserved_bytes),
        cmocka_unit_test(test_size_truncated_and_trailing),
        cmocka_unit_test(test_cert_table_ok),
        cmocka_unit_test(test_cert_table_bounds),
        cmocka_unit_test(test_cert_table_duplicate_guid),
        cmocka_unit_test(test_cert_table_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
