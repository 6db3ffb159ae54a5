/* Dispatch of evidence to platform verifiers by media type (src/verify/dispatch.c), shared by
 * atea_verify_cmw and atea_verify_raw (src/verify/verifier.c). Internal. */
#ifndef ATEA_VERIFY_DISPATCH_H
#define ATEA_VERIFY_DISPATCH_H

#include "atea/appraisal.h"
#include "atea/cmw.h"
#include "atea/evidence.h"
#include "atea/policy.h"
#include "atea/verify_env.h"
#include "verify/sim_internal.h"

typedef struct atea_dispatch {
    const atea_policy *policy;
    int allow_sim;
    atea_sim_root_cache *sim_cache; /* the verifier's; NULL: none */
    const atea_binding *expected;
    atea_appraisal *out;
    atea_log log;
    atea_verify_env env;
    /* The verifier's TDX collateral slot, loaded on first use from env.collateral_dir and then
     * reused (NULL: no slot, load per call). */
    struct atea_tdx_collateral **tdx_collateral;
    atea_err first_failure; /* the first hard failure of any piece */
    char first_failure_detail[320];
    size_t appraised; /* pieces handed to a platform verifier */
} atea_dispatch;

/* Record a hard failure: the first one is kept for the return code; a top-level
 * CONTRAINDICATED reason is added unless a verifier already recorded this code. Returns an error
 * only if the appraisal cannot take the reason. */
atea_err atea__dispatch_failed(atea_dispatch *d, const char *what, atea_err failure) ATEA_MUST_USE;

/* Appraise every piece of evidence in a decoded CMW (records, SNP/TPM collections, composite
 * collections). Failures of a piece are recorded (atea__dispatch_failed), not returned. */
atea_err atea__dispatch_cmw(atea_dispatch *d, const atea_cmw *cmw, unsigned depth) ATEA_MUST_USE;

/* Appraise one piece of evidence of type mt (type_name names it in messages); collection is
 * the CMW collection it came in, if any (SNP certificate table). */
atea_err atea__dispatch_bytes(atea_dispatch *d, atea_cmw_mt mt, const char *type_name,
                              const uint8_t *data, size_t len,
                              const atea_cmw *collection) ATEA_MUST_USE;

#endif
