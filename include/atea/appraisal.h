/*
 * atea_appraisal: the result of appraising evidence, shaped like an EAT Attestation Result
 * (EAR, draft-ietf-rats-ear): an overall status, and per submodule (one per piece of evidence:
 * "tdx", "snp", "cca", "tpm", "sim") the platform, the decoded claims, a trustworthiness vector
 * and every reason that contributed. Verifiers fill it; the policy engine reads the claims and
 * adds its own reasons; atea_appraisal_to_json prints it (docs/POLICY.md documents the schema).
 *
 * Claim names are lowercase ASCII ("mrtd", "rtmr0", "report_data", "debug", "measurement",
 * "tcb_status"); each platform verifier lists its claims in its header. Policies refer to them
 * by these names.
 */
#ifndef ATEA_APPRAISAL_H
#define ATEA_APPRAISAL_H

#include <stddef.h>
#include <stdint.h>

#include "atea/error.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* EAR trustworthiness tiers (draft-ietf-rats-ear §3.2), with their registered values. */
typedef enum atea_ear_status {
    ATEA_EAR_NONE = 0,
    ATEA_EAR_AFFIRMING = 2,
    ATEA_EAR_WARNING = 32,
    ATEA_EAR_CONTRAINDICATED = 96,
} atea_ear_status;

/* "affirming", "warning", "contraindicated", "none". */
const char *atea_ear_status_name(atea_ear_status status);

typedef enum atea_claim_type {
    ATEA_CLAIM_BYTES = 1, /* printed as lowercase hex */
    ATEA_CLAIM_INT = 2,
    ATEA_CLAIM_STR = 3,
    ATEA_CLAIM_BOOL = 4,
} atea_claim_type;

typedef struct atea_claim {
    const char *submod;
    const char *name;
    atea_claim_type type;
    atea_slice bytes; /* ATEA_CLAIM_BYTES (owned by the appraisal) */
    int64_t i;        /* ATEA_CLAIM_INT, ATEA_CLAIM_BOOL (0/1) */
    const char *str;  /* ATEA_CLAIM_STR */
} atea_claim;

typedef struct atea_appraisal_reason {
    const char *submod;
    atea_ear_status tier; /* what this reason does to the status */
    atea_err code;        /* stable code (atea_err_name gives its identifier) */
    const char *message;  /* a sentence an operator can act on */
} atea_appraisal_reason;

typedef struct atea_appraisal atea_appraisal;

atea_err atea_appraisal_new(atea_appraisal **pappraisal) ATEA_MUST_USE;
void atea_appraisal_free(atea_appraisal *appraisal);

/* Declare a submodule and its platform ("intel-tdx", "amd-sev-snp", "arm-cca", "tpm2", "sim").
 * Claims and reasons may only name declared submodules. */
atea_err atea_appraisal_add_submod(atea_appraisal *a, const char *submod,
                                   const char *platform) ATEA_MUST_USE;

atea_err atea_appraisal_claim_bytes(atea_appraisal *a, const char *submod, const char *name,
                                    const uint8_t *data, size_t len) ATEA_MUST_USE;
atea_err atea_appraisal_claim_int(atea_appraisal *a, const char *submod, const char *name,
                                  int64_t value) ATEA_MUST_USE;
atea_err atea_appraisal_claim_str(atea_appraisal *a, const char *submod, const char *name,
                                  const char *value) ATEA_MUST_USE;
atea_err atea_appraisal_claim_bool(atea_appraisal *a, const char *submod, const char *name,
                                   int value) ATEA_MUST_USE;

/* Record why the status is what it is. tier AFFIRMING records a passed check (shown in the
 * output, does not lower the status); WARNING and CONTRAINDICATED lower it. */
atea_err atea_appraisal_reason(atea_appraisal *a, const char *submod, atea_ear_status tier,
                               atea_err code, const char *fmt, ...) ATEA_PRINTF(5, 6) ATEA_MUST_USE;

/* EAR trustworthiness-vector entry for a submodule ("instance-identity", "configuration",
 * "executables", "hardware", "runtime-opaque", "storage-opaque", "sourced-data", "file-system"),
 * with the EAR value (e.g. 2 affirming, 32 warning, 96 contraindicated, or the finer codes). */
atea_err atea_appraisal_tvector(atea_appraisal *a, const char *submod, const char *category,
                                int value) ATEA_MUST_USE;

/* The worst tier over all reasons; ATEA_EAR_NONE if nothing was appraised. A submodule with no
 * reason at all is NONE, never AFFIRMING: nothing is silently accepted. */
atea_ear_status atea_appraisal_status(const atea_appraisal *a);

/* Lookup: NULL if absent. */
const atea_claim *atea_appraisal_find_claim(const atea_appraisal *a, const char *submod,
                                            const char *name);
size_t atea_appraisal_claim_count(const atea_appraisal *a);
const atea_claim *atea_appraisal_claim_at(const atea_appraisal *a, size_t i);
size_t atea_appraisal_reason_count(const atea_appraisal *a);
const atea_appraisal_reason *atea_appraisal_reason_at(const atea_appraisal *a, size_t i);
/* 1 if any reason with this code was recorded. */
int atea_appraisal_has_reason(const atea_appraisal *a, atea_err code);

/* EAR-shaped JSON (docs/POLICY.md): {"eat_profile", "iat", "ear.status", "submods": {...}}. */
atea_err atea_appraisal_to_json(const atea_appraisal *a, int64_t iat, atea_buf *json) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
