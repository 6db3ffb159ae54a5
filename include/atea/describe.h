/*
 * Human-readable descriptions of TEE evidence, for `atea inspect`.
 *
 * atea_evidence_describe recognises a piece of evidence by its first bytes and writes an indented
 * text dump of every field, named as in the platform's specification:
 *   - Intel TDX quote v4 / v5 (Intel DCAP ECDSA quote; evidence-formats.md §2): header, TD report
 *     body (TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM, SEAM_ATTRIBUTES, TD_ATTRIBUTES with its flags,
 *     XFAM with its features, MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG, RTMR0-3, REPORTDATA,
 *     TEE_TCB_SVN2 and MRSERVICETD for TDX 1.5), the signature data, the QE report, the QE auth
 *     data and the PCK certificates (subject, issuer, validity);
 *   - AMD SEV-SNP ATTESTATION_REPORT (SEV-SNP ABI 56860; evidence-formats.md §3): every field,
 *     POLICY and PLATFORM_INFO flags, signer info, TCB_VERSION parts for the product, signature
 *     r/s; and the extended-report certificate table (GHCB 56421 §4.1.8.1) with its certificates;
 *   - Arm CCA attestation token (tag 399 or 907; draft-ffm-rats-cca-token): both COSE_Sign1 tokens,
 *     realm and platform claims by name, software components;
 *   - atea's simulated-TEE evidence (COSE_Sign1, docs/evidence/SIM.md): header, x5chain, claims;
 *   - a TPM 2.0 quote collection (include/atea/tpm.h): TPMS_ATTEST, TPMT_SIGNATURE, PCR values, AK;
 *   - any CMW (RFC 9999, CBOR or JSON): records and collections are walked and each evidence
 *     value is described by its media type.
 *
 * It only DECODES. Nothing is verified: no signature, certificate chain, binding or policy. The
 * first line of every description says so ("not verified: use atea verify").
 *
 * Byte fields are written in lowercase hex, 64 hex digits (32 bytes) per line: a field of up to
 * 32 bytes is "NAME: <hex>" on one line, a longer one is "NAME:" followed by indented hex lines.
 * Values over ATEA_DESCRIBE_MAX_HEX bytes are cut, with the number of bytes left out.
 */
#ifndef ATEA_DESCRIBE_H
#define ATEA_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one field shown in hex before the rest is elided. */
#define ATEA_DESCRIBE_MAX_HEX 1024u
/* CMW records whose value is itself a CMW are described to this nesting depth. */
#define ATEA_DESCRIBE_MAX_DEPTH 4u
/* Largest input described (the CMW decoder's cap, the largest of any format inside). */
#define ATEA_DESCRIBE_MAX_INPUT (256u * 1024u)

typedef enum atea_evidence_format {
    ATEA_EVIDENCE_FORMAT_UNKNOWN = 0,
    ATEA_EVIDENCE_FORMAT_TDX,            /* raw Intel TDX quote v4 / v5 */
    ATEA_EVIDENCE_FORMAT_SNP,            /* raw AMD SEV-SNP attestation report */
    ATEA_EVIDENCE_FORMAT_SNP_CERT_TABLE, /* SEV-SNP extended-report certificate table (auxblob) */
    ATEA_EVIDENCE_FORMAT_CCA,            /* Arm CCA token, tag 399 or 907 */
    ATEA_EVIDENCE_FORMAT_SIM,            /* atea simulated-TEE COSE_Sign1 */
    ATEA_EVIDENCE_FORMAT_TPM_COLLECTION, /* CMW collection holding a TPM 2.0 quote */
    ATEA_EVIDENCE_FORMAT_CMW,            /* any other CMW (CBOR or JSON) */
} atea_evidence_format;

/*
 * What in[0..len) looks like, from its first bytes: TDX header (version 4/5, key type 2, TEE type
 * 0x81), SNP report (VERSION 2..5 and SIGNATURE_ALGO 1, or exactly 0x4A0 bytes with VERSION
 * 2..5), an SNP certificate table (a known certificate GUID first), CBOR tag 399/907 (CCA),
 * tag 18 with a 4-element array (sim), a CMW (RFC 9999 §4.6 demultiplexing; a CMW that decodes
 * to a TPM quote collection is TPM_COLLECTION). Only a CMW is decoded to decide. Never fails:
 * UNKNOWN if nothing fits (also for in == NULL).
 */
atea_evidence_format atea_evidence_detect(const uint8_t *in, size_t len);

/* Short name ("tdx", "snp", "snp-cert-table", "cca", "sim", "tpm-collection", "cmw",
 * "unknown"), never NULL. */
const char *atea_evidence_format_name(atea_evidence_format format);

/* A short description ("Intel TDX quote"), never NULL. */
const char *atea_evidence_format_desc(atea_evidence_format format);

/* The format with that short name; ATEA_EVIDENCE_FORMAT_UNKNOWN if none (including "unknown"). */
atea_evidence_format atea_evidence_format_from_name(const char *name);

struct atea_wr;

/*
 * Detect the format (atea_evidence_detect) and append its description to out (a writer of
 * src/core/wr.h, usually growable). On malformed input, out keeps everything decoded up to the
 * fault followed by a line "malformed: <ATEA_ERR_NAME>: <detail>", and the parser's code is
 * returned with the same detail (atea_err_last), which names the offset (for a piece inside a
 * CMW: the offset inside that record's value). In a CMW collection every entry is described even
 * after a malformed one (each says so where it stops); the first failure is returned.
 * Errors: ATEA_ERR_INVALID_ARG (out NULL, in NULL with len > 0); ATEA_ERR_EVIDENCE_TYPE_UNKNOWN
 * (nothing recognised; the text says which first bytes were seen); the platform parsers' codes:
 *   TDX  ATEA_ERR_TRUNCATED, ATEA_ERR_TOO_LARGE, ATEA_ERR_TDX_BAD_HEADER,
 *        ATEA_ERR_TDX_BAD_CERT_DATA, ATEA_ERR_TRAILING (atea_tdx_quote_parse);
 *   SNP  ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING, ATEA_ERR_SNP_VERSION, ATEA_ERR_SNP_SIG_ALGO,
 *        ATEA_ERR_SNP_SIGNING_KEY, ATEA_ERR_SNP_RESERVED (atea_snp_report_parse);
 *        certificate table: ATEA_ERR_TOO_LARGE, ATEA_ERR_TRUNCATED, ATEA_ERR_SNP_CERT_TABLE;
 *   CCA  ATEA_ERR_CCA_FORMAT, ATEA_ERR_CCA_COSE, ATEA_ERR_CCA_COSE_ALG, ATEA_ERR_CCA_CLAIM,
 *        ATEA_ERR_CCA_SW_COMPONENT, ATEA_ERR_CCA_HASH_ALG, ATEA_ERR_TOO_LARGE and the CBOR codes;
 *   sim  ATEA_ERR_SIM_MALFORMED, ATEA_ERR_TOO_LARGE and the CBOR codes (atea_sim_evidence_parse);
 *   TPM  ATEA_ERR_TPM_MISSING_PART, ATEA_ERR_TPM_BAD_MAGIC, ATEA_ERR_TPM_NOT_QUOTE,
 *        ATEA_ERR_TPM_UNSUPPORTED_ALG, ATEA_ERR_TPM_PCR_SELECTION and the decode codes;
 *   CMW  the codes of atea_cmw_decode; ATEA_ERR_CMW_DEPTH (records holding CMWs nested deeper
 *        than ATEA_DESCRIBE_MAX_DEPTH);
 * ATEA_ERR_TOO_LARGE for an input over ATEA_DESCRIBE_MAX_INPUT;
 * and the writer's ATEA_ERR_TOO_LARGE / ATEA_ERR_BUFFER_TOO_SMALL / ATEA_ERR_NO_MEMORY when out
 * is full.
 */
atea_err atea_evidence_describe(const uint8_t *in, size_t len, struct atea_wr *out) ATEA_MUST_USE;

/* The same for a format the caller names (`atea inspect --type`); format UNKNOWN behaves as
 * atea_evidence_describe. Errors as above. */
atea_err atea_evidence_describe_as(atea_evidence_format format, const uint8_t *in, size_t len,
                                   struct atea_wr *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
