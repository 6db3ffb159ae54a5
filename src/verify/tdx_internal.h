/* Internal interfaces between the TDX verifier's files (tdx_*.c). Not installed. */
#ifndef ATEA_VERIFY_TDX_INTERNAL_H
#define ATEA_VERIFY_TDX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "atea/tdx.h"
#include "core/rd.h"

#define TDX_SUBMOD "tdx"
#define TDX_SGX_COMPONENTS 16
#define TDX_TEE_COMPONENTS 16
/* Caps on collateral content (Intel's documents have ~10 levels, ~20 advisories per level). */
#define TDX_MAX_TCB_LEVELS 32
#define TDX_MAX_MODULE_LEVELS 16
#define TDX_MAX_ADVISORIES 32
#define TDX_MAX_MODULE_IDENTITIES 4
#define TDX_ADVISORY_ID_MAX 20
#define TDX_PCK_CACHE_SLOTS 4

/* u16 little-endian length-prefixed field with a cap, opened as a sub-reader. */
atea_err atea__tdx_rd_vec_le16(atea_rd *rd, size_t max, atea_rd *sub) ATEA_MUST_USE;

/* ---- PCK certificate SGX extension (OID 1.2.840.113741.1.13.1) ---- */
typedef struct tdx_pck_info {
    uint8_t fmspc[6];
    uint8_t pceid[2];
    uint8_t cpusvn[16];
    uint8_t sgx_comp[TDX_SGX_COMPONENTS]; /* TCB components .2.1 .. .2.16 */
    uint16_t pcesvn;
} tdx_pck_info;

/* Returns ATEA_ERR_TDX_PCK_EXTENSION (absent or malformed), ATEA_ERR_TRUNCATED. */
atea_err atea__tdx_pck_info(X509 *pck, tdx_pck_info *info) ATEA_MUST_USE;
/* The same on the extension's DER value (for the fuzz target and tests). */
atea_err atea__tdx_pck_info_der(const uint8_t *der, size_t len, tdx_pck_info *info) ATEA_MUST_USE;

/* ---- ECDSA P-256 with raw r || s signatures (§2.7) ---- */
/* EVP_PKEY from a raw 64-byte X || Y point. ATEA_ERR_TDX_QUOTE_SIGNATURE if not on the curve. */
atea_err atea__tdx_p256_key(const uint8_t xy[64], EVP_PKEY **key) ATEA_MUST_USE;
/* *valid = 1 if sig (r || s, big-endian) verifies over SHA-256(data) with key, else 0.
 * Returns ATEA_ERR_NO_MEMORY / ATEA_ERR_INTERNAL only when the check itself cannot run. */
atea_err atea__tdx_p256_verify(EVP_PKEY *key, const uint8_t sig[64], const uint8_t *data,
                               size_t len, int *valid) ATEA_MUST_USE;

/* ---- collateral (tdx_collateral.c, tdx_json.c) ---- */
typedef enum tdx_tcb_status {
    TDX_TCB_UP_TO_DATE = 0,
    TDX_TCB_SW_HARDENING_NEEDED,
    TDX_TCB_CONFIGURATION_NEEDED,
    TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
    TDX_TCB_OUT_OF_DATE,
    TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
    TDX_TCB_REVOKED,
} tdx_tcb_status;

const char *atea__tdx_tcb_status_name(tdx_tcb_status s);
/* ATEA_ERR_TDX_BAD_COLLATERAL for an unknown status string. */
atea_err atea__tdx_tcb_status_parse(const char *s, tdx_tcb_status *out) ATEA_MUST_USE;

typedef struct tdx_advisories {
    size_t count;
    char ids[TDX_MAX_ADVISORIES][TDX_ADVISORY_ID_MAX];
} tdx_advisories;

typedef struct tdx_tcb_level {
    uint8_t sgx_comp[TDX_SGX_COMPONENTS];
    uint16_t pcesvn;
    uint8_t tdx_comp[TDX_TEE_COMPONENTS];
    uint16_t isvsvn; /* QE identity and TDX module identity levels */
    tdx_tcb_status status;
    tdx_advisories advisories;
} tdx_tcb_level;

typedef struct tdx_module_identity {
    char id[16]; /* "TDX_01" */
    uint8_t mrsigner[48];
    uint8_t attributes[8];
    uint8_t attributes_mask[8];
    size_t level_count;
    tdx_tcb_level levels[TDX_MAX_MODULE_LEVELS];
} tdx_module_identity;

typedef struct tdx_tcb_info {
    int64_t issue_date;
    int64_t next_update;
    uint8_t fmspc[6];
    uint8_t pceid[2];
    int64_t tcb_evaluation_data_number;
    tdx_module_identity module; /* "tdxModule" (no levels) */
    size_t module_identity_count;
    tdx_module_identity module_identities[TDX_MAX_MODULE_IDENTITIES];
    size_t level_count;
    tdx_tcb_level levels[TDX_MAX_TCB_LEVELS];
} tdx_tcb_info;

typedef struct tdx_qe_identity {
    int64_t issue_date;
    int64_t next_update;
    uint32_t miscselect;
    uint32_t miscselect_mask;
    uint8_t attributes[16];
    uint8_t attributes_mask[16];
    uint8_t mrsigner[32];
    uint16_t isvprodid;
    size_t level_count;
    tdx_tcb_level levels[TDX_MAX_MODULE_LEVELS];
} tdx_qe_identity;

/* A signed collateral JSON document: the raw span of the signed object and its signature. */
typedef struct tdx_signed_json {
    atea_slice body; /* exact bytes of the "tcbInfo" / "enclaveIdentity" value */
    uint8_t signature[64];
} tdx_signed_json;

/*
 * Find the raw bytes of top-level member `key` and the "signature" member in a collateral JSON
 * document (bounded scan through atea_rd) and parse the whole document with jansson, returning
 * the object under `key` in *obj (caller json_decref's the root in *root).
 * Returns ATEA_ERR_TDX_BAD_COLLATERAL, ATEA_ERR_TOO_LARGE.
 */
struct json_t;
atea_err atea__tdx_json_signed(const uint8_t *doc, size_t len, const char *key, tdx_signed_json *sj,
                               struct json_t **root, struct json_t **obj) ATEA_MUST_USE;

/* Parse the tcbInfo / enclaveIdentity objects (jansson). ATEA_ERR_TDX_BAD_COLLATERAL. */
atea_err atea__tdx_parse_tcb_info(struct json_t *obj, tdx_tcb_info *info) ATEA_MUST_USE;
atea_err atea__tdx_parse_qe_identity(struct json_t *obj, tdx_qe_identity *qe) ATEA_MUST_USE;

/* Parse a TCB info / QE identity document without checking its signature (fuzzing, inspect). */
atea_err atea__tdx_tcb_info_from_json(const uint8_t *doc, size_t len, tdx_tcb_info *info,
                                      tdx_signed_json *sj) ATEA_MUST_USE;

/* "2023-06-18T08:42:58Z" -> seconds since the epoch. ATEA_ERR_TDX_BAD_COLLATERAL. */
atea_err atea__tdx_parse_time(const char *s, int64_t *t) ATEA_MUST_USE;

/* ---- TCB evaluation (tdx_tcb.c) ---- */
typedef struct tdx_tcb_result {
    tdx_tcb_status status;
    tdx_advisories advisories;
    const tdx_tcb_level *level; /* the matched platform level */
} tdx_tcb_result;

/*
 * Intel's TDX TCB level matching (QVL, TDX TCB info v3): module identity check, then the first
 * level whose SGX components, PCESVN and TDX components are all <= the platform's; its status
 * converged with the TDX module's status. Returns ATEA_ERR_TDX_COLLATERAL_MISMATCH (FMSPC,
 * PCE-ID, TDX module signer/attributes), ATEA_ERR_TDX_TCB_NO_MATCH.
 */
atea_err atea__tdx_tcb_evaluate(const tdx_tcb_info *info, const tdx_pck_info *pck,
                                const atea_tdx_td_body *body, tdx_tcb_result *res) ATEA_MUST_USE;

/* QE identity: masks, MRSIGNER, ISVPRODID (ATEA_ERR_TDX_QE_IDENTITY); QE TCB status from ISVSVN
 * (ATEA_ERR_TDX_TCB_NO_MATCH if the QE is below every level). */
atea_err atea__tdx_qe_evaluate(const tdx_qe_identity *qe, const atea_tdx_qe_report *rep,
                               tdx_tcb_result *res) ATEA_MUST_USE;

/* Append from's advisory IDs not yet in `into` (up to TDX_MAX_ADVISORIES). */
void atea__tdx_merge_advisories(tdx_advisories *into, const tdx_advisories *from);

/* Platform status combined with the QE's (QVL convergeTcbStatusWithQeTcbStatus). */
tdx_tcb_status atea__tdx_converge_qe(tdx_tcb_status platform, tdx_tcb_status qe);

/* ---- the collateral object ---- */
typedef struct tdx_pck_cache_entry {
    int used;
    uint8_t chain_hash[32];  /* SHA-256 of the PEM bytes */
    int64_t valid_from;      /* latest notBefore in the chain */
    int64_t valid_until;     /* earliest notAfter */
    int crls_fresh_at_check; /* every collateral CRL was inside its window (part of the key) */
    int crl_time_soft;       /* a stale CRL was used (and tolerated) for this chain */
    char crl_soft_detail[200];
    X509 *leaf;
    EVP_PKEY *leaf_key;
    tdx_pck_info info;
    /* The QE report + signature last verified with leaf_key (the QE signs one report per
     * attestation key, so a platform's quotes repeat it) and the attestation key last decoded:
     * exact bytes, compared in full before reuse. */
    int qe_verified;
    uint8_t qe_report_and_sig[384 + 64];
    EVP_PKEY *ak;
    uint8_t ak_raw[64];
} tdx_pck_cache_entry;

typedef struct tdx_window {
    int present;
    int64_t from;
    int64_t until;
} tdx_window;

struct atea_tdx_collateral {
    int has_tcb_info;
    tdx_tcb_info tcb_info;
    int has_qe_identity;
    tdx_qe_identity qe_identity;
    tdx_window signing_cert; /* TCB signing certificate validity */
    X509_CRL *pck_crl;
    tdx_window pck_crl_window;
    X509_CRL *root_crl;
    tdx_window root_crl_window;
    size_t cache_next;
    tdx_pck_cache_entry cache[TDX_PCK_CACHE_SLOTS];
};

/* Release what a cache entry holds and zero it. */
void atea__tdx_pck_entry_clear(tdx_pck_cache_entry *e);

/* Validity window of a CRL (thisUpdate .. nextUpdate). */
atea_err atea__tdx_crl_window(const X509_CRL *crl, tdx_window *w) ATEA_MUST_USE;

/* The pinned Intel SGX Root CA (SHA-256 of its DER, evidence-formats.md §2.6). */
extern const uint8_t atea__tdx_intel_root_pin[32];

#endif
