/*
 * Intel TDX quote verifier (offline), collateral and CCEL event-log replay.
 *
 * A TDX quote (Intel DCAP ECDSA quote v4 / v5, evidence-formats.md §2) is verified at env->now:
 *   1. layout: header (version 4 or 5, attestation key type 2 = ECDSA P-256, TEE type 0x81),
 *      TD body (v4; v5 body type 2 = TDX 1.0, 3 = TDX 1.5), signature data, certification data
 *      type 6 (QE report) wrapping type 5 (PCK chain, PEM);
 *   2. the PCK chain (PCK leaf -> PCK Platform/Processor CA -> Intel SGX Root CA), the root
 *      pinned in the code by the SHA-256 of its DER; revocation against the PCK CRL and root CRL
 *      when the collateral has them;
 *   3. the QE report signature (PCK key), the QE report data binding
 *      (SHA-256(attestation key || QE auth data) || 32 zero bytes), the QE identity (Intel TD QE
 *      MRSIGNER and ISVPRODID pinned; masks, attributes and QE TCB from the QE identity JSON);
 *   4. the quote signature (attestation key) over header || body exactly as they appear;
 *   5. REPORTDATA == env->expected_report_data (constant time);
 *   6. with collateral: the TCB info (signature over its exact bytes, signing chain to the pinned
 *      root, validity window) and Intel's TCB level matching -> tcb_status and advisory_ids.
 *
 * Claims (submodule "tdx", platform "intel-tdx"):
 *   bytes: mrtd, rtmr0, rtmr1, rtmr2, rtmr3, mrconfigid, mrowner, mrownerconfig, mrseam,
 *          mrsignerseam, td_attributes (8 bytes as in the quote), xfam (8), tee_tcb_svn (16),
 *          report_data (64), fmspc (6, from the PCK certificate), qe_mrsigner (32);
 *          tee_tcb_svn2 and mrservicetd for v5 body type 3.
 *   int:   version (4/5), body_type (2/3), pce_svn, qe_isvsvn, tee_tcb_svn_0 (TDX module SVN),
 *          tee_tcb_svn_1 (TDX module major version).
 *   bool:  debug (TD attributes bit 0).
 *   str:   tcb_status ("UpToDate", "SWHardeningNeeded", "ConfigurationNeeded",
 *          "ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded",
 *          "Revoked"), only when a TCB info was evaluated; advisory_ids (comma-separated,
 *          possibly empty) alongside it; qe_tcb_status when a QE identity was evaluated.
 * Event-log claims (atea_tdx_eventlog_replay): eventlog_events (int), and where identifiable
 *   eventlog_kernel_digest, eventlog_initrd_digest, eventlog_cmdline_digest (bytes, SHA-384) and
 *   eventlog_cmdline (str, when the log carries the command line as text).
 *
 * Hard failures (return the code, CONTRAINDICATED reason): malformed quote, any signature,
 * chain to the pinned root, revoked PCK/CA, QE binding/identity, REPORTDATA mismatch, bad
 * collateral signature, a TDX module that does not match the TCB info, no matching TCB level,
 * TCB status Revoked. Soft findings (WARNING reason, ATEA_OK): TCB status other than UpToDate,
 * stale or missing collateral, debug TD, no expected report data.
 */
#ifndef ATEA_TDX_H
#define ATEA_TDX_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/error.h"
#include "atea/types.h"
#include "atea/verify_env.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_TDX_MAX_QUOTE_SIZE (64 * 1024) /* real quotes are ~5 KiB; padded ones up to 8 KiB */
#define ATEA_TDX_MAX_CERT_DATA_SIZE (32 * 1024)
#define ATEA_TDX_MAX_QE_AUTH_DATA 512
#define ATEA_TDX_MR_LEN 48
#define ATEA_TDX_REPORT_DATA_LEN 64

/* The TD quote body (sgx_report2_body_t, and the TDX 1.5 additions for v5 body type 3). */
typedef struct atea_tdx_td_body {
    uint8_t tee_tcb_svn[16];
    uint8_t mrseam[48];
    uint8_t mrsignerseam[48];
    uint8_t seam_attributes[8];
    uint8_t td_attributes[8];
    uint8_t xfam[8];
    uint8_t mrtd[48];
    uint8_t mrconfigid[48];
    uint8_t mrowner[48];
    uint8_t mrownerconfig[48];
    uint8_t rtmr[4][48];
    uint8_t report_data[64];
    int is_tdx15; /* v5 body type 3: the two fields below are present */
    uint8_t tee_tcb_svn2[16];
    uint8_t mrservicetd[48];
} atea_tdx_td_body;

/* The 384-byte SGX REPORT_BODY of the quoting enclave. */
typedef struct atea_tdx_qe_report {
    uint8_t cpusvn[16];
    uint32_t miscselect;
    uint8_t attributes[16];
    uint8_t mrenclave[32];
    uint8_t mrsigner[32];
    uint16_t isvprodid;
    uint16_t isvsvn;
    uint8_t report_data[64];
} atea_tdx_qe_report;

/* A parsed quote. Slices point into the caller's quote buffer. */
typedef struct atea_tdx_quote {
    uint16_t version;
    uint16_t att_key_type;
    uint32_t tee_type;
    uint8_t qe_vendor_id[16];
    uint8_t user_data[20];
    uint16_t body_type; /* 2 for v4 */
    atea_tdx_td_body body;
    atea_slice signed_region;    /* header || (v5: type || size) || body */
    uint8_t signature[64];       /* ECDSA P-256 r || s, big-endian */
    uint8_t attestation_key[64]; /* X || Y, big-endian */
    atea_slice qe_report_raw;    /* the 384 signed bytes */
    atea_tdx_qe_report qe_report;
    uint8_t qe_report_signature[64];
    atea_slice qe_auth_data;
    atea_slice pck_chain_pem; /* the PEM bytes, trailing NULs stripped */
    size_t trailing_len;      /* bytes after the signature data (tolerated, not signed) */
} atea_tdx_quote;

/*
 * Parse a quote (no cryptography). Returns ATEA_ERR_TRUNCATED, ATEA_ERR_TOO_LARGE,
 * ATEA_ERR_TDX_BAD_HEADER (version, key type, TEE type, body type/size),
 * ATEA_ERR_TDX_BAD_CERT_DATA (certification types/sizes), ATEA_ERR_TRAILING (bytes inside the
 * signature data that no field accounts for).
 */
atea_err atea_tdx_quote_parse(const uint8_t *quote, size_t len, atea_tdx_quote *out) ATEA_MUST_USE;

/*
 * Collateral: what the user fetched from Intel PCS (docs/evidence/TDX.md) and keeps in a
 * directory. The object also caches the verified PCK chain of the last quotes seen, so that
 * repeated verifications skip the chain work. Not thread-safe: use one per thread.
 */
typedef struct atea_tdx_collateral atea_tdx_collateral;

/* File names inside the collateral directory; NULL fields take the defaults below. An
 * index file (ATEA_TDX_COLLATERAL_INDEX) in the directory may rename them too:
 * lines "<key> = <file name>" with keys tcb_info, qe_identity, tcb_signing_chain, pck_crl,
 * root_crl; '#' starts a comment. Explicit fields here win over the index. */
typedef struct atea_tdx_collateral_files {
    const char *tcb_info;    /* default "tcb_info.json" (PCS /tdx/certification/v4/tcb body) */
    const char *qe_identity; /* default "qe_identity.json" (PCS /tdx/.../qe/identity body) */
    const char *tcb_signing_chain; /* default "tcb_signing_chain.pem" (TCB-Info-Issuer-Chain) */
    const char *pck_crl;           /* default "pck_crl.der" (PCS /sgx/.../pckcrl, DER or PEM) */
    const char *root_crl;          /* default "root_crl.der" (IntelSGXRootCA.der) */
} atea_tdx_collateral_files;

#define ATEA_TDX_COLLATERAL_INDEX "atea-collateral.index"
#define ATEA_TDX_MAX_COLLATERAL_FILE (256 * 1024)

atea_err atea_tdx_collateral_new(atea_tdx_collateral **pcoll) ATEA_MUST_USE;
void atea_tdx_collateral_free(atea_tdx_collateral *coll);

/*
 * Load the files of `dir` (files may be NULL for the defaults / index). Absent files are not an
 * error: the verifier then records a WARNING (ATEA_ERR_TDX_COLLATERAL_MISSING); `dir` itself
 * must be a directory (ATEA_ERR_TDX_BAD_COLLATERAL). Present files
 * must be well-formed and correctly signed: ATEA_ERR_TDX_BAD_COLLATERAL (malformed JSON, missing
 * field, wrong id/version, unreadable), ATEA_ERR_TDX_COLLATERAL_SIGNATURE (TCB info / QE identity
 * signature), ATEA_ERR_CHAIN_* (signing chain does not reach the pinned Intel root, or is
 * revoked by the root CRL), ATEA_ERR_CHAIN_CRL (malformed CRL), ATEA_ERR_TOO_LARGE.
 * Validity windows are checked at verification time, not here.
 */
atea_err atea_tdx_collateral_load_dir(atea_tdx_collateral *coll, const char *dir,
                                      const atea_tdx_collateral_files *files) ATEA_MUST_USE;

/* The same from memory (any pointer may be NULL = absent). */
typedef struct atea_tdx_collateral_bytes {
    atea_slice tcb_info;
    atea_slice qe_identity;
    atea_slice tcb_signing_chain;
    atea_slice pck_crl;
    atea_slice root_crl;
} atea_tdx_collateral_bytes;

atea_err atea_tdx_collateral_load(atea_tdx_collateral *coll,
                                  const atea_tdx_collateral_bytes *bytes) ATEA_MUST_USE;

/*
 * Verify a quote with collateral loaded from env->collateral_dir (default names or index), or
 * without collateral if it is NULL. Adds submodule "tdx" with its claims and reasons to out.
 * Returns ATEA_OK (possibly with WARNING reasons) or the hard failure's code (see above).
 */
atea_err atea_tdx_verify(const atea_verify_env *env, const uint8_t *quote, size_t len,
                         atea_appraisal *out) ATEA_MUST_USE;

/* The same with caller-held collateral (may be NULL); env->collateral_dir is ignored. */
atea_err atea_tdx_verify_with(const atea_verify_env *env, atea_tdx_collateral *coll,
                              const uint8_t *quote, size_t len, atea_appraisal *out) ATEA_MUST_USE;

/*
 * Replay a CCEL event log (TCG2 crypto-agile, SHA-384 bank; UEFI CC MR index 1..4 = RTMR0..3;
 * EV_NO_ACTION events are not extended; any other MR index is malformed) and compare the result
 * to `rtmr` (the quote's RTMRs, e.g. quote->body.rtmr; NULL = replay only). Adds eventlog_*
 * claims and a reason to submodule "tdx" of out (declared by atea_tdx_verify; out may be NULL).
 * replayed (may be NULL) receives the four replayed registers.
 * Returns ATEA_ERR_EVENTLOG_MALFORMED, ATEA_ERR_TRUNCATED, ATEA_ERR_TOO_LARGE (caps),
 * ATEA_ERR_EVENTLOG_MISMATCH (names the first RTMR that differs).
 */
atea_err atea_tdx_eventlog_replay(const uint8_t *log, size_t len, const uint8_t rtmr[4][48],
                                  uint8_t replayed[4][48], atea_appraisal *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
