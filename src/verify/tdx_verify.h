/* State of one TDX verification, shared by tdx.c and tdx_pck.c. Internal. */
#ifndef ATEA_VERIFY_TDX_VERIFY_H
#define ATEA_VERIFY_TDX_VERIFY_H

#include "atea/tdx.h"
#include "verify/tdx_internal.h"

typedef struct tdx_verify_ctx {
    const atea_verify_env *env;
    atea_tdx_collateral *coll; /* may be NULL */
    atea_appraisal *out;
    tdx_pck_cache_entry *pck; /* the verified PCK chain (cache slot or local_pck) */
    tdx_pck_cache_entry local_pck;
} tdx_verify_ctx;

/* Add a reason to the "tdx" submodule. */
atea_err atea__tdx_reason(tdx_verify_ctx *v, atea_ear_status tier, atea_err code, const char *fmt,
                          ...) ATEA_PRINTF(4, 5) ATEA_MUST_USE;

/* Verify (or take from the cache) the quote's PCK chain; sets v->pck. ATEA_ERR_CHAIN_*,
 * ATEA_ERR_TDX_PCK_EXTENSION. */
atea_err atea__tdx_pck_chain(tdx_verify_ctx *v, const atea_tdx_quote *q) ATEA_MUST_USE;

/* Intel's TD QE pinned: MRSIGNER dc9e2a7c.., ISVPRODID 2 (ATEA_ERR_TDX_QE_IDENTITY). */
atea_err atea__tdx_qe_pinned(const atea_tdx_qe_report *qe) ATEA_MUST_USE;

/* WARNING reasons for TDATTRIBUTES.DEBUG and non-zero SEAMATTRIBUTES (ATEA_OK otherwise). */
atea_err atea__tdx_check_attributes(tdx_verify_ctx *v, const atea_tdx_quote *q) ATEA_MUST_USE;

/* Record `failure` (with prefix before its detail) as a CONTRAINDICATED reason of "tdx", and the
 * trustworthiness-vector category (if not NULL) as contraindicated, keeping the thread's failure
 * detail. */
void atea__tdx_record_failure(atea_appraisal *out, atea_err failure, const char *prefix,
                              const char *tvector_category);

/* TCB info, QE identity and their validity windows (tdx_appraise.c). */
atea_err atea__tdx_appraise_collateral(tdx_verify_ctx *v, const atea_tdx_quote *q) ATEA_MUST_USE;

#endif
