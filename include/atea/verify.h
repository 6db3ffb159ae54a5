/*
 * atea_verifier: the one entry point a relying party calls with the evidence it received.
 * It decodes the CMW (RFC 9999), picks the platform verifier by media type (profile.md §5,
 * docs/POLICY.md "Evidence types"), applies the policy and decides:
 *
 *     atea_verify_opts o;  atea_verify_opts_default(&o);  o.policy = policy;
 *     atea_verifier *v;    atea_verifier_new(&o, &v);
 *     atea_appraisal *a;   atea_appraisal_new(&a);
 *     err = atea_verify_cmw(v, cmw, len, &binding, a);   // ATEA_OK = affirmed
 *
 * Whatever the outcome, `a` holds every reason (atea_appraisal_to_json prints it).
 *
 * A verifier keeps state between calls: the TDX collateral of opts.collateral_dir is read and
 * checked on the first TDX evidence and kept (with the PCK chains it verified since), so later
 * verifications skip that work. Create a new verifier to pick up new collateral files. A
 * verifier is therefore NOT thread-safe: use one per thread, or serialise the calls.
 */
#ifndef ATEA_VERIFY_H
#define ATEA_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/error.h"
#include "atea/evidence.h"
#include "atea/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ATEA_VERIFY_OPTS_V1 1u
#define ATEA_VERIFY_OPTS_VERSION ATEA_VERIFY_OPTS_V1
#define ATEA_VERIFY_MAX_CERT_FILES 16

/* Verifier options (style.md P6: versioned, fields only appended, copied at _new). */
typedef struct atea_verify_opts {
    unsigned version;
    /* The policy, borrowed: it must outlive the verifier. NULL: policy_file, else the default
     * policy (real platforms on pinned roots, sim never trusted). */
    const atea_policy *policy;
    /* A policy file to load at atea_verifier_new (used when policy is NULL). */
    const char *policy_file;
    /* Verification time, seconds since the Unix epoch; 0 = the current time at each call. */
    int64_t now;
    /* Offline TDX collateral directory, or NULL. Read once, on the first TDX evidence; a
     * directory that fails to load is not kept and is read (and reported) again each time. */
    const char *collateral_dir;
    /* Extra certificate files (SNP VCEK/VLEK, ASK/ARK), at most ATEA_VERIFY_MAX_CERT_FILES. */
    const char *const *cert_files;
    size_t cert_file_count;
    /* Accept simulated-TEE evidence at all (the policy must still trust its root). Default 0:
     * sim evidence is refused with ATEA_ERR_SIM_NOT_ALLOWED before it is parsed. With 1, the
     * verifier keeps the last trusted sim root it checked, decoded, and reuses it when the same
     * root DER comes again (the policy's trust and the validity are checked every time); the
     * cache is locked, so one verifier may still serve several threads. */
    int allow_sim;
    atea_log log;
} atea_verify_opts;

void atea_verify_opts_default_versioned(unsigned version, atea_verify_opts *opts);
#define atea_verify_opts_default(opts)                                                             \
    atea_verify_opts_default_versioned(ATEA_VERIFY_OPTS_VERSION, (opts))

typedef struct atea_verifier atea_verifier;

/* Errors: ATEA_ERR_INVALID_ARG, ATEA_ERR_VERIFY_OPTS_VERSION, ATEA_ERR_NO_MEMORY and, with
 * policy_file, the codes of atea_policy_load_file. */
atea_err atea_verifier_new(const atea_verify_opts *opts, atea_verifier **pverifier) ATEA_MUST_USE;
void atea_verifier_free(atea_verifier *verifier);

/* The policy the verifier applies. */
const atea_policy *atea_verifier_policy(const atea_verifier *verifier);

/*
 * Appraise a CMW (CBOR or JSON) against `expected` (what the evidence must be bound to: the
 * 64-byte report_data and, for nonce formats, binder + aik_hash; NULL = not checked, which
 * leaves a WARNING). Records, records inside collections (composite evidence) and the SNP,
 * TPM and TDX collections are dispatched by media type; each piece becomes a submodule of `out`.
 * A TDX collection {"quote", "eventlog"} is one piece: the quote is verified, then the event log
 * is replayed against its RTMRs (atea_tdx_eventlog_replay: eventlog_* claims, or
 * ATEA_ERR_EVENTLOG_MISMATCH / _MALFORMED / ATEA_ERR_TRUNCATED). An event log anywhere else:
 * ATEA_ERR_EVENTLOG_WITHOUT_QUOTE. Then the policy is applied (atea_policy_apply).
 *
 * Returns ATEA_OK only if the final status is "affirming", or "warning" under a policy that
 * accepts warnings. Otherwise: the code of the first hard failure a platform verifier returned,
 * else that of the first contraindicated reason (e.g. ATEA_ERR_POLICY_REFERENCE_VALUE), else
 * ATEA_ERR_NOTHING_APPRAISED / ATEA_ERR_NOT_AFFIRMED. Decode failures: the CMW codes.
 * Evidence of an unknown type: ATEA_ERR_EVIDENCE_TYPE_UNKNOWN with a reason naming the type.
 * Sim evidence when allow_sim is 0: ATEA_ERR_SIM_NOT_ALLOWED.
 */
atea_err atea_verify_cmw(atea_verifier *verifier, const uint8_t *cmw, size_t len,
                         const atea_binding *expected, atea_appraisal *out) ATEA_MUST_USE;

/*
 * The same for evidence without a CMW wrapper, recognised by its first bytes: a TDX quote
 * (v4/v5 header), an SNP report (0x4A0 bytes, version 2..5), a CCA token (CBOR tag 399 or 907),
 * sim evidence (COSE_Sign1, tag 18), or else a CMW. Returns as atea_verify_cmw;
 * ATEA_ERR_EVIDENCE_TYPE_UNKNOWN when nothing matches.
 */
atea_err atea_verify_raw(atea_verifier *verifier, const uint8_t *evidence, size_t len,
                         const atea_binding *expected, atea_appraisal *out) ATEA_MUST_USE;

#ifdef __cplusplus
}
#endif
#endif
