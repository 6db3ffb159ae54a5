/*
 * atea_evidence_describe / atea_evidence_detect (include/atea/describe.h): every public sample
 * in ../shared/testdata/evidence is described with the values its README gives (and, for SNP,
 * the bytes at the specification's offsets); sim evidence from the sim attester; a synthetic TPM
 * quote collection; truncation at every offset, trailing bytes, unknown input, writer caps.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/cmw.h"
#include "atea/describe.h"
#include "atea/sim.h"
#include "atea/snp.h"
#include "atea/tpm.h"
#include "atea/tsm.h"
#include "atea_test.h"
#include "core/wr.h"

#define TEXT_MAX (4u * 1024u * 1024u)

/* ---- helpers ---- */

typedef struct described {
    atea_err err;
    char *text; /* NUL-terminated */
} described;

static described describe_as(atea_evidence_format format, const uint8_t *in, size_t len)
{
    described r = {0};
    atea_wr wr;
    atea_buf buf = {0};
    EXPECT_OK(atea_wr_init_growable(&wr, 1024, TEXT_MAX));
    atea_err_clear();
    r.err = atea_evidence_describe_as(format, in, len, &wr);
    if (r.err != ATEA_OK) {
        /* The code returned is the one recorded, with its detail. */
        assert_int_equal(atea_err_last()->code, r.err);
    }
    EXPECT_OK(atea_wr_u8(&wr, 0));
    EXPECT_OK(atea_wr_take(&wr, &buf));
    atea_wr_dispose(&wr);
    r.text = (char *)buf.data;
    return r;
}

static described describe(const uint8_t *in, size_t len)
{
    return describe_as(ATEA_EVIDENCE_FORMAT_UNKNOWN, in, len);
}

static void described_free(described *r)
{
    free(r->text);
    r->text = NULL;
}

static void expect_text(const described *r, const char *needle)
{
    if (strstr(r->text, needle) == NULL) {
        fail_msg("'%s' not found in:\n%s", needle, r->text);
    }
}

static int is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* The hex of a field written as "LABEL: hex" or "LABEL: (n bytes)" followed by lines of hex.
 * Returns 1 if the occurrence at p carries exactly `hex`. */
static int field_at(const char *p, const char *hex)
{
    char got[4096];
    size_t n = 0;
    const char *line = p;
    int first = 1;
    while (*line != '\0') {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        const char *s = line;
        if (first) {
            s = memchr(line, ':', len);
            if (s == NULL) {
                return 0;
            }
            s++;
        }
        const char *e = line + len;
        while (s < e && *s == ' ') {
            s++;
        }
        if (s < e && *s == '(') {
            s = e; /* "(48 bytes)": the hex follows on the next lines */
        }
        int only_hex = 1;
        for (const char *q = s; q < e; q++) {
            only_hex &= is_hex(*q);
        }
        if (!only_hex || (!first && s == e)) {
            break;
        }
        for (const char *q = s; q < e && n + 1 < sizeof(got); q++) {
            got[n++] = *q;
        }
        first = 0;
        if (end == NULL) {
            break;
        }
        line = end + 1;
    }
    got[n] = '\0';
    return strcmp(got, hex) == 0;
}

/* Some line "<indent>label: ..." carries exactly hex. */
static void expect_field(const described *r, const char *label, const char *hex)
{
    char key[128];
    snprintf(key, sizeof(key), " %s:", label);
    for (const char *p = strstr(r->text, key); p != NULL; p = strstr(p + 1, key)) {
        if (field_at(p + 1, hex)) {
            return;
        }
    }
    fail_msg("field %s = %s not found in:\n%s", label, hex, r->text);
}

static char *hex_of(const uint8_t *p, size_t n)
{
    char *h = malloc(2 * n + 1);
    assert_non_null(h);
    EXPECT_OK(atea_hex_encode(p, n, h, 2 * n + 1));
    return h;
}

static void expect_field_bytes(const described *r, const char *label, const uint8_t *p, size_t n)
{
    char *h = hex_of(p, n);
    expect_field(r, label, h);
    free(h);
}

static char *repeat(const char *unit, size_t times)
{
    size_t u = strlen(unit);
    char *s = malloc(u * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++) {
        memcpy(s + i * u, unit, u);
    }
    s[u * times] = '\0';
    return s;
}

static atea_buf sample(const char *rel)
{
    char path[256];
    snprintf(path, sizeof(path), "testdata/evidence/%s", rel);
    return atea_test_read_file(atea_test_shared_path(path));
}

/* Every prefix (every offset up to 1 KiB, then every 7th) fails with `code` and no crash. */
static void expect_truncations(atea_evidence_format format, const atea_buf *in, atea_err code)
{
    for (size_t cut = 0; cut < in->len; cut += cut < 1024 ? 1 : 7) {
        described r = describe_as(format, in->data, cut);
        if (r.err != code) {
            fail_msg("cut at %zu: expected %s, got %s: %s", cut, atea_err_name(code),
                     atea_err_name(r.err), atea_err_detail(r.err));
        }
        if (cut > 0) {
            expect_text(&r, "malformed: ");
        }
        described_free(&r);
    }
}

/* in || one extra byte. */
static described describe_with_trailer(const atea_buf *in, uint8_t extra)
{
    uint8_t *p = malloc(in->len + 1);
    assert_non_null(p);
    memcpy(p, in->data, in->len);
    p[in->len] = extra;
    described r = describe(p, in->len + 1);
    free(p);
    return r;
}

/* A CMW CBOR record of media type `type` around value. */
static atea_buf cmw_record(const char *type, const uint8_t *value, size_t len)
{
    atea_cmw *rec = NULL;
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_new_record(type, value, len, ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_encode_cbor(rec, &out));
    atea_cmw_free(rec);
    return out;
}

/* ---- Intel TDX ---- */

static const char TDX_V4_REPORTDATA[] = "6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9"
                                        "899545eb7406a38d1eed313b987a467dacead6"
                                        "f0c87a6d766c66f6f29f8acb281f1113";
static const char TDX_V4_MRTD[] = "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f"
                                  "22fc00b8dcd404bc10d5e119d7215cbb";
static const char TDX_V5_REPORTDATA[] = "945eaacf5abc1f719d8666a942fda03d1edcb4490277396093dc5a5289"
                                        "ab9f1e094aed63060cd4a4933a4dd537ed1255"
                                        "c9c79ecb3ed82cd1b486233e31c25c3a";

static void test_tdx_v4(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/tdx_prod_quote_SPR_E4.dat");
    assert_int_equal(atea_evidence_detect(q.data, q.len), ATEA_EVIDENCE_FORMAT_TDX);
    described r = describe(q.data, q.len);
    EXPECT_OK(r.err);
    expect_text(&r, "Intel TDX quote v4, 4974 bytes (decoded only, not verified: use atea verify)");
    expect_text(&r, "ATT_KEY_TYPE: 2 (0x0002)");
    expect_text(&r, "(ECDSA-256-with-P-256 curve)");
    expect_text(&r, "TEE_TYPE: 129 (0x00000081)");
    expect_field(&r, "QE_VENDOR_ID", "939a7233f79c4ca9940a0db3957f0607");
    expect_text(&r, "(Intel SGX QE)");
    expect_field(&r, "REPORTDATA", TDX_V4_REPORTDATA);
    expect_field(&r, "MRTD", TDX_V4_MRTD);
    expect_field(&r, "TD_ATTRIBUTES", "0000004000000000");
    expect_text(&r, "DEBUG: 0\n");
    expect_text(&r, "flags: PKS\n");
    expect_field(&r, "XFAM", "e71a060000000000");
    expect_text(&r, "features: FP, SSE, AVX, OPMASK, ZMM_HI256, HI16_ZMM, PKRU, CET_U, CET_S, "
                    "XTILECFG, XTILEDATA");
    expect_field(&r, "TEE_TCB_SVN", "03000400000000000000000000000000");
    expect_text(&r, "(TDX module SVN 3, major version 0)");
    expect_text(&r, "signature data: 4299 bytes");
    expect_text(&r, "certification data: type 6 (QE report certification data), 4165 bytes");
    expect_text(&r, "certification data: type 5 (PCK certificate chain (PEM)), 3677 bytes");
    expect_field(&r, "QE_AUTH_DATA",
                 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    expect_field(&r, "MRSIGNER",
                 "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
    expect_text(&r, "(Intel TD QE signer)");
    expect_text(&r, "ISVPRODID: 2 (0x0002)");
    expect_text(&r, "ISVSVN: 4 (0x0004)");
    expect_text(&r, "subject: CN = Intel SGX PCK Certificate");
    expect_text(&r, "issuer: CN = Intel SGX PCK Platform CA");
    expect_text(&r, "subject: CN = Intel SGX Root CA");
    expect_text(&r, "validity: 2022-09-20");
    expect_text(&r, "SGX extension: FMSPC 50806f000000, PCE-ID 0000, PCESVN 11\n");
    expect_text(&r, "SGX extension: CPUSVN 0303020202010002");
    expect_text(&r, "39 bytes follow the signature data (not signed, ignored)");
    assert_null(strstr(r.text, "malformed"));
    described_free(&r);
    atea_buf_free(&q);
}

static void test_tdx_v5(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/quote_v5_sample.dat");
    assert_int_equal(atea_evidence_detect(q.data, q.len), ATEA_EVIDENCE_FORMAT_TDX);
    described r = describe(q.data, q.len);
    EXPECT_OK(r.err);
    expect_text(&r, "Intel TDX quote v5, 5006 bytes");
    expect_text(&r, "BODY_TYPE: 3 (0x0003)");
    expect_text(&r, "(TDX 1.5 TD report)");
    expect_text(&r, "BODY_SIZE: 648 (0x00000288)");
    expect_text(&r, "TD report body (TDX 1.5, 648 bytes):");
    expect_field(&r, "REPORTDATA", TDX_V5_REPORTDATA);
    expect_field(&r, "TEE_TCB_SVN", "0b010400000000000000000000000000");
    expect_field(&r, "TEE_TCB_SVN2", "0d010400000000000000000000000000");
    char *zeros = repeat("00", 48);
    expect_field(&r, "MRSERVICETD", zeros);
    free(zeros);
    expect_field(&r, "TD_ATTRIBUTES", "0000001000000000");
    expect_text(&r, "flags: SEPT_VE_DISABLE\n");
    expect_text(&r, "signature data: 4300 bytes");
    expect_text(&r, "validity: 2026-01-27");
    expect_text(&r, "SGX extension: FMSPC 90c06f000000, PCE-ID 0000, PCESVN 13\n");
    assert_null(strstr(r.text, "follow the signature data"));
    described_free(&r);
    atea_buf_free(&q);
}

static void test_tdx_truncated_everywhere(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/quote_v5_sample.dat");
    expect_truncations(ATEA_EVIDENCE_FORMAT_TDX, &q, ATEA_ERR_TRUNCATED);
    /* Cut inside the body: the header is still shown, the fault names the offset. */
    described r = describe(q.data, 0x100);
    assert_int_equal(r.err, ATEA_ERR_TRUNCATED);
    expect_text(&r, "QE_VENDOR_ID");
    expect_text(&r, "malformed: ATEA_ERR_TRUNCATED");
    described_free(&r);
    atea_buf_free(&q);
}

static void test_tdx_bad_header_still_shown(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/tdx_prod_quote_SPR_E4.dat");
    q.data[2] = 3; /* attestation key type 3: not supported */
    described r = describe_as(ATEA_EVIDENCE_FORMAT_TDX, q.data, q.len);
    assert_int_equal(r.err, ATEA_ERR_TDX_BAD_HEADER);
    expect_text(&r, "(ECDSA-384-with-P-384 curve)");
    expect_field(&r, "REPORTDATA", TDX_V4_REPORTDATA);
    expect_text(&r, "malformed: ATEA_ERR_TDX_BAD_HEADER: attestation key type 3");
    described_free(&r);
    q.data[2] = 2;
    q.data[0x278 + 4 + 128] = 7; /* outer certification data type 7 */
    r = describe(q.data, q.len);
    assert_int_equal(r.err, ATEA_ERR_TDX_BAD_CERT_DATA);
    expect_text(&r, "certification data: type 7 (platform manifest)");
    described_free(&r);
    q.data[0x278 + 4 + 128] = 6;
    q.data[0xa8] |= 1; /* TD_ATTRIBUTES.DEBUG */
    r = describe(q.data, q.len);
    EXPECT_OK(r.err);
    expect_text(&r, "DEBUG: 1 (debug TD: not trustworthy)");
    expect_text(&r, "flags: DEBUG, PKS\n");
    described_free(&r);
    atea_buf_free(&q);
}

/* ---- AMD SEV-SNP ---- */

/* The hex fields at their ABI offsets (SEV-SNP ABI 56860, ATTESTATION_REPORT). */
static void expect_snp_offsets(const described *r, const atea_buf *rep)
{
    expect_field_bytes(r, "REPORT_DATA", rep->data + 0x50, 64);
    expect_field_bytes(r, "MEASUREMENT", rep->data + 0x90, 48);
    expect_field_bytes(r, "HOST_DATA", rep->data + 0xC0, 32);
    expect_field_bytes(r, "ID_KEY_DIGEST", rep->data + 0xE0, 48);
    expect_field_bytes(r, "REPORT_ID", rep->data + 0x140, 32);
    expect_field_bytes(r, "REPORTED_TCB", rep->data + 0x180, 8);
    expect_field_bytes(r, "CHIP_ID", rep->data + 0x1A0, 64);
    uint8_t be[48];
    for (size_t i = 0; i < 48; i++) {
        be[i] = rep->data[0x2A0 + 47 - i];
    }
    expect_field_bytes(r, "SIGNATURE_R (big-endian)", be, 48);
    for (size_t i = 0; i < 48; i++) {
        be[i] = rep->data[0x2E8 + 47 - i];
    }
    expect_field_bytes(r, "SIGNATURE_S (big-endian)", be, 48);
}

static void test_snp_gsg(void **state)
{
    (void)state;
    atea_buf rep = sample("sev-snp/gsg_attestation.bin");
    assert_int_equal(atea_evidence_detect(rep.data, rep.len), ATEA_EVIDENCE_FORMAT_SNP);
    described r = describe(rep.data, rep.len);
    EXPECT_OK(r.err);
    expect_text(&r, "AMD SEV-SNP attestation report v2, 1184 bytes, product unknown (decoded "
                    "only, not verified: use atea verify)");
    char *zeros = repeat("00", 59);
    char want[256];
    snprintf(want, sizeof(want), "0102030405%s", zeros);
    free(zeros);
    expect_field(&r, "REPORT_DATA", want);
    expect_text(&r, "POLICY: 720896 (0x00000000000b0000)");
    expect_text(&r, "DEBUG: 1 (debugging allowed: not trustworthy)");
    expect_text(&r, "flags: SMT, RESERVED_MBO, DEBUG\n");
    expect_text(&r, "ABI_MAJOR.ABI_MINOR: 0.0");
    expect_field(&r, "REPORTED_TCB", "0200000000000544");
    expect_text(&r, "BOOT_LOADER 2, TEE 0, SNP 5, MICROCODE 68 (Milan/Genoa)");
    expect_text(&r, "(ECDSA P-384 with SHA-384)");
    expect_text(&r, "SIGNING_KEY 0 (VCEK)");
    expect_snp_offsets(&r, &rep);
    described_free(&r);
    atea_buf_free(&rep);
}

static void test_snp_trustee(void **state)
{
    (void)state;
    atea_buf rep = sample("sev-snp/trustee_test-report.bin");
    described r = describe(rep.data, rep.len);
    EXPECT_OK(r.err);
    char *zeros = repeat("00", 32);
    char want[256];
    snprintf(want, sizeof(want), "%s%s",
             "ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2", zeros);
    free(zeros);
    expect_field(&r, "REPORT_DATA", want);
    /* current_tcb (ucode 206) differs from reported_tcb (ucode 115). */
    expect_text(&r, "MICROCODE 206 (Milan/Genoa)");
    expect_text(&r, "MICROCODE 115 (Milan/Genoa)");
    expect_snp_offsets(&r, &rep);
    described_free(&r);
    atea_buf_free(&rep);
}

static void test_snp_vlek(void **state)
{
    (void)state;
    atea_buf rep = sample("sev-snp/trustee_test-vlek-report.bin");
    described r = describe(rep.data, rep.len);
    EXPECT_OK(r.err);
    expect_text(&r, "AMD SEV-SNP attestation report v3, 1184 bytes, product milan");
    expect_field(&r, "REPORT_DATA",
                 "819770b7e6ea6df8dd8fd4dd146b073c0bf4f3ce5b0977ecac486e3a05ed1bd54e2a7ac1f5d1ca02"
                 "e7d7d5ef9f73b8574fd9359e3a480d741a4478e8a7bc27ca");
    expect_text(&r, "VMPL: 1 (0x00000001)");
    expect_text(&r, "SIGNER_INFO: 4 (0x00000004)");
    expect_text(&r, "SIGNING_KEY 1 (VLEK)");
    expect_text(&r, "CPUID_FAM_ID: 25 (0x19)");
    expect_text(&r, "CPUID_MOD_ID: 1 (0x01)");
    expect_text(&r, "PLATFORM_INFO: 39 (0x0000000000000027)");
    expect_text(&r, "flags: SMT_EN, TSME_EN, ECC_EN, ALIAS_CHECK_COMPLETE\n");
    char *zeros = repeat("00", 64);
    expect_field(&r, "CHIP_ID", zeros);
    free(zeros);
    expect_snp_offsets(&r, &rep);
    described_free(&r);
    atea_buf_free(&rep);
}

static void test_snp_malformed(void **state)
{
    (void)state;
    atea_buf rep = sample("sev-snp/gsg_attestation.bin");
    expect_truncations(ATEA_EVIDENCE_FORMAT_SNP, &rep, ATEA_ERR_TRUNCATED);
    described r = describe_with_trailer(&rep, 0);
    assert_int_equal(r.err, ATEA_ERR_TRAILING);
    expect_text(&r, "1 bytes follow the report");
    described_free(&r);
    rep.data[0] = 7; /* VERSION 7: not detected as a report any more, so say what it is */
    assert_int_equal(atea_evidence_detect(rep.data, rep.len), ATEA_EVIDENCE_FORMAT_UNKNOWN);
    r = describe_as(ATEA_EVIDENCE_FORMAT_SNP, rep.data, rep.len);
    assert_int_equal(r.err, ATEA_ERR_SNP_VERSION);
    expect_field_bytes(&r, "MEASUREMENT", rep.data + 0x90, 48);
    expect_text(&r, "malformed: ATEA_ERR_SNP_VERSION");
    described_free(&r);
    rep.data[0] = 2;
    rep.data[0x34] = 2; /* SIGNATURE_ALGO */
    r = describe(rep.data, rep.len);
    assert_int_equal(r.err, ATEA_ERR_SNP_SIG_ALGO);
    expect_text(&r, "(unknown signature algorithm)");
    described_free(&r);
    rep.data[0x34] = 1;
    rep.data[0x2A0 + 60] = 1; /* the upper part of the R slot */
    r = describe(rep.data, rep.len);
    assert_int_equal(r.err, ATEA_ERR_SNP_RESERVED);
    expect_text(&r, "(upper 24 bytes of the slot are not zero)");
    described_free(&r);
    atea_buf_free(&rep);
}

/* Certificate table {VCEK entry, terminator, DER}, as configfs-tsm's auxblob carries it. */
static atea_buf snp_cert_table(const atea_buf *der)
{
    static const uint8_t vcek_guid[16] = {0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
                                          0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd};
    atea_buf t = {calloc(1, 48 + der->len), 48 + der->len};
    assert_non_null(t.data);
    memcpy(t.data, vcek_guid, 16);
    t.data[16] = 48; /* offset, u32 LE */
    t.data[20] = (uint8_t)(der->len & 0xff);
    t.data[21] = (uint8_t)(der->len >> 8);
    memcpy(t.data + 48, der->data, der->len);
    return t;
}

static void test_snp_cert_table_and_collection(void **state)
{
    (void)state;
    atea_buf rep = sample("sev-snp/gsg_attestation.bin");
    atea_buf der = sample("sev-snp/gsg_vcek.der");
    atea_buf table = snp_cert_table(&der);
    assert_int_equal(atea_evidence_detect(table.data, table.len),
                     ATEA_EVIDENCE_FORMAT_SNP_CERT_TABLE);
    described r = describe(table.data, table.len);
    EXPECT_OK(r.err);
    expect_text(&r, "AMD SEV-SNP certificate table, 1408 bytes");
    expect_text(&r, "entry 0: 63da758d-e664-4564-adc5-f4b93be8accd (VCEK), offset 48, length 1360");
    expect_text(&r, ", CN = SEV-VCEK\n");
    expect_text(&r, "validity: 2022-09-24");
    described_free(&r);

    /* The SNP collection configfs-tsm produces: report + certificate table. */
    atea_cmw *coll = NULL;
    atea_cmw *rec = NULL;
    atea_buf cbor = {0};
    EXPECT_OK(atea_cmw_new_collection(NULL, &coll));
    EXPECT_OK(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_SNP_REPORT), rep.data,
                                  rep.len, ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_add(coll, ATEA_TSM_SNP_LABEL_REPORT, rec));
    EXPECT_OK(atea_cmw_new_record(ATEA_TSM_SNP_MT_CERTS, table.data, table.len, 0, &rec));
    EXPECT_OK(atea_cmw_add(coll, ATEA_TSM_SNP_LABEL_CERTS, rec));
    EXPECT_OK(atea_cmw_encode_cbor(coll, &cbor));
    assert_int_equal(atea_evidence_detect(cbor.data, cbor.len), ATEA_EVIDENCE_FORMAT_CMW);
    r = describe(cbor.data, cbor.len);
    EXPECT_OK(r.err);
    expect_text(&r, "CMW (RFC 9999)");
    expect_text(&r, "collection of 2 entries");
    expect_text(&r, "\"report\": record \"application/vnd.amd.sev-snp.report\", 1184 bytes");
    expect_field_bytes(&r, "MEASUREMENT", rep.data + 0x90, 48);
    expect_text(&r, ", CN = SEV-VCEK\n");
    described_free(&r);

    /* An entry pointing outside the table. */
    table.data[16] = 0xff;
    r = describe(table.data, table.len);
    assert_int_equal(r.err, ATEA_ERR_SNP_CERT_TABLE);
    expect_text(&r, "(the certificate is outside the table)");
    described_free(&r);
    /* No terminator. */
    r = describe(table.data, 30);
    assert_int_equal(r.err, ATEA_ERR_TRUNCATED);
    described_free(&r);

    atea_cmw_free(coll);
    atea_buf_free(&cbor);
    atea_buf_free(&table);
    atea_buf_free(&der);
    atea_buf_free(&rep);
}

/* ---- Arm CCA ---- */

static void test_cca_veraison(void **state)
{
    (void)state;
    atea_buf t = sample("cca/veraison_tf-rmm_cca_token.cbor");
    assert_int_equal(atea_evidence_detect(t.data, t.len), ATEA_EVIDENCE_FORMAT_CCA);
    described r = describe(t.data, t.len);
    EXPECT_OK(r.err);
    expect_text(&r, "Arm CCA attestation token, 1222 bytes (decoded only, not verified");
    expect_text(&r, "collection: tag 399 (RMM 1.0 CCA token collection)");
    expect_text(&r, "platform token (44234):");
    expect_text(&r, "realm token (44241):");
    expect_text(&r, "alg (1): -35 (ES384)");
    char *ab = repeat("ab", 64);
    expect_field(&r, "challenge (10)", ab);
    free(ab);
    expect_field(&r, "challenge (10)",
                 "b5973cb68baa9fc55558786b7ec67f69e40df5ba5aa921cd0c27f40587a011ea");
    expect_text(&r, "profile (265): \"http://arm.com/CCA-SSD/1.0.0\"");
    expect_text(&r, "realm-public-key-hash-algo-id (44240): \"sha-256\"");
    expect_text(&r, "realm-public-key (RAK) (44237): (97 bytes)");
    expect_text(&r, "realm-extensible-measurements (REM0-3) (44239): array of 4");
    expect_text(&r, "platform-sw-components (2399): array of");
    expect_text(&r, "measurement-value (2):");
    described_free(&r);
    atea_buf_free(&t);
}

static void test_cca_tfm(void **state)
{
    (void)state;
    atea_buf t = sample("cca/tfm_cca_example_token.cbor");
    assert_int_equal(atea_evidence_detect(t.data, t.len), ATEA_EVIDENCE_FORMAT_CCA);
    described r = describe(t.data, t.len);
    EXPECT_OK(r.err);
    expect_text(&r, "collection: tag 907 (CMW collection)");
    expect_text(&r, "content-format: 263 (COSE_Sign1 EAT)");
    expect_field(&r, "challenge (10)",
                 "6e86d6d97cc713bc6dd43dbce491a6b40311c027a8bf85a39da63e9ce44c132a8a119d296fae6a69"
                 "99e9bf3e4471b0ce01245d889424c31e89793b3b1d6b1504");
    expect_field(&r, "challenge (10)",
                 "0d22e08a98469058486318283489bdb36f09dbefeb1864df433fa6e54ea2d711");
    expect_text(&r, "profile (265): \"tag:arm.com,2023:cca_platform#1.0.0\"");
    expect_text(&r, "profile (265): \"tag:arm.com,2024:realm#2.0.0\"");
    described_free(&r);
    atea_buf_free(&t);
}

static void test_cca_malformed(void **state)
{
    (void)state;
    atea_buf t = sample("cca/veraison_tf-rmm_cca_token.cbor");
    expect_truncations(ATEA_EVIDENCE_FORMAT_CCA, &t, ATEA_ERR_TRUNCATED);
    described r = describe_with_trailer(&t, 0x00);
    assert_int_equal(r.err, ATEA_ERR_TRAILING);
    described_free(&r);
    /* Tag 400: shown, then refused by the CCA parser. */
    t.data[2] = 0x90;
    r = describe_as(ATEA_EVIDENCE_FORMAT_CCA, t.data, t.len);
    assert_int_equal(r.err, ATEA_ERR_CCA_FORMAT);
    expect_text(&r, "collection: tag 400 (not a CCA collection tag)");
    described_free(&r);
    atea_buf_free(&t);
}

/* ---- simulated TEE ---- */

static char store[64];

static void test_sim(void **state)
{
    (void)state;
    strcpy(store, "/tmp/atea-describe-XXXXXX");
    assert_non_null(mkdtemp(store));
    atea_sim_opts opts;
    atea_sim_opts_default(&opts);
    opts.dir = store;
    opts.identity = "node-7";
    opts.svn = 9;
    atea_attester *att = NULL;
    EXPECT_OK(atea_sim_attester_new(&opts, &att));
    atea_binding b;
    memset(&b, 0, sizeof(b));
    for (size_t i = 0; i < 32; i++) {
        b.binder[i] = (uint8_t)(0xa0 + i);
        b.aik_hash[i] = (uint8_t)(0x10 + i);
    }
    b.binder_len = 32;
    b.aik_hash_len = 32;
    atea_buf ev = {0};
    atea_buf cmw = {0};
    EXPECT_OK(atea_sim_attester_evidence(att, &b, &ev));
    EXPECT_OK(atea_attester_attest(att, &b, &cmw));
    atea_attester_free(att);

    assert_int_equal(atea_evidence_detect(ev.data, ev.len), ATEA_EVIDENCE_FORMAT_SIM);
    described r = describe(ev.data, ev.len);
    EXPECT_OK(r.err);
    expect_text(&r, "atea simulated-TEE evidence (NOT a real TEE)");
    expect_text(&r, "not verified: use atea verify");
    expect_text(&r, "alg (1): -7 (ES256)");
    expect_text(&r, "x5chain (33): 2 certificate(s)");
    expect_text(&r, "identity: \"node-7\"");
    expect_text(&r, "svn: 9");
    expect_text(&r, "debug: false");
    expect_text(&r, "eat_profile: \"" ATEA_SIM_PROFILE "\"");
    expect_field_bytes(&r, "nonce", b.binder, 32);
    expect_field_bytes(&r, "aik_hash", b.aik_hash, 32);
    described_free(&r);

    assert_int_equal(atea_evidence_detect(cmw.data, cmw.len), ATEA_EVIDENCE_FORMAT_CMW);
    r = describe(cmw.data, cmw.len);
    EXPECT_OK(r.err);
    expect_text(&r, "record \"" ATEA_SIM_MEDIA_TYPE "\"");
    expect_field_bytes(&r, "nonce", b.binder, 32);
    described_free(&r);

    expect_truncations(ATEA_EVIDENCE_FORMAT_SIM, &ev, ATEA_ERR_TRUNCATED);
    r = describe_with_trailer(&ev, 0x01);
    assert_int_equal(r.err, ATEA_ERR_TRAILING);
    expect_text(&r, "1 bytes follow the COSE_Sign1");
    described_free(&r);

    atea_buf_free(&ev);
    atea_buf_free(&cmw);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", store);
    assert_int_equal(system(cmd), 0);
}

/* ---- TPM quote collection (synthetic: no TPM needed) ---- */

static void put16(uint8_t **p, uint16_t v)
{
    (*p)[0] = (uint8_t)(v >> 8);
    (*p)[1] = (uint8_t)v;
    *p += 2;
}

static void put32(uint8_t **p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p, (uint16_t)v);
}

static void put64(uint8_t **p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32));
    put32(p, (uint32_t)v);
}

static void put2b(uint8_t **p, uint8_t fill, size_t n)
{
    put16(p, (uint16_t)n);
    memset(*p, fill, n);
    *p += n;
}

/* TPML_PCR_SELECTION: one SHA-256 bank, PCRs 0, 1, 2, 7. */
static void put_selection(uint8_t **p)
{
    put32(p, 1);
    put16(p, 0x000b);
    *(*p)++ = 3;
    *(*p)++ = 0x87;
    *(*p)++ = 0;
    *(*p)++ = 0;
}

static atea_buf tpm_collection(void)
{
    uint8_t attest[256], sig[128], pcrs[256];
    uint8_t *p = attest;
    put32(&p, 0xff544347); /* TPM_GENERATED_VALUE */
    put16(&p, 0x8018);     /* TPM_ST_ATTEST_QUOTE */
    put2b(&p, 0x22, 34);   /* qualifiedSigner */
    put2b(&p, 0x5a, 64);   /* extraData = report_data */
    put64(&p, 123456);     /* clock */
    put32(&p, 3);          /* resetCount */
    put32(&p, 4);          /* restartCount */
    *p++ = 1;              /* safe */
    put64(&p, 0x0102030405060708ull);
    put_selection(&p);
    put2b(&p, 0x77, 32); /* pcrDigest */
    size_t attest_len = (size_t)(p - attest);
    p = sig;
    put16(&p, 0x0018); /* ECDSA */
    put16(&p, 0x000b);
    put2b(&p, 0x01, 32);
    put2b(&p, 0x02, 32);
    size_t sig_len = (size_t)(p - sig);
    p = pcrs;
    put_selection(&p);
    put32(&p, 4);
    for (uint8_t i = 0; i < 4; i++) {
        put2b(&p, (uint8_t)(0xc0 + i), 32);
    }
    size_t pcrs_len = (size_t)(p - pcrs);

    EVP_PKEY *key = EVP_EC_gen("P-256");
    assert_non_null(key);
    uint8_t *spki = NULL;
    int spki_len = i2d_PUBKEY(key, &spki);
    assert_true(spki_len > 0);

    atea_cmw *coll = NULL;
    atea_cmw *rec = NULL;
    atea_buf out = {0};
    EXPECT_OK(atea_cmw_new_collection(NULL, &coll));
    EXPECT_OK(
        atea_cmw_new_record(ATEA_TPM_CMW_TYPE, attest, attest_len, ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_add(coll, ATEA_TPM_LABEL_ATTEST, rec));
    EXPECT_OK(
        atea_cmw_new_record(ATEA_TPM_MT_SIGNATURE, sig, sig_len, ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_add(coll, ATEA_TPM_LABEL_SIGNATURE, rec));
    EXPECT_OK(atea_cmw_new_record(ATEA_TPM_MT_PCRS, pcrs, pcrs_len, ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_add(coll, ATEA_TPM_LABEL_PCRS, rec));
    EXPECT_OK(atea_cmw_new_record(ATEA_TPM_MT_AK_SPKI, spki, (size_t)spki_len, 0, &rec));
    EXPECT_OK(atea_cmw_add(coll, ATEA_TPM_LABEL_AK, rec));
    EXPECT_OK(atea_cmw_encode_cbor(coll, &out));
    atea_cmw_free(coll);
    OPENSSL_free(spki);
    EVP_PKEY_free(key);
    return out;
}

static void test_tpm_collection(void **state)
{
    (void)state;
    atea_buf c = tpm_collection();
    assert_int_equal(atea_evidence_detect(c.data, c.len), ATEA_EVIDENCE_FORMAT_TPM_COLLECTION);
    described r = describe(c.data, c.len);
    EXPECT_OK(r.err);
    expect_text(&r, "TPM 2.0 quote collection (decoded only, not verified: use atea verify)");
    expect_text(&r, "magic: 0xff544347 (TPM_GENERATED_VALUE)");
    char *h = repeat("5a", 64);
    expect_field(&r, "extraData", h);
    free(h);
    expect_text(&r, "clockInfo: clock 123456 ms, resetCount 3, restartCount 4, safe 1");
    expect_text(&r, "firmwareVersion: 0x0102030405060708");
    expect_text(&r, "(0x000b): PCRs 0,1,2,7");
    h = repeat("77", 32);
    expect_field(&r, "pcrDigest", h);
    free(h);
    expect_text(&r, "sigAlg: ECDSA (0x0018)");
    h = repeat("c3", 32);
    expect_field(&r, "sha256 PCR7", h);
    free(h);
    expect_text(&r, "key: EC, 256 bits");
    expect_text(&r, "ak_hash (SHA-256 of the SPKI):");
    described_free(&r);

    /* A collection that lacks a part names it. */
    atea_cmw *tree = NULL;
    atea_buf cut = {0};
    EXPECT_OK(atea_cmw_decode(c.data, c.len, NULL, &tree));
    atea_cmw *ak = (atea_cmw *)atea_cmw_find(tree, ATEA_TPM_LABEL_AK);
    assert_non_null(ak);
    ak->value.len = 5; /* not an SPKI: shown as such */
    atea_cmw *pcrs = (atea_cmw *)atea_cmw_find(tree, ATEA_TPM_LABEL_PCRS);
    pcrs->value.len -= 1; /* the last digest is cut */
    EXPECT_OK(atea_cmw_encode_cbor(tree, &cut));
    r = describe(cut.data, cut.len);
    assert_int_equal(r.err, ATEA_ERR_TRUNCATED);
    expect_text(&r, "\"pcrs\": PCR values, ");
    expect_text(&r, "malformed: ATEA_ERR_TRUNCATED");
    described_free(&r);
    atea_cmw_free(tree);
    atea_buf_free(&cut);
    atea_buf_free(&c);
}

/* ---- CMW wrapping, unknown input, limits ---- */

static void test_cmw_record_wraps_tdx(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/tdx_prod_quote_SPR_E4.dat");
    atea_buf c = cmw_record(atea_cmw_media_type_name(ATEA_CMW_MT_TDX_QUOTE), q.data, q.len);
    assert_int_equal(atea_evidence_detect(c.data, c.len), ATEA_EVIDENCE_FORMAT_CMW);
    described r = describe(c.data, c.len);
    EXPECT_OK(r.err);
    expect_text(&r, "record \"application/vnd.intel.tdx.quote\", 4974 bytes");
    expect_field(&r, "REPORTDATA", TDX_V4_REPORTDATA);
    described_free(&r);
    /* The same record in JSON (RFC 9999 §3.1: base64url value). */
    atea_cmw *tree = NULL;
    atea_buf json = {0};
    EXPECT_OK(atea_cmw_decode(c.data, c.len, NULL, &tree));
    EXPECT_OK(atea_cmw_encode_json(tree, &json));
    atea_cmw_free(tree);
    assert_int_equal(json.data[0], '[');
    assert_int_equal(atea_evidence_detect(json.data, json.len), ATEA_EVIDENCE_FORMAT_CMW);
    r = describe(json.data, json.len);
    EXPECT_OK(r.err);
    expect_field(&r, "MRTD", TDX_V4_MRTD);
    described_free(&r);
    atea_buf_free(&json);
    /* A malformed quote inside a CMW: the quote's own code. */
    atea_buf bad = cmw_record(atea_cmw_media_type_name(ATEA_CMW_MT_TDX_QUOTE), q.data, 600);
    r = describe(bad.data, bad.len);
    assert_int_equal(r.err, ATEA_ERR_TRUNCATED);
    expect_text(&r, "malformed: ATEA_ERR_TRUNCATED");
    described_free(&r);
    /* A record of a type atea does not describe. */
    atea_buf other = cmw_record("application/octet-stream", q.data, 10);
    r = describe(other.data, other.len);
    EXPECT_OK(r.err);
    expect_text(&r, "(a type atea does not describe)");
    described_free(&r);
    /* A malformed CMW: the CMW decoder's code. */
    r = describe_with_trailer(&c, 0x00);
    assert_int_equal(r.err, ATEA_ERR_TRAILING);
    described_free(&r);
    atea_buf_free(&other);
    atea_buf_free(&bad);
    atea_buf_free(&c);
    atea_buf_free(&q);
}

/* A composite CMW whose first piece is malformed: the others are still described, the first
 * failure is returned. */
static void test_cmw_composite_keeps_going(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/tdx_prod_quote_SPR_E4.dat");
    atea_buf rep = sample("sev-snp/trustee_test-report.bin");
    atea_cmw *coll = NULL;
    atea_cmw *rec = NULL;
    atea_buf cbor = {0};
    EXPECT_OK(atea_cmw_new_collection(NULL, &coll));
    EXPECT_OK(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_TDX_QUOTE), q.data, 700,
                                  ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_add(coll, "tdx", rec));
    EXPECT_OK(atea_cmw_new_record(atea_cmw_media_type_name(ATEA_CMW_MT_SNP_REPORT), rep.data,
                                  rep.len, ATEA_CMW_IND_EVIDENCE, &rec));
    EXPECT_OK(atea_cmw_add(coll, "snp", rec));
    EXPECT_OK(atea_cmw_encode_cbor(coll, &cbor));
    described r = describe(cbor.data, cbor.len);
    assert_int_equal(r.err, ATEA_ERR_TRUNCATED);
    assert_non_null(strstr(atea_err_last()->detail, "signature data"));
    expect_text(&r, "\"tdx\": record");
    expect_text(&r, "malformed: ATEA_ERR_TRUNCATED");
    expect_field_bytes(&r, "MEASUREMENT", rep.data + 0x90, 48);
    described_free(&r);
    atea_cmw_free(coll);
    atea_buf_free(&cbor);
    atea_buf_free(&rep);
    atea_buf_free(&q);
}

/* CMW records whose value is a CMW: described to ATEA_DESCRIBE_MAX_DEPTH levels, no deeper. */
static atea_buf nested_cmw(unsigned levels)
{
    static const uint8_t inner[] = "opaque";
    atea_buf cur = cmw_record("application/octet-stream", inner, sizeof(inner));
    for (unsigned i = 0; i < levels; i++) {
        atea_buf next =
            cmw_record(atea_cmw_media_type_name(ATEA_CMW_MT_CMW_CBOR), cur.data, cur.len);
        atea_buf_free(&cur);
        cur = next;
    }
    return cur;
}

static void test_cmw_nesting_limit(void **state)
{
    (void)state;
    atea_buf ok = nested_cmw(ATEA_DESCRIBE_MAX_DEPTH);
    described r = describe(ok.data, ok.len);
    EXPECT_OK(r.err);
    expect_text(&r, "(a type atea does not describe)");
    described_free(&r);
    atea_buf deep = nested_cmw(ATEA_DESCRIBE_MAX_DEPTH + 1);
    r = describe(deep.data, deep.len);
    assert_int_equal(r.err, ATEA_ERR_CMW_DEPTH);
    expect_text(&r, "malformed: ATEA_ERR_CMW_DEPTH: CMW records nest CMWs deeper than 4 levels");
    described_free(&r);
    atea_buf_free(&deep);
    atea_buf_free(&ok);
}

/* A v5 quote whose body is an SGX report (type 1): the header is shown, the body is refused. */
static void test_tdx_v5_sgx_body(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/quote_v5_sample.dat");
    q.data[0x30] = 1;
    described r = describe(q.data, q.len);
    assert_int_equal(r.err, ATEA_ERR_TDX_BAD_HEADER);
    expect_text(&r, "(SGX enclave report)");
    expect_text(&r, "malformed: ATEA_ERR_TDX_BAD_HEADER: v5 body type 1");
    assert_null(strstr(r.text, "MRTD"));
    described_free(&r);
    atea_buf_free(&q);
}

/* Claims nested deeper than the printer goes are skipped with a note; the sim parser refuses the
 * shape. */
static void test_cbor_display_depth(void **state)
{
    (void)state;
    /* 18([h'a10126', {}, h'{"x": [[[[[[[[[[0]]]]]]]]]]}', h'']) */
    atea_buf cose = atea_test_hex("d284"
                                  "43a10126"
                                  "a0"
                                  "4e"
                                  "a16178"
                                  "81818181818181818181"
                                  "00"
                                  "40");
    assert_int_equal(atea_evidence_detect(cose.data, cose.len), ATEA_EVIDENCE_FORMAT_SIM);
    described r = describe(cose.data, cose.len);
    assert_int_equal(r.err, ATEA_ERR_SIM_MALFORMED);
    expect_text(&r, "claims: map of 1");
    expect_text(&r, "x: array of 1");
    expect_text(&r, "[0]: (nested deeper than 8 levels, not shown)");
    expect_text(&r, "signature (r || s): (empty)");
    described_free(&r);
    atea_buf_free(&cose);
}

static void test_unknown_and_arguments(void **state)
{
    (void)state;
    static const uint8_t hello[] = "hello";
    assert_int_equal(atea_evidence_detect(hello, 5), ATEA_EVIDENCE_FORMAT_UNKNOWN);
    described r = describe(hello, 5);
    assert_int_equal(r.err, ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    expect_text(&r, "unrecognised evidence, 5 bytes, starting 68656c6c6f");
    described_free(&r);
    r = describe(NULL, 0);
    assert_int_equal(r.err, ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    expect_text(&r, "starting (empty)");
    described_free(&r);
    assert_int_equal(atea_evidence_detect(NULL, 10), ATEA_EVIDENCE_FORMAT_UNKNOWN);
    atea_wr wr;
    EXPECT_OK(atea_wr_init_growable(&wr, 16, 1024));
    EXPECT_ERR(atea_evidence_describe(NULL, 3, &wr), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_evidence_describe(hello, 5, NULL), ATEA_ERR_INVALID_ARG);
    EXPECT_ERR(atea_evidence_describe_as((atea_evidence_format)99, hello, 5, &wr),
               ATEA_ERR_INVALID_ARG);
    atea_wr_dispose(&wr);
    uint8_t *big = calloc(1, ATEA_DESCRIBE_MAX_INPUT + 1);
    assert_non_null(big);
    r = describe(big, ATEA_DESCRIBE_MAX_INPUT); /* at the cap: described (as nothing known) */
    assert_int_equal(r.err, ATEA_ERR_EVIDENCE_TYPE_UNKNOWN);
    described_free(&r);
    r = describe(big, ATEA_DESCRIBE_MAX_INPUT + 1);
    assert_int_equal(r.err, ATEA_ERR_TOO_LARGE);
    described_free(&r);
    free(big);
}

static void test_writer_full(void **state)
{
    (void)state;
    atea_buf q = sample("tdx/tdx_prod_quote_SPR_E4.dat");
    uint8_t small[300];
    atea_wr wr;
    atea_wr_init_fixed(&wr, small, sizeof(small));
    EXPECT_ERR(atea_evidence_describe(q.data, q.len, &wr), ATEA_ERR_BUFFER_TOO_SMALL);
    atea_wr_dispose(&wr);
    atea_buf_free(&q);
}

static void test_format_names(void **state)
{
    (void)state;
    static const atea_evidence_format all[] = {
        ATEA_EVIDENCE_FORMAT_TDX, ATEA_EVIDENCE_FORMAT_SNP, ATEA_EVIDENCE_FORMAT_SNP_CERT_TABLE,
        ATEA_EVIDENCE_FORMAT_CCA, ATEA_EVIDENCE_FORMAT_SIM, ATEA_EVIDENCE_FORMAT_TPM_COLLECTION,
        ATEA_EVIDENCE_FORMAT_CMW};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        assert_int_equal(atea_evidence_format_from_name(atea_evidence_format_name(all[i])), all[i]);
    }
    assert_string_equal(atea_evidence_format_name(ATEA_EVIDENCE_FORMAT_TPM_COLLECTION),
                        "tpm-collection");
    assert_string_equal(atea_evidence_format_desc(ATEA_EVIDENCE_FORMAT_TDX), "Intel TDX quote");
    assert_int_equal(atea_evidence_format_from_name("nope"), ATEA_EVIDENCE_FORMAT_UNKNOWN);
    assert_string_equal(atea_evidence_format_name((atea_evidence_format)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tdx_v4),
        cmocka_unit_test(test_tdx_v5),
        cmocka_unit_test(test_tdx_truncated_everywhere),
        cmocka_unit_test(test_tdx_bad_header_still_shown),
        cmocka_unit_test(test_snp_gsg),
        cmocka_unit_test(test_snp_trustee),
        cmocka_unit_test(test_snp_vlek),
        cmocka_unit_test(test_snp_malformed),
        cmocka_unit_test(test_snp_cert_table_and_collection),
        cmocka_unit_test(test_cca_veraison),
        cmocka_unit_test(test_cca_tfm),
        cmocka_unit_test(test_cca_malformed),
        cmocka_unit_test(test_sim),
        cmocka_unit_test(test_tpm_collection),
        cmocka_unit_test(test_cmw_record_wraps_tdx),
        cmocka_unit_test(test_cmw_composite_keeps_going),
        cmocka_unit_test(test_cmw_nesting_limit),
        cmocka_unit_test(test_tdx_v5_sgx_body),
        cmocka_unit_test(test_cbor_display_depth),
        cmocka_unit_test(test_unknown_and_arguments),
        cmocka_unit_test(test_writer_full),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
