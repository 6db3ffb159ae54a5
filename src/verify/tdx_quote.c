/*
 * TDX quote v4 / v5 parser (evidence-formats.md §2.1-2.4; Intel sgx_quote_4.h, sgx_quote_5.h).
 * Pure layout: no cryptography here. Every field is read through atea_rd; sizes that the quote
 * declares must agree with each other exactly, except the bytes after the signature data, which
 * real quotes carry (padding, test markers) and which are tolerated and reported.
 */
#include <string.h>

#include "atea/tdx.h"
#include "core/check.h"
#include "core/rd.h"
#include "verify/tdx_internal.h"

#define TDX_HEADER_LEN 48
#define TDX_BODY_V10_LEN 584 /* sgx_report2_body_t */
#define TDX_BODY_V15_LEN 648 /* sgx_report2_body_v1_5_t */
#define TDX_QE_REPORT_LEN 384
#define TDX_CERT_TYPE_PCK_CHAIN 5
#define TDX_CERT_TYPE_QE_REPORT 6
#define TDX_BODY_TYPE_TDX10 2
#define TDX_BODY_TYPE_TDX15 3

static atea_err parse_header(atea_rd *rd, atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_rd_u16le(rd, &q->version));
    ATEA_TRY(atea_rd_u16le(rd, &q->att_key_type));
    ATEA_TRY(atea_rd_u32le(rd, &q->tee_type));
    ATEA_ENSURE_MSG(q->version == 4 || q->version == 5, ATEA_ERR_TDX_BAD_HEADER,
                    "quote version %u (expected 4 or 5)", q->version);
    ATEA_ENSURE_MSG(q->att_key_type == 2, ATEA_ERR_TDX_BAD_HEADER,
                    "attestation key type %u (only 2 = ECDSA P-256 is supported)", q->att_key_type);
    ATEA_ENSURE_MSG(q->tee_type == 0x81, ATEA_ERR_TDX_BAD_HEADER,
                    "TEE type 0x%x (expected 0x81 = TDX)", q->tee_type);
    /* bytes 8..11: reserved in Intel's v4 header (PCE/QE SVN in go-tdx-guest); not checked. */
    ATEA_TRY(atea_rd_skip(rd, 4));
    ATEA_TRY(atea_rd_copy(rd, q->qe_vendor_id, sizeof(q->qe_vendor_id)));
    ATEA_TRY(atea_rd_copy(rd, q->user_data, sizeof(q->user_data)));
out:
    return err;
}

/* sgx_report2_body_t (§2.2), and for TDX 1.5 TEE_TCB_SVN2 and MRSERVICETD after it. */
static atea_err parse_body(atea_rd *body, int tdx15, atea_tdx_td_body *b)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_rd_copy(body, b->tee_tcb_svn, sizeof(b->tee_tcb_svn)));
    ATEA_TRY(atea_rd_copy(body, b->mrseam, sizeof(b->mrseam)));
    ATEA_TRY(atea_rd_copy(body, b->mrsignerseam, sizeof(b->mrsignerseam)));
    ATEA_TRY(atea_rd_copy(body, b->seam_attributes, sizeof(b->seam_attributes)));
    ATEA_TRY(atea_rd_copy(body, b->td_attributes, sizeof(b->td_attributes)));
    ATEA_TRY(atea_rd_copy(body, b->xfam, sizeof(b->xfam)));
    ATEA_TRY(atea_rd_copy(body, b->mrtd, sizeof(b->mrtd)));
    ATEA_TRY(atea_rd_copy(body, b->mrconfigid, sizeof(b->mrconfigid)));
    ATEA_TRY(atea_rd_copy(body, b->mrowner, sizeof(b->mrowner)));
    ATEA_TRY(atea_rd_copy(body, b->mrownerconfig, sizeof(b->mrownerconfig)));
    for (size_t i = 0; i < 4; i++) {
        ATEA_TRY(atea_rd_copy(body, b->rtmr[i], sizeof(b->rtmr[i])));
    }
    ATEA_TRY(atea_rd_copy(body, b->report_data, sizeof(b->report_data)));
    b->is_tdx15 = tdx15;
    if (tdx15) {
        ATEA_TRY(atea_rd_copy(body, b->tee_tcb_svn2, sizeof(b->tee_tcb_svn2)));
        ATEA_TRY(atea_rd_copy(body, b->mrservicetd, sizeof(b->mrservicetd)));
    }
    ATEA_TRY(atea_rd_end(body));
out:
    return err;
}

/* v4: the body follows the header. v5: u16 body type, u32 body size, body (§2.3). */
static atea_err parse_any_body(atea_rd *rd, atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    atea_rd body;
    uint32_t body_size = TDX_BODY_V10_LEN;
    q->body_type = TDX_BODY_TYPE_TDX10;
    if (q->version == 5) {
        ATEA_TRY(atea_rd_u16le(rd, &q->body_type));
        ATEA_TRY(atea_rd_u32le(rd, &body_size));
        ATEA_ENSURE_MSG(q->body_type == TDX_BODY_TYPE_TDX10 || q->body_type == TDX_BODY_TYPE_TDX15,
                        ATEA_ERR_TDX_BAD_HEADER,
                        "v5 body type %u (expected 2 = TDX 1.0 or 3 = TDX 1.5; 1 = SGX)",
                        q->body_type);
        uint32_t want = q->body_type == TDX_BODY_TYPE_TDX15 ? TDX_BODY_V15_LEN : TDX_BODY_V10_LEN;
        ATEA_ENSURE_MSG(body_size == want, ATEA_ERR_TDX_BAD_HEADER,
                        "v5 body type %u declares %u bytes (expected %u)", q->body_type, body_size,
                        want);
    }
    ATEA_TRY(atea_rd_sub(rd, body_size, &body));
    ATEA_TRY(parse_body(&body, q->body_type == TDX_BODY_TYPE_TDX15, &q->body));
out:
    return err;
}

/* The QE report (SGX REPORT_BODY, 384 bytes). Reserved fields are not interpreted. */
static atea_err parse_qe_report(atea_rd *rd, atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    atea_rd r;
    atea_tdx_qe_report *qe = &q->qe_report;
    ATEA_TRY(atea_rd_slice(rd, TDX_QE_REPORT_LEN, &q->qe_report_raw));
    atea_rd_init(&r, q->qe_report_raw.data, q->qe_report_raw.len);
    r.base = atea_rd_pos(rd) - TDX_QE_REPORT_LEN;
    ATEA_TRY(atea_rd_copy(&r, qe->cpusvn, sizeof(qe->cpusvn)));
    ATEA_TRY(atea_rd_u32le(&r, &qe->miscselect));
    ATEA_TRY(atea_rd_skip(&r, 28));
    ATEA_TRY(atea_rd_copy(&r, qe->attributes, sizeof(qe->attributes)));
    ATEA_TRY(atea_rd_copy(&r, qe->mrenclave, sizeof(qe->mrenclave)));
    ATEA_TRY(atea_rd_skip(&r, 32));
    ATEA_TRY(atea_rd_copy(&r, qe->mrsigner, sizeof(qe->mrsigner)));
    ATEA_TRY(atea_rd_skip(&r, 96));
    ATEA_TRY(atea_rd_u16le(&r, &qe->isvprodid));
    ATEA_TRY(atea_rd_u16le(&r, &qe->isvsvn));
    ATEA_TRY(atea_rd_skip(&r, 60));
    ATEA_TRY(atea_rd_copy(&r, qe->report_data, sizeof(qe->report_data)));
    ATEA_TRY(atea_rd_end(&r));
out:
    return err;
}

/* Certification data: u16 type, u32 size, then exactly `size` bytes as a sub-reader. */
static atea_err open_cert_data(atea_rd *rd, uint16_t want_type, atea_rd *data)
{
    atea_err err = ATEA_OK;
    uint16_t type = 0;
    uint32_t size = 0;
    size_t at = atea_rd_pos(rd);
    ATEA_TRY(atea_rd_u16le(rd, &type));
    ATEA_TRY(atea_rd_u32le(rd, &size));
    ATEA_ENSURE_MSG(type == want_type, ATEA_ERR_TDX_BAD_CERT_DATA,
                    "certification data type %u at offset %zu (expected %u)", type, at, want_type);
    ATEA_ENSURE_MSG(size <= ATEA_TDX_MAX_CERT_DATA_SIZE, ATEA_ERR_TOO_LARGE,
                    "certification data of %u bytes at offset %zu exceeds %d", size, at,
                    ATEA_TDX_MAX_CERT_DATA_SIZE);
    ATEA_ENSURE_MSG(size == atea_rd_left(rd), ATEA_ERR_TDX_BAD_CERT_DATA,
                    "certification data type %u at offset %zu declares %u bytes, %zu remain", type,
                    at, size, atea_rd_left(rd));
    ATEA_TRY(atea_rd_sub(rd, size, data));
out:
    return err;
}

/* QE report certification data (type 6): QE report, its signature, QE auth data, then the
 * PCK chain (type 5). The PEM may end in NULs (v5 sample); they are not part of the PEM. */
static atea_err parse_qe_cert_data(atea_rd *rd, atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    atea_rd outer;
    atea_rd auth;
    atea_rd chain;
    ATEA_TRY(open_cert_data(rd, TDX_CERT_TYPE_QE_REPORT, &outer));
    ATEA_TRY(parse_qe_report(&outer, q));
    ATEA_TRY(atea_rd_copy(&outer, q->qe_report_signature, sizeof(q->qe_report_signature)));
    ATEA_TRY(atea__tdx_rd_vec_le16(&outer, ATEA_TDX_MAX_QE_AUTH_DATA, &auth));
    q->qe_auth_data.data = auth.data;
    q->qe_auth_data.len = auth.len;
    ATEA_TRY(open_cert_data(&outer, TDX_CERT_TYPE_PCK_CHAIN, &chain));
    size_t pem_len = chain.len;
    while (pem_len > 0 && chain.data[pem_len - 1] == 0) {
        pem_len--;
    }
    ATEA_ENSURE_MSG(pem_len > 0, ATEA_ERR_TDX_BAD_CERT_DATA, "the PCK chain is empty");
    ATEA_TRY(atea_rd_slice(&chain, pem_len, &q->pck_chain_pem));
    ATEA_TRY(atea_rd_skip(&chain, chain.len - pem_len));
    ATEA_TRY(atea_rd_end(&chain));
    ATEA_TRY(atea_rd_end(&outer));
out:
    return err;
}

/* sgx_ecdsa_sig_data_v4_t (§2.4). */
static atea_err parse_signature_data(atea_rd *sig, atea_tdx_quote *q)
{
    atea_err err = ATEA_OK;
    ATEA_TRY(atea_rd_copy(sig, q->signature, sizeof(q->signature)));
    ATEA_TRY(atea_rd_copy(sig, q->attestation_key, sizeof(q->attestation_key)));
    ATEA_TRY(parse_qe_cert_data(sig, q));
    ATEA_TRY(atea_rd_end(sig));
out:
    return err;
}

atea_err atea_tdx_quote_parse(const uint8_t *quote, size_t len, atea_tdx_quote *out)
{
    atea_err err = ATEA_OK;
    atea_rd rd;
    atea_rd sig;
    uint32_t sig_len = 0;
    ATEA_ENSURE(quote != NULL && out != NULL, ATEA_ERR_INVALID_ARG);
    ATEA_ENSURE_MSG(len <= ATEA_TDX_MAX_QUOTE_SIZE, ATEA_ERR_TOO_LARGE,
                    "quote of %zu bytes exceeds %d", len, ATEA_TDX_MAX_QUOTE_SIZE);
    memset(out, 0, sizeof(*out));
    atea_rd_init(&rd, quote, len);
    ATEA_ENSURE_MSG(len >= TDX_HEADER_LEN, ATEA_ERR_TRUNCATED,
                    "quote of %zu bytes is shorter than its %d-byte header", len, TDX_HEADER_LEN);
    ATEA_TRY(parse_header(&rd, out));
    ATEA_TRY(parse_any_body(&rd, out));
    /* Everything before signature_data_len is signed (§2.2, §2.3). */
    out->signed_region.data = quote;
    out->signed_region.len = rd.off;
    ATEA_TRY(atea_rd_u32le(&rd, &sig_len));
    ATEA_ENSURE_MSG(sig_len <= atea_rd_left(&rd), ATEA_ERR_TRUNCATED,
                    "signature data of %u bytes at offset %zu, only %zu remain", sig_len,
                    atea_rd_pos(&rd), atea_rd_left(&rd));
    ATEA_TRY(atea_rd_sub(&rd, sig_len, &sig));
    ATEA_TRY(parse_signature_data(&sig, out));
    out->trailing_len = atea_rd_left(&rd);
out:
    return err;
}
