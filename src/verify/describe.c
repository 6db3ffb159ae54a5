/*
 * atea_evidence_describe: recognise a piece of evidence and dump it for `atea inspect`
 * (include/atea/describe.h). Raw formats are told apart by their first bytes (the same marks
 * atea_verify_raw uses: evidence-formats.md §2.1, §3.1, §4; docs/evidence/SIM.md); a CMW
 * (RFC 9999 §4.6) is decoded and each record's value described by its media type.
 */
#include <stdio.h>
#include <string.h>

#include "atea/cmw.h"
#include "atea/snp.h"
#include "atea/tpm.h"
#include "atea/tsm.h"
#include "core/check.h"
#include "verify/describe_internal.h"

#define TDX_MARK_LEN 8
#define SNP_ALGO_OFFSET 0x34
#define SNP_MIN_DETECT (SNP_ALGO_OFFSET + 4)

/* A CMW as large as the CMW decoder takes can be described. */
_Static_assert(ATEA_DESCRIBE_MAX_INPUT >= ATEA_CMW_MAX_INPUT, "describe cap below the CMW cap");

typedef atea_err (*describe_fn)(atea__describe *d, const uint8_t *in, size_t len);

static atea_err describe_cmw(atea__describe *d, const uint8_t *in, size_t len);
static atea_err describe_unknown(atea__describe *d, const uint8_t *in, size_t len);

static const struct {
    atea_evidence_format format;
    const char *name;
    const char *desc;
    describe_fn fn;
} FORMATS[] = {
    {ATEA_EVIDENCE_FORMAT_UNKNOWN, "unknown", "unrecognised evidence", describe_unknown},
    {ATEA_EVIDENCE_FORMAT_TDX, "tdx", "Intel TDX quote", atea__describe_tdx},
    {ATEA_EVIDENCE_FORMAT_SNP, "snp", "AMD SEV-SNP attestation report", atea__describe_snp},
    {ATEA_EVIDENCE_FORMAT_SNP_CERT_TABLE, "snp-cert-table", "AMD SEV-SNP certificate table",
     atea__describe_snp_cert_table},
    {ATEA_EVIDENCE_FORMAT_CCA, "cca", "Arm CCA attestation token", atea__describe_cca},
    {ATEA_EVIDENCE_FORMAT_SIM, "sim", "atea simulated-TEE evidence", atea__describe_sim},
    {ATEA_EVIDENCE_FORMAT_TPM_COLLECTION, "tpm-collection", "TPM 2.0 quote collection (CMW)",
     describe_cmw},
    {ATEA_EVIDENCE_FORMAT_CMW, "cmw", "RATS conceptual message wrapper (RFC 9999)", describe_cmw},
};

const char *atea_evidence_format_name(atea_evidence_format format)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(FORMATS); i++) {
        if (FORMATS[i].format == format) {
            return FORMATS[i].name;
        }
    }
    return "unknown";
}

const char *atea_evidence_format_desc(atea_evidence_format format)
{
    for (size_t i = 0; i < ATEA_ARRAY_LEN(FORMATS); i++) {
        if (FORMATS[i].format == format) {
            return FORMATS[i].desc;
        }
    }
    return "unrecognised evidence";
}

atea_evidence_format atea_evidence_format_from_name(const char *name)
{
    for (size_t i = 0; name != NULL && i < ATEA_ARRAY_LEN(FORMATS); i++) {
        if (strcmp(FORMATS[i].name, name) == 0) {
            return FORMATS[i].format;
        }
    }
    return ATEA_EVIDENCE_FORMAT_UNKNOWN;
}

/* The first bytes of the input, read through a bounded reader. Lengths are checked first, so
 * that a short input is simply "not this format" and records no failure. */
static int first_bytes(const uint8_t *in, size_t len, size_t n, const uint8_t **p)
{
    atea_rd rd;
    atea_rd_init(&rd, in, len);
    return len >= n && atea_rd_bytes(&rd, n, p) == ATEA_OK;
}

/* TDX header: version 4 or 5, attestation key type 2, TEE type 0x81 (§2.1). */
static int looks_tdx(const uint8_t *in, size_t len)
{
    atea_rd rd;
    uint16_t version = 0;
    uint16_t key_type = 0;
    uint32_t tee_type = 0;
    atea_rd_init(&rd, in, len);
    return len >= TDX_MARK_LEN && atea_rd_u16le(&rd, &version) == ATEA_OK &&
           atea_rd_u16le(&rd, &key_type) == ATEA_OK && atea_rd_u32le(&rd, &tee_type) == ATEA_OK &&
           (version == 4 || version == 5) && key_type == 2 && tee_type == 0x81;
}

/* SNP: VERSION 2..5 (u32 LE) and SIGNATURE_ALGO 1, or a report-sized input with such a VERSION
 * (§3.1). */
static int looks_snp(const uint8_t *in, size_t len)
{
    atea_rd rd;
    uint32_t version = 0;
    uint32_t algo = 0;
    atea_rd_init(&rd, in, len);
    if (len < 4 || atea_rd_u32le(&rd, &version) != ATEA_OK || version < 2 || version > 5) {
        return 0;
    }
    if (len == ATEA_SNP_REPORT_SIZE) {
        return 1;
    }
    return len >= SNP_MIN_DETECT && atea_rd_skip(&rd, SNP_ALGO_OFFSET - 4) == ATEA_OK &&
           atea_rd_u32le(&rd, &algo) == ATEA_OK && algo == 1;
}

/* CBOR tag 399 (d9 018f) or 907 (d9 038b) (§4). */
static int looks_cca(const uint8_t *in, size_t len)
{
    static const uint8_t tag399[3] = {0xd9, 0x01, 0x8f};
    static const uint8_t tag907[3] = {0xd9, 0x03, 0x8b};
    const uint8_t *p = NULL;
    return first_bytes(in, len, 3, &p) && (memcmp(p, tag399, 3) == 0 || memcmp(p, tag907, 3) == 0);
}

/* COSE_Sign1: tag 18 (d2) then an array of 4 (84). */
static int looks_sim(const uint8_t *in, size_t len)
{
    static const uint8_t cose_sign1[2] = {0xd2, 0x84};
    const uint8_t *p = NULL;
    return first_bytes(in, len, 2, &p) && memcmp(p, cose_sign1, 2) == 0;
}

/* A CMW holding a TPM quote collection (itself or nested). */
static int is_tpm_cmw(const uint8_t *in, size_t len)
{
    atea_cmw *tree = NULL;
    atea_tpm_evidence ev;
    int found = atea_cmw_decode(in, len, NULL, &tree) == ATEA_OK &&
                atea_tpm_evidence_from_cmw(tree, &ev) == ATEA_OK;
    atea_cmw_free(tree);
    return found;
}

atea_evidence_format atea_evidence_detect(const uint8_t *in, size_t len)
{
    if (in == NULL) {
        return ATEA_EVIDENCE_FORMAT_UNKNOWN;
    }
    if (looks_tdx(in, len)) {
        return ATEA_EVIDENCE_FORMAT_TDX;
    }
    if (looks_snp(in, len)) {
        return ATEA_EVIDENCE_FORMAT_SNP;
    }
    if (looks_cca(in, len)) {
        return ATEA_EVIDENCE_FORMAT_CCA;
    }
    if (looks_sim(in, len)) {
        return ATEA_EVIDENCE_FORMAT_SIM;
    }
    if (atea__describe_is_snp_cert_table(in, len)) {
        return ATEA_EVIDENCE_FORMAT_SNP_CERT_TABLE;
    }
    if (atea_cmw_demux(in, len) != ATEA_CMW_FORM_UNKNOWN) {
        return is_tpm_cmw(in, len) ? ATEA_EVIDENCE_FORMAT_TPM_COLLECTION : ATEA_EVIDENCE_FORMAT_CMW;
    }
    return ATEA_EVIDENCE_FORMAT_UNKNOWN;
}

static atea_err describe_unknown(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    char first[2 * TDX_MARK_LEN + 1] = "";
    size_t n = len < TDX_MARK_LEN ? len : TDX_MARK_LEN;
    const uint8_t *p = NULL;
    ATEA_ENSURE(first_bytes(in, len, n, &p), ATEA_ERR_INTERNAL);
    ATEA_TRY(atea_hex_encode(p, n, first, sizeof(first)));
    ATEA_TRY(atea__describe_line(d, 0, "unrecognised evidence, %zu bytes, starting %s", len,
                                 n > 0 ? first : "(empty)"));
    ATEA_FAIL(ATEA_ERR_EVIDENCE_TYPE_UNKNOWN,
              "the first bytes '%s' start no TDX quote, SNP report or certificate table, CCA "
              "token, sim evidence or CMW",
              first);
out:
    return err;
}

static atea_err describe_node(atea__describe *d, const atea_cmw *n, const char *label);

/* A record's value, by its media type. */
static atea_err describe_record_value(atea__describe *d, const atea_cmw *n)
{
    atea_err err = ATEA_OK;
    const uint8_t *v = n->value.data;
    size_t len = n->value.len;
    atea_cmw_mt mt = n->media_type != NULL
                         ? atea_cmw_media_type_lookup(n->media_type, strlen(n->media_type))
                         : ATEA_CMW_MT_UNKNOWN;
    switch (mt) {
    case ATEA_CMW_MT_TDX_QUOTE:
        ATEA_TRY(atea__describe_tdx(d, v, len));
        break;
    case ATEA_CMW_MT_SNP_REPORT:
        ATEA_TRY(atea__describe_snp(d, v, len));
        break;
    case ATEA_CMW_MT_CCA_TOKEN:
        ATEA_TRY(atea__describe_cca(d, v, len));
        break;
    case ATEA_CMW_MT_SIM_EVIDENCE:
        ATEA_TRY(atea__describe_sim(d, v, len));
        break;
    case ATEA_CMW_MT_CMW_CBOR:
    case ATEA_CMW_MT_CMW_JSON:
        if (d->depth >= ATEA_DESCRIBE_MAX_DEPTH) {
            (void)atea__err_set(ATEA_ERR_CMW_DEPTH, __FILE__, __LINE__,
                                "CMW records nest CMWs deeper than %u levels",
                                ATEA_DESCRIBE_MAX_DEPTH);
            ATEA_TRY(atea__describe_malformed(d, ATEA_ERR_CMW_DEPTH));
        }
        d->depth++;
        err = describe_cmw(d, v, len);
        d->depth--;
        ATEA_TRY(err);
        break;
    case ATEA_CMW_MT_TPM2_QUOTE:
        ATEA_TRY(atea__describe_line(d, 0, "(a TPM quote part outside its collection)"));
        break;
    case ATEA_CMW_MT_EAR_JWT:
        ATEA_TRY(atea__describe_line(d, 0, "(an attestation result, not evidence: not described)"));
        break;
    case ATEA_CMW_MT_TCG2_EVENTLOG:
        ATEA_TRY(atea__describe_line(d, 0, "(an event log, replayed against its quote's RTMRs)"));
        break;
    case ATEA_CMW_MT_UNKNOWN:
        if (n->media_type != NULL && strcmp(n->media_type, ATEA_TSM_SNP_MT_CERTS) == 0) {
            ATEA_TRY(atea__describe_snp_cert_table(d, v, len));
            break;
        }
        ATEA_TRY(atea__describe_line(d, 0, "(a type atea does not describe)"));
        break;
    }
out:
    return err;
}

/* The writer is full or memory ran out: nothing more can be written. */
static int output_failed(atea_err err)
{
    return err == ATEA_ERR_BUFFER_TOO_SMALL || err == ATEA_ERR_TOO_LARGE ||
           err == ATEA_ERR_NO_MEMORY;
}

/* Composite evidence: every entry is described even if an earlier one is malformed (each says
 * so in the text); the first failure is returned, with its detail. */
static atea_err describe_entries(atea__describe *d, const atea_cmw *n)
{
    atea_err err = ATEA_OK;
    atea_err first = ATEA_OK;
    char first_detail[sizeof(atea_err_last()->detail)] = "";
    for (size_t i = 0; i < n->n_entries; i++) {
        char lab[ATEA_CMW_MAX_LABEL_LEN + 32];
        const atea_cmw_label *l = &n->entries[i].label;
        if (l->is_text) {
            (void)snprintf(lab, sizeof(lab), "\"%s\": ", l->text);
        } else {
            (void)snprintf(lab, sizeof(lab), "%lld: ", (long long)l->num);
        }
        atea_err entry = describe_node(d, n->entries[i].cmw, lab);
        if (entry != ATEA_OK && (output_failed(entry) || first == ATEA_OK)) {
            first = entry;
            (void)snprintf(first_detail, sizeof(first_detail), "%s", atea_err_detail(entry));
        }
        if (output_failed(entry)) {
            break;
        }
    }
    if (first != ATEA_OK) {
        ATEA_FAIL(first, "%s", first_detail);
    }
out:
    return err;
}

static atea_err describe_collection(atea__describe *d, const atea_cmw *n, const char *label)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea__describe_line(d, 0, "%scollection of %zu entries%s%s%s", label, n->n_entries,
                                 n->ctype != NULL ? " (__cmwc_t \"" : "",
                                 n->ctype != NULL ? n->ctype : "", n->ctype != NULL ? "\")" : ""));
    d->indent++;
    /* The TPM quote's four parts only make sense together. */
    const atea_cmw *quote = atea_cmw_find(n, ATEA_TPM_LABEL_ATTEST);
    if (quote != NULL && quote->kind == ATEA_CMW_RECORD && quote->media_type != NULL &&
        atea_cmw_media_type_lookup(quote->media_type, strlen(quote->media_type)) ==
            ATEA_CMW_MT_TPM2_QUOTE) {
        ATEA_TRY(atea__describe_tpm(d, n));
        goto out;
    }
    ATEA_TRY(describe_entries(d, n));
out:
    d->indent--;
    return err;
}

static atea_err describe_node(atea__describe *d, const atea_cmw *n, const char *label)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    switch (n->kind) {
    case ATEA_CMW_COLLECTION:
        ATEA_TRY(describe_collection(d, n, label));
        break;
    case ATEA_CMW_RECORD:
        if (n->media_type != NULL) {
            ATEA_TRY(atea__describe_line(d, 0, "%srecord \"%s\", %zu bytes", label, n->media_type,
                                         n->value.len));
        } else {
            ATEA_TRY(atea__describe_line(d, 0, "%srecord Content-Format %u, %zu bytes", label,
                                         (unsigned)n->content_format, n->value.len));
        }
        d->indent++;
        ATEA_TRY(describe_record_value(d, n));
        break;
    case ATEA_CMW_TAG:
        ATEA_TRY(atea__describe_line(d, 0,
                                     "%stag %llu (Content-Format %u), %zu bytes: not "
                                     "described",
                                     label, (unsigned long long)n->tag, (unsigned)n->content_format,
                                     n->value.len));
        break;
    }
out:
    d->indent = indent;
    return err;
}

static atea_err describe_cmw(atea__describe *d, const uint8_t *in, size_t len)
{
    atea_err err = ATEA_OK;
    unsigned indent = d->indent;
    atea_cmw *tree = NULL;
    ATEA_TRY(atea__describe_banner(d, "CMW (RFC 9999), %zu bytes", len));
    d->indent++;
    atea_err decoded = atea_cmw_decode(in, len, NULL, &tree);
    if (decoded != ATEA_OK) {
        ATEA_TRY(atea__describe_malformed(d, decoded));
    }
    ATEA_TRY(describe_node(d, tree, ""));
out:
    atea_cmw_free(tree);
    d->indent = indent;
    return err;
}

atea_err atea_evidence_describe_as(atea_evidence_format format, const uint8_t *in, size_t len,
                                   struct atea_wr *out)
{
    static const uint8_t empty[1] = {0};
    atea_err err = ATEA_OK;
    atea__describe d = {.out = out};
    ATEA_ENSURE(out != NULL && (in != NULL || len == 0), ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_DESCRIBE_MAX_INPUT, ATEA_ERR_TOO_LARGE,
                    "evidence of %zu bytes exceeds %u", len, (unsigned)ATEA_DESCRIBE_MAX_INPUT);
    /* The parsers want a pointer even for no bytes. */
    const uint8_t *data = in != NULL ? in : empty;
    if (format == ATEA_EVIDENCE_FORMAT_UNKNOWN) {
        format = atea_evidence_detect(data, len);
    }
    for (size_t i = 0; i < ATEA_ARRAY_LEN(FORMATS); i++) {
        if (FORMATS[i].format == format) {
            ATEA_TRY(FORMATS[i].fn(&d, data, len));
            goto out;
        }
    }
    ATEA_FAIL(ATEA_ERR_INVALID_ARG, "evidence format %d is not one of atea_evidence_format",
              (int)format);
out:
    return err;
}

atea_err atea_evidence_describe(const uint8_t *in, size_t len, struct atea_wr *out)
{
    return atea_evidence_describe_as(ATEA_EVIDENCE_FORMAT_UNKNOWN, in, len, out);
}
