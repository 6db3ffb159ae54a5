/*
 * RATS Conceptual Message Wrappers (CMW, RFC 9999): records, tags and collections, in CBOR and
 * JSON, decoded into a small owned tree and encoded back byte for byte.
 *
 *   record      [type, value, ind?]   type = media type text, or CoAP Content-Format (CBOR only)
 *   tag         #6.TN(cf)(bytes)      CBOR only; TN() of RFC 9277 Appendix B
 *   collection  { ?"__cmwc_t": uri/oid, + label => cmw }   labels int/text (CBOR), text (JSON)
 *
 * Decoding is bounded: the input size, the nesting of collections, the entries of one collection
 * and the nodes of the tree are capped (atea_cmw_limits, defaults ATEA_CMW_MAX_*), and every cap
 * is checked before anything is allocated for it. Values are copied, so a decoded tree does not
 * borrow the input. See docs/CMW.md for the choices (tag table, ind range, JSON details).
 */
#ifndef ATEA_CMW_H
#define ATEA_CMW_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default caps (RFC 9999 §3.3: "implementations MAY limit the allowed depth of nesting").
 * The CMW in cmw_attestation is at most 65533 bytes; files given to `atea inspect` may be larger.
 */
#define ATEA_CMW_MAX_INPUT (256u * 1024u) /* bytes of one encoded CMW */
#define ATEA_CMW_MAX_DEPTH 4u             /* nested collections (a top-level collection is 1) */
#define ATEA_CMW_MAX_ENTRIES 32u          /* entries in one collection, __cmwc_t not counted */
#define ATEA_CMW_MAX_NODES 128u           /* records, tags and collections in one CMW */
#define ATEA_CMW_MAX_TYPE_LEN 512u        /* bytes of a media type (RFC 6838 names + parameters) */
#define ATEA_CMW_MAX_LABEL_LEN 256u       /* bytes of a text label */
#define ATEA_CMW_MAX_CTYPE_LEN 512u       /* bytes of __cmwc_t */
/* Hard upper bound for a caller's max_depth: decoding recurses once per collection level. */
#define ATEA_CMW_DEPTH_LIMIT 32u

/* The "ind" bits (RFC 9999 §3.1.1, cm-type): bit positions as values. */
#define ATEA_CMW_IND_REFERENCE_VALUES 0x01u
#define ATEA_CMW_IND_ENDORSEMENTS 0x02u
#define ATEA_CMW_IND_EVIDENCE 0x04u
#define ATEA_CMW_IND_ATTESTATION_RESULTS 0x08u
#define ATEA_CMW_IND_APPRAISAL_POLICY 0x10u
/* Only these five bits are registered; RFC 9999 limits acceptable values to 1..31. */
#define ATEA_CMW_IND_KNOWN 0x1fu

/* TN() range (RFC 9277 Appendix B): tags 1668546817 ... 1668612095 <-> Content-Format 0..65024. */
#define ATEA_CMW_TN_MIN 1668546817ull
#define ATEA_CMW_TN_MAX 1668612095ull
#define ATEA_CMW_CF_MAX 65024u

/* RFC 9999 Table 3: the CMW media types' Content-Formats. */
#define ATEA_CMW_CF_CMW_CBOR 273u
#define ATEA_CMW_CF_CMW_JSON 274u
#define ATEA_CMW_CF_CMW_COSE 275u
#define ATEA_CMW_CF_CMW_JWS 276u

typedef enum atea_cmw_kind {
    ATEA_CMW_RECORD = 1,
    ATEA_CMW_TAG = 2,
    ATEA_CMW_COLLECTION = 3,
} atea_cmw_kind;

/* What the first byte says (RFC 9999 §4.6; leading JSON whitespace is skipped). */
typedef enum atea_cmw_form {
    ATEA_CMW_FORM_UNKNOWN = 0,
    ATEA_CMW_FORM_CBOR_RECORD,
    ATEA_CMW_FORM_CBOR_TAG,
    ATEA_CMW_FORM_CBOR_COLLECTION,
    ATEA_CMW_FORM_JSON_RECORD,
    ATEA_CMW_FORM_JSON_COLLECTION,
} atea_cmw_form;

/* atea's media types (profile.md §5; one table, src/cmw/mediatypes.c; functions below). */
typedef enum atea_cmw_mt {
    ATEA_CMW_MT_UNKNOWN = 0,
    ATEA_CMW_MT_TDX_QUOTE,  /* application/vnd.intel.tdx.quote */
    ATEA_CMW_MT_SNP_REPORT, /* application/vnd.amd.sev-snp.report */
    ATEA_CMW_MT_CCA_TOKEN,  /* application/eat-collection; profile="http://arm.com/CCA-SSD/1.0.0" */
    ATEA_CMW_MT_TPM2_QUOTE, /* application/vnd.tcg.tpm2.quote */
    ATEA_CMW_MT_SIM_EVIDENCE, /* application/vnd.atea.sim-evidence+cbor */
    ATEA_CMW_MT_EAR_JWT,      /* application/eat+jwt; eat_profile="tag:ietf.org,2026:rats/ear#03" */
    ATEA_CMW_MT_CMW_CBOR,     /* application/cmw+cbor */
    ATEA_CMW_MT_CMW_JSON,     /* application/cmw+json */
    /* application/vnd.tcg.tcg2-eventlog: a TCG2 event log (the TDX CCEL, docs/evidence/TSM.md) */
    ATEA_CMW_MT_TCG2_EVENTLOG,
} atea_cmw_mt;

typedef struct atea_cmw atea_cmw;

/* A collection label: an integer (CBOR only) or a NUL-free UTF-8 text. */
typedef struct atea_cmw_label {
    int is_text;
    int64_t num;      /* if !is_text */
    const char *text; /* if is_text; NUL-terminated, owned by the tree */
} atea_cmw_label;

typedef struct atea_cmw_entry {
    atea_cmw_label label;
    atea_cmw *cmw;
} atea_cmw_entry;

/*
 * A CMW node. Read the fields; change a tree only through the functions below. Strings are
 * NUL-terminated and owned by the node.
 */
struct atea_cmw {
    atea_cmw_kind kind;
    /* record: exactly one of media_type (non-NULL) or content_format (has_cf = 1).
     * tag: has_cf = 1 and content_format is the tag's Content-Format (atea_cmw_tag_to_cf). */
    const char *media_type;
    int has_cf;
    uint16_t content_format;
    uint64_t tag;   /* tag: the CBOR tag number */
    atea_buf value; /* record and tag: the conceptual message bytes */
    uint32_t ind;   /* record: 0 = absent, else 1..31 */
    /* collection */
    const char *ctype; /* __cmwc_t, or NULL */
    atea_cmw_entry *entries;
    size_t n_entries;
};

typedef struct atea_cmw_limits {
    size_t max_input;
    unsigned max_depth;
    size_t max_entries;
    size_t max_nodes;
} atea_cmw_limits;

/* Fill l with the ATEA_CMW_MAX_* defaults. A caller's max_depth may not exceed
 * ATEA_CMW_DEPTH_LIMIT (the decoders fail with ATEA_ERR_INVALID_ARG). */
void atea_cmw_limits_default(atea_cmw_limits *l);

/* ---- building ---- */

/* A record with a media type (validated against RFC 6838 syntax: ATEA_ERR_CMW_TYPE) or a CoAP
 * Content-Format. ind is 0 (absent) or 1..31 (ATEA_ERR_CMW_IND). The value is copied.
 * Codes: those, ATEA_ERR_INVALID_ARG, ATEA_ERR_NO_MEMORY. */
atea_err atea_cmw_new_record(const char *media_type, const uint8_t *value, size_t value_len,
                             uint32_t ind, atea_cmw **pcmw) ATEA_MUST_USE;
atea_err atea_cmw_new_record_cf(uint16_t content_format, const uint8_t *value, size_t value_len,
                                uint32_t ind, atea_cmw **pcmw) ATEA_MUST_USE;

/* A tag CMW for a Content-Format (cf <= ATEA_CMW_CF_MAX; tag number from atea_cmw_cf_to_tag).
 * Codes: ATEA_ERR_CMW_TAG, ATEA_ERR_NO_MEMORY. */
atea_err atea_cmw_new_tag(uint16_t content_format, const uint8_t *value, size_t value_len,
                          atea_cmw **pcmw) ATEA_MUST_USE;

/* An empty collection; ctype (NULL for none) must be an absolute URI or an OID
 * (ATEA_ERR_CMW_CTYPE). A collection needs at least one entry before it is encoded. */
atea_err atea_cmw_new_collection(const char *ctype, atea_cmw **pcmw) ATEA_MUST_USE;

/* Add child under a text / integer label. The collection takes ownership of child in every case
 * (on failure child is freed). Codes: ATEA_ERR_INVALID_ARG (not a collection, NULL),
 * ATEA_ERR_CMW_LABEL, ATEA_ERR_CMW_DUPLICATE, ATEA_ERR_CMW_ENTRIES (ATEA_CMW_MAX_ENTRIES),
 * ATEA_ERR_NO_MEMORY. */
atea_err atea_cmw_add(atea_cmw *collection, const char *label, atea_cmw *child) ATEA_MUST_USE;
atea_err atea_cmw_add_int(atea_cmw *collection, int64_t label, atea_cmw *child) ATEA_MUST_USE;

/* Free a node and everything under it (values wiped). NULL is fine. */
void atea_cmw_free(atea_cmw *cmw);

/* ---- walking ---- */

/* The entry under a text / integer label of a collection, or NULL. */
const atea_cmw *atea_cmw_find(const atea_cmw *collection, const char *label);
const atea_cmw *atea_cmw_find_int(const atea_cmw *collection, int64_t label);

/* The first record (depth-first, entries in order) whose media type is atea media type `mt`
 * (atea_cmw_media_type_lookup), or NULL. Useful to pick the evidence out of a collection. */
const atea_cmw *atea_cmw_find_media_type(const atea_cmw *cmw, atea_cmw_mt mt);

/* ---- decoding ---- */

/* The form announced by the first byte (JSON whitespace skipped). */
atea_cmw_form atea_cmw_demux(const uint8_t *in, size_t len);

/* Decode a CMW of any form (demultiplexed by atea_cmw_demux). limits may be NULL (defaults).
 * Codes: ATEA_ERR_TOO_LARGE (input over max_input), ATEA_ERR_CMW_FORMAT and every code of the
 * two functions below. */
atea_err atea_cmw_decode(const uint8_t *in, size_t len, const atea_cmw_limits *limits,
                         atea_cmw **pcmw) ATEA_MUST_USE;

/* CBOR record, tag or collection. Codes: ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING,
 * ATEA_ERR_CBOR_MALFORMED, ATEA_ERR_CBOR_TYPE, ATEA_ERR_CBOR_UTF8, ATEA_ERR_TOO_LARGE,
 * ATEA_ERR_CMW_RECORD, _TYPE, _VALUE, _IND, _TAG, _COLLECTION, _LABEL, _DUPLICATE, _CTYPE,
 * _DEPTH, _ENTRIES, ATEA_ERR_NO_MEMORY. */
atea_err atea_cmw_decode_cbor(const uint8_t *in, size_t len, const atea_cmw_limits *limits,
                              atea_cmw **pcmw) ATEA_MUST_USE;

/* JSON record or collection (UTF-8 JSON text). Codes: ATEA_ERR_TOO_LARGE, ATEA_ERR_CMW_JSON,
 * ATEA_ERR_CMW_DUPLICATE (repeated key), ATEA_ERR_CMW_BASE64URL, ATEA_ERR_CMW_RECORD, _TYPE,
 * _VALUE, _IND, _COLLECTION, _LABEL, _CTYPE, _DEPTH, _ENTRIES, ATEA_ERR_NO_MEMORY. */
atea_err atea_cmw_decode_json(const uint8_t *in, size_t len, const atea_cmw_limits *limits,
                              atea_cmw **pcmw) ATEA_MUST_USE;

/* ---- encoding ---- */

/* The writer of src/core/wr.h (atea's bounded writer; opaque here). */
struct atea_wr;

/* Deterministic CBOR: shortest heads, definite lengths, __cmwc_t first, entries in order, into
 * a fresh buffer of at most ATEA_CMW_MAX_INPUT bytes (ATEA_ERR_TOO_LARGE beyond).
 * Codes: ATEA_ERR_CMW_COLLECTION (empty collection), ATEA_ERR_CMW_DEPTH / _ENTRIES (tree over
 * the default caps), ATEA_ERR_INVALID_ARG, ATEA_ERR_TOO_LARGE, ATEA_ERR_NO_MEMORY. */
atea_err atea_cmw_encode_cbor(const atea_cmw *cmw, atea_buf *out) ATEA_MUST_USE;

/* Compact JSON (no whitespace), values base64url without padding. Codes: ATEA_ERR_CMW_NOT_JSON
 * (tag, Content-Format type, integer label), ATEA_ERR_CMW_BASE64URL (empty value: RFC 9999's
 * base64url-string has at least one character), and those of atea_cmw_encode_cbor. */
atea_err atea_cmw_encode_json(const atea_cmw *cmw, atea_buf *out) ATEA_MUST_USE;

/* The same, appended to a caller's writer (nothing is appended on failure). */
atea_err atea_cmw_write_cbor(const atea_cmw *cmw, struct atea_wr *wr) ATEA_MUST_USE;
atea_err atea_cmw_write_json(const atea_cmw *cmw, struct atea_wr *wr) ATEA_MUST_USE;

/* ---- Content-Formats and tags ---- */

/* RFC 9277 Appendix B: TN(cf) = 1668546817 + (cf / 255) * 256 + cf % 255, cf <= 65024, and its
 * inverse (ATEA_ERR_CMW_TAG outside the range or on a number TN() never yields). Pure arithmetic.
 */
atea_err atea_cmw_tn(uint16_t content_format, uint64_t *tag) ATEA_MUST_USE;
atea_err atea_cmw_tn_inverse(uint64_t tag, uint16_t *content_format) ATEA_MUST_USE;

/* The tag a CMW tag node uses for a Content-Format, and back: TN() except where RFC 9999 Table 4
 * says otherwise (tags 1668547092/1668547093, see docs/CMW.md). Codes as atea_cmw_tn. */
atea_err atea_cmw_cf_to_tag(uint16_t content_format, uint64_t *tag) ATEA_MUST_USE;
atea_err atea_cmw_tag_to_cf(uint64_t tag, uint16_t *content_format) ATEA_MUST_USE;

/* ---- atea's media types ---- */

/* The canonical string atea writes for mt (NULL for ATEA_CMW_MT_UNKNOWN or out of range). */
const char *atea_cmw_media_type_name(atea_cmw_mt mt);

/* A short human description ("Intel TDX quote"), never NULL. */
const char *atea_cmw_media_type_desc(atea_cmw_mt mt);

/* Which of atea's media types a string names. Type, subtype and parameter names compare
 * case-insensitively, whitespace around ';' and '=' is ignored, parameter values compare exactly.
 * Accepts the aliases of the table (the Rust prototype's TDX type). ATEA_CMW_MT_UNKNOWN else. */
atea_cmw_mt atea_cmw_media_type_lookup(const char *type, size_t len);

/* The ind atea puts on records of this type (evidence, or attestation results for EAR); 0 if
 * none. */
uint32_t atea_cmw_media_type_ind(atea_cmw_mt mt);

/* ---- inspection ---- */

/* Write an indented, human-readable description of the CMW in[0..len) to out (records, tags,
 * collections, media types, value sizes and a hex preview). On malformed input the text says
 * what is wrong and where, and the decode error is returned. Uses the default limits. */
atea_err atea_cmw_dump(const uint8_t *in, size_t len, struct atea_wr *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
