/*
 * The simulated TEE ("sim"): evidence with the shape of real TEE evidence, signed by a software
 * key, so that atea can be tested and demonstrated without TEE hardware. It proves NOTHING about
 * the machine: relying parties refuse it unless their policy explicitly trusts the exact sim root
 * (docs/evidence/SIM.md), and every acceptance carries the reason ATEA_ERR_SIMULATED_TEE.
 *
 * Format (docs/evidence/SIM.md): a COSE_Sign1 (RFC 9052, tag 18), ES256, whose payload is a CBOR
 * map of claims and whose unprotected header carries x5chain (label 33) = [identity certificate,
 * sim root certificate] (DER). Wrapped in a CMW record `application/vnd.atea.sim-evidence+cbor`.
 *
 * Key store: a directory (CLI default ~/.local/share/atea/sim) holding root.key / root.crt and
 * identities/<name>.key / .crt, created on first use; private keys are 0600, directories 0700.
 * Several identities share one root; each has its own key and, by default, its own measurement
 * (SHA-384 of "atea-sim-measurement:" || name), so "another machine" is one name away.
 */
#ifndef ATEA_SIM_H
#define ATEA_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/evidence.h"
#include "atea/policy.h"
#include "atea/verify_env.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_SIM_MEDIA_TYPE "application/vnd.atea.sim-evidence+cbor"
#define ATEA_SIM_PROFILE "tag:atea.dev,2026:sim-evidence#1"
#define ATEA_SIM_MAX_EVIDENCE 8192  /* bytes of one COSE_Sign1 */
#define ATEA_SIM_MAX_CERT 2048      /* bytes of one certificate in x5chain */
#define ATEA_SIM_MAX_MEASUREMENT 64 /* bytes */
#define ATEA_SIM_MAX_IDENTITY_NAME 32
#define ATEA_SIM_DEFAULT_IDENTITY "default"

/* Claim keys of the payload map (text keys; docs/evidence/SIM.md). */
#define ATEA_SIM_CLAIM_PROFILE "eat_profile"
#define ATEA_SIM_CLAIM_IDENTITY "identity"
#define ATEA_SIM_CLAIM_MEASUREMENT "measurement"
#define ATEA_SIM_CLAIM_PLATFORM_ID "platform_id"
#define ATEA_SIM_CLAIM_DEBUG "debug"
#define ATEA_SIM_CLAIM_SVN "svn"
#define ATEA_SIM_CLAIM_NONCE "nonce"
#define ATEA_SIM_CLAIM_AIK_HASH "aik_hash"

/* ------------------------------------------------------------ attester (evidence layer) */

#define ATEA_SIM_OPTS_V1 1u
#define ATEA_SIM_OPTS_VERSION ATEA_SIM_OPTS_V1

typedef struct atea_sim_opts {
    unsigned version;
    const char *dir;      /* key store directory (required) */
    const char *identity; /* identity name, [a-z0-9_-]{1,32} (default "default") */
    /* Measurement to report, or NULL for the identity's default measurement. */
    const uint8_t *measurement;
    size_t measurement_len; /* 1..ATEA_SIM_MAX_MEASUREMENT */
    uint32_t svn;           /* default 1 */
    int debug;              /* report debug = true (default 0) */
    /* Certificates created now are valid from `now` - 1 h for 10 years; 0 = the current time. */
    int64_t now;
    atea_log log;
} atea_sim_opts;

void atea_sim_opts_default_versioned(unsigned version, atea_sim_opts *opts);
#define atea_sim_opts_default(opts) atea_sim_opts_default_versioned(ATEA_SIM_OPTS_VERSION, (opts))

/*
 * An attester (platform "sim") for the identity in opts; creates the store, the root and the
 * identity on first use. Its attest() produces a CBOR CMW record of ATEA_SIM_MEDIA_TYPE whose
 * claims carry binding->binder as nonce and binding->aik_hash as aik_hash, or report_data as nonce
 * (and no aik_hash) when binder_len is 0.
 * Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_EVIDENCE_OPTS_VERSION, ATEA_ERR_SIM_IDENTITY_NAME,
 * ATEA_ERR_SIM_STORE, ATEA_ERR_SIM_KEY_PERMISSIONS, ATEA_ERR_SIM_KEY_CORRUPT, ATEA_ERR_SIM_CRYPTO,
 * ATEA_ERR_NO_MEMORY; attest() adds ATEA_ERR_INVALID_ARG (binder or aik_hash longer than 64 or
 * shorter than 8 bytes) and the CMW encoder's codes.
 */
atea_err atea_sim_attester_new(const atea_sim_opts *opts, atea_attester **pattester) ATEA_MUST_USE;

/* Produce the bare COSE_Sign1 evidence (no CMW) with an attester from atea_sim_attester_new. */
atea_err atea_sim_attester_evidence(atea_attester *attester, const atea_binding *binding,
                                    atea_buf *evidence) ATEA_MUST_USE;

/* SHA-256 of the sim root's DER SubjectPublicKeyInfo in store `dir` (creating the root if there
 * is none yet): the value a policy's platforms.sim.root_sha256 lists. Errors as
 * atea_sim_attester_new. */
atea_err atea_sim_root_sha256(const char *dir, int64_t now, uint8_t digest[32]) ATEA_MUST_USE;

/* ------------------------------------------------------------ verifier (verify layer) */

/*
 * Appraise sim evidence (the bare COSE_Sign1). Adds submodule "sim" (platform "sim") with the
 * claims measurement, platform_id, debug, svn, nonce, aik_hash (if present), identity,
 * root_sha256, and a reason per check. Checks in order: structure (ATEA_ERR_SIM_MALFORMED, core
 * and CBOR decode codes), the policy trusts the sim and this root (ATEA_ERR_SIM_NOT_TRUSTED), the
 * identity certificate is signed by the root and valid at env->now (ATEA_ERR_SIM_CHAIN), the
 * signature (ATEA_ERR_SIM_SIGNATURE), then the binding: with expected->binder_len > 0, nonce ==
 * binder (ATEA_ERR_SIM_NONCE_MISMATCH) and aik_hash == expected->aik_hash
 * (ATEA_ERR_SIM_AIK_HASH_MISMATCH); otherwise the nonce (followed by aik_hash when present,
 * truncated to 64 bytes, profile.md §3) must equal expected->report_data
 * (ATEA_ERR_SIM_NONCE_MISMATCH). expected NULL: a WARNING reason ATEA_ERR_BINDING_MISSING.
 * Success adds the AFFIRMING reason ATEA_ERR_SIMULATED_TEE ("simulated TEE: not a real TEE").
 * Every failure is recorded as CONTRAINDICATED and returned. policy NULL = nothing trusted.
 */
atea_err atea_sim_verify(const atea_verify_env *env, const atea_policy *policy,
                         const atea_binding *expected, const uint8_t *evidence, size_t len,
                         atea_appraisal *out) ATEA_MUST_USE;

/* Decoded sim evidence, borrowed from the input (for atea_sim_verify and `atea inspect`). */
typedef struct atea_sim_evidence {
    atea_slice protected_hdr; /* the protected header bstr content */
    atea_slice payload;       /* the payload bstr content (the claims map) */
    atea_slice signature;     /* 64 bytes r || s */
    atea_slice identity_cert; /* DER */
    atea_slice root_cert;     /* DER */
    atea_slice identity;      /* text */
    atea_slice measurement;
    atea_slice platform_id;
    atea_slice nonce;
    atea_slice aik_hash; /* len 0 if absent */
    int debug;
    uint64_t svn;
} atea_sim_evidence;

/* Parse (no cryptography). Strict: exact COSE_Sign1 shape, alg ES256, known claim keys once each,
 * no trailing bytes. Errors: ATEA_ERR_SIM_MALFORMED (with the offending offset),
 * ATEA_ERR_TOO_LARGE, the CBOR decoder's codes. */
atea_err atea_sim_evidence_parse(const uint8_t *data, size_t len,
                                 atea_sim_evidence *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
