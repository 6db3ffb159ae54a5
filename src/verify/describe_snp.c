/*
 * Describing an AMD SEV-SNP ATTESTATION_REPORT (SEV-SNP Firmware ABI 56860, table
 * "ATTESTATION_REPORT Structure"; evidence-formats.md §3.1-3.2) and the extended-report
 * certificate table (GHCB 56421 §4.1.8.1; §3.5). Fields are walked from tables, in order, so a
 * short report is shown up to its end; atea_snp_report_parse / atea_snp_cert_table_parse then
 * decide whether the input is well-formed.
 */
#include <stdio.h>
#include <string.h>

#include "atea/snp.h"
#include "core/check.h"
#include "verify/describe_internal.h"

#define SNP_GUID_LEN 16
#define SNP_SIG_SLOT 72  /* r and s: 72-byte little-endian slots */
#define SNP_SIG_VALUE 48 /* P-384 scalars fill the low 48 bytes */
#define SNP_CPUID_OFFSET 0x188

static atea_err note_policy(atea__describe *d, const uint8_t *raw, size_t n)
{
    static const char *const names[64] = {
        [16] = "SMT",
        [17] = "RESERVED_MBO",
        [18] = "MIGRATE_MA",
        [19] = "DEBUG",
        [20] = "SINGLE_SOCKET",
        [21] = "CXL_ALLOW",
        [22] = "MEM_AES_256_XTS",
        [23] = "RAPL_DIS",
        [24] = "CIPHERTEXT_HIDING",
        [25] = "PAGE_SWAP_DISABLE",
    };
    atea_err err = ATEA_OK;
    uint64_t v = atea__describe_le(raw, n);
    ATEA_TRY(atea__describe_line(d, 1, "ABI_MAJOR.ABI_MINOR: %u.%u", (unsigned)((v >> 8) & 0xff),
                                 (unsigned)(v & 0xff)));
    ATEA_TRY(atea__describe_line(d, 1, "DEBUG: %s",
                                 (v & (1ull << 19)) != 0 ? "1 (debugging allowed: not trustworthy)"
                                                         : "0"));
    ATEA_TRY(atea__describe_flags(d, "flags", v & ~0xffffull, names, ATEA_ARRAY_LEN(names)));
out:
    return err;
}

static atea_err note_sig_algo(atea__describe *d, const uint8_t *raw, size_t n)
{
    return atea__describe_line(d, 1, "(%s)",
                               atea__describe_le(raw, n) == 1 ? "ECDSA P-384 with SHA-384"
                                                              : "unknown signature algorithm");
}

/* TCB_VERSION parts depend on the product (evidence-formats.md §3.2). */
static atea_err note_tcb(atea__describe *d, const uint8_t *raw, size_t n)
{
    atea_err err = ATEA_OK;
    (void)n;
    atea_snp_product product = (atea_snp_product)d->snp_product;
    atea_snp_tcb t = atea_snp_tcb_decode(raw, product);
    if (product == ATEA_SNP_PRODUCT_TURIN) {
        ATEA_TRY(atea__describe_line(d, 1,
                                     "FMC %u, BOOT_LOADER %u, TEE %u, SNP %u, MICROCODE %u (Turin)",
                                     t.fmc, t.bootloader, t.tee, t.snp, t.microcode));
    } else {
        ATEA_TRY(atea__describe_line(d, 1,
                                     "BOOT_LOADER %u, TEE %u, SNP %u, MICROCODE %u (Milan/Genoa)",
                                     t.bootloader, t.tee, t.snp, t.microcode));
    }
out:
    return err;
}

static atea_err note_platform_info(atea__describe *d, const uint8_t *raw, size_t n)
{
    static const char *const names[64] = {
        [0] = "SMT_EN",
        [1] = "TSME_EN",
        [2] = "ECC_EN",
        [3] = "RAPL_DIS",
        [4] = "CIPHERTEXT_HIDING_EN",
        [5] = "ALIAS_CHECK_COMPLETE",
        [7] = "TIO_EN",
    };
    return atea__describe_flags(d, "flags", atea__describe_le(raw, n), names,
                                ATEA_ARRAY_LEN(names));
}

static atea_err note_signer_info(atea__describe *d, const uint8_t *raw, size_t n)
{
    uint64_t v = atea__describe_le(raw, n);
    unsigned key = (unsigned)((v >> 2) & 7u);
    return atea__describe_line(d, 1, "AUTHOR_KEY_EN %u, MASK_CHIP_KEY %u, SIGNING_KEY %u (%s)",
                               (unsigned)(v & 1u), (unsigned)((v >> 1) & 1u), key,
                               key == ATEA_SNP_KEY_VCEK   ? "VCEK"
                               : key == ATEA_SNP_KEY_VLEK ? "VLEK"
                               : key == 7                 ? "none"
                                                          : "reserved");
}

/* r and s are little-endian; print the usual big-endian form of the 48-byte value. */
static atea_err note_sig_component(atea__describe *d, const char *name, const uint8_t *raw)
{
    atea_err err = ATEA_OK;
    uint8_t be[SNP_SIG_VALUE];
    for (size_t i = 0; i < SNP_SIG_VALUE; i++) {
        be[i] = raw[SNP_SIG_VALUE - 1 - i];
    }
    ATEA_TRY(atea__describe_hex(d, name, be, sizeof(be)));
    for (size_t i = SNP_SIG_VALUE; i < SNP_SIG_SLOT; i++) {
        if (raw[i] != 0) {
            ATEA_TRY(atea__describe_line(d, 1, "(upper 24 bytes of the slot are not zero)"));
            break;
        }
    }
out:
    return err;
}

static atea_err note_sig_r(atea__describe *d, const uint8_t *raw, size_t n)
{
    (void)n;
    return note_sig_component(d, "SIGNATURE_R (big-endian)", raw);
}

static atea_err note_sig_s(atea__describe *d, const uint8_t *raw, size_t n)
{
    (void)n;
    return note_sig_component(d, "SIGNATURE_S (big-endian)", raw);
}

/* 0x000..0x188 */
static const atea__field HEAD[] = {
    {"VERSION", 4, ATEA_FIELD_UINT, NULL},
    {"GUEST_SVN", 4, ATEA_FIELD_UINT, NULL},
    {"POLICY", 8, ATEA_FIELD_UINT, note_policy},
    {"FAMILY_ID", 16, ATEA_FIELD_HEX, NULL},
    {"IMAGE_ID", 16, ATEA_FIELD_HEX, NULL},
    {"VMPL", 4, ATEA_FIELD_UINT, NULL},
    {"SIGNATURE_ALGO", 4, ATEA_FIELD_UINT, note_sig_algo},
    {"CURRENT_TCB", 8, ATEA_FIELD_HEX, note_tcb},
    {"PLATFORM_INFO", 8, ATEA_FIELD_UINT, note_platform_info},
    {"SIGNER_INFO", 4, ATEA_FIELD_UINT, note_signer_info},
    {"RESERVED (0x04C)", 4, ATEA_FIELD_RESERVED, NULL},
    {"REPORT_DATA", 64, ATEA_FIELD_HEX, NULL},
    {"MEASUREMENT", 48, ATEA_FIELD_HEX, NULL},
    {"HOST_DATA", 32, ATEA_FIELD_HEX, NULL},
    {"ID_KEY_DIGEST", 48, ATEA_FIELD_HEX, NULL},
    {"AUTHOR_KEY_DIGEST", 48, ATEA_FIELD_HEX, NULL},
    {"REPORT_ID", 32, ATEA_FIELD_HEX, NULL},
    {"REPORT_ID_MA", 32, ATEA_FIELD_HEX, NULL},
    {"REPORTED_TCB", 8, ATEA_FIELD_HEX, note_tcb},
};

/* 0x188..0x1A0: CPUID identification from VERSION 3 on, reserved before. */
static const atea__field CPUID_V3[] = {
    {"CPUID_FAM_ID", 1, ATEA_FIELD_UINT, NULL},
    {"CPUID_MOD_ID", 1, ATEA_FIELD_UINT, NULL},
    {"CPUID_STEP", 1, ATEA_FIELD_UINT, NULL},
    {"RESERVED (0x18B)", 21, ATEA_FIELD_RESERVED, NULL},
};
static const atea__field CPUID_V2[] = {
    {"RESERVED (0x188)", 24, ATEA_FIELD_RESERVED, NULL},
};

/* 0x1A0..0x1F8 */
static const atea__field MIDDLE[] = {
    {"CHIP_ID", 64, ATEA_FIELD_HEX, NULL},
    {"COMMITTED_TCB", 8, ATEA_FIELD_HEX, note_tcb},
    {"CURRENT_BUILD", 1, ATEA_FIELD_UINT, NULL},
    {"CURRENT_MINOR", 1, ATEA_FIELD_UINT, NULL},
    {"CURRENT_MAJOR", 1, ATEA_FIELD_UINT, NULL},
    {"RESERVED (0x1EB)", 1, ATEA_FIELD_RESERVED, NULL},
    {"COMMITTED_BUILD", 1, ATEA_FIELD_UINT, NULL},
    {"COMMITTED_MINOR", 1, ATEA_FIELD_UINT, NULL},
    {"COMMITTED_MAJOR", 1, ATEA_FIELD_UINT, NULL},
    {"RESERVED (0x1EF)", 1, ATEA_FIELD_RESERVED, NULL},
    {"LAUNCH_TCB", 8, ATEA_FIELD_HEX, note_tcb},
};

/* 0x1F8..0x2A0: mitigation vectors from VERSION 5 on. */
static const atea__field MIT_V5[] = {
    {"LAUNCH_MIT_VECTOR", 8, ATEA_FIELD_UINT, NULL},
    {"CURRENT_MIT_VECTOR", 8, ATEA_FIELD_UINT, NULL},
    {"RESERVED (0x208)", 0x2A0 - 0x208, ATEA_FIELD_RESERVED, NULL},
};
static const atea__field MIT_V2[] = {
    {"RESERVED (0x1F8)", 0x2A0 - 0x1F8, ATEA_FIELD_RESERVED, NULL},
};

/* 0x2A0..0x4A0 */
static const atea__field SIGNATURE[] = {
    {"SIGNATURE_R", SNP_SIG_SLOT, ATEA_FIELD_NOTE, note_sig_r},
    {"SIGNATURE_S", SNP_SIG_SLOT, ATEA_FIELD_NOTE, note_sig_s},
    {"RESERVED (0x330)", ATEA_SNP_REPORT_SIZE - 0x330, ATEA_FIELD_RESERVED, NULL},
};

/* The product from the CPUID bytes (v3+), read ahead: TCB parts come before them. */
static atea_snp_product product_of(const uint8_t *in, size_t len)
{
    atea_snp_report probe;
    atea_rd rd;
    memset(&probe, 0, sizeof(probe));
    atea_rd_init(&rd, in, len);
    if (len < SNP_CPUID_OFFSET + 2 || atea_rd_u32le(&rd, &probe.version) != ATEA_OK ||
        atea_rd_skip(&rd, SNP_CPUID_OFFSET - 4) != ATEA_OK ||
        atea_rd_u8(&rd, &probe.cpuid_fam_id) != ATEA_OK ||
        atea_rd_u8(&rd, &probe.cpuid_mod_id) != ATEA_OK) {
        return ATEA_SNP_PRODUCT_UNKNOWN;
    }
    return atea_snp_report_product(&probe);
}

/* VERSION, read ahead: the layout of the middle of the report depends on it. */
static uint32_t version_of(const uint8_t *in, size_t len)
{
    atea_rd rd;
    uint32_t version = 0;
    atea_rd_init(&rd, in, len);
    if (len < 4 || atea_rd_u32le(&rd, &version) != ATEA_OK) {
        return 0;
    }
    return version;
}

static atea_err walk_report(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_rd rd;
    uint32_t version = version_of(in, len);
    atea_snp_product product = product_of(in, len);
    d->snp_product = (int)product;
    ATEA_TRY(atea__describe_banner(d, "AMD SEV-SNP attestation report v%u, %zu bytes, product %s",
                                   version, len, atea_snp_product_name(product)));
    d->indent++;
    atea_rd_init(&rd, in, len);
    ATEA_TRY(atea__describe_fields(d, &rd, HEAD, ATEA_ARRAY_LEN(HEAD)));
    if (version >= 3) {
        ATEA_TRY(atea__describe_fields(d, &rd, CPUID_V3, ATEA_ARRAY_LEN(CPUID_V3)));
    } else {
        ATEA_TRY(atea__describe_fields(d, &rd, CPUID_V2, ATEA_ARRAY_LEN(CPUID_V2)));
    }
    ATEA_TRY(atea__describe_fields(d, &rd, MIDDLE, ATEA_ARRAY_LEN(MIDDLE)));
    if (version >= 5) {
        ATEA_TRY(atea__describe_fields(d, &rd, MIT_V5, ATEA_ARRAY_LEN(MIT_V5)));
    } else {
        ATEA_TRY(atea__describe_fields(d, &rd, MIT_V2, ATEA_ARRAY_LEN(MIT_V2)));
    }
    ATEA_TRY(atea__describe_fields(d, &rd, SIGNATURE, ATEA_ARRAY_LEN(SIGNATURE)));
    if (atea_rd_left(&rd) > 0) {
        ATEA_TRY(atea__describe_line(d, 0, "%zu bytes follow the report", atea_rd_left(&rd)));
    }
out:
    d->indent = indent;
    return err;
}

atea_err atea__describe_snp(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    atea_snp_report report;
    /* Walk first, parse last: the parser's detail is then the current one. */
    atea_err walked = walk_report(d, in, len);
    atea_err parsed = atea_snp_report_parse(in, len, &report);
    ATEA_TRY(atea__describe_verdict(d, walked, parsed));
out:
    return err;
}

/* ---- certificate table ---- */

static const struct {
    uint8_t guid[SNP_GUID_LEN];
    const char *name;
} KNOWN_GUIDS[] = {
    {{0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac,
      0xcd},
     "VCEK"},
    {{0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e, 0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8,
      0xa1},
     "VLEK"},
    {{0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4, 0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7,
      0x82},
     "ASK or ASVK"},
    {{0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52, 0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0,
      0xae},
     "ARK"},
};

static const char *guid_name(const uint8_t *guid)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(KNOWN_GUIDS); i++) {
        if (memcmp(guid, KNOWN_GUIDS[i].guid, SNP_GUID_LEN) == 0) {
            return KNOWN_GUIDS[i].name;
        }
    }
    return NULL;
}

int atea__describe_is_snp_cert_table(const uint8_t *in, size_t len)
{
    atea_rd rd;
    const uint8_t *guid = NULL;
    atea_rd_init(&rd, in, len);
    return in != NULL && len >= SNP_GUID_LEN &&
           atea_rd_bytes(&rd, SNP_GUID_LEN, &guid) == ATEA_OK && guid_name(guid) != NULL;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

/* One 24-byte entry {GUID, u32 offset, u32 length}; *end = 1 for the all-zero terminator. */
static atea_err describe_entry(atea__describe *d, atea_rd *rd, const uint8_t *table, size_t len,
                               size_t index, int *end)
{
    atea_err err = ATEA_OK;
    const uint8_t *g = NULL;
    uint32_t offset = 0;
    uint32_t length = 0;
    char title[96];
    ATEA_TRY(atea_rd_bytes(rd, SNP_GUID_LEN, &g));
    ATEA_TRY(atea_rd_u32le(rd, &offset));
    ATEA_TRY(atea_rd_u32le(rd, &length));
    *end = all_zero(g, SNP_GUID_LEN) && offset == 0 && length == 0;
    if (*end) {
        goto out;
    }
    const char *name = guid_name(g);
    (void)snprintf(title, sizeof(title),
                   "entry %zu: %02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x"
                   " (%s)",
                   index, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11],
                   g[12], g[13], g[14], g[15], name != NULL ? name : "unknown GUID");
    ATEA_TRY(atea__describe_line(d, 0, "%s, offset %u, length %u", title, offset, length));
    if ((size_t)offset > len || (size_t)length > len - (size_t)offset || length == 0) {
        ATEA_TRY(atea__describe_line(d, 1, "(the certificate is outside the table)"));
        goto out;
    }
    d->indent++;
    err = atea__describe_cert_der(d, "certificate", table + offset, length);
    d->indent--;
    ATEA_TRY(err);
out:
    return err;
}

static atea_err walk_cert_table(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_rd rd;
    int end = 0;
    ATEA_TRY(atea__describe_banner(d, "AMD SEV-SNP certificate table, %zu bytes", len));
    d->indent++;
    atea_rd_init(&rd, in, len);
    /* One more entry than the cap: the parser says why the table is too long. */
    for (size_t i = 0; !end && i <= ATEA_SNP_CERT_TABLE_MAX_ENTRIES; i++) {
        ATEA_TRY(describe_entry(d, &rd, in, len, i, &end));
    }
out:
    d->indent = indent;
    return err;
}

atea_err atea__describe_snp_cert_table(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    atea_snp_certs certs;
    atea_err walked = walk_cert_table(d, in, len);
    atea_err parsed = atea_snp_cert_table_parse(in, len, &certs);
    ATEA_TRY(atea__describe_verdict(d, walked, parsed));
out:
    return err;
}
