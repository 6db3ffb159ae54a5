/* Internal representation of an atea_policy, shared by the loader (policy.c) and the rule engine
 * (policy_apply.c). The public view is include/atea/policy.h. */
#ifndef ATEA_VERIFY_POLICY_H
#define ATEA_VERIFY_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/policy.h"

/* Platforms a policy can name: its short key and the platform string verifiers record. */
typedef enum policy_platform {
    POLICY_TDX = 0,
    POLICY_SNP,
    POLICY_CCA,
    POLICY_TPM,
    POLICY_SIM,
    POLICY_EAR, /* the passport model: EAT Attestation Results (include/atea/ear.h) */
    POLICY_PLATFORM_COUNT
} policy_platform;

typedef enum policy_value_kind {
    POLICY_VALUE_TEXT = 1, /* a JSON string: compared to text claims, or as hex to byte claims */
    POLICY_VALUE_INT,
    POLICY_VALUE_BOOL,
} policy_value_kind;

typedef struct policy_value {
    policy_value_kind kind;
    char *text;     /* POLICY_VALUE_TEXT */
    atea_buf bytes; /* the text decoded as hex, when it is hex (data NULL otherwise) */
    int64_t i;      /* POLICY_VALUE_INT, POLICY_VALUE_BOOL */
} policy_value;

typedef struct policy_ref_rule {
    char claim[ATEA_APPRAISAL_MAX_NAME + 1];
    policy_value *values;
    size_t count;
} policy_ref_rule;

typedef struct policy_min_rule {
    char claim[ATEA_APPRAISAL_MAX_NAME + 1];
    int64_t min;
} policy_min_rule;

typedef struct policy_platform_rules {
    int listed;          /* named under "platforms" */
    int debug_forbidden; /* -1: inherit the top-level setting */
    int trusted;         /* sim only: "trusted": true */
    policy_ref_rule refs[ATEA_POLICY_MAX_RULES];
    size_t ref_count;
    policy_min_rule mins[ATEA_POLICY_MAX_RULES];
    size_t min_count;
    char required[ATEA_POLICY_MAX_RULES][ATEA_APPRAISAL_MAX_NAME + 1];
    size_t required_count;
    char *tcb_statuses[ATEA_POLICY_MAX_RULES];
    size_t tcb_count;
    int has_tcb_statuses;
    /* SHA-256 digests (sim roots, TPM AK SPKIs), back to back */
    uint8_t anchors[ATEA_POLICY_MAX_ANCHORS * 32];
    size_t anchor_count;
    char *cpak_pem;    /* cca only */
    unsigned ear_algs; /* ear only: ATEA_EAR_ALG_BIT mask of "algorithms"; 0 = ES256 + ES384 */
} policy_platform_rules;

struct atea_policy {
    char id[ATEA_APPRAISAL_MAX_POLICY_ID + 1];
    char source[128]; /* the file name used in messages ("policy.json") */
    int accept_warning;
    int debug_forbidden;
    int lists_platforms; /* a "platforms" object was given: unlisted platforms are refused */
    policy_platform_rules platforms[POLICY_PLATFORM_COUNT];
};

/* Short key ("tdx") and appraisal platform ("intel-tdx") of a policy platform. */
const char *atea__policy_platform_key(policy_platform p);
const char *atea__policy_platform_name(policy_platform p);

/* Line (1-based) and column of the member at `path` (dot/bracket form, as in diagnostics) in the
 * JSON text, or of its deepest ancestor that can be found; 0 if none. The text must already have
 * parsed as JSON. */
int atea__json_line_of(const char *text, size_t len, const char *path, int *column);

#endif
