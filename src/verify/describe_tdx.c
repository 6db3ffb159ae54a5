/*
 * Describing an Intel TDX quote v4 / v5 (Intel DCAP sgx_quote_4.h / sgx_quote_5.h;
 * evidence-formats.md §2.1-2.4). The fields are walked in order from tables so that a truncated
 * or inconsistent quote is shown up to its fault; atea_tdx_quote_parse then decides whether the
 * quote is well-formed, and its code is the one returned.
 */
#include <string.h>

#include "atea/tdx.h"
#include "core/check.h"
#include "verify/describe_internal.h"
#include "verify/tdx_internal.h"

#define TDX_BODY_TYPE_TDX10 2
#define TDX_BODY_TYPE_TDX15 3
#define TDX_BODY_V10_LEN 584
#define TDX_BODY_V15_LEN 648
#define TDX_CERT_TYPE_PCK_CHAIN 5
#define TDX_CERT_TYPE_QE_REPORT 6
#define TDX_QE_REPORT_LEN 384 /* SGX REPORT_BODY */

/* Intel's QE vendor id and the TD QE's MRSIGNER (evidence-formats.md §2.5 step 6). */
static const uint8_t INTEL_QE_VENDOR_ID[16] = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                               0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};
static const uint8_t INTEL_TD_QE_MRSIGNER[32] = {
    0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34, 0xa7, 0xfc, 0x43, 0xed, 0x03,
    0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba, 0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5};

static atea_err note_att_key_type(atea__describe *d, const uint8_t *raw, size_t n)
{
    uint64_t v = atea__describe_le(raw, n);
    return atea__describe_line(d, 1, "(%s)",
                               v == 2   ? "ECDSA-256-with-P-256 curve"
                               : v == 3 ? "ECDSA-384-with-P-384 curve"
                                        : "unknown attestation key type");
}

static atea_err note_tee_type(atea__describe *d, const uint8_t *raw, size_t n)
{
    uint64_t v = atea__describe_le(raw, n);
    return atea__describe_line(d, 1, "(%s)", v == 0x81 ? "TDX" : v == 0 ? "SGX" : "unknown TEE");
}

static atea_err note_qe_vendor(atea__describe *d, const uint8_t *raw, size_t n)
{
    int intel = n == sizeof(INTEL_QE_VENDOR_ID) && memcmp(raw, INTEL_QE_VENDOR_ID, n) == 0;
    return atea__describe_line(d, 1, "(%s)", intel ? "Intel SGX QE" : "not Intel's QE vendor id");
}

static atea_err note_body_type(atea__describe *d, const uint8_t *raw, size_t n)
{
    uint64_t v = atea__describe_le(raw, n);
    return atea__describe_line(d, 1, "(%s)",
                               v == 1                     ? "SGX enclave report"
                               : v == TDX_BODY_TYPE_TDX10 ? "TDX 1.0 TD report"
                               : v == TDX_BODY_TYPE_TDX15 ? "TDX 1.5 TD report"
                                                          : "unknown body type");
}

static atea_err note_tee_tcb_svn(atea__describe *d, const uint8_t *raw, size_t n)
{
    (void)n;
    /* Byte 0: TDX module SVN; byte 1: TDX module major version (selects the module identity in
     * the TCB info, evidence-formats.md §2.5 B). */
    return atea__describe_line(d, 1, "(TDX module SVN %u, major version %u)", raw[0], raw[1]);
}

/* TD_ATTRIBUTES (TDX module ABI, TDATTRIBUTES): the bits a relying party looks at. */
static atea_err note_td_attributes(atea__describe *d, const uint8_t *raw, size_t n)
{
    static const char *const names[64] = {
        [0] = "DEBUG", [28] = "SEPT_VE_DISABLE", [29] = "MIGRATABLE", [30] = "PKS",
        [31] = "KL",   [63] = "PERFMON",
    };
    atea_err err = ATEA_OK;
    uint64_t v = atea__describe_le(raw, n);
    ATEA_TRY(atea__describe_line(d, 1, "DEBUG: %s",
                                 (v & 1u) != 0 ? "1 (debug TD: not trustworthy)" : "0"));
    ATEA_TRY(atea__describe_flags(d, "flags", v, names, ATEA_ARRAY_LEN(names)));
out:
    return err;
}

/* XFAM: the XSAVE feature set (XCR0 / IA32_XSS bit numbers). */
static atea_err note_xfam(atea__describe *d, const uint8_t *raw, size_t n)
{
    static const char *const names[64] = {
        [0] = "FP",     [1] = "SSE",       [2] = "AVX",       [3] = "BNDREGS",    [4] = "BNDCSR",
        [5] = "OPMASK", [6] = "ZMM_HI256", [7] = "HI16_ZMM",  [8] = "PT",         [9] = "PKRU",
        [10] = "PASID", [11] = "CET_U",    [12] = "CET_S",    [13] = "HDC",       [14] = "UINTR",
        [15] = "LBR",   [16] = "HWP",      [17] = "XTILECFG", [18] = "XTILEDATA",
    };
    return atea__describe_flags(d, "features", atea__describe_le(raw, n), names,
                                ATEA_ARRAY_LEN(names));
}

static const atea__field HEADER[] = {
    {"VERSION", 2, ATEA_FIELD_UINT, NULL},
    {"ATT_KEY_TYPE", 2, ATEA_FIELD_UINT, note_att_key_type},
    {"TEE_TYPE", 4, ATEA_FIELD_UINT, note_tee_type},
    /* Reserved in Intel's v4/v5 header; QE_SVN and PCE_SVN in go-tdx-guest. */
    {"RESERVED (QE_SVN)", 2, ATEA_FIELD_UINT, NULL},
    {"RESERVED (PCE_SVN)", 2, ATEA_FIELD_UINT, NULL},
    {"QE_VENDOR_ID", 16, ATEA_FIELD_HEX, note_qe_vendor},
    {"USER_DATA", 20, ATEA_FIELD_HEX, NULL},
};

static const atea__field V5_BODY_DESCRIPTOR[] = {
    {"BODY_TYPE", 2, ATEA_FIELD_UINT, note_body_type},
    {"BODY_SIZE", 4, ATEA_FIELD_UINT, NULL},
};

/* sgx_report2_body_t (§2.2), then the TDX 1.5 additions (v5 body type 3). */
static const atea__field TD_BODY[] = {
    {"TEE_TCB_SVN", 16, ATEA_FIELD_HEX, note_tee_tcb_svn},
    {"MRSEAM", 48, ATEA_FIELD_HEX, NULL},
    {"MRSIGNERSEAM", 48, ATEA_FIELD_HEX, NULL},
    {"SEAM_ATTRIBUTES", 8, ATEA_FIELD_HEX, NULL},
    {"TD_ATTRIBUTES", 8, ATEA_FIELD_HEX, note_td_attributes},
    {"XFAM", 8, ATEA_FIELD_HEX, note_xfam},
    {"MRTD", 48, ATEA_FIELD_HEX, NULL},
    {"MRCONFIGID", 48, ATEA_FIELD_HEX, NULL},
    {"MROWNER", 48, ATEA_FIELD_HEX, NULL},
    {"MROWNERCONFIG", 48, ATEA_FIELD_HEX, NULL},
    {"RTMR0", 48, ATEA_FIELD_HEX, NULL},
    {"RTMR1", 48, ATEA_FIELD_HEX, NULL},
    {"RTMR2", 48, ATEA_FIELD_HEX, NULL},
    {"RTMR3", 48, ATEA_FIELD_HEX, NULL},
    {"REPORTDATA", 64, ATEA_FIELD_HEX, NULL},
};

static const atea__field TD_BODY_V15[] = {
    {"TEE_TCB_SVN2", 16, ATEA_FIELD_HEX, note_tee_tcb_svn},
    {"MRSERVICETD", 48, ATEA_FIELD_HEX, NULL},
};

static atea_err note_mrsigner(atea__describe *d, const uint8_t *raw, size_t n)
{
    int td_qe = n == sizeof(INTEL_TD_QE_MRSIGNER) && memcmp(raw, INTEL_TD_QE_MRSIGNER, n) == 0;
    return atea__describe_line(d, 1, "(%s)", td_qe ? "Intel TD QE signer" : "not Intel's TD QE");
}

/* SGX REPORT_BODY of the quoting enclave (384 bytes). */
static const atea__field QE_REPORT[] = {
    {"CPUSVN", 16, ATEA_FIELD_HEX, NULL},
    {"MISCSELECT", 4, ATEA_FIELD_UINT, NULL},
    {"RESERVED1", 28, ATEA_FIELD_RESERVED, NULL},
    {"ATTRIBUTES", 16, ATEA_FIELD_HEX, NULL},
    {"MRENCLAVE", 32, ATEA_FIELD_HEX, NULL},
    {"RESERVED2", 32, ATEA_FIELD_RESERVED, NULL},
    {"MRSIGNER", 32, ATEA_FIELD_HEX, note_mrsigner},
    {"RESERVED3", 96, ATEA_FIELD_RESERVED, NULL},
    {"ISVPRODID", 2, ATEA_FIELD_UINT, NULL},
    {"ISVSVN", 2, ATEA_FIELD_UINT, NULL},
    {"RESERVED4", 60, ATEA_FIELD_RESERVED, NULL},
    {"REPORTDATA", 64, ATEA_FIELD_HEX, NULL},
};

static const char *cert_type_name(uint16_t type)
{
    switch (type) {
    case 1:
        return "PPID in plain text";
    case 2:
        return "PPID encrypted with RSA-2048-OAEP";
    case 3:
        return "PPID encrypted with RSA-3072-OAEP";
    case 4:
        return "PCK leaf certificate";
    case TDX_CERT_TYPE_PCK_CHAIN:
        return "PCK certificate chain (PEM)";
    case TDX_CERT_TYPE_QE_REPORT:
        return "QE report certification data";
    case 7:
        return "platform manifest";
    default:
        return "unknown certification data type";
    }
}

/* Open `want` bytes of rd, or as many as there are: the walk shows what is present and the
 * fields walker names the first field that is cut. */
static atea_err open_upto(atea_rd *rd, size_t want, atea_rd *sub)
{
    return atea_rd_sub(rd, want < atea_rd_left(rd) ? want : atea_rd_left(rd), sub);
}

static atea_err describe_cert_data(atea__describe *d, atea_rd *rd, unsigned level);

/* The PCK leaf's Intel SGX extension (OID 1.2.840.113741.1.13.1): what TCB matching uses
 * (evidence-formats.md §2.5 B). */
static atea_err note_pck_leaf(atea__describe *d, size_t index, X509 *cert)
{
    atea_err err = ATEA_OK;
    tdx_pck_info info;
    char cpusvn[2 * sizeof(info.cpusvn) + 1];
    char fmspc[2 * sizeof(info.fmspc) + 1];
    if (index != 0) {
        goto out;
    }
    if (atea__tdx_pck_info(cert, &info) != ATEA_OK) {
        ATEA_TRY(atea__describe_line(d, 1, "(no readable Intel SGX extension)"));
        goto out;
    }
    ATEA_TRY(atea_hex_encode(info.fmspc, sizeof(info.fmspc), fmspc, sizeof(fmspc)));
    ATEA_TRY(atea_hex_encode(info.cpusvn, sizeof(info.cpusvn), cpusvn, sizeof(cpusvn)));
    ATEA_TRY(atea__describe_line(d, 1, "SGX extension: FMSPC %s, PCE-ID %02x%02x, PCESVN %u", fmspc,
                                 info.pceid[0], info.pceid[1], info.pcesvn));
    ATEA_TRY(atea__describe_line(d, 1, "SGX extension: CPUSVN %s", cpusvn));
out:
    return err;
}

/* The PCK chain (type 5): PEM, possibly NUL-padded (v5 sample). */
static atea_err describe_pck_chain(atea__describe *d, atea_rd *data)
{
    atea_err err = ATEA_OK;
    size_t pem_len = atea_rd_left(data);
    const uint8_t *pem = atea_rd_ptr(data);
    while (pem_len > 0 && pem[pem_len - 1] == 0) {
        pem_len--;
    }
    ATEA_TRY(atea__describe_cert_pem(d, pem, pem_len, note_pck_leaf));
out:
    return err;
}

/* QE report certification data (type 6): QE report, its signature, auth data, inner data. */
static atea_err describe_qe_cert_data(atea__describe *d, atea_rd *data, unsigned level)
{
    atea_err err = ATEA_OK;
    atea_rd report;
    uint16_t auth_len = 0;
    const uint8_t *auth = NULL;
    static const atea__field QE_SIG[] = {{"QE_REPORT_SIGNATURE", 64, ATEA_FIELD_HEX, NULL}};
    ATEA_TRY(atea__describe_line(d, 0, "QE report (SGX REPORT_BODY):"));
    ATEA_TRY(open_upto(data, TDX_QE_REPORT_LEN, &report));
    d->indent++;
    err = atea__describe_fields(d, &report, QE_REPORT, ATEA_ARRAY_LEN(QE_REPORT));
    d->indent--;
    ATEA_TRY(err);
    ATEA_TRY(atea__describe_fields(d, data, QE_SIG, 1));
    ATEA_TRY(atea_rd_u16le(data, &auth_len));
    ATEA_TRY(atea_rd_bytes(data, auth_len, &auth));
    ATEA_TRY(atea__describe_hex(d, "QE_AUTH_DATA", auth, auth_len));
    ATEA_TRY(describe_cert_data(d, data, level + 1));
out:
    return err;
}

/* Certification data: u16 type, u32 size, data (§2.4). Nested at most once (6 wraps 5). */
static atea_err describe_cert_data(atea__describe *d, atea_rd *rd, unsigned level)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    uint16_t type = 0;
    uint32_t size = 0;
    atea_rd data;
    ATEA_TRY(atea_rd_u16le(rd, &type));
    ATEA_TRY(atea_rd_u32le(rd, &size));
    ATEA_TRY(atea__describe_line(d, 0, "certification data: type %u (%s), %u bytes", type,
                                 cert_type_name(type), size));
    ATEA_TRY(open_upto(rd, size, &data));
    d->indent++;
    if (type == TDX_CERT_TYPE_QE_REPORT && level == 0) {
        ATEA_TRY(describe_qe_cert_data(d, &data, level));
    } else if (type == TDX_CERT_TYPE_PCK_CHAIN) {
        ATEA_TRY(describe_pck_chain(d, &data));
    } else {
        ATEA_TRY(atea__describe_hex(d, "data", atea_rd_ptr(&data), atea_rd_left(&data)));
    }
    ATEA_ENSURE_MSG(data.len == size, ATEA_ERR_TRUNCATED,
                    "certification data type %u at offset %zu declares %u bytes, %zu present", type,
                    data.base - 6, size, data.len);
out:
    d->indent = indent;
    return err;
}

/* sgx_ecdsa_sig_data_v4_t (§2.4) and whatever follows it. */
static atea_err describe_signature_data(atea__describe *d, atea_rd *rd)
{
    static const atea__field SIG[] = {
        {"QUOTE_SIGNATURE (ECDSA P-256 r || s)", 64, ATEA_FIELD_HEX, NULL},
        {"ATTESTATION_KEY (P-256 X || Y)", 64, ATEA_FIELD_HEX, NULL},
    };
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    uint32_t sig_len = 0;
    atea_rd sig;
    ATEA_TRY(atea_rd_u32le(rd, &sig_len));
    ATEA_TRY(atea__describe_line(d, 0, "signature data: %u bytes", sig_len));
    ATEA_TRY(open_upto(rd, sig_len, &sig));
    d->indent++;
    ATEA_TRY(atea__describe_fields(d, &sig, SIG, ATEA_ARRAY_LEN(SIG)));
    ATEA_TRY(describe_cert_data(d, &sig, 0));
    d->indent = indent;
    if (atea_rd_left(rd) > 0) {
        ATEA_TRY(atea__describe_line(
            d, 0, "%zu bytes follow the signature data (not signed, ignored)", atea_rd_left(rd)));
    }
out:
    d->indent = indent;
    return err;
}

/* The TD report body: its fields if the layout is one atea knows, else its bytes. */
static atea_err describe_body(atea__describe *d, atea_rd *rd, uint16_t version)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    const uint8_t *desc = NULL;
    uint16_t body_type = TDX_BODY_TYPE_TDX10;
    uint32_t body_size = TDX_BODY_V10_LEN;
    atea_rd body;
    if (version == 5) {
        ATEA_TRY(atea_rd_bytes(rd, 6, &desc));
        atea_rd_init(&body, desc, 6);
        body.base = atea_rd_pos(rd) - 6;
        ATEA_TRY(atea__describe_fields(d, &body, V5_BODY_DESCRIPTOR, 2));
        body_type = (uint16_t)atea__describe_le(desc, 2);
        body_size = (uint32_t)atea__describe_le(desc + 2, 4);
    }
    int known = (body_type == TDX_BODY_TYPE_TDX10 && body_size == TDX_BODY_V10_LEN) ||
                (body_type == TDX_BODY_TYPE_TDX15 && body_size == TDX_BODY_V15_LEN);
    ATEA_TRY(atea__describe_line(d, 0, "TD report body (%s, %u bytes):",
                                 body_type == TDX_BODY_TYPE_TDX15 ? "TDX 1.5" : "TDX 1.0",
                                 body_size));
    ATEA_TRY(open_upto(rd, body_size, &body));
    d->indent++;
    ATEA_ENSURE_MSG(known, ATEA_ERR_TDX_BAD_HEADER, "body type %u of %u bytes is not a TD report",
                    body_type, body_size);
    ATEA_TRY(atea__describe_fields(d, &body, TD_BODY, ATEA_ARRAY_LEN(TD_BODY)));
    if (body_type == TDX_BODY_TYPE_TDX15) {
        ATEA_TRY(atea__describe_fields(d, &body, TD_BODY_V15, ATEA_ARRAY_LEN(TD_BODY_V15)));
    }
out:
    d->indent = indent;
    return err;
}

/* Walk the quote as far as it goes. Errors end the walk; the parser's verdict follows. */
static atea_err walk_quote(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_rd rd;
    uint16_t version = 0;
    atea_rd_init(&rd, in, len);
    if (len >= 2) {
        atea_rd probe = rd;
        ATEA_TRY(atea_rd_u16le(&probe, &version)); /* for the banner; read again below */
    }
    ATEA_TRY(atea__describe_banner(d, "Intel TDX quote v%u, %zu bytes", version, len));
    d->indent++;
    ATEA_TRY(atea__describe_line(d, 0, "header:"));
    d->indent++;
    ATEA_TRY(atea__describe_fields(d, &rd, HEADER, ATEA_ARRAY_LEN(HEADER)));
    d->indent--;
    ATEA_TRY(describe_body(d, &rd, version));
    ATEA_TRY(describe_signature_data(d, &rd));
out:
    d->indent = indent;
    return err;
}

atea_err atea__describe_tdx(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    atea_tdx_quote quote;
    /* Walk first, parse last: the parser's detail is then the current one. */
    atea_err walked = walk_quote(d, in, len);
    atea_err parsed = atea_tdx_quote_parse(in, len, &quote);
    ATEA_TRY(atea__describe_verdict(d, walked, parsed));
out:
    return err;
}
