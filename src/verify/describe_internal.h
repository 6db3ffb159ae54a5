/*
 * Shared pieces of the evidence describer (include/atea/describe.h): an indenting line writer,
 * hex wrapping, fixed-layout field tables (TDX, SNP, the QE report), X.509 summaries and a
 * generic CBOR value printer for COSE-based tokens (CCA, sim). Internal to src/verify/describe*.c.
 */
#ifndef ATEA_VERIFY_DESCRIBE_INTERNAL_H
#define ATEA_VERIFY_DESCRIBE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "atea/describe.h"
#include "core/cbor.h"
#include "core/rd.h"
#include "core/wr.h"

/* Hex digits per output line (32 bytes). */
#define ATEA_DESCRIBE_HEX_LINE_BYTES 32u
/* Longest line the writer formats (longer text is cut). */
#define ATEA_DESCRIBE_MAX_LINE 512u
/* Certificates summarised from one PEM bundle (TDX PCK chain: 3). */
#define ATEA_DESCRIBE_MAX_PEM_CERTS 8u
/* Nesting of CBOR values printed (claims inside arrays inside maps...). */
#define ATEA_DESCRIBE_MAX_CBOR_DEPTH 8u

typedef struct atea__describe {
    atea_wr *out;
    unsigned indent; /* two spaces per level */
    unsigned depth;  /* CMW-in-CMW nesting */
    int snp_product; /* atea_snp_product of the report being described, for TCB_VERSION notes */
} atea__describe;

/* One line at the current indent + extra levels. */
atea_err atea__describe_line(atea__describe *d, unsigned extra, const char *fmt, ...)
    ATEA_PRINTF(3, 4) ATEA_MUST_USE;

/* "name: hex" (up to 32 bytes) or "name:" and wrapped hex lines, elided past
 * ATEA_DESCRIBE_MAX_HEX. An empty value prints "name: (empty)". */
atea_err atea__describe_hex(atea__describe *d, const char *name, const uint8_t *p,
                            size_t n) ATEA_MUST_USE;

/* The header line every description starts with: "<what> (decoded only, not verified: use atea
 * verify)". */
atea_err atea__describe_banner(atea__describe *d, const char *fmt, ...)
    ATEA_PRINTF(2, 3) ATEA_MUST_USE;

/* End a description that failed with `failure` (a parser's code whose detail is current):
 * write "malformed: NAME: detail" and return failure with the same detail. If the line cannot
 * be written, the writer's error is returned instead. */
atea_err atea__describe_malformed(atea__describe *d, atea_err failure) ATEA_MUST_USE;

/* The end of every format's description: the walk (what was printed) ran first, the strict
 * parser last. A parser failure is written (atea__describe_malformed, one level in) and returned;
 * otherwise the walk's own result (a full writer, say). */
atea_err atea__describe_verdict(atea__describe *d, atea_err walked, atea_err parsed) ATEA_MUST_USE;

/* Write the names of the set bits of v from names[0..n) (NULL = reserved bit "bit N") as one
 * line "label: A, B, C" (or "label: none"). */
atea_err atea__describe_flags(atea__describe *d, const char *label, uint64_t v,
                              const char *const *names, size_t n) ATEA_MUST_USE;

/* ---- fixed layouts ---- */

typedef enum atea__field_kind {
    ATEA_FIELD_HEX,      /* bytes, in hex */
    ATEA_FIELD_UINT,     /* little-endian integer of 1, 2, 4 or 8 bytes */
    ATEA_FIELD_RESERVED, /* shown only if not all zero */
    ATEA_FIELD_NOTE,     /* shown only by its note */
} atea__field_kind;

/* Extra lines for a field (flags, parts), given its raw bytes. */
typedef atea_err (*atea__field_note)(atea__describe *d, const uint8_t *raw, size_t n);

typedef struct atea__field {
    const char *name;
    size_t size;
    atea__field_kind kind;
    atea__field_note note; /* may be NULL */
} atea__field;

/* Read and print fields[0..n) in order from rd. Stops at the first field that does not fit
 * (ATEA_ERR_TRUNCATED naming the field and its offset). */
atea_err atea__describe_fields(atea__describe *d, atea_rd *rd, const atea__field *fields,
                               size_t n) ATEA_MUST_USE;

/* Little-endian value of raw[0..n), n <= 8. */
uint64_t atea__describe_le(const uint8_t *raw, size_t n);

/* ---- certificates ---- */

/* Subject, issuer, serial, validity and key of one DER certificate, at indent + 1. A DER that
 * does not parse is reported as such (not an error: the describer only decodes). */
atea_err atea__describe_cert_der(atea__describe *d, const char *title, const uint8_t *der,
                                 size_t len) ATEA_MUST_USE;

/* Extra lines about one certificate of a bundle (its index, leaf first). */
typedef atea_err (*atea__cert_note)(atea__describe *d, size_t index, X509 *cert);

/* The same for each certificate of a PEM bundle; note (may be NULL) adds lines to each. */
atea_err atea__describe_cert_pem(atea__describe *d, const uint8_t *pem, size_t len,
                                 atea__cert_note note) ATEA_MUST_USE;

/* ---- CBOR / COSE ---- */

/* A claim name for an integer key, or NULL. */
typedef const char *(*atea__claim_namer)(int64_t key);

/* Print one CBOR item as "label: value" (maps and arrays nested below it). namer names the
 * integer keys of maps at this level (NULL: numbers only). */
atea_err atea__describe_cbor_item(atea__describe *d, atea_cbor_rd *c, const char *label,
                                  atea__claim_namer namer, unsigned depth) ATEA_MUST_USE;

/* Walk a COSE_Sign1 (RFC 9052 §4.2; optional tag 18): protected header (alg named), unprotected
 * header (x5chain certificates summarised), payload claims (a map, keys named by namer) and the
 * signature. c must hold exactly the COSE_Sign1. */
atea_err atea__describe_cose_sign1(atea__describe *d, atea_cbor_rd *c,
                                   atea__claim_namer namer) ATEA_MUST_USE;

/* ---- formats (describe_<platform>.c) ---- */

atea_err atea__describe_tdx(atea__describe *d, const uint8_t *in, size_t len) ATEA_MUST_USE;
atea_err atea__describe_snp(atea__describe *d, const uint8_t *in, size_t len) ATEA_MUST_USE;
atea_err atea__describe_snp_cert_table(atea__describe *d, const uint8_t *in,
                                       size_t len) ATEA_MUST_USE;
atea_err atea__describe_cca(atea__describe *d, const uint8_t *in, size_t len) ATEA_MUST_USE;
atea_err atea__describe_sim(atea__describe *d, const uint8_t *in, size_t len) ATEA_MUST_USE;

struct atea_cmw;
/* The TPM quote collection found in (or under) cmw. */
atea_err atea__describe_tpm(atea__describe *d, const struct atea_cmw *cmw) ATEA_MUST_USE;

/* 1 if in[0..len) starts with one of the SNP certificate table's known GUIDs. */
int atea__describe_is_snp_cert_table(const uint8_t *in, size_t len);

#endif
