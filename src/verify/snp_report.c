/*
 * SEV-SNP ATTESTATION_REPORT layout (AMD SEV-SNP Firmware ABI spec 56860, table
 * "ATTESTATION_REPORT Structure"; evidence-formats.md 3.1). Little-endian, 0x4A0 bytes. The
 * parser reads the fields in order through atea_rd and rejects any non-zero reserved byte, as
 * go-sev-guest does: a reserved field that is set means a layout atea does not understand.
 */
#include <string.h>

#include "atea/snp.h"
#include "core/check.h"
#include "core/rd.h"

#define SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384 1u
/* POLICY bit 17 is reserved and must be one; bits 63:26 are reserved, must be zero. */
#define SNP_POLICY_MUST_BE_ONE (1ull << 17)
#define SNP_POLICY_RESERVED_HIGH (~((1ull << 26) - 1))
/* Signer info: bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2 SIGNING_KEY, rest reserved. */
#define SNP_SIGNER_RESERVED (~0x1Fu)
/* P-384 r and s fill the low 48 bytes of their 72-byte little-endian slots. */
#define SNP_SIG_COMPONENT 72
#define SNP_SIG_VALUE 48

const char *atea_snp_product_name(atea_snp_product product)
{
    switch (product) {
    case ATEA_SNP_PRODUCT_MILAN:
        return "milan";
    case ATEA_SNP_PRODUCT_GENOA:
        return "genoa";
    case ATEA_SNP_PRODUCT_TURIN:
        return "turin";
    case ATEA_SNP_PRODUCT_UNKNOWN:
        break;
    }
    return "unknown";
}

atea_snp_tcb atea_snp_tcb_decode(const uint8_t raw[8], atea_snp_product product)
{
    atea_snp_tcb t = {0};
    if (product == ATEA_SNP_PRODUCT_TURIN) {
        /* virtee/sev TcbVersion::from_turin_bytes */
        t.fmc = raw[0];
        t.bootloader = raw[1];
        t.tee = raw[2];
        t.snp = raw[3];
    } else {
        /* TcbVersion::from_legacy_bytes (Milan, Genoa) */
        t.bootloader = raw[0];
        t.tee = raw[1];
        t.snp = raw[6];
    }
    t.microcode = raw[7];
    return t;
}

atea_snp_product atea_snp_report_product(const atea_snp_report *report)
{
    /* CPUID family/model (v3+). Milan: family 19h, models 0xh; Genoa: 19h, 1xh or Axh;
     * Turin: 1Ah, models 00h..11h (evidence-formats 3.1). */
    if (report->version < 3) {
        return ATEA_SNP_PRODUCT_UNKNOWN;
    }
    if (report->cpuid_fam_id == 0x19 && report->cpuid_mod_id <= 0x0F) {
        return ATEA_SNP_PRODUCT_MILAN;
    }
    if (report->cpuid_fam_id == 0x19 &&
        ((report->cpuid_mod_id & 0xF0) == 0x10 || (report->cpuid_mod_id & 0xF0) == 0xA0)) {
        return ATEA_SNP_PRODUCT_GENOA;
    }
    if (report->cpuid_fam_id == 0x1A && report->cpuid_mod_id <= 0x11) {
        return ATEA_SNP_PRODUCT_TURIN;
    }
    return ATEA_SNP_PRODUCT_UNKNOWN;
}

/* Consume n reserved bytes, which must all be zero. */
static atea_err skip_reserved(atea_rd *rd, size_t n, const char *what)
{
    atea_err err = ATEA_OK;
    size_t at = atea_rd_pos(rd);
    const uint8_t *p = NULL;
    ATEA_TRY(atea_rd_bytes(rd, n, &p));
    for (size_t i = 0; i < n; i++) {
        ATEA_ENSURE_MSG(p[i] == 0, ATEA_ERR_SNP_RESERVED,
                        "%s: byte at offset 0x%zx is 0x%02x, must be zero", what, at + i, p[i]);
    }
out:
    return err;
}

/* A 72-byte little-endian signature component whose top 24 bytes must be zero. */
static atea_err read_sig_component(atea_rd *rd, uint8_t out[SNP_SIG_COMPONENT], const char *what)
{
    atea_err err = ATEA_OK;
    atea_rd probe = *rd;
    ATEA_TRY(atea_rd_copy(rd, out, SNP_SIG_COMPONENT));
    ATEA_TRY(atea_rd_skip(&probe, SNP_SIG_VALUE));
    ATEA_TRY(skip_reserved(&probe, SNP_SIG_COMPONENT - SNP_SIG_VALUE, what));
out:
    return err;
}

/* 0x000..0x04F: version, policy, ids, TCB, signer info. */
static atea_err parse_head(atea_rd *rd, atea_snp_report *r)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_rd_u32le(rd, &r->version));
    /* v2 (Milan/Genoa early firmware), v3 (adds CPUID), v5 (adds mitigation vectors). */
    ATEA_ENSURE_MSG(r->version == 2 || r->version == 3 || r->version == 5, ATEA_ERR_SNP_VERSION,
                    "report VERSION is %u; atea verifies versions 2, 3 and 5", r->version);
    ATEA_TRY(atea_rd_u32le(rd, &r->guest_svn));
    ATEA_TRY(atea_rd_u64le(rd, &r->policy));
    ATEA_ENSURE_MSG((r->policy & SNP_POLICY_MUST_BE_ONE) != 0, ATEA_ERR_SNP_RESERVED,
                    "POLICY 0x%llx: reserved bit 17 must be one", (unsigned long long)r->policy);
    ATEA_ENSURE_MSG((r->policy & SNP_POLICY_RESERVED_HIGH) == 0, ATEA_ERR_SNP_RESERVED,
                    "POLICY 0x%llx: reserved bits 63:26 must be zero",
                    (unsigned long long)r->policy);
    ATEA_TRY(atea_rd_copy(rd, r->family_id, sizeof(r->family_id)));
    ATEA_TRY(atea_rd_copy(rd, r->image_id, sizeof(r->image_id)));
    ATEA_TRY(atea_rd_u32le(rd, &r->vmpl));
    ATEA_TRY(atea_rd_u32le(rd, &r->signature_algo));
    ATEA_ENSURE_MSG(r->signature_algo == SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384,
                    ATEA_ERR_SNP_SIG_ALGO, "SIGNATURE_ALGO is %u, expected 1 (ECDSA P-384/SHA-384)",
                    r->signature_algo);
    ATEA_TRY(atea_rd_copy(rd, r->current_tcb, sizeof(r->current_tcb)));
    ATEA_TRY(atea_rd_u64le(rd, &r->platform_info));
    ATEA_TRY(atea_rd_u32le(rd, &r->signer_info));
    ATEA_ENSURE_MSG((r->signer_info & SNP_SIGNER_RESERVED) == 0, ATEA_ERR_SNP_RESERVED,
                    "signer info 0x%x at offset 0x48: reserved bits 31:5 must be zero",
                    r->signer_info);
    r->author_key_en = (int)(r->signer_info & 1u);
    r->mask_chip_key = (int)((r->signer_info >> 1) & 1u);
    uint32_t key = (r->signer_info >> 2) & 7u;
    ATEA_ENSURE_MSG(key == ATEA_SNP_KEY_VCEK || key == ATEA_SNP_KEY_VLEK, ATEA_ERR_SNP_SIGNING_KEY,
                    "SIGNING_KEY is %u (0 = VCEK, 1 = VLEK, 7 = none)", key);
    r->signing_key = (atea_snp_key)key;
    ATEA_TRY(skip_reserved(rd, 4, "reserved after signer info"));
out:
    return err;
}

/* 0x050..0x1A0: report data, measurement, digests, ids, REPORTED_TCB, CPUID. */
static atea_err parse_body(atea_rd *rd, atea_snp_report *r)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_rd_copy(rd, r->report_data, sizeof(r->report_data)));
    ATEA_TRY(atea_rd_copy(rd, r->measurement, sizeof(r->measurement)));
    ATEA_TRY(atea_rd_copy(rd, r->host_data, sizeof(r->host_data)));
    ATEA_TRY(atea_rd_copy(rd, r->id_key_digest, sizeof(r->id_key_digest)));
    ATEA_TRY(atea_rd_copy(rd, r->author_key_digest, sizeof(r->author_key_digest)));
    ATEA_TRY(atea_rd_copy(rd, r->report_id, sizeof(r->report_id)));
    ATEA_TRY(atea_rd_copy(rd, r->report_id_ma, sizeof(r->report_id_ma)));
    ATEA_TRY(atea_rd_copy(rd, r->reported_tcb, sizeof(r->reported_tcb)));
    if (r->version >= 3) {
        ATEA_TRY(atea_rd_u8(rd, &r->cpuid_fam_id));
        ATEA_TRY(atea_rd_u8(rd, &r->cpuid_mod_id));
        ATEA_TRY(atea_rd_u8(rd, &r->cpuid_step));
        ATEA_TRY(skip_reserved(rd, 21, "reserved after CPUID"));
    } else {
        ATEA_TRY(skip_reserved(rd, 24, "reserved after REPORTED_TCB (v2)"));
    }
out:
    return err;
}

/* 0x1A0..0x2A0: CHIP_ID, committed/launch TCB, builds, mitigation vectors. */
static atea_err parse_tail(atea_rd *rd, atea_snp_report *r)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_rd_copy(rd, r->chip_id, sizeof(r->chip_id)));
    ATEA_TRY(atea_rd_copy(rd, r->committed_tcb, sizeof(r->committed_tcb)));
    ATEA_TRY(atea_rd_u8(rd, &r->current_build));
    ATEA_TRY(atea_rd_u8(rd, &r->current_minor));
    ATEA_TRY(atea_rd_u8(rd, &r->current_major));
    ATEA_TRY(skip_reserved(rd, 1, "reserved after CURRENT_MAJOR"));
    ATEA_TRY(atea_rd_u8(rd, &r->committed_build));
    ATEA_TRY(atea_rd_u8(rd, &r->committed_minor));
    ATEA_TRY(atea_rd_u8(rd, &r->committed_major));
    ATEA_TRY(skip_reserved(rd, 1, "reserved after COMMITTED_MAJOR"));
    ATEA_TRY(atea_rd_copy(rd, r->launch_tcb, sizeof(r->launch_tcb)));
    if (r->version >= 5) {
        ATEA_TRY(atea_rd_u64le(rd, &r->launch_mit_vector));
        ATEA_TRY(atea_rd_u64le(rd, &r->current_mit_vector));
        ATEA_TRY(skip_reserved(rd, 0x2A0 - 0x208, "reserved after CURRENT_MIT_VECTOR"));
    } else {
        ATEA_TRY(skip_reserved(rd, 0x2A0 - 0x1F8, "reserved after LAUNCH_TCB"));
    }
out:
    return err;
}

atea_err atea_snp_report_parse(const uint8_t *data, size_t len, atea_snp_report *report)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    ATEA_ENSURE(data != NULL && report != NULL, ATEA_ERR_INVALID_ARG);
    memset(report, 0, sizeof(*report));
    atea_rd_init(&rd, data, len);
    /* Size first: a short report is truncated, a long one carries trailing bytes. */
    ATEA_ENSURE_MSG(len >= ATEA_SNP_REPORT_SIZE, ATEA_ERR_TRUNCATED,
                    "SEV-SNP report is %zu bytes, a report is exactly %u", len,
                    (unsigned)ATEA_SNP_REPORT_SIZE);
    ATEA_TRY(parse_head(&rd, report));
    ATEA_TRY(parse_body(&rd, report));
    ATEA_TRY(parse_tail(&rd, report));
    ATEA_TRY(read_sig_component(&rd, report->sig_r, "signature R (upper 24 bytes)"));
    ATEA_TRY(read_sig_component(&rd, report->sig_s, "signature S (upper 24 bytes)"));
    ATEA_TRY(skip_reserved(&rd, ATEA_SNP_REPORT_SIZE - 0x330, "reserved after the signature"));
    ATEA_ENSURE_MSG(atea_rd_left(&rd) == 0, ATEA_ERR_TRAILING,
                    "%zu bytes follow the 0x4A0-byte SEV-SNP report", atea_rd_left(&rd));
out:
    return err;
}
