/*
 * The passport model (draft-fossati-seat-expat "Roles / models", specs.md §3.4): the attester
 * presents an EAT Attestation Result (EAR, draft-ietf-rats-ear-03, specs.md §5.2) that a verifier
 * it chose has signed, instead of evidence. The relying party checks that the EAR
 *   - is a compact JWS (RFC 7515 §7.1) signed with ES256 or ES384 (RFC 7518 §3.4), nothing else;
 *   - carries the verifier's public key in the JWS "jwk" header (RFC 7515 §4.1.3), and that the
 *     SHA-256 of that key's DER SubjectPublicKeyInfo is one the policy trusts;
 *   - has eat_profile "tag:ietf.org,2026:rats/ear#03", iat, ear_verifier_id and submods with an
 *     ear_status each;
 *   - echoes the binder of THIS connection as eat_nonce (base64url, profile.md §3): a result
 *     issued for another connection is worthless (without a binder, as for `atea evidence
 *     --report-data`, the nonce is the 64-byte report_data, as for the simulated TEE); a
 *     per-submod eat_nonce is accepted in place of the top-level one, and every one present
 *     must match;
 *   - is inside its validity period (iat not in the future, exp not passed).
 * It becomes one submodule "ear" (platform "ear") of the appraisal, whose status is the EAR's.
 * docs/evidence/EAR.md describes the format, the choices and the limits.
 *
 * CMW media type: application/eat+jwt; eat_profile="tag:ietf.org,2026:rats/ear#03"
 * (profile.md §5), ind = attestation results.
 */
#ifndef ATEA_EAR_H
#define ATEA_EAR_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "atea/appraisal.h"
#include "atea/error.h"
#include "atea/evidence.h"
#include "atea/types.h"
#include "atea/verify_env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The EAR profile atea issues and accepts (draft-ietf-rats-ear-03 §3). */
#define ATEA_EAR_PROFILE_03 "tag:ietf.org,2026:rats/ear#03"

/* Caps. A JWT longer than ATEA_EAR_MAX_JWT, a header or payload (decoded) longer than its cap,
 * JSON nested deeper than ATEA_EAR_MAX_DEPTH or an EAR with more submods than
 * ATEA_EAR_MAX_SUBMODS fails with ATEA_ERR_TOO_LARGE. */
#define ATEA_EAR_MAX_JWT (64u * 1024u)
#define ATEA_EAR_MAX_HEADER 1024u
#define ATEA_EAR_MAX_PAYLOAD (32u * 1024u)
#define ATEA_EAR_MAX_DEPTH 8u
#define ATEA_EAR_MAX_SUBMODS 16u

/* Seconds an "iat" may lie in the future of env->now (clock skew between verifier and relying
 * party) before the EAR is refused with ATEA_ERR_EAR_EXPIRED. */
#define ATEA_EAR_MAX_CLOCK_SKEW 60

/* Validity atea_ear_sign gives an EAR ("exp" = now + this). Freshness comes from the nonce; the
 * short lifetime only bounds how long a leaked EAR can be presented on the same connection. */
#define ATEA_EAR_DEFAULT_LIFETIME 300

typedef enum atea_ear_alg {
    ATEA_EAR_ALG_AUTO = 0,  /* atea_ear_sign: from the key's curve */
    ATEA_EAR_ALG_ES256 = 1, /* ECDSA P-256 + SHA-256 */
    ATEA_EAR_ALG_ES384 = 2, /* ECDSA P-384 + SHA-384 */
} atea_ear_alg;

/* Bit of an accepted-algorithm mask. */
#define ATEA_EAR_ALG_BIT(alg) (1u << (unsigned)(alg))

/* What the relying party trusts: SHA-256 digests of the verifiers' DER SubjectPublicKeyInfo,
 * `count` of them back to back, and the accepted algorithms (a mask of ATEA_EAR_ALG_BIT; 0 means
 * ES256 and ES384). */
typedef struct atea_ear_trust {
    const uint8_t *key_sha256;
    size_t count;
    unsigned algs;
} atea_ear_trust;

/*
 * Verify an EAR JWT (the value of an EAR CMW record) and record it in `out` as submodule "ear"
 * (platform "ear"): claims "verifier_developer", "verifier_build", "iat", "exp" (if present),
 * "alg", "verifier_key_sha256", "nonce", and per EAR submodule "<name>.status" (names that are
 * not valid claim names are recorded as "submod<i>.status"); a reason for every check; then one
 * reason per EAR submodule whose tier is its ear_status (so the "ear" submodule ends with the
 * worst of them, and a "none" status counts as contraindicated: nothing was appraised).
 * `expected` must be given (NULL: ATEA_ERR_BINDING_MISSING); its binder, else its report_data,
 * is the nonce the EAR must echo.
 * Returns ATEA_OK when the EAR is authentic, bound and valid (its status may still be
 * contraindicated: the caller decides from the appraisal). Errors (each also recorded as a
 * CONTRAINDICATED reason when the submodule could be declared): ATEA_ERR_TOO_LARGE (caps),
 * ATEA_ERR_EAR_MALFORMED (JWS structure, base64url, JSON, alg other than ES256/ES384, missing
 * jwk, wrong profile, a missing or mistyped claim), ATEA_ERR_EAR_SIGNATURE (key not trusted,
 * algorithm not accepted, signature does not verify), ATEA_ERR_EAR_NONCE_MISMATCH,
 * ATEA_ERR_EAR_EXPIRED, ATEA_ERR_BINDING_MISSING (no binding), ATEA_ERR_INVALID_ARG,
 * ATEA_ERR_NO_MEMORY, and the appraisal's codes.
 */
atea_err atea_ear_verify(const atea_verify_env *env, const atea_ear_trust *trust,
                         const atea_binding *expected, const uint8_t *jwt, size_t len,
                         atea_appraisal *out) ATEA_MUST_USE;

/*
 * Issue an EAR for appraisal `a`: eat_profile #03, iat = now, exp = now +
 * ATEA_EAR_DEFAULT_LIFETIME, ear_status (worst over submods), ear_verifier_id (atea), eat_nonce =
 * base64url(nonce), and per submodule ear_status, ear_trustworthiness_vector (if any),
 * ear_appraisal_policy_ids and atea's extensions "atea.platform" and "atea.claims". Signed with
 * `key` (EC P-256 -> ES256, P-384 -> ES384; alg AUTO picks from the curve); the public key goes
 * into the "jwk" header. The compact JWS is written to *jwt (NUL-terminated, len excludes it).
 * Errors: ATEA_ERR_INVALID_ARG (NULL, nonce not 8..64 bytes, a key that is not EC P-256/P-384
 * or does not match alg, an appraisal with no submodule), ATEA_ERR_TOO_LARGE, ATEA_ERR_NO_MEMORY,
 * ATEA_ERR_INTERNAL (OpenSSL failed to sign).
 */
atea_err atea_ear_sign(const atea_appraisal *a, const uint8_t *nonce, size_t nonce_len,
                       EVP_PKEY *key, atea_ear_alg alg, int64_t now, atea_buf *jwt) ATEA_MUST_USE;

/* SHA-256 of a public key's DER SubjectPublicKeyInfo: what a policy pins
 * (platforms.ear.verifier_key_sha256). Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_INTERNAL. */
atea_err atea_ear_key_sha256(EVP_PKEY *key, uint8_t digest[32]) ATEA_MUST_USE;

/*
 * An EAR issuer: turns evidence into a signed EAR for a binding. In production this is a remote
 * verification service; atea_ear_issue_local (below) stands in for one with a local verifier, so
 * that the passport flow runs in tests and demos without a network.
 * issue() returns the EAR JWT in *jwt, or the code of the refusal.
 */
typedef struct atea_ear_issuer {
    atea_err (*issue)(void *user, const uint8_t *cmw, size_t len, const atea_binding *binding,
                      atea_buf *jwt);
    void *user;
} atea_ear_issuer;

/* State of the local issuer: a verifier (include/atea/verify.h; borrowed), the signing key
 * (borrowed), its alg and the issuing time (0: the current time). */
typedef struct atea_ear_local_issuer {
    struct atea_verifier *verifier;
    EVP_PKEY *key;
    atea_ear_alg alg;
    int64_t now;
} atea_ear_local_issuer;

/*
 * atea_ear_issuer.issue for an atea_ear_local_issuer: appraise the CMW with the verifier
 * against `binding` (atea_verify_cmw) and sign the appraisal, with eat_nonce = binding->binder
 * (its report_data when it has no binder).
 * An appraisal that is not affirmed is still issued (a contraindicated EAR tells the relying
 * party why), except when the evidence could not be appraised at all: then the verifier's
 * code. Errors: those of atea_ear_sign, ATEA_ERR_BINDING_MISSING (binding NULL).
 */
atea_err atea_ear_issue_local(void *local_issuer, const uint8_t *cmw, size_t len,
                              const atea_binding *binding, atea_buf *jwt) ATEA_MUST_USE;

/*
 * The passport attester (src/evidence/ear_attester.c): produces evidence with `inner` for the
 * binding, has `issuer` appraise and sign it, and returns the EAR as a CMW record of the EAR
 * type (CBOR unless json is set). platform "ear". Takes ownership of inner (freed with the
 * attester, also on failure); the issuer's user state is borrowed.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_NO_MEMORY. attest() returns the inner attester's or
 * the issuer's code, or the CMW encoder's.
 */
atea_err atea_ear_attester_new(atea_attester *inner, const atea_ear_issuer *issuer, int json,
                               atea_attester **pattester) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
