/*
 * Arm CCA attestation token verifier (offline).
 *
 * A CCA token (draft-ffm-rats-cca-token; RMM spec 1.0 A7.2; evidence-formats.md §4) is a
 * collection of two COSE_Sign1 tokens:
 *   - tag 399 {44234: bstr .cbor platform-token, 44241: bstr .cbor realm-token} (what TF-RMM and
 *     the Linux arm_cca_guest configfs-tsm provider return), or
 *   - tag 907 (CMW collection) {44234: [263, bstr], 44241: [263, bstr]}.
 * atea verifies:
 *   1. the realm token's signature with the realm attestation key (RAK) it carries (claim 44237:
 *      a raw EC point or a COSE_Key);
 *   2. that the platform token's challenge is Hash_{44240}(RAK bytes): the two tokens belong
 *      together;
 *   3. the platform token's signature with the CPAK from the policy (env->cca_cpak_pem_file). There
 *      is no certificate chain inside a CCA token: without a configured CPAK the platform token
 *      cannot be verified (ATEA_ERR_CCA_NO_CPAK, CONTRAINDICATED);
 *   4. that the realm challenge (64 bytes) is env->expected_report_data (constant time).
 * COSE algorithms ES256, ES384 and ES512 are accepted; the key's curve must match.
 *
 * Claims (submodule "cca", platform "arm-cca"):
 *   realm: realm_challenge, realm_personalization_value, rim (realm initial measurement),
 *   rem0..rem3 (realm extensible measurements), realm_public_key (bytes); realm_hash_algo,
 *   realm_public_key_hash_algo, realm_profile if present (str); realm_instance_id (bytes) if
 *   present.
 *   platform: platform_challenge, platform_implementation_id, platform_instance_id,
 *   platform_config (bytes); platform_profile, platform_hash_algo,
 *   platform_verification_service if present (str); platform_lifecycle (int) and
 *   platform_lifecycle_state ("secured", "non-psa-rot-debug", ...) (str); debug (bool: a debug
 *   lifecycle state); sw_component_count (int) and for each component i: sw<i>_type,
 *   sw<i>_version, sw<i>_hash_algo (str, if present), sw<i>_measurement, sw<i>_signer_id (bytes).
 * A lifecycle other than "secured" adds a WARNING reason ATEA_ERR_CCA_LIFECYCLE.
 */
#ifndef ATEA_CCA_H
#define ATEA_CCA_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/error.h"
#include "atea/verify_env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Caps. Real tokens are 1..3 KiB with about 20 claims and a dozen software components. */
#define ATEA_CCA_TOKEN_MAX_SIZE (64 * 1024)
#define ATEA_CCA_MAX_DEPTH 8   /* CBOR nesting of a claims map with its values */
#define ATEA_CCA_MAX_CLAIMS 64 /* entries in one claims map */
#define ATEA_CCA_MAX_SW_COMPONENTS 32
#define ATEA_CCA_CPAK_MAX_SIZE 16384 /* bytes of the CPAK PEM file */

/*
 * Verify a CCA token and record submodule "cca" with its claims and reasons in `out`.
 * Errors: ATEA_ERR_INVALID_ARG; ATEA_ERR_TOO_LARGE (token, map or count over a cap);
 * ATEA_ERR_TRUNCATED, ATEA_ERR_TRAILING, ATEA_ERR_CBOR_MALFORMED, ATEA_ERR_CBOR_TYPE,
 * ATEA_ERR_CBOR_DEPTH, ATEA_ERR_CBOR_UTF8 (bad CBOR); ATEA_ERR_CCA_FORMAT, ATEA_ERR_CCA_COSE,
 * ATEA_ERR_CCA_COSE_ALG, ATEA_ERR_CCA_CLAIM, ATEA_ERR_CCA_SW_COMPONENT, ATEA_ERR_CCA_RAK,
 * ATEA_ERR_CCA_HASH_ALG (malformed token); ATEA_ERR_CCA_REALM_SIGNATURE,
 * ATEA_ERR_CCA_PLATFORM_CHALLENGE, ATEA_ERR_CCA_NO_CPAK, ATEA_ERR_CCA_CPAK,
 * ATEA_ERR_CCA_PLATFORM_SIGNATURE, ATEA_ERR_CCA_REALM_CHALLENGE (failed checks); appraisal
 * errors; ATEA_ERR_NO_MEMORY. Every failure is also recorded as a CONTRAINDICATED reason.
 */
atea_err atea_cca_verify(const atea_verify_env *env, const uint8_t *token, size_t len,
                         atea_appraisal *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
