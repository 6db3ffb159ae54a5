/*
 * atea_policy: what a relying party accepts, from ONE JSON file (docs/POLICY.md gives the schema
 * and examples). A policy holds, per platform ("tdx", "snp", "cca", "tpm", "sim"):
 *   - trust anchors where the platform has replaceable ones (sim root, TPM AK hashes, CCA CPAK);
 *     TDX and SNP vendor roots are pinned in code: a policy can only restrict them;
 *   - reference values (claim -> acceptable values), minimum values (claim -> least integer),
 *     required claims, accepted TCB statuses, whether debug is forbidden (default: yes);
 * and globally whether a "warning" appraisal is acceptable (default: no). When a policy file
 * names platforms, evidence from any platform it does not name is refused.
 *
 * Loading is strict: unknown keys are errors (a typo never silently weakens a policy), every value
 * is type-checked, and a failure names the line, the JSON path and the reason.
 */
#ifndef ATEA_POLICY_H
#define ATEA_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_POLICY_MAX_BYTES (256u * 1024u) /* policy file size */
#define ATEA_POLICY_MAX_RULES 64             /* entries in one rule object or list */
#define ATEA_POLICY_MAX_VALUES 64            /* acceptable values of one claim */
#define ATEA_POLICY_MAX_VALUE_LEN 4096       /* bytes of one reference value (decoded) */
#define ATEA_POLICY_MAX_ANCHORS 16           /* trust anchors of one platform */

typedef struct atea_policy atea_policy;

/* Where a policy failed to load: 1-based line (0 if unknown) and the JSON path of the offending
 * member ("platforms.tdx.reference_values.mrtd[1]"), empty for syntax errors. */
typedef struct atea_policy_diag {
    int line;
    int column;
    char path[160];
} atea_policy_diag;

/* The policy used when the caller gives none: every real platform accepted on its pinned roots
 * with the defaults (debug forbidden, warning refused), the simulated TEE not trusted. */
atea_err atea_policy_new_default(atea_policy **ppolicy) ATEA_MUST_USE;

/* Load and check a policy file. Relative file names inside it (root_pem, cpak_pem) are resolved
 * against the policy file's directory. diag may be NULL.
 * Errors: ATEA_ERR_POLICY_READ (cannot open/read the file or a PEM it names),
 * ATEA_ERR_POLICY_TOO_LARGE (over ATEA_POLICY_MAX_BYTES or a count cap), ATEA_ERR_POLICY_SYNTAX
 * (not JSON, duplicate key), ATEA_ERR_POLICY_UNKNOWN_KEY, ATEA_ERR_POLICY_VALUE (wrong type, bad
 * hex, empty list, sim trusted without a root, ...), ATEA_ERR_NO_MEMORY. The detail reads
 * "policy.json:12: platforms.tdx.minimum_values.tcb_svn: expected an integer". */
atea_err atea_policy_load_file(const char *path, atea_policy **ppolicy,
                               atea_policy_diag *diag) ATEA_MUST_USE;

/* As atea_policy_load_file from memory. name is used in messages ("policy.json"), base_dir to
 * resolve relative file names (NULL: the current directory). */
atea_err atea_policy_load_mem(const char *json, size_t len, const char *name, const char *base_dir,
                              atea_policy **ppolicy, atea_policy_diag *diag) ATEA_MUST_USE;

void atea_policy_free(atea_policy *policy);

/*
 * Compare the claims of every submodule of `a` with the policy and record the outcome as reasons:
 * AFFIRMING for each rule satisfied, CONTRAINDICATED for each violation, with a message that
 * names the claim, its value and the policy (codes ATEA_ERR_POLICY_REFERENCE_VALUE,
 * _MIN_VALUE, _DEBUG, _REQUIRED_CLAIM, _TCB_STATUS, _CLAIM_TYPE, _PLATFORM). A rule about a claim
 * the evidence does not carry fails with ATEA_ERR_POLICY_REQUIRED_CLAIM. A submodule that is
 * already contraindicated (its verifier refused it) gets only the platform check. Finally, if
 * the overall status is "warning" and the policy does not accept warnings, a top-level
 * CONTRAINDICATED reason ATEA_ERR_POLICY_WARNING is added. Sets the appraisal's policy id.
 * Returns ATEA_OK when the rules were applied (violations are in the appraisal, not the return
 * code); ATEA_ERR_INVALID_ARG, ATEA_ERR_APPRAISAL_FULL, ATEA_ERR_NO_MEMORY otherwise.
 */
atea_err atea_policy_apply(const atea_policy *policy, atea_appraisal *a) ATEA_MUST_USE;

/* "id" from the policy file, else "file:<name>"; "atea:default-policy" for the default policy. */
const char *atea_policy_id(const atea_policy *policy);

/* 1 if the policy accepts a final status of "warning". */
int atea_policy_accepts_warning(const atea_policy *policy);

/* 1 if evidence of this platform short name ("tdx", "snp", "cca", "tpm", "sim") may be accepted
 * at all: the sim needs platforms.sim.trusted = true; other platforms need to be listed when the
 * policy lists any. */
int atea_policy_platform_allowed(const atea_policy *policy, const char *platform);

/* 1 if the SHA-256 of a sim root's SubjectPublicKeyInfo DER is one the policy trusts. */
int atea_policy_sim_root_trusted(const atea_policy *policy, const uint8_t spki_sha256[32]);

/* The TPM AKs the policy trusts: *count SHA-256 digests of the AK's DER SubjectPublicKeyInfo,
 * 32 bytes each, back to back (the shape of atea_tpm_trust); NULL and 0 if none. */
const uint8_t *atea_policy_tpm_ak_sha256(const atea_policy *policy, size_t *count);

/* The CCA CPAK PEM file the policy names (absolute or relative to the working directory), or
 * NULL if none (then no CCA evidence can be affirmed). */
const char *atea_policy_cca_cpak_pem(const atea_policy *policy);

/* The EAR verifier keys the policy trusts (platforms.ear.verifier_key_pem / verifier_key_sha256,
 * as SHA-256 digests of their DER SubjectPublicKeyInfo) and the accepted algorithms
 * (platforms.ear.algorithms), in the shape atea_ear_verify takes. No key: count 0, and every EAR
 * is refused. Errors: ATEA_ERR_INVALID_ARG. */
struct atea_ear_trust;
atea_err atea_policy_ear_trust(const atea_policy *policy,
                               struct atea_ear_trust *trust) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
