/*
 * The inputs every platform verifier (src/verify/<platform>.c) shares: what the evidence must be
 * bound to, the verification time, and where offline collateral and extra certificates live.
 * Platform verifiers have the shape
 *
 *     atea_err atea_<platform>_verify(const atea_verify_env *env, const uint8_t *evidence,
 *                                     size_t len, atea_appraisal *out);
 *
 * They add a submodule, its claims and a reason for every check (passed ones as AFFIRMING) to
 * `out`. A hard failure (malformed input, a bad signature, a chain that does not reach the
 * pinned vendor root, report_data mismatch) returns its specific code AND records it as a
 * CONTRAINDICATED reason; soft findings (TCB out of date, stale collateral) are WARNING reasons
 * and the function returns ATEA_OK. No path accepts evidence whose signature chain was not
 * checked to a pinned root, whatever the policy says.
 */
#ifndef ATEA_VERIFY_ENV_H
#define ATEA_VERIFY_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "atea/appraisal.h"
#include "atea/error.h"
#include "atea/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct atea_verify_env {
    /* 64 bytes the evidence must carry as its report_data / challenge, or NULL not to check
     * (then the appraisal says so with a WARNING). */
    const uint8_t *expected_report_data;
    /* Verification time, seconds since the Unix epoch (`--at`); certificates, CRLs and
     * collateral are checked at this instant. */
    int64_t now;
    /* Offline collateral bundle (TDX: TCB info, QE identity, CRLs; see docs/POLICY.md), or NULL. */
    const char *collateral_dir;
    /* Extra certificate files (PEM or DER) the user supplied: SNP VCEK/VLEK and ASK/ARK, ... */
    const char *const *cert_files;
    size_t cert_file_count;
    /* Arm CCA platform attestation key (CPAK), PEM, from the policy; NULL if none is trusted. */
    const char *cca_cpak_pem_file;
} atea_verify_env;

#ifdef __cplusplus
}
#endif
#endif
