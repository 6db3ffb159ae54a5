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

/* Caps: an appraisal is bounded whatever the evidence says. A call that would pass one fails
 * with ATEA_ERR_APPRAISAL_FULL (counts) or ATEA_ERR_TOO_LARGE (sizes); reason messages longer
 * than ATEA_APPRAISAL_MAX_MESSAGE are truncated. */
#define ATEA_APPRAISAL_MAX_SUBMODS 8
#define ATEA_APPRAISAL_MAX_CLAIMS 256
#define ATEA_APPRAISAL_MAX_REASONS 256
#define ATEA_APPRAISAL_MAX_NAME 64          /* submodule, claim, platform, category names */
#define ATEA_APPRAISAL_MAX_MESSAGE 512      /* bytes of a reason message, NUL included */
#define ATEA_APPRAISAL_MAX_CLAIM_BYTES 4096 /* an ATEA_CLAIM_BYTES value */
#define ATEA_APPRAISAL_MAX_CLAIM_STR 1024   /* an ATEA_CLAIM_STR value, NUL excluded */
#define ATEA_APPRAISAL_MAX_POLICY_ID 256

/* Errors of every function below that returns atea_err: ATEA_ERR_INVALID_ARG (NULL, tier or
 * vector value out of range), ATEA_ERR_APPRAISAL_NAME (a name is empty, longer than
 * ATEA_APPRAISAL_MAX_NAME or not made of [a-z0-9_.-]), ATEA_ERR_APPRAISAL_NO_SUBMOD,
 * ATEA_ERR_APPRAISAL_DUPLICATE, ATEA_ERR_APPRAISAL_FULL, ATEA_ERR_TOO_LARGE, ATEA_ERR_NO_MEMORY. */

/* 1 if name is a valid submodule, claim or platform name: [a-z0-9_.-]{1,ATEA_APPRAISAL_MAX_NAME}.
 */
int atea_appraisal_name_valid(const char *name);

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
 * output, does not lower the status); WARNING and CONTRAINDICATED lower it; NONE is refused.
 * code is the atea_err the check stands for (ATEA_OK is allowed for a passed check).
 * submod NULL records a reason about the appraisal as a whole (e.g. "unknown evidence type"):
 * it counts towards the overall status and is printed under the top-level "atea.reasons". */
atea_err atea_appraisal_add_reason(atea_appraisal *a, const char *submod, atea_ear_status tier,
                                   atea_err code, const char *fmt, ...)
    ATEA_PRINTF(5, 6) ATEA_MUST_USE;

/* EAR trustworthiness-vector entry for a submodule ("instance-identity", "configuration",
 * "executables", "hardware", "runtime-opaque", "storage-opaque", "sourced-data", "file-system"),
 * with the EAR value (e.g. 2 affirming, 32 warning, 96 contraindicated, or the finer codes). */
atea_err atea_appraisal_tvector(atea_appraisal *a, const char *submod, const char *category,
                                int value) ATEA_MUST_USE;

/* The worst tier over all reasons; ATEA_EAR_NONE if nothing was appraised. A submodule with no
 * reason at all is NONE, never AFFIRMING: nothing is silently accepted.
 * Ordering, worst first: CONTRAINDICATED, NONE, WARNING, AFFIRMING (an unappraised submodule is
 * worse than a warning). A submodule's status also takes the worst of its trustworthiness vector
 * (EAR: "no higher trust than the worst trustworthiness claim"). */
atea_ear_status atea_appraisal_status(const atea_appraisal *a);

/* The status of one submodule (NONE if it has no reason or is not declared). */
atea_ear_status atea_appraisal_submod_status(const atea_appraisal *a, const char *submod);

/* Declared submodules, in declaration order; NULL past the end. */
size_t atea_appraisal_submod_count(const atea_appraisal *a);
const char *atea_appraisal_submod_name(const atea_appraisal *a, size_t i);
const char *atea_appraisal_submod_platform(const atea_appraisal *a, size_t i);

/* 1 if any submodule was appraised from atea's simulated TEE (platform "sim"). Callers that show
 * a result to a person must then say that no real TEE backs it. */
int atea_appraisal_is_simulated(const atea_appraisal *a);

/* The appraisal policy identifier printed as "ear.appraisal-policy-id" in every submodule
 * (default "atea:no-policy"); the policy engine sets it. Longer than ATEA_APPRAISAL_MAX_POLICY_ID:
 * ATEA_ERR_TOO_LARGE. */
atea_err atea_appraisal_set_policy_id(atea_appraisal *a, const char *policy_id) ATEA_MUST_USE;

/* EAR tier of a trustworthiness-claim value (draft-ietf-rats-ear §3.2 ranges: [-1,1] none,
 * [2,31] and [-32,-2] affirming, [32,95] and [-96,-33] warning, the rest contraindicated). */
atea_ear_status atea_ear_tier_of_value(int value);

/* Lookup: NULL if absent. */
const atea_claim *atea_appraisal_find_claim(const atea_appraisal *a, const char *submod,
                                            const char *name);
size_t atea_appraisal_claim_count(const atea_appraisal *a);
const atea_claim *atea_appraisal_claim_at(const atea_appraisal *a, size_t i);
size_t atea_appraisal_reason_count(const atea_appraisal *a);
const atea_appraisal_reason *atea_appraisal_reason_at(const atea_appraisal *a, size_t i);
/* 1 if any reason with this code was recorded. */
int atea_appraisal_has_reason(const atea_appraisal *a, atea_err code);

/* EAR-shaped JSON (docs/POLICY.md): {"eat_profile", "iat", "ear.status", "ear.verifier-id",
 * "submods": {...}}, UTF-8, indented, NUL-terminated (json->len excludes the NUL).
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_NO_MEMORY. */
atea_err atea_appraisal_to_json(const atea_appraisal *a, int64_t iat, atea_buf *json) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
